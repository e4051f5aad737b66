/*
 * cmd_job.c — `sws job run|list|history|backfill`: jobs and their recorded runs.
 *
 *   run NAME [--county C] [--as-of DATE] [--reports DIR]   one manual run, recorded
 *   list                                   scheduled jobs, next run, last outcome
 *   history [JOB] [--limit N]              recorded runs, newest first
 *   backfill JOB --from T --to T [--dry-run]  the runs of a range: list, or run the missing
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "db.h"
#include "jobs.h"
#include "schedule.h"
#include "text.h"

#define USAGE                                                                       \
    "usage: sws job run NAME [--county C] [--as-of DATE] [--reports DIR] | list | " \
    "history [JOB] [--limit N] | backfill JOB --from T --to T [--dry-run]"

/* The host with plugins, in the city policy's time zone; NULL after saying
 * why. Without a city policy a manual run (need_policy 0) keeps the
 * process's zone: only its time stamps depend on it. */
static sws_host *job_host(sws_cli *cli, int need_policy)
{
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return NULL;
    char tz[64];
    sws_error e;
    if (sws_schedule_zone(h, tz, sizeof tz, &e) < 0) {
        if (!need_policy)
            return h;
        sws_cli_fail(&e);
        return NULL;
    }
    if (sws_schedule_use_zone(tz) < 0) {
        fprintf(stderr, "sws job: the policy's timezone '%s' is not known to this system\n", tz);
        return NULL;
    }
    return h;
}

/* The reports folder beside the database. */
static void default_reports(const sws_cli *cli, char *buf, size_t n)
{
    const char *slash = strrchr(cli->db_path, '/');
    snprintf(buf, n, "%.*sreports", slash ? (int)(slash - cli->db_path + 1) : 0, cli->db_path);
}

static int run(sws_cli *cli, int argc, char **argv)
{
    const char *name = NULL, *county = NULL, *as_of = NULL, *reports = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--county") == 0 && i + 1 < argc)
            county = argv[++i];
        else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc)
            as_of = argv[++i];
        else if (strcmp(argv[i], "--reports") == 0 && i + 1 < argc)
            reports = argv[++i];
        else if (!name && argv[i][0] != '-')
            name = argv[i];
        else
            return sws_cli_usage_error("job", USAGE);
    }
    if (!name)
        return sws_cli_usage_error("job", USAGE);
    sws_host *h = job_host(cli, 0);
    if (!h)
        return SWS_EXIT_ERROR;
    char job[64], at_county[16], instance[96], stamp[40], today[16], dir[4200];
    sws_job_split(name, job, sizeof job, at_county, sizeof at_county);
    if (!county && at_county[0])
        county = at_county;
    snprintf(instance, sizeof instance, "%s%s%s", job, county ? "@" : "", county ? county : "");
    if (!sws_job_exists(h, job)) {
        fprintf(stderr,
                "sws job: no job '%s' (jobs come from plugins: see `sws plugin list`; "
                "the core has county_report and county_report_reminder)\n",
                job);
        return SWS_EXIT_ERROR;
    }
    sws_job_stamp(stamp, sizeof stamp);
    sws_schedule_date(time(NULL), today, sizeof today);
    if (as_of) {
        struct tm t;
        char probe[32];
        snprintf(probe, sizeof probe, "%s 00:00", as_of);
        if (strlen(as_of) != 10 || sws_cron_parse_time(probe, &t) < 0)
            return sws_cli_usage_error("job", "--as-of '%s' is not a date YYYY-MM-DD", as_of);
    }
    if (!reports)
        default_reports(cli, dir, sizeof dir);
    sws_job_request r = {.instance = instance,
                         .job = job,
                         .county = county,
                         .scheduled_at = stamp,
                         .as_of = as_of ? as_of : today,
                         .trigger = SWS_TRIGGER_MANUAL,
                         .reports_dir = reports ? reports : dir};
    char prior[16];
    sws_error e;
    int rc = sws_job_run_recorded(h, &r, 0, prior, sizeof prior, &e);
    if (rc == 1) {
        fprintf(stderr, "sws job: %s at %s is recorded already (%s); try again in a second\n",
                instance, stamp, prior);
        return SWS_EXIT_ERROR;
    }
    if (rc < 0)
        return sws_cli_fail(&e);
    printf("job %s done\n", instance);
    return SWS_EXIT_OK;
}

