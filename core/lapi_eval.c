/*
 * lapi_eval.c — sws.eval for scripts:
 *
 *   sws.eval.score(station, year [, phase [, as_of]]) -> result table
 *
 * scores the station's city and returns the station's result (read-only;
 * for scripts, plugins and tests — a policy may not call it). The
 * evaluation's own calls into the indicator tree are eval_lua.c.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "host.h"

/* Pushes the result of station s: see docs/lua-api.md (sws.eval). */
static void push_station(lua_State *L, const sws_eval_run *r, const sws_ev_station *s)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    lua_createtable(L, 0, 24);
    sws_set_str(L, "station", s->code);
    sws_set_str(L, "name", s->name);
    sws_set_str(L, "county", s->county);
    sws_set_str(L, "county_name", s->county_name);
    sws_set_int(L, "year", r->year);
    sws_set_str(L, "phase", r->phase);
    sws_set_str(L, "from", r->from);
    sws_set_str(L, "to", r->to);
    sws_set_str(L, "policy", pl->policy);
    sws_set_str(L, "version", pl->version);
    sws_set_num(L, "total", s->total);
    sws_set_num(L, "dimensions_total", s->base);
    sws_set_num(L, "bonus", s->bonus);
    sws_set_str(L, "grade", s->grade);
    sws_set_int(L, "stars", s->stars);
    sws_set_bool(L, "vetoed", s->vetoed);
    sws_set_int(L, "rank_county", s->rank_county);
    sws_set_int(L, "rank_city", s->rank_city);
    sws_set_int(L, "stations_county", s->n_county);
    sws_set_int(L, "stations_city", s->n_city);
    sws_set_bool(L, "complete", s->findings == 0);
    lua_newtable(L); /* dimensions */
    for (int d = 0; d < pl->ndims; d++) {
        lua_createtable(L, 0, 6);
        sws_set_str(L, "code", pl->dims[d].code);
        sws_set_str(L, "name", pl->dims[d].name);
        sws_set_num(L, "weight", pl->dims[d].weight);
        sws_set_num(L, "points", pl->dims[d].points);
        sws_set_num(L, "earned", s->dim_earned[d]);
        sws_set_num(L, "score", s->dim_score[d]);
        lua_setfield(L, -2, pl->dims[d].key);
    }
    lua_setfield(L, -2, "dimensions");
    lua_newtable(L); /* items by code */
    lua_newtable(L); /* veto: codes triggered */
    lua_newtable(L); /* missing: "code assessor" */
    int items = lua_gettop(L) - 2, veto = items + 1, missing = items + 2;
    for (int i = 0; i < pl->nitems; i++) {
        const sws_ev_item *it = &pl->items[i];
        const sws_ev_result *res = &s->res[i];
        lua_createtable(L, 0, 8);
        sws_set_str(L, "name", it->name);
        sws_set_str(L, "type", it->type);
        sws_set_str(L, "kind", it->kind == SWS_EV_ITEM ? "item" : it->kind == SWS_EV_BONUS ? "bonus"
                                                                                    : "veto");
        sws_set_num(L, "points", it->points);
        sws_set_num(L, "earned", res->earned);
        sws_set_str(L, "why", res->why);
        sws_set_str(L, "error", res->error);
        lua_newtable(L);
        for (int a = 0; a < SWS_EV_ASSESSORS; a++)
            if (res->have & (1u << a))
                sws_set_num(L, sws_ev_assessor_names[a], res->given->score[a]);
        lua_setfield(L, -2, "scores");
        lua_setfield(L, items, it->code);
        if (it->kind == SWS_EV_VETO && res->earned > 0) {
            lua_pushstring(L, it->code);
            lua_rawseti(L, veto, (lua_Integer)lua_rawlen(L, veto) + 1);
        }
        for (int a = 0; a < SWS_EV_ASSESSORS; a++)
            if (res->missing & (1u << a)) {
                lua_pushfstring(L, "%s %s", it->code, sws_ev_assessor_names[a]);
                lua_rawseti(L, missing, (lua_Integer)lua_rawlen(L, missing) + 1);
            }
    }
    lua_setfield(L, items - 1, "missing");
    lua_setfield(L, items - 1, "veto");
    lua_setfield(L, items - 1, "items");
    lua_newtable(L); /* findings other than missing scores */
    for (int f = 0; f < r->nfindings; f++) {
        const sws_ev_finding *fd = &r->findings[f];
        if (&r->st[fd->station] == s && fd->msg) {
            lua_pushstring(L, fd->msg);
            lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
        }
    }
    lua_setfield(L, -2, "findings");
}

