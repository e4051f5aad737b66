/*
 * cmd_demo.c — `sws demo`: the main job on the shipped Wenzhou data.
 *
 * It loads the real divisions, generates synthetic data for every station
 * (see gen.c), imports it through the same validated path as any user file,
 * runs every station through its county's workflow, checks the standards,
 * scores the mid-term and final evaluation of 2022 (with synthetic assessor
 * scores) and prints what came out. It only ever writes into a new database or one
 * that an earlier demo made (marked in `meta`), never over real data.
 */
#include "cli.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "chores_policy.h"
#include "csvwrite.h"
#include "db.h"
#include "evaluate.h"
#include "gen.h"
#include "hash.h"
#include "host.h"
#include "import.h"
#include "policy.h"
#include "progress.h"
#include "report.h"
#include "summary.h"
#include "text.h"
#include "workflow.h"

/* The day the demo stands on: the end of its service year. */
#define DEMO_AS_OF "2022-12-31"

/* Makes sure cli->db_path is new or an earlier demo's (then starts it anew). */
static int fresh_database(sws_cli *cli, sws_error *e)
{
    if (access(cli->db_path, F_OK) != 0)
        return 0;
    sqlite3 *db;
    if (sws_db_open(cli->db_path, &db, e) < 0)
        return -1;
    char *origin = sws_db_meta_get(db, "origin");
    long long rows = sws_db_count(db, "SELECT (SELECT count(*) FROM county) + "
                                      "(SELECT count(*) FROM station)");
    int demo = origin && strcmp(origin, "demo") == 0;
    free(origin);
    sqlite3_close(db);
    if (!demo && rows > 0)
        return sws_errorf(e, "%s already holds data that the demo did not make; run the demo "
                          "with --db NEW.db", cli->db_path);
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%s", cli->db_path, suffix[i]);
        unlink(path);
    }
    return 0;
}

static int import_one(sqlite3 *db, const char *kind, const char *path, sws_error *e)
{
    sws_import_opts opts = {.diag = stderr, .max_listed = 20};
    sws_import_result res;
    if (sws_import_file(db, sws_import_find(kind), path, &opts, &res, e) < 0)
        return -1;
    printf("  %-18s %8ld rows  (%s)\n", kind, res.imported, path);
    return 0;
}

