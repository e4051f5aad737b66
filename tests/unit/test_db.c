/*
 * test_db.c — opening the database and its migrations (db.h): a new file
 * reaches the newest schema in WAL mode with foreign keys on; an older file
 * is upgraded in place keeping its data; a newer one is refused; a failed
 * migration leaves nothing behind; the workflow audit trail is append-only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "testutil.h"

typedef struct fixture {
    char *dir;
    char path[4096];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !(f->dir = tu_mkdtemp())) {
        free(f);
        return -1;
    }
    tu_path(f->path, sizeof f->path, f->dir, "sws.db");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* Opens the fixture's database migrated, failing the test if it cannot. */
static sqlite3 *open_db(const fixture *f)
{
    sqlite3 *db = NULL;
    sws_error e;
    if (sws_db_open(f->path, &db, &e) < 0)
        fail_msg("sws_db_open: %s", e.msg);
    assert_non_null(db);
    return db;
}

/* Returns the text of the first column of SQL's first row (static buffer). */
static const char *text_of(sqlite3 *db, const char *sql)
{
    static char out[256];
    sqlite3_stmt *st;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

/* Runs SQL expecting success. */
static void exec_ok(sqlite3 *db, const char *sql)
{
    sws_error e;
    if (sws_db_exec(db, sql, &e) < 0)
        fail_msg("%s: %s", sql, e.msg);
}

static long long table_count(sqlite3 *db, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
    return sws_db_count(db, sql);
}

static void fresh_database_is_current(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    assert_true(sws_migration_count >= 4);
    assert_int_equal(sws_db_schema_version(db), sws_migration_count);
    assert_string_equal(text_of(db, "PRAGMA journal_mode"), "wal");
    assert_int_equal(sws_db_count(db, "PRAGMA foreign_keys"), 1);
    /* one table from each migration exists */
    static const char *const tables[] = {"county",         "station_room",     "worker",
                                         "service_record", "evaluation_score", "workflow_event",
                                         "job_run",        "job_schedule",     "county_report"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
                 tables[i]);
        if (sws_db_count(db, sql) != 1)
            fail_msg("table %s missing", tables[i]);
    }
    sqlite3_close(db);

    /* opening it again changes nothing */
    db = open_db(f);
    assert_int_equal(sws_db_schema_version(db), sws_migration_count);
    sqlite3_close(db);
}

static void foreign_keys_enforced(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    sws_error e;
    /* a township whose county does not exist */
    assert_int_equal(sws_db_exec(db,
                                 "INSERT INTO township(code, county_code, name) "
                                 "VALUES('330302006', '330302', '五马街道')",
                                 &e),
                     -1);
    assert_non_null(strstr(e.msg, "FOREIGN KEY"));
    assert_int_equal(sqlite3_extended_errcode(db), SQLITE_CONSTRAINT_FOREIGNKEY);
    assert_int_equal(table_count(db, "township"), 0);

    exec_ok(db, "INSERT INTO county(code, name) VALUES('330302', '鹿城区')");
    exec_ok(db, "INSERT INTO township(code, county_code, name) "
                "VALUES('330302006', '330302', '五马街道')");
    /* a county still referred to cannot go */
    assert_int_equal(sws_db_exec(db, "DELETE FROM county WHERE code = '330302'", &e), -1);
    assert_int_equal(table_count(db, "county"), 1);
    /* a station needs its township */
    assert_int_equal(
        sws_db_exec(db, "INSERT INTO station(code, name) VALUES('330302999', 'x')", &e), -1);
    sqlite3_close(db);
}

static void upgrade_in_place_keeps_data(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    sws_error e;
    assert_int_equal(sws_db_open_raw(f->path, &db, &e), 0);
    assert_int_equal(sws_db_schema_version(db), 0);
    assert_int_equal(sws_db_migrate(db, 1, &e), 0);
    assert_int_equal(sws_db_schema_version(db), 1);
    /* migration 2's tables are not there yet */
    assert_int_equal(sws_db_count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'worker'"),
                     0);
    exec_ok(db, "INSERT INTO county(code, name, city_code) VALUES('330302', '鹿城区', '3303')");
    sqlite3_close(db);

    db = open_db(f);
    assert_int_equal(sws_db_schema_version(db), sws_migration_count);
    assert_string_equal(text_of(db, "SELECT name FROM county WHERE code = '330302'"), "鹿城区");
    assert_int_equal(table_count(db, "county"), 1);
    assert_int_equal(table_count(db, "worker"), 0); /* a later migration's table now exists */
    sqlite3_close(db);
}

