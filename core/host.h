/*
 * host.h — the Lua host: sandboxed Lua 5.4 states for plugins, policies and
 * admin scripts, with budgets no script can escape.
 *
 * One host owns one lua_State. Every chunk it runs (a plugin, a policy, a
 * script) gets its own global table, whose reads fall through to read-only
 * proxies of the allowed libraries and of the `sws` API, and whose reads of
 * an undefined name are errors. Each call from C into Lua runs under:
 *   - an instruction budget, enforced as CPU time by a watchdog (Lua, C and
 *     the SQL it runs all count; once tripped it keeps failing, and the
 *     sandbox's pcall/xpcall/coroutine.resume/wrap re-raise it),
 *   - the memory budget of the state (a counting allocator),
 *   - Lua's own C-stack and stack limits (reported as "recursion too deep"),
 * and database access limited by an SQLite authorizer to what the caller's
 * kind allows (policies read only; plugins also write their own tables).
 */
#ifndef SWS_HOST_H
#define SWS_HOST_H

#include <lua.h>
#include <sqlite3.h>
#include <stddef.h>

#include "error.h"

typedef struct sws_host sws_host;

/* What a chunk is, which decides its database rights and default budget. */
typedef enum sws_caller {
    SWS_CALLER_CORE,    /* C code: no limits */
    SWS_CALLER_POLICY,  /* read-only database */
    SWS_CALLER_PLUGIN,  /* read; write its own plugin_<name>_* tables */
    SWS_CALLER_SCRIPT   /* `sws run` / `sws test`: read and write */
} sws_caller;

/* Pushes the complete `sws` API table onto L (not yet proxied); called once
 * while the sandbox is built, under the memory budget (it may raise a Lua
 * error). The embedder provides it: cli.c installs lapi.c's sws_lapi_open. */
typedef void (*sws_host_install_fn)(lua_State *L);

typedef struct sws_host_opts {
    sqlite3 *db;               /* may be NULL: sws.db then raises an error */
    const char *home;          /* folder with plugins/ and policies/ */
    size_t memory_limit;       /* bytes for the whole state (0: 256 MiB) */
    long long hook_budget;     /* instructions per policy/plugin call (0: 10 million) */
    long long script_budget;   /* instructions per `sws run` call (0: 200 million) */
    int verbose;               /* tracebacks in error messages */
    const char *county;        /* county code for plugin enablement, or NULL */
    const char *as_of;         /* YYYY-MM-DD that sws.date.today() returns, or NULL */
    sws_host_install_fn install; /* the API; NULL: the one set by sws_host_set_api */
} sws_host_opts;

/* Sets the API that hosts install when their options name none (the
 * embedder calls it once at start: cli.c for the sws command). Without
 * either, `sws` is an empty table. */
void sws_host_set_api(sws_host_install_fn install);

/* Creates a host. NULL with the reason in e. */
sws_host *sws_host_new(const sws_host_opts *o, sws_error *e);
void sws_host_free(sws_host *h);

lua_State *sws_host_lua(sws_host *h);

/* Makes as_of (YYYY-MM-DD, or NULL for the local date) the date that
 * sws.date.today() answers for the run that follows; returns the previous
 * setting, to hand to sws_host_restore_as_of when the run ends. */
int sws_host_set_as_of(sws_host *h, const char *as_of);
void sws_host_restore_as_of(sws_host *h, int previous);
/* The date the run stands for as YYYY-MM-DD: the as-of date set, else today. */
void sws_host_as_of(sws_host *h, char out[11]);
sqlite3 *sws_host_db(sws_host *h);
const sws_host_opts *sws_host_options(sws_host *h);

/*
 * Loads the text chunk at PATH (never bytecode) into a fresh sandboxed
 * environment named `who` ("plugin 'ledger'", "policy 330302", "script x")
 * and runs it with `nargs` arguments from the stack. On success leaves the
 * environment table and then the chunk's first result on the stack (result
 * on top) and returns 0; on failure pops the arguments and returns -1 with a message
 * that names the file, line and `who` in e.
 */
int sws_host_run_file(sws_host *h, const char *path, const char *who, sws_caller caller,
                      const char *plugin, int nargs, sws_error *e);

/* Like sws_host_run_file for source text in memory; `name` names the chunk
 * in messages and `dir` is where its require() looks first. */
int sws_host_run_buffer(sws_host *h, const char *src, size_t len, const char *name,
                        const char *dir, const char *who, sws_caller caller, const char *plugin,
                        int nargs, sws_error *e);

/* Pushes a fresh sandboxed environment (its own globals over the shared
 * base) for a chunk whose file lies in folder `dir`. */
void sws_host_push_env(lua_State *L, const char *dir);

/* Pops the value on top of the stack into the shared base environment as a
 * global every chunk sees (for test helpers; the sandbox stays read-only). */
void sws_host_set_global(sws_host *h, const char *name);

/*
 * Calls the function below its `nargs` arguments on the stack, protected
 * and under the budget of `caller`; `doing` says what was being done for
 * the message ("guard 'launch'", "handler of 'worker.saved'"). Leaves
 * `nresults` results and returns 0, or pops everything and returns -1.
 */
int sws_host_call(sws_host *h, int nargs, int nresults, sws_caller caller, const char *plugin,
                  const char *doing, sws_error *e);

