/*
 * test_validate.c — the format rules of imported values (validate.h).
 *
 * The resident ID numbers below were worked out by hand from GB 11643:
 * S = sum of digit[i] * weight[i] over the first 17 digits with weights
 * 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, and the check character is
 * "10X98765432"[S mod 11]. Each comment shows S and S mod 11. The check
 * characters are also compared against an independent implementation of
 * ISO 7064 MOD 11-2 (the recursive form, with no weight table).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "validate.h"

/* Asserts that a validator refused a value and that its rule mentions `word`. */
#define assert_refused(rule, word)                                                   \
    do {                                                                             \
        const char *r_ = (rule);                                                     \
        assert_non_null(r_);                                                         \
        if (!strstr(r_, (word)))                                                     \
            fail_msg("rule \"%s\" does not mention \"%s\"", r_, (word));             \
    } while (0)

/* ---- division codes ---------------------------------------------------- */

static void division_codes(void **state)
{
    (void)state;
    assert_null(sws_valid_division_code("330302", 6));
    assert_null(sws_valid_division_code("330302006", 9));
    assert_null(sws_valid_division_code("330302006001", 12));

    /* wrong lengths, each against each kind */
    assert_refused(sws_valid_division_code("33030", 6), "6-digit");
    assert_refused(sws_valid_division_code("3303021", 6), "6-digit");
    assert_refused(sws_valid_division_code("330302006", 6), "6-digit");
    assert_refused(sws_valid_division_code("330302", 9), "9-digit");
    assert_refused(sws_valid_division_code("33030200", 9), "9-digit");
    assert_refused(sws_valid_division_code("3303020061", 9), "9-digit");
    assert_refused(sws_valid_division_code("330302006", 12), "12-digit");
    assert_refused(sws_valid_division_code("3303020060011", 12), "12-digit");
    assert_refused(sws_valid_division_code("", 9), "9-digit");

    /* non-digits */
    assert_refused(sws_valid_division_code("33030200A", 9), "9-digit");
    assert_refused(sws_valid_division_code("3303O2", 6), "6-digit"); /* letter O */
    assert_refused(sws_valid_division_code(" 330302", 6), "6-digit");
    assert_refused(sws_valid_division_code("330-302", 6), "6-digit");
    assert_refused(sws_valid_division_code("-33030", 6), "6-digit");
    assert_refused(sws_valid_division_code("３３０３０２", 6), "6-digit"); /* full-width */
    /* a trailing line break (from a quoted CSV field) is not part of a code */
    assert_refused(sws_valid_division_code("330302\n", 6), "6-digit");
    assert_refused(sws_valid_division_code("330302006\n", 9), "9-digit");

    assert_non_null(sws_valid_division_code("330302", 7));
}

/* ---- resident ID numbers ----------------------------------------------- */

/* ISO 7064 MOD 11-2 computed the recursive way: p = (p + digit) * 2 mod 11
 * over the 17 digits, then the check value c solves (p + c) mod 11 == 1. */
static char iso7064_check(const char *first17)
{
    int p = 0;
    for (int i = 0; i < 17; i++)
        p = ((p + (first17[i] - '0')) * 2) % 11;
    int c = (12 - p) % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

static const struct {
    const char *id, *birth;
} good_ids[] = {
    /* The standard's own example. S = 167, 167 mod 11 = 2 -> 'X'. */
    {"11010519491231002X", "1949-12-31"},
    /* Wenzhou 鹿城区, born 1988-05-12. S = 233, 233 mod 11 = 2 -> 'X'. */
    {"33030219880512007X", "1988-05-12"},
    /* 永嘉县. S = 225, 225 mod 11 = 5 -> '7'. */
    {"330324195610080527", "1956-10-08"},
    /* 泰顺县. S = 306, 306 mod 11 = 9 -> '3'. */
    {"330329199306150383", "1993-06-15"},
    /* S = 220, 220 mod 11 = 0 -> '1'. */
    {"330302199003071231", "1990-03-07"},
    /* 龙港市, born on a leap day. S = 290, 290 mod 11 = 4 -> '8'. */
    {"330383200002294568", "2000-02-29"},
    /* S = 214, 214 mod 11 = 5 -> '7'. */
    {"330327198511110017", "1985-11-11"},
    /* S = 141, 141 mod 11 = 9 -> '3'. */
    {"330304201210050073", "2012-10-05"},
    /* S = 142, 142 mod 11 = 10 -> '2'. */
    {"110105200002290312", "2000-02-29"},
};

static void id_numbers_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good_ids / sizeof good_ids[0]; i++) {
        char birth[11] = "unset";
        const char *rule = sws_valid_id_number(good_ids[i].id, birth);
        if (rule)
            fail_msg("%s refused: %s", good_ids[i].id, rule);
        assert_string_equal(birth, good_ids[i].birth);
        assert_int_equal(sws_id_check_char(good_ids[i].id), good_ids[i].id[17]);
        assert_int_equal(iso7064_check(good_ids[i].id), good_ids[i].id[17]);
        /* birth may be NULL */
        assert_null(sws_valid_id_number(good_ids[i].id, NULL));
    }
}

