/*
 * cmd_policy.c — `sws policy check|show|test`.
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

#include "check.h"
#include "host.h"
#include "policy.h"

/* Every policy name under HOME/policies (file names without .lua), sorted. */
static int policy_names(char names[][64], int max)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/policies", sws_home());
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort), count = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(list[i]->d_name);
        if (count < max && len > 4 && strcmp(list[i]->d_name + len - 4, ".lua") == 0 &&
            list[i]->d_name[0] != '.')
            snprintf(names[count++], 64, "%.*s", (int)(len - 4), list[i]->d_name);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    return count;
}

static int check(sws_cli *cli, int argc, char **argv)
{
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
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
        sws_host *h = sws_cli_new_host(cli, db);
        if (!h)
            return SWS_EXIT_ERROR;
        sws_policy p;
        sws_error e;
        int found;
        if (sws_policy_load(h, which[i], &p, &e) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            problems++;
        } else if ((found = sws_policy_validate(&p, stderr, &e)) < 0) {
            fprintf(stderr, "%s\n", e.msg);
            problems++;
        } else {
            problems += found;
            if (!found)
                printf("%-24s ok (%s version %s)\n", p.file, p.name, p.version);
        }
        sws_policy_release(&p);
        sws_host_free(h);
    }
    if (problems) {
        fprintf(stderr, "%d problem(s) found\n", problems);
        return SWS_EXIT_ERROR;
    }
    return SWS_EXIT_OK;
}

static int show(sws_cli *cli, int argc, char **argv)
{
    const char *which = NULL;
    int explain = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--explain") == 0)
            explain = 1;
        else if (!which)
            which = argv[i];
        else
            return sws_cli_usage_error("policy", "show takes one COUNTY (or policy name)");
    }
    if (!which)
        return sws_cli_usage_error("policy", "show which COUNTY?");
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_policy p;
    sws_error e;
    if (sws_policy_load(h, which, &p, &e) < 0 || sws_policy_show(&p, stdout, explain, &e) < 0)
        return sws_cli_fail(&e);
    sws_policy_release(&p);
    return SWS_EXIT_OK;
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
            char *end;
            min = strtod(argv[++i], &end);
            if (*end || min < 0 || min > 100)
                return sws_cli_usage_error("policy", "--coverage-min takes a percentage 0-100");
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

int sws_cmd_policy(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("policy", "check, show or test? (see `sws policy --help`)");
    if (strcmp(argv[1], "check") == 0)
        return check(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "show") == 0)
        return show(cli, argc - 2, argv + 2);
    if (strcmp(argv[1], "test") == 0)
        return test(cli, argc - 2, argv + 2);
    return sws_cli_usage_error("policy", "no subcommand '%s' (check, show, test)", argv[1]);
}
