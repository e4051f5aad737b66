/* chores.c — the stored verdict "service or chore" of each service record. */
#include "chores.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "hash.h"
#include "re.h"

/* The recorded patterns of one administering unit (a county, or a zone
 * whose townships lie inside NBS counties), compiled. */
typedef struct county_patterns {
    char county[7];
    int known; /* 0: the county has no recorded patterns (verdict NULL) */
    int n;
    char *text; /* the patterns, newline separated; pattern[i] points into it */
    char **pattern;
    sws_re **re;
    sws_re *any; /* all of them as one alternation: one match per service */
} county_patterns;

/* A station's administering unit ("" when its township names none). */
typedef struct station_unit {
    char station[10]; /* "" when the slot is free */
    char unit[7];
} station_unit;

/* The patterns of the units one connection has judged records of, and the
 * units of the stations it has seen (an open-addressing table: an import
 * asks for the unit of a few thousand stations millions of times). */
typedef struct chore_cache {
    sqlite3 *db;
    county_patterns *c;
    int n, cap, last;
    station_unit *units;
    size_t nunits, capunits; /* capunits: a power of 2, or 0 */
    struct chore_cache *next;
} chore_cache;

static chore_cache *caches; /* one per connection, found by its db */

static void forget(chore_cache *cache)
{
    for (int i = 0; i < cache->n; i++) {
        free(cache->c[i].text);
        free(cache->c[i].pattern);
        free(cache->c[i].re);
    }
    cache->n = cache->last = 0;
    free(cache->units);
    cache->units = NULL;
    cache->nunits = cache->capunits = 0;
}

static void cache_free(void *p)
{
    chore_cache *cache = p;
    for (chore_cache **at = &caches; *at; at = &(*at)->next)
        if (*at == cache) {
            *at = cache->next;
            break;
        }
    forget(cache);
    free(cache->c);
    free(cache);
}

/* Compiles the newline-separated patterns into cp. 0, or -1 with e. */
static int compile(county_patterns *cp, const char *text, sws_error *e)
{
    cp->known = 1;
    if (!(cp->text = strdup(text)))
        return sws_errorf(e, "out of memory");
    int lines = 1;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    cp->pattern = calloc((size_t)lines, sizeof *cp->pattern);
    cp->re = calloc((size_t)lines, sizeof *cp->re);
    size_t all_len = strlen(text) + 8 * (size_t)lines + 1;
    char *all = malloc(all_len), *o = all;
    if (!cp->pattern || !cp->re || !all) {
        free(all);
        return sws_errorf(e, "out of memory");
    }
    *o = '\0';
    int rc = 0;
    for (char *p = cp->text, *next; p && rc == 0; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (!*p)
            continue;
        cp->pattern[cp->n] = p;
        if (!(cp->re[cp->n] = sws_re_get(p, e))) {
            rc = sws_error_prefix(e, "chore pattern \"%s\" of county %s", p, cp->county);
            break;
        }
        o += sprintf(o, "%s(?:%s)", cp->n ? "|" : "", p);
        cp->n++;
    }
    if (rc == 0 && cp->n && !(cp->any = sws_re_get(all, e)))
        rc = sws_error_prefix(e, "chore patterns of county %s", cp->county);
    free(all);
    return rc;
}

/* The patterns of county (6 digits), read from chore_judgement when first
 * needed. NULL with e on a bad pattern or out of memory. */
static county_patterns *lookup(chore_cache *cache, sqlite3 *db, const char *county, sws_error *e)
{
    if (cache->last < cache->n && memcmp(cache->c[cache->last].county, county, 6) == 0)
        return &cache->c[cache->last];
    for (int i = 0; i < cache->n; i++)
        if (memcmp(cache->c[i].county, county, 6) == 0)
            return &cache->c[cache->last = i];
    if (cache->n == cache->cap) {
        int cap = cache->cap ? cache->cap * 2 : 16;
        county_patterns *c = realloc(cache->c, (size_t)cap * sizeof *c);
        if (!c) {
            sws_errorf(e, "out of memory");
            return NULL;
        }
        cache->c = c;
        cache->cap = cap;
    }
    county_patterns *cp = &cache->c[cache->n++];
    memset(cp, 0, sizeof *cp);
    memcpy(cp->county, county, 6);
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT patterns FROM chore_judgement WHERE county_code = ?", &st, e) <
        0)
        return NULL;
    sqlite3_bind_text(st, 1, county, 6, SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        rc = compile(cp, (const char *)sqlite3_column_text(st, 0), e);
    sqlite3_finalize(st);
    cache->last = cache->n - 1;
    return rc < 0 ? NULL : cp;
}

/* The slot of station in a table of cap slots (a power of 2): its own, or
 * the free one where it belongs. */
static station_unit *unit_slot(station_unit *units, size_t cap, const char *station)
{
    size_t i = (size_t)sws_hash(station) & (cap - 1);
    while (units[i].station[0] && strcmp(units[i].station, station) != 0)
        i = (i + 1) & (cap - 1);
    return &units[i];
}

/* The administering unit of station (9 digits), read from township when
 * first asked; "" when its township names none. NULL with e. */
