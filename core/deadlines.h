/*
 * deadlines.h — workflow deadlines that pass unmet, for the daemon.
 *
 * Entering a stage opens deadlines (workflow.c: due N months after the
 * stage opened, from the policy). When a deadline's day has passed and it
 * is still unmet, the daemon runs the core job `deadline_overdue` once for
 * it (job_run "deadline_overdue@<id>"), which logs it and emits the event
 * `deadline.overdue` {id, station, what, due} to the plugins.
 */
#ifndef SWS_DEADLINES_H
#define SWS_DEADLINES_H

#include <sqlite3.h>

#include "error.h"
#include "host.h"

/* Calls fn for each deadline that is unmet, due before `today` and not yet
 * handled (no deadline_overdue run). 0, or -1 with e. */
int sws_deadlines_overdue(sqlite3 *db, const char *today,
                          void (*fn)(long long id, const char *due, void *ud), void *ud,
                          sws_error *e);

/* The job deadline_overdue for deadline id: logs it and emits
 * deadline.overdue unless it was met meanwhile. 0, or -1 with e. */
int sws_deadline_report(sws_host *h, long long id, sws_error *e);

#endif