static void id_number_lowercase_x(void **state)
{
    (void)state;
    char birth[11] = "";
    assert_null(sws_valid_id_number("11010519491231002x", birth));
    assert_string_equal(birth, "1949-12-31");
    assert_null(sws_valid_id_number("33030219880512007x", NULL));
    /* x is only a check character: a lowercase x must still be the right one */
    assert_refused(sws_valid_id_number("33032419561008052x", NULL), "check digit");
}

static void id_number_wrong_check(void **state)
{
    (void)state;
    char birth[11] = "unset";
    /* the right check is 7 (S = 225) */
    assert_refused(sws_valid_id_number("330324195610080528", birth), "check digit");
    assert_string_equal(birth, "unset"); /* untouched on failure */
    /* the right check is X: a digit in its place is wrong, and vice versa */
    assert_refused(sws_valid_id_number("110105194912310020", NULL), "check digit");
    assert_refused(sws_valid_id_number("110105194912310021", NULL), "check digit");
    assert_refused(sws_valid_id_number("33032419561008052X", NULL), "check digit");
    /* two digits swapped (1990-03-07 -> 1990-03-70 is no date; swap the sequence instead) */
    assert_refused(sws_valid_id_number("330302199003072131", NULL), "check digit");
}

/* MOD 11-2 detects every single-character substitution: change any one of
 * the 18 characters of a valid number and it must be refused. */
static void id_number_single_changes_refused(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof good_ids / sizeof good_ids[0]; k++) {
        for (int pos = 0; pos < 18; pos++) {
            for (char c = '0'; c <= '9'; c++) {
                char id[19];
                memcpy(id, good_ids[k].id, 19);
                if (id[pos] == c)
                    continue;
                id[pos] = c;
                if (sws_valid_id_number(id, NULL) == NULL)
                    fail_msg("%s (from %s, position %d) was accepted", id, good_ids[k].id,
                             pos + 1);
            }
        }
    }
}

/* The check character agrees with the recursive MOD 11-2 for many prefixes,
 * so every one of the 11 check values is exercised. */
static void id_check_char_agrees_with_iso7064(void **state)
{
    (void)state;
    int seen[11] = {0};
    unsigned long long x = 88172645463325252ull;
    for (int n = 0; n < 5000; n++) {
        char first17[18];
        for (int i = 0; i < 17; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            first17[i] = (char)('0' + x % 10);
        }
        first17[17] = '\0';
        char want = iso7064_check(first17), got = sws_id_check_char(first17);
        if (want != got)
            fail_msg("%s: check %c, expected %c", first17, got, want);
        seen[want == 'X' ? 10 : want - '0'] = 1;
    }
    for (int i = 0; i < 11; i++)
        assert_true(seen[i]);
}

static void id_number_bad_birth_dates(void **state)
{
    (void)state;
    /* Each of these has the right check character for its 17 digits (the
     * check is computed here), so only the date can be what is refused. */
    static const char *const prefixes[] = {
        "33030219900230123", /* 30 February */
        "33030219901301123", /* month 13 */
        "33030219900001123", /* month 00 */
        "33030219900100123", /* day 00 */
        "33030219900431123", /* 31 April */
        "33030220210229123", /* 2021 is not a leap year */
        "33030219000229123", /* 1900 is not a leap year */
        "33030218991231123", /* before 1900 */
        "44052418800101001", /* an often-quoted example, born 1880 */
        "33030221991231123", /* born in 2199: in the future */
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        char id[19];
        memcpy(id, prefixes[i], 17);
        id[17] = iso7064_check(prefixes[i]);
        id[18] = '\0';
        assert_refused(sws_valid_id_number(id, NULL), "birth date");
    }
}

