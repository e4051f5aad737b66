/*
 * cmd_policy.c — `sws policy check|show|test|diff|preview`.
 *
 *   check [FILE|COUNTY…]        validate (all policies when none is named)
 *   show COUNTY [--explain]     the effective policy, each value with its file:line
 *   test [PATHS…] [--coverage-min PCT]
 *                               policy tests (policies/tests by default), then the
 *                               guards no test exercised
 */
#include "cli.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "host.h"
#include "policy.h"
#include "plugin.h"
#include "policy_diff.h"
#include "policy_set.h"
#include "preview.h"
#include "text.h"
#include "validate.h"
#include "workflow.h"

/* Every policy name under HOME/policies (file names without .lua), sorted. */
static int policy_names(char names[][64], int max)
{
    return sws_policy_names(sws_home(), names, max);
}

/* Policies are files: checking them needs no database. */
static int check(sws_cli *cli, int argc, char **argv)
{
    char names[256][64];
    char *which[256];
    int n = 0;
    if (argc == 0) {
        n = policy_names(names, 256);
        for (int i = 0; i < n; i++)
            which[i] = names[i];
    } else {
        for (int i = 0; i < argc && i < 256; i++)
            which[n++] = argv[i];
    }
    int problems = 0;
    for (int i = 0; i < n; i++) {
        /* a fresh host per policy, so a file is read as it is now */
        sws_host *h = sws_cli_new_host(cli, NULL);
        if (!h)
            return SWS_EXIT_ERROR;
        problems += sws_policy_check(h, which[i], stdout, stderr);
        sws_host_free(h);
    }
    if (problems) {
        fprintf(stderr, "%d %s found\n", problems, sws_plural(problems, "problem", "problems"));
        return SWS_EXIT_ERROR;
    }
    return SWS_EXIT_OK;
}

static int show(sws_cli *cli, int argc, char **argv)
{
    const char *which = NULL, *format = "text";
    sws_policy_show_opts o = {0};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--explain") == 0)
            o.explain = 1;
        else if (strcmp(argv[i], "--only-overrides") == 0)
            o.only_overrides = 1;
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else if (!which)
            which = argv[i];
        else if (!o.key)
            o.key = argv[i];
        else
            return sws_cli_usage_error("policy", "show takes one COUNTY (or policy name) and "
                                                 "one KEY.PATH");
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return sws_cli_usage_error("policy", "--format is text or json, not '%s'", format);
    o.json = strcmp(format, "json") == 0;
    if (!which)
        return sws_cli_usage_error("policy", "show which COUNTY?");
    sws_host *h = sws_cli_new_host(cli, NULL); /* policies are files: no database needed */
    if (!h)
        return SWS_EXIT_ERROR;
    sws_policy p;
    sws_error e;
    int rc = SWS_EXIT_OK;
    int loaded = sws_policy_load(h, which, &p, &e) == 0;
    if (!loaded || sws_policy_show(&p, stdout, &o, &e) < 0)
        rc = sws_cli_fail(&e);
    if (loaded)
        sws_policy_release(&p);
    sws_host_free(h);
    return rc;
}

/* Coverage: calls per guard, and findings per compliance rule, summed over
 * every test file's host. */
typedef struct tally {
    char name[128][64];
    long calls[128];
    int n;
} tally;

typedef struct coverage {
    tally guards, rules;
    sws_host *h; /* the host being collected from */
} coverage;

static void add_to(tally *c, const char *name, long calls)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0) {
            c->calls[i] += calls;
            return;
        }
    if (c->n < 128) {
        snprintf(c->name[c->n], 64, "%s", name);
        c->calls[c->n++] = calls;
    }
}

static void add_guard(const char *name, long calls, void *ud)
{
    add_to(&((coverage *)ud)->guards, name, calls);
}

static void add_rule(const char *id, const char *severity, const char *doc, void *ud)
{
    (void)severity;
    (void)doc;
    coverage *c = ud;
    add_to(&c->rules, id, sws_check_fired(c->h, id));
}

static void collect(sws_host *h, void *ud)
{
    coverage *cov = ud;
    cov->h = h;
    sws_check_each_rule(h, add_rule, cov);
    char names[256][64];
    int n = policy_names(names, 256);
    for (int i = 0; i < n; i++) {
        sws_policy p;
        sws_error e;
        if (sws_policy_load(h, names[i], &p, &e) == 0) {
            sws_policy_guard_coverage(&p, add_guard, ud);
            sws_policy_release(&p);
        }
    }
}