/* DATE plus days, as YYYY-MM-DD (noon, so no daylight-saving edge matters). */
static void add_days(const char *date, int days, char out[11])
{
    struct tm tm = {0};
    tm.tm_year = atoi(date) - 1900;
    tm.tm_mon = atoi(date + 5) - 1;
    tm.tm_mday = atoi(date + 8) + days;
    tm.tm_hour = 12;
    mktime(&tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Moves one station from its start to operating, one stage a week from
 * `start`; 1 when it got there, 0 when a guard held it back, -1 on error. */
static int build_station(sws_host *h, const char *code, const char *start, FILE *refusals,
                         char finished[11], sws_error *e)
{
    char county[7], stage[64] = "", allowed[512], date[11];
    if (sws_workflow_unit(h, code, county, e) < 0)
        return -1;
    sws_policy p;
    if (sws_policy_load(h, county, &p, e) < 0 || sws_policy_initial(&p, stage, sizeof stage) < 0)
        return -1;
    /* each step is taken in the role its stage names (市局同意, 县局拟制方案, …) */
    char role[32];
    if (sws_workflow_start(h, code, "县民政局（示例）",
                           sws_policy_stage_role(&p, stage, role, sizeof role) ? role : NULL,
                           start, e) < 0)
        return -1;
    snprintf(date, sizeof date, "%s", start);
    int rc = 1;
    while (!sws_policy_stage_operating(&p, stage)) { /* coverage.operating_stages */
        sws_policy_can_move(&p, stage, "", allowed, sizeof allowed);
        char to[64];
        snprintf(to, sizeof to, "%.*s", (int)strcspn(allowed, ","), allowed);
        add_days(date, 7, date);
        sws_wf_move m = {.station = code, .to = to, .actor = "示例经办人（合成）",
                         .reason = "按建设方案推进", .as_of = date, .report = refusals,
                         .quiet = 1};
        if (sws_policy_stage_role(&p, to, role, sizeof role))
            m.role = role;
        int moved = sws_workflow_advance(h, &m, e);
        if (moved != SWS_WF_MOVED) {
            rc = moved < 0 ? -1 : 0;
            break;
        }
        snprintf(stage, sizeof stage, "%s", to);
    }
    snprintf(finished, 11, "%s", date);
    sws_policy_release(&p);
    return rc;
}

/* The coverage of the city's targets on as_of, computed by the rules
 * (check.h); NULL with e. */
static cJSON *coverage_on(sws_host *h, const char *as_of, sws_error *e)
{
    sws_check_opts o = {.year = atoi(as_of), .as_of = as_of};
    char *json, *line;
    if (sws_check_summary(h, &o, "coverage", &json, &line, e) < 0)
        return NULL;
    cJSON *cov = cJSON_Parse(json);
    free(json);
    free(line);
    if (!cov)
        sws_errorf(e, "out of memory");
    return cov;
}

/* The construction of every station: as many operating by the city's first
 * target date as that target asks (coverage.targets), the rest the year
 * after; stations whose guards fail are held back. */
static int build_all(sws_cli *cli, sws_error *e)
{
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return sws_errorf(e, "cannot start the Lua host");
    cJSON *cov = coverage_on(h, DEMO_AS_OF, e);
    if (!cov)
        return -1;
    /* the first target with a number of stations: its date and number */
    char first_by[11] = "", early[11], late[11];
    int first_n = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, cJSON_GetObjectItem(cov, "by_date"))
    {
        if (!first_by[0] && !cJSON_IsTrue(cJSON_GetObjectItem(t, "all"))) {
            snprintf(first_by, sizeof first_by, "%s",
                     cJSON_GetStringValue(cJSON_GetObjectItem(t, "by")));
            first_n = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "required"));
        }
    }
    cJSON_Delete(cov);
    int year = first_by[0] ? atoi(first_by) : atoi(DEMO_AS_OF);
    snprintf(early, sizeof early, "%04d-03-01", year);
    snprintf(late, sizeof late, "%04d-01-10", year + 1);
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT code FROM station ORDER BY opened, code", &st, e) < 0)
        return -1;
    char *log = NULL;
    size_t loglen = 0;
    FILE *refusals = open_memstream(&log, &loglen);
    int early_done = 0, held = 0, rc = 0, i = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char code[16], start[11], done[11];
        snprintf(code, sizeof code, "%s", sqlite3_column_text(st, 0));
        if (early_done < first_n)
            add_days(early, 2 * early_done + held, start);
        else
            add_days(late, i - early_done - held, start);
        int got = build_station(h, code, start, refusals, done, e);
        if (got < 0) {
            rc = -1;
            break;
        }
        if (!got)
            held++;
        else if (strcmp(done, first_by) <= 0)
            early_done++;
        i++;
    }
    sqlite3_finalize(st);
    fclose(refusals);
    if (rc == 0 && !(cov = coverage_on(h, DEMO_AS_OF, e)))
        rc = -1;
    if (rc == 0) {
        printf("Construction workflow (each county's policy)\n");
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(cov, "by_date"))
        {
            int have = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "actual"));
            int want = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(t, "required"));
            printf("  operating by %s: %d station%s (city target: %d, %s)\n",
                   cJSON_GetStringValue(cJSON_GetObjectItem(t, "by")), have, have == 1 ? "" : "s",
                   want, cJSON_IsTrue(cJSON_GetObjectItem(t, "met")) ? "met" : "not met");
        }
        cJSON_Delete(cov);
        printf("  held back by failing guards: %d station%s; the first refusals:\n", held,
               held == 1 ? "" : "s");
        int lines = 0;
        for (char *line = log; line && *line && lines < 8; lines++) {
            char *end = strchr(line, '\n');
            printf("    %.*s\n", end ? (int)(end - line) : (int)strlen(line), line);
            line = end ? end + 1 : NULL;
        }
        printf("  (`sws workflow history STATION` shows the audit trail)\n\n");
    }
    free(log);
    return rc;
}