static int list(sws_cli *cli)
{
    sws_host *h = job_host(cli, 1);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_schedule s;
    sws_error e;
    if (sws_schedule_read(h, &s, &e) < 0)
        return sws_cli_fail(&e);
    sqlite3_stmt *q = NULL;
    if (sws_db_prepare(sws_host_db(h),
                       "SELECT scheduled_at, outcome FROM job_run WHERE job = ? "
                       "ORDER BY scheduled_at DESC LIMIT 1",
                       &q, &e) < 0) {
        sws_schedule_free(&s);
        return sws_cli_fail(&e);
    }
    printf("%-36s %-22s %-24s %s\n", "job", "schedule", "next run", "last run");
    time_t now = time(NULL);
    for (int i = 0; i < s.n; i++) {
        const sws_sched_entry *x = &s.entries[i];
        char next[40] = "never", last[80] = "-";
        time_t t = sws_schedule_next(x, now);
        if (t >= 0)
            sws_schedule_key(t, next, sizeof next);
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, x->instance, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW)
            snprintf(last, sizeof last, "%s %s", (const char *)sqlite3_column_text(q, 1),
                     (const char *)sqlite3_column_text(q, 0));
        printf("%-36s %-22s %-24s %s\n", x->instance, x->when, next, last);
    }
    printf("timezone %s; %d scheduled %s\n", s.timezone, s.n, sws_plural(s.n, "job", "jobs"));
    sqlite3_finalize(q);
    sws_schedule_free(&s);
    return SWS_EXIT_OK;
}

static int history(sws_cli *cli, int argc, char **argv)
{
    const char *job = NULL;
    long limit = 50;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
            char *end;
            limit = strtol(argv[++i], &end, 10);
            if (*end || limit < 1)
                return sws_cli_usage_error("job", "--limit '%s' is not a number above 0", argv[i]);
        } else if (!job && argv[i][0] != '-')
            job = argv[i];
        else
            return sws_cli_usage_error("job", USAGE);
    }
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    sqlite3_stmt *q = NULL;
    sws_error e;
    if (sws_db_prepare(db,
                       "SELECT job, scheduled_at, as_of, trigger, outcome, attempts, "
                       "coalesce(started, '-'), coalesce(finished, '-'), coalesce(error, ''), "
                       "coalesce(policy_version, '-') FROM job_run "
                       "WHERE ?1 IS NULL OR job = ?1 OR job LIKE ?1 || '@%' "
                       "ORDER BY scheduled_at DESC, job LIMIT ?2",
                       &q, &e) < 0)
        return sws_cli_fail(&e);
    sqlite3_bind_text(q, 1, job, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, limit);
    int rows = 0;
    printf("%-30s %-25s %-10s %-9s %-7s %-3s %-25s %-8s %s\n", "job", "scheduled", "as of",
           "trigger", "outcome", "try", "finished", "policy", "error");
    while (sqlite3_step(q) == SQLITE_ROW) {
        rows++;
        printf("%-30s %-25s %-10s %-9s %-7s %-3d %-25s %-8s %s\n",
               (const char *)sqlite3_column_text(q, 0), (const char *)sqlite3_column_text(q, 1),
               (const char *)sqlite3_column_text(q, 2), (const char *)sqlite3_column_text(q, 3),
               (const char *)sqlite3_column_text(q, 4), sqlite3_column_int(q, 5),
               (const char *)sqlite3_column_text(q, 7), (const char *)sqlite3_column_text(q, 9),
               (const char *)sqlite3_column_text(q, 8));
    }
    sqlite3_finalize(q);
    if (!rows)
        printf("no runs recorded%s%s\n", job ? " for " : "", job ? job : "");
    return SWS_EXIT_OK;
}

