/*
 * test_csv.c — reading CSV files record by record (csvread.h): BOM, CRLF,
 * quoting, records that span lines (numbered by their first line), blank
 * lines, malformed records reported with recovery, GBK lines, and files
 * that end early.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "testutil.h"

/* A whole file read back: every record with its line, fields and problem. */
#define MAX_RECORDS 16
#define MAX_FIELDS 8

typedef struct record {
    long line;
    size_t n;
    char field[MAX_FIELDS][64];
    char problem[200];
} record;

typedef struct parsed {
    record r[MAX_RECORDS];
    int n;
    long lines;
    long long bytes, size;
} parsed;

static char *scratch; /* the group's scratch folder */

/* Writes content to a file and reads it all with sws_csv; fails the test on an I/O error. */
static void parse(const char *content, parsed *p)
{
    char path[4096];
    tu_path(path, sizeof path, scratch, "t.csv");
    assert_int_equal(tu_write(path, content), 0);
    memset(p, 0, sizeof *p);
    sws_error e;
    sws_csv *c = sws_csv_open(path, &e);
    assert_non_null(c);
    sws_csv_row row;
    int rc;
    while ((rc = sws_csv_next(c, &row, &e)) == 1) {
        assert_true(p->n < MAX_RECORDS);
        record *r = &p->r[p->n++];
        r->line = row.line;
        r->n = row.n;
        for (size_t i = 0; i < row.n && i < MAX_FIELDS; i++) {
            assert_int_equal(strlen(row.field[i]), row.len[i]);
            snprintf(r->field[i], sizeof r->field[i], "%s", row.field[i]);
        }
        if (row.problem)
            snprintf(r->problem, sizeof r->problem, "%s", row.problem);
    }
    assert_int_equal(rc, 0);
    /* after the end, it stays at the end */
    assert_int_equal(sws_csv_next(c, &row, &e), 0);
    p->lines = sws_csv_lines(c);
    p->bytes = sws_csv_bytes_read(c);
    p->size = sws_csv_size(c);
    sws_csv_close(c);
}

/* Asserts one record's line and fields (NULL-terminated list), and no problem. */
static void expect_record(const record *r, long line, ...)
{
    assert_int_equal(r->line, line);
    if (r->problem[0])
        fail_msg("line %ld: unexpected problem: %s", line, r->problem);
    va_list ap;
    va_start(ap, line);
    size_t i = 0;
    for (const char *want; (want = va_arg(ap, const char *)) != NULL; i++) {
        assert_true(i < r->n);
        assert_string_equal(r->field[i], want);
    }
    va_end(ap);
    assert_int_equal(r->n, i);
}

/* Asserts that a record is flagged with a problem mentioning each given word. */
static void expect_problem(const record *r, long line, const char *w1, const char *w2)
{
    assert_int_equal(r->line, line);
    if (!r->problem[0])
        fail_msg("line %ld: no problem reported", line);
    if (!strstr(r->problem, w1) || (w2 && !strstr(r->problem, w2)))
        fail_msg("line %ld: problem \"%s\" lacks \"%s\"/\"%s\"", line, r->problem, w1,
                 w2 ? w2 : "");
}

static void plain_lf(void **state)
{
    (void)state;
    parsed p;
    parse("code,name,county_code\n330302006,五马街道,330302\n330302023,七都街道,330302\n", &p);
    assert_int_equal(p.n, 3);
    expect_record(&p.r[0], 1, "code", "name", "county_code", NULL);
    expect_record(&p.r[1], 2, "330302006", "五马街道", "330302", NULL);
    expect_record(&p.r[2], 3, "330302023", "七都街道", "330302", NULL);
    assert_int_equal(p.lines, 3);
    assert_true(p.size > 0);
    assert_int_equal(p.bytes, p.size);
}

static void bom_and_crlf(void **state)
{
    (void)state;
    parsed p;
    parse("\xEF\xBB\xBF" "code,name\r\n330302,\"鹿城区\"\r\n330303,龙湾区\r\n", &p);
    assert_int_equal(p.n, 3);
    /* the byte order mark is not part of the first column's name */
    expect_record(&p.r[0], 1, "code", "name", NULL);
    /* no carriage return is left on the last field, quoted or not */
    expect_record(&p.r[1], 2, "330302", "鹿城区", NULL);
    expect_record(&p.r[2], 3, "330303", "龙湾区", NULL);
    assert_int_equal(p.bytes, p.size);
}

static void bom_only_at_the_start(void **state)
{
    (void)state;
    parsed p;
    /* EF BB BF on a later line is the character U+FEFF inside a value: kept */
    parse("a\n\xEF\xBB\xBFx\n", &p);
    assert_int_equal(p.n, 2);
    expect_record(&p.r[1], 2, "\xEF\xBB\xBFx", NULL);
}

static void quoting(void **state)
{
    (void)state;
    parsed p;
    parse("a,b,c,d\n"
          "\"五马街道, 鹿城区\",\"say \"\"hi\"\"\",\"\",plain\n"
          "\"\"\"\",\",\", x ,\" y \"\n", &p);
    assert_int_equal(p.n, 3);
    expect_record(&p.r[1], 2, "五马街道, 鹿城区", "say \"hi\"", "", "plain", NULL);
    /* unquoted values are trimmed, quoted ones kept as written */
    expect_record(&p.r[2], 3, "\"", ",", "x", " y ", NULL);
}