/* The compliance check of 2022: findings per rule, city-wide. */
static int check_all(sws_cli *cli, sws_error *e)
{
    sws_host *h = sws_cli_host(cli);
    sws_check_opts o = {.year = 2022, .as_of = "2022-12-31"};
    sws_check_result r;
    if (!h || sws_check_run(h, &o, &r, e) < 0)
        return -1;
    printf("Compliance check of %d stations (2022, `sws check` for the details)\n", r.stations);
    const char *rules[64];
    int counts[64], nrules = 0, stations_with = 0;
    const char *last = NULL;
    for (int i = 0; i < r.n; i++) {
        int k = 0;
        while (k < nrules && strcmp(rules[k], r.findings[i].rule) != 0)
            k++;
        if (k == nrules && nrules < 64) {
            rules[nrules] = r.findings[i].rule;
            counts[nrules++] = 0;
        }
        if (k < 64)
            counts[k]++;
        if (r.findings[i].station && (!last || strcmp(last, r.findings[i].station) != 0)) {
            stations_with++;
            last = r.findings[i].station;
        }
    }
    for (int k = 0; k < nrules; k++)
        printf("  %-18s %4d\n", rules[k], counts[k]);
    printf("  %d of %d stations without findings\n\n", r.stations - stations_with, r.stations);
    sws_check_free(&r);
    return 0;
}

/* ---- the evaluation of the year ---------------------------------------- */

/* The hash of a, b and c written one after the other. */
static uint64_t hash(const char *a, const char *b, const char *c)
{
    return sws_hash_more(sws_hash_more(sws_hash(a), b), c);
}

/* Writes synthetic assessor scores (labelled 合成) for every assessor item of
 * every station for PHASE into out, as `sws import scores` reads them:
 * mostly the best or second-best level, never a veto. */
static int synthetic_scores(sws_host *h, const char *phase, FILE *out, sws_error *e)
{
    sws_eval_opts o = {.year = 2022, .phase = phase};
    sws_eval_run r;
    if (sws_eval_run_new(h, &o, &r, e) < 0) {
        sws_eval_free(&r); /* what it made before it failed */
        return -1;
    }
    for (int i = 0; i < r.n; i++) {
        const sws_ev_station *st = &r.st[i];
        const sws_ev_plan *plan = &r.plans[st->plan];
        for (int k = 0; k < plan->nitems; k++) {
            const sws_ev_item *it = &plan->items[k];
            for (int a = 0; a < SWS_EV_ASSESSORS && it->nlevels > 0; a++) {
                if (!(it->assessors & (1u << a)))
                    continue;
                double score = 0; /* veto entries: nothing found */
                if (it->kind != SWS_EV_VETO) {
                    uint64_t x = hash(st->code, it->code, sws_ev_assessor_names[a]) % 20;
                    int down = x < 10 ? 0 : x < 17 ? 1 : 2;
                    int level = it->nlevels - 1 - (down < it->nlevels ? down : it->nlevels - 1);
                    score = it->levels[level].score;
                }
                fprintf(out, "%s,2022,%s,%s,%s,%g,评估材料（合成）\n", st->code, phase,
                        sws_ev_assessor_names[a], it->code, score);
            }
        }
    }
    sws_eval_free(&r);
    return 0;
}

