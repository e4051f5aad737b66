/*
 * cmd_test.c — `sws test [PATHS…] [NAME…] [--format text|tap|junit]`: Lua
 * tests run inside the real host. A NAME keeps the tests whose name (or file)
 * contains it; TAP and JUnit XML are for CI systems.
 *
 * Each *_test.lua file gets a fresh host on its own temporary database (the
 * fixture), with the plugins loaded, and these globals:
 *   test(name, fn)                    register a test
 *   assert_eq(actual, expected [, msg])  tables by content, with a diff
 *   assert_true(value [, msg])
 *   assert_error(fn [, pattern])      fn must raise an error matching pattern
 *   fixture.import(kind, csv_text)    import CSV text into the test database
 * Every test runs as its own call, with its own instruction budget. A failed
 * test lists the findings plugin rules made while it ran, naming the plugin.
 */
#include <dirent.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "check.h"
#include "db.h"
#include "grow.h"
#include "host.h"
#include "import.h"
#include "lapi.h"
#include "plugin.h"
#include "text.h"

/* The globals of a test file. assert_eq compares tables by their contents
 * and, when they differ, lists the keys that differ with both values. */
static const char testlib[] =
    "local tests = {}\n"
    "local lib = {tests = tests}\n"
    "local function show(v)\n"
    "  if type(v) == 'string' then return string.format('%q', v) end\n"
    "  return tostring(v)\n"
    "end\n"
    "local function key_text(k)\n"
    "  if type(k) == 'string' and k:match('^[%a_][%w_]*$') then return '.' .. k end\n"
    "  return '[' .. show(k) .. ']'\n"
    "end\n"
    "-- the differences of tables a (actual) and b (expected) under path, into out\n"
    "local function diff(a, b, path, out, seen)\n"
    "  if type(a) == 'table' and type(b) == 'table' then\n"
    "    if seen[a] == b then return end\n"
    "    seen[a] = b\n"
    "    local keys, have = {}, {}\n"
    "    for k in pairs(b) do if not have[k] then have[k] = true; keys[#keys + 1] = k end end\n"
    "    for k in pairs(a) do if not have[k] then have[k] = true; keys[#keys + 1] = k end end\n"
    "    table.sort(keys, function(x, y)\n"
    "      if type(x) == type(y) and (type(x) == 'number' or type(x) == 'string') then return x < y end\n"
    "      return type(x) < type(y) end)\n"
    "    for _, k in ipairs(keys) do diff(a[k], b[k], path .. key_text(k), out, seen) end\n"
    "  elseif a ~= b then\n"
    "    local function brief(v) return type(v) == 'table' and '{…}' or show(v) end\n"
    "    out[#out + 1] = '  ' .. (path == '' and '(value)' or path:gsub('^%.', '')) ..\n"
    "      ': expected ' .. brief(b) .. ', got ' .. brief(a)\n"
    "  end\n"
    "end\n"
    "function lib.test(name, fn) tests[#tests + 1] = {name = name, fn = fn} end\n"
    "function lib.assert_eq(a, b, msg)\n"
    "  if type(a) == 'table' and type(b) == 'table' then\n"
    "    local out = {}\n"
    "    diff(a, b, '', out, {})\n"
    "    if #out == 0 then return end\n"
    "    local n = #out\n"
    "    if n > 20 then for i = n, 21, -1 do out[i] = nil end\n"
    "      out[#out + 1] = '  … and ' .. (n - 20) .. ' more' end\n"
    "    error((msg and msg .. ': ' or '') .. 'tables differ in ' .. n ..\n"
    "      (n == 1 and ' key' or ' keys') .. ':\\n' .. table.concat(out, '\\n'), 2)\n"
    "  end\n"
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

/* One test's outcome, kept for the TAP and JUnit reports. */
typedef struct test_result {
    char *file, *name, *msg; /* msg: why it failed (NULL when it passed) */
} test_result;

typedef struct tally {
    int passed, failed;
    sws_test_after after;
    void *ud;
    char **names;            /* name filters (none: every test) */
    int nnames;
    int text;                /* print each result as it comes (the text format) */
    test_result *res;
    int nres, capres;
} tally;

