/*
 * test_import.c — validated, all-or-nothing CSV import (import.h), driven
 * through sws_import_file on files written to a scratch folder: bad rows
 * listed as FILE:LINE with column and rule and nothing stored; --skip-bad's
 * rejects file; header matching; parents and division-code rules; personal
 * numbers checked, masked and never shown in full; labels for enumerations;
 * upserts and appends.
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

#include "csvread.h"
#include "db.h"
#include "import.h"
#include "testutil.h"
#include "validate.h"

typedef struct fixture {
    char *dir;
    sqlite3 *db;
    tu_capture diag;
    sws_import_result res;
    sws_error e;
    int ignore_unknown;   /* passed to the next imports as opts.ignore_unknown */
    int allow_duplicates; /* and as opts.allow_duplicates */
} fixture;

static const char counties_csv[] =
    "code,name,city_code,province_code\n"
    "330302,鹿城区,3303,33\n"
    "330303,龙湾区,3303,33\n";

static const char townships_csv[] =
    "code,name,county_code,population\n"
    "330302006,五马街道,330302,52000\n"
    "330302023,七都街道,330302,21000\n"
    "330303001,永中街道,330303,80000\n";

static const char stations_csv[] =
    "code,name,area_m2,is_hub\n"
    "330302006,五马街道社会工作站,180,1\n"
    "330302023,七都街道社会工作站,120,0\n";

/* Writes DIR/NAME with content into path (4096 bytes) and returns path. */
static const char *file(fixture *f, const char *name, const char *content, char path[4096])
{
    tu_path(path, 4096, f->dir, name);
    assert_int_equal(tu_write(path, content), 0);
    return path;
}

/* Starts a fresh capture of diagnostics in f->diag. */
static void reset_diag(fixture *f)
{
    tu_capture_close(&f->diag);
    assert_int_equal(tu_capture_open(&f->diag), 0);
}

/* Imports content as kind; diagnostics go to f->diag (cleared first). */
static int import_as(fixture *f, const char *kind, const char *content, const char *rejects)
{
    char path[4096];
    const sws_import_kind *k = sws_import_find(kind);
    assert_non_null(k);
    reset_diag(f);
    sws_import_opts opts = {.rejects_path = rejects, .diag = f->diag.f,
                            .ignore_unknown = f->ignore_unknown,
                            .allow_duplicates = f->allow_duplicates};
    memset(&f->e, 0, sizeof f->e);
    return sws_import_file(f->db, k, file(f, "in.csv", content, path), &opts, &f->res, &f->e);
}

/* Imports content that must be fully valid. */
static void import_ok(fixture *f, const char *kind, const char *content)
{
    if (import_as(f, kind, content, NULL) < 0)
        fail_msg("import %s failed: %s\n%s", kind, f->e.msg, tu_capture_text(&f->diag));
    assert_int_equal(f->res.rejected, 0);
}

static const char *diag(fixture *f) { return tu_capture_text(&f->diag); }

/* Asserts that the diagnostics contain text. */
static void expect_diag(fixture *f, const char *text)
{
    if (!strstr(diag(f), text))
        fail_msg("diagnostics lack \"%s\":\n%s", text, diag(f));
}

static long long count(fixture *f, const char *sql) { return sws_db_count(f->db, sql); }

