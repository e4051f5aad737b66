/*
 * cmd_test.c — `sws test [PATHS…]`: Lua tests run inside the real host.
 *
 * Each *_test.lua file gets a fresh host on its own temporary database (the
 * fixture), with the plugins loaded, and these globals:
 *   test(name, fn)                    register a test
 *   assert_eq(actual, expected [, msg])
 *   assert_true(value [, msg])
 *   assert_error(fn [, pattern])      fn must raise an error matching pattern
 *   fixture.import(kind, csv_text)    import CSV text into the test database
 * Every test runs as its own call, with its own instruction budget.
 */
#include <dirent.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "host.h"
#include "import.h"
#include "lapi.h"
#include "plugin.h"

static const char testlib[] =
    "local tests = {}\n"
    "local lib = {tests = tests}\n"
    "local function show(v)\n"
    "  if type(v) == 'string' then return string.format('%q', v) end\n"
    "  return tostring(v)\n"
    "end\n"
    "function lib.test(name, fn) tests[#tests + 1] = {name = name, fn = fn} end\n"
    "function lib.assert_eq(a, b, msg)\n"
    "  if a ~= b then error((msg and msg .. ': ' or '') .. 'expected ' .. show(b) ..\n"
    "    ', got ' .. show(a), 2) end\n"
    "end\n"
    "function lib.assert_true(v, msg) if not v then error(msg or 'expected a true value', 2) end end\n"
    "function lib.assert_error(fn, pattern)\n"
    "  local ok, err = pcall(fn)\n"
    "  if ok then error('expected an error' .. (pattern and (' matching ' .. show(pattern)) or ''), 2) end\n"
    "  err = tostring(err)\n"
    "  if pattern and not string.find(err, pattern) then\n"
    "    error('error ' .. show(err) .. ' does not match ' .. show(pattern), 2)\n"
    "  end\n"
    "  return err\n"
    "end\n"
    "return lib\n";

/** fixture.import(kind, csv_text) -> rows imported; raises with the problems */
static int l_fixture_import(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const sws_import_kind *k = sws_import_find(luaL_checkstring(L, 1));
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    if (!k)
        return luaL_error(L, "fixture.import: no kind '%s'", lua_tostring(L, 1));
    char path[] = "/tmp/sws-fixture-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return luaL_error(L, "fixture.import: cannot make a temporary file");
    FILE *f = fdopen(fd, "w");
    fwrite(text, 1, len, f);
    fclose(f);
    char *diag = NULL;
    size_t dlen = 0;
    FILE *d = open_memstream(&diag, &dlen);
    sws_import_opts o = {.diag = d};
    sws_import_result res;
    sws_error e;
    int rc = sws_lapi_import(h, k, path, &o, &res, &e);
    fclose(d);
    unlink(path);
    if (rc < 0) {
        lua_pushfstring(L, "fixture.import %s: %s\n%s", k->name, e.msg, diag ? diag : "");
        free(diag);
        return lua_error(L);
    }
    free(diag);
    lua_pushinteger(L, res.imported);
    return 1;
}

typedef struct tally {
    int passed, failed;
    sws_test_after after;
    void *ud;
} tally;