/* Keeps one outcome and prints it in the text format. msg NULL: passed. */
static void record(tally *t, const char *file, const char *name, const char *msg)
{
    if (msg)
        t->failed++;
    else
        t->passed++;
    if (t->text) {
        if (msg)
            printf("  FAIL %s: %s\n", name, msg);
        else
            printf("  ok   %s\n", name);
    }
    if (sws_grow(&t->res, &t->capres, t->nres, sizeof *t->res) < 0)
        return; /* counted all the same */
    test_result *r = &t->res[t->nres];
    r->file = strdup(file);
    r->name = strdup(name);
    r->msg = msg ? strdup(msg) : NULL;
    if (r->file && r->name && (r->msg || !msg)) {
        t->nres++;
        return;
    }
    free(r->file); /* out of memory: left out of the report, counted all the same */
    free(r->name);
    free(r->msg);
}

/* Whether test `name` of file `path` is selected by the name filters: its
 * name or its file's path contains one of them. */
static int selected(const tally *t, const char *path, const char *name)
{
    if (!t->nnames)
        return 1;
    for (int i = 0; i < t->nnames; i++)
        if (strstr(name, t->names[i]) || strstr(path, t->names[i]))
            return 1;
    return 0;
}

enum { WHY_SIZE = 4096 }; /* a failed test's reason with the plugin findings */