/* The first column of the first row of sql, as text (static buffer; "" for none/NULL). */
static const char *text_of(fixture *f, const char *sql)
{
    static char out[256];
    sqlite3_stmt *st;
    out[0] = '\0';
    assert_int_equal(sqlite3_prepare_v2(f->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, sizeof out, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    char path[4096];
    if (!f || !(f->dir = tu_mkdtemp()))
        return -1;
    if (sws_db_open(tu_path(path, sizeof path, f->dir, "sws.db"), &f->db, &f->e) < 0)
        return -1;
    *state = f;
    return 0;
}

/* The usual parents: two counties, three townships, two stations. */
static int setup_divisions(void **state)
{
    if (setup(state) < 0)
        return -1;
    fixture *f = *state;
    import_ok(f, "counties", counties_csv);
    import_ok(f, "townships", townships_csv);
    import_ok(f, "stations", stations_csv);
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_capture_close(&f->diag);
    sqlite3_close(f->db);
    tu_rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- all or nothing ---------------------------------------------------- */

static const char townships_with_three_bad[] =
    "code,name,county_code,population\n"
    "330302024,滨江街道,330302,40000\n"  /* 2 good */
    "33030200A,坏代码,330302,1000\n"     /* 3 bad code */
    "330302025,南汇街道,330302,45000\n"  /* 4 good */
    "330302026,,330302,1000\n"           /* 5 empty name */
    "330302006,五马街道（改名）,330302,52000\n" /* 6 good: would rename an existing one */
    "330302027,双屿街道,330302,-5\n"     /* 7 negative population */
    "330303002,状元街道,330303,60000\n"; /* 8 good */

static void bad_rows_store_nothing(void **state)
{
    fixture *f = *state;
    long long before = count(f, "SELECT count(*) FROM township");
    assert_int_equal(before, 3);

    assert_int_equal(import_as(f, "townships", townships_with_three_bad, NULL), -1);
    assert_int_equal(f->res.rows, 7);
    assert_int_equal(f->res.rejected, 3);
    assert_int_equal(f->res.imported, 0);
    assert_non_null(strstr(f->e.msg, "3 of 7 rows are bad"));
    assert_non_null(strstr(f->e.msg, "nothing was imported"));

    /* nothing changed: no new rows, and the good row's rename was undone */
    assert_int_equal(count(f, "SELECT count(*) FROM township"), before);
    assert_string_equal(text_of(f, "SELECT name FROM township WHERE code = '330302006'"),
                        "五马街道");

    /* every bad line is listed, with its line number and column, and only those */
    expect_diag(f, "in.csv:3: column 'code' \"33030200A\": must be a 9-digit township code");
    expect_diag(f, "in.csv:5: column 'name' is empty (rule: required)");
    expect_diag(f, "in.csv:7: column 'population' \"-5\": must be between 0 and 20000000");
    assert_int_equal(tu_count(diag(f), "\n"), 3);
    assert_null(strstr(diag(f), "in.csv:2:"));
    assert_null(strstr(diag(f), "in.csv:4:"));
}

static void several_problems_in_one_row(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "stations",
                               "code,name,area_m2,is_hub,opened\n"
                               "330302006,,-1,maybe,2022-02-30\n", NULL), -1);
    expect_diag(f, "in.csv:2: column 'name' is empty");
    expect_diag(f, "in.csv:2: column 'area_m2' \"-1\": must be between 0 and 100000");
    expect_diag(f, "in.csv:2: column 'is_hub' \"maybe\": must be yes or no");
    expect_diag(f, "in.csv:2: column 'opened' \"2022-02-30\": is not a real calendar date");
    assert_int_equal(f->res.rejected, 1);
}

static void listing_can_be_capped(void **state)
{
    fixture *f = *state;
    char path[4096];
    reset_diag(f);
    sws_import_opts opts = {.diag = f->diag.f, .max_listed = 2};
    assert_int_equal(sws_import_file(f->db, sws_import_find("townships"),
                                     file(f, "in.csv", townships_with_three_bad, path), &opts,
                                     &f->res, &f->e), -1);
    expect_diag(f, "in.csv:3:");
    expect_diag(f, "in.csv:5:");
    assert_null(strstr(diag(f), "in.csv:7:"));
    expect_diag(f, "and 1 more");
    assert_int_equal(f->res.rejected, 3);
}

/* ---- --skip-bad and the rejects file ----------------------------------- */

static void skip_bad_writes_rejects(void **state)
{
    fixture *f = *state;
    char rejects[4096];
    tu_path(rejects, sizeof rejects, f->dir, "rejects.csv");
    assert_int_equal(import_as(f, "townships", townships_with_three_bad, rejects), 0);
    assert_int_equal(f->res.rows, 7);
    assert_int_equal(f->res.imported, 4);
    assert_int_equal(f->res.rejected, 3);
    /* the good rows are stored, the rename included */
    assert_int_equal(count(f, "SELECT count(*) FROM township"), 3 + 3);
    assert_int_equal(count(f, "SELECT count(*) FROM township WHERE code IN "
                              "('330302024', '330302025', '330303002')"), 3);
    assert_string_equal(text_of(f, "SELECT name FROM township WHERE code = '330302006'"),
                        "五马街道（改名）");
    /* the bad ones are still listed */
    expect_diag(f, "in.csv:3:");

    /* the rejects file: line, the original columns, reason */
    sws_csv *c = sws_csv_open(rejects, &f->e);
    assert_non_null(c);
    sws_csv_row r;
    assert_int_equal(sws_csv_next(c, &r, &f->e), 1);
    assert_int_equal(r.n, 6);
    static const char *const header[] = {"line", "code", "name", "county_code", "population",
                                         "reason"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(r.field[i], header[i]);
    static const struct {
        const char *line, *code, *name, *population, *reason;
    } want[] = {
        {"3", "33030200A", "坏代码", "1000", "column 'code' \"33030200A\": must be a 9-digit"},
        {"5", "330302026", "", "1000", "column 'name' is empty"},
        {"7", "330302027", "双屿街道", "-5", "column 'population' \"-5\": must be between"},
    };
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(sws_csv_next(c, &r, &f->e), 1);
        assert_null(r.problem);
        assert_int_equal(r.n, 6);
        assert_string_equal(r.field[0], want[k].line);
        assert_string_equal(r.field[1], want[k].code);
        assert_string_equal(r.field[2], want[k].name);
        assert_string_equal(r.field[3], "330302");
        assert_string_equal(r.field[4], want[k].population);
        if (!strstr(r.field[5], want[k].reason))
            fail_msg("reason \"%s\" lacks \"%s\"", r.field[5], want[k].reason);
    }
    assert_int_equal(sws_csv_next(c, &r, &f->e), 0);
    sws_csv_close(c);
}

static void rejects_file_can_be_fixed_and_reimported(void **state)
{
    fixture *f = *state;
    char rejects[4096];
    tu_path(rejects, sizeof rejects, f->dir, "rejects.csv");
    assert_int_equal(import_as(f, "townships",
                               "code,name,county_code\n330302024,滨江街道,330302\n"
                               "330302025,南汇街道,330399\n", rejects), 0);
    assert_int_equal(f->res.rejected, 1);
    char *text = tu_read(rejects);
    assert_non_null(text);
    /* fix the county code in place; line and reason are unknown columns, ignored */
    char *p = strstr(text, "\"330399\"");
    assert_non_null(p);
    memcpy(p, "\"330302\"", 8);
    import_ok(f, "townships", text);
    free(text);
    assert_int_equal(f->res.imported, 1);
    assert_int_equal(f->res.ignored_columns, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM township WHERE code = '330302025'"), 1);
}

/* ---- header -------------------------------------------------------------- */

static void columns_by_name_in_any_order(void **state)
{
    fixture *f = *state;
    /* columns the kind lacks are an error, each named… */
    assert_int_equal(import_as(f, "townships",
                               "remark,population,county_code,name,code,\xe5\xa4\x87\xe6\xb3\xa8\n"
                               "note,30000,330302,滨江街道,330302024,备注\n", NULL), -1);
    assert_non_null(strstr(f->e.msg, "in.csv:1: header: unknown columns 'remark'"));
    assert_non_null(strstr(f->e.msg, "'备注'"));
    assert_non_null(strstr(f->e.msg, "--ignore-unknown"));
    assert_int_equal(count(f, "SELECT count(*) FROM township WHERE code = '330302024'"), 0);
    /* …unless they are accepted explicitly */
    f->ignore_unknown = 1;
    import_ok(f, "townships",
              "remark,population,county_code,name,code,\xe5\xa4\x87\xe6\xb3\xa8\n"
              "note,30000,330302,滨江街道,330302024,备注\n");
    assert_int_equal(f->res.imported, 1);
    assert_int_equal(f->res.ignored_columns, 2);
    assert_string_equal(text_of(f, "SELECT name || '|' || county_code || '|' || population "
                                   "FROM township WHERE code = '330302024'"),
                        "滨江街道|330302|30000");
    f->ignore_unknown = 0;
}

static void missing_required_column(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "townships", "code,name,population\n330302024,滨江街道,1\n",
                               NULL), -1);
    assert_non_null(strstr(f->e.msg, "county_code"));
    assert_non_null(strstr(f->e.msg, "missing"));
    assert_non_null(strstr(f->e.msg, "in.csv:1"));
    assert_int_equal(count(f, "SELECT count(*) FROM township"), 3);

    /* two missing: both named */
    assert_int_equal(import_as(f, "workers", "code,name\nW1,张三\n", NULL), -1);
    assert_non_null(strstr(f->e.msg, "station"));
    assert_non_null(strstr(f->e.msg, "role"));
}

