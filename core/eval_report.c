/*
 * eval_report.c — presenting an evaluation run (evaluate.c computes it): the
 * ranking per county as text, JSON and CSV, and one station explained item
 * by item.
 */
#include "evaluate.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"
#include "text.h"
#include "json_write.h"
#include "validate.h"

static const char *const assessor_long[SWS_EV_ASSESSORS] = {
    "self-assessment (自评)", "government assessment (政府评估)",
    "third-party evaluation (第三方评估)"};

static const char *phase_zh(const sws_eval_run *r)
{
    return strcmp(r->phase, "mid") == 0 ? "中期评估" : "终期评估";
}

static const char *phase_en(const sws_eval_run *r)
{
    return strcmp(r->phase, "mid") == 0 ? "mid-term" : "final";
}

/* ---- reports ------------------------------------------------------------------ */

/* n stars as ★★★, "-" for none. */
static const char *stars_text(int n, char *buf, size_t size)
{
    buf[0] = '\0';
    for (int i = 0; i < n && strlen(buf) + 4 < size; i++)
        strcat(buf, "★");
    if (!n)
        snprintf(buf, size, "-");
    return buf;
}

/* The codes of the veto entries a station triggered, "V1, V2". */
static const char *veto_codes(const sws_eval_run *r, const sws_ev_station *s, char *buf,
                              size_t n)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    buf[0] = '\0';
    for (int i = 0; i < pl->nitems; i++)
        if (pl->items[i].kind == SWS_EV_VETO && s->res[i].earned > 0) {
            size_t used = strlen(buf);
            snprintf(buf + used, n - used, "%s%s", used ? ", " : "", pl->items[i].code);
        }
    return buf;
}

/* The station's missing (item, assessor) scores. */
static int missing_count(const sws_eval_run *r, const sws_ev_station *s)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    int n = 0;
    for (int i = 0; i < pl->nitems; i++)
        for (int a = 0; a < SWS_EV_ASSESSORS; a++)
            n += (s->res[i].missing >> a) & 1;
    return n;
}

/* The findings in station order (stable): order[start[s] .. start[s + 1]). */
static int findings_by_station(const sws_eval_run *r, int **order, int **start)
{
    *order = malloc(((size_t)r->nfindings + 1) * sizeof **order);
    *start = calloc((size_t)r->n + 2, sizeof **start);
    if (!*order || !*start) {
        free(*order);
        free(*start);
        return -1;
    }
    for (int f = 0; f < r->nfindings; f++)
        (*start)[r->findings[f].station + 2]++;
    for (int s = 2; s <= r->n + 1; s++)
        (*start)[s] += (*start)[s - 1];
    for (int f = 0; f < r->nfindings; f++)
        (*order)[(*start)[r->findings[f].station + 1]++] = f;
    return 0;
}

/* The text of a finding (missing scores have none stored). */
static const char *finding_text(const sws_eval_run *r, const sws_ev_finding *f, char *buf,
                                size_t n)
{
    if (f->msg)
        return f->msg;
    if (f->kind != SWS_EV_MISSING || f->assessor < 0)
        return "(no message: out of memory)";
    const sws_ev_station *s = &r->st[f->station];
    if (s->evaluations & (1u << f->assessor))
        snprintf(buf, n, "item %s has no score from %s", f->item,
                 sws_ev_assessor_names[f->assessor]);
    else
        snprintf(buf, n, "item %s has no score from %s: no %s of the %d %s evaluation is on "
                 "file", f->item, sws_ev_assessor_names[f->assessor], assessor_long[f->assessor],
                 r->year, phase_en(r));
    return buf;
}

static const char *const kind_names[] = {"missing", "invalid", "ignored", "error"};

/* The findings of the reported stations, one line per station and kind:
 * an assessor with no evaluation at all is one line, not one per item. */