/* Starts the running call's instruction budget afresh, for a call that
 * works through many units each entitled to a budget of its own (the
 * evaluation's stations): as if each were a call, without a call's cost.
 * A budget already spent stays spent, and the budget of a call around the
 * running one still bounds it. */
void sws_host_renew_budget(sws_host *h);

/* Pushes the host's message handler. A caller that calls often (the event
 * dispatcher) may push it below the function it passes to sws_host_call,
 * which then uses it in place (and leaves it on the stack) instead of
 * inserting and removing one each time. */
void sws_host_push_message_handler(lua_State *L);

/* The kind of caller running now, and its plugin name (or NULL). */
sws_caller sws_host_current_caller(sws_host *h, const char **plugin);

/* Sets the plugin on whose behalf Lua code runs now (the event dispatcher
 * switches it between handlers; sws_host_call restores it on return). */
void sws_host_set_plugin(sws_host *h, const char *plugin);

/* While the next calls run, an error passing through a frame of the Lua
 * function `fn` (lua_topointer) records that frame's local `k`; the event
 * dispatcher uses it to name the handler that failed. NULL stops it.
 * Returns the function marked before. */
const void *sws_host_mark_frame(sws_host *h, const void *fn);
lua_Integer sws_host_marked_index(sws_host *h);

/* The plugin being loaded now (sws.on and sws.job record it), or NULL. */
const char *sws_host_loading_plugin(sws_host *h);

/* Sets who is running now and returns who was (for model functions that
 * write core tables on a plugin's or script's behalf). */
sws_caller sws_host_swap_caller(sws_host *h, sws_caller caller);

/* The host of a Lua state created by sws_host_new. */
sws_host *sws_host_from_lua(lua_State *L);

/* Pushes a read-only proxy of the table at idx (cached per table). */
void sws_host_push_proxy(lua_State *L, int idx);

/* A prepared statement for SQL from the host's cache (key NULL: the SQL
 * itself is the key), prepared on first use. The statement is the cache's:
 * reset it after use and never finalize it; it lives until sws_host_free.
 * When the cache is full an idle entry gives way: a statement being read
 * (sqlite3_stmt_busy) is never evicted under its reader. NULL with e on a
 * preparation error, or when all entries are in use. */
sqlite3_stmt *sws_host_stmt(sws_host *h, const char *key, const char *sql, sws_error *e);

/* Seconds on the monotonic clock. */
double sws_host_monotonic(void);

/* Gives the calls that follow a wall-clock budget of `seconds` from now (0:
 * none): past it a call fails like one over its instruction budget (the
 * CPU-time watchdog's tick checks it), and
 * keeps failing until the limit is set again. The daemon sets it per job. */
void sws_host_set_time_limit(sws_host *h, double seconds);

/* Raises the budget's error in L if the running call's instruction or
 * memory budget has tripped (so that no pcall swallows it); else returns. */
void sws_host_raise_if_tripped(lua_State *L);

/* SQLite's progress handler for statements run from Lua: nonzero (interrupt
 * the statement) once the running call is past its deadline, or when the
 * state's memory plus what SQLite allocated since sws_host_sql_begin passes
 * the memory budget. Core callers are never interrupted. */
int sws_host_sql_progress(sws_host *h);

/* Brackets one statement's run from Lua: SQLite's memory is counted from
 * here, and the progress handler may interrupt it only when `interruptible`
 * (SQLite rolls the whole transaction back when a write inside one is
 * interrupted, which would undo the C caller's work: so only reads, and
 * writes outside any transaction, are cut short). sws_host_sql_end
 * restores what sws_host_sql_begin returned. */
size_t sws_host_sql_begin(sws_host *h, int interruptible);
void sws_host_sql_end(sws_host *h, size_t was);

/* Whether PATH exists and, all links resolved, lies inside the project's
 * plugins/ or policies/ folder: the only places loaders read code from. */
int sws_host_in_code_folder(sws_host *h, const char *path);

/* The load error at idx without the source text Lua quotes ("near '…'"),
 * so that loading a file never echoes its content. */
const char *sws_host_syntax_error(lua_State *L, int idx);

/* Declares table plugin_<plugin>_<name> as plugin's own (from the `tables`
 * of its manifest). -1 with the reason in why when the name is not made of
 * a-z, 0-9 and _, or when another plugin declared the same full name. */
int sws_host_declare_table(const char *plugin, const char *name, char *why, size_t whylen);

/* Whether the database rolled a transaction back since the last reset
 * (SQLite's rollback hook); resets the flag when `reset`. */
int sws_host_rolled_back(sws_host *h, int reset);

/* Bytes the state uses now, and the highest mark. */
size_t sws_host_memory(sws_host *h, size_t *peak);

/* Why the database authorizer last refused a statement ("" when it did
 * not), and clearing it before a statement is prepared (lapi_db.c). */
const char *sws_host_denied(void);
void sws_host_clear_denied(void);

/* Writes a log line "LEVEL [who] message" to stderr, masking ID and
 * mobile numbers that the message may contain. */
void sws_host_log(sws_host *h, const char *level, const char *who, const char *msg);

/* Sends h's log lines (already masked) to fn instead of stderr (the
 * daemon stamps them with its clock and format); NULL goes back to stderr. */
typedef void (*sws_log_sink)(void *ud, const char *level, const char *who, const char *msg);
void sws_host_set_log_sink(sws_host *h, sws_log_sink fn, void *ud);

#endif
