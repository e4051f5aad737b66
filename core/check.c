/* check.c — printing what the compliance rules found, with the coverage of
 * the city's targets and the units' annual reports. Running the rules and
 * computing those summaries (calls into Lua) is check_rules.c. */
#include "check.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"
#include "json_write.h"
#include "text.h"

/* ---- printing ------------------------------------------------------------- */

static void count(const sws_check_result *r, int *v, int *w, int *a, int *clean)
{
    *v = *w = *a = 0;
    int dirty = 0;
    const char *last = NULL;
    for (int i = 0; i < r->n; i++) {
        int s = sws_check_severity_rank(r->findings[i].severity);
        *v += s == 3;
        *w += s == 2;
        *a += s == 1;
        if (r->findings[i].station && (!last || strcmp(last, r->findings[i].station) != 0)) {
            dirty++;
            last = r->findings[i].station;
        }
    }
    *clean = r->stations - dirty;
}

static void print_text(const sws_check_opts *o, const sws_check_result *r, FILE *out)
{
    const char *place = NULL;
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        const char *here = f->station ? f->station : f->county;
        if (!place || strcmp(place, here) != 0) {
            if (f->station)
                fprintf(out, "%s%s %s\n", place ? "\n" : "", f->station, f->name ? f->name : "");
            else
                fprintf(out, "%scounty %s\n", place ? "\n" : "", f->county);
            place = here;
        }
        fprintf(out, "  %-9s %-16s %s\n", f->severity, f->rule, f->message);
        fprintf(out, "  %-9s %-16s actual %s; required %s  (%s)\n", "", "",
                f->actual ? f->actual : "-", f->required ? f->required : "-", f->layer);
    }
    int v, w, a, clean;
    count(r, &v, &w, &a, &clean);
    fprintf(out, "%s%d %s checked (year %d, as of %s): %d %s, %d %s, %d advice; %d %s without "
            "findings\n", r->n ? "\n" : "", r->stations,
            sws_plural(r->stations, "station", "stations"), o->year, o->as_of, v,
            sws_plural(v, "violation", "violations"), w, sws_plural(w, "warning", "warnings"), a,
            clean, sws_plural(clean, "station", "stations"));
}

static void print_csv(const sws_check_result *r, FILE *out)
{
    fputs("rule,severity,county,station,name,message,actual,required,layer\n", out);
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        const char *v[] = {f->rule, f->severity, f->county, f->station, f->name, f->message,
                           f->actual, f->required, f->layer};
        for (int k = 0; k < 9; k++) {
            if (k)
                fputc(',', out);
            if (v[k])
                sws_csv_put(out, v[k]);
        }
        fputc('\n', out);
    }
}

/* The summaries that end the output: the coverage of the city's targets and
 * the units' annual reports (both computed with the rules, check_rules.c). */
static const char *const summaries[] = {"coverage", "county_reports_summary"};

int sws_check_print(sws_host *h, const sws_check_opts *o, const sws_check_result *r,
                    const char *format, FILE *out, sws_error *e)
{
    if (strcmp(format, "text") == 0) {
        print_text(o, r, out);
        for (int k = 0; k < 2; k++) {
            char *json, *line;
            if (sws_check_summary(h, o, summaries[k], &json, &line, e) < 0)
                return -1;
            fprintf(out, "%s\n", line);
            free(json);
            free(line);
        }
        return 0;
    }
    if (strcmp(format, "csv") == 0) {
        print_csv(r, out);
        return 0;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "year", o->year);
    cJSON_AddStringToObject(root, "as_of", o->as_of);
    int v, w, a, clean;
    count(r, &v, &w, &a, &clean);
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(sum, "stations", r->stations);
    cJSON_AddNumberToObject(sum, "violations", v);
    cJSON_AddNumberToObject(sum, "warnings", w);
    cJSON_AddNumberToObject(sum, "advice", a);
    cJSON_AddNumberToObject(sum, "stations_without_findings", clean);
    cJSON *list = cJSON_AddArrayToObject(root, "findings");
    for (int i = 0; i < r->n; i++) {
        const sws_finding *f = &r->findings[i];
        cJSON *x = cJSON_CreateObject();
        const char *keys[] = {"rule", "severity", "county", "station", "name", "message",
                              "actual", "required", "layer", "plugin"};
        const char *vals[] = {f->rule, f->severity, f->county, f->station, f->name, f->message,
                              f->actual, f->required, f->layer, f->plugin};
        for (int k = 0; k < 10; k++)
            if (vals[k])
                cJSON_AddStringToObject(x, keys[k], vals[k]);
        cJSON_AddItemToArray(list, x);
    }
    static const char *const keys[] = {"coverage", "county_reports"};
    for (int k = 0; k < 2; k++) {
        char *json, *line;
        if (sws_check_summary(h, o, summaries[k], &json, &line, e) < 0) {
            cJSON_Delete(root);
            return -1;
        }
        cJSON_AddItemToObject(root, keys[k], cJSON_Parse(json));
        free(json);
        free(line);
    }
    return sws_json_write(root, out) < 0 ? sws_errorf(e, "out of memory") : 0;
}
