/*
 * deadlines.c — overdue workflow deadlines (see deadlines.h): the query the
 * daemon scans with, and the job that reports one to the plugins (the
 * bridge from the workflow's tables to the event `deadline.overdue`).
 */
#include "deadlines.h"

#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "event.h"
#include "luatab.h"
#include "text.h"

int sws_deadlines_overdue(sqlite3 *db, const char *today,
                          void (*fn)(long long id, const char *due, void *ud), void *ud,
                          sws_error *e)
{
    sqlite3_stmt *q = NULL;
    if (sws_db_prepare(db, "SELECT d.id, d.due FROM deadline d WHERE d.met IS NULL AND d.due < ? "
                           "AND NOT EXISTS (SELECT 1 FROM job_run r "
                           "WHERE r.job = 'deadline_overdue@' || d.id) ORDER BY d.due, d.id",
                       &q, e) < 0)
        return -1;
    sqlite3_bind_text(q, 1, today, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        fn(sqlite3_column_int64(q, 0), (const char *)sqlite3_column_text(q, 1), ud);
    if (rc != SQLITE_DONE)
        sws_errorf(e, "cannot read the deadlines: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

int sws_deadline_report(sws_host *h, long long id, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *q = NULL;
    if (sws_db_prepare(db, "SELECT station_code, what, due, met FROM deadline WHERE id = ?", &q, e) <
        0)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sws_errorf(e, "no deadline %lld (deadline_overdue@ID names a workflow deadline)", id);
    }
    char station[16], what[128], due[16], msg[300];
    snprintf(station, sizeof station, "%s", (const char *)sqlite3_column_text(q, 0));
    snprintf(what, sizeof what, "%s", (const char *)sqlite3_column_text(q, 1));
    snprintf(due, sizeof due, "%s", (const char *)sqlite3_column_text(q, 2));
    int met = sqlite3_column_type(q, 3) != SQLITE_NULL;
    sqlite3_finalize(q);
    if (met) { /* met since the scan: nothing to report */
        snprintf(msg, sizeof msg, "station %s: deadline '%s' (due %s) was met meanwhile", station,
                 what, due);
        sws_host_log(h, "INFO", "deadline_overdue", msg);
        return 0;
    }
    snprintf(msg, sizeof msg, "station %s: deadline '%s' was due on %s and is not met", station,
             what, due);
    sws_host_log(h, "WARN", "deadline_overdue", msg);
    if (sws_lapi_has_handlers(h, "deadline.overdue")) {
        lua_State *L = sws_host_lua(h);
        lua_createtable(L, 0, 4);
        sws_set_int(L, "id", (lua_Integer)id);
        sws_set_str(L, "station", station);
        sws_set_str(L, "what", what);
        sws_set_str(L, "due", due);
        int failed = 0;
        sws_lapi_emit(h, "deadline.overdue", &failed, NULL, 0);
        if (failed)
            return sws_errorf(e, "%d %s of deadline.overdue failed (see the log)", failed,
                              sws_plural(failed, "handler", "handlers"));
    }
    return 0;
}