/* pcall-ed: (run, code) -> the station's result table. */
static int push_result(lua_State *L)
{
    sws_eval_run *r = lua_touserdata(L, 1);
    const char *code = lua_tostring(L, 2);
    push_station(L, r, sws_eval_find(r, code));
    return 1;
}

/* Pushes the results of every station the run scored (its whole city), by code. */
static int push_results(lua_State *L)
{
    sws_eval_run *r = lua_touserdata(L, 1);
    lua_createtable(L, r->n, 0);
    for (int i = 0; i < r->n; i++) {
        push_station(L, r, &r->st[i]);
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

/* Runs the evaluation of o and pushes one result (station) or the list of
 * results (county or city) — the body of sws.eval.score and scores. */
static int score_scope(lua_State *L, const char *fname, sws_eval_opts *o, int one)
{
    sws_host *h = sws_host_from_lua(L);
    const char *plugin;
    sws_caller was = sws_host_current_caller(h, &plugin);
    if (was == SWS_CALLER_POLICY)
        return luaL_error(L, "%s: a policy may not run an evaluation", fname);
    if (!sws_host_db(h))
        return luaL_error(L, "%s: no database is open", fname);
    sws_eval_run r;
    sws_error e;
    /* The run and its results as Lua tables are the core's work, off the
     * caller's CPU-time budget (a city's results are thousands of tables). */
    sws_host_swap_caller(h, SWS_CALLER_CORE);
    int rc = sws_eval_run_new(h, o, &r, &e);
    int status = LUA_OK;
    if (rc == 0) {
        /* built under a pcall so that the run is freed even when memory runs out */
        lua_pushcfunction(L, one ? push_result : push_results);
        lua_pushlightuserdata(L, &r);
        lua_pushstring(L, o->station);
        status = lua_pcall(L, 2, 1, 0);
    }
    sws_eval_free(&r);
    sws_host_swap_caller(h, was);
    sws_host_set_plugin(h, plugin);
    if (rc < 0)
        return luaL_error(L, "%s: %s", fname, e.msg);
    if (status != LUA_OK)
        return lua_error(L);
    return 1;
}

/** sws.eval.score(station, year [, phase [, as_of]]) -> result */
static int l_score(lua_State *L)
{
    sws_eval_opts o = {.station = luaL_checkstring(L, 1), .year = (int)luaL_checkinteger(L, 2),
                       .phase = luaL_optstring(L, 3, "final"),
                       .as_of = luaL_optstring(L, 4, NULL)};
    return score_scope(L, "sws.eval.score", &o, 1);
}

/** sws.eval.scores(county, year [, phase [, as_of]]) -> {result, …}: every station of
 * the city of the county (nil: of every city), in station order, from one run */
static int l_scores(lua_State *L)
{
    sws_eval_opts o = {.county = luaL_optstring(L, 1, NULL), .year = (int)luaL_checkinteger(L, 2),
                       .phase = luaL_optstring(L, 3, "final"),
                       .as_of = luaL_optstring(L, 4, NULL)};
    return score_scope(L, "sws.eval.scores", &o, 0);
}

void sws_lapi_open_eval(lua_State *L)
{
    static const luaL_Reg fns[] = {{"score", l_score}, {"scores", l_scores}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
