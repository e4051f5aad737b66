/*
 * cron.h — standard 5-field cron expressions and their next times.
 *
 * `minute hour day-of-month month day-of-week`, each field a list of
 * `*`, numbers, ranges `a-b` and steps `x/n`; months and weekdays also by
 * name (`jan`…`dec`, `sun`…`sat`, any case); weekday 7 is Sunday (and
 * Sunday ending a range, `sat-sun`, is read as 7); and the
 * shortcuts @yearly (@annually), @monthly, @weekly, @daily (@midnight) and
 * @hourly. Day-of-month and day-of-week follow Vixie cron: when both are
 * restricted (neither field starts with `*`) a day matches if either does;
 * otherwise both must.
 *
 * Times are wall-clock fields (a struct tm read as a calendar, without a
 * zone): the caller converts from and to the policy's time zone.
 */
#ifndef SWS_CRON_H
#define SWS_CRON_H

#include <stdint.h>
#include <time.h>

typedef struct sws_cron {
    uint64_t minute;       /* bit m: minute m (0-59) */
    uint32_t hour;         /* bit h (0-23) */
    uint32_t dom;          /* bit d (1-31) */
    uint16_t month;        /* bit m (1-12) */
    uint8_t dow;           /* bit d (0-6, Sunday 0) */
    int dom_star, dow_star; /* the field started with '*' (Vixie's rule) */
} sws_cron;

/* Parses EXPR into out. 0, or -1 with the field and the rule broken in why
 * ("field 3 (day of month) '32' is outside 1-31"). */
int sws_cron_parse(const char *expr, sws_cron *out, char *why, size_t whylen);

/* The first minute strictly after `after` (wall-clock fields; seconds are
 * dropped) that matches c, into out. 0, or -1 when nothing matches within
 * 28 years (an expression such as "0 0 30 2 *" never matches). */
int sws_cron_next(const sws_cron *c, const struct tm *after, struct tm *out);

/* Parses "YYYY-MM-DD HH:MM" (or "YYYY-MM-DDTHH:MM", optional ":SS") into
 * wall-clock fields. 0, or -1 when malformed or not a real time. */
int sws_cron_parse_time(const char *s, struct tm *out);

#endif
