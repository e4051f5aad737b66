/*
 * evaluate.c — the evaluation of stations: scope, assessor scores, the
 * combination into dimension scores, totals, grades and ranks. Presenting a
 * run (a ranking per county, JSON, CSV, one station explained) is
 * eval_report.c.
 *
 * The indicator tree and the computed items are Lua (core/lua/indicators.lua,
 * reached through the bridge eval_lua.c); everything else is here. Findings — missing,
 * invalid or ignored assessor scores and items that could not be computed —
 * are collected rather than hidden: the commands exit with status 3 when the
 * reported stations have any.
 */
#define _GNU_SOURCE /* madvise */
#include "evaluate.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <limits.h>
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "date.h"
#include "db.h"
#include "mask.h"
#include "progress.h"
#include "csvwrite.h"
#include "text.h"
#include "validate.h"
#include "workers.h"

const char *const sws_ev_assessor_names[SWS_EV_ASSESSORS] = {"self", "government",
                                                             "third_party"};

/* Stations per Lua session: each aggregate query runs once per chunk,
 * under its own budget, and reads only the chunk's rows. China's 29,000
 * stations make 59 chunks: the processes end within about half a chunk of
 * each other, and a chunk's Lua heap is small enough to be reused rather
 * than grown (40 % fewer page faults than chunks of 1,000, and 9 % less
 * time; bench/README.md). */
#define EVAL_CHUNK_STATIONS 500

/* ---- memory: everything of a run lives in its arena --------------------- */

struct sws_ev_arena {
    struct sws_ev_arena *next;
    size_t used, cap;
    alignas(max_align_t) char data[];
};

/* Blocks double from 64 KiB to 8 MiB, so that a small run stays small and
 * a national one (about 100 MB of results) takes few blocks; the large ones
 * in huge pages where the kernel offers them, since a page fault costs more
 * than filling the page. */
#define ARENA_FIRST ((size_t)64 << 10)
#define ARENA_LAST ((size_t)8 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

/* malloc(*size), in huge pages when it is that large (*size is then
 * rounded up to whole ones); for free() and realloc() alike. */