static int test(sws_cli *cli, int argc, char **argv)
{
    double min = -1;
    char *paths[64];
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--coverage-min") == 0 && i + 1 < argc) {
            if (sws_valid_real(argv[++i], 0, 100, &min))
                return sws_cli_usage_error("policy", "--coverage-min \"%s\": %s (a percentage "
                                           "from 0 to 100)", argv[i],
                                           sws_valid_real(argv[i], 0, 100, &min));
        } else if (n < 64) {
            paths[n++] = argv[i];
        }
    }
    char dflt[4200];
    snprintf(dflt, sizeof dflt, "%s/policies/tests", sws_home());
    if (!n)
        paths[n++] = dflt;
    static coverage cov; /* large: not on the stack */
    memset(&cov, 0, sizeof cov);
    int passed, failed;
    sws_test_run_paths(cli, paths, n, collect, &cov, &passed, &failed);

    int used = 0, total = 0;
    const tally *parts[] = {&cov.guards, &cov.rules};
    const char *what[] = {"guard", "rule"}, *verb[] = {"called", "found something"};
    for (int k = 0; k < 2; k++) {
        int u = 0;
        for (int i = 0; i < parts[k]->n; i++)
            u += parts[k]->calls[i] > 0;
        printf("%s coverage: %d of %d %ss exercised (%s in some test)\n", what[k], u,
               parts[k]->n, what[k], verb[k]);
        for (int i = 0; i < parts[k]->n; i++)
            if (!parts[k]->calls[i])
                printf("  never exercised: %s '%s'\n", what[k], parts[k]->name[i]);
        used += u;
        total += parts[k]->n;
    }
    double pct = total ? 100.0 * used / total : 100.0;
    printf("coverage: %.0f%%\n%d passed, %d failed\n", pct, passed, failed);
    if (failed)
        return SWS_EXIT_ERROR;
    if (min >= 0 && pct < min) {
        fprintf(stderr, "sws policy test: coverage %.0f%% is below --coverage-min %.0f%%\n",
                pct, min);
        return SWS_EXIT_ERROR;
    }
    return SWS_EXIT_OK;
}

/* ---- preview and diff --------------------------------------------------------------- */

typedef struct pv_args {
    const char *county, *with, *against, *year, *as_of, *format;
} pv_args;

/* Parses [COUNTY] and the options of preview/diff; 0 or a usage exit code. */
static int parse_pv(int argc, char **argv, pv_args *a, int preview)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--with") == 0 && preview ? &a->with
                          : strcmp(o, "--against") == 0 && !preview ? &a->against
                          : strcmp(o, "--year") == 0 && preview ? &a->year
                          : strcmp(o, "--as-of") == 0 && preview ? &a->as_of
                          : strcmp(o, "--format") == 0 ? &a->format : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (slot || (o[0] == '-' && o[1]))
            return sws_cli_usage_error("policy", slot ? "%s needs a value"
                                                      : "unknown option '%s' (see `sws policy "
                                                        "--help`)", o);
        else if (!a->county)
            a->county = o;
        else
            return sws_cli_usage_error("policy", "one COUNTY at most");
    }
    if (a->county && sws_valid_division_code(a->county, 6))
        return sws_cli_usage_error("policy", "county %s: %s", a->county,
                                   sws_valid_division_code(a->county, 6));
    if (a->as_of && sws_valid_date(a->as_of))
        return sws_cli_usage_error("policy", "--as-of %s: %s", a->as_of,
                                   sws_valid_date(a->as_of));
    long long y;
    if (a->year && sws_valid_int(a->year, 2000, 2100, &y))
        return sws_cli_usage_error("policy", "--year %s: %s", a->year,
                                   sws_valid_int(a->year, 2000, 2100, &y));
    const char *formats = preview ? "text json html" : "text json";
    if (a->format && (!strstr(formats, a->format) || strchr(a->format, ' ')))
        return sws_cli_usage_error("policy", "--format is %s, not '%s'",
                                   preview ? "text, json or html" : "text or json", a->format);
    return 0;
}

typedef struct host_maker { sws_cli *cli; sqlite3 *db; int plugins_logged; } host_maker;

/* A host on home with the plugins loaded (the preview's sides). */
static sws_host *make_host(const char *home, void *ud)
{
    host_maker *m = ud;
    sws_host *h = sws_cli_new_host_at(m->cli, m->db, home);
    if (h && !m->cli->no_plugins) {
        sws_plugins ps;
        sws_plugins_load(h, NULL, !m->plugins_logged++, &ps);
        sws_plugins_free(&ps);
    }
    return h;
}

