/*
 * serve.c — the daemon's loop: clock, due queue, runs, catch-up, reload.
 *
 * Design notes. Everything happens on one libev loop and one thread: a
 * job runs to its end (or its budget) inside a loop callback, so a signal,
 * a reload request or a control command that arrives meanwhile is handled
 * after it — a run in progress always finishes on the state it started on.
 *
 * Due work (job slots, retries, plugin timers) sits in one binary heap
 * ordered by due time, served by one ev_timer. Items carry the generation
 * of the state (host + schedule) that queued them; a reload bumps the
 * generation and replans, and items of older generations are dropped when
 * they come up, so nothing has to be searched out of the heap.
 *
 * The clock is ours, not libev's: real time, real time shifted to start at
 * --clock, or (--until) a simulated time that jumps straight to the next
 * due item, so tests run a year of schedules in milliseconds.
 *
 * Exactly once: a slot is claimed in job_run (unique job + scheduled time)
 * before it runs, and job_schedule remembers how far each job's schedule
 * has been handled; a restart replays (handled, now] through the job's
 * catch-up rule, and a slot already claimed is never run again.
 */
#define _DEFAULT_SOURCE /* timegm */
#include "serve.h"

#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "county_report.h"
#include "ctl.h"
#include "db.h"
#include "deadlines.h"
#include "jobs.h"
#include "mask.h"
#include "plugin.h"
#include "policy.h"
#include "policy_set.h"
#include "schedule.h"
#include "text.h"
#include "timers.h"

#define LATE_SAMPLES 100000
#define MAX_SLOTS 100000 /* most slots of one job replayed on catch-up */
#define DEBOUNCE 0.5     /* seconds between a file change and the reload */
#define STATUS_JOBS 200  /* `ctl status` lists the jobs when there are at most this many */

enum { ITEM_JOB, ITEM_RETRY, ITEM_TIMER, ITEM_DEADLINES };

typedef struct item {
    double due;
    int kind, gen, attempt;
    sws_trigger trigger; /* retries: why the first attempt ran */
    long long id;     /* entry index (jobs, retries) or timer id */
    double slot;      /* retries: the slot retried; timers: the interval (0: once) */
} item;

typedef struct serve serve;

/* What sws.timer of one state reports to (its generation). */
typedef struct timer_link {
    serve *s;
    int gen;
} timer_link;

/* One generation: a host on its own connection, and its schedule. */
typedef struct state {
    sqlite3 *db;
    sws_host *h;
    sws_schedule sched;
    int gen;
    timer_link link;
    sws_timer_backend backend;
    char versions[2048]; /* "default 2021.1, 330302 2021.2" */
} state;

struct serve {
    const sws_serve_opts *o;
    struct ev_loop *loop;
    ev_timer tick, debounce;
    ev_signal sigterm, sigint, sighup;
    ev_stat *stats;
    int nstats;
    sws_ctl_server *ctl;
    state *cur;
    int next_gen;
    item *heap;
    int nheap, capheap;
    double offset, virtual_now, started;
    int jump, stopping;
    char socket_path[4200], reports_dir[4200], lock_path[4200];
    int lock_fd;
    char reload_error[4096], reload_at[40];
    int reloads, reload_failures;
    long runs_ok, runs_failed, runs_skipped, runs_missed, timers_fired;
    double *late;
    long nlate;
    sws_sched_entry midnight; /* "0 0 * * *": when the deadlines are scanned */
    int batch;                /* a transaction groups job_schedule writes (see install_state) */
};

/* Ends the batch transaction before a run: its claim must be committed on
 * its own, before the job starts. */
static void batch_pause(serve *s)
{
    if (s->batch) {
        sqlite3_exec(s->cur->db, "COMMIT", NULL, NULL, NULL);
        s->batch = 0;
    }
}

/* ---- clock and log ---------------------------------------------------------- */

/* The daemon's "now" in seconds since the epoch. */
static double clock_now(serve *s)
{
    return s->jump ? s->virtual_now : ev_time() + s->offset;
}

/* Writes one log line stamped with the daemon's clock. */
static void logf_(serve *s, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void logf_(serve *s, const char *level, const char *fmt, ...)
{
    char raw[8192], msg[8192], when[40];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    sws_mask_text(raw, msg, sizeof msg);
    time_t now = (time_t)clock_now(s);
    struct tm tm;
    localtime_r(&now, &tm);
    char zone[8];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof zone, "%z", &tm);
    snprintf(when + strlen(when), sizeof when - strlen(when), "%.3s:%.2s", zone, zone + 3);
    if (s->o->log_json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "time", when);
        cJSON_AddStringToObject(o, "level", level);
        cJSON_AddStringToObject(o, "msg", msg);
        char *text = cJSON_PrintUnformatted(o);
        fprintf(stderr, "%s\n", text ? text : "{}");
        free(text);
        cJSON_Delete(o);
    } else {
        fprintf(stderr, "%s %s %s\n", when, level, msg);
    }
    fflush(stderr);
}

/* The hosts' log lines (sws.log, the core jobs) in the daemon's format. */
static void host_log(void *ud, const char *level, const char *who, const char *msg)
{
    logf_(ud, level, "[%s] %s", who, msg);
}

/* ---- the due heap ------------------------------------------------------------ */