/* Mean total, grades and the best station of each county, best county first. */
static void print_ranking(sws_eval_run *r, const char *title)
{
    typedef struct row { const char *code, *name, *best; double sum, best_total; int n, grades[4]; } row;
    row rows[64];
    int nrows = 0;
    static const char *const grade_names[] = {"优秀", "良好", "合格", "不合格"};
    for (int i = 0; i < r->n; i++) {
        const sws_ev_station *s = &r->st[i];
        int k = 0;
        while (k < nrows && strcmp(rows[k].code, s->county) != 0)
            k++;
        if (k == nrows) {
            if (nrows == 64)
                continue;
            memset(&rows[nrows], 0, sizeof rows[0]);
            rows[nrows].code = s->county;
            rows[nrows++].name = s->county_name;
        }
        rows[k].n++;
        rows[k].sum += s->total;
        for (int g = 0; g < 4; g++)
            if (s->grade && strcmp(s->grade, grade_names[g]) == 0)
                rows[k].grades[g]++;
        if (!rows[k].best || s->total > rows[k].best_total) {
            rows[k].best = s->name;
            rows[k].best_total = s->total;
        }
    }
    for (int i = 1; i < nrows; i++) /* by mean total, best first */
        for (int j = i; j > 0 && rows[j].sum / rows[j].n > rows[j - 1].sum / rows[j - 1].n; j--) {
            row t = rows[j];
            rows[j] = rows[j - 1];
            rows[j - 1] = t;
        }
    printf("%s\n  rank  unit              mean   优秀 良好 合格 不合格  best station\n", title);
    for (int i = 0; i < nrows; i++) {
        printf("  %4d  ", i + 1);
        sws_fput_padded(stdout, rows[i].name ? rows[i].name : rows[i].code, 16);
        printf("%6.1f  %4d %4d %4d %6d  %s (%.1f)\n", rows[i].sum / rows[i].n, rows[i].grades[0],
               rows[i].grades[1], rows[i].grades[2], rows[i].grades[3], rows[i].best,
               rows[i].best_total);
    }
    printf("\n");
}

/* Mid-term and final evaluation of 2022 for every station, with synthetic
 * assessor scores imported through `sws import scores`. */
static int evaluate_all(sws_cli *cli, const char *dir, sws_error *e)
{
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return sws_errorf(e, "cannot start the Lua host");
    char path[4096];
    snprintf(path, sizeof path, "%s/scores.csv", dir);
    FILE *f = sws_csv_create_private(path);
    if (!f)
        return sws_errorf(e, "cannot write %s", path);
    fputs("station,year,phase,assessor,item,score,evidence\n", f);
    int rc = synthetic_scores(h, "mid", f, e) < 0 || synthetic_scores(h, "final", f, e) < 0 ? -1 : 0;
    if (fclose(f) != 0 && rc == 0)
        rc = sws_errorf(e, "cannot write %s", path);
    printf("Evaluation: synthetic assessor scores (合成) for every assessor item\n");
    if (rc < 0 || import_one(sws_host_db(h), "scores", path, e) < 0)
        return -1;
    printf("\n");
    static const char *const phases[] = {"mid", "final"};
    static const char *const titles[] = {"Mid-term evaluation 2022 (中期评估), counties and industrial zones by mean score",
                                         "Final evaluation 2022 (终期评估), counties and industrial zones by mean score"};
    for (int p = 0; p < 2; p++) {
        sws_eval_opts o = {.year = 2022, .phase = phases[p]};
        sws_eval_run r;
        if (sws_eval_run_new(h, &o, &r, e) < 0) {
            sws_eval_free(&r);
            return -1;
        }
        print_ranking(&r, titles[p]);
        sws_eval_free(&r);
    }
    return 0;
}

/* Renders one report as HTML into PATH and prints the path. */
static int write_report(sws_host *h, const sws_report_opts *o, const char *path, sws_error *e)
{
    char *doc;
    size_t len;
    if (sws_report_render(h, o, &doc, &len, e) < 0)
        return -1;
    int rc = sws_report_write(path, doc, len, 0, e);
    free(doc);
    if (rc == 0)
        printf("  %s\n", path);
    return rc;
}

/* The coverage report and every county's annual report of 2022, as HTML
 * files in dir (what a county would send the city by 30 November). */
