/*
 * lapi_import.c — imports with events, and sws.import for scripts.
 *
 *   import.before_row   before each valid row is stored; a handler may veto
 *                       it: {kind, file, line, row = {column = value}}
 *                       (ID and mobile numbers arrive masked)
 *   import.completed    after the file was committed:
 *                       {kind, table, file, rows, imported, rejected}
 *
 * The per-row payload is built only when a handler listens, so an import
 * nobody watches pays nothing.
 */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "import.h"
#include "lapi.h"
#include "mask.h"

typedef struct watch {
    sws_host *h;
    char veto[1024];
} watch;

static const char *before_row(void *ud, const sws_import_kind *k, const sws_import_row *row,
                              const char *path, long line)
{
    watch *w = ud;
    lua_State *L = sws_host_lua(w->h);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, k->name);
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, path);
    lua_setfield(L, -2, "file");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    lua_createtable(L, 0, (int)k->ncols);
    for (size_t i = 0; i < k->ncols; i++) {
        const char *v = sws_import_value(row, k->cols[i].name);
        char masked[20];
        if (!v[0])
            continue;
        if (k->cols[i].type == SWS_COL_ID_NUMBER) {
            sws_mask_id_number(v, masked);
            v = masked;
        } else if (k->cols[i].type == SWS_COL_MOBILE) {
            sws_mask_mobile(v, masked);
            v = masked;
        }
        lua_pushstring(L, v);
        lua_setfield(L, -2, k->cols[i].name);
    }
    lua_setfield(L, -2, "row");
    if (sws_lapi_emit(w->h, "import.before_row", NULL, w->veto, sizeof w->veto))
        return w->veto;
    return NULL;
}

int sws_lapi_import(sws_host *h, const sws_import_kind *k, const char *path,
                    sws_import_opts *opts, sws_import_result *res, sws_error *e)
{
    watch w = {.h = h};
    if (sws_lapi_has_handlers(h, "import.before_row")) {
        opts->before_row = before_row;
        opts->ud = &w;
    }
    if (sws_import_file(sws_host_db(h), k, path, opts, res, e) < 0)
        return -1;
    opts->before_row = NULL;
    if (sws_lapi_has_handlers(h, "import.completed")) {
        lua_State *L = sws_host_lua(h);
        lua_createtable(L, 0, 6);
        lua_pushstring(L, k->name);
        lua_setfield(L, -2, "kind");
        lua_pushstring(L, k->table);
        lua_setfield(L, -2, "table");
        lua_pushstring(L, path);
        lua_setfield(L, -2, "file");
        lua_pushinteger(L, res->rows);
        lua_setfield(L, -2, "rows");
        lua_pushinteger(L, res->imported);
        lua_setfield(L, -2, "imported");
        lua_pushinteger(L, res->rejected);
        lua_setfield(L, -2, "rejected");
        sws_lapi_emit(h, "import.completed", NULL, NULL, 0);
    }
    return 0;
}
