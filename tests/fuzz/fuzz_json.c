/*
 * fuzz_json.c — libFuzzer target: sws.json.decode.
 *
 * Each input is decoded by sws.json.decode inside the sandbox (as a plugin
 * would call it), and what decodes is encoded again. Seeds in tests/fuzz/json/.
 */
#include <stdint.h>
#include <stdlib.h>

#include <lua.h>

#include "host.h"
#include "lapi.h"

static sws_host *host;
static const char driver[] =
    "local text = ...\n"
    "local ok, v = pcall(sws.json.decode, text)\n"
    "if ok then pcall(sws.json.encode, v) end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sws_error e;
    if (!host) {
        sws_host_opts o = {.home = SWS_SOURCE_DIR, .install = sws_lapi_open, .hook_budget = 2000000,
                           .script_budget = 2000000, .memory_limit = (size_t)64 << 20};
        if (!(host = sws_host_new(&o, &e)))
            abort();
    }
    lua_State *L = sws_host_lua(host);
    lua_pushlstring(L, (const char *)data, size);
    if (sws_host_run_buffer(host, driver, sizeof driver - 1, "fuzz_json", ".", "fuzz",
                            SWS_CALLER_SCRIPT, NULL, 1, &e) == 0)
        lua_pop(L, 2);
    lua_settop(L, 0);
    return 0;
}
