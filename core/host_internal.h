/*
 * host_internal.h — what host.c and sandbox.c share, and nobody else: the
 * host's state and the sandbox's entry points. (A header named
 * <module>_internal.h is private to its module.)
 */
#ifndef SWS_HOST_INTERNAL_H
#define SWS_HOST_INTERNAL_H

#include <lua.h>
#include <sqlite3.h>
#include <stdint.h>

#include "host.h"

struct sws_host {
    lua_State *L;
    sws_host_opts o;
    char home[4096];
    size_t mem, mem_peak, mem_limit;
    unsigned long deadline; /* watchdog tick at which the running call trips (0: none) */
    long long budget_size;  /* the budget as the user set it, for messages */
    unsigned long ceiling;  /* the deadline of the call around the running one (0: none) */
    volatile int budget_tripped;
    char trip_msg[256]; /* the instruction budget's error, as first raised */
    int mem_tripped;
    int depth;                   /* sws_host_call frames open: only the outermost clears a trip */
    int armed_depth;             /* the depth that armed the watchdog, or 0 */
    lua_State *volatile running; /* the thread running now (coroutines switch it) */
    size_t sql_mem_base;         /* SQLite's memory when the running sws.db call began */
    int sql_interruptible;       /* the statement being stepped may be cut short */
    int rolled_back;             /* a rollback since the after-events began to queue */
    volatile int time_tripped;
    int paused; /* the deadline is paused for core work */
    unsigned long paused_deadline, pause_start;
    double wall_deadline, time_limit; /* CLOCK_MONOTONIC seconds, and the limit as set (0: none) */
    sws_log_sink log_sink;            /* where sws_host_log writes (NULL: stderr) */
    void *log_ud;
    sws_caller caller;
    const char *plugin;
    const void *marked_fn; /* see sws_host_mark_frame */
    lua_Integer marked_index;
    struct cached_stmt {
        uint64_t hash;
        char *key;
        sqlite3_stmt *st;
    } stmts[128]; /* sws_host_stmt */
    int nstmts, next_evict;
};

/* Raises again when a budget has tripped, so no pcall can swallow it. */
void sws_host_rethrow_if_tripped(lua_State *L, sws_host *h);

/* Registry key (lua_rawgetp) of the shared, locked base environment. */
extern const char sws_sandbox_key_base;

/* Creates the registry of read-only proxies (real table -> proxy). */
void sws_sandbox_make_proxies(lua_State *L);

/* Builds the shared base environment, with the `sws` table that `install`
 * pushes (an empty one when NULL), and locks the string metatable. */
void sws_sandbox_build_base(lua_State *L, sws_host_install_fn install);

#endif