static void print_findings_text(const sws_eval_run *r, FILE *out, const int *order,
                                const int *start)
{
    if (!r->shown_findings)
        return;
    int by_kind[4] = {0};
    for (int f = 0; f < r->nfindings; f++)
        if (r->st[r->findings[f].station].shown)
            by_kind[r->findings[f].kind]++;
    fprintf(out, "\nfindings: %d assessor %s missing, %d invalid, %d ignored, %d %s not "
            "computed — the grades of these stations are provisional (exit status 3)\n",
            by_kind[SWS_EV_MISSING], sws_plural(by_kind[SWS_EV_MISSING], "score", "scores"),
            by_kind[SWS_EV_INVALID], by_kind[SWS_EV_IGNORED], by_kind[SWS_EV_ERROR],
            sws_plural(by_kind[SWS_EV_ERROR], "item", "items"));
    char list[4096], who[64];
    for (int si = 0; si < r->n; si++) {
        const sws_ev_station *s = &r->st[si];
        if (!s->shown || !s->findings)
            continue;
        const sws_ev_plan *pl = &r->plans[s->plan];
        unsigned none = 0;
        for (int i = 0; i < pl->nitems; i++)
            none |= s->res[i].missing & ~s->evaluations;
        if (none)
            fprintf(out, "  %s %s: no evaluation on file from %s; the items they score earn 0 "
                    "unless another assessor scored them\n", s->code, s->name,
                    sws_ev_assessor_list(none, who, sizeof who));
        list[0] = '\0';
        for (int i = 0; i < pl->nitems; i++) {
            unsigned m = s->res[i].missing & s->evaluations;
            if (m) {
                size_t used = strlen(list);
                snprintf(list + used, sizeof list - used, "%s%s (%s)", used ? ", " : "",
                         pl->items[i].code, sws_ev_assessor_list(m, who, sizeof who));
            }
        }
        if (list[0])
            fprintf(out, "  %s %s: scores missing: %s\n", s->code, s->name, list);
        for (int k = start[si]; k < start[si + 1]; k++) {
            const sws_ev_finding *f = &r->findings[order[k]];
            if (f->kind != SWS_EV_MISSING)
                fprintf(out, "  %s %s: %s\n", s->code, s->name, f->msg);
        }
    }
}

/* Sorts the reported stations of one county by their rank there. */
static int county_rows(sws_eval_run *r, int first, sws_ev_station **v)
{
    int n = 0;
    for (int i = first; i < r->n && strcmp(r->st[i].county, r->st[first].county) == 0; i++)
        if (r->st[i].shown)
            v[n++] = &r->st[i];
    qsort(v, (size_t)n, sizeof *v, sws_ev_by_rank);
    return n;
}

/* The text report: the grades in all, a ranking per county, the findings. */
static int print_text(sws_eval_run *r, FILE *out)
{
    fprintf(out, "Evaluation %d, %s (%d年%s): data from %s to %s\n", r->year, phase_en(r),
            r->year, phase_zh(r), r->from, r->to);
    const sws_ev_station *first = NULL;
    int vetoed = 0;
    for (int i = 0; i < r->n; i++)
        if (r->st[i].shown) {
            first = first ? first : &r->st[i];
            vetoed += r->st[i].vetoed;
        }
    const sws_ev_plan *fp = &r->plans[first->plan];
    fprintf(out, "%d %s:", r->shown, sws_plural(r->shown, "station", "stations"));
    for (int g = 0; g < fp->ngrades; g++) {
        int n = 0;
        for (int i = 0; i < r->n; i++)
            n += r->st[i].shown && strcmp(r->st[i].grade, fp->grades[g].name) == 0;
        fprintf(out, "%s %s %d", g ? "," : "", fp->grades[g].name, n);
    }
    if (vetoed)
        fprintf(out, " (%d failed by a veto item)", vetoed);
    fputc('\n', out);

    sws_ev_station **v = malloc((size_t)r->n * sizeof *v);
    if (!v)
        return -1;
    for (int i = 0; i < r->n;) {
        int n = county_rows(r, i, v);
        int next = i;
        while (next < r->n && strcmp(r->st[next].county, r->st[i].county) == 0)
            next++;
        i = next;
        if (!n)
            continue;
        const sws_ev_plan *pl = &r->plans[v[0]->plan];
        fprintf(out, "\n%s %s — policy %s version %s (%s)\n  weights:", v[0]->county,
                v[0]->county_name, pl->policy, pl->version, pl->file);
        for (int d = 0; d < pl->ndims; d++) {
            char w[32];
            fprintf(out, "%s %s %s %s", d ? "," : "", pl->dims[d].code, pl->dims[d].name,
                    sws_ev_num(w, pl->dims[d].weight));
        }
        fputc('\n', out);
        int width = 4;
        for (int k = 0; k < n; k++)
            if (sws_text_width(v[k]->name) > width)
                width = sws_text_width(v[k]->name);
        fprintf(out, "  rank  city  station    ");
        sws_fput_padded(out, "name", width + 1);
        for (int d = 0; d < pl->ndims; d++)
            fprintf(out, "%6s", pl->dims[d].code);
        fprintf(out, "  bonus   total  grade   stars\n");
        for (int k = 0; k < n; k++) {
            const sws_ev_station *s = v[k];
            char st[64], codes[256];
            fprintf(out, "  %4d  %4d  %s  ", s->rank_county, s->rank_city, s->code);
            sws_fput_padded(out, s->name, width + 1);
            /* sws_fput_fixed: printf's numbers cost a national ranking 0.1 s */
            for (int d = 0; d < pl->ndims; d++) {
                if (pl->dims[d].points > 0)
                    sws_fput_fixed(out, s->dim_score[d], 1, 6);
                else
                    fputs("     -", out);
            }
            fputs("  ", out);
            sws_fput_fixed(out, s->bonus, 1, 5);
            fputs("  ", out);
            sws_fput_fixed(out, s->total, 2, 6);
            fputs("  ", out);
            sws_fput_padded(out, s->grade, 7);
            sws_fput_padded(out, stars_text(s->stars, st, sizeof st), 6);
            if (s->vetoed)
                fprintf(out, "  veto: %s", veto_codes(r, s, codes, sizeof codes));
            int missing = missing_count(r, s);
            if (missing)
                fprintf(out, "  %d %s missing", missing, sws_plural(missing, "score", "scores"));
            else if (s->findings)
                fprintf(out, "  see findings");
            fputc('\n', out);
        }
    }
    free(v);
    int *order, *start;
    if (findings_by_station(r, &order, &start) < 0)
        return -1;
    print_findings_text(r, out, order, start);
    free(order);
    free(start);
    return 0;
}

