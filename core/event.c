/*
 * event.c — the C side of named events: the handler registry that sws.on
 * fills (lapi_event.c), and emitting an event from C to its handlers in
 * priority order, each handler's failure isolated.
 *
 * Events named "<thing>.before_<action>" may be vetoed by a handler that
 * returns false (and a reason) or fails; every other event only informs,
 * after the change has been committed: emitted inside a transaction, it is
 * queued until the transaction commits, and dropped if it rolls back.
 *
 * An event's record (its handlers, their plugins, priorities and places) is
 * never changed once stored: sws.on and forgetting a plugin store a new one,
 * so an emit that is running when a handler registers another one goes on
 * with the handlers it started with.
 *
 * Speed: the handlers of an event run inside one protected call of small
 * trusted Lua code (a dispatcher), so a handler costs a Lua-to-Lua call,
 * not a C-to-Lua pcall. The common event, whose handlers all belong to one
 * plugin (or none) and cannot veto, has a plain entry built when its
 * handlers change: a dispatcher that calls them one after the other with
 * the payload, each held in an upvalue (no loop, no table read), found by
 * one lookup keyed by the event's name. Other events, and the handlers
 * after one that failed, go through the general dispatcher, a loop that
 * tells the host which plugin is running only when that changes from one
 * handler to the next, and stops at a veto.
 */
#include "event.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

const char sws_event_key_handlers = 'h', sws_event_key_plain = 'p';
static const char KEY_GENERAL = 'g', KEY_PENDING = 'q', KEY_UNROLLED = 'u';

/* Events with more handlers than this go through the general dispatcher
 * (a plain dispatcher holds one upvalue per handler; Lua allows 255). */
enum { MAX_PLAIN_HANDLERS = 64 };

/* A plain entry: a full userdata with user values 1, the event's plain
 * dispatcher, and 2, its record. */
struct plain_event {
    lua_Integer n;
    const void *dispatcher; /* lua_topointer of user value 1, for sws_host_mark_frame */
    char owner[];           /* the plugin of every handler ("" for none) */
};

/* The general dispatcher: runs handlers i..n of an event, switching the
 * running plugin between handlers and stopping at a veto. A failing
 * handler is found from the variable `k` (sws_host_mark_frame), in the
 * plain dispatchers too. */
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

/* Pushes the chunk that makes plain dispatchers of n handlers, loaded once
 * per n and kept at KEY_UNROLLED: given the n handlers, it returns
 *   function(ev) local k = 1; f1(ev); k = 2; f2(ev) ... end */
static void push_plain_maker(lua_State *L, lua_Integer n)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_UNROLLED);
    if (lua_rawgeti(L, -1, n) == LUA_TFUNCTION) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "local f1");
    for (lua_Integer k = 2; k <= n; k++) {
        lua_pushfstring(L, ", f%I", k);
        luaL_addvalue(&b);
    }
    luaL_addstring(&b, " = ...\nreturn function(ev)\nlocal k = 1; f1(ev)\n");
    for (lua_Integer k = 2; k <= n; k++) {
        lua_pushfstring(L, "k = %I; f%I(ev)\n", k, k);
        luaL_addvalue(&b);
    }
    luaL_addstring(&b, "end\n");
    luaL_pushresult(&b);
    size_t len;
    const char *src = lua_tolstring(L, -1, &len);
    if (luaL_loadbufferx(L, src, len, "=dispatcher", "t") != LUA_OK)
        lua_error(L); /* our own source: cannot fail but out of memory */
    lua_remove(L, -2);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, n);
    lua_remove(L, -2);
}

/* Pushes a copy of record rec: the first n entries of its lists (a shallow
 * copy) and its other slots. */
static void push_record_copy(lua_State *L, int rec, lua_Integer n)
{
    lua_createtable(L, R_NAME, 0);
    for (int list = R_FNS; list <= R_WHERE; list++) {
        lua_rawgeti(L, rec, list);
        lua_createtable(L, (int)n, 0);
        for (lua_Integer k = 1; k <= n; k++) {
            lua_rawgeti(L, -2, k);
            lua_rawseti(L, -2, k);
        }
        lua_rawseti(L, -3, list);
        lua_pop(L, 1);
    }
    for (int slot = R_N; slot <= R_NAME; slot++) {
        lua_rawgeti(L, rec, slot);
        lua_rawseti(L, -2, slot);
    }
}