static void header_problems(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "townships", "", NULL), -1);
    assert_non_null(strstr(f->e.msg, "empty"));
    assert_int_equal(import_as(f, "townships", "code,name,code,county_code\n", NULL), -1);
    assert_non_null(strstr(f->e.msg, "'code' appears twice"));
    assert_int_equal(import_as(f, "townships", "code,\xce\xc2\xd6\xdd,county_code\n", NULL),
                     -1);
    assert_non_null(strstr(f->e.msg, "header"));
    assert_non_null(strstr(f->e.msg, "UTF-8"));

    char path[4096];
    sws_import_opts opts = {.diag = NULL};
    tu_path(path, sizeof path, f->dir, "nonexistent.csv");
    assert_int_equal(sws_import_file(f->db, sws_import_find("townships"), path, &opts, &f->res,
                                     &f->e), -1);
    assert_non_null(strstr(f->e.msg, "nonexistent.csv"));
}

static void field_count_must_match_header(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "townships",
                               "code,name,county_code\n"
                               "330302024,滨江街道,330302,extra\n"
                               "330302025,南汇街道\n", NULL), -1);
    expect_diag(f, "in.csv:2: has 4 fields but the header has 3");
    expect_diag(f, "in.csv:3: has 2 fields but the header has 3");
}

