/*
 * test_mask.c — how ID and mobile numbers appear once masked (mask.h):
 * ID numbers keep their first 6 and last 4 characters, mobiles their first
 * 3 and last 4; everything between is '*'.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mask.h"

static const char *masked_id(const char *id, char out[19])
{
    memset(out, '?', 19);
    sws_mask_id_number(id, out);
    return out;
}

static const char *masked_mobile(const char *m, char out[12])
{
    memset(out, '?', 12);
    sws_mask_mobile(m, out);
    return out;
}

static void id_keeps_first_6_and_last_4(void **state)
{
    (void)state;
    char out[19];
    assert_string_equal(masked_id("110105194912310021", out), "110105********0021");
    assert_string_equal(masked_id("11010519491231123X", out), "110105********123X");
    assert_string_equal(masked_id("330383200002294568", out), "330383********4568");
    assert_int_equal(strlen(out), 18);
    /* the birth date (digits 7-14) never shows */
    assert_null(strstr(masked_id("330302199003071231", out), "19900307"));
    assert_string_equal(out, "330302********1231");
}

static void id_lowercase_x_becomes_upper(void **state)
{
    (void)state;
    char out[19];
    assert_string_equal(masked_id("11010519491231002x", out), "110105********002X");
    assert_string_equal(masked_id("33030219880512007x", out), "330302********007X");
    /* the input is not modified */
    char id[] = "11010519491231002x";
    sws_mask_id_number(id, out);
    assert_string_equal(id, "11010519491231002x");
}

static void id_odd_lengths_never_overflow(void **state)
{
    (void)state;
    char out[19];
    /* longer input: only the first 18 characters are considered */
    assert_string_equal(masked_id("1101051949123100211", out), "110105********0021");
    /* too short to keep anything: every character hidden */
    assert_string_equal(masked_id("330302", out), "******");
    assert_string_equal(masked_id("", out), "");
    /* 17 characters: still 6 and 4 kept, the rest hidden */
    assert_string_equal(masked_id("11010519491231002", out), "110105*******1002");
}

static void mobile_keeps_first_3_and_last_4(void **state)
{
    (void)state;
    char out[12];
    assert_string_equal(masked_mobile("13812345678", out), "138****5678");
    assert_string_equal(masked_mobile("19900000001", out), "199****0001");
    assert_int_equal(strlen(out), 11);
    assert_string_equal(masked_mobile("123", out), "***");
    assert_string_equal(masked_mobile("", out), "");
    /* longer input is cut to 11 characters */
    assert_string_equal(masked_mobile("138123456789", out), "138****5678");
}

/* sws_mask_in_place on a copy of in; returns the copy. */
static const char *masked_text(const char *in, char *out, size_t n, int want_count)
{
    snprintf(out, n, "%s", in);
    assert_int_equal(sws_mask_in_place(out), want_count);
    assert_int_equal(strlen(out), strlen(in));
    return out;
}

static void text_masks_every_id_and_mobile_form(void **state)
{
    (void)state;
    char out[256];
    assert_string_equal(masked_text("note: 11010519491231002X called", out, sizeof out, 1),
                        "note: 110105********002X called");
    assert_string_equal(masked_text("15-digit 110105491231002 old ID", out, sizeof out, 1),
                        "15-digit 110105*****1002 old ID");
    assert_string_equal(masked_text("tel 13912345678.", out, sizeof out, 1),
                        "tel 139****5678.");
    assert_string_equal(masked_text("tel 139 1234 5678", out, sizeof out, 1),
                        "tel 139 **** 5678");
    assert_string_equal(masked_text("tel 139-1234-5678", out, sizeof out, 1),
                        "tel 139-****-5678");
    assert_string_equal(masked_text("+86 139 1234 5678 and +8613812345678", out, sizeof out, 2),
                        "+86 139 **** 5678 and +86138****5678");
    assert_string_equal(masked_text("86-13912345678", out, sizeof out, 1), "86-139****5678");
    assert_string_equal(masked_text("电话：13912345678，身份证11010519491231002x", out,
                                    sizeof out, 2),
                        "电话：139****5678，身份证110105********002x");
    /* not personal numbers: codes, longer runs, other lengths, already masked */
    assert_string_equal(masked_text("330302006 and 3303020060001", out, sizeof out, 0),
                        "330302006 and 3303020060001");
    assert_string_equal(masked_text("1391234567890 12912345678", out, sizeof out, 0),
                        "1391234567890 12912345678");
    assert_string_equal(masked_text("139****5678 110105********002X", out, sizeof out, 0),
                        "139****5678 110105********002X");
    assert_string_equal(masked_text("", out, sizeof out, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(id_keeps_first_6_and_last_4),
        cmocka_unit_test(id_lowercase_x_becomes_upper),
        cmocka_unit_test(id_odd_lengths_never_overflow),
        cmocka_unit_test(mobile_keeps_first_3_and_last_4),
        cmocka_unit_test(text_masks_every_id_and_mobile_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
