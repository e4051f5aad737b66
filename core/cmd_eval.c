/* cmd_eval.c — `sws eval score|explain|runs|publish|compare`: parsing the
 * command line. Stored runs are eval_runs.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "eval_runs.h"
#include "evaluate.h"
#include "lapi.h"
#include "text.h"
#include "validate.h"
#include "workflow.h"

typedef struct ev_args {
    const char *pos[2];
    int npos;
    const char *year, *phase, *county, *format, *as_of, *run, *station, *jobs;
    int save;
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
                          : strcmp(o, "--as-of") == 0 ? &a->as_of
                          : strcmp(o, "--run") == 0 ? &a->run
                          : strcmp(o, "--jobs") == 0 ? &a->jobs
                          : strcmp(o, "--station") == 0 ? &a->station : NULL;
        if (strcmp(o, "--save") == 0) {
            a->save = 1;
        } else if (slot) {
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
        return sws_cli_usage_error("eval", "--as-of \"%s\": %s (YYYY-MM-DD)", a->as_of,
                                   sws_valid_date(a->as_of));
    if (a->county && sws_valid_division_code(a->county, 6))
        return sws_cli_usage_error("eval", "--county %s: %s", a->county,
                                   sws_valid_division_code(a->county, 6));
    long long y;
    if (a->station && sws_valid_division_code(a->station, 9))
        return sws_cli_usage_error("eval", "--station %s: %s", a->station,
                                   sws_valid_division_code(a->station, 9));
    if (a->run && sws_valid_int(a->run, 1, (long long)1 << 53, &y))
        return sws_cli_usage_error("eval", "--run %s: %s", a->run,
                                   sws_valid_int(a->run, 1, (long long)1 << 53, &y));
    if (!a->year && a->run)
        return 0;
    if (!a->year)
        return sws_cli_usage_error("eval", "which service year? (--year Y)");
    if (sws_valid_int(a->year, 2000, 2100, &y))
        return sws_cli_usage_error("eval", "--year \"%s\": %s (a year such as 2022)", a->year,
                                   sws_valid_int(a->year, 2000, 2100, &y));
    return 0;
}

/* A run number given as an argument; 0 after a usage message. */
static long long run_number(const char *word)
{
    long long id;
    if (sws_valid_int(word, 1, (long long)1 << 53, &id)) {
        sws_cli_usage_error("eval", "run '%s': %s", word,
                            sws_valid_int(word, 1, (long long)1 << 53, &id));
        return 0;
    }
    return id;
}

/* `eval runs`, `eval publish RUN [--as-of DATE]`, `eval compare A B
 * [--station S] [--format text|json]`. */
static int stored(sws_cli *cli, const char *sub, int argc, char **argv)
{
    ev_args a;
    memset(&a, 0, sizeof a);
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--station") == 0 ? &a.station
                          : strcmp(o, "--format") == 0 ? &a.format
                          : strcmp(o, "--as-of") == 0 ? &a.as_of : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (slot || (o[0] == '-' && o[1]))
            return sws_cli_usage_error("eval", slot ? "%s needs a value" : "unknown option '%s'",
                                       o);
        else if (a.npos < 2)
            a.pos[a.npos++] = o;
        else
            return sws_cli_usage_error("eval", "too many arguments");
    }
    int runs = strcmp(sub, "runs") == 0, publish = strcmp(sub, "publish") == 0;
    if (runs && (a.npos || a.station || a.format || a.as_of))
        return sws_cli_usage_error("eval", "runs takes no argument");
    if (publish && (a.npos != 1 || a.station || a.format))
        return sws_cli_usage_error("eval", "publish RUN [--as-of DATE]");
    if (!runs && !publish && (a.npos != 2 || a.as_of))
        return sws_cli_usage_error("eval", "compare RUN_A RUN_B [--station S] "
                                           "[--format text|json]");
    if (a.format && strcmp(a.format, "text") != 0 && strcmp(a.format, "json") != 0)
        return sws_cli_usage_error("eval", "--format is text or json, not '%s'", a.format);
    if (a.as_of && sws_valid_date(a.as_of))
        return sws_cli_usage_error("eval", "--as-of %s: %s", a.as_of, sws_valid_date(a.as_of));
    if (a.station && sws_valid_division_code(a.station, 9))
        return sws_cli_usage_error("eval", "--station %s: %s", a.station,
                                   sws_valid_division_code(a.station, 9));
    long long id[2] = {0, 0};
    for (int i = 0; i < a.npos; i++)
        if (!(id[i] = run_number(a.pos[i])))
            return SWS_EXIT_USAGE;
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    sws_error e;
    if (runs)
        return sws_eval_runs_print(db, stdout, &e) < 0 ? sws_cli_fail(&e) : SWS_EXIT_OK;
    if (publish) {
        char today[11];
        sws_today(today);
        if (sws_eval_publish(db, id[0], a.as_of ? a.as_of : today, &e) < 0)
            return sws_cli_fail(&e);
        printf("evaluation run %lld published on %s: it will never change\n", id[0],
               a.as_of ? a.as_of : today);
        return SWS_EXIT_OK;
    }
    return sws_eval_compare(db, id[0], id[1], a.station, a.format ? a.format : "text", stdout,
                            &e) < 0 ? sws_cli_fail(&e) : SWS_EXIT_OK;
}

