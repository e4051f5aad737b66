/*
 * jobs.h — running a job and recording the run in job_run.
 *
 * A job is a plugin's (sws.job) or one of the core's (the county report and
 * its reminder, county_report.c). A job instance is the job for the whole
 * city ("weekly_compliance") or for one county ("county_report@330302",
 * run as that county). Every run is one job_run row keyed by (instance,
 * scheduled time): claiming the key before running is what makes a run
 * happen at most once, whoever asks — the daemon on schedule, on catch-up
 * or backfill, or a person with `sws job run` / `sws ctl run`.
 */
#ifndef SWS_JOBS_H
#define SWS_JOBS_H

#include <sqlite3.h>

#include "error.h"
#include "host.h"

/* Why a run happens; the names are job_run.trigger's. */
typedef enum sws_trigger {
    SWS_TRIGGER_SCHEDULED,
    SWS_TRIGGER_CATCHUP,
    SWS_TRIGGER_MANUAL,
    SWS_TRIGGER_BACKFILL
} sws_trigger;

/* "scheduled", "catch-up", "manual", "backfill" */
const char *sws_trigger_name(sws_trigger t);

/* One run to make. */
typedef struct sws_job_request {
    const char *instance;       /* job_run.job: "county_report@330302" or "weekly_compliance" */
    const char *job;            /* the job's name */
    const char *county;         /* the county it runs for, or NULL (the city) */
    const char *scheduled_at;   /* "YYYY-MM-DD HH:MM+08:00" (manual runs: the second asked) */
    const char *as_of;          /* YYYY-MM-DD: what sws.date.today() answers in the run */
    sws_trigger trigger;
    const char *policy_version; /* of the policy that scheduled it, or NULL */
    double timeout;             /* wall-clock budget in seconds (0: none) */
    const char *reports_dir;    /* where the county report writes its file */
} sws_job_request;

/* Splits an instance "job@county" into its job and county (county "" for
 * a city-wide job). */
void sws_job_split(const char *instance, char *job, size_t jn, char *county, size_t cn);

/* Whether job `name` may run for county (a plugin's job only for the
 * counties its manifest lists). */
int sws_job_serves(sws_host *h, const char *name, const char *county);

/* Whether job `name` exists in h (a core job or a plugin's). */
int sws_job_exists(sws_host *h, const char *name);

/*
 * Claims r's key and runs the job. Returns 0 when it ran and succeeded, -1
 * with e when it failed or could not be recorded (the row says which), and
 * 1 when the key was already taken by a run that is not a failure to retry
 * (nothing ran; *prior gets that run's outcome). `retry` allows re-claiming
 * a failed or skipped run of the same key (a retry or a backfill; its
 * attempts count up).
 */
int sws_job_run_recorded(sws_host *h, const sws_job_request *r, int retry, char *prior,
                         size_t priorlen, sws_error *e);

/* Records r as skipped with the reason (a missed or overlapping run not
 * made); 0, 1 when the key was taken already, or -1 with e. */
int sws_job_record_skip(sqlite3 *db, const sws_job_request *r, const char *why, sws_error *e);

/* Runs the job of r without recording it (the caller claimed it). */
int sws_job_execute(sws_host *h, const sws_job_request *r, sws_error *e);

/* The wall-clock time now as "YYYY-MM-DD HH:MM:SS+08:00" in the process's zone. */
void sws_job_stamp(char *buf, size_t n);

#endif