static int heap_push(serve *s, item it)
{
    if (s->nheap == s->capheap) {
        int cap = s->capheap ? s->capheap * 2 : 1024;
        item *n = realloc(s->heap, (size_t)cap * sizeof *n);
        if (!n)
            return -1;
        s->heap = n;
        s->capheap = cap;
    }
    int i = s->nheap++;
    while (i > 0 && s->heap[(i - 1) / 2].due > it.due) {
        s->heap[i] = s->heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    s->heap[i] = it;
    return 0;
}

/* Restores the heap order after dues changed in place. */
static void heapify(serve *s)
{
    int n = s->nheap;
    s->nheap = 0;
    for (int i = 0; i < n; i++)
        heap_push(s, s->heap[i]); /* in place: slot i is read before it can be written */
}

static item heap_pop(serve *s)
{
    item top = s->heap[0], last = s->heap[--s->nheap];
    int i = 0;
    for (;;) {
        int c = 2 * i + 1;
        if (c >= s->nheap)
            break;
        if (c + 1 < s->nheap && s->heap[c + 1].due < s->heap[c].due)
            c++;
        if (s->heap[c].due >= last.due)
            break;
        s->heap[i] = s->heap[c];
        i = c;
    }
    if (s->nheap)
        s->heap[i] = last;
    return top;
}

/* ---- sws.timer backend ------------------------------------------------------ */

static int timer_arm(void *ud, lua_Integer id, double after, double every)
{
    timer_link *l = ud;
    item it = {.due = clock_now(l->s) + after, .kind = ITEM_TIMER, .gen = l->gen, .id = id,
               .slot = every};
    return heap_push(l->s, it);
}

/* Stopped timers are dropped when they come up (sws_timers_fire says so). */
static void timer_disarm(void *ud, lua_Integer id)
{
    (void)ud;
    (void)id;
}

/* ---- job_schedule: how far each job has been handled ------------------------ */

/* Seconds since the epoch of the job's handled_through, or -1 when none. */
static double handled_through(state *st, const char *instance)
{
    sqlite3_stmt *q = NULL;
    sws_error e;
    double t = -1;
    if (sws_db_prepare(st->db, "SELECT handled_through FROM job_schedule WHERE job = ?", &q, &e) <
        0)
        return -1;
    sqlite3_bind_text(q, 1, instance, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        struct tm tm = {0};
        const char *v = (const char *)sqlite3_column_text(q, 0);
        if (sscanf(v, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                   &tm.tm_min, &tm.tm_sec) == 6) {
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            t = (double)timegm(&tm);
        }
    }
    sqlite3_finalize(q);
    return t;
}

/* Records that the job's schedule is handled through t (never moves back). */
static void set_handled(serve *s, state *st, const char *instance, double t)
{
    sqlite3_stmt *q = NULL;
    sws_error e;
    char v[32];
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(v, sizeof v, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sws_db_prepare(st->db, "INSERT INTO job_schedule VALUES(?1, ?2) ON CONFLICT(job) DO "
                               "UPDATE SET handled_through = ?2 WHERE handled_through < ?2",
                       &q, &e) < 0 ||
        (sqlite3_bind_text(q, 1, instance, -1, SQLITE_STATIC),
         sqlite3_bind_text(q, 2, v, -1, SQLITE_STATIC), sqlite3_step(q) != SQLITE_DONE))
        logf_(s, "ERROR", "%s: cannot record its schedule as handled through %s: %s", instance, v,
              sqlite3_errmsg(st->db));
    sqlite3_finalize(q);
}

/* ---- runs ----------------------------------------------------------------- */

/* Fills r for entry x at slot time t (key and as_of into the buffers). */
static void make_request(serve *s, const sws_sched_entry *x, double t, sws_trigger trigger,
                         char *key, char *as_of, sws_job_request *r)
{
    sws_schedule_key((time_t)t, key, 40);
    sws_schedule_date((time_t)t, as_of, 16);
    *r = (sws_job_request){.instance = x->instance, .job = x->job,
                           .county = x->county[0] ? x->county : NULL, .scheduled_at = key,
                           .as_of = as_of, .trigger = trigger, .policy_version = x->version,
                           .timeout = x->timeout, .reports_dir = s->reports_dir};
}

/* Runs slot t of entry idx (attempt 1, or a retry); queues the retry of a failure. */
static void run_slot(serve *s, int idx, double t, sws_trigger trigger, int attempt)
{
    batch_pause(s);
    state *st = s->cur;
    const sws_sched_entry *x = &st->sched.entries[idx];
    char key[40], as_of[16], prior[16];
    sws_job_request r;
    make_request(s, x, t, trigger, key, as_of, &r);
    sws_error e;
    int rc = sws_job_run_recorded(st->h, &r, attempt > 1, prior, sizeof prior, &e);
    if (rc == 1) {
        logf_(s, "INFO", "%s at %s: already recorded (%s), not run again", x->instance, key,
              prior);
        return;
    }
    if (rc == 0) {
        s->runs_ok++;
        char tries[32] = "";
        if (attempt > 1)
            snprintf(tries, sizeof tries, ", attempt %d", attempt);
        logf_(s, "INFO", "%s at %s: ok (%s%s)", x->instance, key, sws_trigger_name(trigger), tries);
        return;
    }
    s->runs_failed++;
    if (attempt <= x->retries) {
        double wait = (double)x->backoff * pow(2, attempt - 1);
        item it = {.due = clock_now(s) + wait, .kind = ITEM_RETRY, .gen = st->gen, .id = idx,
                   .attempt = attempt + 1, .slot = t, .trigger = trigger};
        heap_push(s, it);
        logf_(s, "ERROR", "%s at %s: failed (attempt %d of %d; next in %.0f s): %s", x->instance,
              key, attempt, x->retries + 1, wait, e.msg);
    } else {
        logf_(s, "ERROR", "%s at %s: failed (attempt %d of %d): %s", x->instance, key, attempt,
              x->retries + 1, e.msg);
    }
}

/* Records slot t of entry idx as skipped, with why. */
static void skip_slot(serve *s, int idx, double t, sws_trigger trigger, const char *why)
{
    batch_pause(s);
    state *st = s->cur;
    const sws_sched_entry *x = &st->sched.entries[idx];
    char key[40], as_of[16];
    sws_job_request r;
    make_request(s, x, t, trigger, key, as_of, &r);
    sws_error e;
    int rc = sws_job_record_skip(st->db, &r, why, &e);
    if (rc < 0)
        logf_(s, "ERROR", "%s", e.msg);
    else if (rc == 0) {
        s->runs_skipped++;
        logf_(s, "WARN", "%s at %s: skipped (%s)", x->instance, key, why);
    }
}

/* Opens the county report deadline that entry x's next run meets (the
 * core's county_report job: its due date is its scheduled date). */
static void open_deadline(serve *s, const sws_sched_entry *x, double next)
{
    if (next < 0 || !x->county[0] || strcmp(x->job, "county_report") != 0)
        return;
    char due[16];
    sws_schedule_date((time_t)next, due, sizeof due);
    sws_error e;
    if (sws_county_report_open(s->cur->db, x->county, atoi(due), due, &e) < 0)
        logf_(s, "ERROR", "%s", e.msg);
}

/* Queues entry idx's first slot after t. */
static void queue_next(serve *s, int idx, double t)
{
    const sws_sched_entry *x = &s->cur->sched.entries[idx];
    time_t next = sws_schedule_next(x, (time_t)t);
    open_deadline(s, x, (double)next);
    if (next < 0)
        return;
    item it = {.due = (double)next, .kind = ITEM_JOB, .gen = s->cur->gen, .id = idx};
    heap_push(s, it);
}

/* Replays the slots of entry idx that fell in (handled, now] through its
 * catch-up rule (on a reload: all of them, as scheduled, since they fell
 * due while the daemon was building the new state), then queues its next
 * slot. The window still bounds what is made. */
static void catch_up(serve *s, int idx, double now, int reloading)
{
    state *st = s->cur;
    const sws_sched_entry *x = &st->sched.entries[idx];
    double from = handled_through(st, x->instance);
    if (from < 0) { /* a job new to this database: nothing was missed */
        set_handled(s, st, x->instance, now);
        queue_next(s, idx, now);
        return;
    }
    double *slots = malloc(sizeof *slots * 1024);
    int n = 0, cap = 1024;
    long outside = 0;
    double window_start = now - (double)x->window_days * 86400, first_out = 0, last_out = 0;
    for (time_t t = sws_schedule_next(x, (time_t)from); t >= 0 && t <= now && n + outside < MAX_SLOTS;
         t = sws_schedule_next(x, t)) {
        if (t < window_start) {
            if (!outside++)
                first_out = (double)t;
            last_out = (double)t;
            continue;
        }
        if (n == cap) {
            double *m = slots ? realloc(slots, sizeof *slots * (size_t)(cap *= 2)) : NULL;
            if (!m)
                break;
            slots = m;
        }
        if (slots)
            slots[n++] = (double)t;
    }
    if (outside) {
        char a[40], b[40];
        sws_schedule_key((time_t)first_out, a, sizeof a);
        sws_schedule_key((time_t)last_out, b, sizeof b);
        s->runs_missed += outside;
        logf_(s, "WARN", "%s: %ld %s from %s to %s %s missed while no daemon ran and lie "
                         "outside the catch-up window of %d %s: not made",
              x->instance, outside, sws_plural(outside, "run", "runs"), a, b,
              sws_plural(outside, "was", "were"), x->window_days,
              sws_plural(x->window_days, "day", "days"));
    }
    int run_from = n; /* slots[run_from..] run, the others are skipped */
    if (reloading) /* they fell due while the daemon ran, during the reload: not missed */
        run_from = 0;
    else if (x->catch_up == SWS_CATCHUP_LATEST && n > 0)
        run_from = n - 1;
    else if (x->catch_up == SWS_CATCHUP_ALL)
        run_from = n > x->cap ? n - x->cap : 0;
    for (int i = 0; i < n && !s->stopping; i++) {
        if (i >= run_from) {
            run_slot(s, idx, slots[i], reloading ? SWS_TRIGGER_SCHEDULED : SWS_TRIGGER_CATCHUP, 1);
            continue;
        }
        char why[160];
        snprintf(why, sizeof why, "missed while no daemon ran; catch_up = %s%s",
                 x->catch_up == SWS_CATCHUP_SKIP     ? "skip"
                 : x->catch_up == SWS_CATCHUP_LATEST ? "latest runs only the latest"
                                                     : "all, beyond its cap",
                 "");
        skip_slot(s, idx, slots[i], SWS_TRIGGER_CATCHUP, why);
    }
    free(slots);
    if (n || outside)
        set_handled(s, st, x->instance, now);
    queue_next(s, idx, now);
}

/* A job slot came up: run it, then deal with the slots that passed while
 * it ran (its overlap rule), then queue the next. */
static void fire_job(serve *s, int idx, double slot)
{
    const sws_sched_entry *x = &s->cur->sched.entries[idx];
    run_slot(s, idx, slot, SWS_TRIGGER_SCHEDULED, 1);
    set_handled(s, s->cur, x->instance, slot);
    double now = clock_now(s);
    time_t t = sws_schedule_next(x, (time_t)slot);
    for (int guard = 0; t >= 0 && t <= now && guard < MAX_SLOTS && !s->stopping; guard++) {
        if (x->overlap_queue)
            run_slot(s, idx, (double)t, SWS_TRIGGER_SCHEDULED, 1);
        else
            skip_slot(s, idx, (double)t, SWS_TRIGGER_SCHEDULED,
                      "fell while the previous run was still running (overlap = skip)");
        set_handled(s, s->cur, x->instance, (double)t);
        now = clock_now(s);
        t = sws_schedule_next(x, t);
    }
    queue_next(s, idx, slot);
}

/* ---- workflow deadlines ------------------------------------------------------ */

typedef struct overdue_list {
    long long *id;
    char (*due)[16];
    int n, cap;
} overdue_list;

static void collect_overdue(long long id, const char *due, void *ud)
{
    overdue_list *l = ud;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        long long *ids = realloc(l->id, sizeof *ids * (size_t)cap);
        if (ids)
            l->id = ids;
        char(*dues)[16] = realloc(l->due, sizeof *dues * (size_t)cap);
        if (dues)
            l->due = dues;
        if (!ids || !dues)
            return;
        l->cap = cap;
    }
    l->id[l->n] = id;
    snprintf(l->due[l->n++], 16, "%s", due);
}

