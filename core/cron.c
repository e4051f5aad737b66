/*
 * cron.c — the cron parser and next-time search (see cron.h).
 *
 * Parsing is table-driven: one row per field (name, bounds, the names it
 * accepts) and one loop that reads lists, ranges and steps into a bit set.
 * The search walks forward from the given time by the coarsest unit that
 * fails (month, then day, hour, minute), so a year of an expression that
 * matches once a year costs a few dozen steps. The calendar is libc's
 * (timegm normalises the fields and gives the weekday).
 */
#define _DEFAULT_SOURCE /* timegm */
#include "cron.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MONTH_NAMES[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                          "aug", "sep", "oct", "nov", "dec", NULL};
static const char *const DAY_NAMES[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL};

/* One row per field: what it is called, its bounds, the names it accepts
 * and the value of the first name. */
static const struct field_spec {
    const char *label;
    int lo, hi;
    const char *const *names;
    int first_name;
} FIELDS[5] = {
    {"minute", 0, 59, NULL, 0},
    {"hour", 0, 23, NULL, 0},
    {"day of month", 1, 31, NULL, 0},
    {"month", 1, 12, MONTH_NAMES, 1},
    {"day of week", 0, 7, DAY_NAMES, 0},
};

/* The shortcuts and what they stand for. */
static const struct {
    const char *name, *expr;
} SHORTCUTS[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

/* Reads a number or (when the field has names) a three-letter name at *p;
 * advances *p. -1 when there is neither. */
static int read_value(const struct field_spec *f, const char **p)
{
    const char *s = *p;
    if (isdigit((unsigned char)*s)) {
        long v = 0;
        while (isdigit((unsigned char)*s) && v < 1000)
            v = v * 10 + (*s++ - '0');
        *p = s;
        return (int)v;
    }
    if (f->names)
        for (int i = 0; f->names[i]; i++)
            if (strncasecmp(s, f->names[i], 3) == 0 && !isalpha((unsigned char)s[3])) {
                *p = s + 3;
                return f->first_name + i;
            }
    return -1;
}

/* Parses one field (text `t`, field index i) into the bit set *bits.
 * 0, or -1 with why. */
static int parse_field(int i, const char *t, uint64_t *bits, char *why, size_t n)
{
    const struct field_spec *f = &FIELDS[i];
    const char *p = t;
    *bits = 0;
    for (;;) {
        int lo, hi, step = 1, ranged = 0;
        if (*p == '*') {
            lo = f->lo;
            hi = f->hi == 7 ? 6 : f->hi;
            ranged = 1;
            p++;
        } else {
            lo = read_value(f, &p);
            if (lo < 0)
                goto bad_token;
            hi = lo;
            if (*p == '-') {
                p++;
                ranged = 1;
                hi = read_value(f, &p);
                if (hi < 0)
                    goto bad_token;
                if (f->hi == 7 && hi == 0 && lo > 0) /* "sat-sun": Sunday ends a range as 7 */
                    hi = 7;
            }
        }
        if (*p == '/') {
            p++;
            if (!isdigit((unsigned char)*p))
                goto bad_token;
            step = 0;
            while (isdigit((unsigned char)*p) && step < 1000)
                step = step * 10 + (*p++ - '0');
            if (step == 0) {
                snprintf(why, n, "field %d (%s) '%s': a step must be at least 1", i + 1, f->label,
                         t);
                return -1;
            }
            if (!ranged) /* "5/15" means 5-max/15 */
                hi = f->hi;
        }
        if (*p != ',' && *p != '\0')
            goto bad_token;
        if (lo < f->lo || hi > f->hi) {
            snprintf(why, n, "field %d (%s) '%s' is outside %d-%d", i + 1, f->label, t, f->lo,
                     f->hi);
            return -1;
        }
        if (lo > hi) {
            snprintf(why, n, "field %d (%s) '%s': the range runs backwards (%d > %d)", i + 1,
                     f->label, t, lo, hi);
            return -1;
        }
        for (int v = lo; v <= hi; v += step)
            *bits |= (uint64_t)1 << (f->hi == 7 && v == 7 ? 0 : v); /* weekday 7 is Sunday */
        if (*p == '\0')
            return 0;
        p++;
    }
bad_token:
    snprintf(why, n,
             "field %d (%s) '%s' is not a list of numbers%s, ranges (a-b), steps (x/n) or *",
             i + 1, f->label, t, f->names ? " or names" : "");
    return -1;
}

int sws_cron_parse(const char *expr, sws_cron *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof *out);
    while (isspace((unsigned char)*expr))
        expr++;
    if (*expr == '@') {
        char name[16];
        size_t len = strcspn(expr, " \t");
        snprintf(name, sizeof name, "%.*s", (int)(len < 15 ? len : 15), expr);
        for (size_t k = 0; k < sizeof SHORTCUTS / sizeof SHORTCUTS[0]; k++)
            if (strcasecmp(name, SHORTCUTS[k].name) == 0 && expr[len + strspn(expr + len, " \t")] == '\0')
                return sws_cron_parse(SHORTCUTS[k].expr, out, why, whylen);
        snprintf(why, whylen,
                 "unknown shortcut '%s' (use @yearly, @annually, @monthly, @weekly, @daily, "
                 "@midnight or @hourly)",
                 name);
        return -1;
    }
    char fields[5][64];
    int nf = 0;
    const char *p = expr;
    while (*p) {
        size_t len = strcspn(p, " \t");
        if (nf == 5 || len >= sizeof fields[0]) {
            snprintf(why, whylen, nf == 5 ? "needs 5 fields (minute hour day month weekday), "
                                            "found more"
                                          : "field %d is too long",
                     nf + 1);
            return -1;
        }
        snprintf(fields[nf++], sizeof fields[0], "%.*s", (int)len, p);
        p += len;
        p += strspn(p, " \t");
    }
    if (nf != 5) {
        snprintf(why, whylen, "needs 5 fields (minute hour day month weekday), found %d", nf);
        return -1;
    }
    uint64_t bits[5];
    for (int i = 0; i < 5; i++)
        if (parse_field(i, fields[i], &bits[i], why, whylen) < 0)
            return -1;
    out->minute = bits[0];
    out->hour = (uint32_t)bits[1];
    out->dom = (uint32_t)bits[2];
    out->month = (uint16_t)bits[3];
    out->dow = (uint8_t)bits[4];
    out->dom_star = fields[2][0] == '*';
    out->dow_star = fields[4][0] == '*';
    return 0;
}

