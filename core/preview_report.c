/*
 * preview_report.c — printing a policy preview (preview.h) as text, JSON or
 * a self-contained HTML page (a before/after chart of the score
 * distribution and the largest rank moves, no outside resources).
 */
#include "preview.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "json_write.h"

/* ---- shared ------------------------------------------------------------------------- */

static int score_changed(const sws_pv_score *s)
{
    if (s->present[0] != s->present[1])
        return 1;
    return fabs(s->total[0] - s->total[1]) >= 0.005 || s->stars[0] != s->stars[1] ||
           s->rank_county[0] != s->rank_county[1] || s->rank_city[0] != s->rank_city[1] ||
           strcmp(s->grade[0] ? s->grade[0] : "", s->grade[1] ? s->grade[1] : "") != 0;
}

/* Largest change of total first, then of the city rank, then by code. */
static int by_change(const void *a, const void *b)
{
    const sws_pv_score *x = *(const sws_pv_score *const *)a, *y = *(const sws_pv_score *const *)b;
    double dx = fabs(x->total[1] - x->total[0]), dy = fabs(y->total[1] - y->total[0]);
    if (fabs(dx - dy) >= 0.005)
        return dx > dy ? -1 : 1;
    int rx = abs(x->rank_city[1] - x->rank_city[0]), ry = abs(y->rank_city[1] - y->rank_city[0]);
    if (rx != ry)
        return ry - rx;
    return strcmp(x->code, y->code);
}

/* The changed stations in report order (malloc'd; *n of them). */
static const sws_pv_score **changed_scores(const sws_preview *p, int *n)
{
    const sws_pv_score **v = malloc((size_t)(p->nscores + 1) * sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (int i = 0; i < p->nscores; i++)
        if (score_changed(&p->scores[i]))
            v[(*n)++] = &p->scores[i];
    qsort(v, (size_t)*n, sizeof *v, by_change);
    return v;
}

static int count_findings(const sws_preview *p, int appear, int disappear)
{
    int n = 0;
    for (int i = 0; i < p->nfindings; i++) {
        const sws_pv_finding *f = &p->findings[i];
        n += appear ? !f->before : disappear ? !f->after : (f->before && f->after);
    }
    return n;
}

static const char *move_word(int ok)
{
    return ok < 0 ? "not a next stage" : ok ? "allowed" : "refused";
}

/* ---- text ------------------------------------------------------------------------------- */

static void text_findings(const sws_preview *p, FILE *out)
{
    int appear = count_findings(p, 1, 0), disappear = count_findings(p, 0, 1),
        change = count_findings(p, 0, 0);
    fprintf(out, "\nCompliance check: %d %s, %d %s, %d %s (%d before, %d after)\n", appear,
            sws_plural(appear, "finding appears", "findings appear"), disappear,
            sws_plural(disappear, "disappears", "disappear"), change,
            sws_plural(change, "changes", "change"), p->total_findings[0], p->total_findings[1]);
    const char *place = "";
    for (int i = 0; i < p->nfindings; i++) {
        const sws_pv_finding *f = &p->findings[i];
        if (strcmp(place, f->place) != 0) {
            place = f->place;
            fprintf(out, "  %s %s\n", f->place, f->name);
        }
        if (!f->before)
            fprintf(out, "    + %s [%s] %s\n", f->rule, f->severity, f->after);
        else if (!f->after)
            fprintf(out, "    - %s [%s] %s\n", f->rule, f->severity, f->before);
        else
            fprintf(out, "    ~ %s [%s]\n        before: %s\n        after:  %s\n", f->rule,
                    f->severity, f->before, f->after);
    }
}

static void text_scores(const sws_preview *p, FILE *out, const sws_pv_score **v, int n)
{
    fprintf(out, "\nEvaluation (%d final): ", p->o->year);
    for (int k = 0; k < 2; k++)
        if (p->eval_error[k]) {
            fprintf(out, "not scored with the %s policies: %s\n", k ? "proposed" : "live",
                    p->eval_error[k]);
            return;
        }
    fprintf(out, "%d of %d %s\n", n, p->nscores,
            sws_plural(p->nscores, "station changes", "stations change"));
    if (n)
        fprintf(out, "  %-9s  %-28s %-26s %-14s %-10s %-10s %s\n", "station", "name",
                "total before → after", "grade", "stars", "rank cty", "rank city");
    for (int i = 0; i < n; i++) {
        const sws_pv_score *s = v[i];
        char d[32], grade[96];
        snprintf(d, sizeof d, "(%+.2f)", s->total[1] - s->total[0]);
        fprintf(out, "  %-9s  ", s->code);
        sws_fput_padded(out, s->name, 28);
        fprintf(out, " %6.2f → %-6.2f %-10s", s->total[0], s->total[1], d);
        snprintf(grade, sizeof grade, "%s → %s", s->grade[0] ? s->grade[0] : "-",
                 s->grade[1] ? s->grade[1] : "-");
        sws_fput_padded(out, grade, 14);
        fprintf(out, " %d → %-5d %3d → %-4d %4d → %d\n", s->stars[0], s->stars[1],
                s->rank_county[0], s->rank_county[1], s->rank_city[0], s->rank_city[1]);
    }
}

/* The ranking of one county's stations before and after, side by side. */
static void text_ranking(const sws_preview *p, FILE *out, const char *county)
{
    const sws_pv_score *rows[2][512];
    int n[2] = {0, 0};
    const char *name = "";
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < p->nscores; i++) {
            const sws_pv_score *s = &p->scores[i];
            if (strcmp(s->county, county) != 0 || !s->present[k] || n[k] >= 512)
                continue;
            name = s->county_name;
            int at = n[k]++;
            while (at > 0 && (rows[k][at - 1]->rank_county[k] > s->rank_county[k]))
                rows[k][at] = rows[k][at - 1], at--;
            rows[k][at] = s;
        }
    fprintf(out, "  %s %s: rank, before | after\n", county, name);
    for (int i = 0; i < n[0] || i < n[1]; i++) {
        for (int k = 0; k < 2; k++) {
            const sws_pv_score *s = i < n[k] ? rows[k][i] : NULL;
            if (s) {
                fprintf(out, "%s%3d  %s ", k ? " | " : "    ", s->rank_county[k], s->code);
                sws_fput_padded(out, s->name, 26);
                fprintf(out, " %6.2f", s->total[k]);
            }
        }
        fputc('\n', out);
    }
}