/* ---- encoding ------------------------------------------------------------ */

static void gbk_and_malformed_lines_listed(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "townships",
                               "\xEF\xBB\xBF" "code,name,county_code\r\n"
                               "330302024,滨江街道,330302\r\n"
                               "330302025,\xc4\xcf\xbb\xe3\xbd\xd6\xb5\xc0,330302\r\n"
                               "330302026,\"unclosed\"x,330302\r\n"
                               "330302027,双屿街道,330302\r\n", NULL), -1);
    expect_diag(f, "in.csv:3: line 3 is not valid UTF-8");
    expect_diag(f, "GBK");
    expect_diag(f, "in.csv:4: malformed quoting");
    assert_int_equal(f->res.rejected, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM township"), 3);
}

static void long_values_cut_on_a_character_boundary(void **state)
{
    fixture *f = *state;
    /* "x" and 30 Chinese characters (91 bytes) where a room kind belongs: a
     * cut at 60 bytes would fall inside the 20th character */
    char csv[512] = "station,kind\n330302006,x";
    for (int i = 0; i < 30; i++)
        strcat(csv, "个");
    strcat(csv, "\n");
    assert_int_equal(import_as(f, "rooms", csv, NULL), -1);
    expect_diag(f, "…");
    assert_int_equal(sws_utf8_invalid_at(diag(f), strlen(diag(f))), -1);
}

/* ---- parents and division codes ------------------------------------------ */

static void township_needs_its_county(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "townships",
                               "code,name,county_code\n"
                               "330302024,滨江街道,330302\n"
                               "339999001,不存在,339999\n", NULL), -1);
    expect_diag(f, "in.csv:3: column 'county_code' \"339999\": no such county");
    assert_int_equal(count(f, "SELECT count(*) FROM township"), 3);
}

static void township_code_lies_in_its_county(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "townships",
                               "code,name,county_code\n"
                               "330303009,错位,330302\n", NULL), -1);
    expect_diag(f, "in.csv:2: column 'code' \"330303009\" does not lie in county \"330302\"");
    assert_int_equal(import_as(f, "villages",
                               "code,name,township_code\n"
                               "330302023201,某村,330302006\n", NULL), -1);
    expect_diag(f, "does not lie in township \"330302006\"");
    assert_int_equal(count(f, "SELECT count(*) FROM village"), 0);
}

