/*
 * re.c — PCRE2 wrapper: compiled-pattern cache, UTF-8, JIT, match limits.
 *
 * The cache is an open-addressing table that never evicts, so a pointer
 * it returns stays valid until sws_re_clear_cache(): callers may keep one in
 * a static. Past three quarters full, patterns go to an overflow list that
 * is searched linearly. The C core uses a few dozen fixed patterns; Lua
 * scripts, whose patterns are unbounded, own theirs instead (lapi_re.c).
 * One match-data block per pattern is reused: sws is single-threaded.
 */
#include "re.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

#define CACHE_SLOTS 256 /* power of two */

struct sws_re {
    sws_re *next_overflow;
    char *pattern;
    pcre2_code *code;
    pcre2_match_data *md;
};

static sws_re *cache[CACHE_SLOTS];
static int cache_used;
static sws_re *overflow;
static pcre2_match_context *mctx;

static void re_free(sws_re *re)
{
    if (!re)
        return;
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}

void sws_re_clear_cache(void)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        re_free(cache[i]);
        cache[i] = NULL;
    }
    cache_used = 0;
    while (overflow) {
        sws_re *next = overflow->next_overflow;
        re_free(overflow);
        overflow = next;
    }
    pcre2_match_context_free(mctx);
    mctx = NULL;
}

sws_re *sws_re_get(const char *pattern, sws_error *e)
{
    uint64_t h = sws_hash(pattern);
    size_t slot = h & (CACHE_SLOTS - 1);
    for (size_t probe = 0; probe < CACHE_SLOTS; probe++) {
        sws_re *c = cache[(slot + probe) & (CACHE_SLOTS - 1)];
        if (!c)
            break;
        if (strcmp(c->pattern, pattern) == 0)
            return c;
    }
    for (sws_re *c = overflow; c; c = c->next_overflow)
        if (strcmp(c->pattern, pattern) == 0)
            return c;

    int errcode;
    PCRE2_SIZE erroff;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        sws_errorf(e, "invalid pattern at offset %zu: %s", (size_t)erroff, (char *)msg);
        return NULL;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */

    sws_re *re = calloc(1, sizeof *re);
    if (!re || !(re->pattern = strdup(pattern)) ||
        !(re->md = pcre2_match_data_create_from_pattern(code, NULL))) {
        if (re)
            free(re->pattern);
        free(re);
        pcre2_code_free(code);
        sws_errorf(e, "out of memory compiling a pattern");
        return NULL;
    }
    re->code = code;

    if (cache_used >= CACHE_SLOTS * 3 / 4) {
        re->next_overflow = overflow;
        overflow = re;
        return re;
    }
    for (size_t probe = 0;; probe++) {
        size_t i = (slot + probe) & (CACHE_SLOTS - 1);
        if (!cache[i]) {
            cache[i] = re;
            cache_used++;
            break;
        }
    }
    return re;
}

int sws_re_exec(sws_re *re, const char *subject, size_t len, size_t start,
                size_t *ovector, int pairs, sws_error *e)
{
    if (!mctx) {
        mctx = pcre2_match_context_create(NULL);
        if (!mctx)
            return sws_errorf(e, "out of memory");
        pcre2_set_match_limit(mctx, SWS_RE_MATCH_LIMIT);
        pcre2_set_depth_limit(mctx, SWS_RE_DEPTH_LIMIT);
    }
    int rc = pcre2_match(re->code, (PCRE2_SPTR)subject, len, start, 0, re->md, mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        return sws_errorf(e, "regular expression /%s/: %s", re->pattern, (char *)msg);
    }
    if (ovector) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
        uint32_t n = pcre2_get_ovector_count(re->md);
        for (int i = 0; i < pairs; i++) {
            if ((uint32_t)i < n && ov[2 * i] != PCRE2_UNSET) {
                ovector[2 * i] = ov[2 * i];
                ovector[2 * i + 1] = ov[2 * i + 1];
            } else {
                ovector[2 * i] = ovector[2 * i + 1] = (size_t)-1;
            }
        }
    }
    return 1;
}

int sws_re_test(sws_re *re, const char *s, size_t len)
{
    return sws_re_exec(re, s, len, 0, NULL, 0, NULL);
}
