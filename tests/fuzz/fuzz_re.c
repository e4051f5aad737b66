/*
 * fuzz_re.c — libFuzzer target: sws.re.compile and the core's pattern cache.
 *
 * The input's first line is a pattern, the rest a subject: the pattern is
 * compiled by sws.re.compile in the sandbox (and by the core's sws_re_get)
 * and, when it compiles, matched, searched and substituted over the
 * subject under the match limits. Seeds in tests/fuzz/re/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>

#include "host.h"
#include "lapi.h"
#include "re.h"

static sws_host *host;
static const char driver[] =
    "local pattern, subject = ...\n"
    "local ok, r = pcall(sws.re.compile, pattern)\n"
    "if ok then\n"
    "  pcall(r.match, r, subject)\n"
    "  pcall(r.find, r, subject)\n"
    "  pcall(r.gsub, r, subject, '<%0>')\n"
    "  pcall(function() for _ in r:gmatch(subject) do end end)\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int runs;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t plen = nl ? (size_t)(nl - data) : size;
    char *pattern = malloc(plen + 1);
    if (!pattern)
        return 0;
    memcpy(pattern, data, plen);
    pattern[plen] = '\0';
    sws_error e;
    if (!host) {
        sws_host_opts o = {.home = SWS_SOURCE_DIR, .install = sws_lapi_open, .script_budget = 2000000,
                           .memory_limit = (size_t)64 << 20};
        if (!(host = sws_host_new(&o, &e)))
            abort();
    }
    lua_State *L = sws_host_lua(host);
    lua_pushlstring(L, (const char *)data, plen);
    if (nl)
        lua_pushlstring(L, (const char *)nl + 1, size - plen - 1);
    else
        lua_pushliteral(L, "");
    if (sws_host_run_buffer(host, driver, sizeof driver - 1, "fuzz_re", ".", "fuzz",
                            SWS_CALLER_SCRIPT, NULL, 2, &e) == 0)
        lua_pop(L, 2);
    lua_settop(L, 0);
    sws_re *re = sws_re_get(pattern, &e);
    if (re && nl) {
        const char *subject = (const char *)nl + 1;
        size_t len = size - plen - 1;
        size_t ov[20];
        sws_re_exec(re, subject, len, 0, ov, 10, &e);
        sws_re_test(re, subject, len);
    }
    free(pattern);
    if (++runs % 1000 == 0)
        sws_re_clear_cache(); /* the cache keeps every pattern: keep it small */
    return 0;
}