static void embedded_newlines(void **state)
{
    (void)state;
    parsed p;
    parse("code,address,note\n"
          "1,\"温州市\n鹿城区\n五马街\",x\n"        /* lines 2-4 */
          "2,one line,y\n"                         /* line 5 */
          "3,\"a\r\nb\",z\r\n"                     /* lines 6-7, CRLF inside quotes */
          "4,last,w\n", &p);                       /* line 8 */
    assert_int_equal(p.n, 5);
    expect_record(&p.r[1], 2, "1", "温州市\n鹿城区\n五马街", "x", NULL);
    expect_record(&p.r[2], 5, "2", "one line", "y", NULL);
    expect_record(&p.r[3], 6, "3", "a\r\nb", "z", NULL);
    expect_record(&p.r[4], 8, "4", "last", "w", NULL);
    assert_int_equal(p.lines, 8);
}

static void blank_lines_skipped(void **state)
{
    (void)state;
    parsed p;
    parse("a,b\n\n\n1,2\n   \n\t\r\n3,4\n\n", &p);
    assert_int_equal(p.n, 3);
    expect_record(&p.r[0], 1, "a", "b", NULL);
    expect_record(&p.r[1], 4, "1", "2", NULL);
    expect_record(&p.r[2], 7, "3", "4", NULL);
    assert_int_equal(p.lines, 8);
}

static void malformed_quoting_recovers(void **state)
{
    (void)state;
    parsed p;
    parse("h1,h2\n"
          "ok,1\n"
          "bad\"x,2\n"          /* a quote inside an unquoted field */
          "\"q\"z,3\n"          /* text after a closing quote */
          "fine,4\n"
          "\"two\nlines\"oops,5\n" /* the error is on line 7, the record starts on 6 */
          "end,6\n", &p);
    assert_int_equal(p.n, 7);
    expect_record(&p.r[1], 2, "ok", "1", NULL);
    expect_problem(&p.r[2], 3, "malformed quoting", "line 3");
    expect_problem(&p.r[3], 4, "malformed quoting", "line 4");
    /* the parser starts afresh after each bad record */
    expect_record(&p.r[4], 5, "fine", "4", NULL);
    expect_problem(&p.r[5], 6, "malformed quoting", "line 7");
    expect_record(&p.r[6], 8, "end", "6", NULL);
}

static void gbk_line_flagged(void **state)
{
    (void)state;
    parsed p;
    parse("code,name,county_code\n"
          "330302006,五马街道,330302\n"
          "330302099,\xce\xc2\xd6\xdd,330302\n" /* 温州 in GBK */
          "330302023,七都街道,330302\n", &p);
    assert_int_equal(p.n, 4);
    expect_record(&p.r[1], 2, "330302006", "五马街道", "330302", NULL);
    expect_problem(&p.r[2], 3, "not valid UTF-8", "line 3");
    expect_problem(&p.r[2], 3, "GBK", "byte 11");
    expect_record(&p.r[3], 4, "330302023", "七都街道", "330302", NULL);
}

static void gbk_inside_a_multiline_record(void **state)
{
    (void)state;
    parsed p;
    parse("a,b\n1,\"ok\n\xce\xc2\"\n2,fine\n", &p);
    assert_int_equal(p.n, 3);
    /* the record starts on line 2; the bad bytes are on line 3 */
    expect_problem(&p.r[1], 2, "line 3", "UTF-8");
    expect_record(&p.r[2], 4, "2", "fine", NULL);
}

static void unterminated_quote_at_eof(void **state)
{
    (void)state;
    parsed p;
    parse("h1,h2\n1,2\n3,\"never closed\n4,5\n", &p);
    assert_int_equal(p.n, 3);
    expect_record(&p.r[1], 2, "1", "2", NULL);
    expect_problem(&p.r[2], 3, "never closed", NULL);
    assert_int_equal(p.lines, 4);
}

static void no_trailing_newline(void **state)
{
    (void)state;
    parsed p;
    parse("h1,h2\n1,2\n3,4", &p);
    assert_int_equal(p.n, 3);
    expect_record(&p.r[2], 3, "3", "4", NULL);
    parse("h1,h2\r\n1,\"quoted last\"", &p);
    assert_int_equal(p.n, 2);
    expect_record(&p.r[1], 2, "1", "quoted last", NULL);
    assert_int_equal(p.bytes, p.size);
}

static void empty_file(void **state)
{
    (void)state;
    parsed p;
    parse("", &p);
    assert_int_equal(p.n, 0);
    assert_int_equal(p.lines, 0);
    parse("\n\n", &p);
    assert_int_equal(p.n, 0);
}

static void missing_file(void **state)
{
    (void)state;
    char path[4096];
    tu_path(path, sizeof path, scratch, "no-such-file.csv");
    sws_error e = {{0}};
    assert_null(sws_csv_open(path, &e));
    assert_non_null(strstr(e.msg, "no-such-file.csv"));
    sws_csv_close(NULL); /* allowed */
}

static int setup(void **state)
{
    (void)state;
    scratch = tu_mkdtemp();
    return scratch ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_rmdir(scratch);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_lf),
        cmocka_unit_test(bom_and_crlf),
        cmocka_unit_test(bom_only_at_the_start),
        cmocka_unit_test(quoting),
        cmocka_unit_test(embedded_newlines),
        cmocka_unit_test(blank_lines_skipped),
        cmocka_unit_test(malformed_quoting_recovers),
        cmocka_unit_test(gbk_line_flagged),
        cmocka_unit_test(gbk_inside_a_multiline_record),
        cmocka_unit_test(unterminated_quote_at_eof),
        cmocka_unit_test(no_trailing_newline),
        cmocka_unit_test(empty_file),
        cmocka_unit_test(missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