static void *big_alloc(size_t *size)
{
    if (*size < HUGE_PAGE)
        return malloc(*size);
    *size = (*size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = aligned_alloc(HUGE_PAGE, *size);
    if (p)
        madvise(p, *size, MADV_HUGEPAGE); /* a hint: refused, the pages are small */
    return p;
}

static struct sws_ev_arena *new_block(const struct sws_ev_arena *last, size_t need)
{
    size_t cap = last ? last->cap * 2 : ARENA_FIRST;
    cap = cap > ARENA_LAST ? ARENA_LAST : cap;
    cap = cap < need ? need : cap;
    size_t size = sizeof(struct sws_ev_arena) + cap;
    struct sws_ev_arena *b = big_alloc(&size);
    if (b)
        b->cap = size - sizeof *b;
    return b;
}

void *sws_ev_alloc(sws_eval_run *r, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct sws_ev_arena *a = r->arena;
    if (!a || a->used + n > a->cap) {
        struct sws_ev_arena *b = new_block(a, n);
        if (!b)
            return NULL;
        b->next = r->arena;
        b->used = 0;
        r->arena = a = b;
    }
    void *p = a->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

const char *sws_ev_strdup(sws_eval_run *r, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = sws_ev_alloc(r, n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void sws_eval_free(sws_eval_run *r)
{
    sws_eval_lua_end(r);
    for (int i = 0; i < r->nplans; i++)
        sws_policy_release(&r->policies[i]);
    free(r->policies);
    free(r->plans);
    free(r->st);
    free(r->index);
    free(r->findings);
    free(r->broken);
    r->broken = NULL;
    r->nbroken = 0;
    while (r->arena) {
        struct sws_ev_arena *next = r->arena->next;
        free(r->arena);
        r->arena = next;
    }
    r->policies = NULL;
    r->plans = NULL;
    r->st = NULL;
    r->findings = NULL;
    r->nplans = r->n = r->nfindings = 0;
}

/* ---- dates ------------------------------------------------------------------ */

static long day_number(const char *date)
{
    sws_ymd t;
    sscanf(date, "%d-%d-%d", &t.y, &t.m, &t.d);
    return (long)sws_date_day_number(t);
}

/* Sets from, to and share of r for the year, phase and as_of. */
static int set_period(sws_eval_run *r, const char *as_of, sws_error *e)
{
    snprintf(r->from, sizeof r->from, "%04d-01-01", r->year);
    char last[11];
    snprintf(last, sizeof last, "%04d-12-31", r->year);
    if (as_of) {
        const char *bad = sws_valid_date(as_of);
        if (bad)
            return sws_errorf(e, "--as-of %s: %s", as_of, bad);
        if (strcmp(as_of, r->from) < 0 || strcmp(as_of, last) > 0)
            return sws_errorf(e, "--as-of %s is outside the service year %d", as_of, r->year);
        snprintf(r->to, sizeof r->to, "%s", as_of);
    } else {
        snprintf(r->to, sizeof r->to, "%04d-%s", r->year,
                 strcmp(r->phase, "mid") == 0 ? "06-30" : "12-31");
    }
    r->share = (double)(day_number(r->to) - day_number(r->from) + 1) /
               (double)(day_number(last) - day_number(r->from) + 1);
    return 0;
}

/* ---- findings ------------------------------------------------------------- */




/* Records a finding about station (an index); msg lives in the arena (NULL
 * for missing scores, whose text is made when printed). 0, or -1 out of memory. */
static int add_finding(sws_eval_run *r, int station, int kind, const char *item, int assessor,
                       const char *msg)
{
    if (r->nfindings == r->capfindings) {
        int cap = r->capfindings ? r->capfindings * 2 : 256;
        sws_ev_finding *f = realloc(r->findings, (size_t)cap * sizeof *f);
        if (!f)
            return -1;
        r->findings = f;
        r->capfindings = cap;
    }
    r->findings[r->nfindings++] = (sws_ev_finding){station, kind, item, assessor, msg};
    r->st[station].findings++;
    if (r->st[station].shown)
        r->shown_findings++;
    return 0;
}

/* Room for every finding the combination can add for a missing score, made
 * at once: a country's are about 700,000, and an array grown by doubling
 * faults in each of its pages, which costs more than filling them. 0, or -1
 * when out of memory. */
static int reserve_missing(sws_eval_run *r)
{
    size_t n = (size_t)r->nfindings;
    for (int i = 0; i < r->n; i++) {
        const sws_ev_station *s = &r->st[i];
        const sws_ev_plan *pl = &r->plans[s->plan];
        for (int k = 0; k < pl->nitems; k++)
            n += (size_t)__builtin_popcount(pl->items[k].assessors & ~s->res[k].have);
    }
    if (n <= (size_t)r->capfindings || n > INT_MAX)
        return 0; /* room enough, or beyond an int: add_finding says so */
    size_t size = n * sizeof *r->findings;
    sws_ev_finding *f = big_alloc(&size);
    if (!f)
        return -1;
    if (r->nfindings)
        memcpy(f, r->findings, (size_t)r->nfindings * sizeof *f);
    free(r->findings);
    r->findings = f;
    r->capfindings = (int)(size / sizeof *f > INT_MAX ? INT_MAX : size / sizeof *f);
    return 0;
}

/* add_finding with a printf-style message. */
static int findingf(sws_eval_run *r, int station, int kind, const char *item, int assessor,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int findingf(sws_eval_run *r, int station, int kind, const char *item, int assessor,
                    const char *fmt, ...)
{
    char buf[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return add_finding(r, station, kind, item, assessor, sws_ev_strdup(r, buf));
}

/* x rounded to 0.01, halves away from zero (totals are graded rounded). */
double sws_ev_round2(double x)
{
    return x < 0 ? -floor(-x * 100 + 0.5 + 1e-9) / 100 : floor(x * 100 + 0.5 + 1e-9) / 100;
}

/* A number with at most two decimals and no trailing zeros: 3, 2.5, 2.57. */
const char *sws_ev_num(char buf[32], double x)
{
    x = sws_ev_round2(x);
    if (fabs(x) < 0.005)
        x = 0;
    snprintf(buf, 32, "%.2f", x);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    return buf;
}

/* ---- scope and policies ---------------------------------------------------------- */

/* qsort: two stations of the index by code. */
static int index_order(const void *a, const void *b)
{
    return strcmp((*(sws_ev_station *const *)a)->code, (*(sws_ev_station *const *)b)->code);
}

/* Builds r->index (the stations by code). 0, or -1 with e. */
static int build_index(sws_eval_run *r, sws_error *e)
{
    r->index = malloc((size_t)(r->n ? r->n : 1) * sizeof *r->index);
    if (!r->index)
        return sws_errorf(e, "out of memory");
    for (int i = 0; i < r->n; i++)
        r->index[i] = &r->st[i];
    qsort(r->index, (size_t)r->n, sizeof *r->index, index_order);
    return 0;
}

/* Reads the stations to score: those under prefix (a city, or all) that need a
 * station and opened by the end of the period, sorted by code; marks those
 * reported. 0, or -1 with e (also when none is to be reported). */
static int load_stations(sws_eval_run *r, const char *prefix, int most, const sws_eval_opts *o,
                         sws_error *e)
{
    sqlite3_stmt *st = sws_host_stmt(r->h, NULL,
        "SELECT s.code, s.name, t.name, t.unit_code, coalesce(c.name, t.unit_code) "
        "FROM station s JOIN township t ON t.code = s.code "
        "LEFT JOIN county c ON c.code = t.unit_code "
        "WHERE t.kind <> 'special' AND (s.opened IS NULL OR s.opened <= ?1) "
        "AND substr(s.code, 1, length(?2)) = ?2 ORDER BY t.unit_code, t.code", e);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, r->to, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
    /* made once, at the size counted: grown by doubling, the array of a
     * country faults in twice its pages */
    int cap = most > 0 ? most : 0, rc;
    if (cap && !(r->st = malloc((size_t)cap * sizeof *r->st)))
        return sws_errorf(e, "out of memory");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (r->n == cap) {
            cap = cap ? cap * 2 : 256;
            sws_ev_station *n = realloc(r->st, (size_t)cap * sizeof *n);
            if (!n) {
                sqlite3_reset(st);
                return sws_errorf(e, "out of memory");
            }
            r->st = n;
        }
        sws_ev_station *s = memset(&r->st[r->n++], 0, sizeof *r->st);
        snprintf(s->code, sizeof s->code, "%s", sqlite3_column_text(st, 0));
        s->name = sws_ev_strdup(r, (const char *)sqlite3_column_text(st, 1));
        s->township = sws_ev_strdup(r, (const char *)sqlite3_column_text(st, 2));
        snprintf(s->county, sizeof s->county, "%s", sqlite3_column_text(st, 3));
        s->county_name = sws_ev_strdup(r, (const char *)sqlite3_column_text(st, 4));
        s->shown = o->station ? strcmp(s->code, o->station) == 0
                 : o->county ? strcmp(s->county, o->county) == 0 : 1;
        r->shown += s->shown;
        if (!s->name || !s->township || !s->county_name) {
            sqlite3_reset(st);
            return sws_errorf(e, "out of memory");
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sws_errorf(e, "%s", sqlite3_errmsg(sws_host_db(r->h)));
    if (build_index(r, e) < 0)
        return -1;
    if (r->shown)
        return 0;
    if (o->station)
        return sws_errorf(e, "station %s is not evaluated: it is not in the database, its "
                          "township needs no station, or it opened after %s", o->station, r->to);
    if (o->county)
        return sws_errorf(e, "county %s has no station open by %s", o->county, r->to);
    return sws_errorf(e, "no station open by %s is in the database", r->to);
}

/* The index of the plan of county's policy, loading and checking it first. */
static int plan_for(sws_eval_run *r, const char *county, sws_error *e)
{
    char name[512];
    sws_policy_for_county(r->h, county, name, sizeof name);
    for (int i = 0; i < r->nplans; i++)
        if (strcmp(r->policies[i].name, name) == 0)
            return i;
    if (r->nplans == r->capplans) {
        int cap = r->capplans ? r->capplans * 2 : 8;
        sws_policy *p = realloc(r->policies, (size_t)cap * sizeof *p);
        if (p)
            r->policies = p;
        sws_ev_plan *q = realloc(r->plans, (size_t)cap * sizeof *q);
        if (q)
            r->plans = q;
        if (!p || !q)
            return sws_errorf(e, "out of memory");
        r->capplans = cap;
    }
    sws_policy *p = &r->policies[r->nplans];
    if (sws_policy_load(r->h, name, p, e) < 0)
        return -1;
    /* a policy whose tree does not add up would give wrong scores */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    int problems = mem ? sws_policy_validate(p, mem, e) : -1;
    if (mem)
        fclose(mem);
    if (problems != 0) {
        if (problems > 0)
            sws_errorf(e, "policy %s has %d %s, so stations of county %s cannot be "
                       "evaluated (`sws policy check %s` lists them):\n%.600s", p->file, problems,
                       sws_plural(problems, "problem", "problems"), county, name,
                       text ? text : "");
        else if (!mem)
            sws_errorf(e, "out of memory");
        free(text);
        sws_policy_release(p);
        return -1;
    }
    free(text);
    r->nplans++;
    if (sws_eval_lua_plan(r, p, &r->plans[r->nplans - 1], e) < 0) {
        r->nplans--;
        sws_policy_release(p);
        return -1;
    }
    return r->nplans - 1;
}

/* ---- assessor scores ---------------------------------------------------------- */

/* SWS_EV_* of an assessor name, or -1. */
static int assessor_index(const char *s)
{
    for (int a = 0; a < SWS_EV_ASSESSORS; a++)
        if (strcmp(s, sws_ev_assessor_names[a]) == 0)
            return a;
    return -1;
}

/* bsearch: a code against a station of the index. */
static int by_code(const void *key, const void *elem)
{
    return strcmp(key, (*(sws_ev_station *const *)elem)->code);
}

/* bsearch: a code against a station of a run's array. */
static int by_station_code(const void *key, const void *elem)
{
    return strcmp(key, ((const sws_ev_station *)elem)->code);
}

sws_ev_station *sws_eval_find(sws_eval_run *r, const char *code)
{
    if (!r->index) /* a stored run (eval_runs.c) holds its stations sorted by code */
        return r->n ? bsearch(code, r->st, (size_t)r->n, sizeof *r->st, by_station_code) : NULL;
    sws_ev_station **hit = r->n ? bsearch(code, r->index, (size_t)r->n, sizeof *r->index,
                                          by_code) : NULL;
    return hit ? *hit : NULL;
}

/* The index of the plan's entry with code, or -1. */
static int item_index(const sws_ev_plan *pl, const char *code)
{
    for (int i = 0; i < pl->nitems; i++)
        if (strcmp(pl->items[i].code, code) == 0)
            return i;
    return -1;
}

/* The names of the assessors in mask, "government, third_party". */
const char *sws_ev_assessor_list(unsigned mask, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int a = 0; a < SWS_EV_ASSESSORS; a++)
        if (mask & (1u << a)) {
            size_t used = strlen(buf);
            snprintf(buf + used, n - used, "%s%s", used ? ", " : "", sws_ev_assessor_names[a]);
        }
    return buf;
}

/* Reads the assessor scores of the year and phase into the stations'
 * results; scores the plan has no place for are findings. 0, or -1 with e. */
static int load_scores(sws_eval_run *r, const char *prefix, sws_error *e)
{
    sqlite3_stmt *st = sws_host_stmt(r->h, NULL,
        "SELECT e.station_code, e.assessor, s.item_code, s.score, s.evidence "
        "FROM evaluation e LEFT JOIN evaluation_score s ON s.evaluation_id = e.id "
        "WHERE e.year = ?1 AND e.phase = ?2 AND substr(e.station_code, 1, length(?3)) = ?3", e);
    if (!st)
        return -1;
    sqlite3_bind_int(st, 1, r->year);
    sqlite3_bind_text(st, 2, r->phase, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, prefix, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sws_ev_station *s = sws_eval_find(r, (const char *)sqlite3_column_text(st, 0));
        int a = assessor_index((const char *)sqlite3_column_text(st, 1));
        if (!s || a < 0) /* not evaluated (opened later, no station needed) */
            continue;
        int si = (int)(s - r->st);
        s->evaluations |= 1u << a;
        const char *item = (const char *)sqlite3_column_text(st, 2);
        if (!item)
            continue;
        const sws_ev_plan *pl = &r->plans[s->plan];
        int i = item_index(pl, item);
        const char *code = sws_ev_strdup(r, item);
        int bad = 0;
        if (i < 0)
            bad = findingf(r, si, SWS_EV_IGNORED, code, a, "%s scored item %s, which is not an "
                           "item of the %s evaluation in policy %s; the score is ignored",
                           sws_ev_assessor_names[a], item, r->phase, pl->policy);
        else if (!pl->items[i].assessors)
            bad = findingf(r, si, SWS_EV_IGNORED, code, a, "item %s is computed from the data; "
                           "the score of %s is ignored", item, sws_ev_assessor_names[a]);
        else if (!(pl->items[i].assessors & (1u << a))) {
            char who[64];
            bad = findingf(r, si, SWS_EV_IGNORED, code, a, "item %s is scored by %s, not by %s; "
                           "the score is ignored", item,
                           sws_ev_assessor_list(pl->items[i].assessors, who, sizeof who),
                           sws_ev_assessor_names[a]);
        } else {
            sws_ev_result *res = &s->res[i];
            if (!res->given && !(res->given = sws_ev_alloc(r, sizeof *res->given)))
                bad = -1;
            else {
                res->given->score[a] = sqlite3_column_double(st, 3);
                res->given->evidence[a] =
                    sws_ev_strdup(r, (const char *)sqlite3_column_text(st, 4));
                res->have |= 1u << a;
            }
        }
        if (bad < 0) {
            sqlite3_reset(st);
            return sws_errorf(e, "out of memory");
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sws_errorf(e, "%s", sqlite3_errmsg(sws_host_db(r->h)));
    return 0;
}

/* ---- combining ------------------------------------------------------------------ */

/* The label of an assessor's score, or NULL when the item has no such score. */
const char *sws_ev_level_of(const sws_ev_item *it, double score)
{
    for (int l = 0; l < it->nlevels; l++)
        if (fabs(it->levels[l].score - score) < 1e-6)
            return it->levels[l].label;
    return NULL;
}

/* The valid scores of an item, "0 (否), 2 (是)". */
static const char *levels_text(const sws_ev_item *it, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int l = 0; l < it->nlevels; l++) {
        char v[32];
        size_t used = strlen(buf);
        const char *label = it->levels[l].label;
        snprintf(buf + used, n - used, "%s%s%s%s%s", l ? ", " : "", sws_ev_num(v, it->levels[l].score),
                 label[0] ? " (" : "", label, label[0] ? ")" : "");
    }
    return buf;
}

/* Sets what entry `it` earns at station si: computed points checked against
 * the item's range, or the weighted mean of the assessors present (veto:
 * found by any); records the missing and doubtful scores. 0, or -1 (memory). */
static int combine_item(sws_eval_run *r, int si, const sws_ev_item *it, sws_ev_result *res)
{
    char v[32], w[32], buf[512];
    if (!it->assessors) { /* computed */
        if (res->error)
            return findingf(r, si, SWS_EV_ERROR, it->code, -1, "item %s could not be computed: "
                            "%s", it->code, res->error);
        double max = it->kind == SWS_EV_VETO ? 1 : it->points;
        if (res->earned < 0 || res->earned > max + 1e-9) {
            double was = res->earned;
            res->earned = res->earned < 0 ? 0 : max;
            return findingf(r, si, SWS_EV_INVALID, it->code, -1, "item %s: compute gave %s, "
                            "outside 0 to %s; counted as %s", it->code, sws_ev_num(v, was), sws_ev_num(w, max),
                            sws_ev_num(buf, res->earned));
        }
        return 0;
    }
    res->missing = it->assessors & ~res->have;
    for (int a = 0; a < SWS_EV_ASSESSORS; a++)
        if (res->missing & (1u << a))
            if (add_finding(r, si, SWS_EV_MISSING, it->code, a, NULL) < 0)
                return -1;
    double sum = 0, weights = 0, plain = 0;
    int count = 0;
    for (int a = 0; a < SWS_EV_ASSESSORS; a++) {
        if (!(res->have & (1u << a)))
            continue;
        double s = res->given->score[a];
        if (it->kind == SWS_EV_VETO) {
            if (!sws_ev_level_of(it, s) &&
                findingf(r, si, SWS_EV_INVALID, it->code, a, "veto item %s: %s gave %s; a veto "
                         "item is scored 1 (found) or 0 (not found); counted as %s", it->code,
                         sws_ev_assessor_names[a], sws_ev_num(v, s), s > 0 ? "found" : "not found") < 0)
                return -1;
            if (s > 0)
                res->earned = 1;
            continue;
        }
        if (s > it->points + 1e-9) {
            if (findingf(r, si, SWS_EV_INVALID, it->code, a, "item %s: %s gave %s, more than "
                         "its %s points; counted as %s", it->code, sws_ev_assessor_names[a],
                         sws_ev_num(v, s), sws_ev_num(w, it->points), sws_ev_num(buf, it->points)) < 0)
                return -1;
            s = it->points;
        } else if (!sws_ev_level_of(it, s)) {
            char lv[400];
            if (findingf(r, si, SWS_EV_INVALID, it->code, a, "item %s: %s gave %s, which is not "
                         "one of its scores: %s", it->code, sws_ev_assessor_names[a], sws_ev_num(v, s),
                         levels_text(it, lv, sizeof lv)) < 0)
                return -1;
        }
        sum += r->plans[r->st[si].plan].weights[a] * s;
        weights += r->plans[r->st[si].plan].weights[a];
        plain += s;
        count++;
    }
    if (it->kind != SWS_EV_VETO)
        res->earned = !count ? 0 : weights > 0 ? sum / weights : plain / count;
    return 0;
}

/* The dimensions, bonus, veto, total, grade and stars of station si. */
static int combine_station(sws_eval_run *r, int si)
{
    sws_ev_station *s = &r->st[si];
    const sws_ev_plan *pl = &r->plans[s->plan];
    double bonus = 0;
    for (int i = 0; i < pl->nitems; i++) {
        const sws_ev_item *it = &pl->items[i];
        if (combine_item(r, si, it, &s->res[i]) < 0)
            return -1;
        if (it->kind == SWS_EV_ITEM)
            s->dim_earned[it->dim] += s->res[i].earned;
        else if (it->kind == SWS_EV_BONUS)
            bonus += s->res[i].earned;
        else if (s->res[i].earned > 0)
            s->vetoed = 1;
    }
    double base = 0, present = 0;
    for (int d = 0; d < pl->ndims; d++) {
        const sws_ev_dim *dim = &pl->dims[d];
        if (dim->points <= 0)
            continue; /* no item of this dimension in the phase */
        s->dim_score[d] = s->dim_earned[d] * dim->weight / dim->points;
        base += s->dim_score[d];
        present += dim->weight;
    }
    s->base = present > 0 ? base * 100 / present : 0;
    s->bonus = bonus < pl->bonus_max ? bonus : pl->bonus_max;
    s->total = sws_ev_round2(s->base + s->bonus);
    s->stars = 0;
    s->grade = pl->ngrades ? pl->grades[pl->ngrades - 1].name : "?";
    if (!s->vetoed) {
        for (int g = 0; g < pl->ngrades; g++)
            if (s->total >= pl->grades[g].min - 1e-9) {
                s->grade = pl->grades[g].name;
                break;
            }
        for (int g = 0; g < pl->nstars; g++)
            if (s->total >= pl->stars[g].min - 1e-9) {
                s->stars = pl->stars[g].stars;
                break;
            }
    }
    return 0;
}

/* Ranking: stations that passed the veto first, then by total, then code. */
int sws_ev_by_rank(const void *a, const void *b)
{
    const sws_ev_station *x = *(sws_ev_station *const *)a, *y = *(sws_ev_station *const *)b;
    if (x->vetoed != y->vetoed)
        return x->vetoed - y->vetoed;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* Ranks each group of stations: those of one administering unit (county),
 * or those sharing the first 4 digits (the city); equal totals share a rank
 * (1, 2, 2, 4). Stations are sorted by unit, then code. */
static int rank(sws_eval_run *r, int county)
{
    sws_ev_station **v = malloc((size_t)r->n * sizeof *v);
    if (!v)
        return -1;
    for (int start = 0; start < r->n;) {
        int end = start;
        while (end < r->n && (county ? strcmp(r->st[end].county, r->st[start].county) == 0
                                     : strncmp(r->st[end].code, r->st[start].code, 4) == 0))
            end++;
        int n = end - start;
        for (int i = 0; i < n; i++)
            v[i] = &r->st[start + i];
        qsort(v, (size_t)n, sizeof *v, sws_ev_by_rank);
        for (int i = 0; i < n; i++) {
            int at = i > 0 && v[i]->vetoed == v[i - 1]->vetoed && v[i]->total == v[i - 1]->total
                   ? (county ? v[i - 1]->rank_county : v[i - 1]->rank_city) : i + 1;
            if (county) {
                v[i]->rank_county = at;
                v[i]->n_county = n;
            } else {
                v[i]->rank_city = at;
                v[i]->n_city = n;
            }
        }
        start = end;
    }
    free(v);
    return 0;
}

/* ---- the run ---------------------------------------------------------------------- */

/* 0 when the options make sense, else -1 with e. */
static int check_opts(const sws_eval_opts *o, sws_error *e)
{
    if (o->year < 2000 || o->year > 2100)
        return sws_errorf(e, "the year must be between 2000 and 2100, not %d", o->year);
    if (!o->phase || (strcmp(o->phase, "mid") != 0 && strcmp(o->phase, "final") != 0))
        return sws_errorf(e, "the phase is mid or final, not '%s'", o->phase ? o->phase : "");
    if (o->county && sws_valid_division_code(o->county, 6))
        return sws_errorf(e, "county '%s' %s", o->county, sws_valid_division_code(o->county, 6));
    if (o->station && sws_valid_division_code(o->station, 9))
        return sws_errorf(e, "station '%s' %s", o->station,
                          sws_valid_division_code(o->station, 9));
    return 0;
}

/* Records county as broken with the error in why, and reports it on
 * stderr (personal numbers masked). 0, or -1 out of memory. */
static int note_broken(sws_eval_run *r, const char *county, const char *why)
{
    struct sws_ev_broken *b = realloc(r->broken, (size_t)(r->nbroken + 1) * sizeof *b);
    if (!b)
        return -1;
    r->broken = b;
    b = &r->broken[r->nbroken];
    snprintf(b->county, sizeof b->county, "%s", county);
    if (!(b->error = sws_ev_strdup(r, why)))
        return -1;
    r->nbroken++;
    char msg[1400];
    snprintf(msg, sizeof msg, "sws: the policy of county %s failed to load, so its stations "
             "were not evaluated: %s\n", county, why);
    sws_mask_in_place(msg);
    fputs(msg, stderr);
    return 0;
}

/* Leaves out the stations whose county's policy is broken (plan -1), then
 * rebuilds the index and the count shown. 0, or -1 with e when none that
 * was asked for is left. */
static int drop_broken(sws_eval_run *r, sws_error *e)
{
    int kept = 0;
    r->shown = 0;
    for (int i = 0; i < r->n; i++)
        if (r->st[i].plan >= 0) {
            r->st[kept++] = r->st[i];
            r->shown += r->st[kept - 1].shown;
        }
    r->n = kept;
    free(r->index);
    r->index = NULL;
    if (build_index(r, e) < 0)
        return -1;
    if (r->shown == 0)
        return sws_errorf(e, "no station could be evaluated: the policy of county %s failed to "
                          "load: %s", r->broken[0].county, r->broken[0].error);
    return 0;
}

/* The progress of every process's stations. */
struct progress {
    sws_workers *w;
    int total;
};

static void station_done(void *ud)
{
    struct progress *pr = ud;
    long done = sws_workers_add_done(pr->w, 1);
    if (!sws_workers_out(pr->w))
        sws_progress("evaluation", done, pr->total);
}

/* Station i's results, made by the process that writes them first: made
 * before the workers fork, every page a worker writes would be copied. */
static int station_results(sws_eval_run *r, int i)
{
    sws_ev_station *s = &r->st[i];
    if (s->res)
        return 0;
    const sws_ev_plan *pl = &r->plans[s->plan];
    s->res = sws_ev_alloc(r, (size_t)(pl->nitems ? pl->nitems : 1) * sizeof *s->res);
    s->dim_earned = sws_ev_alloc(r, (size_t)(pl->ndims + 1) * sizeof(double));
    s->dim_score = sws_ev_alloc(r, (size_t)(pl->ndims + 1) * sizeof(double));
    return s->res && s->dim_earned && s->dim_score ? 0 : -1;
}

/* The stations of the chunk that begins at `first`: their aggregates and
 * computed items, each station's progress added to every process's. */
static int evaluate_chunk(sws_eval_run *r, sws_workers *w, int first, sws_error *e)
{
    int count = r->n - first < EVAL_CHUNK_STATIONS ? r->n - first : EVAL_CHUNK_STATIONS;
    for (int i = first; i < first + count; i++)
        if (station_results(r, i) < 0)
            return sws_errorf(e, "out of memory");
    if (sws_eval_lua_begin(r, first, count, e) < 0)
        return -1;
    for (int p = 0; p < r->nplans; p++)
        if (sws_eval_lua_aggregates(r, &r->policies[p], e) < 0) {
            sws_eval_lua_end(r);
            return -1;
        }
    struct progress pr = {w, r->n};
    sws_eval_lua_stations(r, first, count, station_done, &pr);
    sws_eval_lua_end(r);
    return 0;
}

/* A worker's results of the chunk that begins at `first`: per station its
 * index, then each computed item's points, error and explanation; -1 ends
 * the chunk. */
static void put_chunk(sws_eval_run *r, int first, FILE *out)
{
    for (int i = first; i < r->n && i < first + EVAL_CHUNK_STATIONS; i++) {
        const sws_ev_station *s = &r->st[i];
        const sws_ev_plan *pl = &r->plans[s->plan];
        sws_workers_put_int(out, i);
        for (int k = 0; k < pl->nitems; k++)
            if (!pl->items[k].assessors) {
                sws_workers_put_num(out, s->res[k].earned);
                sws_workers_put_str(out, s->res[k].error);
                sws_workers_put_str(out, s->res[k].why);
            }
    }
    sws_workers_put_int(out, -1);
}

/* s's copy of a string read back from a worker (freeing it); 0 or -1. */
static int get_text(sws_eval_run *r, FILE *in, const char **s)
{
    char *got;
    if (sws_workers_get_str(in, &got) < 0)
        return -1;
    *s = got ? sws_ev_strdup(r, got) : NULL;
    int lost = got && !*s;
    free(got);
    return lost ? -1 : 0;
}

/* Reads back what a worker computed (put_chunk's records, chunk after chunk). */
static int get_results(FILE *in, void *ud, sws_error *e)
{
    sws_eval_run *r = ud;
    long long i;
    while (sws_workers_get_int(in, &i) == 0) {
        if (i == -1)
            continue;
        if (i < 0 || i >= r->n)
            return sws_errorf(e, "a worker process handed back station %lld of %d", i, r->n);
        if (station_results(r, (int)i) < 0)
            return sws_errorf(e, "out of memory");
        sws_ev_station *s = &r->st[i];
        const sws_ev_plan *pl = &r->plans[s->plan];
        for (int k = 0; k < pl->nitems; k++)
            if (!pl->items[k].assessors &&
                (sws_workers_get_num(in, &s->res[k].earned) < 0 ||
                 get_text(r, in, &s->res[k].error) < 0 || get_text(r, in, &s->res[k].why) < 0))
                return sws_errorf(e, "the results of a worker process are cut short");
    }
    return 0;
}

/* The stations under prefix, those scored and those left out; 0 when they
 * cannot be counted. */
static int count_stations(sws_eval_run *r, const char *prefix)
{
    sws_error ignored;
    sqlite3_stmt *st = sws_host_stmt(r->h, NULL, "SELECT count(*) FROM station "
                                     "WHERE substr(code, 1, length(?1)) = ?1", &ignored);
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return n > 0 && n < INT_MAX ? (int)n : 0;
}

/* Everything of the run that is not the reading transaction around it (most:
 * count_stations). */
static int evaluate(sws_eval_run *r, const sws_eval_opts *o, const char *prefix, int most,
                    sws_error *e)
{
    if (load_stations(r, prefix, most, o, e) < 0)
        return -1;
    const char *last_county = "";
    int last_plan = -1;
    for (int i = 0; i < r->n; i++) {
        sws_ev_station *s = &r->st[i];
        if (strcmp(s->county, last_county) != 0) {
            last_county = s->county;
            sws_error why;
            if ((last_plan = plan_for(r, s->county, &why)) < 0 &&
                note_broken(r, s->county, why.msg) < 0)
                return sws_errorf(e, "out of memory");
        }
        s->plan = last_plan;
    }
    if (r->nbroken && drop_broken(r, e) < 0)
        return -1;
    /* in chunks of stations, each with its own session (the aggregate
     * queries read a chunk's rows and the host holds one chunk at a time),
     * shared among the worker processes */
    int nchunks = (r->n + EVAL_CHUNK_STATIONS - 1) / EVAL_CHUNK_STATIONS;
    sws_workers *w = sws_workers_start(sws_host_db(r->h), o->jobs, nchunks, e);
    if (!w)
        return -1;
    FILE *out = sws_workers_out(w);
    if (sws_host_options(r->h)->verbose && !out) {
        char line[96];
        sws_workers_describe(w, line, sizeof line);
        sws_host_log(r->h, "DEBUG", "eval", line);
    }
    int chunk, rc = 0;
    while (rc == 0 && (chunk = sws_workers_next(w)) >= 0) {
        rc = evaluate_chunk(r, w, chunk * EVAL_CHUNK_STATIONS, e);
        if (rc == 0 && out)
            put_chunk(r, chunk * EVAL_CHUNK_STATIONS, out);
    }
    if (out)
        sws_workers_exit(w, rc < 0 ? e->msg : NULL);
    if (rc < 0) {
        sws_error ignored;
        sws_workers_stop(w);
        sws_workers_finish(w, get_results, r, &ignored);
    } else if (sws_workers_finish(w, get_results, r, e) < 0) {
        rc = sws_error_prefix(e, "evaluating stations");
    }
    if (rc < 0)
        return -1;
    sws_progress_done();
    for (int i = 0; i < r->n; i++)
        if (station_results(r, i) < 0)
            return sws_errorf(e, "out of memory");
    if (load_scores(r, prefix, e) < 0)
        return -1;
    if (reserve_missing(r) < 0)
        return sws_errorf(e, "out of memory");
    for (int i = 0; i < r->n; i++)
        if (combine_station(r, i) < 0)
            return sws_errorf(e, "out of memory");
    if (rank(r, 0) < 0 || rank(r, 1) < 0)
        return sws_errorf(e, "out of memory");
    return 0;
}

int sws_eval_run_new(sws_host *h, const sws_eval_opts *o, sws_eval_run *r, sws_error *e)
{
    memset(r, 0, sizeof *r);
    r->h = h;
    r->session = LUA_NOREF;
    if (check_opts(o, e) < 0)
        return -1;
    r->year = o->year;
    r->keep_whys = !o->without_whys;
    snprintf(r->phase, sizeof r->phase, "%s", o->phase);
    if (set_period(r, o->as_of, e) < 0)
        return -1;
    /* the whole city is scored, so that ranks in the city are right */
    char prefix[5] = "";
    if (o->station || o->county)
        snprintf(prefix, sizeof prefix, "%.4s", o->station ? o->station : o->county);
    snprintf(r->scope, sizeof r->scope, "%s", o->county ? o->county : "");

    /* one read transaction: every query sees the same data */
    sqlite3 *db = sws_host_db(h);
    if (sqlite3_exec(db, "SAVEPOINT sws_eval", NULL, NULL, NULL) != SQLITE_OK)
        return sws_errorf(e, "%s", sqlite3_errmsg(db));
    int saved_as_of = sws_host_set_as_of(h, r->to); /* sws.date.today() in computed items */
    /* many counties read each page about once (db.h), from the stations'
     * list on; a city keeps its cache */
    int most = count_stations(r, prefix);
    long long cache = most > EVAL_CHUNK_STATIONS ? sws_db_reading_cache(db) : 0;
    int rc = evaluate(r, o, prefix, most, e);
    sws_db_restore_cache(db, cache);
    sws_host_restore_as_of(h, saved_as_of);
    sqlite3_exec(db, rc < 0 ? "ROLLBACK TO sws_eval; RELEASE sws_eval" : "RELEASE sws_eval",
                 NULL, NULL, NULL);
    return rc;
}
