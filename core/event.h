/*
 * event.h — named events as C sees them: the handler registry that sws.on
 * fills (lapi_event.c) and emitting an event from domain code (workflow,
 * import, evaluation) to its handlers. Implemented in event.c.
 *
 * The emit functions keep their historical sws_lapi_ names: domain code
 * calls them, so they live here, below the Lua API, and lapi.h includes
 * this header for the files that still reach them through it.
 */
#ifndef SWS_EVENT_H
#define SWS_EVENT_H

#include <lua.h>
#include <stddef.h>

#include "host.h"

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

/*
 * After-events wait for the commit: an informational event (not
 * "*.before_*") emitted while a transaction is open is queued with its
 * payload; sws_lapi_events_settle dispatches the queue once no transaction
 * is open, or drops it if a rollback happened meanwhile. The database calls
 * it after each statement run from Lua.
 */
void sws_lapi_events_settle(sws_host *h);
/* The number of queued events, and dropping those queued after the first n
 * (a savepoint rolled back: sws.db.transaction). */
int sws_lapi_events_pending(sws_host *h);
void sws_lapi_events_truncate(sws_host *h, int n);
/* Whether informational EVENT must wait for an open transaction; and
 * queueing it with the payload on top of the stack (left there). */
int sws_event_deferred(sws_host *h, const char *event);
void sws_event_queue(lua_State *L, const char *event);

/* Removes every event handler that plugin `owner` registered (after it
 * failed to load); sws_plugin_forget removes its commands, jobs and rules. */
void sws_lapi_forget(sws_host *h, const char *owner);

/* ---- the registry, for lapi_event.c (sws.on, sws.emit) ---------------- */

/* Slots of an event's record: parallel lists by handler, in run order;
 * then the count, flags, the event's plain entry (or false) and its name. */
enum { R_FNS = 1, R_SWITCH, R_OWNER, R_PRIO, R_WHERE, R_N, R_UNIFORM, R_VETO, R_PLAIN, R_NAME };

/* Registry keys (lua_rawgetp) of the handler records by event name, and of
 * the plain entries by event name: the events whose handlers all belong to
 * one plugin (or none) and cannot veto, which an emit runs with one lookup
 * (sws_event_dispatch_plain). */
extern const char sws_event_key_handlers, sws_event_key_plain;

/* Creates the handler registry and the dispatchers in the state. Raises a
 * Lua error when out of memory. */
void sws_event_init(lua_State *L);

/* Adds the function on top of the stack (popped) as a handler of event,
 * after the handlers of the same or higher priority, for plugin owner
 * (NULL for none) defined at `where` ("file:line"). Raises a Lua error when
 * out of memory. */
void sws_event_add_handler(lua_State *L, const char *event, lua_Integer prio, const char *owner,
                           const char *where);

/* Runs the handlers of a plain entry (a stack index, a value of the table
 * at sws_event_key_plain) with the payload at index `payload`, each
 * failure logged and counted in *failed (if not NULL). Leaves the stack as
 * it found it. The caller checks that the event need not wait for a
 * commit (sws_event_deferred). */
void sws_event_dispatch_plain(sws_host *h, const char *event, int payload, int plain, int *failed);

/* Runs the handlers of record `rec` (a stack index) with the payload at
 * index `payload`; returns 1 when vetoed (reason in veto). Leaves the stack
 * as it found it. */
int sws_event_dispatch(sws_host *h, const char *event, int payload, int rec, int *failed,
                       char *veto, size_t vetolen);

#endif
