/* plugin_scope.c — the counties a plugin serves (see plugin_scope.h). */
#include "plugin_scope.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "import.h"

/* Registry key of {plugin name = {county = true}}; a plugin that serves
 * every county has no entry. */
static const char KEY_SCOPE = 's';

static int is_county_code(const char *s)
{
    if (strlen(s) != 6)
        return 0;
    for (int i = 0; i < 6; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Pushes the table of every plugin's counties, creating it on first use. */
static void push_scopes(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_SCOPE) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_SCOPE);
}

int sws_plugin_scope_read(lua_State *L, int idx, const char *plugin, char *why, size_t whylen)
{
    idx = lua_absindex(L, idx);
    push_scopes(L);
    lua_pushnil(L);
    lua_setfield(L, -2, plugin); /* a reloaded manifest starts afresh */
    int t = lua_type(L, idx);
    if (t == LUA_TNIL || (t == LUA_TSTRING && strcmp(lua_tostring(L, idx), "*") == 0)) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE) {
        lua_pop(L, 1);
        snprintf(why, whylen, "counties must be \"*\" or a list of county codes such as "
                 "{\"330302\"}, not a %s", lua_typename(L, t));
        return -1;
    }
    lua_newtable(L);
    for (lua_Integer i = 1; lua_rawgeti(L, idx, i) != LUA_TNIL; i++) {
        const char *code = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!code || !is_county_code(code)) {
            snprintf(why, whylen, "counties entry %lld must be a 6-digit county code such as "
                     "\"330302\", not '%s'", (long long)i, code ? code : luaL_typename(L, -1));
            lua_pop(L, 3);
            return -1;
        }
        lua_pushboolean(L, 1);
        lua_rawset(L, -3); /* set[code] = true */
    }
    lua_pop(L, 1);
    lua_setfield(L, -2, plugin);
    lua_pop(L, 1);
    return 0;
}

int sws_plugin_scope_push(lua_State *L, const char *plugin)
{
    if (!plugin || !plugin[0])
        return 0;
    push_scopes(L);
    if (lua_getfield(L, -1, plugin) != LUA_TTABLE) {
        lua_pop(L, 2);
        return 0;
    }
    lua_remove(L, -2);
    return 1;
}

int sws_plugin_serves(lua_State *L, const char *plugin, const char *county)
{
    if (!sws_plugin_scope_push(L, plugin))
        return 1;
    int in = county && lua_getfield(L, -1, county) == LUA_TBOOLEAN;
    lua_pop(L, county ? 2 : 1);
    return in;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sws_plugin_scope_text(lua_State *L, const char *plugin, char *out, size_t n)
{
    snprintf(out, n, "every county");
    if (!sws_plugin_scope_push(L, plugin))
        return;
    const char *codes[64];
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        if (k < sizeof codes / sizeof codes[0])
            codes[k++] = lua_tostring(L, -1); /* kept alive by the set */
    }
    qsort(codes, k, sizeof codes[0], by_code);
    out[0] = '\0';
    for (size_t i = 0, used = 0; i < k && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i ? ", " : "", codes[i]);
    if (k == 0)
        snprintf(out, n, "no county");
    lua_pop(L, 1);
}

int sws_plugin_scope_check_args(lua_State *L, const char *plugin, int argc, char **argv,
                                char *why, size_t whylen)
{
    for (int i = 0; i < argc; i++) {
        const char *county = NULL;
        if (strcmp(argv[i], "--county") == 0 && i + 1 < argc)
            county = argv[i + 1];
        else if (strncmp(argv[i], "--county=", 9) == 0)
            county = argv[i] + 9;
        if (county && !sws_plugin_serves(L, plugin, county)) {
            char list[200];
            sws_plugin_scope_text(L, plugin, list, sizeof list);
            snprintf(why, whylen, "plugin '%s' serves only %s (counties in its manifest.lua): "
                     "--county %s is not one of them", plugin, list, county);
            return -1;
        }
    }
    return 0;
}

/* ---- events ------------------------------------------------------------------ */