/* One entry of a station in JSON. */
static cJSON *result_json(const sws_ev_plan *pl, const sws_ev_item *it, const sws_ev_result *res)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", it->code);
    cJSON_AddStringToObject(o, "name", it->name);
    static const char *const kinds[] = {"item", "bonus", "veto"};
    cJSON_AddStringToObject(o, "kind", kinds[it->kind]);
    cJSON_AddStringToObject(o, "type", it->type);
    if (it->kind == SWS_EV_VETO) {
        cJSON_AddBoolToObject(o, "triggered", res->earned > 0);
    } else {
        cJSON_AddNumberToObject(o, "points", it->points);
        cJSON_AddNumberToObject(o, "earned", sws_ev_round2(res->earned));
    }
    if (res->why)
        cJSON_AddStringToObject(o, "why", res->why);
    if (res->error)
        cJSON_AddStringToObject(o, "error", res->error);
    if (it->assessors) {
        cJSON *scores = cJSON_AddObjectToObject(o, "scores");
        cJSON *missing = cJSON_AddArrayToObject(o, "missing");
        for (int a = 0; a < SWS_EV_ASSESSORS; a++) {
            if (res->have & (1u << a)) {
                cJSON *sc = cJSON_AddObjectToObject(scores, sws_ev_assessor_names[a]);
                cJSON_AddNumberToObject(sc, "score", res->given->score[a]);
                cJSON_AddNumberToObject(sc, "weight", pl->weights[a]);
                if (res->given->evidence[a])
                    cJSON_AddStringToObject(sc, "evidence", res->given->evidence[a]);
            }
            if (res->missing & (1u << a))
                cJSON_AddItemToArray(missing, cJSON_CreateString(sws_ev_assessor_names[a]));
        }
    }
    return o;
}

/* One station with its ranks, dimensions and items, as `score --format json`
 * and `explain --format json` give it. */
