/*
 * test_domain.c — the vocabularies (domain.h) agree with the schema's CHECK
 * constraints: every code is stored, a bogus value (or a Chinese label)
 * is refused, and each CHECK list names exactly the vocabulary's codes.
 * Lookup works by code and by Chinese label.
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
#include "domain.h"

/* A minimal row for each table that holds a vocabulary column: the other
 * columns' values (SQL literals). The column under test replaces its entry. */
typedef struct row_template {
    const char *table;
    const char *cols[8];
    const char *vals[8];
} row_template;

static const row_template templates[] = {
    {"station_room", {"station_code", "kind"}, {"'330302006'", "'case'"}},
    {"station_facility", {"station_code", "kind"}, {"'330302006'", "'desk'"}},
    {"station_institution", {"station_code", "kind"}, {"'330302006'", "'org_chart'"}},
    {"worker",
     {"code", "station_code", "name", "role", "qualification", "hired_via", "engaged_by"},
     {"'W9'", "'330302006'", "'张三'", "'resident'", "'none'", "'direct'", "'agency'"}},
    {"client", {"code", "station_code", "category", "consent"},
     {"'C9'", "'330302006'", "'other'", "'none'"}},
    {"service_record",
     {"station_code", "date", "domain", "method", "hours"},
     {"'330302006'", "'2022-05-01'", "'elderly_care'", "'case'", "1"}},
    {"funding",
     {"station_code", "year", "category", "source", "budget"},
     {"'330302006'", "2022", "'operation'", "'other'", "1000"}},
    {"evaluation",
     {"station_code", "year", "phase", "assessor"},
     {"'330302006'", "2022", "'mid'", "'self'"}},
    {"community_org",
     {"code", "station_code", "name", "kind"},
     {"'O9'", "'330302006'", "'邻里互助会'", "'other'"}},
    {"charity_resource",
     {"code", "station_code", "name", "kind"},
     {"'R9'", "'330302006'", "'助学金'", "'fund'"}},
};

static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    sws_error e;
    if (sws_db_open(":memory:", &db, &e) < 0)
        return -1;
    /* the parents every template refers to */
    return sws_db_exec(db,
                       "INSERT INTO county(code, name) VALUES('330302', '鹿城区');"
                       "INSERT INTO township(code, county_code, name) "
                       "  VALUES('330302006', '330302', '五马街道');"
                       "INSERT INTO station(code, name) VALUES('330302006', '五马街道社会工作站');",
                       &e);
}

static int teardown(void **state)
{
    (void)state;
    sqlite3_close(db);
    return 0;
}

static const row_template *template_for(const char *table)
{
    for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++)
        if (strcmp(templates[i].table, table) == 0)
            return &templates[i];
    return NULL;
}

/* Tries to insert the template row of v->table with v->column = value,
 * inside a savepoint that is always rolled back. Returns SQLite's
 * extended result code of the insert. */
