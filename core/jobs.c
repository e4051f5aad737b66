/*
 * jobs.c — running a job and recording the run (see jobs.h).
 *
 * The claim is one INSERT … ON CONFLICT DO NOTHING on the unique (job,
 * scheduled_at), committed before the job starts: a daemon that dies in the
 * middle of a run leaves a 'running' row, which is never run again by
 * itself (the operator sees it in `sws job history` and may backfill it).
 */
#include "jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "county_report.h"
#include "db.h"
#include "deadlines.h"
#include "plugin.h"

const char *sws_trigger_name(sws_trigger t)
{
    static const char *const names[] = {"scheduled", "catch-up", "manual", "backfill"};
    return names[t];
}

void sws_job_split(const char *instance, char *job, size_t jn, char *county, size_t cn)
{
    const char *at = strchr(instance, '@');
    size_t len = at ? (size_t)(at - instance) : strlen(instance);
    snprintf(job, jn, "%.*s", (int)len, instance);
    snprintf(county, cn, "%s", at ? at + 1 : "");
}

void sws_job_stamp(char *buf, size_t n)
{
    time_t now = time(NULL);
    struct tm t;
    localtime_r(&now, &t);
    char zone[8];
    strftime(zone, sizeof zone, "%z", &t); /* +0800 -> +08:00 */
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%d %H:%M:%S", &t);
    snprintf(buf, n, "%s%.3s:%.2s", base, zone, zone + 3);
}

/* The jobs the core implements, each given what it needs of the request. */
typedef int (*core_job)(sws_host *h, const sws_job_request *r, sws_error *e);

static int county_report(sws_host *h, const sws_job_request *r, sws_error *e)
{
    char now[40];
    sws_job_stamp(now, sizeof now);
    return sws_county_report_run(h, r->county, r->as_of, r->reports_dir, now, e);
}

static int county_report_reminder(sws_host *h, const sws_job_request *r, sws_error *e)
{
    return sws_county_report_remind(h, r->county, r->as_of, e);
}

/* deadline_overdue@ID */
static int deadline_overdue(sws_host *h, const sws_job_request *r, sws_error *e)
{
    const char *at = strchr(r->instance, '@');
    return sws_deadline_report(h, at ? atoll(at + 1) : 0, e);
}

static const struct {
    const char *name;
    core_job run;
} CORE_JOBS[] = {
    {"county_report", county_report},
    {"county_report_reminder", county_report_reminder},
    {"deadline_overdue", deadline_overdue},
};

static core_job find_core_job(const char *name)
{
    for (size_t i = 0; i < sizeof CORE_JOBS / sizeof CORE_JOBS[0]; i++)
        if (strcmp(CORE_JOBS[i].name, name) == 0)
            return CORE_JOBS[i].run;
    return NULL;
}

int sws_job_exists(sws_host *h, const char *name)
{
    return find_core_job(name) != NULL || sws_plugin_has_job(h, name);
}

int sws_job_serves(sws_host *h, const char *name, const char *county)
{
    return find_core_job(name) != NULL || sws_plugin_job_serves(h, name, county);
}

int sws_job_execute(sws_host *h, const sws_job_request *r, sws_error *e)
{
    core_job fn = find_core_job(r->job);
    int saved_as_of = sws_host_set_as_of(h, r->as_of); /* sws.date.today() in the job */
    sws_host_set_time_limit(h, r->timeout);
    int rc;
    if (fn) {
        rc = fn(h, r, e);
    } else {
        sws_job_context ctx = {.scheduled = r->scheduled_at, .as_of = r->as_of,
                               .county = r->county, .trigger = sws_trigger_name(r->trigger)};
        rc = sws_plugin_run_job(h, r->job, &ctx, e);
    }
    sws_host_set_time_limit(h, 0);
    sws_host_restore_as_of(h, saved_as_of);
    return rc;
}