static void migrate_step_by_step(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    sws_error e;
    assert_int_equal(sws_db_open_raw(f->path, &db, &e), 0);
    for (int v = 1; v <= sws_migration_count; v++) {
        assert_int_equal(sws_db_migrate(db, v, &e), 0);
        assert_int_equal(sws_db_schema_version(db), v);
    }
    /* a target beyond this build stops at the newest; a lower one does nothing */
    assert_int_equal(sws_db_migrate(db, sws_migration_count + 5, &e), 0);
    assert_int_equal(sws_db_schema_version(db), sws_migration_count);
    assert_int_equal(sws_db_migrate(db, 1, &e), 0);
    assert_int_equal(sws_db_schema_version(db), sws_migration_count);
    sqlite3_close(db);
}

static void newer_database_refused(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    exec_ok(db, "INSERT INTO county(code, name) VALUES('330302', '鹿城区')");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", sws_migration_count + 1);
    exec_ok(db, sql);
    sqlite3_close(db);

    sws_error e = {{0}};
    db = (sqlite3 *)&e; /* must be reset to NULL */
    assert_int_equal(sws_db_open(f->path, &db, &e), -1);
    assert_null(db);
    if (!strstr(e.msg, "newer"))
        fail_msg("message does not say newer: %s", e.msg);
    assert_non_null(strstr(e.msg, f->path));

    /* the file is left as it was */
    assert_int_equal(sws_db_open_raw(f->path, &db, &e), 0);
    assert_int_equal(sws_db_schema_version(db), sws_migration_count + 1);
    assert_int_equal(sws_db_migrate(db, sws_migration_count, &e), -1);
    assert_non_null(strstr(e.msg, "newer"));
    assert_int_equal(table_count(db, "county"), 1);
    sqlite3_close(db);
}

static void failed_migration_rolls_back(void **state)
{
    fixture *f = *state;
    sqlite3 *db = NULL;
    sws_error e;
    /* a stray table in the way makes migration 1 fail part-way (after meta) */
    assert_int_equal(sws_db_open_raw(f->path, &db, &e), 0);
    exec_ok(db, "CREATE TABLE county(x)");
    sqlite3_close(db);

    db = (sqlite3 *)&e;
    assert_int_equal(sws_db_open(f->path, &db, &e), -1);
    assert_null(db);
    assert_non_null(strstr(e.msg, "migration 1"));

    assert_int_equal(sws_db_open_raw(f->path, &db, &e), 0);
    assert_int_equal(sws_db_schema_version(db), 0);
    assert_int_equal(sws_db_count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'"), 0);
    sqlite3_close(db);
}

static void audit_trail_is_append_only(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    exec_ok(db, "INSERT INTO county(code, name) VALUES('330302', '鹿城区');"
                "INSERT INTO township(code, county_code, name) "
                "  VALUES('330302006', '330302', '五马街道');"
                "INSERT INTO workflow_instance(station_code, policy_name, policy_version, stage, "
                "  started, updated) VALUES('330302006', 'default', '1', 'proposal', "
                "  '2022-01-01', '2022-01-01');"
                "INSERT INTO workflow_event(station_code, time, actor, action, to_stage) "
                "  VALUES('330302006', '2022-01-01T08:00', 'county', 'start', 'proposal');"
                "INSERT INTO workflow_event(station_code, time, actor, action, from_stage, "
                "  to_stage) VALUES('330302006', '2022-02-01T08:00', 'city', 'approve', "
                "  'proposal', 'plan');");
    sws_error e;
    assert_int_equal(sws_db_exec(db, "UPDATE workflow_event SET actor = 'someone else'", &e), -1);
    assert_non_null(strstr(e.msg, "append-only"));
    assert_int_equal(sws_db_exec(db, "DELETE FROM workflow_event WHERE id = 1", &e), -1);
    assert_non_null(strstr(e.msg, "append-only"));
    assert_int_equal(sws_db_exec(db, "DELETE FROM workflow_event", &e), -1);
    assert_int_equal(table_count(db, "workflow_event"), 2);
    assert_string_equal(text_of(db, "SELECT actor FROM workflow_event WHERE id = 1"), "county");
    /* appending still works */
    exec_ok(db, "INSERT INTO workflow_event(station_code, time, actor, action) "
                "VALUES('330302006', '2022-03-01T08:00', 'county', 'note')");
    assert_int_equal(table_count(db, "workflow_event"), 3);
    sqlite3_close(db);
}

static void meta_and_helpers(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    sws_error e;
    assert_null(sws_db_meta_get(db, "origin"));
    assert_int_equal(sws_db_meta_set(db, "origin", "demo", &e), 0);
    assert_int_equal(sws_db_meta_set(db, "origin", "real", &e), 0); /* replaces */
    char *v = sws_db_meta_get(db, "origin");
    assert_non_null(v);
    assert_string_equal(v, "real");
    free(v);
    assert_int_equal(table_count(db, "meta"), 1);

    assert_int_equal(sws_db_count(db, "SELECT 42"), 42);
    assert_int_equal(sws_db_count(db, "SELECT 1 WHERE 0"), 0);
    assert_int_equal(sws_db_count(db, "SELECT nonsense FROM nowhere"), -1);

    sqlite3_stmt *st = NULL;
    assert_int_equal(sws_db_prepare(db, "SELEKT 1", &st, &e), -1);
    assert_null(st);
    assert_non_null(strstr(e.msg, "SELEKT"));
    sqlite3_close(db);
}

/* The details of SQL's query plan, joined by "; " (static buffer). */
static const char *plan_of(sqlite3 *db, const char *sql)
{
    static char out[1024];
    char explain[1024];
    snprintf(explain, sizeof explain, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t n = strlen(out);
        snprintf(out + n, sizeof out - n, "%s; ", (const char *)sqlite3_column_text(st, 3));
    }
    sqlite3_finalize(st);
    return out;
}

/* Each query of queries ({sql, index}) reads a range of the named index,
 * without a sort. */
static void assert_covered_ranges(sqlite3 *db, const char *const (*queries)[2], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *plan = plan_of(db, queries[i][0]);
        if (!strstr(plan, queries[i][1]) || !strstr(plan, "<?"))
            fail_msg("%s: plan '%s' does not use %s on a range", queries[i][0], plan,
                     queries[i][1]);
        if (strstr(plan, "TEMP B-TREE"))
            fail_msg("%s: plan '%s' sorts", queries[i][0], plan);
    }
}

