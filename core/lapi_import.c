/*
 * lapi_import.c — imports with events, and sws.import for scripts.
 *
 *   import.before_row   before each valid row is stored; a handler may veto
 *                       it: {kind, file, line, row = {column = value}}
 *                       (ID and mobile numbers arrive masked)
 *   <thing>.saved       after the file was committed, one per stored row
 *   / <thing>.added     (the kind's event: station.saved, worker.saved,
 *                       service.added, …): {kind, row = {column = value}}
 *   import.completed    after the file was committed:
 *                       {kind, table, file, rows, imported, rejected}
 *
 * The per-row payload is built only when a handler listens, so an import
 * nobody watches pays nothing.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "chores_policy.h"
#include "host.h"
#include "import.h"
#include "mask.h"

typedef struct watch {
    sws_host *h;
    int stored;       /* stack index of the list of stored rows, or 0 */
    char veto[1024];
} watch;

/* Pushes {kind = …, row = {column = value}} with personal numbers masked. */
static void push_row(lua_State *L, const sws_import_kind *k, const sws_import_row *row)
{
    lua_createtable(L, 0, 4);
    lua_pushstring(L, k->name);
    lua_setfield(L, -2, "kind");
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
}

static const char *before_row(void *ud, const sws_import_kind *k, const sws_import_row *row,
                              const char *path, long line)
{
    watch *w = ud;
    lua_State *L = sws_host_lua(w->h);
    push_row(L, k, row);
    lua_pushstring(L, path);
    lua_setfield(L, -2, "file");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    if (sws_lapi_emit(w->h, "import.before_row", NULL, w->veto, sizeof w->veto))
        return w->veto;
    return NULL;
}

/* Keeps each stored row until the commit, when its event is emitted. */
static void stored_row(void *ud, const sws_import_kind *k, const sws_import_row *row)
{
    watch *w = ud;
    lua_State *L = sws_host_lua(w->h);
    push_row(L, k, row);
    lua_rawseti(L, w->stored, (lua_Integer)lua_rawlen(L, w->stored) + 1);
}

int sws_lapi_import(sws_host *h, const sws_import_kind *k, const char *path,
                    sws_import_opts *opts, sws_import_result *res, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L);
    /* service records are judged against the chore patterns recorded per
     * county: bring those in step with the policies first */
    if (strcmp(k->table, "service_record") == 0 &&
        sws_chores_sync(h, opts->diag, e) < 0) {
        memset(res, 0, sizeof *res);
        return -1;
    }
    watch w = {.h = h};
    opts->ud = &w;
    if (sws_lapi_has_handlers(h, "import.before_row"))
        opts->before_row = before_row;
    if (k->event && !opts->dry_run && sws_lapi_has_handlers(h, k->event)) {
        lua_newtable(L);
        w.stored = lua_gettop(L);
        opts->stored_row = stored_row;
    }
    int rc = sws_import_file(sws_host_db(h), k, path, opts, res, e);
    opts->before_row = NULL;
    opts->stored_row = NULL;
    if (rc < 0) {
        lua_settop(L, top);
        return -1;
    }
    for (lua_Integer i = 1; w.stored && i <= (lua_Integer)lua_rawlen(L, w.stored); i++) {
        lua_rawgeti(L, w.stored, i);
        sws_lapi_emit(h, k->event, NULL, NULL, 0);
    }
    lua_settop(L, top);
    if (!opts->dry_run && sws_lapi_has_handlers(h, "import.completed")) {
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