static void text_rankings(const sws_preview *p, FILE *out)
{
    if (p->eval_error[0] || p->eval_error[1])
        return;
    fprintf(out, "\nCounty ranking before | after (counties whose ranking changed):\n");
    int shown = 0;
    for (int i = 0; i < p->nscores; i++) {
        const sws_pv_score *s = &p->scores[i];
        if (i > 0 && strcmp(p->scores[i - 1].county, s->county) == 0)
            continue;
        int moved = 0;
        for (int j = i; j < p->nscores && strcmp(p->scores[j].county, s->county) == 0; j++)
            moved |= p->scores[j].rank_county[0] != p->scores[j].rank_county[1];
        if (moved) {
            text_ranking(p, out, s->county);
            shown++;
        }
    }
    if (!shown)
        fprintf(out, "  no county's ranking changes\n");
}

static void text_workflow(const sws_preview *p, FILE *out)
{
    fprintf(out, "\nWorkflow: %d of %d next %s\n", p->nmoves, p->advances,
            sws_plural(p->advances, "advance changes", "advances change"));
    for (int i = 0; i < p->nmoves; i++) {
        const sws_pv_move *m = &p->moves[i];
        fprintf(out, "  %s %s: %s → %s would now be %s (was %s)\n", m->station, m->name,
                m->from, m->to, move_word(m->ok[1]), move_word(m->ok[0]));
        for (int k = 0; k < 2; k++)
            if (m->reasons[k] && m->reasons[k][0])
                fprintf(out, "      %s: %s\n", k ? "now" : "before", m->reasons[k]);
    }
    fprintf(out, "\nInstances pinned to another version than the proposed policy: %d of %d",
            p->nmigrate, p->instances);
    fprintf(out, p->nmigrate ? " (they would need `sws workflow migrate`)\n" : "\n");
    for (int i = 0; i < p->nmigrate; i++) {
        const sws_pv_migrate *m = &p->migrate[i];
        fprintf(out, "  %s %s at '%s': %s → %s%s%s%s\n", m->station, m->name, m->stage,
                m->pinned, m->proposed, m->stage_exists ? "" : "; stage '",
                m->stage_exists ? "" : m->stage,
                m->stage_exists ? "" : "' no longer exists: migrate needs --map");
    }
}