/* Runs deadline_overdue once for each workflow deadline whose day has
 * passed unmet (at the midnight after its due date, or on catch-up). */
static void scan_deadlines(serve *s)
{
    state *st = s->cur;
    double now = clock_now(s);
    char today[16];
    sws_schedule_date((time_t)now, today, sizeof today);
    overdue_list l = {0};
    sws_error e;
    if (sws_deadlines_overdue(st->db, today, collect_overdue, &l, &e) < 0)
        logf_(s, "ERROR", "%s", e.msg);
    for (int i = 0; i < l.n && !s->stopping; i++) {
        char instance[64], key[40], as_of[16], prior[16], day[32];
        time_t due;
        snprintf(day, sizeof day, "%s 00:00", l.due[i]);
        if (sws_schedule_parse_local(day, &due) < 0)
            continue;
        time_t overdue = sws_schedule_next(&s->midnight, due);
        snprintf(instance, sizeof instance, "deadline_overdue@%lld", l.id[i]);
        sws_schedule_key(overdue, key, sizeof key);
        sws_schedule_date(overdue, as_of, sizeof as_of);
        sws_job_request r = {.instance = instance, .job = "deadline_overdue", .scheduled_at = key,
                             .as_of = as_of,
                             .trigger = now - (double)overdue >= 86400 ? SWS_TRIGGER_CATCHUP
                                                                       : SWS_TRIGGER_SCHEDULED,
                             .policy_version = st->sched.city_version, .timeout = 600,
                             .reports_dir = s->reports_dir};
        int rc = sws_job_run_recorded(st->h, &r, 0, prior, sizeof prior, &e);
        if (rc == 0)
            s->runs_ok++;
        else if (rc < 0) {
            s->runs_failed++;
            logf_(s, "ERROR", "%s at %s: failed: %s", instance, key, e.msg);
        }
    }
    free(l.id);
    free(l.due);
    item it = {.due = (double)sws_schedule_next(&s->midnight, (time_t)now), .kind = ITEM_DEADLINES,
               .gen = st->gen};
    heap_push(s, it);
}

