/*
 * text.h — printing UTF-8 text in aligned columns, counted nouns, and text
 * escaped for HTML and XML.
 *
 * Chinese characters take two terminal columns but three bytes, so printf's
 * field widths misalign tables of place names; these helpers count columns.
 */
#ifndef SWS_TEXT_H
#define SWS_TEXT_H

#include <stdio.h>

/* Terminal columns taken by UTF-8 string s (East Asian wide characters count 2). */
int sws_text_width(const char *s);

/* Writes s left-aligned in `width` columns (never truncates). */
void sws_fput_padded(FILE *f, const char *s, int width);

/* x with `decimals` digits after the point (0 to 6) in buf, exactly as
 * snprintf(buf, 32, "%.*f", decimals, x) writes it; returns its length
 * (at most 31).
 * Printf's exact decimal conversion made the printing of a national
 * ranking slow (nine numbers a station): this rounds in binary and leaves
 * to printf only what falls within a hair of a tie, and what is huge or
 * not a number. */
int sws_fixed(char buf[32], double x, int decimals);

/* Writes x as fprintf(f, "%*.*f", width, decimals, x) does (sws_fixed). */
void sws_fput_fixed(FILE *f, double x, int decimals, int width);

/* Writes s as HTML or XML text (also inside a double-quoted attribute):
 * < > & " escaped, control characters other than tab and newline as '?'
 * (XML 1.0 has no way to write them). NULL writes nothing. */
void sws_fput_markup(FILE *f, const char *s);

/* The noun for n things: `one` when n is 1, else `many`, so that counts agree
 * in number: printf("%d %s", n, sws_plural(n, "station", "stations")). */
const char *sws_plural(long long n, const char *one, const char *many);

#endif
