/* workflow.c — starting, advancing, showing and migrating station workflows. */
#include "workflow.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <stdarg.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "event.h"
#include "policy.h"
#include "text.h"

#define MAX_GUARDS 32

typedef sws_wf_instance instance;

int sws_workflow_instance(sws_host *h, const char *station, sws_wf_instance *in, sws_error *e)
{
    sqlite3_stmt *st = sws_host_stmt(h, NULL, "SELECT stage, policy_name, policy_version, "
                                     "started FROM workflow_instance WHERE station_code = ?", e);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found) {
        snprintf(in->stage, sizeof in->stage, "%s", sqlite3_column_text(st, 0));
        snprintf(in->policy, sizeof in->policy, "%s", sqlite3_column_text(st, 1));
        snprintf(in->version, sizeof in->version, "%s", sqlite3_column_text(st, 2));
        snprintf(in->started, sizeof in->started, "%s", sqlite3_column_text(st, 3));
    }
    sqlite3_reset(st);
    return found;
}

const char *const sws_wf_roles[] = {"city", "county", "township", "expert", "assessor", NULL};

const char *sws_wf_role_invalid(const char *role)
{
    for (int i = 0; sws_wf_roles[i]; i++)
        if (strcmp(role, sws_wf_roles[i]) == 0)
            return NULL;
    return "a role is one of city, county, township, expert, assessor";
}

/* Refuses an effective date before the instance's start (started, may be
 * NULL) or after today by the real clock. 0, or -1 with e. */
static int check_effective(const char *station, const char *when, const char *started,
                           sws_error *e)
{
    char today[11];
    sws_today(today);
    if (strcmp(when, today) > 0)
        return sws_errorf(e, "station %s: the effective date %s is in the future (today is %s)",
                          station, when, today);
    if (started && strcmp(when, started) < 0)
        return sws_errorf(e, "station %s: the effective date %s is before its workflow started "
                          "(%s)", station, when, started);
    return 0;
}

/* Refuses a step into `stage` of policy p by someone not in the role the
 * stage names (need: a buffer for it). 0, or -1 with e. */
static int check_role(sws_policy *p, const char *station, const char *stage, const char *role,
                      char *need, size_t n, sws_error *e)
{
    if (!sws_policy_stage_role(p, stage, need, n))
        return 0;
    if (!role)
        return sws_errorf(e, "station %s: only the %s may enter '%s' (%s); say in which role the "
                          "step is taken (--role %s)", station, need, stage, p->file, need);
    if (strcmp(role, need) != 0)
        return sws_errorf(e, "station %s: only the %s may enter '%s' (%s), not the %s", station,
                          need, stage, p->file, role);
    return 0;
}

/* Appends an audit event: `time` is its effective date, `recorded` the real
 * clock; its id in *id. */
