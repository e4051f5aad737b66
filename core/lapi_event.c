/*
 * lapi_event.c — sws.on and sws.emit: named events, handlers in priority
 * order, each handler's failure isolated.
 *
 *   sws.on("import.completed", function(ev) ... end, {priority = 10})
 *   local ok, why = sws.emit("station.before_close", {station = "330302006"})
 *
 * Events named "<thing>.before_<action>" may be vetoed by a handler that
 * returns false (and a reason) or fails; every other event only informs,
 * after the change has been committed.
 *
 * Speed: the handlers of an event run inside one protected call of a small
 * trusted Lua loop (the dispatcher), so a handler costs a Lua-to-Lua call,
 * not a C-to-Lua pcall. When a handler fails, the dispatcher is entered
 * again after it. The loop tells the host which plugin is running only when
 * that changes from one handler to the next.
 */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "lapi.h"

static const char KEY_HANDLERS = 'h', KEY_DISPATCH = 'd';

/* The dispatcher: runs handlers i..n; records the running index in cur[1];
 * for a veto event, stops at the first handler that returns false. */
static const char dispatcher_src[] =
    "local fns, switch, n, ev, i, cur, set_owner, veto = ...\n"
    "while i <= n do\n"
    "  cur[1] = i\n"
    "  local owner = switch[i]\n"
    "  if owner then set_owner(owner) end\n"
    "  local r, why = fns[i](ev)\n"
    "  if veto and r == false then return i, why end\n"
    "  i = i + 1\n"
    "end\n";

static int set_owner(lua_State *L)
{
    sws_host_set_plugin(sws_host_from_lua(L), lua_tostring(L, 1));
    return 0;
}

static int is_before(const char *event) { return strstr(event, ".before_") != NULL; }

/* Pushes the handler record of event (creating it when `create`), or nil. */
static int push_record(lua_State *L, const char *event, int create)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_HANDLERS);
    if (lua_getfield(L, -1, event) == LUA_TTABLE || !create) {
        lua_remove(L, -2);
        return lua_istable(L, -1);
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 6);
    static const char *const lists[] = {"fns", "switch", "owner", "prio", "where", NULL};
    for (int i = 0; lists[i]; i++) {
        lua_newtable(L);
        lua_setfield(L, -2, lists[i]);
    }
    lua_pushinteger(L, 0);
    lua_setfield(L, -2, "n");
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, event);
    lua_remove(L, -2);
    return 1;
}

/* Inserts value at stack top into list field `name` of the record at rec, at position pos. */
static void list_insert(lua_State *L, int rec, const char *name, lua_Integer pos, lua_Integer n)
{
    lua_getfield(L, rec, name);
    for (lua_Integer k = n; k >= pos; k--) {
        lua_rawgeti(L, -1, k);
        lua_rawseti(L, -2, k + 1);
    }
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, pos);
    lua_pop(L, 2);
}

/* switch[k] = owner[k] where it differs from owner[k-1], else false. */
static void rebuild_switch(lua_State *L, int rec, lua_Integer n)
{
    lua_getfield(L, rec, "owner");
    lua_newtable(L);
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, -2, k);
        int same = 0;
        if (k > 1) {
            lua_rawgeti(L, -3, k - 1);
            same = lua_rawequal(L, -1, -2);
            lua_pop(L, 1);
        }
        if (same) {
            lua_pop(L, 1);
            lua_pushboolean(L, 0);
        }
        lua_rawseti(L, -2, k);
    }
    lua_setfield(L, rec, "switch");
    lua_pop(L, 1);
}

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

    push_record(L, event, 1);
    int rec = lua_gettop(L);
    lua_getfield(L, rec, "n");
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, rec, "prio");
    lua_Integer pos = n + 1;
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, -1, k);
        lua_Integer pk = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (prio > pk) {
            pos = k;
            break;
        }
    }
    lua_pop(L, 1);

    lua_pushvalue(L, 2);
    list_insert(L, rec, "fns", pos, n);
    lua_pushinteger(L, prio);
    list_insert(L, rec, "prio", pos, n);
    lua_pushstring(L, owner ? owner : "");
    list_insert(L, rec, "owner", pos, n);
    lua_pushstring(L, where);
    list_insert(L, rec, "where", pos, n);
    lua_pushinteger(L, n + 1);
    lua_setfield(L, rec, "n");

    rebuild_switch(L, rec, n + 1);
    return 0;
}

int sws_lapi_has_handlers(sws_host *h, const char *event)
{
    lua_State *L = sws_host_lua(h);
    int has = push_record(L, event, 0);
    lua_pop(L, 1);
    return has;
}

static const char *field_at(lua_State *L, int rec, const char *list, lua_Integer i)
{
    lua_getfield(L, rec, list);
    lua_rawgeti(L, -1, i);
    const char *s = lua_tostring(L, -1); /* kept alive by the record */
    lua_pop(L, 2);
    return s ? s : "?";
}

