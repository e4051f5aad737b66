/*
 * chores_policy.c — the bridge between the policies and the stored chore
 * verdicts: reads each county's chore_patterns from its policy and has
 * chores.c record them (judging the county's records again when they
 * changed), then judges the records not judged yet.
 */
#include "chores_policy.h"

#include <lua.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chores.h"
#include "db.h"
#include "hash.h"
#include "policy.h"
#include "progress.h"

/* The patterns of one policy, newline separated, and the policy's hash. */
typedef struct policy_patterns {
    char name[64];
    char *patterns;
    char hash[17];
} policy_patterns;

/* FNV-1a over the policy's name, version and patterns (what the verdicts
 * depend on). */
static void policy_hash(const sws_policy *p, const char *patterns, char out[17])
{
    uint64_t h = sws_hash_more(sws_hash_more(sws_hash(p->name), "\n"), p->version);
    h = sws_hash_more(sws_hash_more(h, "\n"), patterns);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Reads the chore_patterns of policy `name` into pp. 0, or -1 with e. */
static int read_patterns(sws_host *h, const char *name, policy_patterns *pp, sws_error *e)
{
    sws_policy p;
    if (sws_policy_load(h, name, &p, e) < 0)
        return -1;
    lua_State *L = sws_host_lua(h);
    sws_policy_push(&p);
    lua_getfield(L, -1, "chore_patterns");
    size_t len = 0;
    char *all = calloc(1, 1);
    int listed = lua_istable(L, -1);
    for (lua_Integer i = 1; all && listed && lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        size_t n;
        const char *s = lua_tolstring(L, -1, &n);
        char *grown = realloc(all, len + n + 2);
        if (!grown) {
            free(all);
            all = NULL;
        } else {
            all = grown;
            if (len)
                all[len++] = '\n';
            memcpy(all + len, s, n + 1);
            len += n;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, listed && all ? 3 : 2); /* what ended the list, the patterns, the policy */
    snprintf(pp->name, sizeof pp->name, "%s", name);
    pp->patterns = all;
    int rc = 0;
    if (!all)
        rc = sws_errorf(e, "out of memory");
    else
        policy_hash(&p, all, pp->hash);
    sws_policy_release(&p);
    return rc;
}

static long long walk(sws_host *h, int judge, FILE *progress, sws_error *e);

int sws_chores_sync(sws_host *h, FILE *progress, sws_error *e)
{
    /* A read-only run (check, explain) cannot record verdicts: it may go on
     * only when they are already in step with the policies. */
    if (sqlite3_db_readonly(sws_host_db(h), "main") == 1) {
        long long out = walk(h, 0, NULL, e);
        if (out > 0)
            sws_errorf(e,
                       "the stored chore verdicts are out of step with the county policies "
                       "(%lld counties or records); run `sws doctor --repair` once with write "
                       "access to the database",
                       out);
        return out == 0 ? 0 : -1;
    }
    return walk(h, 1, progress, e) < 0 ? -1 : 0;
}

long long sws_chores_out_of_step(sws_host *h, FILE *out, sws_error *e)
{
    return walk(h, 0, out, e);
}

/* The counties with a station, each with its policy's patterns: with
 * `judge`, records them (judging again where they changed) and judges the
 * pending records, returning 0; without, changes nothing and returns how
 * many counties and pending records are out of step, listing them to out. */
/* 1 when county has records that were not judged with pp's patterns
 * (listed to out when not NULL), 0 when it is in step, -1 with e. */
static int out_of_step(sqlite3 *db, const char *county, const policy_patterns *pp,
                       const char *policy, FILE *out, sws_error *e)
{
    sqlite3_stmt *q;
    if (sws_db_prepare(db,
                       "SELECT patterns = ?2, 1 FROM chore_judgement WHERE county_code = ?1 "
                       "UNION ALL SELECT 0, 0 WHERE EXISTS (SELECT 1 FROM service_record "
                       "WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1))",
                       &q, e) < 0)
        return -1;
    sqlite3_bind_text(q, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, pp->patterns, -1, SQLITE_STATIC);
    /* the first row: the recorded patterns, else whether the county has records */
    int stale = 0, recorded = 0;
    if (sqlite3_step(q) == SQLITE_ROW) {
        stale = !sqlite3_column_int(q, 0);
        recorded = sqlite3_column_int(q, 1);
    }
    sqlite3_finalize(q);
    if (stale && out)
        fprintf(out, "county %s: its records were %s the chore patterns of policy %s\n", county,
                recorded ? "not judged with" : "never judged against", policy);
    return stale;
}

static long long walk(sws_host *h, int judge, FILE *progress, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st = NULL, *same = NULL;
    policy_patterns *pol = NULL;
    int npol = 0;
    long long rc = -1, stale = 0;
    /* the verdicts are the core's bookkeeping, whoever asked for the check */
    sws_caller caller = sws_host_swap_caller(h, SWS_CALLER_CORE);
    if (sws_chores_register(db, e) < 0 || sws_db_exec(db, "SAVEPOINT sws_chores", e) < 0) {
        sws_host_swap_caller(h, caller);
        return -1;
    }
    /* per administering unit: a zone's townships follow the zone's policy;
     * a bar on a terminal, as a changed city policy judges every unit again */
    long done = 0, units = 0;
    if (judge)
        units = (long)sws_db_count(db, "SELECT count(DISTINCT t.unit_code) FROM station s "
                                       "JOIN township t ON t.code = s.code");
    if (sws_db_prepare(db,
                       "SELECT DISTINCT t.unit_code FROM station s JOIN township t "
                       "ON t.code = s.code WHERE t.unit_code IS NOT NULL ORDER BY 1",
                       &st, e) < 0 ||
        (judge && sws_db_prepare(db,
                                 "SELECT 1 FROM chore_judgement WHERE county_code = ?1 AND "
                                 "patterns = ?2 AND policy = ?3 AND policy_hash = ?4",
                                 &same, e) < 0))
        goto cleanup;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *county = (const char *)sqlite3_column_text(st, 0);
        char name[64];
        sws_policy_for_county(h, county, name, sizeof name);
        int k = 0;
        while (k < npol && strcmp(pol[k].name, name) != 0)
            k++;
        if (k == npol) {
            policy_patterns *grown = realloc(pol, (size_t)(npol + 1) * sizeof *pol);
            if (!grown) {
                sws_errorf(e, "out of memory");
                goto cleanup;
            }
            pol = grown;
            memset(&pol[npol], 0, sizeof *pol);
            npol++;
            /* a county policy that does not load is replaced by the city's, as
             * the check does (core/lua/rules.lua); `sws policy check` reports it */
            if (read_patterns(h, name, &pol[k], e) < 0 &&
                (strcmp(name, "default") == 0 || read_patterns(h, "default", &pol[k], e) < 0))
                goto cleanup;
        }
        if (!judge) {
            int out = out_of_step(db, county, &pol[k], name, progress, e);
            if (out < 0)
                goto cleanup;
            stale += out;
            continue;
        }
        sws_progress("chore verdicts", ++done, units);
        /* in step: nothing to record (a statement made once, not two per unit) */
        sqlite3_reset(same);
        sqlite3_bind_text(same, 1, county, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(same, 2, pol[k].patterns, -1, SQLITE_STATIC);
        sqlite3_bind_text(same, 3, pol[k].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(same, 4, pol[k].hash, -1, SQLITE_STATIC);
        if (sqlite3_step(same) == SQLITE_ROW)
            continue;
        int first;
        long long n =
            sws_chores_set_county(db, county, pol[k].patterns, pol[k].name, pol[k].hash, &first, e);
        if (n < 0)
            goto cleanup;
        if (n > 0 && progress) {
            sws_progress_done();
            if (first)
                fprintf(progress,
                        "county %s: %lld service records judged against the chore patterns "
                        "of policy %s, recorded for the first time\n",
                        county, n, name);
            else
                fprintf(progress,
                        "county %s: the chore patterns of policy %s changed; %lld service "
                        "records judged again\n",
                        county, name, n);
            fflush(progress);
        }
    }
    if (!judge) {
        long long pending =
            sws_db_count(db, "SELECT count(*) FROM service_record "
                             "INDEXED BY service_record_unjudged WHERE chore IS NULL");
        if (pending > 0 && progress)
            fprintf(progress, "%lld service records are not judged yet (service or chore)\n",
                    pending);
        rc = stale + (pending > 0 ? pending : 0);
        goto cleanup;
    }
    sws_progress_done();
    long long pending = sws_chores_judge_pending(db, e);
    if (pending < 0)
        goto cleanup;
    if (pending && progress)
        fprintf(progress, "%lld service records written outside the import judged\n", pending);
    rc = 0;

cleanup:
    sws_progress_done();
    sqlite3_finalize(st);
    sqlite3_finalize(same);
    for (int i = 0; i < npol; i++)
        free(pol[i].patterns);
    free(pol);
    if (rc >= 0 && sws_db_exec(db, "RELEASE sws_chores", e) < 0)
        rc = -1;
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK TO sws_chores; RELEASE sws_chores", NULL, NULL, NULL);
    sws_host_swap_caller(h, caller);
    return rc;
}
