/*
 * lapi_csv.c — sws.csv: the core's CSV cell (core/csvwrite.c) for Lua, so
 * that every CSV the product writes, plugins' included, quotes and
 * neutralizes spreadsheet formulas by the one rule.
 */
#include <lauxlib.h>
#include <stdint.h>

#include "lapi.h"
#include "csvwrite.h"

/* sws.csv.cell(v) → v as one CSV cell: nil and sws.json.null give "",
 * booleans "1"/"0", whole floats their integer, other numbers as tostring,
 * strings neutralized (a leading ' before =, +, -, @, tab, CR, except a
 * plain number) and quoted when they hold a comma, a quote, CR or LF. */
static int l_cell(lua_State *L)
{
    int t = lua_type(L, 1);
    if (t == LUA_TNONE || t == LUA_TNIL || sws_lapi_is_json_null(L, 1)) {
        lua_pushliteral(L, "");
        return 1;
    }
    if (t == LUA_TBOOLEAN) {
        lua_pushstring(L, lua_toboolean(L, 1) ? "1" : "0");
        return 1;
    }
    if (t == LUA_TNUMBER) {
        lua_Integer i;
        if (!lua_isinteger(L, 1) && lua_numbertointeger(lua_tonumber(L, 1), &i) &&
            (lua_Number)i == lua_tonumber(L, 1))
            lua_pushinteger(L, i);
        else
            lua_pushvalue(L, 1);
        lua_tostring(L, -1);
        return 1;
    }
    luaL_argexpected(L, t == LUA_TSTRING, 1, "string, number, boolean or nil");
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    luaL_argcheck(L, len < (SIZE_MAX - 3) / 2, 1, "string too long for a CSV cell");
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, SWS_CSV_CELL_MAX(len));
    luaL_pushresultsize(&b, sws_csv_cell(s, len, out));
    return 1;
}

void sws_lapi_open_csv(lua_State *L)
{
    static const luaL_Reg fns[] = {{"cell", l_cell}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
