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
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "plugin.h"

#define KEY_COMMANDS sws_plugin_key_commands
#define KEY_JOBS sws_plugin_key_jobs
#define KEY_EXPORTS sws_plugin_key_exports
#define KEY_RULES sws_plugin_key_rules

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
 * ctx.find(code, {message, actual, required, path}). The rule keeps the file
 * and line of the call, where its findings point unless a policy sets them. */
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
    lua_Debug ar; /* where sws.rule was called: the layer of the rule's findings */
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
        lua_pushfstring(L, "%s:%d", ar.short_src, ar.currentline);
        lua_setfield(L, -2, "where");
    }
    lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    return 0;
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