static const char *unit_of(chore_cache *cache, sqlite3 *db, const char *station, sws_error *e)
{
    if (cache->capunits) {
        station_unit *u = unit_slot(cache->units, cache->capunits, station);
        if (u->station[0])
            return u->unit;
    }
    if (2 * (cache->nunits + 1) > cache->capunits) { /* at most half full */
        size_t cap = cache->capunits ? 2 * cache->capunits : 1024;
        station_unit *units = calloc(cap, sizeof *units);
        if (!units) {
            sws_errorf(e, "out of memory");
            return NULL;
        }
        for (size_t i = 0; i < cache->capunits; i++)
            if (cache->units[i].station[0])
                *unit_slot(units, cap, cache->units[i].station) = cache->units[i];
        free(cache->units);
        cache->units = units;
        cache->capunits = cap;
    }
    station_unit *u = unit_slot(cache->units, cache->capunits, station);
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT unit_code FROM township WHERE code = ?", &st, e) < 0)
        return NULL;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    const char *unit =
        sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    snprintf(u->unit, sizeof u->unit, "%s", unit && strlen(unit) == 6 ? unit : "");
    snprintf(u->station, sizeof u->station, "%s", station);
    sqlite3_finalize(st);
    cache->nunits++;
    return u->unit;
}

/* sws_chore(station_code, description): see chores.h. */
static void sql_chore(sqlite3_context *ctx, int argc, sqlite3_value **v)
{
    (void)argc;
    const char *station = (const char *)sqlite3_value_text(v[0]);
    const char *text = (const char *)sqlite3_value_text(v[1]);
    if (!station || strlen(station) != 9) {
        sqlite3_result_null(ctx);
        return;
    }
    sws_error e;
    chore_cache *cache = sqlite3_user_data(ctx);
    sqlite3 *db = sqlite3_context_db_handle(ctx);
    const char *unit = unit_of(cache, db, station, &e);
    if (!unit) {
        sqlite3_result_error(ctx, e.msg, -1);
        return;
    }
    if (!unit[0]) {
        sqlite3_result_null(ctx);
        return;
    }
    county_patterns *cp = lookup(cache, db, unit, &e);
    if (!cp) {
        sqlite3_result_error(ctx, e.msg, -1);
        return;
    }
    if (!cp->known) {
        sqlite3_result_null(ctx);
        return;
    }
    size_t len = text ? (size_t)sqlite3_value_bytes(v[1]) : 0;
    int m = text && cp->any ? sws_re_exec(cp->any, text, len, 0, NULL, 0, &e) : 0;
    for (int i = 0; m == 1 && i < cp->n; i++) {
        int hit = sws_re_exec(cp->re[i], text, len, 0, NULL, 0, &e);
        if (hit != 0) {
            if (hit == 1)
                sqlite3_result_text(ctx, cp->pattern[i], -1, SQLITE_TRANSIENT);
            m = hit < 0 ? -1 : 2;
        }
    }
    if (m < 0)
        sqlite3_result_error(ctx, e.msg, -1);
    else if (m != 2)
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
}

int sws_chores_register(sqlite3 *db, sws_error *e)
{
    for (chore_cache *c = caches; c; c = c->next)
        if (c->db == db)
            return 0; /* registered already */
    chore_cache *cache = calloc(1, sizeof *cache);
    if (!cache)
        return sws_errorf(e, "out of memory");
    cache->db = db;
    cache->next = caches;
    caches = cache;
    /* the connection frees the cache when it closes (or on failure here) */
    if (sqlite3_create_function_v2(db, "sws_chore", 2, SQLITE_UTF8, cache, sql_chore, NULL, NULL,
                                   cache_free) != SQLITE_OK)
        return sws_errorf(e, "cannot register sws_chore: %s", sqlite3_errmsg(db));
    return 0;
}

long long sws_chores_set_county(sqlite3 *db, const char *county, const char *patterns,
                                const char *policy, const char *hash, int *first, sws_error *e)
{
    *first = 0;
    sqlite3_stmt *st = NULL;
    long long changed = -1;
    if (sws_db_prepare(db,
                       "INSERT INTO chore_judgement(county_code, patterns, policy, "
                       "policy_hash) VALUES(?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET "
                       "patterns = ?2, policy = ?3, policy_hash = ?4 "
                       "WHERE patterns IS NOT ?2 OR policy IS NOT ?3 OR policy_hash IS NOT ?4",
                       &st, e) < 0)
        return -1;
    char *old = NULL;
    sqlite3_stmt *q = NULL;
    if (sws_db_prepare(db, "SELECT patterns FROM chore_judgement WHERE county_code = ?", &q, e) < 0)
        goto cleanup;
    sqlite3_bind_text(q, 1, county, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW)
        *first = 1;
    else if (!(old = strdup((const char *)sqlite3_column_text(q, 0)))) {
        sws_errorf(e, "out of memory");
        goto cleanup;
    }
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, patterns, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, policy, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sws_errorf(e, "cannot record the chore patterns of county %s: %s", county,
                   sqlite3_errmsg(db));
        goto cleanup;
    }
    changed = 0;
    if (old && strcmp(old, patterns) == 0)
        goto cleanup;
    /* the connection's compiled patterns are stale */
    for (chore_cache *c = caches; c; c = c->next)
        if (c->db == db)
            forget(c);
    sqlite3_finalize(st);
    st = NULL;
    if (sws_db_prepare(db,
                       "UPDATE service_record SET chore = sws_chore(station_code, description) "
                       "WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1)",
                       &st, e) < 0) {
        changed = -1;
        goto cleanup;
    }
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sws_errorf(e, "judging the service records of county %s: %s", county, sqlite3_errmsg(db));
        changed = -1;
        goto cleanup;
    }
    changed = sqlite3_changes64(db);

cleanup:
    free(old);
    sqlite3_finalize(q);
    sqlite3_finalize(st);
    return changed;
}

long long sws_chores_judge_pending(sqlite3 *db, sws_error *e)
{
    if (sws_db_exec(db,
                    "UPDATE service_record SET chore = sws_chore(station_code, description) "
                    "WHERE chore IS NULL",
                    e) < 0)
        return sws_error_prefix(e, "judging the service records written outside the import");
    return sqlite3_changes64(db);
}
