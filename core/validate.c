/* validate.c — format validators for imported values. */
#include "validate.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include "date.h"
#include "re.h"

/* Matches s against a cached whole-string pattern. The cache never evicts,
 * so the pointer is kept in the caller's static. PCRE2's $ also matches
 * before a final newline, which is never part of a valid value. */
static int matches(sws_re **slot, const char *pattern, const char *s)
{
    size_t len = strlen(s);
    if (len && s[len - 1] == '\n')
        return 0;
    if (!*slot)
        *slot = sws_re_get(pattern, NULL);
    return *slot && sws_re_test(*slot, s, len) == 1;
}

const char *sws_valid_division_code(const char *s, int digits)
{
    static sws_re *re6, *re9, *re12;
    switch (digits) {
    case 6: return matches(&re6, "^[0-9]{6}$", s) ? NULL : "must be a 6-digit county code";
    case 9: return matches(&re9, "^[0-9]{9}$", s) ? NULL : "must be a 9-digit township code";
    case 12: return matches(&re12, "^[0-9]{12}$", s) ? NULL : "must be a 12-digit village code";
    default: return "unknown kind of division code";
    }
}

static int real_date(int y, int m, int d)
{
    if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= sws_date_days_in_month(y, m);
}

char sws_id_check_char(const char *first17)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * weight[i];
    return check[sum % 11];
}

const char *sws_valid_id_number(const char *s, char birth[11])
{
    static sws_re *re;
    if (!matches(&re, "^[0-9]{17}[0-9Xx]$", s))
        return "resident ID number must be 17 digits and a check digit or X";
    int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
    int m = (s[10] - '0') * 10 + (s[11] - '0');
    int d = (s[12] - '0') * 10 + (s[13] - '0');
    if (!real_date(y, m, d) || y < 1900)
        return "resident ID number carries no real birth date (digits 7-14)";
    time_t now = time(NULL);
    struct tm today;
    localtime_r(&now, &today);
    if (y * 10000 + m * 100 + d > (today.tm_year + 1900) * 10000 + (today.tm_mon + 1) * 100 + today.tm_mday)
        return "resident ID number carries a birth date in the future (digits 7-14)";
    char want = sws_id_check_char(s);
    char got = s[17] == 'x' ? 'X' : s[17];
    if (want != got)
        return "resident ID number fails its check digit (GB 11643, ISO 7064 MOD 11-2)";
    if (birth)
        snprintf(birth, 11, "%04d-%02d-%02d", y, m, d);
    return NULL;
}

const char *sws_valid_mobile(const char *s, char digits11[12])
{
    static sws_re *re;
    if (!matches(&re, "^(?:\\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}$", s))
        return "must be a mainland mobile number (11 digits starting 13-19)";
    if (digits11) {
        /* Keep the last 11 digits: the prefix, if any, comes before them. */
        char all[32];
        size_t n = 0;
        for (const char *p = s; *p && n < sizeof all - 1; p++)
            if (*p >= '0' && *p <= '9')
                all[n++] = *p;
        memcpy(digits11, all + n - 11, 11);
        digits11[11] = '\0';
    }
    return NULL;
}

const char *sws_valid_date(const char *s)
{
    static sws_re *re;
    if (!matches(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", s))
        return "must be a date written YYYY-MM-DD";
    if (!real_date(atoi(s), atoi(s + 5), atoi(s + 8)))
        return "is not a real calendar date";
    return NULL;
}

/* Reads "YYYY<sep>M[M]<sep>D[D]<end>" (parts = 3) or "YYYY<sep>M[M]<end>"
 * (parts = 2), with sep one of / - . or the Chinese 年 月 日. */
static int excel_parts(const char *s, int parts, int out[3])
{
    static const char *const seps[][3] = {{"/", "/", ""}, {"-", "-", ""}, {".", ".", ""},
                                          {"年", "月", "日"}};
    for (size_t k = 0; k < sizeof seps / sizeof seps[0]; k++) {
        const char *p = s;
        int ok = 1;
        for (int i = 0; i < parts && ok; i++) {
            int digits = 0, v = 0;
            while (*p >= '0' && *p <= '9' && digits < 4)
                v = v * 10 + (*p++ - '0'), digits++;
            ok = i == 0 ? digits == 4 : digits >= 1 && digits <= 2;
            out[i] = v;
            const char *sep = i < parts - 1 ? seps[k][i] : seps[k][2];
            if (ok && i == parts - 1 && parts == 2 && k == 3)
                sep = "月"; /* 2023年3月 */
            size_t sl = strlen(sep);
            ok = ok && strncmp(p, sep, sl) == 0;
            p += ok ? sl : 0;
        }
        if (ok && !*p)
            return 1;
    }
    return 0;
}

int sws_date_from_excel(const char *s, char iso[11])
{
    int v[3];
    if (!excel_parts(s, 3, v))
        return 0;
    snprintf(iso, 11, "%04d-%02d-%02d", v[0], v[1] % 100, v[2] % 100);
    return 1;
}

int sws_month_from_excel(const char *s, char iso[8])
{
    int v[3];
    if (!excel_parts(s, 2, v))
        return 0;
    snprintf(iso, 8, "%04d-%02d", v[0], v[1] % 100);
    return 1;
}

const char *sws_valid_month(const char *s)
{
    static sws_re *re;
    if (!matches(&re, "^[0-9]{4}-(?:0[1-9]|1[0-2])$", s))
        return "must be a month written YYYY-MM";
    return NULL;
}

const char *sws_valid_int(const char *s, long long min, long long max, long long *out)
{
    static sws_re *re;
    static char msg[96];
    if (!matches(&re, "^[+-]?[0-9]{1,18}$", s))
        return "must be a whole number";
    long long v = strtoll(s, NULL, 10);
    if (v < min || v > max) {
        snprintf(msg, sizeof msg, "must be between %lld and %lld", min, max);
        return msg;
    }
    if (out)
        *out = v;
    return NULL;
}

const char *sws_valid_real(const char *s, double min, double max, double *out)
{
    static sws_re *re;
    static char msg[96];
    if (!matches(&re, "^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)$", s))
        return "must be a number";
    errno = 0;
    double v = strtod(s, NULL);
    if (errno || !isfinite(v))
        return "must be a finite number";
    if (v < min || v > max) {
        snprintf(msg, sizeof msg, "must be between %g and %g", min, max);
        return msg;
    }
    if (out)
        *out = v;
    return NULL;
}

const char *sws_valid_bool(const char *s, int *out)
{
    /* Any letter case: spreadsheets write TRUE and FALSE. */
    static const char *yes[] = {"1", "yes", "y", "true", "是", NULL};
    static const char *no[] = {"0", "no", "n", "false", "否", NULL};
    for (int i = 0; yes[i]; i++)
        if (strcasecmp(s, yes[i]) == 0) {
            if (out) *out = 1;
            return NULL;
        }
    for (int i = 0; no[i]; i++)
        if (strcasecmp(s, no[i]) == 0) {
            if (out) *out = 0;
            return NULL;
        }
    return "must be yes or no (1/0, 是/否)";
}

long sws_utf8_invalid_at(const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) { need = 1; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; min = 0x10000; }
        else return (long)i;
        unsigned cp = c & (0x3F >> need);
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                return (long)i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (long)i;
        i += need + 1;
    }
    return -1;
}
