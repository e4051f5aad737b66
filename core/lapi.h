/*
 * lapi.h — the `sws` Lua API: one file per module (lapi_db.c, lapi_re.c, …),
 * assembled into one table by lapi.c. These files hold only what Lua calls;
 * domain code that calls into Lua does it through the bridge beside its
 * domain (policy.c, eval_lua.c, check_rules.c, plugin.c, event.c), never
 * through these files. The embedder installs the table: sws_lapi_open is
 * the sws_host_install_fn that cli.c gives its hosts.
 */
#ifndef SWS_LAPI_H
#define SWS_LAPI_H

#include <lua.h>

#include "error.h"
#include "event.h"
#include "luatab.h"
#include "plugin.h" /* SWS_API_VERSION */

typedef struct sws_host sws_host;

/* Pushes the complete `sws` table (not yet proxied). */
void sws_lapi_open(lua_State *L);

/* Each pushes its module's table. */
void sws_lapi_open_db(lua_State *L);    /* sws.db */
void sws_lapi_open_re(lua_State *L);    /* sws.re */
void sws_lapi_open_json(lua_State *L);  /* sws.json */
void sws_lapi_open_date(lua_State *L);  /* sws.date */
void sws_lapi_open_log(lua_State *L);   /* sws.log */
void sws_lapi_open_text(lua_State *L);  /* sws.text */
void sws_lapi_open_workflow(lua_State *L); /* sws.workflow */
void sws_lapi_open_eval(lua_State *L);  /* sws.eval (lapi_eval.c) */
void sws_lapi_open_cron(lua_State *L);  /* sws.cron (lapi_cron.c) */
void sws_lapi_open_timer(lua_State *L); /* sws.timer (lapi_timer.c) */

/* sws.cron.check as a C function (the policy library validates schedules with it). */
int sws_lapi_cron_check(lua_State *L);
/* Whether the string argument is a real time "YYYY-MM-DD HH:MM" (for `at`). */
int sws_lapi_cron_check_time(lua_State *L);
void sws_lapi_open_event(lua_State *L, int sws_table); /* sws.on, sws.emit into sws_table */
void sws_lapi_open_plugin(lua_State *L, int sws_table); /* sws.job, sws.command */
void sws_lapi_open_check(lua_State *L, int sws_table);  /* sws.check, sws.coverage */
void sws_lapi_open_mask(lua_State *L);  /* sws.mask (lapi_mask.c) */

void sws_lapi_open_csv(lua_State *L);   /* sws.csv (lapi_csv.c) */

/* Whether the value at idx is sws.json.null. */
int sws_lapi_is_json_null(lua_State *L, int idx);

/* Pushes the Lua value of a cJSON item, as sws.json.decode would. */
struct cJSON;
void sws_lapi_push_json(lua_State *L, const struct cJSON *item);

/* Loads the embedded policy library into the `sws` table at sws_table
 * (sws.policy), then every other embedded module (core/lua/<name>.lua),
 * each called with (helpers, policy library); their results are kept as
 * library.modules[name]. */
void sws_lapi_open_policy(lua_State *L, int sws_table);

/* Imports PATH as kind k through the host's database, emitting
 * import.before_row (vetoable) and import.completed (see lapi_import.c). */
struct sws_import_kind;
struct sws_import_opts;
struct sws_import_result;
int sws_lapi_import(sws_host *h, const struct sws_import_kind *k, const char *path,
                    struct sws_import_opts *opts, struct sws_import_result *res, sws_error *e);

#endif