static int add_event(sws_host *h, const char *station, const char *time, const char *actor,
                     const char *role, const char *action, const char *from, const char *to,
                     const char *reason, const char *version, const char *payload,
                     sqlite3_int64 *id, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st = sws_host_stmt(h, NULL, "INSERT INTO workflow_event(station_code, time, "
                                     "actor, action, from_stage, to_stage, reason, "
                                     "policy_version, payload, role, recorded) VALUES(?, ?, ?, ?, "
                                     "?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                     e);
    if (!st)
        return -1;
    const char *v[] = {station, time, actor, action, from, to, reason, version, payload, role};
    for (int i = 0; i < 10; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sws_errorf(e, "cannot record the workflow event: %s", sqlite3_errmsg(db));
    if (id)
        *id = sqlite3_last_insert_rowid(db);
    return 0;
}

int sws_workflow_unit(sws_host *h, const char *station, char unit[7], sws_error *e)
{
    sqlite3_stmt *st = sws_host_stmt(h, NULL, "SELECT unit_code FROM township WHERE code = ?", e);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0);
    snprintf(unit, 7, "%.6s", found ? (const char *)sqlite3_column_text(st, 0) : station);
    sqlite3_reset(st);
    return 0;
}

static const char *date_or_today(const char *as_of, char buf[11])
{
    if (as_of)
        return as_of;
    sws_today(buf);
    return buf;
}

int sws_workflow_start(sws_host *h, const char *station, const char *actor, const char *role,
                       const char *as_of, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    char today[11], county[7], initial[64], need[32];
    const char *when = date_or_today(as_of, today);
    if (check_effective(station, when, NULL, e) < 0)
        return -1;
    instance in;
    int found = sws_workflow_instance(h, station, &in, e);
    if (found < 0)
        return -1;
    if (found)
        return sws_errorf(e, "the workflow of station %s was started on %s (stage '%s')",
                          station, in.started, in.stage);
    if (sws_workflow_unit(h, station, county, e) < 0)
        return -1;
    sws_policy p;
    if (sws_policy_load(h, county, &p, e) < 0)
        return -1;
    int rc = -1;
    if (sws_policy_initial(&p, initial, sizeof initial) < 0) {
        sws_errorf(e, "%s has no workflow.initial stage", p.file);
        goto done;
    }
    if (check_role(&p, station, initial, role, need, sizeof need, e) < 0)
        goto done;
    if (sws_db_exec(db, "BEGIN IMMEDIATE", e) < 0)
        goto done;
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "INSERT INTO workflow_instance(station_code, policy_name, "
                           "policy_version, stage, started, updated) VALUES(?, ?, ?, ?, ?, ?)",
                       &st, e) < 0)
        goto rollback;
    const char *v[] = {station, p.name, p.version, initial, when, when};
    for (int i = 0; i < 6; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step != SQLITE_DONE) {
        sws_errorf(e, "cannot start the workflow of %s: %s", station,
                   step == SQLITE_CONSTRAINT_FOREIGNKEY ? "no such township"
                                                       : sqlite3_errmsg(db));
        goto rollback;
    }
    if (add_event(h, station, when, actor, role, "start", NULL, initial, NULL, p.version, NULL,
                  NULL, e) < 0)
        goto rollback;
    rc = sws_db_exec(db, "COMMIT", e);
    goto done;
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
done:
    sws_policy_release(&p);
    return rc;
}

/* ---- advance -------------------------------------------------------------- */

typedef struct opened {
    sws_host *h;
    sqlite3 *db;
    const char *station, *when;
    sqlite3_int64 event;
    sws_error *e;
    int failed;
} opened;

static void open_deadline(const char *what, int months, const char *met_by, void *ud)
{
    opened *o = ud;
    sqlite3_stmt *st = o->failed ? NULL
                     : sws_host_stmt(o->h, NULL, "INSERT INTO deadline(station_code, what, due, "
                                     "opened_by, met_by) VALUES(?, ?, date(?, ?), ?, ?)", o->e);
    if (!st) {
        o->failed = 1;
        return;
    }
    char offset[32];
    snprintf(offset, sizeof offset, "+%d months", months);
    sqlite3_bind_text(st, 1, o->station, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, what, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, o->when, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, offset, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, o->event);
    if (met_by)
        sqlite3_bind_text(st, 6, met_by, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sws_errorf(o->e, "cannot open deadline '%s': %s", what, sqlite3_errmsg(o->db));
        o->failed = 1;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static char *guard_payload(const sws_guard_result *g, int n)
{
    cJSON *root = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(root, "guards");
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "guard", g[i].name);
        cJSON_AddBoolToObject(o, "ok", g[i].ok);
        if (!g[i].ok)
            cJSON_AddStringToObject(o, "reasons", g[i].reasons);
        cJSON_AddItemToArray(list, o);
    }
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

/* Pushes the payload of the workflow events. */
static void push_move(lua_State *L, const sws_wf_move *m, const char *from, const char *when)
{
    lua_createtable(L, 0, 6);
    lua_pushstring(L, m->station);
    lua_setfield(L, -2, "station");
    lua_pushstring(L, from);
    lua_setfield(L, -2, "from");
    lua_pushstring(L, m->to);
    lua_setfield(L, -2, "to");
    lua_pushstring(L, m->actor);
    lua_setfield(L, -2, "actor");
    if (m->reason) {
        lua_pushstring(L, m->reason);
        lua_setfield(L, -2, "reason");
    }
    lua_pushstring(L, when);
    lua_setfield(L, -2, "date");
}

static int record_refusal(sws_host *h, const sws_wf_move *m, const char *from, const char *when,
                          const char *reasons, const char *version, sws_error *e)
{
    sqlite3_stmt *st = sws_host_stmt(h, NULL, "INSERT INTO workflow_rejection(station_code, "
                                     "time, actor, from_stage, to_stage, reasons, "
                                     "policy_version) VALUES(?, ?, ?, ?, ?, ?, ?)", e);
    if (!st)
        return -1;
    const char *v[] = {m->station, when, m->actor, from, m->to, reasons, version};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sws_errorf(e, "%s", sqlite3_errmsg(sws_host_db(h)));
}

/* Runs one cached statement with text parameters; 0, or -1 with e. */
static int run(sws_host *h, const char *sql, sws_error *e, int n, ...)
{
    sqlite3_stmt *st = sws_host_stmt(h, NULL, sql, e);
    if (!st)
        return -1;
    va_list ap;
    va_start(ap, n);
    for (int i = 1; i <= n; i++)
        sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_STATIC);
    va_end(ap);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : sws_errorf(e, "%s", sqlite3_errmsg(sws_host_db(h)));
}

