/*
 * lapi_text.c — sws.text: the width of UTF-8 text in terminal columns, and
 * padding to a width, so that plugin tables of Chinese text align (a
 * Chinese character is 3 bytes but 2 columns; string.format counts bytes),
 * and the noun that agrees with a count.
 */
#include <lauxlib.h>
#include <string.h>

#include "lapi.h"
#include "text.h"

/* sws.text.width(s) → the columns s takes. */
static int l_width(lua_State *L)
{
    lua_pushinteger(L, sws_text_width(luaL_checkstring(L, 1)));
    return 1;
}

/* sws.text.pad(s, width [, "left"|"right"]) → s padded with spaces to width
 * columns (aligned left by default); never cut. */
static int l_pad(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_Integer width = luaL_checkinteger(L, 2);
    static const char *const aligns[] = {"left", "right", NULL};
    int right = luaL_checkoption(L, 3, "left", aligns);
    luaL_argcheck(L, width >= 0 && width <= 4096, 2, "width must be from 0 to 4096");
    lua_Integer fill = width - sws_text_width(s);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    if (!right)
        luaL_addlstring(&b, s, len);
    for (lua_Integer i = 0; i < fill; i++)
        luaL_addchar(&b, ' ');
    if (right)
        luaL_addlstring(&b, s, len);
    luaL_pushresult(&b);
    return 1;
}

/* sws.text.plural(n, one, many) → one when n is 1, else many, so that a
 * count agrees with its noun ("1 station", "3 stations"). */
static int l_plural(lua_State *L)
{
    lua_Number n = luaL_checknumber(L, 1);
    luaL_checkstring(L, 2);
    luaL_checkstring(L, 3);
    lua_pushstring(L, sws_plural(n == 1 ? 1 : 2, lua_tostring(L, 2), lua_tostring(L, 3)));
    return 1;
}

void sws_lapi_open_text(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"width", l_width}, {"pad", l_pad}, {"plural", l_plural}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