static void station_needs_a_township(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "stations", "code,name\n330302099,某站\n", NULL), -1);
    expect_diag(f, "in.csv:2: column 'code' \"330302099\": no such township");
    assert_int_equal(import_as(f, "rooms", "station,kind\n330303001,case\n", NULL), -1);
    expect_diag(f, "column 'station' \"330303001\": no such station");
}

/* ---- personal numbers ----------------------------------------------------- */

static const char workers_header[] = "code,station,name,role,id_number,phone,hired\n";

static void worker_with_wrong_check_digit(void **state)
{
    fixture *f = *state;
    /* 330302199003071231 is valid (S = 220 -> '1'); ending 5 is not */
    char csv[512];
    snprintf(csv, sizeof csv, "%s"
             "W1,330302006,陈晓丽,resident,330302199003071231,,2021-03-01\n"
             "W2,330302006,林伟杰,resident,330302199003071235,,2021-03-01\n", workers_header);
    assert_int_equal(import_as(f, "workers", csv, NULL), -1);
    expect_diag(f, "in.csv:3: column 'id_number' \"330302********1235\": resident ID number "
                   "fails its check digit");
    assert_null(strstr(diag(f), "330302199003071235"));
    assert_null(strstr(diag(f), "19900307"));
    assert_null(strstr(f->e.msg, "330302199003071235"));
    assert_int_equal(count(f, "SELECT count(*) FROM worker"), 0);
}

static void worker_personal_numbers_stored_masked(void **state)
{
    fixture *f = *state;
    char csv[512];
    snprintf(csv, sizeof csv, "%s"
             "W1,330302006,陈晓丽,resident,33030219880512007x,+86 138-1234-5678,2021-03-01\n"
             "W2,330302006,林伟杰,resident,330302199003071231,139 0000 1111,2021-03-01\n"
             "W3,330302023,黄静,assistant,,,\n", workers_header);
    import_ok(f, "workers", csv);
    assert_int_equal(f->res.imported, 3);
    assert_string_equal(text_of(f, "SELECT id_masked || '|' || birth_date || '|' || "
                                   "phone_masked FROM worker WHERE code = 'W1'"),
                        "330302********007X|1988-05-12|138****5678");
    assert_string_equal(text_of(f, "SELECT id_masked || '|' || birth_date || '|' || "
                                   "phone_masked FROM worker WHERE code = 'W2'"),
                        "330302********1231|1990-03-07|139****1111");
    assert_int_equal(count(f, "SELECT count(*) FROM worker WHERE code = 'W3' AND id_masked IS "
                              "NULL AND birth_date IS NULL AND phone_masked IS NULL"), 1);
    /* defaults for the optional enumerations */
    assert_string_equal(text_of(f, "SELECT qualification || '|' || hired_via FROM worker "
                                   "WHERE code = 'W3'"), "none|direct");
    /* nothing anywhere holds a full number */
    assert_int_equal(count(f, "SELECT count(*) FROM worker WHERE id_masked GLOB "
                              "'*[0-9][0-9][0-9][0-9][0-9][0-9][0-9]*' OR phone_masked GLOB "
                              "'*[0-9][0-9][0-9][0-9][0-9]*'"), 0);
}

static void birth_date_must_agree_with_the_id(void **state)
{
    fixture *f = *state;
    import_ok(f, "workers",
              "code,station,name,role,id_number,birth_date\n"
              "W1,330302006,陈晓丽,resident,330302199003071231,1990-03-07\n");
    assert_int_equal(import_as(f, "workers",
                               "code,station,name,role,id_number,birth_date\n"
                               "W2,330302006,林伟杰,resident,330302199003071231,1990-07-03\n",
                               NULL), -1);
    expect_diag(f, "in.csv:2: column 'birth_date' \"1990-07-03\" differs from the birth date "
                   "in the ID number");
    assert_null(strstr(diag(f), "330302199003071231"));
}

static void bad_mobile_masked_in_messages(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "volunteers",
                               "code,station,name,phone\n"
                               "V1,330302006,志愿者甲,12812345678\n", NULL), -1);
    expect_diag(f, "column 'phone' \"128****5678\": must be a mainland mobile number");
    assert_null(strstr(diag(f), "12812345678"));
}

