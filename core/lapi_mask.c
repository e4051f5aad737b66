/*
 * lapi_mask.c — sws.mask: how personal data may appear in what people see.
 *
 *   sws.mask.name("张三丰")          --> "张**"
 *   sws.mask.address("温州市鹿城区五马街道1号")  --> "温州市鹿城区****"
 *   sws.mask.text(s)                 --> s with every ID and mobile number masked
 *
 * The database keeps ID and mobile numbers masked already; names and
 * addresses are kept whole and masked here, in every report, unless the
 * reader asked for them with `--reveal --reason` (mask.h has the rules).
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"

/* Pushes fn(s) for a string argument; nil stays nil. */
static int mask_with(lua_State *L, void (*fn)(const char *, char *, size_t))
{
    if (lua_isnoneornil(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, len + 16);
    fn(s, out, len + 16);
    luaL_pushresultsize(&b, strlen(out));
    return 1;
}

/** sws.mask.name(s) -> the first character and one '*' per further character */
static int l_name(lua_State *L) { return mask_with(L, sws_mask_name); }

/** sws.mask.address(s) -> the first 6 characters and "****" */
static int l_address(lua_State *L) { return mask_with(L, sws_mask_address); }

/** sws.mask.text(s) -> s with every standalone ID and mobile number masked */
static int l_text(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, len);
    memcpy(out, s, len);
    sws_mask_numbers_in(out, len);
    luaL_pushresultsize(&b, len);
    return 1;
}

void sws_lapi_open_mask(lua_State *L)
{
    static const luaL_Reg fns[] = {
        {"name", l_name}, {"address", l_address}, {"text", l_text}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
