/*
 * lapi_plugin.c — sws.job and sws.command: what a plugin adds to sws.
 *
 *   sws.job("weekly_compliance", function(ctx) ... end)
 *   sws.command("ledger", "volunteer hours and credit", function(args) ... return 0 end)
 *
 * A command becomes `sws ledger ARGS…`; its function gets the arguments as a
 * list and returns the exit status (nil means 0). Jobs are run by name by
 * the scheduler or `sws job run NAME`.
 */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "lapi.h"
#include "plugin.h"

static const char KEY_COMMANDS = 'c', KEY_JOBS = 'j', KEY_EXPORTS = 'x', KEY_RULES = 'r';

static int check_name(lua_State *L, const char *what, const char *name)
{
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return luaL_error(L, "%s: name '%s' may use only a-z, 0-9, _ and -", what, name);
    if (!name[0])
        return luaL_error(L, "%s: empty name", what);
    return 0;
}

/* registry[key][name] = {fn = fn, help = help, owner = plugin} */
static int add_entry(lua_State *L, const void *key, const char *what, const char *name,
                     int help_idx, int fn_idx)
{
    sws_host *h = sws_host_from_lua(L);
    check_name(L, what, name);
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    if (lua_getfield(L, -1, name) != LUA_TNIL) {
        lua_getfield(L, -1, "owner");
        return luaL_error(L, "%s '%s' is already defined by %s", what, name, lua_tostring(L, -1));
    }
    lua_pop(L, 1);
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, fn_idx);
    lua_setfield(L, -2, "fn");
    if (help_idx)
        lua_pushvalue(L, help_idx);
    else
        lua_pushliteral(L, "");
    lua_setfield(L, -2, "help");
    const char *owner = sws_host_loading_plugin(h);
    lua_pushstring(L, owner ? owner : "script");
    lua_setfield(L, -2, "owner");
    lua_setfield(L, -2, name);
    return 0;
}

/** sws.command(name, help, fn) */
static int l_command(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    luaL_checktype(L, 3, LUA_TFUNCTION);
    return add_entry(L, &KEY_COMMANDS, "sws.command", name, 2, 3);
}

/** sws.rule(id, fn [, {severity = "warning", doc = "…"}]): a compliance rule
 * for `sws check`; fn(ctx) looks at ctx.stations and reports with
 * ctx.find(code, {message, actual, required, path}). */
static int l_rule(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *id = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    check_name(L, "sws.rule", id);
    const char *severity = "warning", *doc = "";
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "severity");
        if (lua_isstring(L, -1))
            severity = lua_tostring(L, -1);
        lua_getfield(L, 3, "doc");
        if (lua_isstring(L, -1))
            doc = lua_tostring(L, -1);
    }
    if (strcmp(severity, "violation") && strcmp(severity, "warning") && strcmp(severity, "advice"))
        return luaL_error(L, "sws.rule '%s': severity is violation, warning or advice", id);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_RULES);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, id);
    lua_setfield(L, -2, "id");
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "run");
    lua_pushstring(L, severity);
    lua_setfield(L, -2, "severity");
    lua_pushstring(L, doc);
    lua_setfield(L, -2, "doc");
    const char *owner = sws_host_loading_plugin(h);
    lua_pushstring(L, owner ? owner : "script");
    lua_setfield(L, -2, "owner");
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    return 0;
}

void sws_plugin_push_rules(sws_host *h)
{
    lua_rawgetp(sws_host_lua(h), LUA_REGISTRYINDEX, &KEY_RULES);
}

/** sws.job(name, fn) */
static int l_job(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    return add_entry(L, &KEY_JOBS, "sws.job", name, 0, 2);
}

/** sws.plugin(name) -> what plugin `name`'s init.lua returned (read-only), or nil
 * when it is not loaded. Its functions run with the caller's rights: a policy
 * calling one still cannot write. */
static int l_plugin(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_EXPORTS);
    lua_getfield(L, -1, name);
    return 1;
}

