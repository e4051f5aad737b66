/*
 * date.c — the one calendar of sws: proleptic Gregorian dates written
 * YYYY-MM-DD, day numbers (days since 1970-01-01, H. Hinnant's
 * days_from_civil) and back, parsing with the reason a text is not a date,
 * and today's local date. sws.date (lapi_date.c), the evaluation's period,
 * the workflow's dates and the import's date checks all count on it.
 */
#include "date.h"

#include <stdio.h>
#include <time.h>

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

int sws_date_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int sws_date_days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && sws_date_is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a valid date. */
long long sws_date_day_number(sws_ymd t)
{
    long long y = t.y - (t.m <= 2);
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (t.m + (t.m > 2 ? -3 : 9)) + 2) / 5 + t.d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The date of a day number. */
sws_ymd sws_date_from_day_number(long long z)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    sws_ymd t;
    t.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    t.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    t.y = (int)(yoe + era * 400 + (t.m <= 2));
    return t;
}

/*
 * Parses S[0..len) as YYYY-MM-DD into t. Returns NULL, or the reason it is
 * not a date (written into why, which is returned).
 */
const char *sws_date_parse(const char *s, size_t len, sws_ymd *t, char *why, size_t wn)
{
    static const int digit_at[] = {0, 1, 2, 3, 5, 6, 8, 9};
    if (len != 10 || s[4] != '-' || s[7] != '-')
        goto form;
    for (size_t i = 0; i < sizeof digit_at / sizeof digit_at[0]; i++)
        if (s[digit_at[i]] < '0' || s[digit_at[i]] > '9')
            goto form;
    t->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    t->m = (s[5] - '0') * 10 + (s[6] - '0');
    t->d = (s[8] - '0') * 10 + (s[9] - '0');
    if (t->y < 1) {
        snprintf(why, wn, "year 0000 does not exist");
        return why;
    }
    if (t->m < 1 || t->m > 12) {
        snprintf(why, wn, "month %d does not exist", t->m);
        return why;
    }
    if (t->d < 1 || t->d > sws_date_days_in_month(t->y, t->m)) {
        if (t->d < 1)
            snprintf(why, wn, "day 00 does not exist");
        else
            snprintf(why, wn, "%s %d has %d days", month_names[t->m - 1], t->y,
                     sws_date_days_in_month(t->y, t->m));
        return why;
    }
    return NULL;
form:
    snprintf(why, wn, "expected YYYY-MM-DD");
    return why;
}

void sws_today(char out[11])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}