/* Says what an advance would do: each guard's answer, then the move or the
 * refusal with its reasons. */
static void print_dry_run(const sws_wf_move *m, const char *from, const sws_policy *p,
                          const sws_guard_result *g, int ng, const char *reasons)
{
    fprintf(m->report, "dry run: nothing is written\n");
    if (!ng)
        fprintf(m->report, "  no guard for entering '%s' (%s)\n", m->to, p->file);
    for (int i = 0; i < ng; i++)
        fprintf(m->report, "  guard '%s' (%s): %s%s\n", g[i].name, g[i].where,
                g[i].ok ? "passes" : "fails: ", g[i].ok ? "" : g[i].reasons);
    if (reasons[0])
        fprintf(m->report, "station %s would stay at '%s': moving to '%s' would be refused\n"
                "%s\n", m->station, from, m->to, reasons);
    else
        fprintf(m->report, "station %s would move: %s → %s (%s, policy %s %s)\n", m->station,
                from, m->to, m->actor, p->name, p->version);
}

/*
 * The whole advance — reading the stage, the guards, and the change or the
 * refusal — is one write transaction, its lock taken up front (BEGIN
 * IMMEDIATE, waiting for other writers): the guards see the data that the
 * change is made on, and nothing moves the station in between. Inside a
 * script's own transaction it is a savepoint of that transaction.
 */
