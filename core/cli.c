/* cli.c — global options, the command table, help and dispatch. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"

#include <errno.h>
#include <limits.h>
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
#include "suggest.h"
#include "validate.h"
#include "workers.h"

#include <lua.h>

static int cmd_help(sws_cli *cli, int argc, char **argv);

/* The command table: one row per command, in the order `sws help` lists them. */
static const sws_command commands[] = {
    {"init", "create or upgrade the database", "",
     "Creates the database file if needed and brings its schema to this version of sws.\n"
     "A database written by a newer sws is refused.",
     sws_cmd_init, ""},
    {"import", "import a CSV file of one kind, validated, all or nothing",
     "KIND FILE.csv [--skip-bad REJECTS.csv] [--encoding E] [--dry-run] [--ignore-unknown] "
     "[--as-of DATE] | KIND --template FILE.csv",
     "Imports FILE.csv into the database. KIND is one of: counties, townships, villages,\n"
     "stations, rooms, facilities, institutions, workers, trainings, worktime, contacts,\n"
     "community_rooms, plans, mentoring, volunteers, volunteer_service, orgs, charity,\n"
     "clients, services, funding, county_reports, scores. Columns are matched by header\n"
     "name, in English or Chinese (姓名, 身份证号, 手机, 入职日期, …); a column KIND does not have is an error, and a column the file\n"
     "leaves out never clears a stored value. Dates may be written 2023-03-07, 2023/3/7,\n"
     "2023-3-7 or 2023年3月7日 and are stored as 2023-03-07. Every bad row is listed as\n"
     "FILE:LINE with the column and the rule it breaks, and nothing is stored unless the\n"
     "whole file is valid.\n\n"
     "  --skip-bad REJECTS.csv  store the good rows; write the bad ones, with a reason\n"
     "                          column, to REJECTS.csv, a new file readable only by you\n"
     "                          (exit status 3 when any were bad)\n"
     "  --encoding E            the file's encoding: utf-8 (default), gbk or gb18030\n"
     "  --dry-run               check every row and report; store nothing\n"
     "  --ignore-unknown        accept (and ignore) columns KIND does not have\n"
     "  --allow-duplicates      store rows identical to stored ones (kinds that append:\n"
     "                          trainings, volunteer_service, services); without it they\n"
     "                          are listed and skipped\n"
     "  --as-of DATE            dates after the following year are refused (default: today)\n"
     "  --template FILE.csv     write an empty FILE.csv for KIND: the header in both forms\n"
     "                          and one example row\n\n"
     "`sws import KIND --help` lists the columns of KIND; docs/import.md has them all.",
     sws_cmd_import,
     "--skip-bad --encoding --ignore-unknown --dry-run --as-of --template --allow-duplicates"},
    {"generate", "write clearly-labelled synthetic demo data as CSV files",
     "--townships FILE.csv --out DIR [--counties FILE.csv] [--services N] [--year Y] "
     "[--seed S] [--coverage SHARE]",
     "Writes synthetic townships (population), villages, stations, rooms, facilities,\n"
     "institutions, workers, trainings, worktime, contacts, mentoring, volunteers,\n"
     "volunteer_service, orgs, charity, clients, services and funding for every township\n"
     "of FILE.csv that needs a station. The data is deterministic: the same township and\n"
     "seed always give the same rows, whether the file is one city or the whole country.\n\n"
     "  --counties F   county names, for the station of a county-level unit without\n"
     "                 townships (龙港市)\n"
     "  --services N   service records in all (default 200 per station)\n"
     "  --year Y       the service year (default 2022)\n"
     "  --seed S       varies the data (default 1)\n"
     "  --coverage SHARE  gives only this share of the townships a station, e.g. 0.75 for\n"
     "                 China's 2023 figure (about 29,000 of 38,600); the others get their\n"
     "                 township and villages only. Default 1 (every township)",
     sws_cmd_generate, "--townships --out --counties --services --year --seed --coverage"},
    {"demo", "load Wenzhou's divisions and synthetic data, and summarise", "[--out DIR]",
     "Creates the database (it must be new, or one an earlier demo made), imports Wenzhou's\n"
     "12 county-level units and 191 townships, generates synthetic data for every station\n"
     "into DIR (default ./demo-data), imports it and prints a summary.",
     sws_cmd_demo, "--out"},
    {"summary", "stations per county, staffing and record counts", "[--format text|json]",
     "Prints, per county, the townships that need a station, the stations and the hub;\n"
     "the resident workers per station; and how many records each table holds.",
     sws_cmd_summary, "--format"},
    {"run", "run an admin script (Lua) with the sws API", "SCRIPT.lua [ARGS…]",
     "Runs SCRIPT.lua in the sandbox, with the plugins loaded. The script reads and writes\n"
     "the database through sws.db and gets its arguments as `...` (also in the global\n"
     "`arg`). It runs under the script instruction budget (--budget) and the memory budget\n"
     "(--memory); exceeding either stops it with exit status 1. See docs/lua-api.md.",
     sws_cmd_run, NULL},
    {"test", "run Lua tests (*_test.lua) inside the host",
     "[PATHS…] [NAME…] [--format text|tap|junit]",
     "Runs every *_test.lua file under PATHS (default: tests/lua, when the share folder\n"
     "has it, and the plugins), each on its own temporary database, and prints one line\n"
     "per test and `N passed, N failed` last. A word that is not a file or folder (and\n"
     "has no '/' and no .lua) is a NAME: only the tests whose name or file contains one\n"
     "of the NAMEs run (exit status 1 when none does). A failed test lists the findings\n"
     "that plugin rules made while it ran, each with its plugin, file and line.\n"
     "Exit status 1 when any test failed.\n\n"
     "  --format F  text (default); tap (TAP version 13); junit (JUnit XML, a testsuite\n"
     "              per file, for CI systems)",
     sws_cmd_test, "--format"},
    {"plugin", "list plugins, or start a new one from the template",
     "list [--county CODE] | new NAME [--dir DIR]",
     "list  loads the plugins (for county CODE, or all) and prints each one's name,\n"
     "      version and state; a plugin that is disabled or failed shows the reason.\n"
     "new   writes a new plugin NAME (a-z, 0-9 and _) into DIR/NAME (default: the plugins\n"
     "      folder of the share folder, where sws loads it from): manifest.lua, init.lua\n"
     "      with one event handler, one compliance rule (NAME_address) and one command\n"
     "      (`sws NAME`), and NAME_test.lua, which passes (`sws test DIR/NAME`). An\n"
     "      existing folder is never overwritten. See docs/plugins.md.",
     sws_cmd_plugin, "list: --county | new: --dir"},
    {"policy", "check, show, test, diff and preview county policies",
     "check [FILE|COUNTY…] | show COUNTY [KEY.PATH] [--explain] [--only-overrides] "
     "[--format text|json] | test [PATHS…] [--coverage-min PCT] | "
     "diff [COUNTY] [--against FILE|DIR|REV] | preview [COUNTY] --with FILE|DIR …",
     "check   validates policies (all of policies/ when none is named): unknown keys, wrong\n"
     "        types, values outside the city's bounds, unreachable or dead-end stages,\n"
     "        transitions to unknown stages, missing guards, invalid cron expressions.\n"
     "        Each problem is printed as FILE:LINE: message; exit status 1 if any.\n"
     "show    prints the effective policy of COUNTY (a 6-digit code, or a policy name),\n"
     "        or only KEY.PATH and what lies under it (standards.min_area_m2);\n"
     "        --explain adds the file and line that set each value, --only-overrides\n"
     "        keeps the values the county set itself, --format json prints them as\n"
     "        [{path, value, file, line}].\n"
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
     sws_cmd_policy,
     "check: | show: --explain --only-overrides --format | test: --coverage-min | "
     "diff: --against --format | preview: --with --year --as-of --format"},
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
     "        without a station, the city's pipeline: stations per stage per county and\n"
     "        the overdue deadlines (--county narrows it, then lists the county's\n"
     "        stations); with one, its stage and open deadlines (overdue ones marked)\n"
     "history STATION     the audit trail: effective date, actor (role), from, to, reason,\n"
     "        policy version\n"
     "graph COUNTY [--format dot|mermaid]   draws the county's workflow\n"
     "migrate --to-version V [--county CODE] [--map OLD=NEW …] [--dry-run] [--actor NAME]\n"
     "        moves instances to the current policy version V, refusing stages that no\n"
     "        longer exist unless mapped",
     sws_cmd_workflow, "start: --actor --role --as-of | advance: --actor --role --reason --as-of --dry-run | "
     "status: --county --as-of | history: | graph: --format | "
     "migrate: --to-version --county --map --dry-run --actor"},
    {"eval", "score stations against the policy's indicators, and explain a score",
     "score --year Y --phase mid|final [--county C] [--format text|json|csv] [--as-of DATE]"
     " [--save] [--jobs N] | explain STATION (--year Y [--phase mid|final] [--as-of DATE] | --run RUN)"
     " [--format text|json]"
     " | runs | publish RUN [--as-of DATE] | compare RUN_A RUN_B [--station S]"
     " [--format text|json]",
     "score    scores every station of the city (or of county C) in the mid-term or final\n"
     "         evaluation of service year Y: computed items from the data, assessor items\n"
     "         from `sws import scores` (weighted by assessor), dimensions scaled by the\n"
     "         county's weights, bonus, veto items, grade, stars and rank in county and\n"
     "         city. Data up to 30 June (mid) or 31 December (final), or --as-of DATE.\n"
     "         --save stores the run (a draft; its number is printed on stderr).\n"
     "         --jobs N shares the stations among N processes (default: one per CPU,\n"
     "         at most 8); the scores are the same.\n"
     "explain  how STATION earned or lost every point: first the items that cost it\n"
     "         most (the largest point losses, with why), then item by item, with each\n"
     "         assessor's score and evidence and the data behind computed items;\n"
     "         --run RUN explains it as stored run RUN scored it; --format json gives\n"
     "         the same as a document (see docs/evaluation.md).\n"
     "runs     the stored runs: year, phase, period, date, stations, published or draft,\n"
     "         and each county's policy version and content hash.\n"
     "publish  locks run RUN: a published run is never changed or deleted.\n"
     "compare  per station the change of total, grade, stars and ranks from RUN_A to\n"
     "         RUN_B, largest first; --station S adds its dimensions and items.\n"
     "Missing assessor scores are listed (an item no assessor scored earns 0); exit\n"
     "status 3 when any score is missing or doubtful. See docs/evaluation.md.",
     sws_cmd_eval, "score: --year --phase --county --format --as-of --save --jobs | "
     "explain: --year --phase --as-of --run --format | runs: | publish: --as-of | "
     "compare: --station --format"},
    {"check", "which stations break which standard",
     "[--county CODE | --station CODE] [--year Y] [--as-of DATE] [--format text|json|csv] "
     "[--jobs N] [--rules]",
     "Checks every standard of each station's policy (its county's, or its industrial\n"
     "zone's): area, rooms, facilities and equipment, sign, rules and databases, the\n"
     "minimum of resident workers, each resident worker's age, qualification, training\n"
     "课时, community time and engagement route, village contact workers, community rooms,\n"
     "one hub per unit, the 3+3+2 model, administrative chores logged as services, the\n"
     "year's budget lines and welfare-lottery money, and each unit's annual report — plus\n"
     "the rules plugins add. Each finding gives the rule, its severity (violation,\n"
     "warning, advice), the evidence (actual against required) and the policy file and\n"
     "line that set the requirement. The output ends with the coverage of the city's\n"
     "targets (coverage.targets; with --county or --station, the unit's share of them)\n"
     "and the state of the annual reports (delivered, due, overdue).\n\n"
     "  --year Y      the year of training, working time, services, funding and the annual\n"
     "                report (default: the year of --as-of, else the current year)\n"
     "  --as-of DATE  the day judged: workers employed, contacts current, ages, transitions\n"
     "                (default: 31 December of --year, or today in the current year)\n"
     "  --jobs N      share the stations among N processes (default: one per CPU, at\n"
     "                most 8); the findings are the same\n"
     "  --rules       list the rules and stop\n\n"
     "Exit status 0 when nothing was found, 3 with findings.",
     sws_cmd_check, "--county --station --year --as-of --format --jobs --rules"},
    {"job", "run scheduled jobs by hand, list them and their recorded runs",
     "run NAME [--county C] [--as-of DATE] [--reports DIR] | list | history [JOB] [--limit N] | "
     "backfill JOB --from T --to T [--dry-run]",
     "run       runs job NAME now (a plugin's sws.job, or the core's county_report and\n"
     "          county_report_reminder, which need --county or NAME@COUNTY), recorded in\n"
     "          job_run as manual; --as-of is the date it sees as today (default today),\n"
     "          --reports the folder of the county report (default: reports/ beside the db)\n"
     "list      the jobs the policies schedule (per county as JOB@COUNTY), when, the next\n"
     "          run and the last recorded run\n"
     "history   recorded runs, newest first (JOB: one job, or every county's run of it)\n"
     "backfill  the runs of JOB (as `job list` names it) scheduled from T to T\n"
     "          (YYYY-MM-DD HH:MM, the policy's time zone): --dry-run lists them with what\n"
     "          is recorded; otherwise those not run, failed or skipped are run now\n"
     "          (recorded as backfill; one that ran already never runs again).",
     sws_cmd_job, NULL},
    {"doctor", "check that the kept aggregates and chore verdicts match the records",
     "[--repair]",
     "The check and the evaluation read service records through service_month (their\n"
     "counts per station and month, kept in the transaction of every write), training\n"
     "and working time through worker_year (each worker's minutes per year, kept the\n"
     "same way), volunteer service through volunteer_year (each volunteer's seconds per\n"
     "year, kept the same way), service objects through station_clients (each station's\n"
     "count, kept the same way), village contacts through village_contact_worker (each\n"
     "contact with its worker's employment dates and qualification, kept the same way),\n"
     "and the verdict stored with each record (a service, or a chore matching the\n"
     "chore_patterns of its township's administering unit). doctor recomputes the counts,\n"
     "the worker-years, the volunteer-years, the stations' service objects and the\n"
     "contacts' workers from the records and lists every station and month, every worker\n"
     "and year, every volunteer and year, every station and every contact that differs,\n"
     "the units whose records were not judged with their policy's current patterns, and\n"
     "the records not judged yet.\n\n"
     "  --repair   recompute them and judge those records again (one transaction)\n\n"
     "Exit status 0 when everything agrees (or was repaired), 3 when something differs.",
     sws_cmd_doctor, "--repair"},
    {"report", "coverage, the county's annual report, a station's scorecard, volunteer hours",
     "coverage|annual|station|volunteers --format html|md|csv|json [--county C] [--station T] "
     "[--year Y] [--from DATE --to DATE] [--as-of DATE] [--out FILE] [--no-bom] "
     "[--reveal --reason TEXT [--actor NAME]]",
     "coverage    stations per county or zone by workflow stage against the city's targets\n"
     "            (coverage.targets), hubs, community rooms, townships that need no station\n"
     "annual      the county's report to the city (due 30 November): evaluation, findings,\n"
     "            staffing and training, services, linkage, funding, change since last year\n"
     "station     one station's scorecard: its score explained, open findings, audit trail\n"
     "volunteers  hours by volunteer, team (志愿服务队) and station, --from/--to\n\n"
     "HTML is one self-contained file (inline CSS and SVG charts, printable on A4); CSV is\n"
     "UTF-8 with a byte-order mark for Excel and WPS (--no-bom leaves it out); JSON is\n"
     "documented in docs/reports.md. Names and addresses are masked and people younger\n"
     "than the policy's sensitive age appear only as counts; --reveal shows names and\n"
     "addresses and needs --reason, written with who (--actor, else $SWS_USER, else the\n"
     "login name) to the access log (`sws audit log`). Reports are Lua (plugins/reports):\n"
     "a county or a plugin can add one or override a section.\n\n"
     "  --year Y    the service year (default: the year of --as-of)\n"
     "  --out FILE  write to FILE instead of the standard output\n"
     "  --county A,B,…  one report per county, written to --out with {county} in the\n"
     "              file name (annual-{county}.html); the city is evaluated once",
     sws_cmd_report, NULL},
    {"audit", "the access log of unmasked personal data", "log [--since DATE] [--format text|json]",
     "Lists every output made with --reveal: when (UTC), who, what and why. Rows are never\n"
     "changed, and kept at least six months.",
     sws_cmd_audit, NULL},
    {"privacy", "retention of closed cases, deactivation of service objects",
     "retention [--as-of DATE] [--dry-run] | deactivate CLIENT [--as-of DATE]",
     "retention   clears the personal fields (name, address, masked ID and phone, birth\n"
     "            date) of cases closed longer ago than the county policy's\n"
     "            privacy.retention_years, and logs each in retention_log; run it from cron\n"
     "deactivate  marks a service object inactive; records are never deleted",
     sws_cmd_privacy, NULL},
    {"cron", "print the next times of a cron expression", "next EXPR [--from T] [--count N]",
     "Prints the next N (default 5) times that EXPR matches after T (YYYY-MM-DD HH:MM,\n"
     "default now in the local zone), one per line with the weekday. EXPR is\n"
     "`minute hour day-of-month month day-of-week` with *, lists, ranges, steps (*/15,\n"
     "1-5/2), names (jan-dec, sun-sat), 7 for Sunday, or @yearly, @annually, @monthly,\n"
     "@weekly, @daily, @midnight, @hourly. When day-of-month and day-of-week are both\n"
     "restricted, a day matching either matches (Vixie cron). The daemon and `sws policy\n"
     "check` use the same parser.",
     sws_cmd_cron, NULL},
    {"serve", "the daemon: run the policies' schedules, plugin timers, hot reload",
     "[--socket PATH] [--log-format text|json] [--reports DIR] [--clock T] [--until T]",
     "Runs every job the policies schedule, exactly once per scheduled time (job_run), in\n"
     "the city policy's time zone, until SIGTERM or SIGINT. One daemon per database: a\n"
     "second one is refused, naming the first one's pid and socket. Runs missed while no\n"
     "daemon ran follow each job's catch_up rule. SIGHUP, `sws ctl reload` or a change\n"
     "under policies/ or plugins/ reloads them; a reload that fails keeps the old ones.\n\n"
     "  --socket PATH      the control socket (default: DB.sock), mode 0600\n"
     "  --log-format F     text (default) or json lines on stderr\n"
     "  --reports DIR      where county reports are written (default: reports/ beside DB)\n"
     "  --clock T          start the daemon's clock at T (YYYY-MM-DD HH:MM) instead of now\n"
     "  --until T          simulate: jump from one due time to the next without waiting,\n"
     "                     and stop when the clock reaches T",
     sws_cmd_serve, NULL},
    {"ctl", "talk to the running daemon", "[--socket PATH] status|jobs|reload|run JOB",
     "status  uptime, clock, policy versions, run counts, timer lateness, last reload error,\n"
     "        and the jobs with their next run and last outcome (when at most 200)\n"
     "jobs    every scheduled job with its next run and last outcome\n"
     "reload  reload policies and plugins now (the answer says whether it worked)\n"
     "run JOB run JOB now (as `ctl jobs` names it), recorded as manual\n"
     "The answer is printed as JSON; exit status 1 when the daemon answered with an error.",
     sws_cmd_ctl, NULL},
    {"help", "show the commands, or one command's help", "[COMMAND]", "", cmd_help,
     "--man"},
};
static const size_t ncommands = sizeof commands / sizeof commands[0];