void sws_plugin_set_exports(sws_host *h, const char *name)
{
    lua_State *L = sws_host_lua(h);
    if (lua_istable(L, -1))
        sws_host_push_proxy(L, -1);
    else
        lua_pushvalue(L, -1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_EXPORTS);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 2);
}

void sws_lapi_open_plugin(lua_State *L, int sws_table)
{
    sws_table = lua_absindex(L, sws_table);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_EXPORTS);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_RULES);
    lua_pushcfunction(L, l_rule);
    lua_setfield(L, sws_table, "rule");
    lua_pushcfunction(L, l_plugin);
    lua_setfield(L, sws_table, "plugin");
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_COMMANDS);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_JOBS);
    lua_pushcfunction(L, l_command);
    lua_setfield(L, sws_table, "command");
    lua_pushcfunction(L, l_job);
    lua_setfield(L, sws_table, "job");
}

/* Pushes the function of entry `name` of registry table key and copies its
 * owner into owner; returns 0 (nothing pushed) when there is no such entry. */
static int push_entry_fn(lua_State *L, const void *key, const char *name, char *owner, size_t n)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    if (lua_getfield(L, -1, name) != LUA_TTABLE) {
        lua_pop(L, 2);
        return 0;
    }
    lua_getfield(L, -1, "owner");
    snprintf(owner, n, "%s", lua_tostring(L, -1));
    lua_getfield(L, -2, "fn");
    lua_replace(L, -4);
    lua_pop(L, 2);
    return 1;
}

int sws_plugin_run_command(sws_host *h, const char *name, int argc, char **argv, int *status,
                           sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    char owner[128];
    if (!push_entry_fn(L, &KEY_COMMANDS, name, owner, sizeof owner))
        return 0;
    lua_createtable(L, argc, 0);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i + 1);
    }
    char doing[192];
    snprintf(doing, sizeof doing, "command '%s' of plugin '%s'", name, owner);
    if (sws_host_call(h, 1, 1, SWS_CALLER_PLUGIN, owner, doing, e) < 0)
        return -1;
    *status = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    return 1;
}

int sws_plugin_run_job(sws_host *h, const char *name, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    char owner[128];
    if (!push_entry_fn(L, &KEY_JOBS, name, owner, sizeof owner))
        return sws_errorf(e, "no job '%s' (jobs come from plugins: see `sws plugin list`)", name);
    lua_newtable(L); /* ctx */
    lua_pushstring(L, name);
    lua_setfield(L, -2, "job");
    char doing[192];
    snprintf(doing, sizeof doing, "job '%s' of plugin '%s'", name, owner);
    return sws_host_call(h, 1, 0, SWS_CALLER_PLUGIN, owner, doing, e);
}

void sws_plugin_each_command(sws_host *h, void (*fn)(const char *name, const char *help,
                                                     const char *owner, void *ud), void *ud)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_COMMANDS);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_getfield(L, -1, "help");
        lua_getfield(L, -2, "owner");
        fn(lua_tostring(L, -4), lua_tostring(L, -2), lua_tostring(L, -1), ud);
        lua_pop(L, 3);
    }
    lua_pop(L, 1);
}

void sws_lapi_plugin_forget(sws_host *h, const char *owner)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_RULES); /* a list: keep the others, in order */
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1), kept = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "owner");
        int mine = strcmp(lua_tostring(L, -1), owner) == 0;
        lua_pop(L, 1);
        if (mine)
            lua_pop(L, 1);
        else
            lua_rawseti(L, -2, ++kept);
    }
    for (lua_Integer i = kept + 1; i <= n; i++) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i);
    }
    lua_pop(L, 1);
    const void *keys[] = {&KEY_COMMANDS, &KEY_JOBS};
    for (int k = 0; k < 2; k++) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, keys[k]);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_getfield(L, -1, "owner");
            int mine = strcmp(lua_tostring(L, -1), owner) == 0;
            lua_pop(L, 2);
            if (mine) { /* clearing the current key is allowed during lua_next */
                lua_pushvalue(L, -1);
                lua_pushnil(L);
                lua_rawset(L, -4);
            }
        }
        lua_pop(L, 1);
    }
}