int sws_lapi_emit(sws_host *h, const char *event, int *failed, char *veto, size_t vetolen)
{
    lua_State *L = sws_host_lua(h);
    int payload = lua_gettop(L);
    if (failed)
        *failed = 0;
    if (!push_record(L, event, 0)) {
        lua_pop(L, 2);
        return 0;
    }
    int rec = lua_gettop(L);
    lua_getfield(L, rec, "n");
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    if (lua_getfield(L, rec, "cur") != LUA_TTABLE) { /* reused: no garbage per event */
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, rec, "cur");
    }
    int cur = lua_gettop(L);
    int vetoable = is_before(event), vetoed = 0;

    for (lua_Integer i = 1; i <= n;) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_DISPATCH);
        lua_getfield(L, rec, "fns");
        lua_getfield(L, rec, "switch");
        lua_pushinteger(L, n);
        lua_pushvalue(L, payload);
        lua_pushinteger(L, i);
        lua_pushvalue(L, cur);
        lua_pushcfunction(L, set_owner);
        lua_pushboolean(L, vetoable);
        sws_error e;
        const char *owner = field_at(L, rec, "owner", i);
        if (sws_host_call(h, 8, 2, SWS_CALLER_PLUGIN, owner[0] ? owner : NULL, NULL, &e) == 0) {
            if (!lua_isnil(L, -2)) {
                lua_Integer at = lua_tointeger(L, -2);
                const char *why = lua_isstring(L, -1) ? lua_tostring(L, -1) : "no reason given";
                if (veto)
                    snprintf(veto, vetolen, "%s (handler at %s): %s",
                             field_at(L, rec, "owner", at), field_at(L, rec, "where", at), why);
                vetoed = 1;
            }
            lua_pop(L, 2);
            break;
        }
        lua_rawgeti(L, cur, 1);
        lua_Integer at = lua_tointeger(L, -1);
        lua_pop(L, 1);
        if (at < i)
            at = i;
        char who[320];
        snprintf(who, sizeof who, "handler of '%s' at %s", event, field_at(L, rec, "where", at));
        const char *by = field_at(L, rec, "owner", at);
        char msg[1400];
        snprintf(msg, sizeof msg, "%s%s%s failed: %s", by[0] ? "plugin '" : "", by,
                 by[0] ? "' " : "", e.msg);
        sws_host_log(h, "ERROR", who, msg);
        if (failed)
            (*failed)++;
        if (vetoable) {
            if (veto)
                snprintf(veto, vetolen, "%s (handler at %s) failed: %s", by,
                         field_at(L, rec, "where", at), e.msg);
            vetoed = 1;
            break;
        }
        i = at + 1;
    }
    lua_settop(L, payload - 1);
    return vetoed;
}

void sws_lapi_forget(sws_host *h, const char *owner)
{
    static const char *const lists[] = {"fns", "owner", "prio", "where", NULL};
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_HANDLERS);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        int rec = lua_gettop(L);
        lua_getfield(L, rec, "n");
        lua_Integer n = lua_tointeger(L, -1), kept = 0;
        lua_pop(L, 1);
        for (lua_Integer k = 1; k <= n; k++) {
            if (strcmp(field_at(L, rec, "owner", k), owner) == 0)
                continue;
            kept++;
            for (int l = 0; lists[l]; l++) { /* move entry k to kept */
                lua_getfield(L, rec, lists[l]);
                lua_rawgeti(L, -1, k);
                lua_rawseti(L, -2, kept);
                lua_pop(L, 1);
            }
        }
        for (int l = 0; lists[l]; l++) {
            lua_getfield(L, rec, lists[l]);
            for (lua_Integer k = kept + 1; k <= n; k++) {
                lua_pushnil(L);
                lua_rawseti(L, -2, k);
            }
            lua_pop(L, 1);
        }
        lua_pushinteger(L, kept);
        lua_setfield(L, rec, "n");
        rebuild_switch(L, rec, kept);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    sws_lapi_plugin_forget(h, owner);
}

/** sws.emit(event [, payload]) -> true, or false and the reason for a vetoed before-event */
static int l_emit(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *event = luaL_checkstring(L, 1);
    if (lua_isnone(L, 2))
        lua_newtable(L);
    else
        lua_pushvalue(L, 2);
    char veto[1024];
    const char *plugin;
    sws_host_current_caller(h, &plugin);
    int vetoed = sws_lapi_emit(h, event, NULL, veto, sizeof veto);
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
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_HANDLERS);
    if (luaL_loadbufferx(L, dispatcher_src, sizeof dispatcher_src - 1, "=dispatcher", "t") != LUA_OK)
        lua_error(L); /* our own source: cannot fail but out of memory */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_DISPATCH);
    lua_pushcfunction(L, l_on);
    lua_setfield(L, sws_table, "on");
    lua_pushcfunction(L, l_emit);
    lua_setfield(L, sws_table, "emit");
}
