/* cmd_eval.c — `sws eval score|explain`: parsing the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "evaluate.h"
#include "lapi.h"
#include "validate.h"

typedef struct ev_args {
    const char *pos[2];
    int npos;
    const char *year, *phase, *county, *format, *as_of;
} ev_args;

/* Parses the words after the subcommand; returns 0 or a usage exit code. */
static int parse(int argc, char **argv, ev_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--year") == 0 ? &a->year
                          : strcmp(o, "--phase") == 0 ? &a->phase
                          : strcmp(o, "--county") == 0 ? &a->county
                          : strcmp(o, "--format") == 0 ? &a->format
                          : strcmp(o, "--as-of") == 0 ? &a->as_of : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return sws_cli_usage_error("eval", "%s needs a value", o);
            *slot = argv[++i];
        } else if (o[0] == '-' && o[1]) {
            return sws_cli_usage_error("eval", "unknown option '%s'", o);
        } else if (a->npos < 2) {
            a->pos[a->npos++] = o;
        } else {
            return sws_cli_usage_error("eval", "too many arguments");
        }
    }
    if (a->phase && strcmp(a->phase, "mid") != 0 && strcmp(a->phase, "final") != 0)
        return sws_cli_usage_error("eval", "--phase is mid or final, not '%s'", a->phase);
    if (a->format && strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0 &&
        strcmp(a->format, "csv") != 0)
        return sws_cli_usage_error("eval", "--format is text, json or csv, not '%s'", a->format);
    if (a->as_of && sws_valid_date(a->as_of))
        return sws_cli_usage_error("eval", "--as-of %s: %s", a->as_of, sws_valid_date(a->as_of));
    if (a->county && sws_valid_division_code(a->county, 6))
        return sws_cli_usage_error("eval", "--county %s: %s", a->county,
                                   sws_valid_division_code(a->county, 6));
    long long y;
    if (!a->year)
        return sws_cli_usage_error("eval", "which service year? (--year Y)");
    if (sws_valid_int(a->year, 2000, 2100, &y))
        return sws_cli_usage_error("eval", "--year %s: %s", a->year,
                                   sws_valid_int(a->year, 2000, 2100, &y));
    return 0;
}

int sws_cmd_eval(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("eval", "score or explain? (see `sws eval --help`)");
    const char *sub = argv[1];
    int score = strcmp(sub, "score") == 0;
    if (!score && strcmp(sub, "explain") != 0)
        return sws_cli_usage_error("eval", "no subcommand '%s' (score, explain)", sub);
    ev_args a;
    int usage = parse(argc - 2, argv + 2, &a);
    if (usage)
        return usage;
    if (score && (a.npos || !a.phase))
        return sws_cli_usage_error("eval", "score --year Y --phase mid|final [--county C] "
                                           "[--format text|json|csv] [--as-of DATE]");
    if (!score && (a.npos != 1 || a.county || a.format))
        return sws_cli_usage_error("eval", "explain STATION --year Y [--phase mid|final] "
                                           "[--as-of DATE]");
    if (!score && sws_valid_division_code(a.pos[0], 9))
        return sws_cli_usage_error("eval", "station %s: %s", a.pos[0],
                                   sws_valid_division_code(a.pos[0], 9));
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_eval_opts o = {.year = atoi(a.year), .phase = a.phase ? a.phase : "final",
                       .county = a.county, .station = score ? NULL : a.pos[0],
                       .as_of = a.as_of};
    sws_eval_run r;
    sws_error e;
    int rc = sws_eval_run_new(h, &o, &r, &e);
    if (rc == 0)
        rc = score ? sws_eval_print(&r, a.format ? a.format : "text", stdout, &e)
                   : sws_eval_explain(&r, a.pos[0], stdout, &e);
    if (rc == 0 && score)
        sws_eval_lua_emit(&r);
    int findings = r.shown_findings;
    sws_eval_free(&r);
    if (rc < 0)
        return sws_cli_fail(&e);
    if (findings && a.format && strcmp(a.format, "csv") == 0)
        fprintf(stderr, "sws eval: %d finding(s) — missing or doubtful assessor scores; "
                "`--format text` or `json` lists them\n", findings);
    return findings ? SWS_EXIT_FINDINGS : SWS_EXIT_OK;
}
