/*
 * fuzz_policy.c — libFuzzer target: the policy loader.
 *
 * Each input is a county policy file: it is loaded through the policy
 * library (inheritance, provenance) in the sandbox under small budgets,
 * validated against the city's bounds, and forgotten. Seeds in
 * tests/fuzz/policy/ (the shipped county policies).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lua.h>

#include "host.h"
#include "lapi.h"
#include "policy.h"

static sws_host *host;
static char path[96];
static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!host) {
        sws_host_opts o = {.home = SWS_SOURCE_DIR, .install = sws_lapi_open, .hook_budget = 2000000,
                           .memory_limit = (size_t)32 << 20};
        sws_error e;
        if (!(host = sws_host_new(&o, &e)))
            abort();
        char dir[] = "/tmp/sws-fuzz-policy-XXXXXX";
        if (!mkdtemp(dir))
            abort();
        snprintf(path, sizeof path, "%s/p.lua", dir);
        devnull = fopen("/dev/null", "w");
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size)
        fwrite(data, 1, size, f);
    fclose(f);
    sws_policy p;
    sws_error e;
    if (sws_policy_load(host, path, &p, &e) == 0) {
        sws_policy_validate(&p, devnull, &e);
        sws_policy_release(&p);
    }
    lua_State *L = sws_host_lua(host);
    sws_policy_push_lib(L, NULL, "forget");
    lua_pushstring(L, path);
    lua_call(L, 1, 0);
    lua_settop(L, 0);
    return 0;
}