int sws_workflow_advance(sws_host *h, const sws_wf_move *m, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    char today[11], allowed[512], need[32];
    const char *when = date_or_today(m->as_of, today), *role = m->role;
    int commits = 0;
    if (m->dry_run) /* not even a plugin that commits can write in a dry run */
        sws_db_refuse_commits(db, &commits);
    int began = sws_db_begin_write(db, "sws_advance", e);
    if (began < 0) {
        sws_db_refuse_commits(db, NULL);
        return -1;
    }
    instance in;
    sws_policy p = {.ref = LUA_NOREF};
    int rc = -1, found = sws_workflow_instance(h, m->station, &in, e);
    char *payload = NULL;
    if (found <= 0) {
        if (found == 0)
            sws_errorf(e, "station %s has no workflow yet (start it with `sws workflow start %s "
                       "--actor NAME`)", m->station, m->station);
        goto rollback;
    }
    if (sws_policy_load(h, in.policy, &p, e) < 0)
        goto rollback;
    if (strcmp(p.version, in.version) != 0) {
        sws_errorf(e, "station %s is pinned to policy %s version %s, but %s is now version %s: "
                   "run `sws workflow migrate --to-version %s` first", m->station, in.policy,
                   in.version, p.file, p.version, p.version);
        goto rollback;
    }
    if (!sws_policy_has_stage(&p, m->to)) {
        sws_errorf(e, "policy %s has no stage '%s'", p.file, m->to);
        goto rollback;
    }
    if (!sws_policy_can_move(&p, in.stage, m->to, allowed, sizeof allowed)) {
        sws_errorf(e, "station %s is at '%s', which moves on to %s, not to '%s' (%s)",
                   m->station, in.stage, allowed[0] ? allowed : "no other stage", m->to, p.file);
        goto rollback;
    }
    if (check_effective(m->station, when, in.started, e) < 0 ||
        check_role(&p, m->station, m->to, role, need, sizeof need, e) < 0)
        goto rollback;

    sws_guard_result g[MAX_GUARDS];
    int saved_as_of = sws_host_set_as_of(h, when); /* sws.date.today() in guards */
    int ng = sws_policy_run_guards(&p, m->station, in.stage, m->to, m->actor, when, g,
                                   MAX_GUARDS, e);
    sws_host_restore_as_of(h, saved_as_of);
    if (ng < 0)
        goto rollback;
    char reasons[4096] = "", veto[1024] = "";
    for (int i = 0; i < ng; i++)
        if (!g[i].ok) {
            size_t used = strlen(reasons);
            snprintf(reasons + used, sizeof reasons - used, "%sguard '%s' (%s): %s",
                     used ? "\n" : "", g[i].name, g[i].where, g[i].reasons);
        }
    if (!reasons[0] && sws_lapi_has_handlers(h, "workflow.before_transition")) {
        push_move(sws_host_lua(h), m, in.stage, when);
        if (sws_lapi_emit(h, "workflow.before_transition", NULL, veto, sizeof veto))
            snprintf(reasons, sizeof reasons, "vetoed by plugin %s", veto);
    }
    if (m->dry_run) {
        if (m->report)
            print_dry_run(m, in.stage, &p, g, ng, reasons);
        rc = reasons[0] ? SWS_WF_REFUSED : SWS_WF_MOVED;
        /* rolled back whole when it began the transaction */
        sws_db_end_write(db, "sws_advance", began, 0, NULL);
        goto done;
    }
    if (reasons[0]) {
        if (m->report)
            fprintf(m->report, "station %s stays at '%s': moving to '%s' was refused\n%s\n",
                    m->station, in.stage, m->to, reasons);
        if (record_refusal(h, m, in.stage, when, reasons, p.version, e) < 0 ||
            sws_db_end_write(db, "sws_advance", began, 1, e) < 0)
            goto done;
        rc = SWS_WF_REFUSED;
        goto done;
    }

    payload = guard_payload(g, ng);
    opened o = {.h = h, .db = db, .station = m->station, .when = when, .e = e};
    if (run(h, "UPDATE workflow_instance SET stage = ?, updated = ? WHERE station_code = ?", e,
            3, m->to, when, m->station) < 0 ||
        add_event(h, m->station, when, m->actor, role, "advance", in.stage, m->to, m->reason,
                  p.version, payload, &o.event, e) < 0 ||
        run(h, "UPDATE deadline SET met = ? WHERE station_code = ? AND met IS NULL "
               "AND met_by = ?", e, 3, when, m->station, m->to) < 0)
        goto rollback;
    sws_policy_deadlines(&p, m->to, open_deadline, &o);
    if (o.failed)
        goto rollback;
    if (sws_db_end_write(db, "sws_advance", began, 1, e) < 0)
        goto done;
    if (m->report && !m->quiet)
        fprintf(m->report, "station %s: %s → %s (%s, policy %s %s)\n", m->station, in.stage,
                m->to, m->actor, p.name, p.version);
    if (sws_lapi_has_handlers(h, "workflow.transitioned")) {
        push_move(sws_host_lua(h), m, in.stage, when);
        sws_lapi_emit(h, "workflow.transitioned", NULL, NULL, 0);
    }
    rc = SWS_WF_MOVED;
    goto done;
rollback:
    sws_db_end_write(db, "sws_advance", began, 0, e);
done:
    if (m->dry_run) {
        sws_db_refuse_commits(db, NULL);
        if (commits && rc >= 0)
            rc = sws_errorf(e, "a plugin tried to commit during the dry run; every write was "
                            "refused");
    }
    free(payload);
    sws_policy_release(&p);
    return rc;
}

