/*
 * test_host.c — the Lua host's out-of-memory paths and budgets, from C.
 *
 * The memory budget is the host's allocator refusing: these tests walk the
 * budget up from far too small, so that every allocation the host makes
 * while it starts, loads the sandbox and runs a chunk fails in turn. Each
 * attempt must end in a clean error or a working host — never a crash, a
 * leak (LeakSanitizer) or a half-built host — and a host that ran out of
 * memory in one call must still work for the next.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "lapi.h"
#include "re.h"

static const char chunk[] =
    "local t = {}\n"
    "for i = 1, 200 do t[i] = string.rep('x', i) .. i end\n"
    "return #t + #sws.json.encode({a = {1, 2, 3}})\n";

/* Runs chunk in h; returns its result, or -1 with the error in e. */
static lua_Integer run(sws_host *h, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    if (sws_host_run_buffer(h, chunk, sizeof chunk - 1, "chunk", ".", "the test chunk",
                            SWS_CALLER_SCRIPT, NULL, 0, e) < 0)
        return -1;
    lua_Integer n = lua_tointeger(L, -1);
    lua_pop(L, 2);
    return n;
}

static void every_memory_limit_fails_cleanly(void **state)
{
    (void)state;
    int created = 0, ran = 0;
    for (size_t limit = 8 * 1024; limit <= 1024 * 1024; limit += 8 * 1024) {
        sws_host_opts o = {.home = SWS_SOURCE_DIR, .memory_limit = limit};
        sws_error e = {{0}};
        sws_host *h = sws_host_new(&o, &e);
        if (!h) {
            assert_true(e.msg[0] != '\0'); /* says why */
            continue;
        }
        created++;
        lua_Integer n = run(h, &e);
        if (n >= 0) {
            assert_int_equal(n, 200 + 13);
            ran++;
        } else {
            assert_non_null(strstr(e.msg, "memory budget"));
        }
        sws_host_free(h);
    }
    assert_true(created > 0);
    assert_true(ran > 0);
    sws_re_clear_cache();
}

static void host_survives_a_memory_bomb(void **state)
{
    (void)state;
    sws_host_opts o = {.home = SWS_SOURCE_DIR, .memory_limit = 8u << 20};
    sws_error e;
    sws_host *h = sws_host_new(&o, &e);
    assert_non_null(h);
    static const char bomb[] = "local t = {} while true do t[#t + 1] = string.rep('y', 4096) end";
    assert_int_equal(sws_host_run_buffer(h, bomb, sizeof bomb - 1, "bomb", ".", "the bomb",
                                         SWS_CALLER_SCRIPT, NULL, 0, &e), -1);
    assert_non_null(strstr(e.msg, "memory budget of 8 MiB exceeded"));
    size_t peak;
    sws_host_memory(h, &peak);
    assert_true(peak <= (8u << 20));
    assert_int_equal(run(h, &e), 200 + 13); /* the next call works */
    sws_host_free(h);
    sws_re_clear_cache();
}

static void instruction_budget_is_per_call_and_named(void **state)
{
    (void)state;
    sws_host_opts o = {.home = SWS_SOURCE_DIR, .script_budget = 100000};
    sws_error e;
    sws_host *h = sws_host_new(&o, &e);
    assert_non_null(h);
    static const char loop[] = "local n = 0 while true do n = n + 1 end";
    assert_int_equal(sws_host_run_buffer(h, loop, sizeof loop - 1, "loop", ".", "the loop",
                                         SWS_CALLER_SCRIPT, NULL, 0, &e), -1);
    assert_non_null(strstr(e.msg, "loop:1: instruction budget of 100000 exceeded"));
    /* a pcall that catches it raises it again with the loop's line, not its own */
    static const char caught[] = "local ok = pcall(function()\n  while true do end\nend)\n"
                                 "return ok";
    assert_int_equal(sws_host_run_buffer(h, caught, sizeof caught - 1, "caught", ".",
                                         "the caught loop", SWS_CALLER_SCRIPT, NULL, 0, &e),
                     -1);
    assert_non_null(strstr(e.msg, "caught:2: instruction budget of 100000 exceeded"));
    /* a later call starts with a fresh budget */
    assert_int_equal(run(h, &e), 200 + 13);
    sws_host_free(h);
    sws_re_clear_cache();
}

int main(void)
{
    sws_host_set_api(sws_lapi_open); /* the embedder installs the sws API */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_memory_limit_fails_cleanly),
        cmocka_unit_test(host_survives_a_memory_bomb),
        cmocka_unit_test(instruction_budget_is_per_call_and_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
