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

/* Slots of an event's record: parallel lists by handler, in run order. */
enum { R_FNS = 1, R_SWITCH, R_OWNER, R_PRIO, R_WHERE, R_N, R_UNIFORM, R_VETO };

static const char KEY_HANDLERS = 'h', KEY_PLAIN = 'p', KEY_GENERAL = 'g';

/* The dispatchers: run handlers i..n of an event. The plain one serves
 * the common case (one plugin's handlers, nothing to veto) with the same
 * loop a bare Lua program would write; the other switches the running
 * plugin between handlers and stops at a veto. A failing handler is found
 * from the loop variable `k` (sws_host_mark_frame). */
static const char plain_src[] =
    "local fns, n, ev, i = ...\n"
    "for k = i, n do fns[k](ev) end\n";
static const char general_src[] =
    "local fns, switch, n, ev, i, set_owner, veto = ...\n"
    "for k = i, n do\n"
    "  local owner = switch[k]\n"
    "  if owner then set_owner(owner) end\n"
    "  local r, why = fns[k](ev)\n"
    "  if veto and r == false then return k, why end\n"
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
    for (int i = R_FNS; i <= R_WHERE; i++) {
        lua_newtable(L);
        lua_rawseti(L, -2, i);
    }
    lua_pushinteger(L, 0);
    lua_rawseti(L, -2, R_N);
    lua_pushboolean(L, is_before(event));
    lua_rawseti(L, -2, R_VETO);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, event);
    lua_remove(L, -2);
    return 1;
}

/* Inserts value at stack top into list field `name` of the record at rec, at position pos. */
static void list_insert(lua_State *L, int rec, int list, lua_Integer pos, lua_Integer n)
{
    lua_rawgeti(L, rec, list);
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
    int uniform = 1;
    lua_rawgeti(L, rec, R_OWNER);
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
        } else if (k > 1) {
            uniform = 0;
        }
        lua_rawseti(L, -2, k);
    }
    lua_rawseti(L, rec, R_SWITCH);
    lua_pop(L, 1);
    lua_pushboolean(L, uniform);
    lua_rawseti(L, rec, R_UNIFORM);
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
    lua_rawgeti(L, rec, R_N);
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, rec, R_PRIO);
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
    list_insert(L, rec, R_FNS, pos, n);
    lua_pushinteger(L, prio);
    list_insert(L, rec, R_PRIO, pos, n);
    lua_pushstring(L, owner ? owner : "");
    list_insert(L, rec, R_OWNER, pos, n);
    lua_pushstring(L, where);
    list_insert(L, rec, R_WHERE, pos, n);
    lua_pushinteger(L, n + 1);
    lua_rawseti(L, rec, R_N);

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

static const char *field_at(lua_State *L, int rec, int list, lua_Integer i)
{
    lua_rawgeti(L, rec, list);
    lua_rawgeti(L, -1, i);
    const char *s = lua_tostring(L, -1); /* kept alive by the record */
    lua_pop(L, 2);
    return s ? s : "?";
}

/* Runs the handlers of record `rec` (a stack index) with the payload at
 * index `payload`; see sws_lapi_emit. Leaves the stack as it found it. */
