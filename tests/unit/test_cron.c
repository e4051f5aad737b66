/*
 * test_cron.c — the cron parser and next-time search (cron.h), the zone's
 * times of the schedule (schedule.h: keys, next runs across a DST change),
 * and sws_mask_text, which the daemon's log lines go through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cron.h"
#include "mask.h"
#include "schedule.h"

/* The next n times of expr after from, "|"-separated, into out. */
static const char *next_times(const char *expr, const char *from, int n, char *out, size_t len)
{
    sws_cron c;
    char why[200];
    struct tm t;
    out[0] = '\0';
    if (sws_cron_parse(expr, &c, why, sizeof why) < 0) {
        snprintf(out, len, "error: %s", why);
        return out;
    }
    assert_int_equal(sws_cron_parse_time(from, &t), 0);
    for (int i = 0; i < n && sws_cron_next(&c, &t, &t) == 0; i++) {
        char one[24];
        strftime(one, sizeof one, "%Y-%m-%d %H:%M", &t);
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "|" : "", one);
    }
    return out;
}

static void fields_lists_ranges_steps_names(void **state)
{
    (void)state;
    char out[512];
    assert_string_equal(next_times("*/20 9-10 * * *", "2026-05-01 09:50", 4, out, sizeof out),
                        "2026-05-01 10:00|2026-05-01 10:20|2026-05-01 10:40|2026-05-02 09:00");
    assert_string_equal(next_times("0 0 1 JAN,jul *", "2026-02-01 00:00", 2, out, sizeof out),
                        "2026-07-01 00:00|2027-01-01 00:00");
    assert_string_equal(next_times("5/20 0 1 1 *", "2026-01-01 00:00", 3, out, sizeof out),
                        "2026-01-01 00:05|2026-01-01 00:25|2026-01-01 00:45");
    assert_string_equal(next_times("0 12 * * Sat-Sun", "2026-11-27 13:00", 2, out, sizeof out),
                        "2026-11-28 12:00|2026-11-29 12:00");
    assert_string_equal(next_times("@hourly", "2026-12-31 23:30", 1, out, sizeof out),
                        "2027-01-01 00:00");
}

static void day_fields_follow_vixie(void **state)
{
    (void)state;
    char out[512];
    /* both restricted: either matches (the 1st, or a Monday) */
    assert_string_equal(next_times("0 0 1 * mon", "2026-06-01 00:00", 3, out, sizeof out),
                        "2026-06-08 00:00|2026-06-15 00:00|2026-06-22 00:00");
    assert_string_equal(next_times("0 0 1 * mon", "2026-06-29 00:00", 2, out, sizeof out),
                        "2026-07-01 00:00|2026-07-06 00:00");
    /* day of month starting with '*': both must match */
    assert_string_equal(next_times("0 0 */10 * mon", "2026-06-01 00:00", 2, out, sizeof out),
                        "2026-08-31 00:00|2026-09-21 00:00");
    /* 31st and 29 February */
    assert_string_equal(next_times("0 0 31 2,4,5 *", "2026-01-01 00:00", 1, out, sizeof out),
                        "2026-05-31 00:00");
    assert_string_equal(next_times("0 0 29 2 *", "2024-02-29 00:00", 1, out, sizeof out),
                        "2028-02-29 00:00");
    assert_string_equal(next_times("0 0 31 2 *", "2026-01-01 00:00", 1, out, sizeof out), "");
}

static void errors_name_field_and_rule(void **state)
{
    (void)state;
    char out[512];
    assert_string_equal(next_times("0 0 0 * *", "2026-01-01 00:00", 1, out, sizeof out),
                        "error: field 3 (day of month) '0' is outside 1-31");
    assert_string_equal(next_times("0 0 * 13 *", "2026-01-01 00:00", 1, out, sizeof out),
                        "error: field 4 (month) '13' is outside 1-12");
    assert_string_equal(next_times("0 0 * * 8", "2026-01-01 00:00", 1, out, sizeof out),
                        "error: field 5 (day of week) '8' is outside 0-7");
    assert_string_equal(next_times("0 0 * * mon-", "2026-01-01 00:00", 1, out, sizeof out),
                        "error: field 5 (day of week) 'mon-' is not a list of numbers or names, "
                        "ranges (a-b), steps (x/n) or *");
    assert_string_equal(next_times("0 0 * * * *", "2026-01-01 00:00", 1, out, sizeof out),
                        "error: needs 5 fields (minute hour day month weekday), found more");
    struct tm t;
    assert_int_equal(sws_cron_parse_time("2026-02-29 00:00", &t), -1);
    assert_int_equal(sws_cron_parse_time("2026-02-28T23:59:59", &t), 0);
    assert_int_equal(sws_cron_parse_time("2026-02-28 24:00", &t), -1);
    assert_int_equal(sws_cron_parse_time("2026-02-28 10:00 ", &t), -1);
}

static void zone_keys_and_dst(void **state)
{
    (void)state;
    sws_sched_entry x;
    memset(&x, 0, sizeof x);
    char why[200], key[40];
    assert_int_equal(sws_cron_parse("30 2 * * *", &x.cron, why, sizeof why), 0);
    assert_int_equal(sws_schedule_use_zone("Nowhere/Atlantis"), -1);
    assert_int_equal(sws_schedule_use_zone("Asia/Shanghai"), 0);
    time_t t;
    assert_int_equal(sws_schedule_parse_local("2026-11-30 09:00", &t), 0);
    sws_schedule_key(t, key, sizeof key);
    assert_string_equal(key, "2026-11-30 09:00+08:00");
    /* Europe/Berlin skips 02:00-03:00 on 29 March 2026: 02:30 that day does
     * not exist, and the next run is never before the time asked from */
    assert_int_equal(sws_schedule_use_zone("Europe/Berlin"), 0);
    assert_int_equal(sws_schedule_parse_local("2026-03-28 03:00", &t), 0);
    time_t n1 = sws_schedule_next(&x, t), n2 = sws_schedule_next(&x, n1);
    assert_true(n1 > t && n2 > n1);
    sws_schedule_key(n2, key, sizeof key);
    assert_string_equal(key, "2026-03-30 02:30+02:00");
    assert_int_equal(sws_schedule_use_zone("Asia/Shanghai"), 0);
}

static void log_lines_are_masked(void **state)
{
    (void)state;
    char line[128];
    sws_mask_text("worker 330302199003071231 (13812345678) failed; 123456 and 1381234567 stay",
                  line, sizeof line);
    assert_string_equal(line, "worker 330302********1231 (138****5678) failed; 123456 and "
                              "1381234567 stay");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_lists_ranges_steps_names),
        cmocka_unit_test(day_fields_follow_vixie),
        cmocka_unit_test(errors_name_field_and_rule),
        cmocka_unit_test(zone_keys_and_dst),
        cmocka_unit_test(log_lines_are_masked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
