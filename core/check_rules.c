/*
 * check_rules.c — running the compliance rules: the bridge from the check to
 * the rules in Lua (core/lua/rules.lua and the plugins' sws.rule), collecting
 * their findings in place order.
 */
#include "check.h"

#include <lauxlib.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chores_policy.h"
#include "db.h"
#include "grow.h"
#include "mask.h"
#include "plugin.h"
#include "plugin_scope.h"
#include "policy.h"
#include "workers.h"

/* Findings per rule id, over every check this host ran (`sws policy test`
 * reports the rules no test made fire). */
static const char KEY_FIRED = 'f';

/* Pushes the registry table at key, made empty the first time. */
static void push_registry_table(lua_State *L, const void *key)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, key);
    }
}

static void count_fired(lua_State *L, const sws_check_result *r)
{
    push_registry_table(L, &KEY_FIRED);
    for (int i = 0; i < r->n; i++) {
        lua_getfield(L, -1, r->findings[i].rule);
        lua_Integer n = lua_tointeger(L, -1) + 1;
        lua_pop(L, 1);
        lua_pushinteger(L, n);
        lua_setfield(L, -2, r->findings[i].rule);
    }
    lua_pop(L, 1);
}

/* The findings of plugin rules since the host began or last forgot them,
 * as lines (at most PLUGIN_NOTES): `sws test` names the plugin behind a
 * finding a failed test did not expect. */
static const char KEY_PLUGIN_FOUND = 'p';
#define PLUGIN_NOTES 50

static void note_plugin_findings(lua_State *L, const sws_check_result *r)
{
    push_registry_table(L, &KEY_PLUGIN_FOUND);
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
        if (!f->plugin || n >= PLUGIN_NOTES)
            continue;
        lua_pushfstring(L, "rule '%s' of plugin %s (%s) at %s: %s", f->rule, f->plugin,
                        f->layer ? f->layer : "?", f->station ? f->station : f->county,
                        f->message ? f->message : "");
        lua_rawseti(L, -2, n + 1);
    }
    lua_pop(L, 1);
}

void sws_check_each_plugin_finding(sws_host *h, void (*fn)(const char *line, void *ud), void *ud)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_PLUGIN_FOUND);
    int list = lua_gettop(L);
    for (lua_Integer i = 1; lua_istable(L, list) && lua_rawgeti(L, list, i) == LUA_TSTRING; i++) {
        fn(lua_tostring(L, -1), ud);
        lua_pop(L, 1);
    }
    lua_settop(L, list - 1);
}

void sws_check_forget_plugin_findings(sws_host *h)
{
    lua_State *L = sws_host_lua(h);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_PLUGIN_FOUND);
}

long sws_check_fired(sws_host *h, const char *rule)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_FIRED);
    long n = 0;
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, rule);
        n = (long)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

