/*
 * preview.c — running a policy preview (preview.h): both sides, one
 * transaction, and the differences.
 *
 * The two sides run one after the other, each with its own host (a host
 * owns the connection's authorizer while it lives, so two cannot share the
 * connection at once). What a side produces is copied out of its host before
 * the host is freed. The transaction is opened before the first side and
 * rolled back after the second whatever happened, so plugins loaded for the
 * preview, and anything a rule or guard might try, leave nothing behind; a
 * commit hook turns any commit in between (a plugin running COMMIT) into a
 * rollback, and the preview stops with an error.
 */
#include "preview.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "db.h"
#include "evaluate.h"
#include "grow.h"
#include "policy.h"

#define MAX_GUARDS 32

/* What one side found: findings and advances (its scores go straight into
 * the result). */
typedef struct side_finding { char *place, *name, *rule, *severity, *message; } side_finding;
typedef struct side_move {
    char station[10], from[64], to[64];
    char *name, *reasons;
    int ok;
} side_move;
typedef struct side {
    side_finding *f;
    int nf, capf;
    side_move *m;
    int nm, capm;
} side;

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

static void side_free(side *s)
{
    for (int i = 0; i < s->nf; i++) {
        free(s->f[i].place);
        free(s->f[i].name);
        free(s->f[i].rule);
        free(s->f[i].severity);
        free(s->f[i].message);
    }
    for (int i = 0; i < s->nm; i++) {
        free(s->m[i].name);
        free(s->m[i].reasons);
    }
    free(s->f);
    free(s->m);
    memset(s, 0, sizeof *s);
}

/* ---- the compliance check ---------------------------------------------------------- */

static int cmp_finding(const void *a, const void *b)
{
    const side_finding *x = a, *y = b;
    int c = strcmp(x->place, y->place);
    return c ? c : strcmp(x->rule, y->rule);
}

static int run_check(sws_host *h, const sws_preview_opts *o, side *s, sws_error *e)
{
    sws_check_opts co = {.county = o->county, .year = o->year, .as_of = o->as_of};
    sws_check_result r;
    if (sws_check_run(h, &co, &r, e) < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < r.n && rc == 0; i++) {
        const sws_finding *f = &r.findings[i];
        if (sws_grow(&s->f, &s->capf, s->nf, sizeof *s->f) < 0) {
            rc = sws_errorf(e, "out of memory");
            break;
        }
        side_finding *x = &s->f[s->nf++];
        x->place = dup(f->station ? f->station : f->county ? f->county : "");
        x->name = dup(f->name ? f->name : "");
        x->rule = dup(f->rule ? f->rule : "");
        x->severity = dup(f->severity ? f->severity : "");
        x->message = dup(f->message ? f->message : "");
        if (!x->place || !x->name || !x->rule || !x->severity || !x->message)
            rc = sws_errorf(e, "out of memory");
    }
    sws_check_free(&r);
    if (rc == 0 && s->nf) /* qsort is not given NULL: no finding, no array */
        qsort(s->f, (size_t)s->nf, sizeof *s->f, cmp_finding);
    return rc;
}

/* ---- the evaluation ------------------------------------------------------------------ */

static int cmp_score(const void *a, const void *b)
{
    return strcmp(((const sws_pv_score *)a)->code, ((const sws_pv_score *)b)->code);
}

static sws_pv_score *find_score(sws_preview *p, const char *code, int sorted_upto)
{
    sws_pv_score key;
    snprintf(key.code, sizeof key.code, "%s", code);
    sws_pv_score *hit = bsearch(&key, p->scores, (size_t)sorted_upto, sizeof *p->scores,
                                cmp_score);
    if (hit)
        return hit;
    for (int i = sorted_upto; i < p->nscores; i++)
        if (strcmp(p->scores[i].code, code) == 0)
            return &p->scores[i];
    return NULL;
}