static void client_birth_year_from_id(void **state)
{
    fixture *f = *state;
    import_ok(f, "clients",
              "code,station,category,id_number,phone\n"
              "C1,330302006,低保对象,11010519491231002X,\n"
              "C2,330302006,elderly,,13812345678\n");
    assert_string_equal(text_of(f, "SELECT category || '|' || id_masked || '|' || birth_year "
                                   "FROM client WHERE code = 'C1'"),
                        "subsistence|110105********002X|1949");
    assert_string_equal(text_of(f, "SELECT phone_masked FROM client WHERE code = 'C2'"),
                        "138****5678");
    assert_int_equal(count(f, "SELECT count(*) FROM client WHERE code = 'C2' AND birth_year "
                              "IS NULL"), 1);

    /* a birth year that is given must agree with the ID's */
    import_ok(f, "clients", "code,station,category,id_number,birth_year\n"
                            "C3,330302006,elderly,11010519491231002X,1949\n");
    assert_int_equal(import_as(f, "clients", "code,station,category,id_number,birth_year\n"
                                             "C4,330302006,elderly,11010519491231002X,1950\n",
                               NULL), -1);
    expect_diag(f, "in.csv:2: column 'birth_year' \"1950\" differs from the birth year in the "
                   "ID number");
    assert_null(strstr(diag(f), "11010519491231002X"));
    assert_int_equal(count(f, "SELECT count(*) FROM client WHERE code = 'C4'"), 0);
}

/* ---- enumerations ---------------------------------------------------------- */

