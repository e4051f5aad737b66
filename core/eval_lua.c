/*
 * eval_lua.c — the evaluation's calls into Lua (the bridge of evaluate.c).
 *
 * The evaluator (evaluate.c) never touches the Lua stack: it asks these
 * functions for a policy's plan (read from core/lua/indicators.lua's plain
 * tables into C structs) and for the computed items of each station, which
 * run as policy code (read-only database, the policy instruction budget per
 * call: one call per aggregate query; the stations of a chunk in one call,
 * each station with a budget of its own), and emits
 * evaluation.scored through them.
 */
#include "evaluate.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "host.h"
#include "luatab.h"
#include "policy.h"

/* ---- reading plain tables ----------------------------------------------------- */

/* t[k] copied into the run's memory, or NULL when it is not a string. */
static const char *str_field(sws_eval_run *r, lua_State *L, int t, const char *k)
{
    lua_getfield(L, t, k);
    const char *s = lua_type(L, -1) == LUA_TSTRING ? sws_ev_strdup(r, lua_tostring(L, -1)) : NULL;
    lua_pop(L, 1);
    return s;
}

/* t[k] as a number (0 when it is not one). */
static double num_field(lua_State *L, int t, const char *k)
{
    lua_getfield(L, t, k);
    double v = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Pushes the list t[k] and returns room for its *n elements of `size` bytes. */
static void *table_array(sws_eval_run *r, lua_State *L, int t, const char *k, size_t size, int *n)
{
    lua_getfield(L, t, k);
    *n = lua_istable(L, -1) ? (int)lua_rawlen(L, -1) : 0;
    return sws_ev_alloc(r, (size_t)(*n ? *n : 1) * size);
}

/* Never NULL. */
static const char *text(const char *s) { return s ? s : ""; }

/* One entry of the plan (the table at t) into it. */
static void read_item(sws_eval_run *r, lua_State *L, int t, sws_ev_item *it)
{
    static const char *const kinds[] = {"item", "bonus", "veto"};
    it->code = text(str_field(r, L, t, "code"));
    it->name = text(str_field(r, L, t, "name"));
    it->type = text(str_field(r, L, t, "type"));
    it->evidence = str_field(r, L, t, "evidence");
    const char *kind = str_field(r, L, t, "kind");
    it->kind = SWS_EV_ITEM;
    for (int k = 0; k < 3; k++)
        if (kind && strcmp(kind, kinds[k]) == 0)
            it->kind = k;
    lua_getfield(L, t, "dim");
    it->dim = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) - 1 : -1;
    lua_pop(L, 1);
    it->ind_code = text(str_field(r, L, t, "ind_code"));
    it->ind_name = text(str_field(r, L, t, "ind_name"));
    it->ind_points = num_field(L, t, "ind_points");
    it->points = num_field(L, t, "points");
    lua_getfield(L, t, "assessors");
    for (lua_Integer i = 1; lua_istable(L, -1) && lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
        for (int a = 0; a < SWS_EV_ASSESSORS; a++)
            if (strcmp(lua_tostring(L, -1), sws_ev_assessor_names[a]) == 0)
                it->assessors |= 1u << a;
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    it->levels = table_array(r, L, t, "levels", sizeof *it->levels, &it->nlevels);
    for (int l = 0; it->levels && l < it->nlevels; l++) {
        lua_rawgeti(L, -1, l + 1);
        it->levels[l].score = num_field(L, lua_gettop(L), "score");
        it->levels[l].label = text(str_field(r, L, lua_gettop(L), "label"));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* The grade or star bands t[k]. */
static void read_bands(sws_eval_run *r, lua_State *L, int t, const char *k, sws_ev_band **out,
                       int *n)
{
    *out = table_array(r, L, t, k, sizeof **out, n);
    for (int i = 0; *out && i < *n; i++) {
        lua_rawgeti(L, -1, i + 1);
        int b = lua_gettop(L);
        (*out)[i].name = text(str_field(r, L, b, "name"));
        (*out)[i].min = num_field(L, b, "min");
        (*out)[i].stars = (int)num_field(L, b, "stars");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

int sws_eval_lua_plan(sws_eval_run *r, sws_policy *p, sws_ev_plan *out, sws_error *e)
{
    lua_State *L = sws_host_lua(r->h);
    int top = lua_gettop(L);
    memset(out, 0, sizeof *out);
    sws_policy_push_lib(L, "indicators", "plan");
    if (!lua_isfunction(L, -1)) {
        lua_settop(L, top);
        return sws_errorf(e, "the built-in indicators module is missing");
    }
    sws_policy_push(p);
    lua_pushstring(L, r->phase);
    if (sws_host_call(r->h, 2, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
        return sws_error_prefix(e, "reading the indicators of %s", p->file);
    int t = lua_gettop(L);
    out->policy = sws_ev_strdup(r, p->name);
    out->version = sws_ev_strdup(r, p->version);
    out->file = sws_ev_strdup(r, p->file);
    out->bonus_max = num_field(L, t, "bonus_max");
    out->dims = table_array(r, L, t, "dims", sizeof *out->dims, &out->ndims);
    for (int d = 0; out->dims && d < out->ndims; d++) {
        lua_rawgeti(L, -1, d + 1);
        int x = lua_gettop(L);
        out->dims[d].key = text(str_field(r, L, x, "key"));
        out->dims[d].code = text(str_field(r, L, x, "code"));
        out->dims[d].name = text(str_field(r, L, x, "name"));
        out->dims[d].weight = num_field(L, x, "weight");
        out->dims[d].tree_points = num_field(L, x, "tree_points");
        out->dims[d].points = num_field(L, x, "points");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    out->items = table_array(r, L, t, "items", sizeof *out->items, &out->nitems);
    for (int i = 0; out->items && i < out->nitems; i++) {
        lua_rawgeti(L, -1, i + 1);
        read_item(r, L, lua_gettop(L), &out->items[i]);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    read_bands(r, L, t, "grades", &out->grades, &out->ngrades);
    read_bands(r, L, t, "stars", &out->stars, &out->nstars);
    lua_getfield(L, t, "weights");
    for (int a = 0; a < SWS_EV_ASSESSORS; a++)
        out->weights[a] = lua_istable(L, -1) ? num_field(L, lua_gettop(L), sws_ev_assessor_names[a])
                                             : 0;
    lua_settop(L, top);
    if (!out->dims || !out->items || !out->grades || !out->stars)
        return sws_errorf(e, "out of memory");
    return 0;
}

/* ---- the session ---------------------------------------------------------------- */

int sws_eval_lua_begin(sws_eval_run *r, int first, int count, sws_error *e)
{
    lua_State *L = sws_host_lua(r->h);
    sws_policy_push_lib(L, "indicators", "session");
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, r->year);
    lua_setfield(L, -2, "year");
    lua_pushstring(L, r->phase);
    lua_setfield(L, -2, "phase");
    lua_pushstring(L, r->from);
    lua_setfield(L, -2, "from");
    lua_pushstring(L, r->to);
    lua_setfield(L, -2, "to");
    lua_pushnumber(L, r->share);
    lua_setfield(L, -2, "share");
    lua_pushboolean(L, r->keep_whys);
    lua_setfield(L, -2, "explain");
    lua_createtable(L, count, 0);
    for (int i = 0; i < count; i++) {
        lua_pushstring(L, r->st[first + i].code);
        lua_rawseti(L, -2, i + 1);
    }
    if (sws_host_call(r->h, 2, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
        return sws_error_prefix(e, "starting the evaluation");
    r->session = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

void sws_eval_lua_end(sws_eval_run *r)
{
    if (r->h && r->session != LUA_NOREF && r->session != LUA_REFNIL)
        luaL_unref(sws_host_lua(r->h), LUA_REGISTRYINDEX, r->session);
    r->session = LUA_NOREF;
}

int sws_eval_lua_aggregates(sws_eval_run *r, sws_policy *p, sws_error *e)
{
    lua_State *L = sws_host_lua(r->h);
    sws_policy_push_lib(L, "indicators", "prepare");
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
    sws_policy_push(p);
    if (sws_host_call(r->h, 2, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
        return sws_error_prefix(e, "%s", p->file);
    lua_Integer pending = lua_tointeger(L, -1);
    lua_pop(L, 1);
    /* one call per query, each under its own budget */
    for (lua_Integer i = 0; i < pending; i++) {
        sws_policy_push_lib(L, "indicators", "load");
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
        if (sws_host_call(r->h, 1, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
            return sws_error_prefix(e, "%s", p->file);
        int more = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (!more)
            break;
    }
    return 0;
}

/* What the calls of a chunk's run share with its two C functions. */
typedef struct chunk_run {
    sws_eval_run *r;
    int first, count; /* the chunk's stations in r->st */
    int current;      /* the station running now (its place in the chunk, 1-based), or 0 */
    void (*on_station)(void *);
    void *ud;
} chunk_run;

/* begin(i): station i of the chunk begins, with a budget of its own; its
 * computed entries are "not computed" until put says otherwise. */
static int chunk_begin(lua_State *L)
{
    chunk_run *c = lua_touserdata(L, lua_upvalueindex(1));
    lua_Integer i = luaL_checkinteger(L, 1);
    luaL_argcheck(L, i >= 1 && i <= c->count, 1, "no such station in the chunk");
    c->current = (int)i;
    sws_host_renew_budget(c->r->h);
    sws_ev_station *s = &c->r->st[c->first + i - 1];
    const sws_ev_plan *pl = &c->r->plans[s->plan];
    for (int k = 0; k < pl->nitems; k++)
        if (!pl->items[k].assessors)
            s->res[k] = (sws_ev_result){.error = "it was not computed"};
    if (c->on_station)
        c->on_station(c->ud);
    return 0;
}

/* put(i, k, points, why, error): entry k (0-based, in the plan) of station
 * i earned points (a number), with why (anything tostring takes), or failed
 * with error. */
static int chunk_put(lua_State *L)
{
    chunk_run *c = lua_touserdata(L, lua_upvalueindex(1));
    lua_Integer i = luaL_checkinteger(L, 1), k = luaL_checkinteger(L, 2);
    luaL_argcheck(L, i >= 1 && i <= c->count, 1, "no such station in the chunk");
    sws_ev_station *s = &c->r->st[c->first + i - 1];
    const sws_ev_plan *pl = &c->r->plans[s->plan];
    luaL_argcheck(L, k >= 0 && k < pl->nitems && !pl->items[k].assessors, 2, "no computed entry");
    sws_ev_result *res = &s->res[k];
    const char *error = lua_tostring(L, 5);
    if (error) {
        res->error = sws_ev_strdup(c->r, error);
        return 0;
    }
    res->error = lua_type(L, 3) == LUA_TNUMBER ? NULL : "it was not computed";
    res->earned = lua_tonumber(L, 3);
    /* tostring(why) only when it is kept: a judgment of sws.standards
     * makes its message when first asked */
    res->why = NULL;
    if (c->r->keep_whys && !lua_isnoneornil(L, 4)) {
        res->why = sws_ev_strdup(c->r, luaL_tolstring(L, 4, NULL));
        lua_pop(L, 1);
    }
    return 0;
}

/* A chunk's stations from place `from` (1-based) on, in one call. */
static int run_stations(sws_eval_run *r, chunk_run *c, int from, sws_error *e)
{
    lua_State *L = sws_host_lua(r->h);
    sws_policy_push_lib(L, "indicators", "stations");
    lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
    lua_createtable(L, 0, 6);
    lua_pushinteger(L, from);
    lua_setfield(L, -2, "from");
    /* each plan's policy, and its computed entries' places by code */
    lua_createtable(L, r->nplans, 0);
    lua_createtable(L, r->nplans, 0);
    for (int p = 0; p < r->nplans; p++) {
        sws_policy_push(&r->policies[p]);
        lua_rawseti(L, -3, p + 1);
        const sws_ev_plan *pl = &r->plans[p];
        lua_createtable(L, 0, pl->nitems);
        for (int k = 0; k < pl->nitems; k++)
            if (!pl->items[k].assessors) {
                lua_pushinteger(L, k);
                lua_setfield(L, -2, pl->items[k].code);
            }
        lua_rawseti(L, -2, p + 1);
    }
    lua_setfield(L, -3, "places");
    lua_setfield(L, -2, "policies");
    /* each station's plan (1-based) */
    lua_createtable(L, c->count, 0);
    for (int i = 0; i < c->count; i++) {
        lua_pushinteger(L, r->st[c->first + i].plan + 1);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setfield(L, -2, "plans");
    lua_pushlightuserdata(L, c);
    lua_pushcclosure(L, chunk_begin, 1);
    lua_setfield(L, -2, "begin");
    lua_pushlightuserdata(L, c);
    lua_pushcclosure(L, chunk_put, 1);
    lua_setfield(L, -2, "put");
    c->current = 0;
    return sws_host_call(r->h, 2, 0, SWS_CALLER_POLICY, NULL, NULL, e);
}

void sws_eval_lua_stations(sws_eval_run *r, int first, int count, void (*on_station)(void *),
                           void *ud)
{
    chunk_run c = {r, first, count, 0, on_station, ud};
    int from = 1;
    sws_error e;
    /* a station whose computation fails as a whole (its budget spent) has
     * the error on each computed entry; the chunk goes on after it */
    while (run_stations(r, &c, from, &e) < 0) {
        if (c.current == 0)
            c.current = from; /* failed before the first station began */
        sws_ev_station *s = &r->st[first + c.current - 1];
        const sws_ev_plan *pl = &r->plans[s->plan];
        lua_State *L = sws_host_lua(r->h);
        lua_rawgeti(L, LUA_REGISTRYINDEX, r->session);
        lua_getfield(L, -1, "item"); /* the item that was running, if one was */
        const char *item = lua_tostring(L, -1);
        char msg[sizeof e.msg + 96];
        snprintf(msg, sizeof msg, "the computed items of station %s: %s%s%s%s", s->code,
                 item ? "item " : "", item ? item : "", item ? ": " : "", e.msg);
        lua_pop(L, 2);
        const char *copy = sws_ev_strdup(r, msg);
        for (int k = 0; k < pl->nitems; k++)
            if (!pl->items[k].assessors)
                s->res[k] = (sws_ev_result){.error = copy ? copy : "out of memory"};
        if (c.current >= count)
            break;
        from = c.current + 1;
    }
}

/* ---- results as Lua tables --------------------------------------------------------- */

/* Setters of the table on top of the stack (set_str skips NULL). */
/* ---- the event ------------------------------------------------------------------ */

void sws_eval_lua_emit(sws_eval_run *r)
{
    if (!sws_lapi_has_handlers(r->h, "evaluation.scored"))
        return;
    lua_State *L = sws_host_lua(r->h);
    lua_createtable(L, 0, 8);
    sws_set_int(L, "year", r->year);
    sws_set_str(L, "phase", r->phase);
    sws_set_str(L, "from", r->from);
    sws_set_str(L, "to", r->to);
    if (r->scope[0])
        sws_set_str(L, "county", r->scope);
    sws_set_int(L, "stations", r->shown);
    lua_createtable(L, r->shown, 0);
    int k = 0;
    for (int i = 0; i < r->n; i++) {
        const sws_ev_station *s = &r->st[i];
        if (!s->shown)
            continue;
        lua_createtable(L, 0, 8);
        sws_set_str(L, "station", s->code);
        sws_set_num(L, "total", s->total);
        sws_set_str(L, "grade", s->grade);
        sws_set_int(L, "stars", s->stars);
        sws_set_bool(L, "vetoed", s->vetoed);
        sws_set_int(L, "rank_county", s->rank_county);
        sws_set_int(L, "rank_city", s->rank_city);
        sws_set_bool(L, "complete", s->findings == 0);
        lua_rawseti(L, -2, ++k);
    }
    lua_setfield(L, -2, "results");
    sws_lapi_emit(r->h, "evaluation.scored", NULL, NULL, 0);
}