/* ---- the loop's timer ------------------------------------------------------- */

static void record_lateness(serve *s, double late)
{
    if (!s->late && !(s->late = malloc(sizeof *s->late * LATE_SAMPLES)))
        return;
    s->late[s->nlate++ % LATE_SAMPLES] = late < 0 ? 0 : late;
}

/* Runs every item due by now. */
static void run_due(serve *s)
{
    while (s->nheap && !s->stopping && s->heap[0].due <= clock_now(s)) {
        item it = heap_pop(s);
        if (!s->cur || it.gen != s->cur->gen)
            continue; /* queued by a state that was replaced or never used */
        if (!s->jump)
            record_lateness(s, clock_now(s) - it.due);
        if (it.kind == ITEM_JOB) {
            fire_job(s, (int)it.id, it.due);
        } else if (it.kind == ITEM_DEADLINES) {
            scan_deadlines(s);
        } else if (it.kind == ITEM_RETRY) {
            run_slot(s, (int)it.id, it.slot, it.trigger, it.attempt);
        } else {
            sws_error e;
            int rc = sws_timers_fire(s->cur->h, it.id, 0, &e);
            if (rc < 0)
                logf_(s, "ERROR", "%s", e.msg);
            if (rc != 1)
                s->timers_fired++;
            if (rc != 1 && it.slot > 0) { /* an `every` timer that is still active */
                it.due += it.slot;
                if (it.due < clock_now(s))
                    it.due = clock_now(s) + it.slot; /* never a burst to catch up */
                heap_push(s, it);
            }
        }
    }
}

/* Sets the loop's timer for the next due item. */
static void arm_tick(serve *s)
{
    double wait = 3600;
    if (s->jump)
        wait = 0;
    else if (s->nheap)
        wait = s->heap[0].due - clock_now(s);
    if (wait < 0)
        wait = 0;
    if (wait > 3600)
        wait = 3600; /* look again now and then: the system clock may have been set */
    ev_timer_stop(s->loop, &s->tick);
    ev_timer_set(&s->tick, wait, 0);
    ev_timer_start(s->loop, &s->tick);
}

static void on_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)revents;
    serve *s = w->data;
    if (s->jump) { /* simulated time: go straight to the next due item */
        double next = s->nheap ? s->heap[0].due : INFINITY;
        if (next > (double)s->o->until) {
            s->virtual_now = (double)s->o->until;
            logf_(s, "INFO", "the clock reached --until: stopping");
            s->stopping = 1;
            ev_break(loop, EVBREAK_ALL);
            return;
        }
        if (next > s->virtual_now)
            s->virtual_now = next;
    }
    run_due(s);
    if (s->stopping)
        ev_break(loop, EVBREAK_ALL);
    else
        arm_tick(s);
}

/* ---- states and reload ------------------------------------------------------ */

static void free_state(state *st)
{
    if (!st)
        return;
    if (st->h)
        sws_host_free(st->h);
    if (st->db)
        sqlite3_close(st->db);
    sws_schedule_free(&st->sched);
    free(st);
}

/* Appends a line to the error text of a reload. */
static void add_problem(char *buf, size_t n, const char *line)
{
    size_t used = strlen(buf);
    snprintf(buf + used, n - used, "%s%s", used ? "\n" : "", line);
}

/* Validates every policy file in st's host, adding each problem to err. */
static void check_policies(serve *s, state *st, char *err, size_t n)
{
    static char names[256][64];
    int count = sws_policy_names(s->o->home, names, 256);
    for (int i = 0; i < count; i++) {
        sws_policy p;
        sws_error e;
        if (sws_policy_load(st->h, names[i], &p, &e) < 0) {
            add_problem(err, n, e.msg);
            continue;
        }
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        int found = out ? sws_policy_validate(&p, out, &e) : -1;
        if (out)
            fclose(out);
        if (found < 0)
            add_problem(err, n, e.msg);
        else if (found > 0 && text) {
            if (len && text[len - 1] == '\n')
                text[len - 1] = '\0';
            add_problem(err, n, text);
        }
        free(text);
        sws_policy_release(&p);
    }
}