/* Scores the scope with h; a side that cannot be evaluated keeps the reason. */
static int run_eval(sws_host *h, sws_preview *p, int k, int *cap, sws_error *e)
{
    const sws_preview_opts *o = p->o;
    char end[11];
    snprintf(end, sizeof end, "%04d-12-31", o->year);
    sws_eval_opts eo = {.year = o->year, .phase = "final", .county = o->county,
                        .as_of = strcmp(o->as_of, end) < 0 ? o->as_of : NULL};
    sws_eval_run r;
    sws_error why;
    if (sws_eval_run_new(h, &eo, &r, &why) < 0) {
        sws_eval_free(&r);
        p->eval_error[k] = dup(why.msg);
        return p->eval_error[k] ? 0 : sws_errorf(e, "out of memory");
    }
    int sorted = p->nscores, rc = 0;
    for (int i = 0; i < r.n && rc == 0; i++) {
        const sws_ev_station *s = &r.st[i];
        if (!s->shown)
            continue;
        sws_pv_score *x = k ? find_score(p, s->code, sorted) : NULL;
        if (!x) {
            if (sws_grow(&p->scores, cap, p->nscores, sizeof *p->scores) < 0) {
                rc = sws_errorf(e, "out of memory");
                break;
            }
            x = memset(&p->scores[p->nscores++], 0, sizeof *x);
            snprintf(x->code, sizeof x->code, "%s", s->code);
            snprintf(x->county, sizeof x->county, "%s", s->county);
            x->name = dup(s->name);
            x->county_name = dup(s->county_name);
        }
        x->present[k] = 1;
        x->total[k] = s->total;
        x->grade[k] = dup(s->grade);
        x->stars[k] = s->stars;
        x->rank_county[k] = s->rank_county;
        x->rank_city[k] = s->rank_city;
        x->vetoed[k] = s->vetoed;
        if (!x->name || !x->county_name || !x->grade[k])
            rc = sws_errorf(e, "out of memory");
    }
    sws_eval_free(&r);
    if (p->nscores)
        qsort(p->scores, (size_t)p->nscores, sizeof *p->scores, cmp_score);
    return rc;
}

/* ---- the workflow ---------------------------------------------------------------------- */

typedef struct next_stages { const char *from; char to[16][64]; int n; } next_stages;

static void add_next(const char *from, const char *to, const char *fl, const char *tl, void *ud)
{
    (void)fl;
    (void)tl;
    next_stages *ns = ud;
    if (strcmp(from, ns->from) == 0 && ns->n < 16)
        snprintf(ns->to[ns->n++], 64, "%s", to);
}

/* Runs the guards of every next stage of one instance with policy pol. */
static int look_ahead(sws_policy *pol, const char *station, const char *name, const char *stage,
                      const char *as_of, side *s, sws_error *e)
{
    next_stages ns = {.from = stage};
    sws_policy_each_transition(pol, add_next, &ns);
    for (int t = 0; t < ns.n; t++) {
        sws_guard_result g[MAX_GUARDS];
        sws_error ge;
        int ng = sws_policy_run_guards(pol, station, stage, ns.to[t], "sws policy preview",
                                       as_of, g, MAX_GUARDS, &ge);
        char reasons[2048] = "";
        if (ng < 0)
            snprintf(reasons, sizeof reasons, "%s", ge.msg);
        for (int i = 0; i < ng; i++)
            if (!g[i].ok) {
                size_t used = strlen(reasons);
                snprintf(reasons + used, sizeof reasons - used, "%sguard '%s' (%s): %s",
                         used ? "; " : "", g[i].name, g[i].where, g[i].reasons);
            }
        if (sws_grow(&s->m, &s->capm, s->nm, sizeof *s->m) < 0)
            return sws_errorf(e, "out of memory");
        side_move *m = &s->m[s->nm++];
        snprintf(m->station, sizeof m->station, "%s", station);
        snprintf(m->from, sizeof m->from, "%s", stage);
        snprintf(m->to, sizeof m->to, "%s", ns.to[t]);
        m->name = dup(name);
        m->ok = !reasons[0];
        m->reasons = dup(reasons);
        if (!m->name || !m->reasons)
            return sws_errorf(e, "out of memory");
    }
    return 0;
}

/* Notes an instance pinned to a version other than the proposed policy's. */
static int note_migrate(sws_preview *p, int *cap, sws_policy *pol, const char *station,
                        const char *name, const char *stage, const char *pinned_policy,
                        const char *pinned_version, sws_error *e)
{
    if (strcmp(pol->name, pinned_policy) == 0 && strcmp(pol->version, pinned_version) == 0)
        return 0;
    if (sws_grow(&p->migrate, cap, p->nmigrate, sizeof *p->migrate) < 0)
        return sws_errorf(e, "out of memory");
    sws_pv_migrate *m = memset(&p->migrate[p->nmigrate++], 0, sizeof *m);
    snprintf(m->station, sizeof m->station, "%s", station);
    snprintf(m->stage, sizeof m->stage, "%s", stage);
    snprintf(m->pinned, sizeof m->pinned, "%s %s", pinned_policy, pinned_version);
    snprintf(m->proposed, sizeof m->proposed, "%s %s", pol->name, pol->version);
    m->stage_exists = sws_policy_has_stage(pol, stage);
    m->name = dup(name);
    return m->name ? 0 : sws_errorf(e, "out of memory");
}

