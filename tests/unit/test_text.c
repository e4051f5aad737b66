/*
 * test_text.c — numbers written with a fixed number of decimals
 * (sws_fixed, sws_fput_fixed) come out exactly as printf's "%.*f" writes
 * them: ties and values a hair from a tie, negative zero, large values,
 * infinities and NaN, and a million values of a report's range.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* sws_fixed(x, d) against snprintf's "%.*f"; fails naming x. */
static void same_as_printf(double x, int d)
{
    char want[32], got[32];
    snprintf(want, sizeof want, "%.*f", d, x); /* cut as sws_fixed's buffer is */
    int len = sws_fixed(got, x, d);
    if (strcmp(want, got) != 0 || len != (int)strlen(want))
        fail_msg("%.17g with %d decimals: printf writes \"%s\", sws_fixed \"%s\" (%d)", x, d,
                 want, got, len);
}

static void ties_and_edges_as_printf(void **state)
{
    (void)state;
    const double xs[] = {0, -0.0, 0.05, 0.15, 0.25, 0.35, 2.5, 3.5, -2.5, 0.125, 0.375,
                         1.005, 2.675, 99.95, 99.995, 100, 59.9, 60, 0.049999999, 0.0500001,
                         -0.04, -0.05, -1e-9, 1e-300, 123456789.125, 1e14, 9.99e14, 1e15, 1e20,
                         -1e20, INFINITY, -INFINITY, NAN, 4.35, 1.45, 8.345, 12.5, 0.5, 1.5,
                         99999999.95, 999999999.5, 1e9, 4503599627370495.5, 1e300};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++)
        for (int d = 0; d <= 6; d++)
            same_as_printf(xs[i], d);
}

static void a_million_report_numbers_as_printf(void **state)
{
    (void)state;
    srand(20221231);
    for (int i = 0; i < 1000000; i++) {
        double x;
        switch (i % 4) {
        case 0: /* points and totals: hundredths and their sums, scaled by a weight */
            x = (rand() % 10001) / 100.0 * ((rand() % 40) + 1) / 30.0;
            break;
        case 1: /* exactly on a tie of the last decimal */
            x = (rand() % 200001) / 2000.0;
            break;
        case 2: /* anywhere in a wide range */
            x = ldexp((double)rand() / RAND_MAX, rand() % 60 - 20);
            break;
        default: /* negative */
            x = -(rand() % 100000) / 1000.0;
        }
        same_as_printf(x, 1 + i % 2);
    }
}

static void padded_as_fprintf(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    sws_fput_fixed(f, 59.95, 1, 6);
    sws_fput_fixed(f, -0.04, 1, 6);
    sws_fput_fixed(f, 100, 2, 6);
    sws_fput_fixed(f, 1234567.5, 1, 6);
    fclose(f);
    char want[128];
    snprintf(want, sizeof want, "%6.1f%6.1f%6.2f%6.1f", 59.95, -0.04, 100.0, 1234567.5);
    assert_string_equal(text, want);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ties_and_edges_as_printf),
        cmocka_unit_test(a_million_report_numbers_as_printf),
        cmocka_unit_test(padded_as_fprintf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