static int backfill(sws_cli *cli, int argc, char **argv)
{
    const char *job = NULL, *from = NULL, *to = NULL, *reports = NULL;
    int dry = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = argv[++i];
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = argv[++i];
        else if (strcmp(argv[i], "--reports") == 0 && i + 1 < argc)
            reports = argv[++i];
        else if (strcmp(argv[i], "--dry-run") == 0)
            dry = 1;
        else if (!job && argv[i][0] != '-')
            job = argv[i];
        else
            return sws_cli_usage_error("job", USAGE);
    }
    if (!job || !from || !to)
        return sws_cli_usage_error("job",
                                   "usage: sws job backfill JOB --from T --to T [--dry-run]");
    sws_host *h = job_host(cli, 1);
    if (!h)
        return SWS_EXIT_ERROR;
    time_t t0, t1;
    if (sws_schedule_parse_local(from, &t0) < 0 || sws_schedule_parse_local(to, &t1) < 0 || t1 < t0)
        return sws_cli_usage_error("job", "--from and --to are times YYYY-MM-DD HH:MM, from "
                                          "before to");
    sws_schedule s;
    sws_error e;
    if (sws_schedule_read(h, &s, &e) < 0)
        return sws_cli_fail(&e);
    const sws_sched_entry *x = NULL;
    for (int i = 0; i < s.n && !x; i++)
        if (strcmp(s.entries[i].instance, job) == 0)
            x = &s.entries[i];
    int rc = SWS_EXIT_OK;
    sqlite3_stmt *q = NULL;
    char dir[4200];
    if (!reports)
        default_reports(cli, dir, sizeof dir);
    if (!x) {
        fprintf(stderr, "sws job backfill: '%s' is not a scheduled job (see `sws job list`)\n",
                job);
        rc = SWS_EXIT_ERROR;
        goto cleanup;
    }
    if (sws_db_prepare(sws_host_db(h),
                       "SELECT outcome FROM job_run WHERE job = ? AND "
                       "scheduled_at = ?",
                       &q, &e) < 0) {
        rc = sws_cli_fail(&e);
        goto cleanup;
    }
    int n = 0, ran = 0, failed = 0;
    for (time_t t = sws_schedule_next(x, t0 - 1); t >= 0 && t <= t1; t = sws_schedule_next(x, t)) {
        char key[40], as_of[16], outcome[16] = "";
        sws_schedule_key(t, key, sizeof key);
        sws_schedule_date(t, as_of, sizeof as_of);
        sqlite3_reset(q);
        sqlite3_bind_text(q, 1, x->instance, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW)
            snprintf(outcome, sizeof outcome, "%s", (const char *)sqlite3_column_text(q, 0));
        n++;
        int to_run =
            !outcome[0] || strcmp(outcome, "failed") == 0 || strcmp(outcome, "skipped") == 0;
        if (dry || !to_run) {
            printf("%s %s %s\n", x->instance, key, outcome[0] ? outcome : "not run");
            continue;
        }
        sws_job_request r = {.instance = x->instance,
                             .job = x->job,
                             .county = x->county[0] ? x->county : NULL,
                             .scheduled_at = key,
                             .as_of = as_of,
                             .trigger = SWS_TRIGGER_BACKFILL,
                             .policy_version = x->version,
                             .timeout = x->timeout,
                             .reports_dir = reports ? reports : dir};
        char prior[16];
        int r_rc = sws_job_run_recorded(h, &r, 1, prior, sizeof prior, &e);
        ran++;
        if (r_rc < 0) {
            failed++;
            printf("%s %s failed: %s\n", x->instance, key, e.msg);
        } else {
            printf("%s %s %s\n", x->instance, key, r_rc == 0 ? "ok (backfill)" : prior);
        }
    }
    printf("%d %s in the range; %d %s, %d failed\n", n, sws_plural(n, "run", "runs"), dry ? 0 : ran,
           dry ? "run (dry run)" : "run", failed);
    if (failed)
        rc = SWS_EXIT_ERROR;
cleanup:
    sqlite3_finalize(q);
    sws_schedule_free(&s);
    return rc;
}

int sws_cmd_job(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("job", USAGE);
    if (strcmp(argv[1], "run") == 0)
        return run(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "list") == 0 && argc == 2)
        return list(cli);
    if (strcmp(argv[1], "history") == 0)
        return history(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "backfill") == 0)
        return backfill(cli, argc - 2, argv + 2);
    return sws_cli_usage_error("job", USAGE);
}
