/*
 * lapi_log.c — sws.log: levelled log lines that name the plugin or policy.
 *
 *   sws.log.info("imported %d rows", n)   -- string.format arguments
 *
 * Lines go to stderr through sws_host_log, which masks ID and mobile
 * numbers. Debug lines appear only under --verbose. sws.log.progress draws
 * the progress bar of progress.h.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <string.h>

#include "host.h"
#include "progress.h"

static int log_at(lua_State *L, const char *level)
{
    sws_host *h = sws_host_from_lua(L);
    if (strcmp(level, "DEBUG") == 0 && !sws_host_options(h)->verbose)
        return 0;
    int n = lua_gettop(L);
    const char *msg;
    if (n > 1) { /* format with string.format */
        luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
        lua_getfield(L, -1, "string");
        lua_getfield(L, -1, "format");
        lua_insert(L, 1);
        lua_pop(L, 2);
        lua_call(L, n, 1);
        msg = lua_tostring(L, -1);
    } else {
        msg = luaL_tolstring(L, 1, NULL);
    }
    const char *plugin;
    sws_host_current_caller(h, &plugin);
    char who[160];
    lua_Debug ar;
    if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) && ar.currentline > 0)
        snprintf(who, sizeof who, "%s:%d", ar.short_src, ar.currentline);
    else
        snprintf(who, sizeof who, "%s", plugin ? plugin : "sws");
    sws_host_log(h, level, who, msg ? msg : "");
    return 0;
}

static int l_debug(lua_State *L) { return log_at(L, "DEBUG"); }
static int l_info(lua_State *L) { return log_at(L, "INFO"); }
static int l_warn(lua_State *L) { return log_at(L, "WARN"); }
static int l_error(lua_State *L) { return log_at(L, "ERROR"); }

/** sws.log.progress(label, done [, total]) — the progress bar on stderr, drawn only
 * when stderr is a terminal; sws.log.progress() with no argument erases it. */
static int l_progress(lua_State *L)
{
    if (lua_isnoneornil(L, 1)) {
        sws_progress_done();
        return 0;
    }
    const char *label = luaL_checkstring(L, 1);
    lua_Integer done = luaL_checkinteger(L, 2), total = luaL_optinteger(L, 3, 0);
    sws_progress(label, (long)done, (long)total);
    return 0;
}

void sws_lapi_open_log(lua_State *L)
{
    static const luaL_Reg fns[] = {{"debug", l_debug}, {"info", l_info},         {"warn", l_warn},
                                   {"error", l_error}, {"progress", l_progress}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
