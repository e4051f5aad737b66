/*
 * lapi_cron.c — sws.cron: the core's cron parser for Lua.
 *
 *   sws.cron.check("0 9 30 11 *")                 --> true  |  false, why
 *   sws.cron.next("0 9 30 11 *", "2026-01-01 00:00", 3) --> {"2026-11-30 09:00", …}
 *
 * Times are wall-clock "YYYY-MM-DD HH:MM" in the policy's time zone. The
 * policy library validates `schedule` with the same check (helpers.cron).
 */
#include "lapi.h"

#include <lauxlib.h>
#include <string.h>
#include <time.h>

#include "cron.h"

/** sws.cron.check(expr) -> true | false, why */
int sws_lapi_cron_check(lua_State *L)
{
    sws_cron c;
    char why[200];
    if (lua_type(L, 1) != LUA_TSTRING) {
        lua_pushboolean(L, 0);
        lua_pushfstring(L, "a cron expression must be a string, not %s", luaL_typename(L, 1));
        return 2;
    }
    if (sws_cron_parse(lua_tostring(L, 1), &c, why, sizeof why) < 0) {
        lua_pushboolean(L, 0);
        lua_pushstring(L, why);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

/** helpers.cron_time(s) -> whether s is a real wall-clock time "YYYY-MM-DD HH:MM" */
int sws_lapi_cron_check_time(lua_State *L)
{
    struct tm t;
    const char *s = lua_tostring(L, 1);
    lua_pushboolean(L, lua_type(L, 1) == LUA_TSTRING && strlen(s) == 16 &&
                           sws_cron_parse_time(s, &t) == 0);
    return 1;
}

/** sws.cron.next(expr, from, count) -> list of "YYYY-MM-DD HH:MM" */
static int l_next(lua_State *L)
{
    const char *expr = luaL_checkstring(L, 1);
    const char *from = luaL_checkstring(L, 2);
    lua_Integer count = luaL_optinteger(L, 3, 1);
    luaL_argcheck(L, count >= 1 && count <= 10000, 3, "count must be 1-10000");
    sws_cron c;
    char why[200];
    if (sws_cron_parse(expr, &c, why, sizeof why) < 0)
        return luaL_error(L, "sws.cron.next: invalid cron '%s': %s", expr, why);
    struct tm t;
    if (sws_cron_parse_time(from, &t) < 0)
        return luaL_error(L, "sws.cron.next: '%s' is not a time (YYYY-MM-DD HH:MM)", from);
    lua_createtable(L, (int)count, 0);
    for (lua_Integer i = 1; i <= count; i++) {
        if (sws_cron_next(&c, &t, &t) < 0)
            break;
        char buf[32];
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &t);
        lua_pushstring(L, buf);
        lua_rawseti(L, -2, i);
    }
    return 1;
}

void sws_lapi_open_cron(lua_State *L)
{
    static const luaL_Reg fns[] = {{"check", sws_lapi_cron_check}, {"next", l_next}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
