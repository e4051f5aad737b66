/* cli.c — global options, the command table, help and dispatch. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"
#include "host.h"
#include "lapi.h"
#include "plugin.h"
#include "re.h"

#include <lua.h>

static int cmd_help(sws_cli *cli, int argc, char **argv);

/* The command table: one row per command, in the order `sws help` lists them. */
static const sws_command commands[] = {
    {"init", "create or upgrade the database", "",
     "Creates the database file if needed and brings its schema to this version of sws.\n"
     "A database written by a newer sws is refused.",
     sws_cmd_init},
    {"import", "import a CSV file of one kind, validated, all or nothing",
     "KIND FILE.csv [--skip-bad REJECTS.csv]",
     "Imports FILE.csv into the database. KIND is one of: counties, townships, villages,\n"
     "stations, rooms, facilities, institutions, workers, trainings, worktime, contacts,\n"
     "community_rooms, plans, mentoring, volunteers, volunteer_service, orgs, charity,\n"
     "clients, services, funding, county_reports, scores. Columns are matched by header name; extra columns are ignored. Every bad row\n"
     "is listed as FILE:LINE with the column and the rule it breaks, and nothing is stored\n"
     "unless the whole file is valid.\n\n"
     "  --skip-bad REJECTS.csv  store the good rows; write the bad ones, with a reason\n"
     "                          column, to REJECTS.csv (exit status 3 when any were bad)\n\n"
     "`sws import KIND --help` lists the columns of KIND; docs/import.md has them all.",
     sws_cmd_import},
    {"generate", "write clearly-labelled synthetic demo data as CSV files",
     "--townships FILE.csv --out DIR [--counties FILE.csv] [--services N] [--year Y] "
     "[--seed S]",
     "Writes synthetic townships (population), villages, stations, rooms, facilities,\n"
     "institutions, workers, trainings, worktime, contacts, mentoring, volunteers,\n"
     "volunteer_service, orgs, charity, clients, services and funding for every township\n"
     "of FILE.csv that needs a station. The data is deterministic: the same township and\n"
     "seed always give the same rows, whether the file is one city or the whole country.\n\n"
     "  --counties F   county names, for the station of a county-level unit without\n"
     "                 townships (龙港市)\n"
     "  --services N   service records in all (default 200 per station)\n"
     "  --year Y       the service year (default 2022)\n"
     "  --seed S       varies the data (default 1)",
     sws_cmd_generate},
    {"demo", "load Wenzhou's divisions and synthetic data, and summarise", "[--out DIR]",
     "Creates the database (it must be new, or one an earlier demo made), imports Wenzhou's\n"
     "12 county-level units and 191 townships, generates synthetic data for every station\n"
     "into DIR (default ./demo-data), imports it and prints a summary.",
     sws_cmd_demo},
    {"summary", "stations per county, staffing and record counts", "[--format text|json]",
     "Prints, per county, the townships that need a station, the stations and the hub;\n"
     "the resident workers per station; and how many records each table holds.",
     sws_cmd_summary},
    {"run", "run an admin script (Lua) with the sws API", "SCRIPT.lua [ARGS…]",
     "Runs SCRIPT.lua in the sandbox, with the plugins loaded. The script reads and writes\n"
     "the database through sws.db and gets its arguments as `...` (also in the global\n"
     "`arg`). It runs under the script instruction budget (--budget) and the memory budget\n"
     "(--memory); exceeding either stops it with exit status 1. See docs/lua-api.md.",
     sws_cmd_run},
    {"test", "run Lua tests (*_test.lua) inside the host", "[PATHS…]",
     "Runs every *_test.lua file under PATHS (default: tests/lua and the plugins), each on\n"
     "its own temporary database, and prints one line per test and `N passed, N failed`\n"
     "last. Exit status 1 when any test failed.",
     sws_cmd_test},
    {"plugin", "list plugins: name, version, state and why one is disabled", "list [--county CODE]",
     "Loads the plugins (for county CODE, or all) and prints each one's name, version and\n"
     "state; a plugin that is disabled or failed shows the reason.",
     sws_cmd_plugin},
    {"policy", "check, show, test, diff and preview county policies",
     "check [FILE|COUNTY…] | show COUNTY [--explain] | test [PATHS…] [--coverage-min PCT] | "
     "diff [COUNTY] [--against FILE|DIR|REV] | preview [COUNTY] --with FILE|DIR …",
     "check   validates policies (all of policies/ when none is named): unknown keys, wrong\n"
     "        types, values outside the city's bounds, unreachable or dead-end stages,\n"
     "        transitions to unknown stages, missing guards, invalid cron expressions.\n"
     "        Each problem is printed as FILE:LINE: message; exit status 1 if any.\n"
     "show    prints the effective policy of COUNTY (a 6-digit code, or a policy name);\n"
     "        --explain adds the file and line that set each value.\n"
     "test    runs the policy tests (policies/tests/*_test.lua by default) and lists the\n"
     "        guards no test exercised; --coverage-min PCT fails below that share.\n"
     "diff [COUNTY] [--against FILE|DIR|REV] [--format text|json]\n"
     "        the effective policies (after inheritance) of the --against side and the\n"
     "        live files, value by value, with the file:line that set each side. FILE\n"
     "        stands for COUNTY's file (else the file of its name), a DIR's *.lua files\n"
     "        for the live ones of the same names; REV is a git revision whose\n"
     "        policies/ folder is read with `git show` (default HEAD).\n"
     "preview [COUNTY] --with FILE|DIR [--year Y] [--as-of DATE] [--format text|json|html]\n"
     "        validates the proposed policies as `check` does, then runs the check, the\n"
     "        final evaluation and every instance's next workflow advance with the live\n"
     "        and the proposed policies on the live data, in one transaction that is\n"
     "        rolled back, and shows what changes: findings that appear and disappear,\n"
     "        totals, grades, stars and ranks, the county rankings, advances now refused\n"
     "        or allowed, instances that would need `workflow migrate`. Nothing is written.",
     sws_cmd_policy},
    {"workflow", "run stations through their county's construction workflow",
     "start|advance|status|history|graph|migrate …",
     "start STATION --actor NAME [--role ROLE] [--as-of DATE]\n"
     "        starts the station's workflow, pinned to its county policy and version\n"
     "advance STATION STAGE --actor NAME --role ROLE [--reason TEXT] [--as-of DATE]\n"
     "        [--dry-run]\n"
     "        moves it to STAGE if every guard passes; otherwise lists every failing\n"
     "        guard and changes nothing (exit status 1). ROLE (city, county, township,\n"
     "        expert, assessor) must be the one the policy lets enter STAGE. --as-of is\n"
     "        the effective date: not before the start, not after today. --dry-run runs\n"
     "        every guard and says what would happen, writing nothing (not even the refusal)\n"
     "status [STATION | --county CODE] [--as-of DATE]\n"
     "        the stage of each station and its open deadlines (overdue ones marked)\n"
     "history STATION     the audit trail: effective date, actor (role), from, to, reason,\n"
     "        policy version\n"
     "graph COUNTY [--format dot|mermaid]   draws the county's workflow\n"
     "migrate --to-version V [--county CODE] [--map OLD=NEW …] [--dry-run]\n"
     "        moves instances to the current policy version V, refusing stages that no\n"
     "        longer exist unless mapped",
     sws_cmd_workflow},
    {"eval", "score stations against the policy's indicators, and explain a score",
     "score --year Y --phase mid|final [--county C] [--format text|json|csv] [--as-of DATE]"
     " [--save] | explain STATION (--year Y [--phase mid|final] [--as-of DATE] | --run RUN)"
     " | runs | publish RUN [--as-of DATE] | compare RUN_A RUN_B [--station S]"
     " [--format text|json]",
     "score    scores every station of the city (or of county C) in the mid-term or final\n"
     "         evaluation of service year Y: computed items from the data, assessor items\n"
     "         from `sws import scores` (weighted by assessor), dimensions scaled by the\n"
     "         county's weights, bonus, veto items, grade, stars and rank in county and\n"
     "         city. Data up to 30 June (mid) or 31 December (final), or --as-of DATE.\n"
     "         --save stores the run (a draft; its number is printed on stderr).\n"
     "explain  how STATION earned or lost every point, item by item, with each\n"
     "         assessor's score and evidence and the data behind computed items;\n"
     "         --run RUN explains it as stored run RUN scored it.\n"
     "runs     the stored runs: year, phase, period, date, stations, published or draft,\n"
     "         and each county's policy version and content hash.\n"
     "publish  locks run RUN: a published run is never changed or deleted.\n"
     "compare  per station the change of total, grade, stars and ranks from RUN_A to\n"
     "         RUN_B, largest first; --station S adds its dimensions and items.\n"
     "Missing assessor scores are listed (an item no assessor scored earns 0); exit\n"
     "status 3 when any score is missing or doubtful. See docs/evaluation.md.",
     sws_cmd_eval},
    {"check", "which stations break which standard",
     "[--county CODE | --station CODE] [--year Y] [--as-of DATE] [--format text|json|csv] "
     "[--rules]",
     "Checks every standard of each station's policy (its county's, or its industrial\n"
     "zone's): area, rooms, facilities and equipment, sign, rules and databases, the\n"
     "minimum of resident workers, each resident worker's age, qualification, training\n"
     "课时, community time and engagement route, village contact workers, community rooms,\n"
     "one hub per unit, the 3+3+2 model, administrative chores logged as services, the\n"
     "year's budget lines and welfare-lottery money, and each unit's annual report — plus\n"
     "the rules plugins add. Each finding gives the rule, its severity (violation,\n"
     "warning, advice), the evidence (actual against required) and the policy file and\n"
     "line that set the requirement. The output ends with the coverage of the city's\n"
     "targets and the state of the annual reports (delivered, due, overdue).\n\n"
     "  --year Y      the year of training, working time, services, funding and the annual\n"
     "                report (default: the year of --as-of, else the current year)\n"
     "  --as-of DATE  the day judged: workers employed, contacts current, ages, transitions\n"
     "                (default: 31 December of --year, or today in the current year)\n"
     "  --rules       list the rules and stop\n\n"
     "Exit status 0 when nothing was found, 3 with findings.",
     sws_cmd_check},
    {"job", "run a job that a plugin registered (sws.job)", "run NAME",
     "Runs the job NAME under the plugin budget, e.g. from the system's cron; the policy's\n"
     "`schedule` names the jobs and when they should run.",
     sws_cmd_job},
    {"help", "show the commands, or one command's help", "[COMMAND]", "", cmd_help},
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static const sws_command *find_command(const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_plugin_command(const char *name, const char *help, const char *owner, void *ud)
{
    fprintf(ud, "  %-10s %s (plugin %s)\n", name, help, owner);
}

/* Lists the commands that plugins add (plugins load without a database). */
static void print_plugin_commands(FILE *out)
{
    sws_host_opts o = {.home = sws_home(), .install = sws_lapi_open};
    sws_error e;
    sws_host *h = sws_host_new(&o, &e);
    if (!h)
        return;
    sws_plugins ps;
    sws_plugins_load(h, NULL, 0, &ps);
    sws_plugins_free(&ps);
    fprintf(out, "\ncommands added by plugins:\n");
    sws_plugin_each_command(h, print_plugin_command, out);
    sws_host_free(h);
}

static void print_overview(FILE *out)
{
    fprintf(out,
            "sws %s — township social work stations: data, policies, workflow, evaluation\n\n"
            "usage: sws [--db PATH] [--verbose] COMMAND [ARGS…]\n\n"
            "  --db PATH    the database (default: $SWS_DB, else ./sws.db)\n"
            "  --verbose    more detail, and Lua tracebacks\n"
            "  --budget N   instructions per `sws run` call (default 200000000)\n"
            "  --hook-budget N  instructions per policy or plugin call (default 10000000)\n"
            "  --memory MiB memory per Lua state (default 256)\n"
            "  --no-plugins load no plugin (imports then skip plugin rules)\n"
            "  --version    print the version\n\n"
            "commands:\n", SWS_VERSION);
    for (size_t i = 0; i < ncommands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    print_plugin_commands(out);
    fprintf(out, "\n`sws COMMAND --help` explains one command.\n"
                 "Exit status: 0 success, 1 error, 2 usage error, 3 completed with findings.\n");
}

static void print_command_help(const sws_command *c, FILE *out)
{
    fprintf(out, "usage: sws [--db PATH] %s %s\n\n%s — %s\n", c->name, c->usage, c->name,
            c->summary);
    if (c->help[0])
        fprintf(out, "\n%s\n", c->help);
}

static int cmd_help(sws_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc < 2) {
        print_overview(stdout);
        return SWS_EXIT_OK;
    }
    const sws_command *c = find_command(argv[1]);
    if (!c)
        return sws_cli_usage_error("help", "no command '%s' (see `sws help`)", argv[1]);
    print_command_help(c, stdout);
    return SWS_EXIT_OK;
}

int sws_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sws %s: ", command);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    return SWS_EXIT_USAGE;
}

int sws_cli_fail(const sws_error *e)
{
    fprintf(stderr, "sws: %s\n", e->msg);
    return SWS_EXIT_ERROR;
}

sqlite3 *sws_cli_db(sws_cli *cli)
{
    if (!cli->db) {
        sws_error e;
        if (sws_db_open(cli->db_path, &cli->db, &e) < 0) {
            sws_cli_fail(&e);
            return NULL;
        }
    }
    return cli->db;
}

const char *sws_home(void)
{
    static char home[4096];
    if (home[0])
        return home;
    const char *env = getenv("SWS_HOME");
    struct stat sb;
    if (env && env[0])
        snprintf(home, sizeof home, "%s", env);
    else if (stat(SWS_SOURCE_DIR "/data", &sb) == 0)
        snprintf(home, sizeof home, "%s", SWS_SOURCE_DIR);
    else
        snprintf(home, sizeof home, "/usr/local/share/sws");
    return home;
}

sws_host *sws_cli_new_host(const sws_cli *cli, sqlite3 *db)
{
    return sws_cli_new_host_at(cli, db, sws_home());
}

sws_host *sws_cli_new_host_at(const sws_cli *cli, sqlite3 *db, const char *home)
{
    sws_host_opts o = {.db = db, .home = home, .verbose = cli->verbose,
                       .install = sws_lapi_open, .script_budget = cli->budget,
                       .hook_budget = cli->hook_budget, .memory_limit = (size_t)cli->memory_mib << 20};
    sws_error e;
    sws_host *h = sws_host_new(&o, &e);
    if (!h)
        sws_cli_fail(&e);
    return h;
}

sws_host *sws_cli_host(sws_cli *cli)
{
    if (cli->host)
        return cli->host;
    sqlite3 *db = sws_cli_db(cli);
    if (!db || !(cli->host = sws_cli_new_host(cli, db)))
        return NULL;
    if (!cli->no_plugins) {
        sws_plugins ps;
        sws_plugins_load(cli->host, NULL, 1, &ps);
        sws_plugins_free(&ps);
    }
    return cli->host;
}

/* A command that is not built in may come from a plugin (sws.command). */
static int run_plugin_command(sws_cli *cli, int argc, char **argv)
{
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    int status;
    sws_error e;
    int rc = sws_plugin_run_command(h, argv[0], argc - 1, argv + 1, &status, &e);
    if (rc == 0) {
        fprintf(stderr, "sws: no command '%s' (see `sws help`)\n", argv[0]);
        return SWS_EXIT_USAGE;
    }
    return rc < 0 ? sws_cli_fail(&e) : status;
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int sws_cli_main(int argc, char **argv)
{
    sws_host_set_api(sws_lapi_open); /* the sws.* API of every host this run creates */
    sws_cli cli = {.db_path = getenv("SWS_DB")};
    if (!cli.db_path || !cli.db_path[0])
        cli.db_path = "sws.db";

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("sws %s (schema %d, %s, SQLite %s)\n", SWS_VERSION, sws_migration_count,
                   LUA_RELEASE, sqlite3_libversion());
            return SWS_EXIT_OK;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_overview(stdout);
            return SWS_EXIT_OK;
        } else if (strcmp(argv[i], "--no-plugins") == 0) {
            cli.no_plugins = 1;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            cli.verbose = 1;
        } else if ((strcmp(argv[i], "--budget") == 0 || strcmp(argv[i], "--hook-budget") == 0 ||
                    strcmp(argv[i], "--memory") == 0) && i + 1 < argc) {
            char *end;
            long long v = strtoll(argv[i + 1], &end, 10);
            if (*end || v <= 0) {
                fprintf(stderr, "sws: %s needs a positive whole number\n", argv[i]);
                return SWS_EXIT_USAGE;
            }
            if (argv[i][2] == 'b')
                cli.budget = v;
            else if (argv[i][2] == 'h')
                cli.hook_budget = v;
            else
                cli.memory_mib = v;
            i++;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            cli.db_path = argv[++i];
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli.db_path = argv[i] + 5;
        } else {
            fprintf(stderr, "sws: unknown option '%s'\n\n", argv[i]);
            print_overview(stderr);
            return SWS_EXIT_USAGE;
        }
    }
    if (i >= argc) {
        print_overview(stderr);
        return SWS_EXIT_USAGE;
    }

    const sws_command *c = find_command(argv[i]);
    int rc;
    if (!c) {
        rc = run_plugin_command(&cli, argc - i, argv + i);
        goto done;
    }
    /* `sws import KIND --help` lists KIND's columns: the command handles it. */
    if (wants_help(argc - i, argv + i) && !(c->run == sws_cmd_import && argc - i > 2)) {
        print_command_help(c, stdout);
        rc = SWS_EXIT_OK;
    } else {
        rc = c->run(&cli, argc - i, argv + i);
    }
done:
    sws_host_free(cli.host);
    if (cli.db)
        sqlite3_close(cli.db);
    sws_re_clear_cache();
    return rc;
}