/* ---- looking ---------------------------------------------------------------- */

int sws_workflow_status(sws_host *h, const char *station, const char *county, const char *as_of,
                        FILE *out, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    char today[11];
    const char *when = date_or_today(as_of, today);
    sqlite3_stmt *st, *dl;
    if (sws_db_prepare(db, "SELECT w.station_code, coalesce(s.name, t.name), w.stage, w.updated, "
                           "w.policy_name, w.policy_version FROM workflow_instance w "
                           "JOIN township t ON t.code = w.station_code "
                           "LEFT JOIN station s ON s.code = w.station_code "
                           "WHERE (?1 IS NULL OR w.station_code = ?1) "
                           "AND (?2 IS NULL OR t.unit_code = ?2) ORDER BY w.station_code",
                       &st, e) < 0)
        return -1;
    if (sws_db_prepare(db, "SELECT what, due, due < ? FROM deadline WHERE station_code = ? "
                           "AND met IS NULL ORDER BY due", &dl, e) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, county, -1, SQLITE_STATIC);
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        fprintf(out, "%s  ", sqlite3_column_text(st, 0));
        sws_fput_padded(out, (const char *)sqlite3_column_text(st, 1), 26);
        fprintf(out, " %-18s since %s  (policy %s %s)\n", sqlite3_column_text(st, 2),
                sqlite3_column_text(st, 3), sqlite3_column_text(st, 4),
                sqlite3_column_text(st, 5));
        sqlite3_bind_text(dl, 1, when, -1, SQLITE_STATIC);
        sqlite3_bind_text(dl, 2, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(dl) == SQLITE_ROW)
            fprintf(out, "      %s due %s%s\n", sqlite3_column_text(dl, 0),
                    sqlite3_column_text(dl, 1), sqlite3_column_int(dl, 2) ? "  OVERDUE" : "");
        sqlite3_reset(dl);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(dl);
    if (!rows)
        return sws_errorf(e, "no workflow found for %s", station ? station : county);
    return 0;
}

int sws_workflow_pipeline(sws_host *h, const char *county, const char *as_of, FILE *out,
                          sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    char today[11];
    const char *when = date_or_today(as_of, today);
    sqlite3_stmt *st = NULL, *dl = NULL;
    int rc = -1;
    if (sws_db_prepare(db, "SELECT t.county_code, coalesce(c.name, ''), w.stage, count(*) "
                           "FROM workflow_instance w JOIN township t ON t.code = w.station_code "
                           "LEFT JOIN county c ON c.code = t.county_code "
                           "WHERE ?1 IS NULL OR t.county_code = ?1 "
                           "GROUP BY 1, 3 ORDER BY 1, (SELECT min(v.id) FROM workflow_event v "
                           "WHERE v.to_stage = w.stage), 3", &st, e) < 0 ||
        sws_db_prepare(db, "SELECT d.station_code, coalesce(s.name, t.name), d.what, d.due "
                           "FROM deadline d JOIN township t ON t.code = d.station_code "
                           "LEFT JOIN station s ON s.code = d.station_code "
                           "WHERE d.met IS NULL AND d.due < ?2 "
                           "AND (?1 IS NULL OR t.county_code = ?1) ORDER BY d.due, 1", &dl, e) < 0)
        goto done;
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    fprintf(out, "pipeline: stations per stage%s%s (deadlines judged on %s)\n",
            county ? " in " : " per county", county ? county : "", when);
    char current[16] = "";
    long in_county = 0, total = 0;
    int counties = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        long n = sqlite3_column_int64(st, 3);
        if (strcmp(code, current) != 0) {
            if (current[0])
                fprintf(out, "  (%ld %s)\n", in_county,
                        sws_plural(in_county, "station", "stations"));
            snprintf(current, sizeof current, "%s", code);
            fprintf(out, "%s ", code);
            sws_fput_padded(out, (const char *)sqlite3_column_text(st, 1), 10);
            in_county = 0;
            counties++;
        }
        fprintf(out, "  %s %ld", sqlite3_column_text(st, 2), n);
        in_county += n;
        total += n;
    }
    if (!counties) {
        sws_errorf(e, "no workflow found%s%s (start one with `sws workflow start STATION`)",
                   county ? " in " : "", county ? county : "");
        goto done;
    }
    fprintf(out, "  (%ld %s)\n", in_county, sws_plural(in_county, "station", "stations"));
    if (counties > 1)
        fprintf(out, "%ld %s in %d counties\n", total, sws_plural(total, "station", "stations"),
                counties);
    sqlite3_bind_text(dl, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_text(dl, 2, when, -1, SQLITE_STATIC);
    int overdue = 0;
    while (sqlite3_step(dl) == SQLITE_ROW) {
        if (!overdue++)
            fprintf(out, "\noverdue deadlines:\n");
        fprintf(out, "  %s ", sqlite3_column_text(dl, 0));
        sws_fput_padded(out, (const char *)sqlite3_column_text(dl, 1), 26);
        fprintf(out, " %s due %s\n", sqlite3_column_text(dl, 2), sqlite3_column_text(dl, 3));
    }
    if (!overdue)
        fprintf(out, "\nno overdue deadline\n");
    rc = 0;
done:
    sqlite3_finalize(st);
    sqlite3_finalize(dl);
    return rc;
}