/* Runs the rule at the top of the stack (a table with id and run) on ctx. */
static void run_rule(sws_host *h, int ctx, sws_caller caller, sws_check_result *r)
{
    lua_State *L = sws_host_lua(h);
    int rule = lua_gettop(L);
    lua_pushvalue(L, rule);
    lua_setfield(L, ctx, "rule");
    lua_getfield(L, rule, "id");
    char doing[160], owner[64] = "";
    snprintf(doing, sizeof doing, "rule '%s'", lua_tostring(L, -1));
    lua_pop(L, 1);
    if (caller == SWS_CALLER_PLUGIN) {
        lua_getfield(L, rule, "owner");
        snprintf(owner, sizeof owner, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    sws_error e;
    lua_getfield(L, rule, "run");
    lua_pushvalue(L, ctx);
    if (owner[0] && sws_plugin_scope_push(L, owner)) {
        /* a plugin with counties sees only theirs: a view of ctx */
        int set = lua_gettop(L);
        sws_policy_push_lib(L, "rules", "view");
        lua_pushvalue(L, ctx);
        lua_pushvalue(L, set);
        if (sws_host_call(h, 2, 1, SWS_CALLER_POLICY, NULL, "scoping a plugin rule", &e) < 0) {
            fprintf(stderr, "sws check: plugin %s: %s\n", owner, e.msg);
            r->rule_errors++;
            lua_settop(L, rule - 1);
            return;
        }
        lua_replace(L, set - 1); /* the view takes ctx's place */
        lua_settop(L, set - 1);
    }
    if (sws_host_call(h, 1, 0, caller, owner[0] ? owner : NULL, doing, &e) < 0) {
        fprintf(stderr, "sws check: %s%s%s%s\n", owner[0] ? "plugin " : "", owner[0] ? owner : "",
                owner[0] ? ": " : "", e.msg);
        r->rule_errors++;
    }
    lua_settop(L, rule - 1);
}

/* The text fields of a finding, for the loops that free, write and read them all. */
static const size_t finding_fields[] = {
    offsetof(sws_finding, rule), offsetof(sws_finding, severity), offsetof(sws_finding, station),
    offsetof(sws_finding, name), offsetof(sws_finding, county), offsetof(sws_finding, message),
    offsetof(sws_finding, actual), offsetof(sws_finding, required), offsetof(sws_finding, layer),
    offsetof(sws_finding, plugin)};
#define NFIELDS (sizeof finding_fields / sizeof finding_fields[0])
#define FIELD(x, k) (*(char **)((char *)(x) + finding_fields[k]))

static char *field(lua_State *L, int t, const char *name)
{
    lua_getfield(L, t, name);
    char *s = lua_isstring(L, -1) ? strdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    if (s)
        sws_mask_in_place(s); /* a finding never shows a full ID or mobile number */
    return s;
}

int sws_check_severity_rank(const char *s)
{
    return !s ? 0 : strcmp(s, "violation") == 0 ? 3 : strcmp(s, "warning") == 0 ? 2 : 1;
}

static int cmp_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int by_place(const void *pa, const void *pb)
{
    const sws_finding *a = pa, *b = pb;
    int c = cmp_str(a->county, b->county);
    if (!c)
        c = cmp_str(a->station, b->station);
    if (!c)
        c = sws_check_severity_rank(b->severity) - sws_check_severity_rank(a->severity);
    if (!c)
        c = cmp_str(a->rule, b->rule);
    return c;
}

/* Collects the findings of ctx (at the top of the stack) into r. 0, or -1
 * out of memory. */
static int collect(lua_State *L, int ctx, sws_check_result *r)
{
    lua_getfield(L, ctx, "findings");
    int n = (int)lua_rawlen(L, -1);
    sws_finding *grown = realloc(r->findings, (size_t)(r->n + n + 1) * sizeof *grown);
    if (!grown) {
        lua_pop(L, 1);
        return -1;
    }
    r->findings = grown;
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        int f = lua_gettop(L);
        sws_finding *x = &r->findings[r->n++];
        x->rule = field(L, f, "rule");
        x->severity = field(L, f, "severity");
        x->station = field(L, f, "station");
        x->name = field(L, f, "name");
        x->county = field(L, f, "county");
        x->message = field(L, f, "message");
        x->actual = field(L, f, "actual");
        x->required = field(L, f, "required");
        x->layer = field(L, f, "layer");
        x->plugin = field(L, f, "plugin");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return 0;
}

/* The county policies that failed to load, gathered over the chunks so
 * that each is reported once. */
typedef struct {
    struct broken_county {
        char county[8];
        char *error;
    } *v;
    int n, cap;
} broken_list;

/* Adds county (with its error) to b unless it is there. 0, or -1 out of memory. */
static int add_broken(broken_list *b, const char *county, const char *error)
{
    for (int k = 0; k < b->n; k++)
        if (strcmp(b->v[k].county, county) == 0)
            return 0;
    char *copy = strdup(error ? error : "");
    if (!copy || sws_grow(&b->v, &b->cap, b->n, sizeof *b->v) < 0) {
        free(copy);
        return -1;
    }
    snprintf(b->v[b->n].county, sizeof b->v->county, "%s", county);
    b->v[b->n++].error = copy;
    return 0;
}

/* Adds the broken counties of ctx to b, each county once. 0, or -1 out of memory. */
static int gather_broken(lua_State *L, int ctx, broken_list *b)
{
    int rc = 0;
    lua_getfield(L, ctx, "broken");
    for (lua_Integer i = 1; rc == 0 && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
        lua_getfield(L, -1, "county");
        lua_getfield(L, -2, "error");
        const char *county = lua_tostring(L, -2), *error = lua_tostring(L, -1);
        if (county)
            rc = add_broken(b, county, error);
        lua_pop(L, 3);
    }
    lua_pop(L, 2);
    return rc;
}

static int by_county(const void *a, const void *b)
{
    return strcmp(((const struct broken_county *)a)->county,
                  ((const struct broken_county *)b)->county);
}

/* Reports each broken county once (loud: it counts as a rule error), in the
 * order of the codes whichever process found them, then frees b. */
static void report_broken(broken_list *b, sws_check_result *r)
{
    if (b->n)
        qsort(b->v, (size_t)b->n, sizeof *b->v, by_county);
    for (int k = 0; k < b->n; k++) {
        char msg[1200];
        snprintf(msg, sizeof msg, "sws: the policy of county %s failed to load, so its stations "
                 "were not checked: %s\n", b->v[k].county, b->v[k].error);
        sws_mask_in_place(msg);
        fputs(msg, stderr);
        if (r)
            r->rule_errors++;
        free(b->v[k].error);
    }
    free(b->v);
    memset(b, 0, sizeof *b);
}

/* Runs the built-in rules (plugins 0) or the plugins' rules (1) over the
 * stations from `first` to `last` (whole counties), adding to r and the
 * counties whose policy failed to load to broken; `first_chunk` is 1 for
 * the first chunk of the run (the rules on counties without a station
 * range, the counties' annual reports, judge every county there, once);
 * `run` is the registry reference of the table the run's chunks share in
 * this process (ctx.run), or LUA_NOREF. 0, or -1 with e when the rules
 * cannot be set up. */
static int check_chunk(sws_host *h, const sws_check_opts *o, const char *first,
                       const char *last, int first_chunk, int run, int plugins, sws_check_result *r,
                       broken_list *broken, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    sws_policy_push_lib(L, "rules", "context");
    lua_createtable(L, 0, 6);
    if (o->county) {
        lua_pushstring(L, o->county);
        lua_setfield(L, -2, "county");
    }
    if (o->station) {
        lua_pushstring(L, o->station);
        lua_setfield(L, -2, "station");
    }
    lua_pushstring(L, first);
    lua_setfield(L, -2, "first");
    lua_pushstring(L, last);
    lua_setfield(L, -2, "last");
    lua_pushinteger(L, o->year);
    lua_setfield(L, -2, "year");
    lua_pushstring(L, o->as_of);
    lua_setfield(L, -2, "as_of");
    lua_pushboolean(L, first_chunk);
    lua_setfield(L, -2, "first_chunk");
    if (run != LUA_NOREF) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, run);
        lua_setfield(L, -2, "run");
    }
    int saved_as_of = sws_host_set_as_of(h, o->as_of); /* sws.date.today() in the rules */
    if (sws_host_call(h, 1, 1, SWS_CALLER_POLICY, NULL, "setting up the compliance check",
                      e) < 0) {
        sws_host_restore_as_of(h, saved_as_of);
        return -1;
    }
    int ctx = lua_gettop(L);
    if (!plugins) {
        lua_getfield(L, ctx, "stations");
        r->stations += (int)lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    if (plugins)
        sws_plugin_push_rules(h);
    else
        sws_policy_push_lib(L, "rules", "builtin");
    int list = lua_gettop(L);
    for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TTABLE; i++)
        run_rule(h, ctx, plugins ? SWS_CALLER_PLUGIN : SWS_CALLER_POLICY, r);
    sws_host_restore_as_of(h, saved_as_of);
    lua_settop(L, list - 1);
    /* the counties whose policy failed to load: the context's, and those a
     * rule met (the annual reports judge every county) */
    int rc = plugins ? 0 : gather_broken(L, ctx, broken);
    if (rc == 0)
        rc = collect(L, ctx, r);
    lua_settop(L, top);
    return rc < 0 ? sws_errorf(e, "out of memory") : 0;
}