static const sws_command *find_command(const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void offer_plugin_command(const char *name, const char *help, const char *owner, void *ud)
{
    (void)help;
    (void)owner;
    sws_suggest_offer(ud, name);
}

static void print_plugin_command(const char *name, const char *help, const char *owner, void *ud)
{
    fprintf(ud, "  %-10s %s (plugin %s)\n", name, help, owner);
}

/* A host with every plugin loaded and no database: enough to know the
 * commands plugins add and their help. NULL when it cannot be made. */
static sws_host *plugin_probe_host(void)
{
    sws_host_opts o = {.home = sws_home(), .install = sws_lapi_open};
    sws_error e;
    sws_host *h = sws_host_new(&o, &e);
    if (!h)
        return NULL;
    sws_plugins ps;
    sws_plugins_load(h, NULL, 0, &ps);
    sws_plugins_free(&ps);
    return h;
}

/* Looks for one plugin command by name (ud: a plugin_command_query). */
typedef struct plugin_command_query {
    const char *name;
    int found;
    FILE *help; /* when set, the command's help is printed here */
} plugin_command_query;

static void find_plugin_command(const char *name, const char *help, const char *owner, void *ud)
{
    plugin_command_query *q = ud;
    if (strcmp(name, q->name) != 0)
        return;
    q->found = 1;
    if (q->help)
        fprintf(q->help, "usage: sws [--db PATH] %s [ARGS…]\n\n%s — %s (added by plugin %s)\n",
                name, name, help, owner);
}

/* Lists the commands that plugins add (plugins load without a database). */
static void print_plugin_commands(FILE *out)
{
    sws_host *h = plugin_probe_host();
    if (!h)
        return;
    fprintf(out, "\ncommands added by plugins:\n");
    sws_plugin_each_command(h, print_plugin_command, out);
    sws_host_free(h);
}

/* The text of `sws help`; the commands plugins add are listed when plugins is set. */
static void print_overview(FILE *out, int plugins)
{
    fprintf(out,
            "sws %s — township social work stations: data, policies, workflow, evaluation\n\n"
            "usage: sws [--db PATH] [--verbose] COMMAND [ARGS…]\n\n"
            "  --db PATH    the database (default: $SWS_DB, else ./sws.db)\n"
            "  --verbose    more detail, and Lua tracebacks\n"
            "  --budget N   instructions per `sws run` call (default 200000000)\n"
            "  --hook-budget N  instructions per policy or plugin call (default 10000000)\n"
            "  --memory MiB memory per Lua state (default 256)\n"
            "  --sql-memory MiB  SQLite's memory for the whole run (default 1024)\n"
            "  --no-plugins load no plugin (imports then skip plugin rules)\n"
            "  --version    print the version and the share folder in use\n\n"
            "environment:\n"
            "  SWS_DB       the database when --db is not given\n"
            "  SWS_SQL_MEMORY  --sql-memory when it is not given\n"
            "  SWS_HOME     the share folder (policies/, plugins/, data/); default:\n"
            "               share/sws of the prefix sws is installed in (BIN/../share/sws)\n\n"
            "commands:\n", SWS_VERSION);
    for (size_t i = 0; i < ncommands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    if (plugins)
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

/* Writes text as roff body text: a leading '.' or '\'' escaped, '\' doubled. */
static void roff_text(FILE *out, const char *text)
{
    int bol = 1;
    for (const char *p = text; *p; p++) {
        if (bol && (*p == '.' || *p == '\''))
            fputs("\\&", out);
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
        bol = *p == '\n';
    }
}

/* The man page sws(1), from the same table and text as `--help`. */
static void print_man_page(FILE *out)
{
    fprintf(out, ".TH SWS 1 \"\" \"sws %s\" \"User Commands\"\n"
                 ".SH NAME\nsws \\- township social work stations: data, policies, workflow, "
                 "evaluation\n.SH SYNOPSIS\n.B sws\n[\\-\\-db PATH] [\\-\\-verbose] COMMAND "
                 "[ARGS...]\n.SH DESCRIPTION\n.nf\n", SWS_VERSION);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem) {
        print_overview(mem, 0);
        fclose(mem);
        roff_text(out, text);
        free(text);
    }
    fputs(".fi\n.SH COMMANDS\n", out);
    for (size_t i = 0; i < ncommands; i++) {
        const sws_command *c = &commands[i];
        fprintf(out, ".SS sws %s\n.nf\n", c->name);
        char *one = NULL;
        size_t n = 0;
        FILE *m = open_memstream(&one, &n);
        if (!m)
            continue;
        print_command_help(c, m);
        fclose(m);
        roff_text(out, one);
        free(one);
        fputs(".fi\n", out);
    }
    fputs(".SH FILES\n.TP\n.I BIN/../share/sws\nthe city policy, county policies, plugins and "
          "divisions data (or \\fB$SWS_HOME\\fR)\n.SH SEE ALSO\n"
          ".I /usr/share/doc/sws\\fR: README.md and docs/\n", out);
}

/* "no command 'X'", with the nearest built-in or plugin command suggested. */
static int unknown_command(const char *name, sws_host *h)
{
    sws_suggest sg;
    char hint[160];
    sws_suggest_init(&sg, name);
    for (size_t i = 0; i < ncommands; i++)
        sws_suggest_offer(&sg, commands[i].name);
    if (h)
        sws_plugin_each_command(h, offer_plugin_command, &sg);
    fprintf(stderr, "sws: no command '%s'%s; `sws help` lists them\n", name,
            sws_suggest_hint(&sg, hint, sizeof hint));
    return SWS_EXIT_USAGE;
}

static int cmd_help(sws_cli *cli, int argc, char **argv)
{
    (void)cli;
    if (argc >= 2 && strcmp(argv[1], "--man") == 0) {
        print_man_page(stdout);
        return SWS_EXIT_OK;
    }
    if (argc < 2) {
        print_overview(stdout, 1);
        return SWS_EXIT_OK;
    }
    const sws_command *c = find_command(argv[1]);
    if (!c)
        return unknown_command(argv[1], NULL);
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

int sws_cli_jobs(const char *command, const char *value, int *jobs)
{
    long long n = sws_workers_default();
    if (value && sws_valid_int(value, 1, 8, &n))
        return sws_cli_usage_error(command, "--jobs \"%s\": %s (processes, 1 to 8)", value,
                                   sws_valid_int(value, 1, 8, &n));
    *jobs = (int)n;
    return 0;
}

int sws_cli_fail(const sws_error *e)
{
    fprintf(stderr, "sws: %s\n", e->msg);
    return SWS_EXIT_ERROR;
}

sqlite3 *sws_cli_db(sws_cli *cli)
{
    if (cli->db)
        return cli->db;
    sws_error e;
    if (!cli->may_create && access(cli->db_path, F_OK) != 0) {
        sws_errorf(&e, "no database at %s (create it with `sws --db %s init`, or name an "
                       "existing one with --db PATH)", cli->db_path, cli->db_path);
        sws_cli_fail(&e);
        return NULL;
    }
    int rc = cli->read_only && !cli->may_create
                 ? sws_db_open_readonly(cli->db_path, &cli->db, &e)
                 : sws_db_open(cli->db_path, &cli->db, &e);
    if (rc < 0) {
        sws_cli_fail(&e);
        return NULL;
    }
    return cli->db;
}

const char *sws_home(void)
{
    static char home[4096];
    if (home[0])
        return home;
    const char *env = getenv("SWS_HOME");
    if (env && env[0]) {
        snprintf(home, sizeof home, "%s", env);
        return home;
    }
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0'; /* the folder of the executable */
    struct stat sb;
    char build[4200];
    snprintf(home, sizeof home, "%s/../share/sws", exe);
    snprintf(build, sizeof build, "%s/share/sws/policies", exe);
    char installed[4200];
    snprintf(installed, sizeof installed, "%s/policies", home);
    if (stat(installed, &sb) != 0 && stat(build, &sb) == 0)
        snprintf(home, sizeof home, "%s/share/sws", exe);
    char real[PATH_MAX];
    if (realpath(home, real))
        snprintf(home, sizeof home, "%s", real);
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

/* A command that is not built in may come from a plugin (sws.command).
 * With a database, the plugins are loaded on it as for any command; without
 * one, they are loaded alone to learn whether the command exists, so that a
 * mistyped command gets its suggestion wherever it is typed. `--help` is
 * answered from the plugin's own description. */
static int run_plugin_command(sws_cli *cli, int argc, char **argv)
{
    int have_db = access(cli->db_path, F_OK) == 0;
    sws_host *probe = have_db ? sws_cli_host(cli) : plugin_probe_host();
    if (have_db && !probe)
        return SWS_EXIT_ERROR;
    plugin_command_query q = {.name = argv[0],
                              .help = wants_help(argc, argv) ? stdout : NULL};
    if (probe)
        sws_plugin_each_command(probe, find_plugin_command, &q);
    if (!q.found || q.help || !have_db) {
        int rc = SWS_EXIT_OK;
        if (!q.found)
            rc = unknown_command(argv[0], probe);
        else if (!q.help && !sws_cli_db(cli)) /* says that there is no database */
            rc = SWS_EXIT_ERROR;
        if (!have_db)
            sws_host_free(probe);
        return rc;
    }
    sws_host *h = probe;
    int status;
    sws_error e;
    int rc = sws_plugin_run_command(h, argv[0], argc - 1, argv + 1, &status, &e);
    if (rc == 0)
        return unknown_command(argv[0], h);
    return rc < 0 ? sws_cli_fail(&e) : status;
}

/* In spec "sub1: --a | sub2: --b", finds the options of sub: 1 with
 * opts and len set, 0 when sub is not one of its subcommands. */
static int spec_subcommand(const char *spec, const char *sub, const char **opts, size_t *len)
{
    for (const char *p = spec; *p;) {
        while (*p == ' ' || *p == '|')
            p++;
        const char *colon = strchr(p, ':'), *bar = strchr(p, '|');
        if (!colon)
            return 0;
        if (!bar)
            bar = p + strlen(p);
        if ((size_t)(colon - p) == strlen(sub) && strncmp(p, sub, strlen(sub)) == 0) {
            *opts = colon + 1;
            *len = (size_t)(bar - colon - 1);
            return 1;
        }
        p = bar;
    }
    return 0;
}

/* Offers every word of the first n bytes of list (space-separated, or the
 * subcommand names of a spec when names is set) to sg. Words are kept in
 * store (n_store bytes) so that the suggestion can point at them. */
static void offer_words(sws_suggest *sg, const char *list, size_t n, int names, char *store,
                        size_t n_store)
{
    size_t used = 0;
    const char *p = list, *end = list + n;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '|'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '|' && *p != ':')
            p++;
        size_t wl = (size_t)(p - w);
        int is_name = p < end && *p == ':';
        if (wl && is_name == names && used + wl + 1 <= n_store) {
            memcpy(store + used, w, wl);
            store[used + wl] = '\0';
            sws_suggest_offer(sg, store + used);
            used += wl + 1;
        }
        if (is_name)
            p++;
    }
}

/* Refuses options the command (or its subcommand) does not take, and
 * unknown subcommands, suggesting the nearest. 0 when all is well. */
static int check_options(const sws_command *c, int argc, char **argv)
{
    const char *spec = c->options, *opts = spec;
    if (!spec)
        return 0;
    size_t len = strlen(spec);
    char store[512], hint[160];
    sws_suggest sg;
    int first = 1;
    if (strchr(spec, ':')) {
        if (argc < 2 || argv[1][0] == '-')
            return 0; /* the command says which subcommand it wants */
        if (!spec_subcommand(spec, argv[1], &opts, &len)) {
            sws_suggest_init(&sg, argv[1]);
            offer_words(&sg, spec, strlen(spec), 1, store, sizeof store);
            return sws_cli_usage_error(c->name, "no subcommand '%s'%s; see `sws %s --help`",
                                       argv[1], sws_suggest_hint(&sg, hint, sizeof hint),
                                       c->name);
        }
        first = 2;
    }
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        if (a[0] != '-' || !a[1] || (a[1] >= '0' && a[1] <= '9') || strcmp(a, "--help") == 0 ||
            strcmp(a, "-h") == 0)
            continue;
        size_t alen = strcspn(a, "=");
        int known = 0;
        for (const char *p = opts; p < opts + len && !known;) {
            while (p < opts + len && *p == ' ')
                p++;
            size_t wl = strcspn(p, " |");
            known = wl == alen && strncmp(p, a, alen) == 0;
            p += wl;
        }
        if (!known) {
            sws_suggest_init(&sg, a);
            offer_words(&sg, opts, len, 0, store, sizeof store);
            if (first == 2)
                return sws_cli_usage_error(c->name, "%s takes no option '%s'%s; see `sws %s "
                                           "--help`", argv[1], a,
                                           sws_suggest_hint(&sg, hint, sizeof hint), c->name);
            return sws_cli_usage_error(c->name, "no option '%s'%s; see `sws %s --help`", a,
                                       sws_suggest_hint(&sg, hint, sizeof hint), c->name);
        }
    }
    return 0;
}

/* Parses a whole number in [min, max] for a global option; 0, or prints the
 * accepted form and returns -1. */
static int parse_number(const char *opt, const char *s, long long min, long long max,
                        const char *unit, long long *out)
{
    const char *rule = sws_valid_int(s, min, max, out);
    if (!rule)
        return 0;
    fprintf(stderr, "sws: %s \"%s\": %s (%s from %lld to %lld)\n", opt, s, rule, unit, min, max);
    return -1;
}

/* Refuses database paths that cannot be a file the user means to keep. */
static int check_db_path(const char *path, const char *from)
{
    if (!path[0] || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) {
        fprintf(stderr, "sws: %s \"%s\" is not a database file: name a file, e.g. "
                        "--db city.db\n", from, path);
        return -1;
    }
    return 0;
}

/* The global options, with the nearest suggested for an unknown one. */
static const char *const global_options[] = {"--db", "--verbose", "--budget", "--hook-budget",
                                             "--memory", "--sql-memory", "--no-plugins",
                                             "--version", "--help", NULL};


int sws_cli_main(int argc, char **argv)
{
    sws_host_set_api(sws_lapi_open); /* the sws.* API of every host this run creates */
    sws_cli cli = {.db_path = getenv("SWS_DB")};
    const char *db_from = "$SWS_DB";
    if (!cli.db_path) {
        cli.db_path = "sws.db";
        db_from = "--db";
    }

    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            printf("sws %s (schema %d, %s, SQLite %s)\nshare folder: %s\n", SWS_VERSION,
                   sws_migration_count, LUA_RELEASE, sqlite3_libversion(), sws_home());
            return SWS_EXIT_OK;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            print_overview(stdout, 1);
            return SWS_EXIT_OK;
        } else if (strcmp(argv[i], "--no-plugins") == 0) {
            cli.no_plugins = 1;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            cli.verbose = 1;
        } else if ((strcmp(argv[i], "--budget") == 0 || strcmp(argv[i], "--hook-budget") == 0 ||
                    strcmp(argv[i], "--memory") == 0) && i + 1 < argc) {
            long long v;
            int memory = argv[i][2] == 'm';
            /* MiB are shifted into bytes: at most 1 TiB keeps that in range. */
            if (parse_number(argv[i], argv[i + 1], 1, memory ? 1048576 : LLONG_MAX,
                             memory ? "MiB" : "instructions", &v) < 0)
                return SWS_EXIT_USAGE;
            if (argv[i][2] == 'b')
                cli.budget = v;
            else if (argv[i][2] == 'h')
                cli.hook_budget = v;
            else
                cli.memory_mib = v;
            i++;
        } else if (strcmp(argv[i], "--sql-memory") == 0 && i + 1 < argc) {
            if (parse_number(argv[i], argv[i + 1], SWS_SQL_MEMORY_MIN_MIB, 1048576, "MiB",
                             &cli.sql_memory_mib) < 0)
                return SWS_EXIT_USAGE;
            i++;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            cli.db_path = argv[++i];
            db_from = "--db";
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            cli.db_path = argv[i] + 5;
            db_from = "--db";
        } else {
            sws_suggest sg;
            char hint[160];
            sws_suggest_init(&sg, argv[i]);
            for (int k = 0; global_options[k]; k++)
                sws_suggest_offer(&sg, global_options[k]);
            int needs_value = sws_suggest_best(&sg) == NULL && i + 1 >= argc;
            fprintf(stderr, "sws: %s '%s'%s; `sws --help` lists the options\n",
                    needs_value && (strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--budget") == 0 ||
                                    strcmp(argv[i], "--hook-budget") == 0 ||
                                    strcmp(argv[i], "--memory") == 0 ||
                                    strcmp(argv[i], "--sql-memory") == 0)
                        ? "missing value for option" : "unknown option",
                    argv[i], sws_suggest_hint(&sg, hint, sizeof hint));
            return SWS_EXIT_USAGE;
        }
    }
    if (check_db_path(cli.db_path, db_from) < 0)
        return SWS_EXIT_USAGE;
    const char *sql_memory = getenv("SWS_SQL_MEMORY");
    if (!cli.sql_memory_mib && sql_memory && sql_memory[0] &&
        parse_number("SWS_SQL_MEMORY", sql_memory, SWS_SQL_MEMORY_MIN_MIB, 1048576, "MiB",
                     &cli.sql_memory_mib) < 0)
        return SWS_EXIT_USAGE;
    sws_db_set_heap_limit(cli.sql_memory_mib ? cli.sql_memory_mib : SWS_SQL_MEMORY_DEFAULT_MIB);
    if (i >= argc) {
        print_overview(stderr, 1);
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
    } else if ((rc = check_options(c, argc - i, argv + i)) == 0) {
        rc = c->run(&cli, argc - i, argv + i);
    }
done:
    sws_host_free(cli.host);
    if (cli.db)
        sqlite3_close(cli.db);
    sws_re_clear_cache();
    return rc;
}
