/*
 * plugin.h — finding, ordering and loading plugins.
 *
 * A plugin is a folder plugins/<name>/ with manifest.lua (pure data, read
 * first) and init.lua (the code). The manifest says:
 *   return { name = "ledger", version = "1.2.0", api = 1,
 *            requires = {"other"}, counties = "*" or {"330302", ...},
 *            tables = {"hours"},   -- owns plugin_ledger_hours
 *            description = "…" }
 * Plugins load in dependency order. One that fails — a bad manifest, a
 * missing or failed dependency, a cycle, a newer API, an error while its
 * init.lua runs — is reported and skipped; the others still load.
 */
#ifndef SWS_PLUGIN_H
#define SWS_PLUGIN_H

#include <stdio.h>

#include "error.h"
#include "host.h"

/* The version of the `sws` API; a plugin's manifest names the one it needs. */
#define SWS_API_VERSION 1

typedef enum { SWS_PLUGIN_LOADED, SWS_PLUGIN_DISABLED, SWS_PLUGIN_FAILED } sws_plugin_state;

typedef struct sws_plugin {
    char name[64], version[32], description[200], dir[4096];
    int api;
    char requires[8][64];
    int nrequires;
    sws_plugin_state state;
    char reason[1200];
} sws_plugin;

typedef struct sws_plugins {
    sws_plugin *list;
    int n;
} sws_plugins;

/* Loads every plugin under HOME/plugins into h (for `county`, or all when
 * NULL). Failures are recorded per plugin, and logged to stderr when `log`. */
void sws_plugins_load(sws_host *h, const char *county, int log, sws_plugins *out);
void sws_plugins_free(sws_plugins *p);

/* Runs plugin command `name` with args; 0 when there is no such command,
 * 1 when it ran (*status is its exit status), -1 when it failed (in e). */
int sws_plugin_run_command(sws_host *h, const char *name, int argc, char **argv, int *status,
                           sws_error *e);

/* Pops the value on top of the stack (a plugin's init.lua result) and keeps
 * it as what sws.plugin(name) returns. */
void sws_plugin_set_exports(sws_host *h, const char *name);

/* Pushes field `field` of what plugin `name`'s init.lua returned (nil when
 * the plugin is not loaded or has no such field); returns its Lua type. */
int sws_plugin_push_export(sws_host *h, const char *name, const char *field);

/* Pushes the list of rules plugins added with sws.rule ({id, run, severity, doc, owner}). */
void sws_plugin_push_rules(sws_host *h);

/* What a job's function receives (its ctx table); any field may be NULL. */
typedef struct sws_job_context {
    const char *scheduled;  /* ctx.scheduled: the time the run stands for */
    const char *as_of;      /* ctx.as_of: the date sws.date.today() answers */
    const char *county;     /* ctx.county: the county it runs for (per-county jobs) */
    const char *trigger;    /* ctx.trigger: scheduled, catch-up, manual or backfill */
} sws_job_context;

/* Runs job `name` with ctx (NULL: only ctx.job); 0 or -1 with e. */
int sws_plugin_run_job(sws_host *h, const char *name, const sws_job_context *ctx, sws_error *e);

/* Whether job `name` may run for county (1 for a core job, or one whose
 * plugin serves county: plugin_scope.h). */
int sws_plugin_job_serves(sws_host *h, const char *name, const char *county);

/* Whether a plugin registered job `name`. */
int sws_plugin_has_job(sws_host *h, const char *name);

/* Calls fn for each plugin command. */
void sws_plugin_each_command(sws_host *h, void (*fn)(const char *name, const char *help,
                                                     const char *owner, void *ud), void *ud);

/* Removes every command, job and rule that plugin `owner` registered (after
 * it failed to load; sws_lapi_forget removes its event handlers). */
void sws_plugin_forget(sws_host *h, const char *owner);

/* Registry keys (lua_rawgetp) of the tables that sws.command, sws.job,
 * sws.rule and loaded plugins' exports fill (lapi_plugin.c creates them). */
extern const char sws_plugin_key_commands, sws_plugin_key_jobs, sws_plugin_key_exports,
    sws_plugin_key_rules;

/* Calls fn for each plugin job (help is "" when the job has none). */
void sws_plugin_each_job(sws_host *h, void (*fn)(const char *name, const char *help,
                                                 const char *owner, void *ud), void *ud);

#endif
