/*
 * policy_diff.c — comparing the effective policies of two policy sets
 * (policy_diff.h).
 *
 * Each side is loaded in its own host (home = the set), its effective values
 * listed with their provenance (sws_policy_each_value), and the two sorted
 * lists merged.
 */
#include "policy_diff.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "json_write.h"
#include "policy.h"
#include "policy_set.h"
#include "text.h"

typedef struct value { char *path, *text, *file; int line; } value;
typedef struct values { value *v; int n, cap; int failed; char error[1024]; } values;

static void add_value(const char *path, const char *text, const char *file, int line, void *ud)
{
    values *vs = ud;
    if (sws_grow(&vs->v, &vs->cap, vs->n, sizeof *vs->v) < 0) {
        vs->failed = 1;
        return;
    }
    value *x = &vs->v[vs->n];
    x->path = strdup(path ? path : "");
    x->text = strdup(text ? text : "");
    x->file = strdup(file ? file : "?");
    x->line = line;
    if (!x->path || !x->text || !x->file) {
        free(x->path);
        free(x->text);
        free(x->file);
        vs->failed = 1;
        return;
    }
    vs->n++;
}

static void values_free(values *vs)
{
    for (int i = 0; i < vs->n; i++) {
        free(vs->v[i].path);
        free(vs->v[i].text);
        free(vs->v[i].file);
    }
    free(vs->v);
    memset(vs, 0, sizeof *vs);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const value *)a)->path, ((const value *)b)->path);
}

/* Loads `which` on home and lists its values; a policy that does not load
 * leaves its reason in vs->error (not an error of the diff). */
static int side_values(const sws_policy_diff_opts *o, const char *home, const char *which,
                       values *vs, sws_error *e)
{
    sws_host *h = o->make_host(home, o->ud);
    if (!h)
        return sws_errorf(e, "cannot set up the Lua host");
    sws_policy p;
    sws_error le;
    if (sws_policy_load(h, which, &p, &le) < 0) {
        snprintf(vs->error, sizeof vs->error, "%s", le.msg);
    } else {
        if (sws_policy_each_value(&p, add_value, vs, &le) < 0)
            snprintf(vs->error, sizeof vs->error, "%s", le.msg);
        sws_policy_release(&p);
    }
    sws_host_free(h);
    if (vs->failed)
        return sws_errorf(e, "out of memory");
    qsort(vs->v, (size_t)vs->n, sizeof *vs->v, by_path);
    return 0;
}

static void where(char *buf, size_t n, const value *v)
{
    snprintf(buf, n, "%s:%d", v->file, v->line);
}

/* Prints (or adds to JSON) one difference; b or a may be NULL. */
static void report(FILE *out, cJSON *list, const value *b, const value *a)
{
    char wb[512] = "", wa[512] = "";
    if (b)
        where(wb, sizeof wb, b);
    if (a)
        where(wa, sizeof wa, a);
    if (list) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "path", (a ? a : b)->path);
        cJSON *sides[2] = {cJSON_AddObjectToObject(x, "before"), cJSON_AddObjectToObject(x, "after")};
        const value *v[2] = {b, a};
        const char *w[2] = {wb, wa};
        for (int k = 0; k < 2; k++)
            if (v[k]) {
                cJSON_AddStringToObject(sides[k], "value", v[k]->text);
                cJSON_AddStringToObject(sides[k], "where", w[k]);
            }
        cJSON_AddItemToArray(list, x);
    } else if (!b) {
        fprintf(out, "  + %s = %s    -- %s\n", a->path, a->text, wa);
    } else if (!a) {
        fprintf(out, "  - %s = %s    -- %s\n", b->path, b->text, wb);
    } else {
        fprintf(out, "  ~ %s: %s (%s) → %s (%s)\n", a->path, b->text, wb, a->text, wa);
    }
}

/* Compares one policy; returns how many values differ, or -1. */
static int diff_one(const sws_policy_diff_opts *o, const char *which, FILE *out, cJSON *json,
                    sws_error *e)
{
    values b = {0}, a = {0};
    int n = -1;
    if (side_values(o, o->before_home, which, &b, e) < 0 ||
        side_values(o, o->after_home, which, &a, e) < 0)
        goto done;
    n = 0;
    cJSON *item = NULL, *list = NULL;
    if (json) {
        item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "policy", which);
        if (b.error[0])
            cJSON_AddStringToObject(item, "error_before", b.error);
        if (a.error[0])
            cJSON_AddStringToObject(item, "error_after", a.error);
        list = cJSON_AddArrayToObject(item, "values");
        cJSON_AddItemToArray(json, item);
    } else {
        fprintf(out, "policy %s: %s → %s\n", which, o->before_label, o->after_label);
        if (b.error[0])
            fprintf(out, "  before: cannot be loaded: %s\n", b.error);
        if (a.error[0])
            fprintf(out, "  after: cannot be loaded: %s\n", a.error);
    }
    int i = 0, j = 0;
    while (i < b.n || j < a.n) {
        int c = i >= b.n ? 1 : j >= a.n ? -1 : by_path(&b.v[i], &a.v[j]);
        if (c < 0) {
            report(out, list, &b.v[i++], NULL);
            n++;
        } else if (c > 0) {
            report(out, list, NULL, &a.v[j++]);
            n++;
        } else {
            if (strcmp(b.v[i].text, a.v[j].text) != 0 ||
                (strcmp(a.v[j].text, "function") == 0 && strcmp(b.v[i].file, a.v[j].file) != 0)) {
                report(out, list, &b.v[i], &a.v[j]);
                n++;
            }
            i++;
            j++;
        }
    }
    if (!json)
        fprintf(out, "  %d %s\n", n, sws_plural(n, "value differs", "values differ"));
done:
    values_free(&b);
    values_free(&a);
    return n;
}

int sws_policy_diff(const sws_policy_diff_opts *o, FILE *out, sws_error *e)
{
    char names[512][64];
    int n = 0;
    if (o->county) {
        snprintf(names[n++], 64, "%s", o->county);
    } else {
        char more[256][64];
        n = sws_policy_names(o->before_home, names, 256);
        int m = sws_policy_names(o->after_home, more, 256);
        for (int i = 0; i < m; i++) {
            int seen = 0;
            for (int k = 0; k < n && !seen; k++)
                seen = strcmp(names[k], more[i]) == 0;
            if (!seen && n < 512)
                snprintf(names[n++], 64, "%s", more[i]);
        }
    }
    cJSON *root = strcmp(o->format, "json") == 0 ? cJSON_CreateObject() : NULL;
    cJSON *list = root ? cJSON_AddArrayToObject(root, "policies") : NULL;
    if (root) {
        cJSON_AddStringToObject(root, "before", o->before_label);
        cJSON_AddStringToObject(root, "after", o->after_label);
    }
    int total = 0;
    for (int i = 0; i < n && total >= 0; i++) {
        int d = diff_one(o, names[i], out, list, e);
        total = d < 0 ? -1 : total + d;
        if (!root && d >= 0 && i + 1 < n)
            fputc('\n', out);
    }
    if (root && total >= 0) {
        cJSON_AddNumberToObject(root, "differences", total);
        return sws_json_write(root, out) < 0 ? sws_errorf(e, "out of memory") : total;
    }
    cJSON_Delete(root);
    return total;
}