/* Whether day t (normalised, with its weekday) matches c's day fields. */
static int day_matches(const sws_cron *c, const struct tm *t)
{
    int dom = (c->dom >> t->tm_mday) & 1, dow = (c->dow >> t->tm_wday) & 1;
    if (c->dom_star || c->dow_star)
        return dom && dow;
    return dom || dow;
}

int sws_cron_next(const sws_cron *c, const struct tm *after, struct tm *out)
{
    struct tm t = *after;
    t.tm_sec = 0;
    t.tm_min++;
    t.tm_isdst = 0;
    timegm(&t);
    int limit_year = t.tm_year + 28; /* the calendar repeats every 28 years within a century */
    while (t.tm_year <= limit_year) {
        if (!((c->month >> (t.tm_mon + 1)) & 1)) {
            t.tm_mon++;
            t.tm_mday = 1;
            t.tm_hour = t.tm_min = 0;
        } else if (!day_matches(c, &t)) {
            t.tm_mday++;
            t.tm_hour = t.tm_min = 0;
        } else if (!((c->hour >> t.tm_hour) & 1)) {
            t.tm_hour++;
            t.tm_min = 0;
        } else if (!((c->minute >> t.tm_min) & 1)) {
            t.tm_min++;
        } else {
            *out = t;
            return 0;
        }
        timegm(&t);
    }
    return -1;
}

int sws_cron_parse_time(const char *s, struct tm *out)
{
    int y, mo, d, h, mi, sec = 0, used = 0;
    char sep;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &used) != 6 ||
        (sep != ' ' && sep != 'T'))
        return -1;
    if (s[used] == ':') {
        int more = 0;
        if (sscanf(s + used, ":%2d%n", &sec, &more) != 1)
            return -1;
        used += more;
    }
    if (s[used] != '\0')
        return -1;
    struct tm t = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                   .tm_min = mi, .tm_sec = sec};
    struct tm norm = t;
    timegm(&norm);
    if (norm.tm_year != t.tm_year || norm.tm_mon != t.tm_mon || norm.tm_mday != t.tm_mday ||
        norm.tm_hour != t.tm_hour || norm.tm_min != t.tm_min || norm.tm_sec != t.tm_sec)
        return -1;
    *out = norm;
    return 0;
}
