/* check.c — running the compliance rules and printing what they found. */
#include "check.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "plugin.h"
#include "policy.h"
#include "text.h"

/* Findings per rule id, over every check this host ran (`sws policy test`
 * reports the rules no test made fire). */
static const char KEY_FIRED = 'f';

static void count_fired(lua_State *L, const sws_check_result *r)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_FIRED);
    if (!lua_istable(L, -1)) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_FIRED);
    }
    for (int i = 0; i < r->n; i++) {
        lua_getfield(L, -1, r->findings[i].rule);
        lua_Integer n = lua_tointeger(L, -1) + 1;
        lua_pop(L, 1);
        lua_pushinteger(L, n);
        lua_setfield(L, -2, r->findings[i].rule);
    }
    lua_pop(L, 1);
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
    lua_getfield(L, rule, "run");
    lua_pushvalue(L, ctx);
    sws_error e;
    if (sws_host_call(h, 1, 0, caller, owner[0] ? owner : NULL, doing, &e) < 0) {
        fprintf(stderr, "sws check: %s%s%s\n", owner[0] ? "plugin " : "", owner[0] ? owner : "",
                e.msg);
        r->rule_errors++;
    }
    lua_settop(L, rule - 1);
}

static char *field(lua_State *L, int t, const char *name)
{
    lua_getfield(L, t, name);
    char *s = lua_isstring(L, -1) ? strdup(lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return s;
}

static int severity_rank(const char *s)
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
        c = severity_rank(b->severity) - severity_rank(a->severity);
    if (!c)
        c = cmp_str(a->rule, b->rule);
    return c;
}

int sws_check_run(sws_host *h, const sws_check_opts *o, sws_check_result *r, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    memset(r, 0, sizeof *r);
    sws_policy_push_lib(L, "rules", "context");
    lua_createtable(L, 0, 4);
    if (o->county) {
        lua_pushstring(L, o->county);
        lua_setfield(L, -2, "county");
    }
    if (o->station) {
        lua_pushstring(L, o->station);
        lua_setfield(L, -2, "station");
    }
    lua_pushinteger(L, o->year);
    lua_setfield(L, -2, "year");
    lua_pushstring(L, o->as_of);
    lua_setfield(L, -2, "as_of");
    if (sws_host_call(h, 1, 1, SWS_CALLER_POLICY, NULL, "setting up the compliance check",
                      e) < 0)
        return -1;
    int ctx = lua_gettop(L);
    lua_getfield(L, ctx, "stations");
    r->stations = (int)lua_rawlen(L, -1);
    lua_pop(L, 1);
    if (!r->stations) {
        lua_settop(L, top);
        return sws_errorf(e, "no station to check in %s", o->station ? o->station
                                                        : o->county ? o->county : "the database");
    }

    sws_policy_push_lib(L, "rules", "builtin");
    int list = lua_gettop(L);
    for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TTABLE; i++)
        run_rule(h, ctx, SWS_CALLER_POLICY, r);
    lua_settop(L, list - 1);
    sws_plugin_push_rules(h);
    list = lua_gettop(L);
    for (lua_Integer i = 1; lua_rawgeti(L, list, i) == LUA_TTABLE; i++)
        run_rule(h, ctx, SWS_CALLER_PLUGIN, r);
    lua_settop(L, list - 1);

    lua_getfield(L, ctx, "findings");
    int n = (int)lua_rawlen(L, -1);
    r->findings = calloc((size_t)(n ? n : 1), sizeof *r->findings);
    if (!r->findings) {
        lua_settop(L, top);
        return sws_errorf(e, "out of memory");
    }
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
        lua_pop(L, 1);
    }
    lua_settop(L, top);
    qsort(r->findings, (size_t)r->n, sizeof *r->findings, by_place);
    count_fired(L, r);
    return 0;
}

void sws_check_free(sws_check_result *r)
{
    for (int i = 0; i < r->n; i++) {
        sws_finding *x = &r->findings[i];
        char *all[] = {x->rule, x->severity, x->station, x->name, x->county, x->message,
                       x->actual, x->required, x->layer};
        for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
            free(all[k]);
    }
    free(r->findings);
    memset(r, 0, sizeof *r);
}

/* ---- coverage of the city's targets ------------------------------------- */

/* Stations needed, built and operating per county, and the city's targets:
 * 80 operating in 2021, every township that needs one in 2022. */
static cJSON *coverage(sws_host *h, const sws_check_opts *o, sws_error *e)
{
    static const char sql[] =
        "SELECT c.code, c.name,"
        " (SELECT count(*) FROM township t WHERE t.county_code = c.code AND t.kind <> 'special'),"
        " (SELECT count(*) FROM station s WHERE substr(s.code, 1, 6) = c.code),"
        " (SELECT count(*) FROM workflow_instance w WHERE substr(w.station_code, 1, 6) = c.code"
        "   AND w.stage IN ('operating', 'midterm', 'final_evaluation')),"
        " (SELECT count(DISTINCT station_code) FROM workflow_event v"
        "   WHERE substr(v.station_code, 1, 6) = c.code AND v.to_stage = 'operating'"
        "   AND v.time < '2022-01-01')"
        " FROM county c WHERE ?1 IS NULL OR c.code = ?1 ORDER BY c.code";
    sqlite3_stmt *st;
    if (sws_db_prepare(sws_host_db(h), sql, &st, e) < 0)
        return NULL;
    sqlite3_bind_text(st, 1, o->county ? o->county : o->station ? o->station : NULL,
                      o->county ? -1 : 6, SQLITE_TRANSIENT);
    cJSON *cov = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(cov, "counties");
    long tot[4] = {0, 0, 0, 0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "code", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(c, "name", (const char *)sqlite3_column_text(st, 1));
        static const char *const keys[] = {"need_station", "built", "operating",
                                           "operating_in_2021"};
        for (int k = 0; k < 4; k++) {
            cJSON_AddNumberToObject(c, keys[k], sqlite3_column_int(st, 2 + k));
            tot[k] += sqlite3_column_int(st, 2 + k);
        }
        cJSON_AddItemToArray(list, c);
    }
    sqlite3_finalize(st);
    cJSON *city = cJSON_AddObjectToObject(cov, "total");
    cJSON_AddNumberToObject(city, "need_station", (double)tot[0]);
    cJSON_AddNumberToObject(city, "built", (double)tot[1]);
    cJSON_AddNumberToObject(city, "operating", (double)tot[2]);
    cJSON_AddNumberToObject(city, "operating_in_2021", (double)tot[3]);
    cJSON *targets = cJSON_AddObjectToObject(cov, "targets");
    cJSON_AddNumberToObject(targets, "operating_in_2021", 80);
    cJSON_AddNumberToObject(targets, "operating_in_2022", (double)tot[0]);
    cJSON_AddBoolToObject(targets, "met_2021", tot[3] >= 80);
    cJSON_AddBoolToObject(targets, "met_2022", tot[2] >= tot[0] && tot[0] > 0);
    return cov;
}