static cJSON *station_json(const sws_eval_run *r, const sws_ev_station *s)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    char codes[256];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", s->code);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "township", s->township);
    cJSON_AddStringToObject(o, "county", s->county);
    cJSON_AddStringToObject(o, "county_name", s->county_name);
    cJSON_AddStringToObject(o, "policy", pl->policy);
    cJSON_AddStringToObject(o, "policy_version", pl->version);
    cJSON_AddNumberToObject(o, "rank_county", s->rank_county);
    cJSON_AddNumberToObject(o, "stations_county", s->n_county);
    cJSON_AddNumberToObject(o, "rank_city", s->rank_city);
    cJSON_AddNumberToObject(o, "stations_city", s->n_city);
    cJSON_AddNumberToObject(o, "total", s->total);
    cJSON_AddNumberToObject(o, "dimensions_total", sws_ev_round2(s->base));
    cJSON_AddNumberToObject(o, "bonus", sws_ev_round2(s->bonus));
    cJSON_AddStringToObject(o, "grade", s->grade);
    cJSON_AddNumberToObject(o, "stars", s->stars);
    cJSON_AddBoolToObject(o, "vetoed", s->vetoed);
    cJSON *veto = cJSON_AddArrayToObject(o, "veto");
    veto_codes(r, s, codes, sizeof codes);
    for (char *c = strtok(codes, ", "); c; c = strtok(NULL, ", "))
        cJSON_AddItemToArray(veto, cJSON_CreateString(c));
    cJSON_AddBoolToObject(o, "complete", s->findings == 0);
    cJSON *dims = cJSON_AddArrayToObject(o, "dimensions");
    for (int d = 0; d < pl->ndims; d++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "key", pl->dims[d].key);
        cJSON_AddStringToObject(x, "code", pl->dims[d].code);
        cJSON_AddStringToObject(x, "name", pl->dims[d].name);
        cJSON_AddNumberToObject(x, "weight", pl->dims[d].weight);
        cJSON_AddNumberToObject(x, "points", pl->dims[d].points);
        cJSON_AddNumberToObject(x, "earned", sws_ev_round2(s->dim_earned[d]));
        cJSON_AddNumberToObject(x, "score", sws_ev_round2(s->dim_score[d]));
        cJSON_AddItemToArray(dims, x);
    }
    cJSON *items = cJSON_AddArrayToObject(o, "items");
    for (int k = 0; k < pl->nitems; k++)
        cJSON_AddItemToArray(items, result_json(pl, &pl->items[k], &s->res[k]));
    return o;
}

/* One finding: {station, kind, item?, assessor?, message}. */
static cJSON *finding_json(const sws_eval_run *r, const sws_ev_finding *x)
{
    char buf[512];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "station", r->st[x->station].code);
    cJSON_AddStringToObject(o, "kind", kind_names[x->kind]);
    if (x->item)
        cJSON_AddStringToObject(o, "item", x->item);
    if (x->assessor >= 0)
        cJSON_AddStringToObject(o, "assessor", sws_ev_assessor_names[x->assessor]);
    cJSON_AddStringToObject(o, "message", finding_text(r, x, buf, sizeof buf));
    return o;
}

/* The run's year, phase and period, the start of every JSON document. */
static cJSON *run_json(const sws_eval_run *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "year", r->year);
    cJSON_AddStringToObject(root, "phase", r->phase);
    cJSON_AddStringToObject(root, "from", r->from);
    cJSON_AddStringToObject(root, "to", r->to);
    return root;
}

/* print_json's lists: the reported stations, then their findings; `at`
 * is where the next element's search starts. */
typedef struct json_lists {
    sws_eval_run *r;
    int at;
} json_lists;

static cJSON *next_json(void *ud, int k, int i, int *failed)
{
    json_lists *l = ud;
    sws_eval_run *r = l->r;
    if (i == 0)
        l->at = 0;
    int n = k == 0 ? r->n : r->nfindings;
    while (l->at < n && !r->st[k == 0 ? l->at : r->findings[l->at].station].shown)
        l->at++;
    if (l->at >= n)
        return NULL; /* the list has ended */
    cJSON *o = k == 0 ? station_json(r, &r->st[l->at]) : finding_json(r, &r->findings[l->at]);
    l->at++;
    if (!o)
        *failed = 1; /* out of memory */
    return o;
}

/* Every reported station with its dimensions and items, and every finding,
 * written a station (a finding) at a time: a national run's document is
 * hundreds of megabytes. */
static int print_json(sws_eval_run *r, FILE *out)
{
    cJSON *root = run_json(r);
    if (r->scope[0])
        cJSON_AddStringToObject(root, "county", r->scope);
    cJSON_AddArrayToObject(root, "stations");
    cJSON_AddArrayToObject(root, "findings");
    static const char *const lists[] = {"stations", "findings"};
    json_lists l = {r, 0};
    return sws_json_write_streamed(root, lists, 2, next_json, &l, out);
}

/* A quoted CSV field and its separator. */
static void csv_field(FILE *out, const char *s, int last)
{
    sws_csv_put(out, s);
    fputc(last ? '\n' : ',', out);
}