int sws_workflow_history(sws_host *h, const char *station, FILE *out, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT time, actor || coalesce(' (' || role || ')', ''), action, "
                           "coalesce(from_stage, '-'), to_stage, "
                           "coalesce(reason, ''), policy_version, 0 AS refused FROM workflow_event "
                           "WHERE station_code = ?1 UNION ALL "
                           "SELECT time, actor, 'refused', from_stage, to_stage, reasons, "
                           "policy_version, 1 FROM workflow_rejection WHERE station_code = ?1 "
                           "ORDER BY 1, 8", &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    int rows = 0;
    fprintf(out, "%-10s  %-8s %-24s %-18s %-18s %-8s %s\n", "date", "action", "actor (role)",
            "from", "to", "policy", "reason");
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        fprintf(out, "%-10.10s  %-8s ", sqlite3_column_text(st, 0), sqlite3_column_text(st, 2));
        sws_fput_padded(out, (const char *)sqlite3_column_text(st, 1), 24);
        fprintf(out, " %-18s %-18s %-8s %s\n", sqlite3_column_text(st, 3),
                sqlite3_column_text(st, 4), sqlite3_column_text(st, 6),
                sqlite3_column_text(st, 5));
    }
    sqlite3_finalize(st);
    if (!rows)
        return sws_errorf(e, "station %s has no workflow history", station);
    return 0;
}

typedef struct drawing { FILE *out; int mermaid; } drawing;

static void draw_edge(const char *from, const char *to, const char *fl, const char *tl, void *ud)
{
    drawing *d = ud;
    if (d->mermaid)
        fprintf(d->out, "  %s[\"%s\"] --> %s[\"%s\"]\n", from, fl, to, tl);
    else
        fprintf(d->out, "  \"%s\" [label=\"%s\\n%s\"];\n  \"%s\" -> \"%s\";\n", from, fl, from,
                from, to);
}

int sws_workflow_graph(sws_host *h, const char *county, const char *format, FILE *out,
                       sws_error *e)
{
    sws_policy p;
    if (sws_policy_load(h, county, &p, e) < 0)
        return -1;
    drawing d = {out, strcmp(format, "mermaid") == 0};
    if (d.mermaid)
        fprintf(out, "%%%% workflow of %s (%s version %s)\nflowchart LR\n", county, p.file,
                p.version);
    else
        fprintf(out, "// workflow of %s (%s version %s)\ndigraph \"%s\" {\n  rankdir=LR;\n",
                county, p.file, p.version, county);
    sws_policy_each_transition(&p, draw_edge, &d);
    if (!d.mermaid)
        fprintf(out, "}\n");
    sws_policy_release(&p);
    return 0;
}

