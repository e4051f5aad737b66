/*
 * cli.h — the command-line frame: global options, the command table, help.
 *
 * `sws [--db PATH] [--verbose] COMMAND [ARGS…]`. Every command is one row of
 * the table in cli.c with its usage and help text; `sws help`, `sws help
 * COMMAND` and `sws COMMAND --help` print them. Handlers return an exit code
 * (SWS_EXIT_* of error.h).
 */
#ifndef SWS_CLI_H
#define SWS_CLI_H

#include <sqlite3.h>

#include "error.h"

typedef struct sws_host sws_host;

typedef struct sws_cli {
    const char *db_path;    /* --db, else $SWS_DB, else ./sws.db */
    int verbose;            /* --verbose: tracebacks and detail */
    long long budget;       /* --budget: instructions per `sws run` call (0: default) */
    long long hook_budget;  /* --hook-budget: instructions per policy/plugin call */
    long long memory_mib;   /* --memory: MiB per Lua state (0: default) */
    long long sql_memory_mib; /* --sql-memory: SQLite's heap limit in MiB (0: default) */
    int no_plugins;         /* --no-plugins: load no plugin */
    int may_create;         /* set by init and demo: the database may be created */
    int read_only;          /* set by commands that only read: opened read-only */
    sqlite3 *db;            /* opened on first use by sws_cli_db() */
    sws_host *host;         /* created on first use by sws_cli_host() */
} sws_cli;

typedef struct sws_command {
    const char *name;
    const char *summary; /* one line for `sws help` */
    const char *usage;   /* arguments after the command name */
    const char *help;    /* the rest of `sws COMMAND --help` */
    int (*run)(sws_cli *cli, int argc, char **argv); /* argv[0] is the command name */
    /* The options the command accepts, checked before it runs (anything
     * else is refused with the nearest known option suggested): "--a --b",
     * or per subcommand "sub1: --a --b | sub2: | sub3: --c". NULL: the
     * command checks its own words (it takes free arguments). */
    const char *options;
} sws_command;

/* Runs the whole CLI; returns the process exit code. */
int sws_cli_main(int argc, char **argv);

/* Opens the database on first use: created and migrated when cli->may_create
 * (init, demo), else it must exist; read-only when cli->read_only. NULL
 * after printing why. */
sqlite3 *sws_cli_db(sws_cli *cli);

/* Creates the Lua host on first use, on the database, with the plugins
 * loaded (failures reported on stderr); NULL after printing why. */
sws_host *sws_cli_host(sws_cli *cli);

/* A host for the budgets and options of cli, without plugins, on db. */
sws_host *sws_cli_new_host(const sws_cli *cli, sqlite3 *db);

/* The same with another home (a folder with policies/ and plugins/). */
sws_host *sws_cli_new_host_at(const sws_cli *cli, sqlite3 *db, const char *home);

/* Prints "sws COMMAND: message" to stderr and returns SWS_EXIT_USAGE. */
int sws_cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The processes of `--jobs VALUE` (1 to 8; NULL: the CPUs, at most 8) in
 * *jobs; 0, or the usage error's exit status. */
int sws_cli_jobs(const char *command, const char *value, int *jobs);

/* Prints "sws: message" to stderr and returns SWS_EXIT_ERROR. */
int sws_cli_fail(const sws_error *e);

/* The folder that holds the shipped data/, plugins/ and policies/:
 * $SWS_HOME if set, else share/sws of the prefix the executable is installed
 * in (BIN/../share/sws), else the build tree's share/sws beside the
 * executable (links to the source folders, made by CMake). */
const char *sws_home(void);

/* Command handlers (one file each: cmd_<name>.c). */
int sws_cmd_init(sws_cli *cli, int argc, char **argv);
int sws_cmd_import(sws_cli *cli, int argc, char **argv);
int sws_cmd_generate(sws_cli *cli, int argc, char **argv);
int sws_cmd_demo(sws_cli *cli, int argc, char **argv);
int sws_cmd_summary(sws_cli *cli, int argc, char **argv);
int sws_cmd_run(sws_cli *cli, int argc, char **argv);
int sws_cmd_test(sws_cli *cli, int argc, char **argv);
int sws_cmd_plugin(sws_cli *cli, int argc, char **argv);
int sws_cmd_policy(sws_cli *cli, int argc, char **argv);
int sws_cmd_workflow(sws_cli *cli, int argc, char **argv);
int sws_cmd_eval(sws_cli *cli, int argc, char **argv);
int sws_cmd_check(sws_cli *cli, int argc, char **argv);
int sws_cmd_job(sws_cli *cli, int argc, char **argv);
int sws_cmd_doctor(sws_cli *cli, int argc, char **argv);
int sws_cmd_report(sws_cli *cli, int argc, char **argv);
int sws_cmd_audit(sws_cli *cli, int argc, char **argv);
int sws_cmd_privacy(sws_cli *cli, int argc, char **argv);
int sws_cmd_cron(sws_cli *cli, int argc, char **argv);
int sws_cmd_serve(sws_cli *cli, int argc, char **argv);
int sws_cmd_ctl(sws_cli *cli, int argc, char **argv);

/* The Lua test runner (cmd_test.c), for `sws test` and `sws policy test`:
 * called with each test file's host after its tests ran, before it is freed. */
typedef void (*sws_test_after)(sws_host *h, void *ud);

/* Runs the *_test.lua files at (or below) each path inside the host;
 * prints one line per test. */
void sws_test_run_paths(const sws_cli *cli, char **paths, int n, sws_test_after after, void *ud,
                        int *passed, int *failed);

#endif