static int try_insert(const sws_vocab *v, const char *value)
{
    const row_template *t = template_for(v->table);
    if (!t)
        fail_msg("no row template for table %s (vocabulary %s)", v->table, v->name);
    char sql[1024], cols[512] = "", vals[512] = "";
    int found = 0;
    for (int i = 0; i < 8 && t->cols[i]; i++) {
        int target = strcmp(t->cols[i], v->column) == 0;
        found |= target;
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", i ? ", " : "",
                 t->cols[i]);
        snprintf(vals + strlen(vals), sizeof vals - strlen(vals), "%s%s", i ? ", " : "",
                 target ? "?" : t->vals[i]);
    }
    if (!found)
        fail_msg("template for %s lacks column %s", v->table, v->column);
    snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES(%s)", v->table, cols, vals);

    assert_int_equal(sqlite3_exec(db, "SAVEPOINT attempt", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ext = rc == SQLITE_DONE ? SQLITE_DONE : sqlite3_extended_errcode(db);
    sqlite3_finalize(st);
    assert_int_equal(sqlite3_exec(db, "ROLLBACK TO attempt; RELEASE attempt", NULL, NULL, NULL),
                     SQLITE_OK);
    return ext;
}

static void every_code_accepted_by_its_check(void **state)
{
    (void)state;
    int vocabs = 0;
    for (const sws_vocab *const *v = sws_vocabularies; *v; v++, vocabs++) {
        assert_true((*v)->n > 0);
        for (size_t i = 0; i < (*v)->n; i++) {
            int rc = try_insert(*v, (*v)->terms[i].code);
            if (rc != SQLITE_DONE)
                fail_msg("%s.%s refuses code '%s' of %s: %s", (*v)->table, (*v)->column,
                         (*v)->terms[i].code, (*v)->name, sqlite3_errstr(rc));
        }
    }
    assert_int_equal(vocabs, 17);
}

static void bogus_values_refused_by_check(void **state)
{
    (void)state;
    for (const sws_vocab *const *v = sws_vocabularies; *v; v++) {
        const char *bogus[] = {"bogus", "", (*v)->terms[0].label, "CASE", NULL};
        char upper[64];
        /* the first code in upper case: codes are exact */
        snprintf(upper, sizeof upper, "%s", (*v)->terms[0].code);
        for (char *p = upper; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        bogus[3] = upper;
        for (int b = 0; bogus[b]; b++) {
            int rc = try_insert(*v, bogus[b]);
            if (rc != SQLITE_CONSTRAINT_CHECK)
                fail_msg("%s.%s accepted '%s' (%s)", (*v)->table, (*v)->column, bogus[b],
                         sqlite3_errstr(rc));
        }
    }
}

/* The CHECK(column IN ('a', 'b', …)) list of a table, read from its SQL,
 * names exactly the vocabulary's codes: nothing more, nothing less. */
static void check_lists_match_vocabularies(void **state)
{
    (void)state;
    for (const sws_vocab *const *v = sws_vocabularies; *v; v++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE type = "
                                                "'table' AND name = ?", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, (*v)->table, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        char *sql = strdup((const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        assert_non_null(sql);

        char needle[64];
        snprintf(needle, sizeof needle, "CHECK(%s IN (", (*v)->column);
        const char *p = strstr(sql, needle);
        if (!p)
            fail_msg("%s has no %s", (*v)->table, needle);
        p += strlen(needle);
        size_t listed = 0;
        while (*p && *p != ')') {
            const char *q = strchr(p, '\'');
            if (!q || q > strchr(p, ')'))
                break;
            const char *end = strchr(q + 1, '\'');
            assert_non_null(end);
            char code[64];
            snprintf(code, sizeof code, "%.*s", (int)(end - q - 1), q + 1);
            const sws_term *t = sws_vocab_find(*v, code);
            if (!t || strcmp(t->code, code) != 0)
                fail_msg("%s.%s allows '%s', which is not a %s code", (*v)->table,
                         (*v)->column, code, (*v)->name);
            listed++;
            p = end + 1;
        }
        free(sql);
        if (listed != (*v)->n)
            fail_msg("%s.%s lists %zu values, the %s vocabulary has %zu", (*v)->table,
                     (*v)->column, listed, (*v)->name, (*v)->n);
    }
}

static void find_by_code_and_label(void **state)
{
    (void)state;
    const sws_term *t = sws_vocab_find(&sws_room_kinds, "个案室");
    assert_non_null(t);
    assert_string_equal(t->code, "case");
    t = sws_vocab_find(&sws_room_kinds, "case");
    assert_non_null(t);
    assert_string_equal(t->label, "个案室");
    t = sws_vocab_find(&sws_worker_roles, "驻站社工");
    assert_non_null(t);
    assert_string_equal(t->code, "resident");
    t = sws_vocab_find(&sws_funding_sources, "福彩公益金");
    assert_non_null(t);
    assert_string_equal(t->code, "welfare_lottery");

    assert_null(sws_vocab_find(&sws_room_kinds, "bogus"));
    assert_null(sws_vocab_find(&sws_room_kinds, ""));
    assert_null(sws_vocab_find(&sws_room_kinds, "Case"));
    assert_null(sws_vocab_find(&sws_room_kinds, "个案")); /* a method's label, not a room's */
    assert_null(sws_vocab_find(&sws_service_methods, "个案室"));
}

static void every_term_found_both_ways(void **state)
{
    (void)state;
    for (const sws_vocab *const *v = sws_vocabularies; *v; v++)
        for (size_t i = 0; i < (*v)->n; i++) {
            const sws_term *t = &(*v)->terms[i];
            assert_true(t->code[0] && t->label[0]);
            if (sws_vocab_find(*v, t->code) != t)
                fail_msg("%s: code %s finds another term", (*v)->name, t->code);
            if (sws_vocab_find(*v, t->label) != t)
                fail_msg("%s: label %s finds another term", (*v)->name, t->label);
            /* codes are lower-case ASCII identifiers */
            for (const char *p = t->code; *p; p++)
                assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
        }
}

static void vocab_list(void **state)
{
    (void)state;
    char buf[256];
    assert_string_equal(sws_vocab_list(&sws_service_methods, buf, sizeof buf),
                        "case, group, community");
    assert_string_equal(sws_vocab_list(&sws_eval_phases, buf, sizeof buf), "mid, final");
    /* a short buffer is cut, never overrun */
    char small[8];
    sws_vocab_list(&sws_facility_kinds, small, sizeof small);
    assert_true(strlen(small) < sizeof small);
    assert_int_equal(strncmp(small, "service", 7), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_accepted_by_its_check),
        cmocka_unit_test(bogus_values_refused_by_check),
        cmocka_unit_test(check_lists_match_vocabularies),
        cmocka_unit_test(find_by_code_and_label),
        cmocka_unit_test(every_term_found_both_ways),
        cmocka_unit_test(vocab_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
