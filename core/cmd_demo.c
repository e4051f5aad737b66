/*
 * cmd_demo.c — `sws demo`: the main job on the shipped Wenzhou data.
 *
 * It loads the real divisions, generates synthetic data for every station
 * (see gen.c), imports it through the same validated path as any user file,
 * and prints the summary. It only ever writes into a new database or one
 * that an earlier demo made (marked in `meta`), never over real data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "gen.h"
#include "import.h"
#include "summary.h"

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
    char counties[4096], townships[4096], path[4096];
    snprintf(counties, sizeof counties, "%s/data/wenzhou_counties.csv", sws_home());
    snprintf(townships, sizeof townships, "%s/data/wenzhou_townships.csv", sws_home());

    if (fresh_database(cli, &e) < 0)
        return sws_cli_fail(&e);
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    if (sws_db_meta_set(db, "origin", "demo", &e) < 0)
        return sws_cli_fail(&e);

    sws_gen_opts go = {.townships_csv = townships, .out_dir = out, .services = -1,
                       .year = 2022, .seed = 1};
    sws_gen_counts gc;
    if (sws_generate(&go, &gc, &e) < 0)
        return sws_cli_fail(&e);
    printf("sws demo: Wenzhou (温州市), synthetic data for %ld stations written to %s/\n\n"
           "Importing\n", gc.stations, out);
    if (import_one(db, "counties", counties, &e) < 0 ||
        import_one(db, "townships", townships, &e) < 0)
        return sws_cli_fail(&e);
    for (int i = 0; sws_gen_kinds[i]; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", out, sws_gen_kinds[i]);
        if (import_one(db, sws_gen_kinds[i], path, &e) < 0)
            return sws_cli_fail(&e);
    }
    printf("\n");
    if (sws_summary_print(db, stdout, 0, &e) < 0)
        return sws_cli_fail(&e);
    printf("\nDatabase: %s\n", cli->db_path);
    return SWS_EXIT_OK;
}