/* The year's training, working time and volunteer hours of one worker or
 * volunteer are read from an index alone, within the year's range. */
static void hours_read_from_covering_indexes(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    static const char *const queries[][2] = {
        {"SELECT sum(hours) FROM training WHERE worker_code = 'W1' "
         "AND date BETWEEN '2022-01-01' AND '2022-12-31'",
         "COVERING INDEX training_worker"},
        {"SELECT sum(total_hours), sum(community_hours) FROM worktime WHERE worker_code = 'W1' "
         "AND month BETWEEN '2022-00' AND '2022-19'",
         "COVERING INDEX worktime_hours"},
        {"SELECT sum(hours) FROM volunteer_service WHERE volunteer_code = 'V1' "
         "AND date BETWEEN '2022-01-01' AND '2022-12-31'",
         "COVERING INDEX volunteer_service_volunteer"},
    };
    assert_covered_ranges(db, queries, sizeof queries / sizeof queries[0]);
    sqlite3_close(db);
}

/* A chunk's budget lines, rooms and resident workers are read from an index
 * alone over the chunk's station range, in the index's order: the budget
 * lines grouped by category as the city's `funding` aggregate groups them
 * (the year as a range), the workers by station and code. */
static void station_reads_from_covering_indexes(void **state)
{
    fixture *f = *state;
    sqlite3 *db = open_db(f);
    static const char *const queries[][2] = {
        {"SELECT station_code, category, sum(budget), sum(spent) FROM funding "
         "WHERE year BETWEEN 2022 AND 2022 AND station_code BETWEEN '330302001' AND '330302999' "
         "GROUP BY station_code, year, category",
         "COVERING INDEX funding_station_year"},
        {"SELECT station_code, kind, area_m2 FROM station_room "
         "WHERE station_code BETWEEN '330302001' AND '330302999'",
         "COVERING INDEX station_room_kinds"},
        {"SELECT station_code, code, birth_date, qualification, engaged_by FROM worker "
         "WHERE role = 'resident' AND (hired IS NULL OR hired <= '2022-12-31') "
         "AND (left_on IS NULL OR left_on > '2022-12-31') "
         "AND station_code BETWEEN '330302001' AND '330302999' ORDER BY station_code, code",
         "COVERING INDEX worker_station"},
    };
    assert_covered_ranges(db, queries, sizeof queries / sizeof queries[0]);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fresh_database_is_current, setup, teardown),
        cmocka_unit_test_setup_teardown(foreign_keys_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(upgrade_in_place_keeps_data, setup, teardown),
        cmocka_unit_test_setup_teardown(migrate_step_by_step, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_database_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_migration_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(audit_trail_is_append_only, setup, teardown),
        cmocka_unit_test_setup_teardown(meta_and_helpers, setup, teardown),
        cmocka_unit_test_setup_teardown(hours_read_from_covering_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(station_reads_from_covering_indexes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
