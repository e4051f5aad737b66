/*
 * date.h — the one calendar of sws (date.c): dates, day numbers, parsing,
 * today. Every date a run judges by is its as-of date (--as-of); today is
 * only the default when none is given.
 */
#ifndef SWS_DATE_H
#define SWS_DATE_H

#include <stddef.h>

typedef struct sws_ymd {
    int y, m, d;
} sws_ymd;

/* 1 when y is a leap year. */
int sws_date_is_leap(int y);

/* Days of month m (1-12) of year y. */
int sws_date_days_in_month(int y, int m);

/* Days since 1970-01-01 of a valid date (negative before). */
long long sws_date_day_number(sws_ymd t);

/* The date of a day number. */
sws_ymd sws_date_from_day_number(long long z);

/* Parses S[0..len) as YYYY-MM-DD (years 0001-9999) into t. Returns NULL, or
 * the reason it is not a date ("February 2023 has 28 days"), written into
 * why, which is returned. */
const char *sws_date_parse(const char *s, size_t len, sws_ymd *t, char *why, size_t wn);

/* Today's local date as YYYY-MM-DD (the default when no --as-of is given). */
void sws_today(char out[11]);

#endif