/* One row per reported station; dimension columns by key. */
static int print_csv(sws_eval_run *r, FILE *out)
{
    const sws_ev_station *first = NULL;
    for (int i = 0; i < r->n && !first; i++)
        if (r->st[i].shown)
            first = &r->st[i];
    const sws_ev_plan *fp = &r->plans[first->plan];
    fprintf(out, "year,phase,county,county_name,station,name,rank_county,rank_city");
    for (int d = 0; d < fp->ndims; d++)
        fprintf(out, ",%s", fp->dims[d].key);
    fprintf(out, ",bonus,total,grade,stars,vetoed,veto,missing_scores,findings\n");
    char codes[256], v[32];
    for (int i = 0; i < r->n; i++) {
        const sws_ev_station *s = &r->st[i];
        if (!s->shown)
            continue;
        const sws_ev_plan *pl = &r->plans[s->plan];
        fprintf(out, "%d,%s,%s,", r->year, r->phase, s->county);
        csv_field(out, s->county_name, 0);
        fprintf(out, "%s,", s->code);
        csv_field(out, s->name, 0);
        fprintf(out, "%d,%d", s->rank_county, s->rank_city);
        for (int d = 0; d < fp->ndims; d++) {
            int at = -1;
            for (int k = 0; k < pl->ndims; k++)
                if (strcmp(pl->dims[k].key, fp->dims[d].key) == 0)
                    at = k;
            fprintf(out, ",%s", at >= 0 && pl->dims[at].points > 0
                                    ? sws_ev_num(v, sws_ev_round2(s->dim_score[at])) : "");
        }
        fprintf(out, ",%s", sws_ev_num(v, sws_ev_round2(s->bonus)));
        fprintf(out, ",%.2f,", s->total);
        csv_field(out, s->grade, 0);
        fprintf(out, "%d,%d,", s->stars, s->vetoed);
        csv_field(out, veto_codes(r, s, codes, sizeof codes), 0);
        fprintf(out, "%d,%d\n", missing_count(r, s), s->findings);
    }
    return 0;
}

int sws_eval_print(sws_eval_run *r, const char *format, FILE *out, sws_error *e)
{
    int rc = strcmp(format, "json") == 0 ? print_json(r, out)
           : strcmp(format, "csv") == 0 ? print_csv(r, out) : print_text(r, out);
    return rc < 0 ? sws_errorf(e, "out of memory") : 0;
}

/* ---- one station explained ---------------------------------------------------------- */

/* How station s earned entry i: the data behind a computed item, or each
 * assessor's score, weight and evidence and how they combined. */
static void explain_item(const sws_eval_run *r, const sws_ev_station *s, int i, FILE *out)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    const sws_ev_item *it = &pl->items[i];
    const sws_ev_result *res = &s->res[i];
    char v[32], w[32], who[64];
    const char *indent = it->kind == SWS_EV_ITEM ? "    " : "  ";
    fprintf(out, "%s%s %s — ", indent, it->code, it->name);
    if (!it->assessors) {
        if (it->kind == SWS_EV_VETO)
            fprintf(out, "computed: %s\n", res->error ? "NOT COMPUTED"
                                           : res->earned > 0 ? "TRIGGERED" : "not triggered");
        else
            fprintf(out, "computed: %s of %s\n", sws_ev_num(v, res->earned), sws_ev_num(w, it->points));
        if (res->error)
            fprintf(out, "%s    could not be computed (counted as 0): %s\n", indent, res->error);
        else if (res->why)
            fprintf(out, "%s    %s\n", indent, res->why);
        return;
    }
    if (it->kind == SWS_EV_VETO)
        fprintf(out, "scored by %s: %s\n", sws_ev_assessor_list(it->assessors, who, sizeof who),
                res->earned > 0 ? "FOUND" : res->have ? "not found" : "no score on file");
    else
        fprintf(out, "%s, scored by %s: %s of %s\n", it->type,
                sws_ev_assessor_list(it->assessors, who, sizeof who), sws_ev_num(v, res->earned),
                sws_ev_num(w, it->points));
    double sum = 0, weights = 0;
    int scored = 0;
    for (int a = 0; a < SWS_EV_ASSESSORS; a++) {
        if (!(it->assessors & (1u << a)))
            continue;
        scored += (res->have >> a) & 1;
        fprintf(out, "%s    %-12s", indent, sws_ev_assessor_names[a]);
        if (res->have & (1u << a)) {
            const char *label = sws_ev_level_of(it, res->given->score[a]);
            fprintf(out, "%s%s%s%s", sws_ev_num(v, res->given->score[a]), label && label[0] ? " (" : "",
                    label ? label : "", !label ? " (not a valid score)" : label[0] ? ")" : "");
            if (it->kind != SWS_EV_VETO)
                fprintf(out, "  weight %s", sws_ev_num(w, pl->weights[a]));
            if (res->given->evidence[a])
                fprintf(out, "  evidence: %s", res->given->evidence[a]);
            double s2 = res->given->score[a] > it->points && it->kind != SWS_EV_VETO ? it->points
                                                                             : res->given->score[a];
            sum += pl->weights[a] * s2;
            weights += pl->weights[a];
        } else {
            fprintf(out, "MISSING — %s", s->evaluations & (1u << a)
                    ? "no score for this item" : "no evaluation on file");
        }
        fputc('\n', out);
    }
    if (it->kind == SWS_EV_VETO)
        return;
    if (!res->have)
        fprintf(out, "%s    → no assessor scored it: 0 points\n", indent);
    else if (res->missing || (scored > 1 && fabs(weights - 1) > 1e-9))
        fprintf(out, "%s    → weighted mean over the assessors who scored it: %s / %s = %s\n",
                indent, sws_ev_num(v, sum), sws_ev_num(w, weights), sws_ev_num(who, res->earned));
}

