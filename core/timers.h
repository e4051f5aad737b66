/*
 * timers.h — plugin timers (sws.timer) as the daemon sees them: a table of
 * the active timers in each Lua state, and the backend that waits for them.
 *
 * lapi_timer.c (what Lua calls) adds and stops timers here; the daemon
 * (serve.c) attaches a backend that arms them on its loop, and fires them
 * through this bridge. Without a backend — `sws run`, `sws job run` —
 * creating a timer is an error, since nothing would ever fire it.
 */
#ifndef SWS_TIMERS_H
#define SWS_TIMERS_H

#include <lua.h>

#include "error.h"
#include "host.h"

/* What timers need from the loop that runs them: arm timer `id` to fire
 * after `after` seconds and then every `every` seconds (0: once), returning
 * 0 or -1; disarm it. ud is passed back. */
typedef struct sws_timer_backend {
    void *ud;
    int (*arm)(void *ud, lua_Integer id, double after, double every);
    void (*disarm)(void *ud, lua_Integer id);
} sws_timer_backend;

/* Attaches the backend of h's timers (NULL detaches: timers are refused). */
void sws_timers_attach(sws_host *h, const sws_timer_backend *b);

/* Adds a timer calling the function at stack index fn after `seconds`
 * (repeating when `repeat`), owned by the plugin running or loading now,
 * and arms it; returns its id. Raises a Lua error naming `fname` when no
 * backend is attached, too many timers are active or the backend refuses. */
lua_Integer sws_timers_add(lua_State *L, int fn, double seconds, int repeat, const char *fname);

/* Stops timer id; 1 when it was still active, else 0. */
int sws_timers_stop(lua_State *L, lua_Integer id);

/* Runs timer id's callback with `cancelled` under its plugin's budget; a
 * one-shot or cancelled timer is forgotten first. 1 when no such timer is
 * active (stopped meanwhile), 0 when it ran, -1 with e when it failed. */
int sws_timers_fire(sws_host *h, lua_Integer id, int cancelled, sws_error *e);

/* Ends every timer of h: each callback runs once with cancelled = true
 * (failures are logged). Returns how many failed. */
int sws_timers_cancel_all(sws_host *h);

#endif