/* Inserts the claim; 1 claimed, 0 taken (prior outcome in prior), -1 error. */
static int claim(sqlite3 *db, const sws_job_request *r, int retry, char *prior, size_t priorlen,
                 sws_error *e)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;
    char now[40];
    sws_job_stamp(now, sizeof now);
    const char *sql =
        retry ? "INSERT INTO job_run(job, scheduled_at, as_of, trigger, started, outcome, attempts, "
                "policy_version) VALUES(?1, ?2, ?3, ?4, ?5, 'running', 1, ?6) "
                "ON CONFLICT(job, scheduled_at) DO UPDATE SET outcome = 'running', started = ?5, "
                "finished = NULL, trigger = ?4, attempts = attempts + 1 "
                "WHERE outcome IN ('failed', 'skipped')"
              : "INSERT INTO job_run(job, scheduled_at, as_of, trigger, started, outcome, attempts, "
                "policy_version) VALUES(?1, ?2, ?3, ?4, ?5, 'running', 1, ?6) "
                "ON CONFLICT(job, scheduled_at) DO NOTHING";
    if (sws_db_prepare(db, sql, &st, e) < 0)
        goto cleanup;
    sqlite3_bind_text(st, 1, r->instance, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->scheduled_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->as_of, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sws_trigger_name(r->trigger), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, r->policy_version, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sws_errorf(e, "cannot record the run of %s at %s: %s", r->instance, r->scheduled_at,
                   sqlite3_errmsg(db));
        goto cleanup;
    }
    rc = sqlite3_changes(db) > 0;
    if (!rc && prior) {
        sqlite3_finalize(st);
        st = NULL;
        if (sws_db_prepare(db, "SELECT outcome FROM job_run WHERE job = ? AND scheduled_at = ?",
                           &st, e) < 0) {
            rc = -1;
            goto cleanup;
        }
        sqlite3_bind_text(st, 1, r->instance, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, r->scheduled_at, -1, SQLITE_STATIC);
        snprintf(prior, priorlen, "%s",
                 sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "?");
    }
cleanup:
    sqlite3_finalize(st);
    return rc;
}

/* Sets the outcome of r's row. */
static int finish(sqlite3 *db, const sws_job_request *r, const char *outcome, const char *error,
                  sws_error *e)
{
    sqlite3_stmt *st = NULL;
    char now[40];
    sws_job_stamp(now, sizeof now);
    if (sws_db_prepare(db, "UPDATE job_run SET outcome = ?, error = ?, finished = ? "
                           "WHERE job = ? AND scheduled_at = ?",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, error, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->instance, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, r->scheduled_at, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc < 0)
        sws_errorf(e, "cannot record the outcome of %s at %s: %s", r->instance, r->scheduled_at,
                   sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int sws_job_run_recorded(sws_host *h, const sws_job_request *r, int retry, char *prior,
                         size_t priorlen, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    int claimed = claim(db, r, retry, prior, priorlen, e);
    if (claimed <= 0)
        return claimed < 0 ? -1 : 1;
    sws_error run_e;
    int rc = sws_job_execute(h, r, &run_e);
    sws_error rec_e;
    if (finish(db, r, rc == 0 ? "ok" : "failed", rc == 0 ? NULL : run_e.msg, &rec_e) < 0) {
        *e = rec_e;
        return -1;
    }
    if (rc < 0)
        *e = run_e;
    return rc;
}

int sws_job_record_skip(sqlite3 *db, const sws_job_request *r, const char *why, sws_error *e)
{
    sqlite3_stmt *st = NULL;
    if (sws_db_prepare(db, "INSERT INTO job_run(job, scheduled_at, as_of, trigger, outcome, error, "
                           "policy_version) VALUES(?, ?, ?, ?, 'skipped', ?, ?) "
                           "ON CONFLICT(job, scheduled_at) DO NOTHING",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, r->instance, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->scheduled_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, r->as_of, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, sws_trigger_name(r->trigger), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, why, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, r->policy_version, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? (sqlite3_changes(db) > 0 ? 0 : 1) : -1;
    if (rc < 0)
        sws_errorf(e, "cannot record the skipped run of %s at %s: %s", r->instance,
                   r->scheduled_at, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}