/* ---- the largest point losses ------------------------------------------------------ */

enum { EV_LOSSES_SHOWN = 5 }; /* the items the summary at the top of explain lists */

/* An item of the tree and the points of the total it cost the station. */
typedef struct ev_loss {
    int item;
    double lost;
} ev_loss;

/* qsort order of losses: largest first, then in the plan's order. */
static int by_loss(const void *a, const void *b)
{
    const ev_loss *x = a, *y = b;
    if (x->lost != y->lost)
        return x->lost < y->lost ? 1 : -1;
    return x->item - y->item;
}

/* The items of the tree where station s lost points, largest loss first,
 * at most max into out; returns how many. A loss is the item's points not
 * earned, scaled as its dimension is (county weight / the dimension's
 * points in this phase, then to 100 over the dimensions present), so the
 * losses and the total add up to 100. */
static int largest_losses(const sws_eval_run *r, const sws_ev_station *s, ev_loss *out, int max)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    double present = 0;
    for (int d = 0; d < pl->ndims; d++)
        if (pl->dims[d].points > 0)
            present += pl->dims[d].weight;
    ev_loss *all = malloc(((size_t)pl->nitems + 1) * sizeof *all);
    if (!all || present <= 0) {
        free(all);
        return 0;
    }
    int n = 0;
    for (int i = 0; i < pl->nitems; i++) {
        const sws_ev_item *it = &pl->items[i];
        if (it->kind != SWS_EV_ITEM || it->dim < 0 || pl->dims[it->dim].points <= 0)
            continue;
        const sws_ev_dim *dim = &pl->dims[it->dim];
        double lost = (it->points - s->res[i].earned) * dim->weight / dim->points * 100 /
                      present;
        if (sws_ev_round2(lost) > 0)
            all[n++] = (ev_loss){.item = i, .lost = sws_ev_round2(lost)};
    }
    qsort(all, (size_t)n, sizeof *all, by_loss);
    if (n > max)
        n = max;
    memcpy(out, all, (size_t)n * sizeof *out);
    free(all);
    return n;
}

/* Why station s lost points on item i, in a line: the error or the
 * explanation of a computed item; the assessors' scores (with their
 * meaning) and the missing ones of an assessor item. */
static const char *loss_reason(const sws_eval_run *r, const sws_ev_station *s, int i, char *buf,
                               size_t n)
{
    const sws_ev_item *it = &r->plans[s->plan].items[i];
    const sws_ev_result *res = &s->res[i];
    char v[32];
    buf[0] = '\0';
    if (!it->assessors) {
        snprintf(buf, n, "%s%s", res->error ? "could not be computed: " : "",
                 res->error ? res->error : res->why ? res->why : "computed");
        return buf;
    }
    for (int a = 0; a < SWS_EV_ASSESSORS; a++) {
        size_t used = strlen(buf);
        if (res->have & (1u << a)) {
            const char *label = sws_ev_level_of(it, res->given->score[a]);
            snprintf(buf + used, n - used, "%s%s %s%s%s%s", used ? ", " : "",
                     sws_ev_assessor_names[a], sws_ev_num(v, res->given->score[a]),
                     label && label[0] ? " (" : "", label && label[0] ? label : "",
                     label && label[0] ? ")" : "");
        } else if (res->missing & (1u << a)) {
            snprintf(buf + used, n - used, "%sno score from %s", used ? ", " : "",
                     sws_ev_assessor_names[a]);
        }
    }
    if (!buf[0])
        snprintf(buf, n, "no assessor scored it");
    return buf;
}