/* Sets (when `plain`) or clears the plain entry of record rec, with its n
 * handlers, in the record (R_PLAIN, false when none) and in the table of
 * plain entries. The old entry goes first: when building the new one runs
 * out of memory, the event is left to the general dispatcher. */
static void set_plain_entry(lua_State *L, int rec, lua_Integer n, int plain)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_event_key_plain);
    lua_rawgeti(L, rec, R_NAME);
    lua_pushnil(L);
    lua_rawset(L, -3);
    lua_pushboolean(L, 0);
    lua_rawseti(L, rec, R_PLAIN);
    if (!plain) {
        lua_pop(L, 1);
        return;
    }
    lua_rawgeti(L, rec, R_NAME);
    lua_rawgeti(L, rec, R_OWNER);
    lua_rawgeti(L, -1, 1);
    size_t len;
    const char *owner = lua_tolstring(L, -1, &len);
    struct plain_event *pe = lua_newuserdatauv(L, sizeof *pe + len + 1, 2);
    pe->n = n;
    memcpy(pe->owner, owner, len + 1);
    lua_replace(L, -3); /* the entry takes the owner list's place */
    lua_pop(L, 1);
    int entry = lua_gettop(L);
    push_plain_maker(L, n);
    lua_rawgeti(L, rec, R_FNS);
    int fns = lua_gettop(L);
    luaL_checkstack(L, (int)n, "event handlers");
    for (lua_Integer k = 1; k <= n; k++)
        lua_rawgeti(L, fns, k);
    lua_remove(L, fns);
    lua_call(L, (int)n, 1);
    pe->dispatcher = lua_topointer(L, -1);
    lua_setiuservalue(L, entry, 1);
    lua_pushvalue(L, rec);
    lua_setiuservalue(L, entry, 2);
    lua_pushvalue(L, entry);
    lua_rawseti(L, rec, R_PLAIN);
    lua_rawset(L, -3); /* plain[name] = entry */
    lua_pop(L, 1);
}

/* Pushes the handler record of event (creating and storing an empty one when
 * `create`), or nil; returns whether it is a record. */
static int push_record(lua_State *L, const char *event, int create)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_event_key_handlers);
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
    lua_pushstring(L, event);
    lua_rawseti(L, -2, R_NAME);
    lua_pushboolean(L, 0);
    lua_rawseti(L, -2, R_PLAIN);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, event);
    lua_remove(L, -2);
    return 1;
}

/* Inserts the value at stack top into list `list` of the record at rec, at
 * position pos, shifting entries pos..n up (pops the value). */
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

/* Rebuilds the owner-switch list of record rec after its n handlers changed
 * (switch[k] = owner[k] where it differs from owner[k-1], else false), its
 * uniform flag and its plain entry. */
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
    lua_rawgeti(L, rec, R_VETO);
    int vetoable = lua_toboolean(L, -1);
    lua_pop(L, 1);
    set_plain_entry(L, rec, n, uniform && !vetoable && n > 0 && n <= MAX_PLAIN_HANDLERS);
}

/* Stores record rec as its event's (replacing the one stored before). */
static void publish_record(lua_State *L, int rec)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_event_key_handlers);
    lua_rawgeti(L, rec, R_NAME);
    lua_pushvalue(L, rec);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

void sws_event_add_handler(lua_State *L, const char *event, lua_Integer prio, const char *owner,
                           const char *where)
{
    int fn = lua_gettop(L);
    push_record(L, event, 1);
    int old = lua_gettop(L);
    lua_rawgeti(L, old, R_N);
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, old, R_PRIO);
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

    push_record_copy(L, old, n);
    int rec = lua_gettop(L);
    lua_pushvalue(L, fn);
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
    publish_record(L, rec);
    lua_settop(L, fn - 1);
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