/* A host on home without plugins (the diff's sides). */
static sws_host *bare_host(const char *home, void *ud)
{
    host_maker *m = ud;
    return sws_cli_new_host_at(m->cli, m->db, home);
}

/* Validates every policy of the set as `sws policy check` does; the number
 * of problems (printed on stderr). One host serves them all: the set's
 * files do not change while it is read (`check` takes a fresh host per
 * policy only because a live file may). */
static int check_set(sws_cli *cli, sqlite3 *db, const char *home)
{
    char names[256][64];
    int n = sws_policy_names(home, names, 256), problems = 0;
    sws_host *h = sws_cli_new_host_at(cli, db, home);
    if (!h)
        return 1;
    for (int i = 0; i < n; i++)
        problems += sws_policy_check(h, names[i], NULL, stderr);
    sws_host_free(h);
    return problems;
}

static int preview(sws_cli *cli, int argc, char **argv)
{
    pv_args a;
    int usage = parse_pv(argc, argv, &a, 1);
    if (usage)
        return usage;
    if (!a.with)
        return sws_cli_usage_error("policy", "preview [COUNTY] --with FILE|DIR [--year Y] "
                                             "[--as-of DATE] [--format text|json|html]");
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    char as_of[11];
    if (a.as_of)
        snprintf(as_of, sizeof as_of, "%s", a.as_of);
    else
        sws_today(as_of);
    int year = a.year ? atoi(a.year) : atoi(as_of);
    if (!a.as_of && year < atoi(as_of)) /* a past year: judged at its end */
        snprintf(as_of, sizeof as_of, "%04d-12-31", year);
    sws_policy_set set;
    sws_error e;
    if (sws_policy_set_proposed(sws_home(), a.county, a.with, &set, &e) < 0)
        return sws_cli_fail(&e);
    int rc = SWS_EXIT_OK, problems = check_set(cli, db, set.home);
    if (problems) {
        fprintf(stderr, "sws policy preview: the proposed policies have %d %s (listed "
                "above, as `sws policy check` finds them); nothing was previewed\n", problems,
                sws_plural(problems, "problem", "problems"));
        rc = SWS_EXIT_ERROR;
    } else {
        host_maker m = {cli, db, 0};
        sws_preview_opts o = {.county = a.county, .year = year, .as_of = as_of,
                              .format = a.format ? a.format : "text", .live_home = sws_home(),
                              .proposed_home = set.home, .label = set.label,
                              .make_host = make_host, .ud = &m};
        if (sws_preview_run(db, &o, stdout, &e) < 0)
            rc = sws_cli_fail(&e);
    }
    sws_policy_set_remove(&set);
    return rc;
}

static int diff(sws_cli *cli, int argc, char **argv)
{
    pv_args a;
    int usage = parse_pv(argc, argv, &a, 0);
    if (usage)
        return usage;
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    sws_policy_set set;
    sws_error e;
    struct stat sb;
    const char *against = a.against ? a.against : "HEAD";
    int rc = stat(against, &sb) == 0 ? sws_policy_set_proposed(sws_home(), a.county, against,
                                                                &set, &e)
                                     : sws_policy_set_revision(sws_home(), against, &set, &e);
    if (rc < 0)
        return sws_cli_fail(&e);
    host_maker m = {cli, db, 1};
    sws_policy_diff_opts o = {.county = a.county, .format = a.format ? a.format : "text",
                              .before_home = set.home, .before_label = set.label,
                              .after_home = sws_home(), .after_label = "live",
                              .make_host = bare_host, .ud = &m};
    int changed = sws_policy_diff(&o, stdout, &e);
    sws_policy_set_remove(&set);
    if (changed < 0)
        return sws_cli_fail(&e);
    return SWS_EXIT_OK;
}

int sws_cmd_policy(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("policy", "check, show, test, diff or preview? (see `sws "
                                             "policy --help`)");
    if (strcmp(argv[1], "check") == 0)
        return check(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "show") == 0)
        return show(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "test") == 0)
        return test(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "preview") == 0)
        return preview(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "diff") == 0)
        return diff(cli, argc - 2, argv + 2);
    return sws_cli_usage_error("policy", "no subcommand '%s' (check, show, test, diff, "
                                         "preview)", argv[1]);
}