/* The summary at the top of the text explain: the veto entries that failed
 * the station, then the items that cost it most. */
static void print_losses(const sws_eval_run *r, const sws_ev_station *s, FILE *out)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    ev_loss loss[EV_LOSSES_SHOWN];
    int n = largest_losses(r, s, loss, EV_LOSSES_SHOWN);
    char v[32], w[32], x[32], why[1024];
    if (!n && !s->vetoed)
        return;
    fprintf(out, "\nlargest point losses (points of the total of 100):\n");
    for (int i = 0; i < pl->nitems && s->vetoed; i++)
        if (pl->items[i].kind == SWS_EV_VETO && s->res[i].earned > 0)
            fprintf(out, "  veto %s %s: the station fails whatever its total\n",
                    pl->items[i].code, pl->items[i].name);
    for (int k = 0; k < n; k++) {
        const sws_ev_item *it = &pl->items[loss[k].item];
        fprintf(out, "  -%-6s %s %s (%s of %s): %s\n", sws_ev_num(v, loss[k].lost), it->code,
                it->name, sws_ev_num(w, s->res[loss[k].item].earned), sws_ev_num(x, it->points),
                loss_reason(r, s, loss[k].item, why, sizeof why));
    }
}

/* The explain as JSON: {year, phase, from, to, station, largest_losses,
 * findings} (docs/evaluation.md). */
static int explain_json(const sws_eval_run *r, const sws_ev_station *s, FILE *out)
{
    const sws_ev_plan *pl = &r->plans[s->plan];
    cJSON *root = run_json(r);
    cJSON *st = station_json(r, s);
    cJSON_AddStringToObject(st, "policy_file", pl->file);
    cJSON *aw = cJSON_AddObjectToObject(st, "assessor_weights");
    for (int a = 0; a < SWS_EV_ASSESSORS; a++)
        cJSON_AddNumberToObject(aw, sws_ev_assessor_names[a], pl->weights[a]);
    cJSON_AddItemToObject(root, "station", st);
    ev_loss *loss = malloc(((size_t)pl->nitems + 1) * sizeof *loss);
    int n = loss ? largest_losses(r, s, loss, pl->nitems) : 0;
    cJSON *list = cJSON_AddArrayToObject(root, "largest_losses");
    char why[1024];
    for (int k = 0; k < n; k++) {
        const sws_ev_item *it = &pl->items[loss[k].item];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "code", it->code);
        cJSON_AddStringToObject(o, "name", it->name);
        cJSON_AddStringToObject(o, "dimension", pl->dims[it->dim].key);
        cJSON_AddNumberToObject(o, "points", it->points);
        cJSON_AddNumberToObject(o, "earned", sws_ev_round2(s->res[loss[k].item].earned));
        cJSON_AddNumberToObject(o, "lost", loss[k].lost);
        cJSON_AddStringToObject(o, "why", loss_reason(r, s, loss[k].item, why, sizeof why));
        cJSON_AddItemToArray(list, o);
    }
    free(loss);
    cJSON *fs = cJSON_AddArrayToObject(root, "findings");
    for (int f = 0; f < r->nfindings; f++)
        if (r->findings[f].station == (int)(s - r->st))
            cJSON_AddItemToArray(fs, finding_json(r, &r->findings[f]));
    return sws_json_write(root, out);
}