static int write_reports(sws_cli *cli, const char *dir, sws_error *e)
{
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return sws_errorf(e, "cannot start the Lua host");
    char path[4096];
    printf("Reports (open them in a browser; `sws report --help`)\n");
    sws_report_opts o = {.kind = "coverage", .format = "html", .year = 2022,
                         .as_of = "2022-12-31", .batch = "demo"};
    snprintf(path, sizeof path, "%s/coverage-2022.html", dir);
    if (write_report(h, &o, path, e) < 0)
        return -1;
    sqlite3_stmt *st;
    if (sws_db_prepare(sws_host_db(h), "SELECT code FROM county ORDER BY code", &st, e) < 0)
        return -1;
    int rc = 0;
    o.kind = "annual";
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        char county[8];
        snprintf(county, sizeof county, "%s", (const char *)sqlite3_column_text(st, 0));
        o.county = county;
        snprintf(path, sizeof path, "%s/annual-%s-2022.html", dir, county);
        rc = write_report(h, &o, path, e);
    }
    sqlite3_finalize(st);
    sws_progress_done();
    printf("\n");
    return rc;
}

int sws_cmd_demo(sws_cli *cli, int argc, char **argv)
{
    const char *out = "demo-data";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            out = argv[++i];
        else
            return sws_cli_usage_error("demo", "unknown argument '%s'", argv[i]);
    }
    sws_error e;
    char counties[4096], townships[4096], zones[4096], units[4096], path[4096];
    snprintf(counties, sizeof counties, "%s/data/wenzhou_counties.csv", sws_home());
    snprintf(townships, sizeof townships, "%s/data/wenzhou_townships.csv", sws_home());
    /* the two industrial zones that administer townships NBS files under a county */
    snprintf(zones, sizeof zones, "%s/data/wenzhou_zones.csv", sws_home());
    snprintf(units, sizeof units, "%s/data/wenzhou_zone_townships.csv", sws_home());

    cli->may_create = 1;
    if (fresh_database(cli, &e) < 0)
        return sws_cli_fail(&e);
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    if (sws_db_meta_set(db, "origin", "demo", &e) < 0)
        return sws_cli_fail(&e);

    sws_gen_opts go = {.townships_csv = townships, .counties_csv = counties,
                       .units_csv = units, .out_dir = out,
                       .services = -1,
                       .year = 2022, .seed = 1};
    sws_gen_counts gc;
    if (sws_generate(&go, &gc, &e) < 0)
        return sws_cli_fail(&e);
    printf("sws demo: Wenzhou (温州市), synthetic data for %ld stations written to %s/\n\n"
           "Importing\n", gc.stations, out);
    if (import_one(db, "counties", counties, &e) < 0 ||
        import_one(db, "townships", townships, &e) < 0 ||
        import_one(db, "counties", zones, &e) < 0 || import_one(db, "townships", units, &e) < 0)
        return sws_cli_fail(&e);
    for (int i = 0; sws_gen_kinds[i]; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", out, sws_gen_kinds[i]);
        /* as `sws import services` does: each county's chore patterns are
         * recorded first, so each record is judged once, as it is stored */
        if (strcmp(sws_gen_kinds[i], "services") == 0) {
            sws_host *h = sws_cli_host(cli);
            if (!h)
                return SWS_EXIT_ERROR;
            if (sws_chores_sync(h, stderr, &e) < 0)
                return sws_cli_fail(&e);
        }
        if (import_one(db, sws_gen_kinds[i], path, &e) < 0)
            return sws_cli_fail(&e);
    }
    printf("\n");
    if (build_all(cli, &e) < 0 || check_all(cli, &e) < 0 || evaluate_all(cli, out, &e) < 0 ||
        write_reports(cli, out, &e) < 0)
        return sws_cli_fail(&e);
    if (sws_summary_print(db, stdout, 0, &e) < 0)
        return sws_cli_fail(&e);
    printf("\nDatabase: %s\n", cli->db_path);
    return SWS_EXIT_OK;
}