static int dispatch(sws_host *h, const char *event, int payload, int rec, int *failed,
                    char *veto, size_t vetolen)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    lua_rawgeti(L, rec, R_N);
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, rec, R_VETO);
    int vetoable = lua_toboolean(L, -1), vetoed = 0;
    lua_pop(L, 1);
    lua_rawgeti(L, rec, R_UNIFORM);
    int plain = lua_toboolean(L, -1) && !vetoable;
    lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, plain ? &KEY_PLAIN : &KEY_GENERAL);
    int dispatcher = lua_gettop(L);

    for (lua_Integer i = 1; i <= n;) {
        lua_pushvalue(L, dispatcher);
        lua_rawgeti(L, rec, R_FNS);
        if (!plain)
            lua_rawgeti(L, rec, R_SWITCH);
        lua_pushinteger(L, n);
        lua_pushvalue(L, payload);
        lua_pushinteger(L, i);
        int nargs = 4;
        if (!plain) {
            lua_pushcfunction(L, set_owner);
            lua_pushboolean(L, vetoable);
            nargs = 7;
        }
        sws_error e;
        const char *owner = field_at(L, rec, R_OWNER, i);
        const void *outer = sws_host_mark_frame(h, lua_topointer(L, dispatcher));
        int rc = sws_host_call(h, nargs, 2, SWS_CALLER_PLUGIN, owner[0] ? owner : NULL, NULL, &e);
        lua_Integer at = sws_host_marked_index(h);
        sws_host_mark_frame(h, outer); /* an emit inside a handler nests */
        if (rc == 0) {
            if (!lua_isnil(L, -2)) {
                lua_Integer k = lua_tointeger(L, -2);
                const char *why = lua_isstring(L, -1) ? lua_tostring(L, -1) : "no reason given";
                if (veto)
                    snprintf(veto, vetolen, "%s (handler at %s): %s",
                             field_at(L, rec, R_OWNER, k), field_at(L, rec, R_WHERE, k), why);
                vetoed = 1;
            }
            lua_pop(L, 2);
            break;
        }
        if (at < i)
            at = i;
        char who[320];
        snprintf(who, sizeof who, "handler of '%s' at %s", event, field_at(L, rec, R_WHERE, at));
        const char *by = field_at(L, rec, R_OWNER, at);
        char msg[1400];
        if (by[0])
            snprintf(msg, sizeof msg, "plugin '%s' failed: %s", by, e.msg);
        else
            snprintf(msg, sizeof msg, "failed: %s", e.msg);
        sws_host_log(h, "ERROR", who, msg);
        if (failed)
            (*failed)++;
        if (vetoable) {
            if (veto)
                snprintf(veto, vetolen, "%s (handler at %s) failed: %s", by,
                         field_at(L, rec, R_WHERE, at), e.msg);
            vetoed = 1;
            break;
        }
        i = at + 1;
    }
    lua_settop(L, top);
    return vetoed;
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
    int vetoed = dispatch(h, event, payload, payload + 1, failed, veto, vetolen);
    lua_settop(L, payload - 1);
    return vetoed;
}

void sws_lapi_forget(sws_host *h, const char *owner)
{
    static const int lists[] = {R_FNS, R_OWNER, R_PRIO, R_WHERE, 0};
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_HANDLERS);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        int rec = lua_gettop(L);
        lua_rawgeti(L, rec, R_N);
        lua_Integer n = lua_tointeger(L, -1), kept = 0;
        lua_pop(L, 1);
        for (lua_Integer k = 1; k <= n; k++) {
            if (strcmp(field_at(L, rec, R_OWNER, k), owner) == 0)
                continue;
            kept++;
            for (int l = 0; lists[l]; l++) { /* move entry k to kept */
                lua_rawgeti(L, rec, lists[l]);
                lua_rawgeti(L, -1, k);
                lua_rawseti(L, -2, kept);
                lua_pop(L, 1);
            }
        }
        for (int l = 0; lists[l]; l++) {
            lua_rawgeti(L, rec, lists[l]);
            for (lua_Integer k = kept + 1; k <= n; k++) {
                lua_pushnil(L);
                lua_rawseti(L, -2, k);
            }
            lua_pop(L, 1);
        }
        lua_pushinteger(L, kept);
        lua_rawseti(L, rec, R_N);
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
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) {
        lua_newtable(L);
        lua_replace(L, 2);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_HANDLERS);
    lua_pushvalue(L, 1); /* the event name is already a Lua string: no lookup by C text */
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pushboolean(L, 1);
        return 1;
    }
    char veto[1024];
    const char *plugin;
    sws_host_current_caller(h, &plugin);
    int vetoed = dispatch(h, event, 2, lua_gettop(L), NULL, veto, sizeof veto);
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
    if (luaL_loadbufferx(L, plain_src, sizeof plain_src - 1, "=dispatcher", "t") != LUA_OK)
        lua_error(L); /* our own source: cannot fail but out of memory */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_PLAIN);
    if (luaL_loadbufferx(L, general_src, sizeof general_src - 1, "=dispatcher", "t") != LUA_OK)
        lua_error(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_GENERAL);
    lua_pushcfunction(L, l_on);
    lua_setfield(L, sws_table, "on");
    lua_pushcfunction(L, l_emit);
    lua_setfield(L, sws_table, "emit");
}