static void chinese_label_stored_as_code(void **state)
{
    fixture *f = *state;
    import_ok(f, "rooms",
              "station,kind,area_m2\n"
              "330302006,个案室,20\n"
              "330302006,social_work,25\n"
              "330302023,小组活动室,30\n");
    assert_int_equal(count(f, "SELECT count(*) FROM station_room"), 3);
    assert_int_equal(count(f, "SELECT count(*) FROM station_room WHERE station_code = "
                              "'330302006' AND kind = 'case' AND area_m2 = 20"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM station_room WHERE kind = "
                              "'group_activity'"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM station_room WHERE kind GLOB '*室*'"), 0);

    assert_int_equal(import_as(f, "rooms", "station,kind\n330302006,厨房\n", NULL), -1);
    expect_diag(f, "in.csv:2: column 'kind' \"厨房\": must be a room kind: one of social_work, "
                   "case, group_activity");
}

/* ---- upserts and appends ----------------------------------------------------- */

static void stations_reimport_upserts(void **state)
{
    fixture *f = *state;
    import_ok(f, "stations", stations_csv);
    import_ok(f, "stations", stations_csv);
    assert_int_equal(count(f, "SELECT count(*) FROM station"), 2);
    import_ok(f, "stations",
              "code,name,area_m2,is_hub\n"
              "330302023,七都街道社会工作站（新址）,150,是\n"
              "330303001,永中街道社会工作站,200,TRUE\n");
    assert_int_equal(f->res.imported, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM station"), 3);
    assert_string_equal(text_of(f, "SELECT name || '|' || area_m2 || '|' || is_hub FROM station "
                                   "WHERE code = '330302023'"),
                        "七都街道社会工作站（新址）|150.0|1");
    assert_int_equal(count(f, "SELECT is_hub FROM station WHERE code = '330303001'"), 1);
}

static void appended_kinds_add_rows(void **state)
{
    fixture *f = *state;
    import_ok(f, "workers", "code,station,name,role\nW1,330302006,陈晓丽,resident\n");
    static const char trainings[] = "worker,date,hours,topic\n"
                                    "W1,2022-03-01,8,个案工作\n"
                                    "W1,2022-04-01,7.5,小组工作\n";
    import_ok(f, "trainings", trainings);
    /* the same rows again: identical to stored ones, skipped and counted */
    import_ok(f, "trainings", trainings);
    assert_int_equal(f->res.imported, 0);
    assert_int_equal(f->res.duplicates, 2);
    assert_non_null(strstr(diag(f), "in.csv:2: identical to a row already stored"));
    assert_int_equal(count(f, "SELECT count(*) FROM training"), 2);
    /* asked for, they are appended */
    f->allow_duplicates = 1;
    import_ok(f, "trainings", trainings);
    f->allow_duplicates = 0;
    assert_int_equal(f->res.imported, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM training"), 4);
    assert_int_equal(count(f, "SELECT sum(hours) * 10 FROM training"), 310);

    /* worktime has a key (worker, month): an upsert */
    static const char worktime[] = "worker,month,total_hours,community_hours\n"
                                   "W1,2022-03,160,100\n";
    import_ok(f, "worktime", worktime);
    import_ok(f, "worktime", "worker,month,total_hours,community_hours\nW1,2022-03,168,120\n");
    assert_int_equal(count(f, "SELECT count(*) FROM worktime"), 1);
    assert_int_equal(count(f, "SELECT community_hours FROM worktime"), 120);
}

static void scores_create_evaluation_rows(void **state)
{
    fixture *f = *state;
    import_ok(f, "scores",
              "station,year,phase,assessor,item,score,evidence\n"
              "330302006,2022,mid,third_party,facilities.area,8,现场查看\n"
              "330302006,2022,中期,第三方评估,services.case,12.5,\n"
              "330302006,2022,final,self,facilities.area,9,\n"
              "330302023,2022,mid,government,staffing.count,6,\n");
    assert_int_equal(f->res.imported, 4);
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation"), 3);
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation_score"), 4);
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation_score s JOIN evaluation e ON "
                              "e.id = s.evaluation_id WHERE e.station_code = '330302006' AND "
                              "e.phase = 'mid' AND e.assessor = 'third_party'"), 2);

    /* scoring again replaces the score, adds no evaluation */
    import_ok(f, "scores", "station,year,phase,assessor,item,score\n"
                           "330302006,2022,mid,third_party,facilities.area,7\n");
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation"), 3);
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation_score"), 4);
    assert_int_equal(count(f, "SELECT score FROM evaluation_score WHERE item_code = "
                              "'facilities.area' AND evaluation_id = (SELECT id FROM evaluation "
                              "WHERE phase = 'mid' AND station_code = '330302006')"), 7);

    /* a score for a station that does not exist: neither row is left behind */
    assert_int_equal(import_as(f, "scores", "station,year,phase,assessor,item,score\n"
                                            "330303001,2022,mid,self,x,1\n", NULL), -1);
    expect_diag(f, "no such station");
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation"), 3);
}

static void scores_skip_bad(void **state)
{
    fixture *f = *state;
    char rejects[4096];
    tu_path(rejects, sizeof rejects, f->dir, "rejects.csv");
    /* row 3's township has no station: its row is rejected, row 2 kept */
    assert_int_equal(import_as(f, "scores", "station,year,phase,assessor,item,score\n"
                                            "330302006,2022,mid,self,a,1\n"
                                            "330303001,2022,mid,self,b,1\n", rejects), 0);
    assert_int_equal(f->res.imported, 1);
    assert_int_equal(f->res.rejected, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation"), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM evaluation_score"), 1);
}

/* ---- cross-field rules ------------------------------------------------------- */

static void cross_field_rules(void **state)
{
    fixture *f = *state;
    assert_int_equal(import_as(f, "workers", "code,station,name,role,hired,left_on\n"
                                             "W1,330302006,陈晓丽,resident,2021-05-01,2021-04-30\n",
                               NULL), -1);
    expect_diag(f, "column 'left_on' \"2021-04-30\" is before 'hired' \"2021-05-01\"");

    import_ok(f, "workers", "code,station,name,role\n"
                            "W1,330302006,陈晓丽,resident\nW2,330302006,林伟杰,mentor\n");
    assert_int_equal(import_as(f, "worktime", "worker,month,total_hours,community_hours\n"
                                              "W1,2022-01,100,100.5\n", NULL), -1);
    expect_diag(f, "column 'community_hours' (100.5) exceeds 'total_hours' (100)");
    assert_int_equal(import_as(f, "mentoring", "mentor,assistant,start_date\nW2,W2,2021-01-01\n",
                               NULL), -1);
    expect_diag(f, "cannot mentor themself");
    assert_int_equal(import_as(f, "worktime", "worker,month,total_hours,community_hours\n"
                                              "W9,2022-01,100,50\n", NULL), -1);
    expect_diag(f, "column 'worker' \"W9\": no such worker");
}

static void every_kind_has_its_table(void **state)
{
    fixture *f = *state;
    assert_int_equal(sws_import_kind_count, 23);
    for (size_t i = 0; i < sws_import_kind_count; i++) {
        const sws_import_kind *k = &sws_import_kinds[i];
        assert_ptr_equal(sws_import_find(k->name), k);
        char sql[160];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE name = '%s'",
                 k->table);
        if (count(f, sql) != 1)
            fail_msg("kind %s: no table %s", k->name, k->table);
        /* at least one required column, and every column documented */
        int required = 0;
        for (size_t c = 0; c < k->ncols; c++) {
            required |= (k->cols[c].flags & SWS_COL_REQUIRED) != 0;
            assert_true(k->cols[c].doc && k->cols[c].doc[0]);
            assert_true(k->cols[c].type != SWS_COL_ENUM || k->cols[c].vocab);
        }
        assert_true(required);
    }
    assert_null(sws_import_find("nosuchkind"));
}