int sws_cmd_eval(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("eval", "score, explain, runs, publish or compare? (see "
                                           "`sws eval --help`)");
    const char *sub = argv[1];
    if (strcmp(sub, "runs") == 0 || strcmp(sub, "publish") == 0 || strcmp(sub, "compare") == 0)
        return stored(cli, sub, argc - 2, argv + 2);
    int score = strcmp(sub, "score") == 0;
    if (!score && strcmp(sub, "explain") != 0)
        return sws_cli_usage_error("eval", "no subcommand '%s' (score, explain, runs, publish, "
                                           "compare)", sub);
    ev_args a;
    int usage = parse(argc - 2, argv + 2, &a);
    if (usage)
        return usage;
    if (score && (a.npos || !a.phase || a.run || a.station))
        return sws_cli_usage_error("eval", "score --year Y --phase mid|final [--county C] "
                                           "[--format text|json|csv] [--as-of DATE] [--save] "
                                           "[--jobs N]");
    if (!score && (a.npos != 1 || a.county || a.save || a.station || a.jobs))
        return sws_cli_usage_error("eval", "explain STATION --year Y [--phase mid|final] "
                                           "[--as-of DATE] [--format text|json], or explain "
                                           "STATION --run RUN [--format text|json]");
    if (!score && a.format && strcmp(a.format, "csv") == 0)
        return sws_cli_usage_error("eval", "explain --format is text or json, not 'csv'");
    if (a.run && (a.year || a.phase || a.as_of))
        return sws_cli_usage_error("eval", "explain --run RUN explains the stored run as it "
                                           "was: --year, --phase and --as-of are the run's");
    if (!score && sws_valid_division_code(a.pos[0], 9))
        return sws_cli_usage_error("eval", "station %s: %s", a.pos[0],
                                   sws_valid_division_code(a.pos[0], 9));
    int jobs;
    if ((usage = sws_cli_jobs("eval", a.jobs, &jobs)))
        return usage;
    cli->read_only = !score; /* explain only reads */
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_eval_opts o = {.year = a.year ? atoi(a.year) : 0, .phase = a.phase ? a.phase : "final",
                       .county = a.county, .station = score ? NULL : a.pos[0],
                       .as_of = a.as_of, .jobs = score ? jobs : 1,
                       /* a ranking in text or CSV shows no item's explanation */
                       .without_whys = score && !a.save &&
                                       !(a.format && strcmp(a.format, "json") == 0)};
    sws_eval_run r;
    sws_error e;
    long long saved = 0;
    int rc = a.run ? sws_eval_load(h, atoll(a.run), NULL, &r, &e)
                   : sws_eval_run_new(h, &o, &r, &e);
    if (rc == 0)
        rc = score ? sws_eval_print(&r, a.format ? a.format : "text", stdout, &e)
                   : sws_eval_explain(&r, a.pos[0], a.format ? a.format : "text", stdout,
                                      &e);
    if (rc == 0 && score && a.save) {
        char today[11];
        sws_today(today);
        rc = sws_eval_save(&r, a.as_of ? a.as_of : today, &saved, &e);
    }
    if (rc == 0 && score)
        sws_eval_lua_emit(&r);
    int findings = r.shown_findings, broken = r.nbroken; /* broken counties were reported */
    if (!score && a.run) {
        const sws_ev_station *s = sws_eval_find(&r, a.pos[0]);
        findings = s ? s->findings : 0;
    }
    sws_eval_free(&r);
    if (rc < 0)
        return sws_cli_fail(&e);
    if (saved)
        fprintf(stderr, "sws eval: stored as evaluation run %lld (a draft until `sws eval "
                "publish %lld`)\n", saved, saved);
    if (findings && a.format && strcmp(a.format, "csv") == 0)
        fprintf(stderr, "sws eval: %d %s — missing or doubtful assessor scores; "
                "`--format text` or `json` lists them\n", findings,
                sws_plural(findings, "finding", "findings"));
    return findings || broken ? SWS_EXIT_FINDINGS : SWS_EXIT_OK;
}