/* Builds a complete new state aside: database connection, host, plugins,
 * every policy validated, the schedule read. NULL with the problems (one
 * per line) in err. */
static state *build_state(serve *s, char *err, size_t n)
{
    state *st = calloc(1, sizeof *st);
    sws_error e;
    err[0] = '\0';
    if (!st) {
        snprintf(err, n, "out of memory");
        return NULL;
    }
    st->gen = ++s->next_gen;
    if (sws_db_open(s->o->db_path, &st->db, &e) < 0) {
        snprintf(err, n, "%s", e.msg);
        goto fail;
    }
    if (!(st->h = s->o->new_host(s->o->host_ud, st->db))) {
        snprintf(err, n, "cannot create the Lua host");
        goto fail;
    }
    sws_host_set_log_sink(st->h, host_log, s);
    st->link = (timer_link){s, st->gen};
    st->backend = (sws_timer_backend){&st->link, timer_arm, timer_disarm};
    sws_timers_attach(st->h, &st->backend);
    if (!s->o->no_plugins) {
        sws_plugins ps;
        sws_plugins_load(st->h, NULL, 0, &ps);
        for (int i = 0; i < ps.n; i++)
            if (ps.list[i].state == SWS_PLUGIN_FAILED) {
                char line[1400];
                snprintf(line, sizeof line, "plugin '%s': %s", ps.list[i].name, ps.list[i].reason);
                add_problem(err, n, line);
            }
        sws_plugins_free(&ps);
    }
    check_policies(s, st, err, n);
    if (!err[0] && sws_schedule_read(st->h, &st->sched, &e) < 0)
        add_problem(err, n, e.msg);
    if (!err[0] && access("/usr/share/zoneinfo", F_OK) == 0) {
        char path[300];
        snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", st->sched.timezone);
        if (strstr(st->sched.timezone, "..") || access(path, R_OK) != 0) {
            char line[200];
            snprintf(line, sizeof line, "timezone '%s' is not a zone this system knows",
                     st->sched.timezone);
            add_problem(err, n, line);
        }
    }
    if (err[0])
        goto fail;
    /* the policies in use, for status */
    snprintf(st->versions, sizeof st->versions, "default %s", st->sched.city_version);
    for (int i = 0; i < st->sched.n; i++) {
        char one[140];
        snprintf(one, sizeof one, "%s %s", st->sched.entries[i].policy,
                 st->sched.entries[i].version);
        if (!strstr(st->versions, one))
            snprintf(st->versions + strlen(st->versions), sizeof st->versions - strlen(st->versions),
                     ", %s", one);
    }
    return st;
fail:
    if (st->h)
        sws_timers_cancel_all(st->h);
    free_state(st);
    return NULL;
}

/* Puts st in service: the old state's timers end (cancelled), then every
 * job is replayed from where it was handled (reloading: 1 after a reload,
 * 0 at start) and queued. */
static void install_state(serve *s, state *st, double built_from, int reloading)
{
    state *old = s->cur;
    if (old) {
        int failed = sws_timers_cancel_all(old->h);
        if (failed)
            logf_(s, "WARN", "%d timer %s failed while being cancelled", failed,
                  sws_plural(failed, "callback", "callbacks"));
    }
    s->cur = st;
    free_state(old);
    sws_schedule_use_zone(st->sched.timezone);
    double now = clock_now(s);
    /* Thousands of jobs with nothing missed only read and record where
     * their schedule stands: one transaction for all of it, paused (and
     * not resumed) as soon as a run is made or skipped. */
    s->batch = sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    for (int i = 0; i < st->sched.n && !s->stopping; i++)
        catch_up(s, i, now, reloading);
    batch_pause(s);
    if (!s->stopping)
        scan_deadlines(s);
    /* The state's timers count from now, when it starts serving, not from
     * when its plugins were loaded aside. */
    double delay = clock_now(s) - built_from;
    for (int i = 0; i < s->nheap && delay > 0; i++)
        if (s->heap[i].kind == ITEM_TIMER && s->heap[i].gen == st->gen)
            s->heap[i].due += delay;
    heapify(s);
}

static void watch_files(serve *s);

/* Reloads policies and plugins; keeps the old state when anything fails.
 * 0, or -1 with the problems kept in s->reload_error. */
static int reload(serve *s, const char *why)
{
    char *err = malloc(65536);
    if (!err)
        return -1;
    logf_(s, "INFO", "reloading policies and plugins (%s)", why);
    double built_from = clock_now(s);
    state *st = build_state(s, err, 65536);
    sws_schedule_key((time_t)clock_now(s), s->reload_at, sizeof s->reload_at);
    int rc = 0;
    if (!st) {
        s->reload_failures++;
        snprintf(s->reload_error, sizeof s->reload_error, "%s", err);
        logf_(s, "ERROR", "reload failed, still serving the previous policies and plugins:\n%s",
              err);
        rc = -1;
    } else {
        s->reloads++;
        s->reload_error[0] = '\0';
        install_state(s, st, built_from, 1);
        logf_(s, "INFO", "reloaded: %d scheduled %s; policies %s", st->sched.n,
              sws_plural(st->sched.n, "job", "jobs"), st->versions);
    }
    free(err);
    watch_files(s);
    if (!s->stopping)
        arm_tick(s);
    return rc;
}

/* ---- signals and file watchers ---------------------------------------------- */

static void on_stop_signal(struct ev_loop *loop, ev_signal *w, int revents)
{
    (void)revents;
    serve *s = w->data;
    logf_(s, "INFO", "signal %d: stopping", w->signum);
    s->stopping = 1;
    ev_break(loop, EVBREAK_ALL);
}