int sws_eval_explain(sws_eval_run *r, const char *code, const char *format, FILE *out,
                     sws_error *e)
{
    const sws_ev_station *s = sws_eval_find(r, code);
    if (!s)
        return sws_errorf(e, "station %s was not evaluated", code);
    if (strcmp(format, "json") == 0)
        return explain_json(r, s, out) < 0 ? sws_errorf(e, "out of memory") : 0;
    const sws_ev_plan *pl = &r->plans[s->plan];
    char v[32], w[32], x[32], st[64], codes[256];
    fprintf(out, "%s %s — %s %s, %s\n", s->code, s->name, s->county, s->county_name,
            s->township);
    fprintf(out, "%d %s evaluation (%s): data from %s to %s\n", r->year, phase_en(r),
            phase_zh(r), r->from, r->to);
    fprintf(out, "policy %s version %s (%s); assessor weights: self %s, government %s, "
            "third_party %s\n", pl->policy, pl->version, pl->file,
            sws_ev_num(v, pl->weights[SWS_EV_SELF]), sws_ev_num(w, pl->weights[SWS_EV_GOVERNMENT]),
            sws_ev_num(x, pl->weights[SWS_EV_THIRD_PARTY]));
    print_losses(r, s, out);
    double present = 0;
    for (int d = 0; d < pl->ndims; d++) {
        const sws_ev_dim *dim = &pl->dims[d];
        fprintf(out, "\n%s %s (%s): ", dim->code, dim->name, dim->key);
        if (dim->points <= 0) {
            fprintf(out, "no item in the %s evaluation\n", phase_en(r));
            continue;
        }
        present += dim->weight;
        fprintf(out, "%s of %s points", sws_ev_num(v, s->dim_earned[d]), sws_ev_num(w, dim->points));
        if (fabs(dim->weight - dim->points) > 1e-9)
            fprintf(out, " × weight %s / %s = %s", sws_ev_num(x, dim->weight), sws_ev_num(w, dim->points),
                    sws_ev_num(v, s->dim_score[d]));
        if (fabs(dim->weight - dim->tree_points) > 1e-9)
            fprintf(out, " (the county weighs it %s; the city %s)", sws_ev_num(x, dim->weight),
                    sws_ev_num(w, dim->tree_points));
        fputc('\n', out);
        const char *ind = NULL;
        for (int i = 0; i < pl->nitems; i++) {
            const sws_ev_item *it = &pl->items[i];
            if (it->kind != SWS_EV_ITEM || it->dim != d)
                continue;
            if (!ind || strcmp(ind, it->ind_code) != 0) {
                ind = it->ind_code;
                fprintf(out, "  %s %s (%s points)\n", it->ind_code, it->ind_name,
                        sws_ev_num(v, it->ind_points));
            }
            explain_item(r, s, i, out);
        }
    }
    int bonus_items = 0, veto_items = 0;
    for (int i = 0; i < pl->nitems; i++) {
        bonus_items += pl->items[i].kind == SWS_EV_BONUS;
        veto_items += pl->items[i].kind == SWS_EV_VETO;
    }
    if (bonus_items) {
        fprintf(out, "\nbonus (加分, at most %s): %s\n", sws_ev_num(v, pl->bonus_max), sws_ev_num(w, s->bonus));
        for (int i = 0; i < pl->nitems; i++)
            if (pl->items[i].kind == SWS_EV_BONUS)
                explain_item(r, s, i, out);
    }
    if (veto_items) {
        fprintf(out, "\nveto items (一票否决): %s\n",
                s->vetoed ? "FAILED — the station fails the evaluation whatever its total"
                          : "none found");
        for (int i = 0; i < pl->nitems; i++)
            if (pl->items[i].kind == SWS_EV_VETO)
                explain_item(r, s, i, out);
    }
    fprintf(out, "\ntotal: %.2f = %s (dimensions", s->total, sws_ev_num(v, sws_ev_round2(s->base)));
    if (present > 0 && fabs(present - 100) > 1e-9)
        fprintf(out, ", scaled to 100 from the %s points of the dimensions in this phase",
                sws_ev_num(w, present));
    fprintf(out, ") + %s (bonus)\n", sws_ev_num(x, sws_ev_round2(s->bonus)));
    fprintf(out, "grade: %s%s%s%s; stars: %s\n", s->grade, s->vetoed ? " (veto: " : "",
            s->vetoed ? veto_codes(r, s, codes, sizeof codes) : "", s->vetoed ? ")" : "",
            stars_text(s->stars, st, sizeof st));
    fprintf(out, "rank: %d of %d in %s, %d of %d in the city\n", s->rank_county, s->n_county,
            s->county_name, s->rank_city, s->n_city);
    if (s->findings) {
        int missing = missing_count(r, s);
        fprintf(out, "findings: %d (%d assessor %s missing) — the grade is provisional "
                "(exit status 3)\n", s->findings, missing, sws_plural(missing, "score", "scores"));
        for (int f = 0; f < r->nfindings; f++) {
            const sws_ev_finding *fd = &r->findings[f];
            char buf[512];
            if (fd->station == (int)(s - r->st) && fd->kind != SWS_EV_MISSING)
                fprintf(out, "  %s\n", finding_text(r, fd, buf, sizeof buf));
        }
    }
    return 0;
}
