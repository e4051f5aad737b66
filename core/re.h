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

typedef struct sws_re sws_re;

/* Flags for sws_re_get (a subset of PCRE2's, spelled for Lua too). */
enum {
    SWS_RE_CASELESS = 1u << 0,
    SWS_RE_MULTILINE = 1u << 1,
    SWS_RE_DOTALL = 1u << 2,
    SWS_RE_EXTENDED = 1u << 3,
    SWS_RE_ANCHORED = 1u << 4,
};

/* Returns the compiled pattern, from the cache or newly compiled; NULL with
 * "offset N: reason" in e when the pattern is invalid. The cache owns it. */
sws_re *sws_re_get(const char *pattern, unsigned flags, sws_error *e);

/* Matches SUBJECT[0..len) from byte offset `start`. Returns 1 on a match
 * (filling ovector pairs, up to `pairs`, when ovector is not NULL), 0 when
 * there is none, -1 on an error such as a hit match limit (message in e). */
int sws_re_exec(sws_re *re, const char *subject, size_t len, size_t start,
                size_t *ovector, int pairs, sws_error *e);

/* Convenience: 1 when the whole-string pattern matches s, 0 when not, -1 on error. */
int sws_re_test(sws_re *re, const char *s, size_t len);

/* Number of capture groups, and the group number of a name (-1 if none). */
int sws_re_groups(const sws_re *re);
int sws_re_group_number(const sws_re *re, const char *name);

/* Calls fn for each named group (name, number). */
void sws_re_each_name(const sws_re *re, void (*fn)(const char *name, int number, void *ud),
                      void *ud);

/* Sets the limits applied to every match (0 keeps the current value). */
void sws_re_set_limits(uint32_t match_limit, uint32_t depth_limit);

/* Frees every cached pattern (at exit, and in tests). */
void sws_re_clear_cache(void);

#endif
