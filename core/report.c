/* report.c — the bridge from C to the reports plugin (report.h). */
#include "report.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mask.h"
#include "plugin.h"

/* Pushes opts as the Lua table render() receives. */
static void push_opts(lua_State *L, const sws_report_opts *o)
{
    lua_createtable(L, 0, 9);
    const char *keys[] = {"format", "county", "station", "from", "to", "as_of", "batch"};
    const char *vals[] = {o->format, o->county, o->station, o->from, o->to, o->as_of, o->batch};
    for (int k = 0; k < 7; k++)
        if (vals[k]) {
            lua_pushstring(L, vals[k]);
            lua_setfield(L, -2, keys[k]);
        }
    lua_pushinteger(L, o->year ? o->year : atoi(o->as_of));
    lua_setfield(L, -2, "year");
    lua_pushboolean(L, o->reveal);
    lua_setfield(L, -2, "reveal");
}

int sws_report_render(sws_host *h, const sws_report_opts *o, char **doc, size_t *len, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    *doc = NULL;
    *len = 0;
    if (sws_plugin_push_export(h, "reports", "render") != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return sws_errorf(e, "report %s: the reports plugin is not loaded (see `sws plugin list`)",
                          o->kind);
    }
    lua_pushstring(L, o->kind);
    push_opts(L, o);
    char doing[96];
    snprintf(doing, sizeof doing, "report %s", o->kind);
    if (sws_host_call(h, 2, 1, SWS_CALLER_PLUGIN, "reports", doing, e) < 0)
        return -1;
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (!s || lua_type(L, -1) != LUA_TSTRING) {
        lua_pop(L, 1);
        return sws_errorf(e, "report %s: render returned no document", o->kind);
    }
    *doc = malloc(n + 1);
    if (!*doc) {
        lua_pop(L, 1);
        return sws_errorf(e, "report %s: out of memory", o->kind);
    }
    memcpy(*doc, s, n + 1);
    lua_pop(L, 1);
    sws_mask_numbers_in(*doc, n); /* whatever a template wrote */
    *len = n;
    return 0;
}

int sws_report_write(const char *path, const char *doc, size_t len, int bom, sws_error *e)
{
    FILE *f = path ? fopen(path, "wb") : stdout;
    if (!f)
        return sws_errorf(e, "cannot write %s", path);
    int ok = (!bom || fwrite("\xEF\xBB\xBF", 1, 3, f) == 3) && fwrite(doc, 1, len, f) == len;
    if (path)
        ok = fclose(f) == 0 && ok;
    else
        ok = fflush(f) == 0 && ok;
    return ok ? 0 : sws_errorf(e, "cannot write %s", path ? path : "the standard output");
}
