/*
 * lapi_check.c — sws.check: the compliance check for scripts and plugins;
 * sws.coverage: the coverage of the city's targets, computed by the rules
 * (check.h).
 *
 *   local r = sws.check{county = "330302", year = 2022, as_of = "2022-12-31"}
 *   -- r.stations, r.findings = { {rule, severity, station, county, message,
 *   --                             actual, required, layer, plugin}, … }
 *   -- (plugin: the plugin whose rule found it; absent for the core's rules)
 *
 * The same run as `sws check`: each rule under its own budget and rights.
 * A policy may not call it (its rules run inside it).
 */
#include "lapi.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "date.h"
#include "host.h"

static const char *opt_string(lua_State *L, const char *name)
{
    lua_getfield(L, 1, name);
    const char *s = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL; /* kept on the stack */
    return s;
}

/** sws.check{county =, station =, year =, as_of =} -> {stations = n, findings = {...}} */
static int l_check(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    if (sws_host_current_caller(h, NULL) == SWS_CALLER_POLICY)
        return luaL_error(L, "sws.check: a policy may not run the compliance check");
    if (!sws_host_db(h))
        return luaL_error(L, "sws.check: no database is open");
    if (lua_isnoneornil(L, 1)) {
        lua_newtable(L);
        lua_replace(L, 1);
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    char today[11];
    sws_check_opts o = {.county = opt_string(L, "county"), .station = opt_string(L, "station"),
                        .as_of = opt_string(L, "as_of")};
    if (!o.as_of) {
        sws_today(today);
        o.as_of = today;
    }
    lua_getfield(L, 1, "year");
    o.year = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : atoi(o.as_of);
    sws_check_result r;
    sws_error e;
    /* the check's own reading transaction is the core's; each rule is its
     * own call, with its own rights */
    const char *plugin;
    sws_caller was = sws_host_current_caller(h, &plugin);
    sws_host_swap_caller(h, SWS_CALLER_CORE);
    int rc = sws_check_run(h, &o, &r, &e);
    sws_host_swap_caller(h, was);
    sws_host_set_plugin(h, plugin);
    if (rc < 0)
        return luaL_error(L, "sws.check: %s", e.msg);
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, r.stations);
    lua_setfield(L, -2, "stations");
    lua_pushinteger(L, r.rule_errors);
    lua_setfield(L, -2, "rule_errors");
    lua_createtable(L, r.n, 0);
    for (int i = 0; i < r.n; i++) {
        const sws_finding *f = &r.findings[i];
        const char *keys[] = {"rule", "severity", "station", "name", "county", "message",
                              "actual", "required", "layer", "plugin"};
        const char *vals[] = {f->rule, f->severity, f->station, f->name, f->county, f->message,
                              f->actual, f->required, f->layer, f->plugin};
        lua_createtable(L, 0, 10);
        for (int k = 0; k < 10; k++)
            if (vals[k]) {
                lua_pushstring(L, vals[k]);
                lua_setfield(L, -2, keys[k]);
            }
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "findings");
    sws_check_free(&r);
    return 1;
}

/** sws.coverage([code [, as_of]]) -> the coverage of the city's targets and
 * its text line: rules.coverage (check.h, docs/checks.md) for the unit of
 * code (a unit's 6-digit code, or a station's 9-digit code), or for every
 * unit; on as_of, else the run's as-of date (sws.date.today()). */
static int l_coverage(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *code = luaL_optstring(L, 1, NULL);
    const char *as_of = luaL_optstring(L, 2, NULL);
    if (!sws_host_db(h))
        return luaL_error(L, "sws.coverage: no database is open");
    size_t n = code ? strlen(code) : 0;
    if (code && ((n != 6 && n != 9) || strspn(code, "0123456789") != n))
        return luaL_error(L, "sws.coverage: '%s' is neither a unit's 6-digit code nor a "
                             "station's 9-digit code", code);
    char today[11], why[80];
    sws_ymd ymd;
    if (!as_of) {
        sws_host_as_of(h, today); /* the run's date (--as-of) */
        as_of = today;
    }
    if (sws_date_parse(as_of, strlen(as_of), &ymd, why, sizeof why))
        return luaL_error(L, "sws.coverage: as_of '%s' is not a date YYYY-MM-DD (%s)", as_of, why);
    sws_check_opts o = {.county = n == 6 ? code : NULL, .station = n == 9 ? code : NULL,
                        .year = ymd.y, .as_of = as_of};
    char *json, *line;
    sws_error e;
    if (sws_check_summary(h, &o, "coverage", &json, &line, &e) < 0)
        return luaL_error(L, "sws.coverage: %s", e.msg);
    cJSON *cov = cJSON_Parse(json);
    free(json);
    if (!cov) {
        free(line);
        return luaL_error(L, "sws.coverage: out of memory");
    }
    sws_lapi_push_json(L, cov);
    cJSON_Delete(cov);
    lua_pushstring(L, line);
    free(line);
    return 2;
}

void sws_lapi_open_check(lua_State *L, int sws_table)
{
    lua_pushcfunction(L, l_coverage);
    lua_setfield(L, sws_table, "coverage");
    lua_pushcfunction(L, l_check);
    lua_setfield(L, sws_table, "check");
}