static void on_hup(struct ev_loop *loop, ev_signal *w, int revents)
{
    (void)loop;
    (void)revents;
    reload(w->data, "SIGHUP");
}

static void on_debounced(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop;
    (void)revents;
    reload(w->data, "a file under policies/ or plugins/ changed");
}

static void on_file(struct ev_loop *loop, ev_stat *w, int revents)
{
    (void)revents;
    serve *s = w->data;
    ev_timer_stop(loop, &s->debounce);
    ev_timer_set(&s->debounce, DEBOUNCE, 0);
    ev_timer_start(loop, &s->debounce);
}

/* (Re)watches policies/, plugins/, their .lua files and the plugin folders. */
static void watch_files(serve *s)
{
    for (int i = 0; i < s->nstats; i++) {
        ev_stat_stop(s->loop, &s->stats[i]);
        free((char *)s->stats[i].path);
    }
    free(s->stats);
    s->stats = NULL;
    s->nstats = 0;
    const char *patterns[] = {"%s/policies", "%s/policies/*.lua", "%s/plugins", "%s/plugins/*",
                              "%s/plugins/*/*.lua"};
    glob_t g = {0};
    for (int k = 0; k < 5; k++) {
        char pat[4200];
        snprintf(pat, sizeof pat, patterns[k], s->o->home);
        glob(pat, k ? GLOB_APPEND : 0, NULL, &g);
    }
    s->stats = calloc(g.gl_pathc ? g.gl_pathc : 1, sizeof *s->stats);
    for (size_t i = 0; s->stats && i < g.gl_pathc; i++) {
        char *path = strdup(g.gl_pathv[i]);
        if (!path)
            continue;
        ev_stat *w = &s->stats[s->nstats++];
        ev_stat_init(w, on_file, path, 1.0);
        w->data = s;
        ev_stat_start(s->loop, w);
    }
    globfree(&g);
}

/* ---- control socket --------------------------------------------------------- */

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The last recorded run of one job, for "jobs". */
typedef struct last_run {
    const char *instance;
    char *at, *outcome, *error;
} last_run;

static int compare_last(const void *a, const void *b)
{
    return strcmp(((const last_run *)a)->instance, ((const last_run *)b)->instance);
}

/* Adds the jobs, with their next run and last outcome, to o as "jobs". One
 * query reads the last run of every job (the index on job and time answers
 * it), matched to the schedule by a binary search: a status of 10,000 jobs
 * stays a matter of milliseconds, since the loop waits for it. */
static void add_jobs(serve *s, cJSON *o)
{
    state *st = s->cur;
    int n = st->sched.n;
    double *next = calloc((size_t)n + 1, sizeof *next);
    last_run *last = calloc((size_t)n + 1, sizeof *last);
    cJSON *jobs = cJSON_AddArrayToObject(o, "jobs");
    if (!next || !last)
        goto cleanup;
    for (int i = 0; i < s->nheap; i++)
        if (s->heap[i].gen == st->gen && s->heap[i].kind == ITEM_JOB)
            next[s->heap[i].id] = s->heap[i].due;
    for (int i = 0; i < n; i++)
        last[i].instance = st->sched.entries[i].instance;
    qsort(last, (size_t)n, sizeof *last, compare_last);
    sqlite3_stmt *q = NULL;
    sws_error e;
    if (sws_db_prepare(st->db, "SELECT job, max(scheduled_at), outcome, error FROM job_run "
                               "GROUP BY job",
                       &q, &e) == 0) {
        while (sqlite3_step(q) == SQLITE_ROW) {
            last_run key = {.instance = (const char *)sqlite3_column_text(q, 0)};
            last_run *l = bsearch(&key, last, (size_t)n, sizeof *last, compare_last);
            if (!l)
                continue;
            l->at = strdup((const char *)sqlite3_column_text(q, 1));
            l->outcome = strdup((const char *)sqlite3_column_text(q, 2));
            if (sqlite3_column_type(q, 3) != SQLITE_NULL)
                l->error = strdup((const char *)sqlite3_column_text(q, 3));
        }
    }
    sqlite3_finalize(q);
    for (int i = 0; i < n; i++) {
        const sws_sched_entry *x = &st->sched.entries[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "job", x->instance);
        cJSON_AddStringToObject(j, "when", x->when);
        cJSON_AddStringToObject(j, "policy", x->policy);
        char key[40] = "";
        if (next[i] > 0)
            sws_schedule_key((time_t)next[i], key, sizeof key);
        if (key[0])
            cJSON_AddStringToObject(j, "next", key);
        else
            cJSON_AddNullToObject(j, "next");
        last_run probe = {.instance = x->instance};
        last_run *l = bsearch(&probe, last, (size_t)n, sizeof *last, compare_last);
        if (l && l->at && l->outcome) {
            cJSON_AddStringToObject(j, "last_run", l->at);
            cJSON_AddStringToObject(j, "last_outcome", l->outcome);
            if (l->error)
                cJSON_AddStringToObject(j, "last_error", l->error);
        }
        cJSON_AddItemToArray(jobs, j);
    }
cleanup:
    for (int i = 0; last && i < n; i++) {
        free(last[i].at);
        free(last[i].outcome);
        free(last[i].error);
    }
    free(last);
    free(next);
}

