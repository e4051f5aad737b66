/*
 * test_workers.c — chunks shared among worker processes (workers.h): every
 * chunk runs exactly once, in the caller or in a worker; a worker reads the
 * caller's transaction and cannot write; a worker's error and a worker's
 * death come back to the caller as errors; one process needs no worker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "testutil.h"
#include "workers.h"

#define CHUNKS 40

typedef struct fixture {
    char *dir;
    sqlite3 *db, *other; /* the caller's connection, and another process's */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char path[4096];
    sws_error e;
    if (!f || !(f->dir = tu_mkdtemp()))
        return -1;
    tu_path(path, sizeof path, f->dir, "w.db");
    if (sws_db_open(path, &f->db, &e) < 0 ||
        sws_db_exec(f->db, "CREATE TABLE t(x); INSERT INTO t VALUES(7)", &e) < 0 ||
        sws_db_open(path, &f->other, &e) < 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    sqlite3_close(f->db);
    sqlite3_close(f->other);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* The value of t, read by this process. */
static long long seen(sqlite3 *db) { return sws_db_count(db, "SELECT x FROM t"); }

/* The chunks a worker ran, added to the set at ud. */
static int read_chunks(FILE *in, void *ud, sws_error *e)
{
    int *ran = ud;
    long long k;
    while (sws_workers_get_int(in, &k) == 0) {
        if (k < 0 || k >= CHUNKS)
            return sws_errorf(e, "chunk %lld", k);
        ran[k]++;
    }
    return 0;
}

/* Runs every chunk in jobs processes inside a read transaction; each chunk
 * is counted once where it ran. A change committed by another connection
 * after the transaction began is not seen by a worker, which may not write
 * either (else it fails). */
static void share(fixture *f, int jobs, int *ran, int *processes)
{
    sws_error e;
    assert_int_equal(sws_db_exec(f->db, "BEGIN", &e), 0);
    assert_int_equal(seen(f->db), 7);
    assert_int_equal(sws_db_exec(f->other, "UPDATE t SET x = 9", &e), 0);
    sws_workers *w = sws_workers_start(f->db, jobs, CHUNKS, &e);
    assert_non_null(w);
    char line[96];
    sws_workers_describe(w, line, sizeof line);
    *processes = atoi(strstr(line, ", ") + 2);
    int k;
    FILE *out = sws_workers_out(w);
    while ((k = sws_workers_next(w)) >= 0) {
        if (out)
            sws_workers_put_int(out, k);
        else
            ran[k]++;
        sws_workers_add_done(w, 1);
    }
    if (out) {
        /* a worker reads the caller's snapshot and may not write */
        if (seen(f->db) != 7 ||
            sqlite3_exec(f->db, "UPDATE t SET x = 8", NULL, NULL, NULL) != SQLITE_READONLY)
            sws_workers_exit(w, "the worker saw other data, or wrote");
        sws_workers_exit(w, NULL);
    }
    assert_int_equal(sws_workers_finish(w, read_chunks, ran, &e), 0);
    assert_int_equal(sws_db_exec(f->db, "COMMIT", &e), 0);
    assert_int_equal(seen(f->db), 9);
    assert_int_equal(sws_db_exec(f->other, "UPDATE t SET x = 7", &e), 0);
}

static void every_chunk_once(void **state)
{
    fixture *f = *state;
    for (int jobs = 1; jobs <= 4; jobs++) {
        int ran[CHUNKS] = {0}, processes;
        share(f, jobs, ran, &processes);
        assert_int_equal(processes, jobs);
        for (int k = 0; k < CHUNKS; k++)
            assert_int_equal(ran[k], 1);
    }
    /* never more processes than chunks, nor than eight */
    int ran[CHUNKS] = {0}, processes;
    share(f, 20, ran, &processes);
    assert_int_equal(processes, 8);
    assert_int_equal(seen(f->db), 7); /* no worker wrote */
    assert_int_equal(seen(f->other), 7);
}

static int read_nothing(FILE *in, void *ud, sws_error *e)
{
    (void)in;
    (void)ud;
    (void)e;
    return 0;
}

/* A worker's error, and a worker's death, reach the caller. */
static void failures_come_back(void **state)
{
    fixture *f = *state;
    sws_error e;
    for (int how = 0; how < 2; how++) {
        sws_workers *w = sws_workers_start(f->db, 2, 2, &e);
        assert_non_null(w);
        if (sws_workers_out(w)) {
            if (how == 1)
                raise(SIGKILL);
            sws_workers_exit(w, "chunk 1: no such table: nowhere");
        }
        memset(&e, 0, sizeof e);
        assert_int_equal(sws_workers_finish(w, read_nothing, NULL, &e), -1);
        assert_non_null(strstr(e.msg, how ? "stopped by signal 9" : "no such table: nowhere"));
    }
    /* the caller's own failure stops the claims */
    sws_workers *w = sws_workers_start(f->db, 1, 3, &e);
    assert_int_equal(sws_workers_next(w), 0);
    sws_workers_stop(w);
    assert_int_equal(sws_workers_next(w), -1);
    assert_int_equal(sws_workers_finish(w, read_nothing, NULL, &e), 0);
}

/* The values of a result stream come back as written. */
static void stream_values(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    sws_workers_put_str(f, "温州 ok");
    sws_workers_put_str(f, NULL);
    sws_workers_put_str(f, "");
    sws_workers_put_int(f, -42);
    sws_workers_put_num(f, 99.9);
    rewind(f);
    char *s;
    long long i;
    double d;
    assert_int_equal(sws_workers_get_str(f, &s), 0);
    assert_string_equal(s, "温州 ok");
    free(s);
    assert_int_equal(sws_workers_get_str(f, &s), 0);
    assert_null(s);
    assert_int_equal(sws_workers_get_str(f, &s), 0);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(sws_workers_get_int(f, &i), 0);
    assert_int_equal(i, -42);
    assert_int_equal(sws_workers_get_num(f, &d), 0);
    assert_true(d == 99.9);
    assert_int_equal(sws_workers_get_int(f, &i), -1); /* the end */
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(every_chunk_once, setup, teardown),
        cmocka_unit_test_setup_teardown(failures_come_back, setup, teardown),
        cmocka_unit_test(stream_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