/* Stations per chunk: each rule runs once per chunk, under its own budget,
 * so a rule's work (and the host's memory) follows the chunk, not the
 * scope. Chunks are whole counties (the hub rule counts per county). A
 * chunk of 500 keeps the Lua heap small enough to be reused rather than
 * grown: 30 % fewer page faults nationally than 2,000 (bench/README.md). */
#define CHUNK_STATIONS 500

/* The chunks of a run: the first and the last station code of each. */
typedef struct chunk_list {
    struct chunk {
        char first[10], last[10];
    } *v;
    int n, cap;
} chunk_list;

/* The chunks of the stations from lo to hi. 0, or -1 with e. */
static int plan_chunks(sqlite3 *db, const char *lo, const char *hi, chunk_list *c, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT substr(code, 1, 6) AS county, count(*), min(code), max(code) "
                       "FROM station WHERE code BETWEEN ?1 AND ?2 GROUP BY county ORDER BY county",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int in_chunk = 0, rc = 0, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!in_chunk) {
            if (sws_grow(&c->v, &c->cap, c->n, sizeof *c->v) < 0) {
                rc = sws_errorf(e, "out of memory");
                break;
            }
            snprintf(c->v[c->n++].first, sizeof c->v->first, "%s",
                     (const char *)sqlite3_column_text(st, 2));
        }
        snprintf(c->v[c->n - 1].last, sizeof c->v->last, "%s",
                 (const char *)sqlite3_column_text(st, 3));
        in_chunk += sqlite3_column_int(st, 1);
        if (in_chunk >= CHUNK_STATIONS)
            in_chunk = 0;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = sws_errorf(e, "%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

/* A worker's findings, the stations it checked, its rule errors and the
 * counties whose policy failed to load. */
static void put_result(const sws_check_result *r, const broken_list *b, FILE *out)
{
    sws_workers_put_int(out, r->stations);
    sws_workers_put_int(out, r->rule_errors);
    sws_workers_put_int(out, r->n);
    for (int i = 0; i < r->n; i++)
        for (size_t k = 0; k < NFIELDS; k++)
            sws_workers_put_str(out, FIELD(&r->findings[i], k));
    sws_workers_put_int(out, b->n);
    for (int k = 0; k < b->n; k++) {
        sws_workers_put_str(out, b->v[k].county);
        sws_workers_put_str(out, b->v[k].error);
    }
}

typedef struct run_state {
    sws_check_result *r;
    broken_list *broken;
} run_state;

/* Adds what put_result wrote to the run's result. */
static int get_result(FILE *in, void *ud, sws_error *e)
{
    run_state *s = ud;
    sws_check_result *r = s->r;
    long long stations, errors, n, nb;
    if (sws_workers_get_int(in, &stations) < 0 || sws_workers_get_int(in, &errors) < 0 ||
        sws_workers_get_int(in, &n) < 0 || n < 0 || n > INT_MAX - r->n - 1)
        return sws_errorf(e, "the results of a worker process are cut short");
    sws_finding *grown = realloc(r->findings, (size_t)(r->n + n + 1) * sizeof *grown);
    if (!grown)
        return sws_errorf(e, "out of memory");
    r->findings = grown;
    r->stations += (int)stations;
    r->rule_errors += (int)errors;
    for (long long i = 0; i < n; i++) {
        sws_finding *x = &r->findings[r->n++];
        memset(x, 0, sizeof *x);
        for (size_t k = 0; k < NFIELDS; k++)
            if (sws_workers_get_str(in, &FIELD(x, k)) < 0)
                return sws_errorf(e, "the results of a worker process are cut short");
    }
    if (sws_workers_get_int(in, &nb) < 0)
        return sws_errorf(e, "the results of a worker process are cut short");
    for (long long k = 0; k < nb; k++) {
        char *county, *error;
        int rc = -1;
        if (sws_workers_get_str(in, &county) == 0 && sws_workers_get_str(in, &error) == 0) {
            rc = county ? add_broken(s->broken, county, error) : 0;
            free(error);
        }
        free(county);
        if (rc < 0)
            return sws_errorf(e, "the results of a worker process are cut short");
    }
    return 0;
}

/* The built-in rules over every chunk, shared among the worker processes,
 * in one read transaction: every chunk sees the same data. 0, or -1 with e. */
static int check_builtin(sws_host *h, const sws_check_opts *o, const chunk_list *c,
                         sws_check_result *r, broken_list *broken, sws_error *e)
{
    sws_workers *w = sws_workers_start(sws_host_db(h), o->jobs, c->n, e);
    if (!w)
        return -1;
    if (sws_host_options(h)->verbose && !sws_workers_out(w)) {
        char line[96];
        sws_workers_describe(w, line, sizeof line);
        sws_host_log(h, "DEBUG", "check", line);
    }
    /* what a rule reads once for the whole run (its station range), each
     * process for its chunks: ctx.run */
    lua_State *L = sws_host_lua(h);
    lua_createtable(L, 0, 3);
    if (c->n > 0) {
        lua_pushstring(L, c->v[0].first);
        lua_setfield(L, -2, "first");
        lua_pushstring(L, c->v[c->n - 1].last);
        lua_setfield(L, -2, "last");
    }
    int run = luaL_ref(L, LUA_REGISTRYINDEX);
    int k, rc = 0;
    while (rc == 0 && (k = sws_workers_next(w)) >= 0)
        rc = check_chunk(h, o, c->v[k].first, c->v[k].last, k == 0, run, 0, r, broken, e);
    luaL_unref(L, LUA_REGISTRYINDEX, run);
    FILE *out = sws_workers_out(w);
    if (out) {
        if (rc == 0)
            put_result(r, broken, out);
        sws_workers_exit(w, rc < 0 ? e->msg : NULL);
    }
    run_state s = {r, broken};
    if (rc < 0) {
        sws_error ignored;
        sws_workers_stop(w);
        sws_workers_finish(w, get_result, &s, &ignored);
        return -1;
    }
    return sws_workers_finish(w, get_result, &s, e);
}

/* The plugins' rules over every chunk, in this process: a plugin's rule
 * may keep state of its own between chunks or write its own tables. */
static int check_plugins(sws_host *h, const sws_check_opts *o, const chunk_list *c,
                         sws_check_result *r, broken_list *broken, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    sws_plugin_push_rules(h);
    int any = lua_istable(L, -1) && lua_rawlen(L, -1) > 0;
    lua_pop(L, 1);
    for (int k = 0; any && k < c->n; k++)
        if (check_chunk(h, o, c->v[k].first, c->v[k].last, k == 0, LUA_NOREF, 1, r, broken, e) < 0)
            return -1;
    return 0;
}

int sws_check_run(sws_host *h, const sws_check_opts *o, sws_check_result *r, sws_error *e)
{
    memset(r, 0, sizeof *r);
    /* records written outside the import, or a changed chore pattern */
    if (sws_chores_sync(h, stderr, e) < 0)
        return -1;
    sqlite3 *db = sws_host_db(h);
    if (sqlite3_exec(db, "SAVEPOINT sws_check", NULL, NULL, NULL) != SQLITE_OK)
        return sws_errorf(e, "%s", sqlite3_errmsg(db));
    char lo[10], hi[10];
    int rc = 0;
    if (o->station) {
        snprintf(lo, sizeof lo, "%s", o->station);
        snprintf(hi, sizeof hi, "%s", o->station);
    } else if (o->county) {
        /* an administering unit: a county, or a zone whose townships lie
         * inside NBS counties; the rules keep only its own stations */
        sqlite3_stmt *u;
        rc = sws_db_prepare(db, "SELECT min(s.code), max(s.code) FROM station s "
                            "JOIN township t ON t.code = s.code WHERE t.unit_code = ?1", &u, e);
        if (rc == 0) {
            sqlite3_bind_text(u, 1, o->county, -1, SQLITE_STATIC);
            int found = sqlite3_step(u) == SQLITE_ROW && sqlite3_column_type(u, 0) != SQLITE_NULL;
            snprintf(lo, sizeof lo, "%s", found ? (const char *)sqlite3_column_text(u, 0) : "-");
            snprintf(hi, sizeof hi, "%s", found ? (const char *)sqlite3_column_text(u, 1) : "-");
            sqlite3_finalize(u);
        }
    } else {
        snprintf(lo, sizeof lo, "000000000");
        snprintf(hi, sizeof hi, "999999999");
    }
    chunk_list chunks = {0};
    broken_list broken = {0};
    if (rc == 0)
        rc = plan_chunks(db, lo, hi, &chunks, e);
    /* many counties read each page about once (db.h); a city keeps its cache */
    long long cache = rc == 0 && chunks.n > 1 ? sws_db_reading_cache(db) : 0;
    if (rc == 0)
        rc = check_builtin(h, o, &chunks, r, &broken, e);
    if (sqlite3_exec(db, rc < 0 ? "ROLLBACK TO sws_check; RELEASE sws_check" : "RELEASE sws_check",
                     NULL, NULL, NULL) != SQLITE_OK && rc == 0)
        rc = sws_errorf(e, "%s", sqlite3_errmsg(db));
    sws_db_restore_cache(db, cache);
    if (rc == 0)
        rc = check_plugins(h, o, &chunks, r, &broken, e);
    free(chunks.v);
    if (rc < 0) {
        report_broken(&broken, NULL);
        sws_check_free(r);
        return -1;
    }
    int any_broken = broken.n > 0;
    report_broken(&broken, r);
    if (!r->stations && any_broken) {
        sws_check_free(r);
        return sws_errorf(e, "no station could be checked: a county policy failed to load");
    }
    if (!r->stations) {
        sws_check_free(r);
        return sws_errorf(e, "no station to check in %s", o->station ? o->station
                                                        : o->county ? o->county : "the database");
    }
    if (r->n)
        qsort(r->findings, (size_t)r->n, sizeof *r->findings, by_place);
    count_fired(sws_host_lua(h), r);
    note_plugin_findings(sws_host_lua(h), r);
    return 0;
}

int sws_check_summary(sws_host *h, const sws_check_opts *o, const char *fn, char **json,
                      char **line, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    *json = *line = NULL;
    sws_policy_push_lib(L, "rules", fn);
    lua_createtable(L, 0, 4);
    lua_pushinteger(L, o->year);
    lua_setfield(L, -2, "year");
    const char *keys[] = {"county", "station", "as_of"};
    const char *vals[] = {o->county, o->station, o->as_of};
    for (int k = 0; k < 3; k++)
        if (vals[k]) {
            lua_pushstring(L, vals[k]);
            lua_setfield(L, -2, keys[k]);
        }
    if (sws_host_call(h, 1, 2, SWS_CALLER_POLICY, NULL, fn, e) < 0) {
        lua_settop(L, top);
        return -1;
    }
    *json = strdup(lua_tostring(L, -2));
    *line = strdup(lua_tostring(L, -1));
    lua_settop(L, top);
    if (!*json || !*line) {
        free(*json);
        free(*line);
        *json = *line = NULL;
        return sws_errorf(e, "out of memory");
    }
    return 0;
}

void sws_check_free(sws_check_result *r)
{
    for (int i = 0; i < r->n; i++)
        for (size_t k = 0; k < NFIELDS; k++)
            free(FIELD(&r->findings[i], k));
    free(r->findings);
    memset(r, 0, sizeof *r);
}

void sws_check_each_rule(sws_host *h, void (*fn)(const char *, const char *, const char *, void *),
                         void *ud)
{
    lua_State *L = sws_host_lua(h);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0)
            sws_policy_push_lib(L, "rules", "builtin");
        else
            sws_plugin_push_rules(h);
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
            lua_getfield(L, -1, "id");
            lua_getfield(L, -2, "severity");
            lua_getfield(L, -3, "doc");
            fn(lua_tostring(L, -3), lua_tostring(L, -2), lua_tostring(L, -1), ud);
            lua_pop(L, 4);
        }
        lua_pop(L, 2);
    }
}
