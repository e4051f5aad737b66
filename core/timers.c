/*
 * timers.c — the timers of a Lua state (see timers.h).
 *
 * The active timers live in a registry table of the state (id -> {fn,
 * owner, where, every}); the waiting belongs to the backend. A timer
 * remembers the plugin that created it, to run its callback under that
 * plugin's budget and rights, and the file:line that created it, to name it
 * when the callback fails.
 */
#include "timers.h"

#include <lauxlib.h>
#include <stdio.h>

static const char KEY_TIMERS = 't', KEY_BACKEND = 'k', KEY_NEXT_ID = 'n';
#define MAX_TIMERS 100000

/* The attached backend, or NULL. */
static const sws_timer_backend *backend_of(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_BACKEND);
    const sws_timer_backend *b = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return b;
}

/* Pushes the timers table (created on first use). */
static void push_timers(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_TIMERS) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_TIMERS);
    }
}

void sws_timers_attach(sws_host *h, const sws_timer_backend *b)
{
    lua_State *L = sws_host_lua(h);
    lua_pushlightuserdata(L, (void *)b);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_BACKEND);
}

lua_Integer sws_timers_add(lua_State *L, int fn, double seconds, int repeat, const char *fname)
{
    fn = lua_absindex(L, fn);
    const sws_timer_backend *b = backend_of(L);
    if (!b)
        return luaL_error(L, "%s: timers run only in the daemon (sws serve)", fname);
    push_timers(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        n++;
        lua_pop(L, 1);
    }
    if (n >= MAX_TIMERS)
        return luaL_error(L, "%s: too many timers (at most %d at a time)", fname, MAX_TIMERS);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_NEXT_ID);
    lua_Integer id = lua_tointeger(L, -1) + 1;
    lua_pop(L, 1);
    lua_pushinteger(L, id);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_NEXT_ID);

    sws_host *h = sws_host_from_lua(L);
    const char *plugin;
    sws_host_current_caller(h, &plugin);
    if (!plugin)
        plugin = sws_host_loading_plugin(h);
    lua_createtable(L, 0, 4);
    lua_pushvalue(L, fn);
    lua_setfield(L, -2, "fn");
    if (plugin) {
        lua_pushstring(L, plugin);
        lua_setfield(L, -2, "owner");
    }
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
        lua_pushfstring(L, "%s:%d", ar.short_src, ar.currentline);
    else
        lua_pushstring(L, "?");
    lua_setfield(L, -2, "where");
    lua_pushboolean(L, repeat);
    lua_setfield(L, -2, "every");
    lua_rawseti(L, -2, id);
    lua_pop(L, 1);
    if (b->arm(b->ud, id, seconds, repeat ? seconds : 0) < 0) {
        push_timers(L);
        lua_pushnil(L);
        lua_rawseti(L, -2, id);
        return luaL_error(L, "%s: the daemon cannot take another timer", fname);
    }
    return id;
}

int sws_timers_stop(lua_State *L, lua_Integer id)
{
    push_timers(L);
    int active = lua_rawgeti(L, -1, id) != LUA_TNIL;
    lua_pop(L, 1);
    if (active) {
        lua_pushnil(L);
        lua_rawseti(L, -2, id);
        const sws_timer_backend *b = backend_of(L);
        if (b)
            b->disarm(b->ud, id);
    }
    lua_pop(L, 1);
    return active;
}

int sws_timers_fire(sws_host *h, lua_Integer id, int cancelled, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    push_timers(L);
    if (lua_rawgeti(L, -1, id) != LUA_TTABLE) {
        lua_pop(L, 2);
        return 1;
    }
    lua_getfield(L, -1, "every");
    int repeat = lua_toboolean(L, -1) && !cancelled;
    lua_pop(L, 1);
    if (!repeat) {
        lua_pushnil(L);
        lua_rawseti(L, -3, id);
    }
    char owner[64] = "", doing[256];
    lua_getfield(L, -1, "owner");
    if (lua_isstring(L, -1))
        snprintf(owner, sizeof owner, "%s", lua_tostring(L, -1));
    lua_getfield(L, -2, "where");
    snprintf(doing, sizeof doing, "timer created at %s%s%s", lua_tostring(L, -1),
             owner[0] ? " by plugin " : "", owner);
    lua_pop(L, 2);
    lua_getfield(L, -1, "fn");
    lua_replace(L, -3);
    lua_pop(L, 1);
    lua_pushboolean(L, cancelled);
    return sws_host_call(h, 1, 0, owner[0] ? SWS_CALLER_PLUGIN : SWS_CALLER_SCRIPT,
                         owner[0] ? owner : NULL, doing, e);
}

int sws_timers_cancel_all(sws_host *h)
{
    lua_State *L = sws_host_lua(h);
    int failed = 0;
    for (;;) {
        push_timers(L);
        lua_pushnil(L);
        if (!lua_next(L, -2)) {
            lua_pop(L, 1);
            break;
        }
        lua_Integer id = lua_tointeger(L, -2);
        lua_pop(L, 3);
        sws_error e;
        if (sws_timers_fire(h, id, 1, &e) < 0) {
            sws_host_log(h, "ERROR", "sws.timer", e.msg);
            failed++;
        }
    }
    return failed;
}
