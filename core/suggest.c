/* suggest.c — Levenshtein distance over UTF-8 characters, for "did you mean". */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

#define MAX_CHARS 64 /* longer words are compared on their first 64 characters */

/* Decodes UTF-8 s into code points (invalid bytes count as one character each). */
static int decode(const char *s, unsigned out[MAX_CHARS])
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p && n < MAX_CHARS) {
        unsigned c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            c = (c << 6) | (*p++ & 0x3F);
        out[n++] = c;
    }
    return n;
}

static int lower(unsigned c) { return c >= 'A' && c <= 'Z' ? (int)(c + 32) : (int)c; }

/* Edit distance (insert, delete, substitute, swap two neighbours: the
 * optimal string alignment distance; ASCII letters compared without case). */
static int distance(const char *a, const char *b)
{
    unsigned ca[MAX_CHARS], cb[MAX_CHARS];
    int na = decode(a, ca), nb = decode(b, cb);
    static int d[MAX_CHARS + 1][MAX_CHARS + 1];
    for (int i = 0; i <= na; i++)
        d[i][0] = i;
    for (int j = 0; j <= nb; j++)
        d[0][j] = j;
    for (int i = 1; i <= na; i++)
        for (int j = 1; j <= nb; j++) {
            int same = lower(ca[i - 1]) == lower(cb[j - 1]);
            int best = d[i - 1][j - 1] + !same;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && lower(ca[i - 1]) == lower(cb[j - 2]) &&
                lower(ca[i - 2]) == lower(cb[j - 1]) && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[na][nb];
}

void sws_suggest_init(sws_suggest *s, const char *word)
{
    s->word = word;
    s->best = NULL;
    s->distance = 1 << 30;
}

void sws_suggest_offer(sws_suggest *s, const char *candidate)
{
    if (!candidate || !candidate[0])
        return;
    int d = distance(s->word, candidate);
    if (d < s->distance) {
        s->distance = d;
        s->best = candidate;
    }
}

const char *sws_suggest_best(const sws_suggest *s)
{
    unsigned chars[MAX_CHARS];
    int len = decode(s->word, chars), limit = len / 3 > 2 ? len / 3 : 2;
    return s->best && strcmp(s->best, s->word) != 0 && s->distance <= limit ? s->best : NULL;
}

const char *sws_suggest_hint(const sws_suggest *s, char *buf, unsigned long n)
{
    const char *best = sws_suggest_best(s);
    if (best)
        snprintf(buf, n, " (did you mean '%s'?)", best);
    else if (n)
        buf[0] = '\0';
    return buf;
}