/* Appends each line (a finding of a plugin rule) to the buffer ud (WHY_SIZE). */
static void add_plugin_finding(const char *line, void *ud)
{
    char *buf = ud;
    size_t used = strlen(buf);
    snprintf(buf + used, WHY_SIZE - used, "\n       finding of a plugin rule: %s", line);
}

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
    if (t->text && !t->nnames)
        printf("%s\n", path);
    if (fd < 0 || sws_db_open(dbpath, &db, &e) < 0 || !(h = sws_cli_new_host(cli, db))) {
        if (t->text && t->nnames)
            printf("%s\n", path);
        record(t, path, "(setup)", fd < 0 ? "cannot make a temporary database" : e.msg);
        goto cleanup;
    }
    sws_plugins ps;
    sws_plugins_load(h, NULL, 1, &ps);
    sws_plugins_free(&ps);

    lua_State *L = sws_host_lua(h);
    if (sws_host_run_buffer(h, testlib, sizeof testlib - 1, "testlib", ".", "the test library",
                            SWS_CALLER_SCRIPT, NULL, 0, &e) < 0) {
        if (t->text && t->nnames)
            printf("%s\n", path);
        record(t, path, "(setup)", e.msg);
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
        if (t->text && t->nnames)
            printf("%s\n", path);
        record(t, path, "(loading)", e.msg);
        goto cleanup;
    }
    lua_pop(L, 2);
    lua_getfield(L, lib, "tests");
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    int shown = !t->nnames;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "name");
        char name[256];
        snprintf(name, sizeof name, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        if (!selected(t, path, name)) {
            lua_pop(L, 1);
            continue;
        }
        if (t->text && !shown++)
            printf("%s\n", path);
        lua_getfield(L, -1, "fn");
        lua_remove(L, -2);
        sws_check_forget_plugin_findings(h);
        if (sws_host_call(h, 0, 0, SWS_CALLER_SCRIPT, NULL, NULL, &e) == 0) {
            record(t, path, name, NULL);
        } else {
            static char why[WHY_SIZE]; /* the error, then the plugin findings behind it */
            snprintf(why, sizeof why, "%s", e.msg);
            sws_check_each_plugin_finding(h, add_plugin_finding, why);
            record(t, path, name, why);
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
        if (t->text)
            printf("%s\n", path);
        record(t, path, "(no such file or folder)", "no such file or folder");
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

static void free_results(tally *t)
{
    for (int i = 0; i < t->nres; i++) {
        free(t->res[i].file);
        free(t->res[i].name);
        free(t->res[i].msg);
    }
    free(t->res);
}

void sws_test_run_paths(const sws_cli *cli, char **paths, int n, sws_test_after after, void *ud,
                        int *passed, int *failed)
{
    tally t = {.after = after, .ud = ud, .text = 1};
    for (int i = 0; i < n; i++)
        run_path(cli, paths[i], &t);
    *passed = t.passed;
    *failed = t.failed;
    free_results(&t);
}

/* TAP version 13: one line per test ("ok 3 - FILE: NAME"), a failure's
 * reason as a YAML block, the plan last. */
static void print_tap(const tally *t)
{
    printf("TAP version 13\n");
    for (int i = 0; i < t->nres; i++) {
        const test_result *r = &t->res[i];
        printf("%s %d - %s: ", r->msg ? "not ok" : "ok", i + 1, r->file);
        for (const char *c = r->name; *c; c++) /* '#' would start a TAP directive */
            putchar(*c == '#' || *c == '\n' ? ' ' : *c);
        putchar('\n');
        if (r->msg) {
            printf("  ---\n  message: |\n    ");
            for (const char *c = r->msg; *c; c++) {
                if (*c == '\n')
                    fputs("\n    ", stdout);
                else
                    putchar(*c);
            }
            printf("\n  ...\n");
        }
    }
    printf("1..%d\n", t->nres);
}

/* JUnit XML, as CI systems read it: a testsuite per test file, a testcase
 * per test, a failure with the reason. */
static void print_junit(const tally *t)
{
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"sws test\" "
           "tests=\"%d\" failures=\"%d\">\n", t->passed + t->failed, t->failed);
    for (int i = 0; i < t->nres;) {
        int end = i, failures = 0;
        while (end < t->nres && strcmp(t->res[end].file, t->res[i].file) == 0)
            failures += t->res[end++].msg != NULL;
        printf("  <testsuite name=\"");
        sws_fput_markup(stdout, t->res[i].file);
        printf("\" tests=\"%d\" failures=\"%d\">\n", end - i, failures);
        for (; i < end; i++) {
            const test_result *r = &t->res[i];
            printf("    <testcase classname=\"");
            sws_fput_markup(stdout, r->file);
            printf("\" name=\"");
            sws_fput_markup(stdout, r->name);
            if (!r->msg) {
                printf("\"/>\n");
                continue;
            }
            const char *nl = strchr(r->msg, '\n');
            char first[512];
            snprintf(first, sizeof first, "%.*s", nl ? (int)(nl - r->msg) : 511, r->msg);
            printf("\">\n      <failure message=\"");
            sws_fput_markup(stdout, first);
            printf("\">");
            sws_fput_markup(stdout, r->msg);
            printf("</failure>\n    </testcase>\n");
        }
        printf("  </testsuite>\n");
    }
    printf("</testsuites>\n");
}

/* A word is a path when it names a file or folder, or looks like one (has a
 * '/' or ends in .lua); any other word filters the tests by name. */
static int is_path(const char *word)
{
    return access(word, F_OK) == 0 || strchr(word, '/') || ends_with(word, ".lua");
}

int sws_cmd_test(sws_cli *cli, int argc, char **argv)
{
    const char *format = "text";
    char **paths = calloc((size_t)argc + 2, sizeof *paths);
    char **names = calloc((size_t)argc + 1, sizeof *names);
    int npaths = 0, nnames = 0, rc = SWS_EXIT_USAGE;
    if (!paths || !names) {
        fprintf(stderr, "sws test: out of memory\n");
        rc = SWS_EXIT_ERROR;
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0) {
            if (i + 1 >= argc) {
                sws_cli_usage_error("test", "--format needs a value: text, tap or junit");
                goto done;
            }
            format = argv[++i];
        } else if (is_path(argv[i])) {
            paths[npaths++] = argv[i];
        } else {
            names[nnames++] = argv[i];
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "tap") != 0 &&
        strcmp(format, "junit") != 0) {
        sws_cli_usage_error("test", "--format is text, tap or junit, not '%s'", format);
        goto done;
    }
    char lua[4200], plugins[4200];
    snprintf(lua, sizeof lua, "%s/tests/lua", sws_home());
    snprintf(plugins, sizeof plugins, "%s/plugins", sws_home());
    if (!npaths) {
        /* An installed sws has no tests/lua (tests are not installed). */
        if (access(lua, F_OK) == 0)
            paths[npaths++] = lua;
        paths[npaths++] = plugins;
    }
    tally t = {.names = names, .nnames = nnames, .text = strcmp(format, "text") == 0};
    for (int i = 0; i < npaths; i++)
        run_path(cli, paths[i], &t);
    if (strcmp(format, "tap") == 0)
        print_tap(&t);
    else if (strcmp(format, "junit") == 0)
        print_junit(&t);
    else
        printf("%d passed, %d failed\n", t.passed, t.failed);
    if (nnames && !t.passed && !t.failed) {
        fprintf(stderr, "sws test: no test name contains %s%s\n", names[0],
                nnames > 1 ? " (nor the other words given)" : "");
        rc = SWS_EXIT_ERROR;
    } else {
        rc = t.failed ? SWS_EXIT_ERROR : SWS_EXIT_OK;
    }
    free_results(&t);
done:
    free(paths);
    free(names);
    return rc;
}
