/*
 * luatab.h — building Lua tables from C: set a field of the table on top of
 * the stack. Shared by the Lua API (lapi_*.c, through lapi.h) and the
 * bridges that hand domain data to Lua (eval_lua.c, workflow.c, check.c).
 */
#ifndef SWS_LUATAB_H
#define SWS_LUATAB_H

#include <lua.h>

/* t[k] = v for the table on top of the stack; a NULL string sets nothing. */
void sws_set_str(lua_State *L, const char *k, const char *v);
void sws_set_num(lua_State *L, const char *k, double v);
void sws_set_int(lua_State *L, const char *k, lua_Integer v);
void sws_set_bool(lua_State *L, const char *k, int v);

#endif
