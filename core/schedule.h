/*
 * schedule.h — the jobs the policies schedule, read into C for the daemon.
 *
 * The city policy's `schedule` gives the city-wide jobs; entries with
 * `each_county = true` are read from each county's effective policy
 * (policies/<county>.lua, else the city's) for every county in the
 * database, and run as that county ("county_report@330302"). `timezone`
 * (the city's) is the zone every schedule is read in.
 */
#ifndef SWS_SCHEDULE_H
#define SWS_SCHEDULE_H

#include <time.h>

#include "cron.h"
#include "error.h"
#include "host.h"

typedef enum { SWS_CATCHUP_SKIP, SWS_CATCHUP_LATEST, SWS_CATCHUP_ALL } sws_catchup;

/* One scheduled job instance and what to do with its runs. */
typedef struct sws_sched_entry {
    char instance[96];      /* "job" or "job@county" (job_run.job) */
    char job[64];
    char county[8];         /* "" for a city-wide job */
    char when[128];         /* the cron expression, or "at YYYY-MM-DD HH:MM" */
    sws_cron cron;
    int one_off;            /* 1: runs once, at `at` */
    struct tm at;
    sws_catchup catch_up;   /* default latest */
    int window_days;        /* default 7 */
    int cap;                /* most catch-up runs at once, default 10 */
    int overlap_queue;      /* 1: queue a run that falls while one runs; 0: skip it */
    int retries;            /* default 0 */
    int backoff;            /* seconds before the first retry, doubled each time (default 60) */
    double timeout;         /* wall-clock seconds per run (default 600) */
    char policy[64], version[64];
    char where[300];        /* file:line of the policy's schedule */
} sws_sched_entry;

typedef struct sws_schedule {
    sws_sched_entry *entries;
    int n;
    char timezone[64];
    char city_version[64];
} sws_schedule;

/* Reads the schedule through h (its database lists the counties). Every
 * problem — an entry naming no known job, a bad time — fails it: 0, or -1
 * with e naming the file and line. */
int sws_schedule_read(sws_host *h, sws_schedule *out, sws_error *e);
void sws_schedule_free(sws_schedule *s);

/* The city policy's time zone (default Asia/Shanghai) into tz; 0 or -1 with e. */
int sws_schedule_zone(sws_host *h, char *tz, size_t n, sws_error *e);

/* Makes tz (e.g. "Asia/Shanghai") the process's zone for the functions
 * below; -1 when the system has no such zone. */
int sws_schedule_use_zone(const char *tz);

/* The first run of x strictly after time t (seconds since the epoch), or
 * -1 when there is none (a one-off in the past, a cron that never matches). */
time_t sws_schedule_next(const sws_sched_entry *x, time_t t);

/* t as a run's key "YYYY-MM-DD HH:MM+08:00" (the zone's offset), and as a
 * date "YYYY-MM-DD", in the zone. */
void sws_schedule_key(time_t t, char *buf, size_t n);
void sws_schedule_date(time_t t, char *buf, size_t n);

/* Parses a wall-clock time "YYYY-MM-DD HH:MM[:SS]" in the zone; -1 when malformed. */
int sws_schedule_parse_local(const char *s, time_t *out);

#endif