static cJSON *status(serve *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddBoolToObject(o, "ok", 1);
    cJSON_AddNumberToObject(o, "pid", getpid());
    cJSON_AddNumberToObject(o, "uptime", ev_time() - s->started);
    char now[40];
    sws_schedule_key((time_t)clock_now(s), now, sizeof now);
    cJSON_AddStringToObject(o, "now", now);
    cJSON_AddStringToObject(o, "clock", s->jump ? "simulated" : s->offset ? "shifted" : "real");
    cJSON_AddStringToObject(o, "timezone", s->cur->sched.timezone);
    cJSON_AddStringToObject(o, "policies", s->cur->versions);
    cJSON_AddStringToObject(o, "socket", s->socket_path);
    cJSON_AddNumberToObject(o, "reloads", s->reloads);
    cJSON_AddNumberToObject(o, "reload_failures", s->reload_failures);
    if (s->reload_error[0]) {
        cJSON_AddStringToObject(o, "last_reload_error", s->reload_error);
        cJSON_AddStringToObject(o, "last_reload_error_at", s->reload_at);
    } else {
        cJSON_AddNullToObject(o, "last_reload_error");
    }
    cJSON *c = cJSON_AddObjectToObject(o, "runs");
    cJSON_AddNumberToObject(c, "ok", (double)s->runs_ok);
    cJSON_AddNumberToObject(c, "failed", (double)s->runs_failed);
    cJSON_AddNumberToObject(c, "skipped", (double)s->runs_skipped);
    cJSON_AddNumberToObject(c, "missed", (double)s->runs_missed);
    cJSON_AddNumberToObject(o, "timers_fired", (double)s->timers_fired);
    long n = s->nlate < LATE_SAMPLES ? s->nlate : LATE_SAMPLES;
    cJSON *l = cJSON_AddObjectToObject(o, "lateness_ms");
    cJSON_AddNumberToObject(l, "samples", (double)n);
    double *copy = n ? malloc(sizeof *copy * (size_t)n) : NULL;
    if (copy) {
        memcpy(copy, s->late, sizeof *copy * (size_t)n);
        qsort(copy, (size_t)n, sizeof *copy, compare_double);
        cJSON_AddNumberToObject(l, "median", copy[n / 2] * 1000);
        cJSON_AddNumberToObject(l, "p99", copy[(long)((double)(n - 1) * 0.99)] * 1000);
        cJSON_AddNumberToObject(l, "max", copy[n - 1] * 1000);
        free(copy);
    }
    size_t peak;
    cJSON_AddNumberToObject(o, "lua_bytes", (double)sws_host_memory(s->cur->h, &peak));
    long pages_rss = 0, ignore;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &ignore, &pages_rss) != 2)
            pages_rss = 0;
        fclose(f);
    }
    cJSON_AddNumberToObject(o, "rss_kib", (double)pages_rss * (double)sysconf(_SC_PAGESIZE) / 1024);
    cJSON_AddNumberToObject(o, "scheduled_jobs", s->cur->sched.n);
    if (s->cur->sched.n <= STATUS_JOBS) /* more would stall the loop: `ctl jobs` lists them */
        add_jobs(s, o);
    return o;
}

/* ctl run JOB: a manual run, recorded as such, keyed by the second asked. */
static cJSON *run_now(serve *s, const char *instance)
{
    cJSON *o = cJSON_CreateObject();
    state *st = s->cur;
    char job[64], county[16], key[48], as_of[16], stamp[40];
    sws_job_split(instance, job, sizeof job, county, sizeof county);
    const sws_sched_entry *x = NULL;
    for (int i = 0; i < st->sched.n && !x; i++)
        if (strcmp(st->sched.entries[i].instance, instance) == 0)
            x = &st->sched.entries[i];
    if (!x && !sws_job_exists(st->h, job)) {
        cJSON_AddBoolToObject(o, "ok", 0);
        cJSON_AddStringToObject(o, "error", "no such job (see `sws ctl jobs`)");
        return o;
    }
    time_t now = (time_t)clock_now(s);
    sws_schedule_key(now, stamp, sizeof stamp);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(key, sizeof key, "%.16s:%02d%s", stamp, tm.tm_sec, stamp + 16);
    sws_schedule_date(now, as_of, sizeof as_of);
    sws_job_request r = {.instance = instance, .job = job, .county = county[0] ? county : NULL,
                         .scheduled_at = key, .as_of = as_of, .trigger = SWS_TRIGGER_MANUAL,
                         .policy_version = x ? x->version : st->sched.city_version,
                         .timeout = x ? x->timeout : 600, .reports_dir = s->reports_dir};
    char prior[16];
    sws_error e;
    int rc = sws_job_run_recorded(st->h, &r, 0, prior, sizeof prior, &e);
    cJSON_AddBoolToObject(o, "ok", rc == 0);
    cJSON_AddStringToObject(o, "scheduled_at", key);
    if (rc == 1)
        cJSON_AddStringToObject(o, "error", "a run with this key is recorded already: retry in a second");
    else if (rc < 0)
        cJSON_AddStringToObject(o, "error", e.msg);
    logf_(s, rc == 0 ? "INFO" : "ERROR", "%s at %s: %s (manual)", instance, key,
          rc == 0 ? "ok" : rc == 1 ? "already recorded" : e.msg);
    if (rc == 0)
        s->runs_ok++;
    else if (rc < 0)
        s->runs_failed++;
    return o;
}

static cJSON *on_request(void *ud, const cJSON *req)
{
    serve *s = ud;
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(req, "cmd");
    const char *c = cJSON_IsString(cmd) ? cmd->valuestring : "";
    cJSON *o;
    if (strcmp(c, "status") == 0) {
        o = status(s);
    } else if (strcmp(c, "jobs") == 0) {
        o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "ok", 1);
        add_jobs(s, o);
    } else if (strcmp(c, "reload") == 0) {
        int rc = reload(s, "sws ctl reload");
        o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "ok", rc == 0);
        if (rc < 0)
            cJSON_AddStringToObject(o, "error", s->reload_error);
        else
            cJSON_AddStringToObject(o, "policies", s->cur->versions);
    } else if (strcmp(c, "run") == 0) {
        const cJSON *job = cJSON_GetObjectItemCaseSensitive(req, "job");
        if (cJSON_IsString(job)) {
            o = run_now(s, job->valuestring);
        } else {
            o = cJSON_CreateObject();
            cJSON_AddBoolToObject(o, "ok", 0);
            cJSON_AddStringToObject(o, "error", "run needs \"job\"");
        }
        arm_tick(s);
    } else {
        o = cJSON_CreateObject();
        cJSON_AddBoolToObject(o, "ok", 0);
        cJSON_AddStringToObject(o, "error", "unknown cmd (status, jobs, reload, run)");
    }
    return o;
}

