/*
 * lapi_event.c — sws.on and sws.emit: named events, handlers in priority
 * order, each handler's failure isolated.
 *
 *   sws.on("import.completed", function(ev) ... end, {priority = 10})
 *   local ok, why = sws.emit("station.before_close", {station = "330302006"})
 *
 * Events named "<thing>.before_<action>" may be vetoed by a handler that
 * returns false (and a reason) or fails; every other event only informs,
 * after the change has been committed: emitted inside a transaction, it is
 * queued until the transaction commits, and dropped if it rolls back.
 *
 * The handler registry and the dispatcher that runs handlers (also for
 * events emitted from C) are event.c.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "event.h"
#include "host.h"
#include "plugin_scope.h"

/** sws.on(event, fn [, {priority = N}]): handlers with higher priority run first;
 * equal priorities run in the order they were registered. */
static int l_on(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *event = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_Integer prio = 0;
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "priority");
        prio = luaL_optinteger(L, -1, 0);
        lua_pop(L, 1);
    }
    const char *dot = strchr(event, '.');
    if (!dot || dot == event || !dot[1])
        return luaL_error(L, "sws.on: event names look like 'thing.action', not '%s'", event);

    lua_Debug ar;
    char where[256] = "?";
    lua_pushvalue(L, 2);
    if (lua_getinfo(L, ">S", &ar))
        snprintf(where, sizeof where, "%s:%d", ar.short_src, ar.linedefined);
    const char *owner = sws_host_loading_plugin(h);

    lua_pushvalue(L, 2);
    sws_plugin_scope_wrap_handler(L, owner); /* only its counties' events */
    sws_event_add_handler(L, event, prio, owner, where);
    return 0;
}

/** sws.emit(event [, payload]) -> true, or false and the reason for a vetoed before-event.
 * Upvalue 1 is the table of plain entries (event.h): an event found there
 * runs its handlers with one lookup and one protected call. */
static int l_emit(lua_State *L)
{
    const char *event = luaL_checkstring(L, 1);
    sws_host *h = sws_host_from_lua(L);
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) {
        lua_newtable(L);
        lua_replace(L, 2);
    }
    if (sws_event_deferred(h, event)) { /* an after-event waits for the commit */
        lua_pushvalue(L, 2);
        sws_event_queue(L, event);
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushvalue(L, 1); /* the event name is already a Lua string: no lookup by C text */
    if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TUSERDATA) {
        sws_event_dispatch_plain(h, event, 2, 3, NULL);
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_event_key_handlers);
    lua_pushvalue(L, 1);
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pushboolean(L, 1);
        return 1;
    }
    char veto[1024];
    const char *plugin;
    sws_host_current_caller(h, &plugin);
    int vetoed = sws_event_dispatch(h, event, 2, lua_gettop(L), NULL, veto, sizeof veto);
    sws_host_set_plugin(h, plugin);
    lua_pushboolean(L, !vetoed);
    if (!vetoed)
        return 1;
    lua_pushstring(L, veto);
    return 2;
}

void sws_lapi_open_event(lua_State *L, int sws_table)
{
    sws_table = lua_absindex(L, sws_table);
    sws_event_init(L);
    lua_pushcfunction(L, l_on);
    lua_setfield(L, sws_table, "on");
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_event_key_plain);
    lua_pushcclosure(L, l_emit, 1);
    lua_setfield(L, sws_table, "emit");
}
