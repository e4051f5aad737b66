/* cmd_check.c — `sws check`: which stations break which standard. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "validate.h"
#include "workflow.h"

static void print_rule(const char *id, const char *severity, const char *doc, void *ud)
{
    (void)ud;
    printf("  %-18s %-10s %s\n", id, severity, doc);
}

int sws_cmd_check(sws_cli *cli, int argc, char **argv)
{
    sws_check_opts o = {0};
    const char *format = "text", *year = NULL, *jobs = NULL;
    int list = 0;
    char today[11];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--county") == 0 ? &o.county
                          : strcmp(a, "--station") == 0 ? &o.station
                          : strcmp(a, "--as-of") == 0 ? &o.as_of
                          : strcmp(a, "--year") == 0 ? &year
                          : strcmp(a, "--format") == 0 ? &format
                          : strcmp(a, "--jobs") == 0 ? &jobs : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (strcmp(a, "--rules") == 0)
            list = 1;
        else
            return sws_cli_usage_error("check", "unknown argument '%s' (see `sws check --help`)", a);
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "csv"))
        return sws_cli_usage_error("check", "--format is text, json or csv");
    int usage = sws_cli_jobs("check", jobs, &o.jobs);
    if (usage)
        return usage;
    if (o.county && sws_valid_division_code(o.county, 6))
        return sws_cli_usage_error("check", "--county %s: %s", o.county,
                                   sws_valid_division_code(o.county, 6));
    if (o.station && sws_valid_division_code(o.station, 9))
        return sws_cli_usage_error("check", "--station %s: %s", o.station,
                                   sws_valid_division_code(o.station, 9));
    if (o.as_of && sws_valid_date(o.as_of))
        return sws_cli_usage_error("check", "--as-of \"%s\": %s (YYYY-MM-DD)", o.as_of,
                                   sws_valid_date(o.as_of));
    /* without --as-of: 31 December of --year, or today in the current year */
    sws_today(today);
    long long y = atoi(o.as_of ? o.as_of : today);
    if (year && sws_valid_int(year, 2000, 2100, &y))
        return sws_cli_usage_error("check", "--year \"%s\": %s (a year such as 2022)", year,
                                   sws_valid_int(year, 2000, 2100, &y));
    o.year = (int)y;
    if (!o.as_of) {
        if (o.year != atoi(today))
            snprintf(today, sizeof today, "%04d-12-31", o.year);
        o.as_of = today;
    }

    /* The check writes nothing but the chore verdicts a changed policy calls
     * for: it opens read-only when it cannot write anyway. */
    cli->read_only = access(cli->db_path, W_OK) != 0;
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    if (list) {
        printf("rules (id, default severity, what it checks):\n");
        sws_check_each_rule(h, print_rule, NULL);
        return SWS_EXIT_OK;
    }
    sws_check_result r;
    sws_error e;
    if (sws_check_run(h, &o, &r, &e) < 0)
        return sws_cli_fail(&e);
    int rc = sws_check_print(h, &o, &r, format, stdout, &e);
    int findings = r.n, errors = r.rule_errors;
    sws_check_free(&r);
    if (rc < 0)
        return sws_cli_fail(&e);
    if (errors)
        return SWS_EXIT_ERROR;
    return findings ? SWS_EXIT_FINDINGS : SWS_EXIT_OK;
}