static void print_text(const sws_preview *p, FILE *out, const sws_pv_score **v, int n)
{
    const sws_preview_opts *o = p->o;
    fprintf(out, "Policy preview: %s against the live policies\n", o->label);
    fprintf(out, "scope: %s%s; service year %d (final evaluation), as of %s\n",
            o->county ? "county " : "every county", o->county ? o->county : "", o->year,
            o->as_of);
    fprintf(out, "Nothing was written: the preview ran in one transaction, rolled back.\n");
    text_findings(p, out);
    text_scores(p, out, v, n);
    text_rankings(p, out);
    text_workflow(p, out);
}

/* ---- JSON ----------------------------------------------------------------------------- */

static cJSON *pair_num(cJSON *o, const char *k, double a, double b, int present0, int present1)
{
    cJSON *x = cJSON_AddObjectToObject(o, k);
    if (present0)
        cJSON_AddNumberToObject(x, "before", a);
    else
        cJSON_AddNullToObject(x, "before");
    if (present1)
        cJSON_AddNumberToObject(x, "after", b);
    else
        cJSON_AddNullToObject(x, "after");
    return x;
}

static void pair_str(cJSON *o, const char *k, const char *a, const char *b)
{
    cJSON *x = cJSON_AddObjectToObject(o, k);
    if (a)
        cJSON_AddStringToObject(x, "before", a);
    else
        cJSON_AddNullToObject(x, "before");
    if (b)
        cJSON_AddStringToObject(x, "after", b);
    else
        cJSON_AddNullToObject(x, "after");
}

static cJSON *json_score(const sws_pv_score *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "station", s->code);
    cJSON_AddStringToObject(o, "name", s->name);
    cJSON_AddStringToObject(o, "county", s->county);
    pair_num(o, "total", s->total[0], s->total[1], s->present[0], s->present[1]);
    pair_str(o, "grade", s->grade[0], s->grade[1]);
    pair_num(o, "stars", s->stars[0], s->stars[1], s->present[0], s->present[1]);
    pair_num(o, "rank_county", s->rank_county[0], s->rank_county[1], s->present[0],
             s->present[1]);
    pair_num(o, "rank_city", s->rank_city[0], s->rank_city[1], s->present[0], s->present[1]);
    return o;
}

static int print_json(const sws_preview *p, FILE *out, const sws_pv_score **v, int n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "proposal", p->o->label);
    if (p->o->county)
        cJSON_AddStringToObject(root, "county", p->o->county);
    cJSON_AddNumberToObject(root, "year", p->o->year);
    cJSON_AddStringToObject(root, "as_of", p->o->as_of);
    cJSON *fs = cJSON_AddArrayToObject(root, "findings");
    for (int i = 0; i < p->nfindings; i++) {
        const sws_pv_finding *f = &p->findings[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "change", !f->before ? "appears" : !f->after ? "disappears"
                                                                                : "changes");
        cJSON_AddStringToObject(x, "place", f->place);
        cJSON_AddStringToObject(x, "name", f->name);
        cJSON_AddStringToObject(x, "rule", f->rule);
        cJSON_AddStringToObject(x, "severity", f->severity);
        pair_str(x, "message", f->before, f->after);
        cJSON_AddItemToArray(fs, x);
    }
    cJSON *ev = cJSON_AddObjectToObject(root, "evaluation");
    for (int k = 0; k < 2; k++)
        if (p->eval_error[k])
            cJSON_AddStringToObject(ev, k ? "error_after" : "error_before", p->eval_error[k]);
    cJSON *changed = cJSON_AddArrayToObject(ev, "changed");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(changed, json_score(v[i]));
    cJSON *all = cJSON_AddArrayToObject(ev, "stations");
    for (int i = 0; i < p->nscores; i++)
        cJSON_AddItemToArray(all, json_score(&p->scores[i]));
    cJSON *wf = cJSON_AddObjectToObject(root, "workflow");
    cJSON_AddNumberToObject(wf, "advances", p->advances);
    cJSON *mv = cJSON_AddArrayToObject(wf, "changed");
    for (int i = 0; i < p->nmoves; i++) {
        const sws_pv_move *m = &p->moves[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "station", m->station);
        cJSON_AddStringToObject(x, "name", m->name);
        cJSON_AddStringToObject(x, "from", m->from);
        cJSON_AddStringToObject(x, "to", m->to);
        pair_str(x, "answer", move_word(m->ok[0]), move_word(m->ok[1]));
        pair_str(x, "reasons", m->reasons[0], m->reasons[1]);
        cJSON_AddItemToArray(mv, x);
    }
    cJSON *mg = cJSON_AddArrayToObject(wf, "migrate");
    for (int i = 0; i < p->nmigrate; i++) {
        const sws_pv_migrate *m = &p->migrate[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "station", m->station);
        cJSON_AddStringToObject(x, "stage", m->stage);
        cJSON_AddStringToObject(x, "pinned", m->pinned);
        cJSON_AddStringToObject(x, "proposed", m->proposed);
        cJSON_AddBoolToObject(x, "stage_exists", m->stage_exists);
        cJSON_AddItemToArray(mg, x);
    }
    return sws_json_write(root, out);
}

