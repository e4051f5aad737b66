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

/* Writes s as HTML or XML text (also inside a double-quoted attribute):
 * < > & " escaped, control characters other than tab and newline as '?'
 * (XML 1.0 has no way to write them). NULL writes nothing. */
void sws_fput_markup(FILE *f, const char *s);

/* The noun for n things: `one` when n is 1, else `many`, so that counts agree
 * in number: printf("%d %s", n, sws_plural(n, "station", "stations")). */
const char *sws_plural(long long n, const char *one, const char *many);

#endif
