/*
 * test_suggest.c — "did you mean" (suggest.h) and Excel's date forms
 * (sws_date_from_excel / sws_month_from_excel of validate.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"
#include "validate.h"

/* The suggestion for word among the NULL-terminated candidates, or NULL. */
static const char *nearest(const char *word, const char *const *candidates)
{
    sws_suggest s;
    sws_suggest_init(&s, word);
    for (int i = 0; candidates[i]; i++)
        sws_suggest_offer(&s, candidates[i]);
    return sws_suggest_best(&s);
}

static const char *const commands[] = {"init", "import", "generate", "demo", "summary", "run",
                                       "test", "plugin", "policy", "workflow", "eval", "check",
                                       "job", "help", NULL};

static void typos_find_their_word(void **state)
{
    (void)state;
    assert_string_equal(nearest("chek", commands), "check");        /* a letter left out */
    assert_string_equal(nearest("checkk", commands), "check");      /* one too many */
    assert_string_equal(nearest("polciy", commands), "policy");     /* two swapped: one edit */
    assert_string_equal(nearest("wrkflow", commands), "workflow");
    assert_string_equal(nearest("Check", commands), "check");       /* letter case */
    static const char *const subs[] = {"start", "advance", "status", "history", NULL};
    assert_string_equal(nearest("stauts", subs), "status");        /* not "start" */
    static const char *const cols[] = {"code", "name", "phone", "hired", NULL};
    assert_string_equal(nearest("phnoe", cols), "phone");
    /* Chinese: one character is one edit */
    static const char *const zh[] = {"姓名", "岗位", "手机", NULL};
    assert_string_equal(nearest("岗味", zh), "岗位");
}

static void far_words_get_nothing(void **state)
{
    (void)state;
    assert_null(nearest("xyzzyplugh", commands));
    assert_null(nearest("check", commands)); /* the word itself is not a suggestion */
    static const char *const none[] = {NULL};
    assert_null(nearest("check", none));
    /* short words: at most 2 edits */
    assert_null(nearest("zz", (const char *const[]){"init", NULL}));
}

static void hint_text(void **state)
{
    (void)state;
    sws_suggest s;
    char buf[64];
    sws_suggest_init(&s, "--yaer");
    sws_suggest_offer(&s, "--year");
    sws_suggest_offer(&s, "--as-of");
    assert_string_equal(sws_suggest_hint(&s, buf, sizeof buf), " (did you mean '--year'?)");
    sws_suggest_init(&s, "--qqqqqq");
    sws_suggest_offer(&s, "--year");
    assert_string_equal(sws_suggest_hint(&s, buf, sizeof buf), "");
}

static void excel_dates(void **state)
{
    (void)state;
    char iso[11], month[8];
    const char *forms[][2] = {{"2023/3/7", "2023-03-07"},   {"2023-3-7", "2023-03-07"},
                              {"2023.03.07", "2023-03-07"}, {"2023年3月7日", "2023-03-07"},
                              {"2023/12/31", "2023-12-31"}, {"2023-03-07", "2023-03-07"}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        assert_int_equal(sws_date_from_excel(forms[i][0], iso), 1);
        assert_string_equal(iso, forms[i][1]);
    }
    /* not dates: left to the validator, which names the accepted form */
    const char *not_dates[] = {"23/3/7", "2023/3", "2023/3/7x", "2023/3-7", "2023年3月7",
                               "3/7/2023", "2023/123/1", "", " 2023/3/7"};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++)
        assert_int_equal(sws_date_from_excel(not_dates[i], iso), 0);
    /* the form is rewritten; the calendar is still the validator's */
    assert_int_equal(sws_date_from_excel("2022/2/30", iso), 1);
    assert_non_null(sws_valid_date(iso));

    assert_int_equal(sws_month_from_excel("2023/3", month), 1);
    assert_string_equal(month, "2023-03");
    assert_int_equal(sws_month_from_excel("2023年11月", month), 1);
    assert_string_equal(month, "2023-11");
    assert_int_equal(sws_month_from_excel("2023/3/7", month), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(typos_find_their_word),
        cmocka_unit_test(far_words_get_nothing),
        cmocka_unit_test(hint_text),
        cmocka_unit_test(excel_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