static void id_number_lengths_and_characters(void **state)
{
    (void)state;
    const char *form = "17 digits";
    assert_refused(sws_valid_id_number("11010519491231002", NULL), form);   /* 17 */
    assert_refused(sws_valid_id_number("11010519491231002XX", NULL), form); /* 19 */
    assert_refused(sws_valid_id_number("1101051949123100211", NULL), form); /* 19 */
    assert_refused(sws_valid_id_number("110105491231002", NULL), form);     /* old 15-digit */
    assert_refused(sws_valid_id_number("", NULL), form);
    assert_refused(sws_valid_id_number("1101051949123100X2", NULL), form);  /* X inside */
    assert_refused(sws_valid_id_number("11010519491231002Y", NULL), form);
    assert_refused(sws_valid_id_number("110105 19491231002X", NULL), form);
    assert_refused(sws_valid_id_number("11010519491231002X\n", NULL), form);
}

/* ---- mobile numbers ---------------------------------------------------- */

static void mobile_valid_forms(void **state)
{
    (void)state;
    static const char *const forms[] = {
        "13812345678",     "+8613812345678",    "8613812345678",   "+86 13812345678",
        "+86-13812345678", "138 1234 5678",     "138-1234-5678",   "+86 138 1234 5678",
        "+86-138-1234-5678", "86 138-1234-5678",
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char digits[12] = "unset";
        const char *rule = sws_valid_mobile(forms[i], digits);
        if (rule)
            fail_msg("\"%s\" refused: %s", forms[i], rule);
        assert_string_equal(digits, "13812345678");
    }
    /* every second digit 3-9 is a mainland mobile prefix */
    char num[12] = "1x012345678";
    for (char c = '3'; c <= '9'; c++) {
        num[1] = c;
        char digits[12];
        assert_null(sws_valid_mobile(num, digits));
        assert_string_equal(digits, num);
    }
    assert_null(sws_valid_mobile("19912345678", NULL));
}

static void mobile_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "138123456789",      /* 12 digits */
        "1381234567",        /* 10 digits */
        "12812345678",       /* starts 12 */
        "10812345678",       /* starts 10 */
        "23812345678",       /* does not start with 1 */
        "+87 13812345678",   /* another country */
        "+86 138123456789",  /* prefix and 12 digits */
        "057788888888",      /* a Wenzhou landline */
        "0577-88888888",
        "138 1234 567 8",    /* grouped wrongly */
        "138--1234-5678",
        "1381234567a",
        "",
        "13812345678\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char digits[12] = "unset";
        const char *rule = sws_valid_mobile(bad[i], digits);
        if (!rule)
            fail_msg("\"%s\" accepted as a mobile number", bad[i]);
        assert_non_null(strstr(rule, "mobile"));
        assert_string_equal(digits, "unset");
    }
}

/* ---- dates and months -------------------------------------------------- */

