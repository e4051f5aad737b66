/*
 * lapi_timer.c — sws.timer: timers for plugins, run by the daemon's loop.
 *
 *   local t = sws.timer.after(30, function(cancelled) ... end)
 *   local every = sws.timer.every(60, function(cancelled) ... end)
 *   every:stop()
 *
 * Each callback runs under the plugin budget of the plugin that created it.
 * When a reload or shutdown ends a timer, its callback runs once more with
 * cancelled = true (the OpenResty "premature" shape) and must only clean
 * up. The timers themselves are timers.c's; this file is what Lua calls.
 */
#include "lapi.h"

#include <lauxlib.h>

#include "timers.h"

#define HANDLE_MT "sws.timer"

/* sws.timer.after / every: (seconds, fn) -> handle. */
static int add_timer(lua_State *L, int repeat)
{
    const char *fname = repeat ? "sws.timer.every" : "sws.timer.after";
    lua_Number secs = luaL_checknumber(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    if (!(secs > 0 && secs <= 366.0 * 86400))
        return luaL_error(L, "%s: seconds must be above 0 and at most a year, not %f", fname,
                          secs);
    lua_Integer id = sws_timers_add(L, 2, secs, repeat, fname);
    lua_Integer *handle = lua_newuserdatauv(L, sizeof *handle, 0);
    *handle = id;
    luaL_setmetatable(L, HANDLE_MT);
    return 1;
}

/** sws.timer.after(seconds, fn) -> handle: fn(cancelled) runs once after seconds. */
static int l_after(lua_State *L) { return add_timer(L, 0); }

/** sws.timer.every(seconds, fn) -> handle: fn(cancelled) runs every seconds. */
static int l_every(lua_State *L) { return add_timer(L, 1); }

/** handle:stop() -> true when the timer was still active (its callback is not called). */
static int l_stop(lua_State *L)
{
    lua_Integer id = *(lua_Integer *)luaL_checkudata(L, 1, HANDLE_MT);
    lua_pushboolean(L, sws_timers_stop(L, id));
    return 1;
}

void sws_lapi_open_timer(lua_State *L)
{
    static const luaL_Reg methods[] = {{"stop", l_stop}, {NULL, NULL}};
    luaL_newmetatable(L, HANDLE_MT);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "sws.timer");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    static const luaL_Reg fns[] = {{"after", l_after}, {"every", l_every}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
