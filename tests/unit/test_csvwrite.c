/*
 * test_csvwrite.c — CSV cells a spreadsheet cannot run (csvwrite.h): a cell
 * starting with =, +, -, @, a tab or a carriage return gets a leading
 * apostrophe inside its quotes; plain numbers and text are written as they
 * are; personal-data files are created 0600.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvwrite.h"

/* What sws_csv_put writes for s. */
static const char *put(const char *s, char *out, size_t n)
{
    FILE *f = fmemopen(out, n, "w");
    assert_non_null(f);
    assert_int_equal(sws_csv_put(f, s), 0);
    fclose(f);
    return out;
}

static void formulas_are_neutralized(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(put("=HYPERLINK(\"http://x\",\"y\")", out, sizeof out),
                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    assert_string_equal(put("+1+2", out, sizeof out), "\"'+1+2\"");
    assert_string_equal(put("-2+3", out, sizeof out), "\"'-2+3\"");
    assert_string_equal(put("@SUM(A1)", out, sizeof out), "\"'@SUM(A1)\"");
    assert_string_equal(put("\tcmd", out, sizeof out), "\"'\tcmd\"");
    assert_string_equal(put("\rcmd", out, sizeof out), "\"'\rcmd\"");
}

static void plain_cells_are_unchanged(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(put("-5", out, sizeof out), "\"-5\"");
    assert_string_equal(put("-0.25", out, sizeof out), "\"-0.25\"");
    assert_string_equal(put("温州 a=b", out, sizeof out), "\"温州 a=b\"");
    assert_int_equal(sws_csv_is_formula("-"), 1);
    assert_int_equal(sws_csv_is_formula("-1."), 1);
    assert_int_equal(sws_csv_is_formula(""), 0);
}

/* What sws_csv_cell makes of s (the cell sws.csv.cell returns to Lua). */
static const char *cell(const char *s, char *out)
{
    size_t n = sws_csv_cell(s, strlen(s), out);
    out[n] = '\0';
    return out;
}

static void cells_in_memory_quote_only_when_needed(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(cell("温州", out), "温州");
    assert_string_equal(cell("a,b", out), "\"a,b\"");
    assert_string_equal(cell("say \"hi\"", out), "\"say \"\"hi\"\"\"");
    assert_string_equal(cell("=1+1", out), "'=1+1");
    assert_string_equal(cell("=A1,\"x\"", out), "\"'=A1,\"\"x\"\"\"");
    assert_string_equal(cell("\rcmd", out), "\"'\rcmd\"");
    assert_string_equal(cell("-5", out), "-5");
    assert_string_equal(cell("-x", out), "'-x");
    assert_string_equal(cell("", out), "");
}

static void private_files_are_0600(void **state)
{
    (void)state;
    char path[] = "/tmp/sws-test-csvwrite-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fchmod(fd, 0644); /* an existing, readable file is narrowed too */
    close(fd);
    mode_t old = umask(0);
    FILE *f = sws_csv_create_private(path);
    umask(old);
    assert_non_null(f);
    fclose(f);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formulas_are_neutralized),
        cmocka_unit_test(plain_cells_are_unchanged),
        cmocka_unit_test(cells_in_memory_quote_only_when_needed),
        cmocka_unit_test(private_files_are_0600),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