/* ---- HTML ------------------------------------------------------------------------------- */

/* A bar chart of how many stations score in each 5-point band, before
 * (grey) and after (blue), as inline SVG. */
static void html_chart(const sws_preview *p, FILE *out)
{
    int bins[2][21] = {{0}}, top = 1;
    for (int i = 0; i < p->nscores; i++)
        for (int k = 0; k < 2; k++)
            if (p->scores[i].present[k]) {
                int b = (int)(p->scores[i].total[k] / 5);
                b = b < 0 ? 0 : b > 20 ? 20 : b;
                if (++bins[k][b] > top)
                    top = bins[k][b];
            }
    fprintf(out, "<svg width=\"760\" height=\"240\" role=\"img\" aria-label=\"score "
            "distribution\">\n");
    for (int b = 0; b < 21; b++) {
        for (int k = 0; k < 2; k++) {
            int hgt = bins[k][b] * 180 / top, x = 20 + b * 35 + k * 14;
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"13\" height=\"%d\" fill=\"%s\">"
                    "<title>%d–%d: %d %s</title></rect>\n", x, 200 - hgt, hgt,
                    k ? "#2b6cb0" : "#a0aec0", b * 5, b * 5 + 5, bins[k][b],
                    k ? "after" : "before");
        }
        if (b % 2 == 0)
            fprintf(out, "<text x=\"%d\" y=\"220\" font-size=\"11\">%d</text>\n", 20 + b * 35,
                    b * 5);
    }
    fprintf(out, "<text x=\"20\" y=\"236\" font-size=\"12\">total score (5-point bands); "
            "grey: live policies, blue: proposed</text>\n</svg>\n");
}

static void html_moves(FILE *out, const sws_pv_score **v, int n)
{
    const sws_pv_score **r = malloc((size_t)(n + 1) * sizeof *r);
    if (!r)
        return;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (v[i]->rank_city[0] != v[i]->rank_city[1])
            r[m++] = v[i];
    /* largest rank move first (stable on the report order) */
    for (int i = 1; i < m; i++)
        for (int j = i; j > 0 && abs(r[j]->rank_city[1] - r[j]->rank_city[0]) >
                                     abs(r[j - 1]->rank_city[1] - r[j - 1]->rank_city[0]); j--) {
            const sws_pv_score *t = r[j];
            r[j] = r[j - 1];
            r[j - 1] = t;
        }
    fprintf(out, "<h2>Largest rank moves</h2>\n<table>\n<tr><th>station</th><th>name</th>"
            "<th>rank in city</th><th>rank in county</th><th>total</th><th>grade</th></tr>\n");
    for (int i = 0; i < m && i < 30; i++) {
        fprintf(out, "<tr><td>%s</td><td>", r[i]->code);
        sws_fput_markup(out, r[i]->name);
        fprintf(out, "</td><td>%d → %d</td><td>%d → %d</td><td>%.2f → %.2f</td><td>",
                r[i]->rank_city[0], r[i]->rank_city[1], r[i]->rank_county[0],
                r[i]->rank_county[1], r[i]->total[0], r[i]->total[1]);
        sws_fput_markup(out, r[i]->grade[0]);
        fputs(" → ", out);
        sws_fput_markup(out, r[i]->grade[1]);
        fputs("</td></tr>\n", out);
    }
    fprintf(out, "</table>\n%s", m ? "" : "<p>No station's rank changes.</p>\n");
    free(r);
}