/* Copies string field `key` of the table at t into out; whether it was one. */
static int str_field(lua_State *L, int t, const char *key, char *out, size_t n)
{
    int is = lua_getfield(L, t, key) == LUA_TSTRING;
    if (is)
        snprintf(out, n, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return is && out[0];
}

/* The administering unit of a county, township, station or village code
 * (a township's unit_code; its first six digits when it is not stored). */
static void unit_of_place(sws_host *h, const char *code, char unit[8])
{
    snprintf(unit, 8, "%.6s", code);
    if (strlen(code) < 9)
        return;
    sws_error e;
    sqlite3_stmt *st = sws_host_stmt(h, NULL, "SELECT unit_code FROM township "
                                     "WHERE code = substr(?1, 1, 9)", &e);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(unit, 8, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
}

/* The unit of the station of a worker or volunteer (`parent` names the
 * table) with code `code`; whether it is known. */
static int unit_of_person(sws_host *h, const char *parent, const char *code, char unit[8])
{
    const char *sql = strcmp(parent, "worker") == 0
        ? "SELECT t.unit_code FROM worker w JOIN township t ON t.code = w.station_code "
          "WHERE w.code = ?1"
        : "SELECT t.unit_code FROM volunteer v JOIN township t ON t.code = v.station_code "
          "WHERE v.code = ?1";
    sws_error e;
    sqlite3_stmt *st = sws_host_stmt(h, NULL, sql, &e);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0);
    if (found)
        snprintf(unit, 8, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return found;
}

/* The unit of an imported row (the table at row) of import kind `kind`:
 * its administering unit when it names one (admin_code), else its first
 * division code (county, township or station, village), else the station
 * of the worker or volunteer it names. 0 when it names no place. */
static int unit_of_row(sws_host *h, lua_State *L, const char *kind, int row, char unit[8])
{
    const sws_import_kind *k = sws_import_find(kind);
    char v[64];
    if (!k)
        return 0;
    if (str_field(L, row, "admin_code", v, sizeof v)) {
        snprintf(unit, 8, "%.6s", v);
        return 1;
    }
    for (size_t i = 0; i < k->ncols; i++) {
        sws_coltype t = k->cols[i].type;
        if ((t == SWS_COL_COUNTY || t == SWS_COL_TOWNSHIP || t == SWS_COL_VILLAGE) &&
            str_field(L, row, k->cols[i].name, v, sizeof v)) {
            unit_of_place(h, v, unit);
            return 1;
        }
    }
    for (size_t i = 0; i < k->ncols; i++) {
        const char *parent = k->cols[i].parent;
        if (parent && (strcmp(parent, "worker") == 0 || strcmp(parent, "volunteer") == 0) &&
            str_field(L, row, k->cols[i].name, v, sizeof v))
            return unit_of_person(h, parent, v, unit);
    }
    return 0;
}

/* The unit an event belongs to, from its payload at ev: its county, its
 * station, or the imported row's place. 0 when it names none. */
static int unit_of_event(sws_host *h, lua_State *L, int ev, char unit[8])
{
    char v[64], kind[32];
    if (str_field(L, ev, "county", v, sizeof v)) {
        snprintf(unit, 8, "%.6s", v);
        return 1;
    }
    if (str_field(L, ev, "station", v, sizeof v)) {
        unit_of_place(h, v, unit);
        return 1;
    }
    if (!str_field(L, ev, "kind", kind, sizeof kind))
        return 0;
    if (lua_getfield(L, ev, "row") != LUA_TTABLE) {
        lua_pop(L, 1);
        return 0;
    }
    int found = unit_of_row(h, L, kind, lua_gettop(L), unit);
    lua_pop(L, 1);
    return found;
}

/* A copy of the payload at ev whose `results` keeps only the entries of
 * stations the set at `set` holds (`stations` is their number); pushes it
 * and returns that number. */
static int push_own_results(sws_host *h, lua_State *L, int ev, int set)
{
    lua_newtable(L);
    int copy = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, ev)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, copy);
    }
    lua_getfield(L, ev, "results");
    int all = lua_gettop(L);
    lua_newtable(L);
    lua_Integer kept = 0;
    for (lua_Integer i = 1; lua_geti(L, all, i) == LUA_TTABLE; i++) {
        char code[64], unit[8];
        if (str_field(L, -1, "station", code, sizeof code)) {
            unit_of_place(h, code, unit);
            if (lua_getfield(L, set, unit) == LUA_TBOOLEAN) {
                lua_pushvalue(L, -2);
                lua_rawseti(L, -4, ++kept);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_setfield(L, copy, "results");
    lua_pop(L, 1); /* all */
    lua_pushinteger(L, kept);
    lua_setfield(L, copy, "stations");
    return (int)kept;
}

/* The handler of a plugin with counties: upvalues the plugin's handler and
 * its set. Calls the handler with the same arguments when the event is of
 * one of its counties or of none; returns nothing otherwise. */
static int scoped_handler(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    int n = lua_gettop(L), set = lua_upvalueindex(2);
    if (n >= 1 && lua_istable(L, 1)) {
        char unit[8];
        if (unit_of_event(h, L, 1, unit)) {
            int in = lua_getfield(L, set, unit) == LUA_TBOOLEAN;
            lua_pop(L, 1);
            if (!in)
                return 0;
        } else if (lua_getfield(L, 1, "results") == LUA_TTABLE) {
            lua_pop(L, 1);
            if (push_own_results(h, L, 1, set) == 0)
                return 0;
            lua_replace(L, 1);
        } else {
            lua_pop(L, 1);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    return lua_gettop(L);
}

void sws_plugin_scope_wrap_handler(lua_State *L, const char *plugin)
{
    if (!sws_plugin_scope_push(L, plugin))
        return;
    lua_pushcclosure(L, scoped_handler, 2);
}