static void dates(void **state)
{
    (void)state;
    static const char *const good[] = {"2020-02-29", "2000-02-29", "2021-02-28", "2021-12-31",
                                       "2021-01-01", "2022-04-30", "1999-07-31", "2024-02-29"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (sws_valid_date(good[i]))
            fail_msg("%s refused: %s", good[i], sws_valid_date(good[i]));

    static const char *const not_real[] = {"2021-02-29", "1900-02-29", "2100-02-29",
                                           "2021-02-30", "2021-04-31", "2021-13-01",
                                           "2021-00-10", "2021-01-00", "2021-01-32"};
    for (size_t i = 0; i < sizeof not_real / sizeof not_real[0]; i++)
        assert_refused(sws_valid_date(not_real[i]), "calendar");

    static const char *const bad_form[] = {"2021-1-01", "2021/01/01", "20210101", "01-01-2021",
                                           "2021-01-01 ", "2021-01-01T00:00", "", "2021-01-0a",
                                           "2021-01-01\n", "二〇二一-01-01"};
    for (size_t i = 0; i < sizeof bad_form / sizeof bad_form[0]; i++)
        assert_refused(sws_valid_date(bad_form[i]), "YYYY-MM-DD");
}

static void months(void **state)
{
    (void)state;
    assert_null(sws_valid_month("2022-01"));
    assert_null(sws_valid_month("2022-09"));
    assert_null(sws_valid_month("2022-10"));
    assert_null(sws_valid_month("2022-12"));
    static const char *const bad[] = {"2022-00", "2022-13", "2022-1", "2022-010", "202201",
                                      "2022/01", "2022-01-01", "", "2022-1a", "2022-01\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_refused(sws_valid_month(bad[i]), "YYYY-MM");
}

/* ---- numbers and yes/no ------------------------------------------------ */

static void int_ranges(void **state)
{
    (void)state;
    long long v = -99;
    assert_null(sws_valid_int("0", 0, 744, &v));
    assert_int_equal(v, 0);
    assert_null(sws_valid_int("744", 0, 744, &v));
    assert_int_equal(v, 744);
    assert_null(sws_valid_int("+12", 0, 744, &v));
    assert_int_equal(v, 12);
    assert_null(sws_valid_int("2000", 2000, 2100, &v));
    assert_null(sws_valid_int("2100", 2000, 2100, &v));
    assert_int_equal(v, 2100);
    assert_null(sws_valid_int("-5", -5, 5, &v));
    assert_int_equal(v, -5);
    assert_null(sws_valid_int("7", 0, 10, NULL));

    v = 42;
    assert_refused(sws_valid_int("745", 0, 744, &v), "between 0 and 744");
    assert_int_equal(v, 42); /* untouched on failure */
    assert_refused(sws_valid_int("-1", 0, 744, &v), "between 0 and 744");
    assert_refused(sws_valid_int("1999", 2000, 2100, &v), "between 2000 and 2100");
    assert_refused(sws_valid_int("2101", 2000, 2100, &v), "between 2000 and 2100");
    assert_int_equal(v, 42);

    static const char *const not_whole[] = {"1.5", "1.0", "", "abc", "1e3", "0x10", "1 000",
                                            "1,000", "12a", "--1", "1234567890123456789"};
    for (size_t i = 0; i < sizeof not_whole / sizeof not_whole[0]; i++)
        assert_refused(sws_valid_int(not_whole[i], -1000000, 1000000, &v), "whole number");
}

static void real_ranges(void **state)
{
    (void)state;
    double d = -1;
    assert_null(sws_valid_real("0.1", 0.1, 24, &d)); /* the lower bound itself */
    assert_float_equal(d, 0.1, 1e-9);
    assert_null(sws_valid_real("24", 0.1, 24, &d)); /* the upper bound itself */
    assert_float_equal(d, 24, 1e-9);
    assert_null(sws_valid_real("24.0", 0.1, 24, &d));
    assert_null(sws_valid_real(".5", 0.1, 24, &d));
    assert_float_equal(d, 0.5, 1e-9);
    assert_null(sws_valid_real("5.", 0.1, 24, &d));
    assert_float_equal(d, 5, 1e-9);
    assert_null(sws_valid_real("+3.25", 0.1, 24, &d));
    assert_float_equal(d, 3.25, 1e-9);
    assert_null(sws_valid_real("0", 0, 1e12, NULL));
    assert_null(sws_valid_real("1000000000000", 0, 1e12, NULL));

    d = 7;
    assert_refused(sws_valid_real("0.09", 0.1, 24, &d), "between 0.1 and 24");
    assert_refused(sws_valid_real("24.01", 0.1, 24, &d), "between 0.1 and 24");
    assert_refused(sws_valid_real("0", 0.1, 24, &d), "between");
    assert_refused(sws_valid_real("-0.5", 0, 100, &d), "between 0 and 100");
    assert_refused(sws_valid_real("1000000000000.5", 0, 1e12, &d), "between");
    assert_float_equal(d, 7, 1e-9); /* untouched on failure */

    static const char *const not_numbers[] = {"", ".", "abc", "1,5", "1.2.3", "1e3", "nan",
                                              "inf", "12 m2", "0x1p3", "--1"};
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++)
        assert_refused(sws_valid_real(not_numbers[i], -1e12, 1e12, &d), "number");
}

static void bools(void **state)
{
    (void)state;
    static const char *const yes[] = {"1", "yes", "y", "true", "是", "Yes", "TRUE", "Y"};
    static const char *const no[] = {"0", "no", "n", "false", "否", "No", "FALSE", "N"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        int b = -1;
        if (sws_valid_bool(yes[i], &b))
            fail_msg("\"%s\" refused as yes", yes[i]);
        assert_int_equal(b, 1);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        int b = -1;
        if (sws_valid_bool(no[i], &b))
            fail_msg("\"%s\" refused as no", no[i]);
        assert_int_equal(b, 0);
    }
    static const char *const bad[] = {"2", "", "ok", "yess", "真", "-1", "1.0", "t"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int b = -1;
        assert_refused(sws_valid_bool(bad[i], &b), "yes or no");
        assert_int_equal(b, -1);
    }
    assert_null(sws_valid_bool("是", NULL));
}

/* ---- UTF-8 --------------------------------------------------------------- */

static long utf8_bad(const char *s) { return sws_utf8_invalid_at(s, strlen(s)); }

static void utf8(void **state)
{
    (void)state;
    assert_int_equal(utf8_bad(""), -1);
    assert_int_equal(utf8_bad("plain ASCII, 123"), -1);
    assert_int_equal(utf8_bad("温州市鹿城区五马街道"), -1);
    assert_int_equal(utf8_bad("é ü ñ ©"), -1);            /* 2-byte sequences */
    assert_int_equal(utf8_bad("\xf0\x9f\x98\x80 emoji"), -1); /* 4-byte sequence */
    assert_int_equal(utf8_bad("\xef\xbf\xbd"), -1);       /* U+FFFD */
    assert_int_equal(utf8_bad("\xf4\x8f\xbf\xbf"), -1);   /* U+10FFFF, the last code point */
    /* the length is honoured: a NUL inside is ASCII, and bytes past len are not read */
    assert_int_equal(sws_utf8_invalid_at("a\0b", 3), -1);
    assert_int_equal(sws_utf8_invalid_at("ok\xce\xc2", 2), -1);

    /* 温州 in GBK */
    assert_int_equal(utf8_bad("\xce\xc2\xd6\xdd"), 0);
    assert_int_equal(utf8_bad("330302,\xce\xc2\xd6\xdd"), 7);
    assert_int_equal(utf8_bad("温州\xce\xc2"), 6);
    /* overlong encodings */
    assert_int_equal(utf8_bad("a\xc0\xaf"), 1);          /* '/' in 2 bytes */
    assert_int_equal(utf8_bad("\xc1\xbf"), 0);
    assert_int_equal(utf8_bad("\xe0\x80\xaf"), 0);       /* '/' in 3 bytes */
    assert_int_equal(utf8_bad("\xf0\x80\x80\xaf"), 0);   /* '/' in 4 bytes */
    /* UTF-16 surrogates are not characters */
    assert_int_equal(utf8_bad("\xed\xa0\x80"), 0);       /* U+D800 */
    assert_int_equal(utf8_bad("ab\xed\xbf\xbf"), 2);     /* U+DFFF */
    assert_int_equal(utf8_bad("\xed\x9f\xbf"), -1);      /* U+D7FF is fine */
    /* beyond U+10FFFF, and bytes that never start a sequence */
    assert_int_equal(utf8_bad("\xf4\x90\x80\x80"), 0);
    assert_int_equal(utf8_bad("\xf5\x80\x80\x80"), 0);
    assert_int_equal(utf8_bad("x\xff"), 1);
    assert_int_equal(utf8_bad("x\x80"), 1);              /* a lone continuation byte */
    /* truncated sequences: at the end, and followed by ASCII */
    assert_int_equal(utf8_bad("\xe6\xb8"), 0);           /* 温 is e6 b8 a9 */
    assert_int_equal(utf8_bad("温\xe5"), 3);
    assert_int_equal(utf8_bad("\xe6\xb8,"), 0);
    assert_int_equal(utf8_bad("\xf0\x9f\x98"), 0);
    assert_int_equal(sws_utf8_invalid_at("温州", 4), 3); /* cut inside 州 by len */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(division_codes),
        cmocka_unit_test(id_numbers_valid),
        cmocka_unit_test(id_number_lowercase_x),
        cmocka_unit_test(id_number_wrong_check),
        cmocka_unit_test(id_number_single_changes_refused),
        cmocka_unit_test(id_check_char_agrees_with_iso7064),
        cmocka_unit_test(id_number_bad_birth_dates),
        cmocka_unit_test(id_number_lengths_and_characters),
        cmocka_unit_test(mobile_valid_forms),
        cmocka_unit_test(mobile_invalid),
        cmocka_unit_test(dates),
        cmocka_unit_test(months),
        cmocka_unit_test(int_ranges),
        cmocka_unit_test(real_ranges),
        cmocka_unit_test(bools),
        cmocka_unit_test(utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