/* ---- migrate ---------------------------------------------------------------- */

static const char *mapped(const char *stage, char *const *maps, int n, char *buf, size_t len)
{
    size_t sl = strlen(stage);
    for (int i = 0; i < n; i++)
        if (strncmp(maps[i], stage, sl) == 0 && maps[i][sl] == '=') {
            snprintf(buf, len, "%s", maps[i] + sl + 1);
            return buf;
        }
    return NULL;
}

int sws_workflow_migrate(sws_host *h, const char *county, const char *version,
                         char *const *maps, int nmaps, int dry_run, const char *actor, FILE *out,
                         sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT w.station_code, w.policy_name, w.policy_version, w.stage "
                           "FROM workflow_instance w JOIN township t ON t.code = w.station_code "
                           "WHERE (?1 IS NULL OR t.unit_code = ?1) AND w.policy_version <> ?2 "
                           "ORDER BY w.station_code", &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, version, -1, SQLITE_STATIC);
    int refused = 0, moved = 0, rc = 0;
    char today[11];
    const char *when = date_or_today(NULL, today);
    if (!dry_run && sws_db_exec(db, "BEGIN IMMEDIATE", e) < 0) {
        sqlite3_finalize(st);
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        char station[16], name[64], old[64], stage[64], buf[64];
        snprintf(station, sizeof station, "%s", sqlite3_column_text(st, 0));
        snprintf(name, sizeof name, "%s", sqlite3_column_text(st, 1));
        snprintf(old, sizeof old, "%s", sqlite3_column_text(st, 2));
        snprintf(stage, sizeof stage, "%s", sqlite3_column_text(st, 3));
        sws_policy p;
        if (sws_policy_load(h, name, &p, e) < 0) {
            rc = -1;
            break;
        }
        if (strcmp(p.version, version) != 0) {
            fprintf(out, "%s: policy %s is version %s, not %s: left as it is\n", station, p.file,
                    p.version, version);
            sws_policy_release(&p);
            refused++;
            continue;
        }
        const char *target = sws_policy_has_stage(&p, stage) ? stage
                           : mapped(stage, maps, nmaps, buf, sizeof buf);
        if (!target || !sws_policy_has_stage(&p, target)) {
            fprintf(out, "%s: stage '%s' no longer exists in %s %s%s%s: refused (map it with "
                    "--map %s=STAGE)\n", station, stage, p.file, version,
                    target ? " and the mapped stage does not either: " : "",
                    target ? target : "", stage);
            refused++;
        } else {
            fprintf(out, "%s: %s %s '%s' -> %s '%s'%s\n", station, name, old, stage, version,
                    target, dry_run ? " (dry run)" : "");
            if (!dry_run) {
                char sql[512], reason[160];
                sqlite3_snprintf(sizeof sql, sql, "UPDATE workflow_instance SET policy_version = "
                                 "%Q, stage = %Q, updated = %Q WHERE station_code = %Q", version,
                                 target, when, station);
                snprintf(reason, sizeof reason, "policy %s %s -> %s", name, old, version);
                if (sws_db_exec(db, sql, e) < 0 ||
                    add_event(h, station, when, actor, NULL, "migrate", stage, target, reason,
                              version, NULL, NULL, e) < 0) {
                    sws_policy_release(&p);
                    rc = -1;
                    break;
                }
            }
            moved++;
        }
        sws_policy_release(&p);
    }
    sqlite3_finalize(st);
    if (!dry_run) {
        if (rc < 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        if (sws_db_exec(db, "COMMIT", e) < 0)
            return -1;
    }
    if (rc < 0)
        return -1;
    fprintf(out, "%d %s %s, %d refused\n", moved, sws_plural(moved, "instance", "instances"),
            dry_run ? "would move" : "moved", refused);
    return refused;
}