/* 200 service rows, so several full batches are stored; the rows on lines
 * 70 and 150 name a worker that does not exist (a foreign-key failure in
 * the middle of a full batch). */
static char *services_with_missing_parents(void)
{
    size_t cap = 64 * 1024, used = 0;
    char *csv = malloc(cap);
    assert_non_null(csv);
    used += (size_t)snprintf(csv, cap, "station,worker,date,domain,method,hours\n");
    for (int line = 2; line <= 201; line++)
        used += (size_t)snprintf(csv + used, cap - used, "330302006,%s,2022-01-%02d,elderly_care,"
                                 "case,%d.5\n", line == 70 || line == 150 ? "W404" : "",
                                 1 + line % 28, 1 + line % 3);
    return csv;
}

static void batches_report_each_bad_row(void **state)
{
    fixture *f = *state;
    import_ok(f, "stations", stations_csv);
    char *csv = services_with_missing_parents();
    long long before = count(f, "SELECT count(*) FROM service_record");
    assert_int_equal(import_as(f, "services", csv, NULL), -1);
    expect_diag(f, "in.csv:70: column 'worker' \"W404\": no such worker");
    expect_diag(f, "in.csv:150: column 'worker' \"W404\": no such worker");
    assert_int_equal(f->res.rejected, 2);
    assert_int_equal(count(f, "SELECT count(*) FROM service_record"), before);

    char rejects[4096];
    tu_path(rejects, sizeof rejects, f->dir, "rejects.csv");
    assert_int_equal(import_as(f, "services", csv, rejects), 0);
    assert_int_equal(f->res.imported, 198);
    assert_int_equal(count(f, "SELECT count(*) FROM service_record") - before, 198);
    /* no row naming the missing worker was stored */
    assert_int_equal(count(f, "SELECT count(*) FROM service_record WHERE worker_code IS NOT NULL"), 0);
    free(csv);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup_divisions, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(bad_rows_store_nothing),
        T(several_problems_in_one_row),
        T(listing_can_be_capped),
        T(skip_bad_writes_rejects),
        T(rejects_file_can_be_fixed_and_reimported),
        T(columns_by_name_in_any_order),
        T(missing_required_column),
        T(header_problems),
        T(field_count_must_match_header),
        T(gbk_and_malformed_lines_listed),
        T(long_values_cut_on_a_character_boundary),
        T(township_needs_its_county),
        T(township_code_lies_in_its_county),
        T(station_needs_a_township),
        T(worker_with_wrong_check_digit),
        T(worker_personal_numbers_stored_masked),
        T(birth_date_must_agree_with_the_id),
        T(bad_mobile_masked_in_messages),
        T(client_birth_year_from_id),
        T(chinese_label_stored_as_code),
        T(stations_reimport_upserts),
        T(appended_kinds_add_rows),
        T(scores_create_evaluation_rows),
        T(scores_skip_bad),
        T(cross_field_rules),
        T(every_kind_has_its_table),
        T(batches_report_each_bad_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
