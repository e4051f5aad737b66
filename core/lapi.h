/*
 * lapi.h — the `sws` Lua API: one file per module (lapi_db.c, lapi_re.c, …),
 * assembled into one table by lapi.c. The glue between C and Lua lives only
 * in these files; domain code never touches the Lua stack.
 */
#ifndef SWS_LAPI_H
#define SWS_LAPI_H

#include <lua.h>

#include "error.h"

typedef struct sws_host sws_host;

#define SWS_API_VERSION 1

/* Pushes the complete `sws` table (not yet proxied). */
void sws_lapi_open(lua_State *L);

/* Each pushes its module's table. */
void sws_lapi_open_db(lua_State *L);    /* sws.db */
void sws_lapi_open_re(lua_State *L);    /* sws.re */
void sws_lapi_open_json(lua_State *L);  /* sws.json */
void sws_lapi_open_date(lua_State *L);  /* sws.date */
void sws_lapi_open_log(lua_State *L);   /* sws.log */
void sws_lapi_open_workflow(lua_State *L); /* sws.workflow */
void sws_lapi_open_eval(lua_State *L);  /* sws.eval (lapi_eval.c) */
void sws_lapi_open_event(lua_State *L, int sws_table); /* sws.on, sws.emit into sws_table */
void sws_lapi_open_plugin(lua_State *L, int sws_table); /* sws.job, sws.command */
void sws_lapi_open_check(lua_State *L, int sws_table);  /* sws.check */

/*
 * Emits EVENT to its handlers, in priority order, with the payload on top
 * of the stack (popped). Handlers are isolated: one that fails is logged
 * with its plugin and place, and the rest still run. An event whose name
 * has ".before_" may be vetoed: a handler returning false (and a reason),
 * or failing, stops it; then 1 is returned with the reason in veto. After
 * events return 0; *failed (if not NULL) counts handlers that failed.
 */
int sws_lapi_emit(sws_host *h, const char *event, int *failed, char *veto, size_t vetolen);

/* Whether any handler listens to EVENT (so callers can skip building payloads). */
int sws_lapi_has_handlers(sws_host *h, const char *event);

/* Removes every handler, command and job that plugin `owner` registered
 * (after it failed to load). */
void sws_lapi_forget(sws_host *h, const char *owner);
void sws_lapi_plugin_forget(sws_host *h, const char *owner);

/* Imports PATH as kind k through the host's database, emitting
 * import.before_row (vetoable) and import.completed (see lapi_import.c). */
struct sws_import_kind;
struct sws_import_opts;
struct sws_import_result;
int sws_lapi_import(sws_host *h, const struct sws_import_kind *k, const char *path,
                    struct sws_import_opts *opts, struct sws_import_result *res, sws_error *e);

/* Installs the SQLite authorizer that enforces each caller's rights. */
int sws_lapi_db_attach(sws_host *h, sws_error *e);
void sws_lapi_db_detach(sws_host *h);

#endif