static void print_html(const sws_preview *p, FILE *out, const sws_pv_score **v, int n)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
            "<title>Policy preview</title>\n<style>body{font-family:sans-serif;margin:2em}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
            ".add{color:#b00}.del{color:#070}</style></head><body>\n<h1>Policy preview</h1>\n"
            "<p>");
    sws_fput_markup(out, p->o->label);
    fprintf(out, " against the live policies; %s%s, service year %d (final evaluation), as of "
            "%s. Nothing was written.</p>\n", p->o->county ? "county " : "every county",
            p->o->county ? p->o->county : "", p->o->year, p->o->as_of);
    fprintf(out, "<h2>Score distribution</h2>\n");
    if (p->eval_error[0] || p->eval_error[1]) {
        fputs("<p>", out);
        sws_fput_markup(out, p->eval_error[0] ? p->eval_error[0] : p->eval_error[1]);
        fputs("</p>\n", out);
    } else {
        html_chart(p, out);
        fprintf(out, "<p>%d of %d %s.</p>\n", n, p->nscores,
                sws_plural(p->nscores, "station changes", "stations change"));
        html_moves(out, v, n);
    }
    fprintf(out, "<h2>Compliance findings</h2>\n<p>%d appear, %d disappear, %d change.</p>\n"
            "<table>\n<tr><th>place</th><th>name</th><th>rule</th><th>before</th>"
            "<th>after</th></tr>\n", count_findings(p, 1, 0), count_findings(p, 0, 1),
            count_findings(p, 0, 0));
    for (int i = 0; i < p->nfindings; i++) {
        const sws_pv_finding *f = &p->findings[i];
        fprintf(out, "<tr class=\"%s\"><td>%s</td><td>", !f->before ? "add" : !f->after ? "del"
                                                                                        : "",
                f->place);
        sws_fput_markup(out, f->name);
        fprintf(out, "</td><td>%s</td><td>", f->rule);
        sws_fput_markup(out, f->before ? f->before : "—");
        fputs("</td><td>", out);
        sws_fput_markup(out, f->after ? f->after : "—");
        fputs("</td></tr>\n", out);
    }
    fprintf(out, "</table>\n<h2>Workflow</h2>\n<p>%d of %d next %s; %d %s "
            "<code>sws workflow migrate</code>.</p>\n<table>\n<tr>"
            "<th>station</th><th>move</th><th>before</th><th>now</th><th>reasons now</th></tr>\n",
            p->nmoves, p->advances, sws_plural(p->advances, "advance changes", "advances change"),
            p->nmigrate, sws_plural(p->nmigrate, "instance would need", "instances would need"));
    for (int i = 0; i < p->nmoves; i++) {
        const sws_pv_move *m = &p->moves[i];
        fprintf(out, "<tr><td>%s ", m->station);
        sws_fput_markup(out, m->name);
        fprintf(out, "</td><td>%s → %s</td><td>%s</td><td>%s</td><td>", m->from, m->to,
                move_word(m->ok[0]), move_word(m->ok[1]));
        sws_fput_markup(out, m->reasons[1]);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n</body></html>\n", out);
}

int sws_preview_print(const sws_preview *p, FILE *out, sws_error *e)
{
    int n;
    const sws_pv_score **v = changed_scores(p, &n);
    if (!v)
        return sws_errorf(e, "out of memory");
    int rc = 0;
    if (strcmp(p->o->format, "json") == 0)
        rc = print_json(p, out, v, n) < 0 ? sws_errorf(e, "out of memory") : 0;
    else if (strcmp(p->o->format, "html") == 0)
        print_html(p, out, v, n);
    else
        print_text(p, out, v, n);
    free(v);
    return rc;
}