/* Runs one test file on a fresh temporary database. */
static void run_file(const sws_cli *cli, const char *path, tally *t)
{
    char dbpath[] = "/tmp/sws-test-XXXXXX";
    int fd = mkstemp(dbpath);
    if (fd >= 0)
        close(fd);
    sqlite3 *db = NULL;
    sws_host *h = NULL;
    sws_error e;
    printf("%s\n", path);
    if (fd < 0 || sws_db_open(dbpath, &db, &e) < 0 || !(h = sws_cli_new_host(cli, db))) {
        printf("  FAIL (setup) %s\n", fd < 0 ? "cannot make a temporary database" : e.msg);
        t->failed++;
        goto cleanup;
    }
    sws_plugins ps;
    sws_plugins_load(h, NULL, 1, &ps);
    sws_plugins_free(&ps);

    lua_State *L = sws_host_lua(h);
    if (sws_host_run_buffer(h, testlib, sizeof testlib - 1, "testlib", ".", "the test library",
                            SWS_CALLER_SCRIPT, NULL, 0, &e) < 0) {
        printf("  FAIL (setup) %s\n", e.msg);
        t->failed++;
        goto cleanup;
    }
    int lib = lua_gettop(L);
    static const char *const names[] = {"test", "assert_eq", "assert_true", "assert_error", NULL};
    for (int i = 0; names[i]; i++) {
        lua_getfield(L, lib, names[i]);
        sws_host_set_global(h, names[i]);
    }
    lua_newtable(L);
    lua_pushcfunction(L, l_fixture_import);
    lua_setfield(L, -2, "import");
    lua_pushstring(L, dbpath);
    lua_setfield(L, -2, "db_path");
    sws_host_set_global(h, "fixture");

    char who[4200];
    snprintf(who, sizeof who, "test file %s", path);
    if (sws_host_run_file(h, path, who, SWS_CALLER_SCRIPT, NULL, 0, &e) < 0) {
        printf("  FAIL (loading) %s\n", e.msg);
        t->failed++;
        goto cleanup;
    }
    lua_pop(L, 2);
    lua_getfield(L, lib, "tests");
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "name");
        char name[256];
        snprintf(name, sizeof name, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_getfield(L, -1, "fn");
        lua_remove(L, -2);
        if (sws_host_call(h, 0, 0, SWS_CALLER_SCRIPT, NULL, NULL, &e) == 0) {
            printf("  ok   %s\n", name);
            t->passed++;
        } else {
            printf("  FAIL %s: %s\n", name, e.msg);
            t->failed++;
        }
    }
    lua_settop(L, 0);
    if (t->after)
        t->after(h, t->ud);
cleanup:
    fflush(stdout);
    sws_host_free(h);
    if (db)
        sqlite3_close(db);
    static const char *const suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; fd >= 0 && i < 3; i++) {
        char p[64];
        snprintf(p, sizeof p, "%s%s", dbpath, suffix[i]);
        unlink(p);
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Runs PATH if it is a test file, or every test file below it. */
static void run_path(const sws_cli *cli, const char *path, tally *t)
{
    struct stat sb;
    if (stat(path, &sb) < 0) {
        printf("%s\n  FAIL (no such file or folder)\n", path);
        t->failed++;
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        run_file(cli, path, t);
        return;
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_name);
    for (int i = 0; i < n; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, names[i]->d_name);
        if (names[i]->d_name[0] != '.' &&
            (ends_with(names[i]->d_name, "_test.lua") ||
             (stat(sub, &sb) == 0 && S_ISDIR(sb.st_mode))))
            run_path(cli, sub, t);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

void sws_test_run_paths(const sws_cli *cli, char **paths, int n, sws_test_after after, void *ud,
                        int *passed, int *failed)
{
    tally t = {0, 0, after, ud};
    for (int i = 0; i < n; i++)
        run_path(cli, paths[i], &t);
    *passed = t.passed;
    *failed = t.failed;
}

int sws_cmd_test(sws_cli *cli, int argc, char **argv)
{
    char lua[4200], plugins[4200];
    snprintf(lua, sizeof lua, "%s/tests/lua", sws_home());
    snprintf(plugins, sizeof plugins, "%s/plugins", sws_home());
    /* An installed sws has no tests/lua (tests are not installed). */
    int lua_there = access(lua, F_OK) == 0;
    char *defaults[] = {lua_there ? lua : plugins, plugins};
    int passed, failed;
    if (argc < 2)
        sws_test_run_paths(cli, defaults, lua_there ? 2 : 1, NULL, NULL, &passed, &failed);
    else
        sws_test_run_paths(cli, argv + 1, argc - 1, NULL, NULL, &passed, &failed);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? SWS_EXIT_ERROR : SWS_EXIT_OK;
}