/* Logs the failure of handler `at` of record rec and counts it; returns
 * the handler's plugin ("" for none). */
static const char *report_failure(sws_host *h, const char *event, int rec, lua_Integer at,
                                  const sws_error *e, int *failed)
{
    lua_State *L = sws_host_lua(h);
    char who[320];
    snprintf(who, sizeof who, "handler of '%s' at %s", event, field_at(L, rec, R_WHERE, at));
    const char *by = field_at(L, rec, R_OWNER, at);
    char msg[1400];
    if (by[0])
        snprintf(msg, sizeof msg, "plugin '%s' failed: %s", by, e->msg);
    else
        snprintf(msg, sizeof msg, "failed: %s", e->msg);
    sws_host_log(h, "ERROR", who, msg);
    if (failed)
        (*failed)++;
    return by;
}

/* Runs handlers from..n of record rec through the general dispatcher, with
 * the payload at index `payload`; see sws_lapi_emit. Returns 1 when vetoed
 * (reason in veto). Leaves the stack as it found it. */
static int dispatch_general(sws_host *h, const char *event, int payload, int rec,
                            lua_Integer from, int *failed, char *veto, size_t vetolen)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    lua_rawgeti(L, rec, R_N);
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, rec, R_VETO);
    int vetoable = lua_toboolean(L, -1), vetoed = 0;
    lua_pop(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_GENERAL);
    int dispatcher = lua_gettop(L);

    for (lua_Integer i = from; i <= n;) {
        lua_pushvalue(L, dispatcher);
        lua_rawgeti(L, rec, R_FNS);
        lua_rawgeti(L, rec, R_SWITCH);
        lua_pushinteger(L, n);
        lua_pushvalue(L, payload);
        lua_pushinteger(L, i);
        lua_pushcfunction(L, set_owner);
        lua_pushboolean(L, vetoable);
        int nargs = 7;
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
        const char *by = report_failure(h, event, rec, at, &e, failed);
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

void sws_event_dispatch_plain(sws_host *h, const char *event, int payload, int plain, int *failed)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    const struct plain_event *pe = lua_touserdata(L, plain);
    sws_host_push_message_handler(L); /* below the dispatcher: sws_host_call keeps it */
    lua_getiuservalue(L, plain, 1);
    const void *outer = sws_host_mark_frame(h, pe->dispatcher);
    lua_pushvalue(L, payload);
    sws_error e;
    if (sws_host_call(h, 1, 0, SWS_CALLER_PLUGIN, pe->owner[0] ? pe->owner : NULL, NULL, &e)) {
        lua_Integer at = sws_host_marked_index(h);
        if (at < 1)
            at = 1;
        lua_getiuservalue(L, plain, 2);
        int rec = lua_gettop(L);
        report_failure(h, event, rec, at, &e, failed);
        if (at < pe->n) /* the rest, from the one after it */
            dispatch_general(h, event, payload, rec, at + 1, failed, NULL, 0);
    }
    sws_host_mark_frame(h, outer);
    lua_settop(L, top);
}

/* Runs the handlers of record `rec` (a stack index) with the payload at
 * index `payload`; see sws_lapi_emit. Leaves the stack as it found it. */
int sws_event_dispatch(sws_host *h, const char *event, int payload, int rec, int *failed,
                    char *veto, size_t vetolen)
{
    lua_State *L = sws_host_lua(h);
    if (lua_rawgeti(L, rec, R_PLAIN) == LUA_TUSERDATA) {
        sws_event_dispatch_plain(h, event, payload, lua_gettop(L), failed);
        lua_pop(L, 1);
        return 0;
    }
    lua_pop(L, 1);
    return dispatch_general(h, event, payload, rec, 1, failed, veto, vetolen);
}

int sws_lapi_events_pending(sws_host *h)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_PENDING);
    int n = (int)lua_rawlen(L, -1);
    lua_pop(L, 1);
    return n;
}

void sws_lapi_events_truncate(sws_host *h, int n)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_PENDING);
    for (lua_Integer k = (lua_Integer)lua_rawlen(L, -1); k > n; k--) {
        lua_pushnil(L);
        lua_rawseti(L, -2, k);
    }
    lua_pop(L, 1);
}