/* ---- printing ------------------------------------------------------------- */

static void count(const sws_check_result *r, int *v, int *w, int *a, int *clean)
{
    *v = *w = *a = 0;
    int dirty = 0;
    const char *last = NULL;
    for (int i = 0; i < r->n; i++) {
        int s = severity_rank(r->findings[i].severity);
        *v += s == 3;
        *w += s == 2;
        *a += s == 1;
        if (r->findings[i].station && (!last || strcmp(last, r->findings[i].station) != 0)) {
            dirty++;
            last = r->findings[i].station;
        }
    }
    *clean = r->stations - dirty;
}

static void print_text(const sws_check_opts *o, const sws_check_result *r, FILE *out)
{
    const char *place = NULL;
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        const char *here = f->station ? f->station : f->county;
        if (!place || strcmp(place, here) != 0) {
            if (f->station)
                fprintf(out, "%s%s %s\n", place ? "\n" : "", f->station, f->name ? f->name : "");
            else
                fprintf(out, "%scounty %s\n", place ? "\n" : "", f->county);
            place = here;
        }
        fprintf(out, "  %-9s %-16s %s\n", f->severity, f->rule, f->message);
        fprintf(out, "  %-9s %-16s actual %s; required %s  (%s)\n", "", "",
                f->actual ? f->actual : "-", f->required ? f->required : "-", f->layer);
    }
    int v, w, a, clean;
    count(r, &v, &w, &a, &clean);
    fprintf(out, "%s%d stations checked (year %d, as of %s): %d violations, %d warnings, %d advice; "
            "%d stations without findings\n", r->n ? "\n" : "", r->stations, o->year, o->as_of, v,
            w, a, clean);
}

static void print_csv(const sws_check_result *r, FILE *out)
{
    fputs("rule,severity,county,station,name,message,actual,required,layer\n", out);
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        const char *v[] = {f->rule, f->severity, f->county, f->station, f->name, f->message,
                           f->actual, f->required, f->layer};
        for (int k = 0; k < 9; k++) {
            if (k)
                fputc(',', out);
            if (v[k])
                csv_fwrite(out, v[k], strlen(v[k]));
        }
        fputc('\n', out);
    }
}

int sws_check_print(sws_host *h, const sws_check_opts *o, const sws_check_result *r,
                    const char *format, FILE *out, sws_error *e)
{
    if (strcmp(format, "text") == 0) {
        print_text(o, r, out);
        cJSON *cov = coverage(h, o, e);
        if (!cov)
            return -1;
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(cov, "total");
        int need = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "need_station"));
        int built = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "built"));
        int operating = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "operating"));
        int in2021 = (int)cJSON_GetNumberValue(
            cJSON_GetObjectItemCaseSensitive(t, "operating_in_2021"));
        fprintf(out, "coverage: %d of %d townships that need one have a station, %d operating; "
                "%d reached operating in 2021 (city target 80%s)\n", built, need, operating,
                in2021, in2021 >= 80 ? ", met" : "");
        cJSON_Delete(cov);
        return 0;
    }
    if (strcmp(format, "csv") == 0) {
        print_csv(r, out);
        return 0;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "year", o->year);
    cJSON_AddStringToObject(root, "as_of", o->as_of);
    int v, w, a, clean;
    count(r, &v, &w, &a, &clean);
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(sum, "stations", r->stations);
    cJSON_AddNumberToObject(sum, "violations", v);
    cJSON_AddNumberToObject(sum, "warnings", w);
    cJSON_AddNumberToObject(sum, "advice", a);
    cJSON_AddNumberToObject(sum, "stations_without_findings", clean);
    cJSON *list = cJSON_AddArrayToObject(root, "findings");
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        cJSON *x = cJSON_CreateObject();
        const char *keys[] = {"rule", "severity", "county", "station", "name", "message",
                              "actual", "required", "layer"};
        const char *vals[] = {f->rule, f->severity, f->county, f->station, f->name, f->message,
                              f->actual, f->required, f->layer};
        for (int k = 0; k < 9; k++)
            if (vals[k])
                cJSON_AddStringToObject(x, keys[k], vals[k]);
        cJSON_AddItemToArray(list, x);
    }
    cJSON *cov = coverage(h, o, e);
    if (!cov) {
        cJSON_Delete(root);
        return -1;
    }
    cJSON_AddItemToObject(root, "coverage", cov);
    char *text = cJSON_Print(root);
    if (text)
        fprintf(out, "%s\n", text);
    free(text);
    cJSON_Delete(root);
    return 0;
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