/* Side 0 uses the policy each instance is pinned to (as `workflow advance`
 * does); side 1 the proposed policy of its county. */
static int run_workflow(sws_host *h, sws_preview *p, int k, side *s, int *cap, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(sws_host_db(h),
                       "SELECT w.station_code, coalesce(s.name, t.name), w.stage, w.policy_name, "
                       "w.policy_version, t.county_code FROM workflow_instance w "
                       "JOIN township t ON t.code = w.station_code "
                       "LEFT JOIN station s ON s.code = w.station_code "
                       "WHERE ?1 IS NULL OR t.county_code = ?1 ORDER BY w.station_code",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, p->o->county, -1, SQLITE_STATIC);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *stage = (const char *)sqlite3_column_text(st, 2);
        char which[64];
        if (k)
            sws_policy_for_county(h, (const char *)sqlite3_column_text(st, 5), which,
                                  sizeof which);
        else
            snprintf(which, sizeof which, "%s", sqlite3_column_text(st, 3));
        sws_policy pol;
        if (sws_policy_load(h, which, &pol, e) < 0) {
            rc = -1;
            break;
        }
        p->instances += k;
        rc = look_ahead(&pol, code, name, stage, p->o->as_of, s, e);
        if (rc == 0 && k)
            rc = note_migrate(p, cap, &pol, code, name, stage,
                              (const char *)sqlite3_column_text(st, 3),
                              (const char *)sqlite3_column_text(st, 4), e);
        sws_policy_release(&pol);
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- one side --------------------------------------------------------------------------- */

typedef struct caps { int scores, moves, migrate, findings; } caps;

static int run_side(sws_preview *p, int k, side *s, caps *c, sws_error *e)
{
    const sws_preview_opts *o = p->o;
    sws_host *h = o->make_host(k ? o->proposed_home : o->live_home, o->ud);
    if (!h)
        return sws_errorf(e, "cannot set up the Lua host for the %s policies",
                          k ? "proposed" : "live");
    int rc = run_check(h, o, s, e);
    if (rc == 0)
        rc = run_eval(h, p, k, &c->scores, e);
    if (rc == 0)
        rc = run_workflow(h, p, k, s, &c->migrate, e);
    sws_host_free(h);
    if (rc < 0)
        sws_error_prefix(e, "with the %s policies", k ? "proposed" : "live");
    return rc;
}

/* ---- differences ---------------------------------------------------------------------- */

static int add_finding(sws_preview *p, caps *c, const side_finding *b, const side_finding *a)
{
    if (sws_grow(&p->findings, &c->findings, p->nfindings, sizeof *p->findings) < 0)
        return -1;
    const side_finding *any = b ? b : a;
    sws_pv_finding *f = &p->findings[p->nfindings++];
    f->place = dup(any->place);
    f->name = dup(any->name);
    f->rule = dup(any->rule);
    f->severity = dup(a ? a->severity : b->severity);
    f->before = b ? dup(b->message) : NULL;
    f->after = a ? dup(a->message) : NULL;
    return 0;
}

static int diff_findings(sws_preview *p, caps *c, const side *b, const side *a)
{
    p->total_findings[0] = b->nf;
    p->total_findings[1] = a->nf;
    int i = 0, j = 0;
    while (i < b->nf || j < a->nf) {
        int cmp = i >= b->nf ? 1 : j >= a->nf ? -1 : cmp_finding(&b->f[i], &a->f[j]);
        int rc = 0;
        if (cmp < 0)
            rc = add_finding(p, c, &b->f[i++], NULL);
        else if (cmp > 0)
            rc = add_finding(p, c, NULL, &a->f[j++]);
        else {
            if (strcmp(b->f[i].message, a->f[j].message) != 0 ||
                strcmp(b->f[i].severity, a->f[j].severity) != 0)
                rc = add_finding(p, c, &b->f[i], &a->f[j]);
            i++;
            j++;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int cmp_move(const void *x, const void *y)
{
    const side_move *a = x, *b = y;
    int c = strcmp(a->station, b->station);
    return c ? c : strcmp(a->to, b->to);
}

static int add_move(sws_preview *p, caps *c, const side_move *b, const side_move *a)
{
    if (sws_grow(&p->moves, &c->moves, p->nmoves, sizeof *p->moves) < 0)
        return -1;
    const side_move *any = b ? b : a;
    sws_pv_move *m = memset(&p->moves[p->nmoves++], 0, sizeof *m);
    snprintf(m->station, sizeof m->station, "%s", any->station);
    snprintf(m->from, sizeof m->from, "%s", any->from);
    snprintf(m->to, sizeof m->to, "%s", any->to);
    m->name = dup(any->name);
    m->ok[0] = b ? b->ok : -1;  /* -1: no such move on that side */
    m->ok[1] = a ? a->ok : -1;
    m->reasons[0] = b ? dup(b->reasons) : NULL;
    m->reasons[1] = a ? dup(a->reasons) : NULL;
    return 0;
}

static int diff_moves(sws_preview *p, caps *c, side *b, side *a)
{
    if (b->nm) /* no moves: the list may be NULL, which qsort may not be given */
        qsort(b->m, (size_t)b->nm, sizeof *b->m, cmp_move);
    if (a->nm)
        qsort(a->m, (size_t)a->nm, sizeof *a->m, cmp_move);
    p->advances = a->nm;
    int i = 0, j = 0;
    while (i < b->nm || j < a->nm) {
        int cmp = i >= b->nm ? 1 : j >= a->nm ? -1 : cmp_move(&b->m[i], &a->m[j]);
        int rc = 0;
        if (cmp < 0)
            rc = add_move(p, c, &b->m[i++], NULL);
        else if (cmp > 0)
            rc = add_move(p, c, NULL, &a->m[j++]);
        else {
            if (b->m[i].ok != a->m[j].ok || strcmp(b->m[i].reasons, a->m[j].reasons) != 0)
                rc = add_move(p, c, &b->m[i], &a->m[j]);
            i++;
            j++;
        }
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void preview_free(sws_preview *p)
{
    for (int i = 0; i < p->nfindings; i++) {
        sws_pv_finding *f = &p->findings[i];
        free(f->place);
        free(f->name);
        free(f->rule);
        free(f->severity);
        free(f->before);
        free(f->after);
    }
    for (int i = 0; i < p->nscores; i++) {
        free(p->scores[i].name);
        free(p->scores[i].county_name);
        free(p->scores[i].grade[0]);
        free(p->scores[i].grade[1]);
    }
    for (int i = 0; i < p->nmoves; i++) {
        free(p->moves[i].name);
        free(p->moves[i].reasons[0]);
        free(p->moves[i].reasons[1]);
    }
    for (int i = 0; i < p->nmigrate; i++)
        free(p->migrate[i].name);
    free(p->findings);
    free(p->scores);
    free(p->moves);
    free(p->migrate);
    free(p->eval_error[0]);
    free(p->eval_error[1]);
}

/* -1 with e when something ended the preview's transaction (a plugin's or
 * a rule's COMMIT or ROLLBACK): what ran after it would not be isolated. */
static int still_isolated(sqlite3 *db, int commits, sws_error *e)
{
    if (!sqlite3_get_autocommit(db) && !commits)
        return 0;
    return sws_errorf(e, "a plugin or rule ended the preview's transaction (COMMIT or "
                      "ROLLBACK); every write was refused, and the preview stops");
}

int sws_preview_run(sqlite3 *db, const sws_preview_opts *o, FILE *out, sws_error *e)
{
    sws_preview p = {.o = o};
    side sides[2] = {{0}, {0}};
    caps c = {0};
    int commits = 0;
    if (sws_db_exec(db, "BEGIN", e) < 0)
        return -1;
    /* not even a plugin that commits behind the preview's back can write */
    sws_db_refuse_commits(db, &commits);
    int rc = run_side(&p, 0, &sides[0], &c, e);
    if (rc == 0)
        rc = still_isolated(db, commits, e);
    if (rc == 0)
        rc = run_side(&p, 1, &sides[1], &c, e);
    if (rc == 0)
        rc = still_isolated(db, commits, e);
    /* always: the preview never writes */
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sws_db_refuse_commits(db, NULL);
    if (rc == 0 && (diff_findings(&p, &c, &sides[0], &sides[1]) < 0 ||
                    diff_moves(&p, &c, &sides[0], &sides[1]) < 0))
        rc = sws_errorf(e, "out of memory");
    if (rc == 0)
        rc = sws_preview_print(&p, out, e);
    side_free(&sides[0]);
    side_free(&sides[1]);
    preview_free(&p);
    return rc;
}