void sws_lapi_events_settle(sws_host *h)
{
    sqlite3 *db = sws_host_db(h);
    lua_State *L = sws_host_lua(h);
    if (!db || !sqlite3_get_autocommit(db) || sws_lapi_events_pending(h) == 0)
        return;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_PENDING); /* take the queue, leave a new one */
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_PENDING);
    int q = lua_gettop(L);
    for (lua_Integer k = 1; !sws_host_rolled_back(h, 0) && lua_rawgeti(L, q, k) == LUA_TTABLE; k++) {
        lua_rawgeti(L, -1, 1);
        char event[128];
        snprintf(event, sizeof event, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_rawgeti(L, -1, 2);
        lua_remove(L, -2);
        sws_lapi_emit(h, event, NULL, NULL, 0); /* pops the payload */
    }
    lua_settop(L, q - 1);
    sws_host_rolled_back(h, 1);
}

/* Whether an informational event must wait for the open transaction. */
int sws_event_deferred(sws_host *h, const char *event)
{
    sqlite3 *db = sws_host_db(h);
    return db && !sqlite3_get_autocommit(db) && !is_before(event);
}

/* Queues {event, the payload on top of the stack (left there)} until the commit. */
void sws_event_queue(lua_State *L, const char *event)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_PENDING);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    if (n == 0)
        sws_host_rolled_back(sws_host_from_lua(L), 1);
    lua_createtable(L, 2, 0);
    lua_pushstring(L, event);
    lua_rawseti(L, -2, 1);
    lua_pushvalue(L, -3);
    lua_rawseti(L, -2, 2);
    lua_rawseti(L, -2, n + 1);
    lua_pop(L, 1);
}

int sws_lapi_emit(sws_host *h, const char *event, int *failed, char *veto, size_t vetolen)
{
    lua_State *L = sws_host_lua(h);
    int payload = lua_gettop(L);
    if (failed)
        *failed = 0;
    if (sws_event_deferred(h, event)) {
        sws_event_queue(L, event);
        lua_pop(L, 1);
        return 0;
    }
    if (!push_record(L, event, 0)) {
        lua_pop(L, 2);
        return 0;
    }
    int vetoed = sws_event_dispatch(h, event, payload, payload + 1, failed, veto, vetolen);
    lua_settop(L, payload - 1);
    return vetoed;
}

void sws_lapi_forget(sws_host *h, const char *owner)
{
    static const int lists[] = {R_FNS, R_OWNER, R_PRIO, R_WHERE, 0};
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_event_key_handlers);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        int old = lua_gettop(L);
        lua_rawgeti(L, old, R_N);
        lua_Integer n = lua_tointeger(L, -1), kept = 0;
        lua_pop(L, 1);
        push_record_copy(L, old, 0); /* the slots, with empty lists */
        int rec = lua_gettop(L);
        for (lua_Integer k = 1; k <= n; k++) {
            if (strcmp(field_at(L, old, R_OWNER, k), owner) == 0)
                continue;
            kept++;
            for (int l = 0; lists[l]; l++) { /* entry k of old is entry kept of rec */
                lua_rawgeti(L, rec, lists[l]);
                lua_rawgeti(L, old, lists[l]);
                lua_rawgeti(L, -1, k);
                lua_rawseti(L, -3, kept);
                lua_pop(L, 2);
            }
        }
        lua_pushinteger(L, kept);
        lua_rawseti(L, rec, R_N);
        rebuild_switch(L, rec, kept);
        publish_record(L, rec); /* replaces the value of the key lua_next holds */
        lua_settop(L, old - 1);
    }
    lua_pop(L, 1);
}

void sws_event_init(lua_State *L)
{
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sws_event_key_handlers);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_PENDING);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sws_event_key_plain);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_UNROLLED);
    if (luaL_loadbufferx(L, general_src, sizeof general_src - 1, "=dispatcher", "t") != LUA_OK)
        lua_error(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_GENERAL);
}
