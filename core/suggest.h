/*
 * suggest.h — "did you mean …?": the nearest known word to a mistyped one.
 *
 * Used wherever a name typed by a person is looked up in a fixed set:
 * commands, subcommands, options, import kinds, CSV header columns. The
 * distance is Levenshtein's over Unicode characters (so a mistyped Chinese
 * header counts one edit per character); a candidate is offered only when
 * it is close enough to be a likely typo.
 */
#ifndef SWS_SUGGEST_H
#define SWS_SUGGEST_H

typedef struct sws_suggest {
    const char *word; /* what was typed */
    const char *best; /* nearest candidate so far, or NULL */
    int distance;     /* its distance */
} sws_suggest;

/* Starts a search for the nearest candidate to word. */
void sws_suggest_init(sws_suggest *s, const char *word);

/* Offers one candidate (the pointer is kept: it must outlive s). */
void sws_suggest_offer(sws_suggest *s, const char *candidate);

/* The nearest candidate when it is a plausible typo of the word (at most
 * max(2, a third of the word's length) edits), else NULL. */
const char *sws_suggest_best(const sws_suggest *s);

/* Writes " (did you mean 'X'?)" into buf when there is a best candidate,
 * else an empty string; returns buf. */
const char *sws_suggest_hint(const sws_suggest *s, char *buf, unsigned long n);

#endif