/* ---- start and stop ------------------------------------------------------------ */

/* Takes the database's daemon lock; -1 with e naming the holder. */
static int take_lock(serve *s, sws_error *e)
{
    snprintf(s->lock_path, sizeof s->lock_path, "%s.lock", s->o->db_path);
    s->lock_fd = open(s->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (s->lock_fd < 0)
        return sws_errorf(e, "cannot open %s: %s", s->lock_path, strerror(errno));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(s->lock_fd, F_SETLK, &fl) < 0) {
        char holder[600] = "";
        ssize_t n = pread(s->lock_fd, holder, sizeof holder - 1, 0);
        holder[n > 0 ? n : 0] = '\0';
        long pid = 0;
        char sock[512] = "?";
        sscanf(holder, "%ld %511s", &pid, sock);
        close(s->lock_fd);
        s->lock_fd = -1;
        return sws_errorf(e, "another sws serve (pid %ld, socket %s) is already running on %s",
                          pid, sock, s->o->db_path);
    }
    char line[4300];
    int len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), s->socket_path);
    if (ftruncate(s->lock_fd, 0) < 0 || pwrite(s->lock_fd, line, (size_t)len, 0) != len)
        return sws_errorf(e, "cannot write %s: %s", s->lock_path, strerror(errno));
    return 0;
}

/* Sets up everything but the first state; -1 with e. */
static int start(serve *s, const sws_serve_opts *o, sws_error *e)
{
    s->o = o;
    s->lock_fd = -1;
    snprintf(s->socket_path, sizeof s->socket_path, "%s", o->socket_path ? o->socket_path : "");
    if (!o->socket_path)
        snprintf(s->socket_path, sizeof s->socket_path, "%s.sock", o->db_path);
    if (o->reports_dir) {
        snprintf(s->reports_dir, sizeof s->reports_dir, "%s", o->reports_dir);
    } else {
        const char *slash = strrchr(o->db_path, '/');
        snprintf(s->reports_dir, sizeof s->reports_dir, "%.*sreports",
                 slash ? (int)(slash - o->db_path + 1) : 0, o->db_path);
    }
    if (take_lock(s, e) < 0)
        return -1;
    s->loop = ev_default_loop(EVFLAG_AUTO);
    if (!s->loop)
        return sws_errorf(e, "cannot start the event loop");
    s->started = ev_time();
    char why[100];
    sws_cron_parse("0 0 * * *", &s->midnight.cron, why, sizeof why);
    s->jump = o->until != 0;
    if (o->clock_start) {
        s->offset = (double)o->clock_start - ev_time();
        s->virtual_now = (double)o->clock_start;
    } else {
        s->virtual_now = ev_time();
    }
    if (s->jump && s->virtual_now >= (double)o->until)
        return sws_errorf(e, "--until must lie after the start of the clock");
    ev_timer_init(&s->tick, on_tick, 0, 0);
    s->tick.data = s;
    ev_timer_init(&s->debounce, on_debounced, DEBOUNCE, 0);
    s->debounce.data = s;
    ev_signal_init(&s->sigterm, on_stop_signal, SIGTERM);
    ev_signal_init(&s->sigint, on_stop_signal, SIGINT);
    ev_signal_init(&s->sighup, on_hup, SIGHUP);
    s->sigterm.data = s->sigint.data = s->sighup.data = s;
    ev_signal_start(s->loop, &s->sigterm);
    ev_signal_start(s->loop, &s->sigint);
    ev_signal_start(s->loop, &s->sighup);
    signal(SIGPIPE, SIG_IGN);
    if (!(s->ctl = sws_ctl_listen(s->loop, s->socket_path, on_request, s, e)))
        return -1;
    return 0;
}

static void stop(serve *s)
{
    free_state(s->cur);
    s->cur = NULL;
    sws_ctl_close(s->ctl);
    for (int i = 0; i < s->nstats; i++) {
        ev_stat_stop(s->loop, &s->stats[i]);
        free((char *)s->stats[i].path);
    }
    free(s->stats);
    if (s->loop)
        ev_loop_destroy(s->loop);
    free(s->heap);
    free(s->late);
    if (s->lock_fd >= 0) {
        unlink(s->lock_path);
        close(s->lock_fd);
    }
}

int sws_serve(const sws_serve_opts *o, sws_error *e)
{
    serve s = {0};
    int rc = -1;
    char *err = malloc(65536);
    if (!err)
        return sws_errorf(e, "out of memory");
    if (start(&s, o, e) < 0)
        goto cleanup;
    double built_from = clock_now(&s);
    state *st = build_state(&s, err, 65536);
    if (!st) {
        sws_errorf(e, "cannot start: %s", err);
        goto cleanup;
    }
    logf_(&s, "INFO", "sws serve (pid %ld) on %s, socket %s, %s clock; %d scheduled %s; "
                      "policies %s",
          (long)getpid(), o->db_path, s.socket_path,
          s.jump ? "simulated" : s.offset ? "shifted" : "real", st->sched.n,
          sws_plural(st->sched.n, "job", "jobs"), st->versions);
    install_state(&s, st, built_from, 0);
    watch_files(&s);
    if (!s.stopping) {
        arm_tick(&s);
        ev_run(s.loop, 0);
    }
    sws_timers_cancel_all(s.cur->h); /* their callbacks log: before the last line */
    logf_(&s, "INFO", "stopped: %ld %s ok, %ld failed, %ld skipped, %ld missed", s.runs_ok,
          sws_plural(s.runs_ok, "run", "runs"), s.runs_failed, s.runs_skipped, s.runs_missed);
    rc = 0;
cleanup:
    stop(&s);
    free(err);
    return rc;
}
