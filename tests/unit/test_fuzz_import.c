/*
 * test_fuzz_import.c — random files thrown at the importer.
 *
 * A fixed-seed generator writes files mixing the bytes that matter to a CSV
 * reader and to the validators (commas, quotes, CR and LF, digits, Chinese,
 * broken UTF-8, GBK, NUL, very long fields) under a valid header. Whatever
 * comes in, the import must end with a result or an error (never a crash or
 * a sanitizer report), must not store anything when it refuses the file, and
 * must count every data record it read as imported or rejected.
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
#include "import.h"
#include "testutil.h"

static uint64_t seed = 0x5EED5EED12345678ull;

static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

/* Appends one random piece of CSV-ish text to f. */
static void piece(FILE *f)
{
    static const char *const pieces[] = {
        ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", "330302", "330302006", "330302006001",
        "五马街道", "街道", "\xce\xc2\xd6\xdd" /* GBK */, "\xe4\xb8" /* cut UTF-8 */,
        "\xc0\xaf" /* overlong */, " ", "\t", "x", "-1", "1e9", "99999999999999999999",
        "2022-02-29", "2020-02-29", "\xef\xbb\xbf" /* BOM */, "=cmd|' /C calc'!A0",
    };
    uint64_t r = rnd() % 40;
    if (r < sizeof pieces / sizeof pieces[0]) {
        fputs(pieces[r], f);
    } else if (r == 39) {
        for (int i = 0; i < 5000; i++) /* a very long field */
            fputc('a' + (int)(rnd() % 26), f);
    } else if (r == 38) {
        fputc('\0', f);
    } else {
        fputc((int)(rnd() % 256), f);
    }
}

static void random_files_never_break_the_importer(void **state)
{
    (void)state;
    char *dir = tu_mkdtemp();
    assert_non_null(dir);
    char dbpath[4096], csv[4096];
    sqlite3 *db;
    sws_error e;
    assert_int_equal(sws_db_open(tu_path(dbpath, sizeof dbpath, dir, "x.db"), &db, &e), 0);
    assert_int_equal(sws_db_exec(db, "INSERT INTO county VALUES('330302', '鹿城区', NULL, NULL)",
                                 &e), 0);
    const sws_import_kind *k = sws_import_find("townships");
    tu_path(csv, sizeof csv, dir, "in.csv");
    for (int round = 0; round < 400; round++) {
        FILE *f = fopen(csv, "wb");
        assert_non_null(f);
        fputs(round % 2 ? "code,name,county_code,population\n" : "code,name,county_code\n", f);
        int n = (int)(rnd() % 200);
        for (int i = 0; i < n; i++)
            piece(f);
        fclose(f);

        long long before = sws_db_count(db, "SELECT count(*) FROM township");
        FILE *diag = fopen("/dev/null", "w");
        sws_import_opts o = {.diag = diag};
        sws_import_result res;
        int rc = sws_import_file(db, k, csv, &o, &res, &e);
        fclose(diag);
        long long after = sws_db_count(db, "SELECT count(*) FROM township");
        assert_true(rc == 0 || rc == -1);
        if (rc < 0)
            assert_true(after == before); /* refused: nothing stored */
        else
            assert_int_equal(res.imported + res.rejected, res.rows);
        assert_int_equal(sqlite3_get_autocommit(db), 1); /* no transaction left open */
    }
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(db);
    tu_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_files_never_break_the_importer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
