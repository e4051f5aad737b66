/* text.c — column widths of UTF-8 text for aligned reports, counted nouns, and
 * text escaped for HTML and XML. */
#include "text.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* Whether code point c is wide: the CJK, Hangul, full-width and related ranges. */
static int is_wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

int sws_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = 0;
    while (*p) {
        uint32_t c;
        int n;
        if (*p < 0x80) { c = *p; n = 1; }
        else if ((*p & 0xE0) == 0xC0) { c = *p & 0x1F; n = 2; }
        else if ((*p & 0xF0) == 0xE0) { c = *p & 0x0F; n = 3; }
        else { c = *p & 0x07; n = 4; }
        for (int i = 1; i < n; i++) {
            if ((p[i] & 0xC0) != 0x80) { n = i; break; }
            c = (c << 6) | (p[i] & 0x3F);
        }
        w += is_wide(c) ? 2 : 1;
        p += n;
    }
    return w;
}

void sws_fput_padded(FILE *f, const char *s, int width)
{
    fputs(s, f);
    for (int w = sws_text_width(s); w < width; w++)
        fputc(' ', f);
}

const char *sws_plural(long long n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void sws_fput_markup(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' ? '?' : *s, f);
        }
    }
}

int sws_fixed(char buf[32], double x, int decimals)
{
    static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
    double y = decimals >= 0 && decimals <= 6 ? x * scale[decimals] : NAN;
    double r = nearbyint(y);
    /* Below 1e9, y is within 6e-8 (half a unit in its last place) of x
     * times the scale, so away from a tie it rounds as the exact product
     * does; printf's own rounding decides the rest. */
    if (!(fabs(y) < 1e9) || fabs(fabs(y - r) - 0.5) < 1e-6) {
        int len = snprintf(buf, 32, "%.*f", decimals, x);
        return len < 32 ? len : 31;
    }
    char digits[24];
    int n = 0;
    for (long long v = (long long)fabs(r); v > 0 || n <= decimals; v /= 10)
        digits[n++] = (char)('0' + v % 10);
    int len = 0;
    if (signbit(x)) /* printf keeps the sign of what rounds to zero: -0.0 */
        buf[len++] = '-';
    while (n > decimals)
        buf[len++] = digits[--n];
    if (decimals > 0)
        buf[len++] = '.';
    while (n > 0)
        buf[len++] = digits[--n];
    buf[len] = '\0';
    return len;
}

void sws_fput_fixed(FILE *f, double x, int decimals, int width)
{
    char buf[32];
    for (int len = sws_fixed(buf, x, decimals); len < width; len++)
        fputc(' ', f);
    fputs(buf, f);
}
