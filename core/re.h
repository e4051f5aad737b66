/*
 * re.h — PCRE2 regular expressions with a cache of compiled patterns.
 *
 * Patterns are compiled once (UTF mode, JIT when the platform has it) and
 * kept in a small table keyed by pattern text and flags, so the hot paths
 * of import and checks never recompile. Every match runs under a match
 * limit and a depth limit: a catastrophic pattern fails with an error
 * instead of hanging the host.
 */
#ifndef SWS_RE_H
#define SWS_RE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Every match, in C (sws_re_exec) and in Lua (sws.re), stops past these: a
 * catastrophic pattern fails, it does not hang. */
#define SWS_RE_MATCH_LIMIT 1000000
#define SWS_RE_DEPTH_LIMIT 10000

typedef struct sws_re sws_re;

/* Returns the compiled pattern (UTF-8 mode), from the cache or newly
 * compiled; NULL with "offset N: reason" in e when the pattern is invalid.
 * The cache owns it. */
sws_re *sws_re_get(const char *pattern, sws_error *e);

/* Matches SUBJECT[0..len) from byte offset `start`. Returns 1 on a match
 * (filling ovector pairs, up to `pairs`, when ovector is not NULL), 0 when
 * there is none, -1 on an error such as a hit match limit (message in e). */
int sws_re_exec(sws_re *re, const char *subject, size_t len, size_t start,
                size_t *ovector, int pairs, sws_error *e);

/* Convenience: 1 when the whole-string pattern matches s, 0 when not, -1 on error. */
int sws_re_test(sws_re *re, const char *s, size_t len);

/* Frees every cached pattern (at exit, and in tests). */
void sws_re_clear_cache(void);

#endif
