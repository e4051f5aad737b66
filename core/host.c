/*
 * host.c — the Lua state and its budgets: creating a host, calling into Lua
 * under the caller's budget, errors with their place, the statement cache,
 * and database rights (the SQLite authorizer). The base environment, the
 * proxies and the safe functions are sandbox.c; the `sws` API is installed
 * by the embedder (sws_host_opts.install, sws_host_set_api).
 *
 * Budgets. An instruction budget is enforced as CPU time (NS_PER_INSTRUCTION
 * each: 10 million instructions are 500 ms), measured by the watchdog's
 * millisecond ticks of process CPU time, so the common path runs with no
 * hook at all (Lua 5.4 pays for any count hook on every instruction). Each
 * call gets a deadline in ticks, never later than its caller's. When a tick
 * finds the running call past its deadline, the signal handler arms a count
 * hook on the running thread; the hook raises an error naming the budget and
 * the line, and keeps raising it: the sandbox's pcall, xpcall and coroutine
 * resume/wrap re-raise a tripped budget instead of returning false. SQL run
 * from Lua is inside the same deadline (a progress handler, lapi_db.c).
 * The allocator counts every byte of the state and refuses past the limit;
 * Lua turns that into a memory error, which we name as the budget. It takes
 * its blocks from mimalloc, whose free lists suit Lua's many small objects
 * (a national check and evaluation execute 6-7 % fewer instructions than
 * on the C library's malloc, bench/README.md); a sanitizer or fuzzing
 * build keeps malloc, so that AddressSanitizer and LeakSanitizer see the
 * Lua heap. Lua's own limits guard the C stack (LUAI_MAXCCALLS) and the Lua
 * stack.
 *
 * What a hook cannot stop: a single C function that runs long without
 * executing Lua instructions. The string library's matchers are therefore
 * bounded (see the pattern guard below); sws.re runs under PCRE2's limits.
 */
#include "host.h"

#include <lauxlib.h>
#ifdef SWS_MIMALLOC
#include <mimalloc.h>
#define lua_heap_realloc mi_realloc
#define lua_heap_free mi_free
#else
#define lua_heap_realloc realloc
#define lua_heap_free free
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "date.h"
#include "hash.h"
#include "host_internal.h"
#include "mask.h"
#include "watchdog.h"

/* The CPU time an instruction of budget stands for: about ten times what a
 * simple Lua 5.4 instruction takes on a current x86 core, so the budget is
 * an upper bound on work whatever the mix of Lua, C and SQL. */
#define NS_PER_INSTRUCTION 50

/* The API hosts install when their options name none (sws_host_set_api). */
static sws_host_install_fn default_api;

void sws_host_set_api(sws_host_install_fn install) { default_api = install; }

/* ---- allocator and hook --------------------------------------------------- */

static void *host_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sws_host *h = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        lua_heap_free(ptr);
        h->mem -= old;
        return NULL;
    }
    if (nsize > old && h->mem - old + nsize > h->mem_limit) {
        h->mem_tripped = 1;
        return NULL;
    }
    void *np = lua_heap_realloc(ptr, nsize);
    if (!np)
        return NULL;
    h->mem = h->mem - old + nsize;
    if (h->mem > h->mem_peak)
        h->mem_peak = h->mem;
    return np;
}

sws_host *sws_host_from_lua(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

double sws_host_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void sws_host_set_time_limit(sws_host *h, double seconds)
{
    h->time_limit = seconds > 0 ? seconds : 0;
    h->wall_deadline = seconds > 0 ? sws_host_monotonic() + seconds : 0;
    h->time_tripped = 0;
}

/* Whether the daemon's wall-clock budget (sws_host_set_time_limit) is
 * spent. clock_gettime is async-signal-safe: the watchdog's tick asks too. */
static int wall_passed(sws_host *h)
{
    return h->wall_deadline > 0 && sws_host_monotonic() > h->wall_deadline;
}

/* The count hook the watchdog arms on the running thread: raises the budget
 * error once the running call is past its deadline (and on every instruction
 * after that), or removes itself when the call has moved on. */
static void budget_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    sws_host *h = sws_host_from_lua(L);
    if (h->time_tripped || (h->depth > 0 && wall_passed(h))) {
        h->time_tripped = 1;
        char secs[32];
        snprintf(secs, sizeof secs, "%g", h->time_limit);
        lua_pushfstring(L, "wall-clock budget of %s s exceeded", secs);
        lua_error(L);
    }
    if (!h->budget_tripped &&
        !(h->depth > 0 && h->deadline && sws_watchdog_ticks() >= h->deadline)) {
        lua_sethook(L, NULL, 0, 0);
        return;
    }
    /* raised again on every instruction until the call returns: each time
     * with the place of the first, where the budget ran out */
    if (!h->budget_tripped) {
        h->budget_tripped = 1;
        lua_Debug here;
        if (lua_getstack(L, 0, &here) && lua_getinfo(L, "Sl", &here) && here.currentline > 0)
            snprintf(h->trip_msg, sizeof h->trip_msg, "%s:%d: instruction budget of %lld "
                     "exceeded (%lld ms of CPU time; an endless loop?)", here.short_src,
                     here.currentline, h->budget_size,
                     h->budget_size * NS_PER_INSTRUCTION / 1000000);
        else
            snprintf(h->trip_msg, sizeof h->trip_msg,
                     "instruction budget of %lld exceeded (an endless loop?)", h->budget_size);
    }
    lua_pushstring(L, h->trip_msg);
    lua_error(L);
}

/* The watchdog's tick (in its signal handler): past the deadline, arm the
 * hook on the thread that runs now and on the main one. */
static void on_tick(void *ud)
{
    sws_host *h = ud;
    if (h->depth > 0 &&
        ((h->deadline && sws_watchdog_ticks() >= h->deadline) || wall_passed(h))) {
        lua_State *t = h->running;
        if (t && t != h->L)
            lua_sethook(t, budget_hook, LUA_MASKCOUNT, 1);
        lua_sethook(h->L, budget_hook, LUA_MASKCOUNT, 1);
    }
}

int sws_host_sql_progress(sws_host *h)
{
    if (h->caller == SWS_CALLER_CORE || h->depth == 0)
        return 0;
    if (!h->time_tripped && wall_passed(h))
        h->time_tripped = 1;
    if (!h->budget_tripped && h->deadline && sws_watchdog_ticks() >= h->deadline) {
        snprintf(h->trip_msg, sizeof h->trip_msg,
                 "instruction budget of %lld exceeded (a query ran past it)", h->budget_size);
        h->budget_tripped = 1;
    }
    if (!h->mem_tripped && sqlite3_memory_used() > (sqlite3_int64)h->sql_mem_base &&
        h->mem + (size_t)(sqlite3_memory_used() - (sqlite3_int64)h->sql_mem_base) > h->mem_limit)
        h->mem_tripped = 1;
    return h->budget_tripped || h->mem_tripped || h->time_tripped;
}

size_t sws_host_sql_begin(sws_host *h, int interruptible)
{
    size_t was = h->sql_mem_base;
    h->sql_interruptible = interruptible;
    h->sql_mem_base = (size_t)sqlite3_memory_used();
    return was;
}

void sws_host_sql_end(sws_host *h, size_t was)
{
    h->sql_mem_base = was;
    h->sql_interruptible = 0;
}

/* Raises again when a budget has tripped, so no pcall can swallow it. */
void sws_host_rethrow_if_tripped(lua_State *L, sws_host *h)
{
    if (h->budget_tripped) { /* with the place where it ran out, not the pcall's */
        lua_pushstring(L, h->trip_msg);
        lua_error(L);
    }
    if (h->mem_tripped)
        luaL_error(L, "memory budget of %I MiB exceeded", (lua_Integer)(h->mem_limit >> 20));
    if (h->time_tripped) {
        char secs[32];
        snprintf(secs, sizeof secs, "%g", h->time_limit);
        luaL_error(L, "wall-clock budget of %s s exceeded", secs);
    }
}

void sws_host_raise_if_tripped(lua_State *L) { sws_host_rethrow_if_tripped(L, sws_host_from_lua(L)); }

/* ---- calls and errors ---------------------------------------------------- */

/* Records local `k` of the marked function's frame, if the error passed it. */
static void read_marked_frame(lua_State *L, sws_host *h)
{
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "f", &ar);
        int hit = lua_topointer(L, -1) == h->marked_fn;
        lua_pop(L, 1);
        if (!hit)
            continue;
        const char *name;
        for (int n = 1; (name = lua_getlocal(L, &ar, n)) != NULL; n++) {
            int found = strcmp(name, "k") == 0 && lua_isinteger(L, -1);
            if (found)
                h->marked_index = lua_tointeger(L, -1);
            lua_pop(L, 1);
            if (found)
                return;
        }
        return;
    }
}

static int message_handler(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    if (h->marked_fn)
        read_marked_frame(L, h);
    const char *msg;
    switch (lua_type(L, 1)) {
    case LUA_TSTRING:
    case LUA_TNUMBER:
        msg = lua_tostring(L, 1);
        break;
    case LUA_TNIL:
        msg = "error called with nil (no message)";
        break;
    default:
        /* No __tostring: it is script code and could fail or loop. */
        msg = lua_pushfstring(L, "error called with a %s value instead of a message",
                              luaL_typename(L, 1));
        break;
    }
    if (h->mem_tripped)
        msg = lua_pushfstring(L, "memory budget of %d MiB exceeded (%s)",
                              (int)(h->mem_limit >> 20), msg);
    else if (strstr(msg, "stack overflow"))
        msg = lua_pushfstring(L, "recursion too deep: %s", msg);
    if (h->o.verbose)
        luaL_traceback(L, L, msg, 1);
    else
        lua_pushstring(L, msg);
    return 1;
}

void sws_host_push_message_handler(lua_State *L) { lua_pushcfunction(L, message_handler); }

/* "plugins/x/init.lua:12" for the function at idx. */
static void describe_function(lua_State *L, int idx, char *out, size_t n)
{
    lua_Debug ar;
    lua_pushvalue(L, idx);
    if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0)
        snprintf(out, n, "%s:%d", ar.short_src, ar.linedefined);
    else
        snprintf(out, n, "%s", ar.short_src);
}

/* The CPU milliseconds of an instruction budget. */
static unsigned long budget_ms(long long instructions)
{
    return (unsigned long)(instructions / (1000000 / NS_PER_INSTRUCTION)) + 1;
}

void sws_host_renew_budget(sws_host *h)
{
    if (h->depth == 0 || h->paused || !h->deadline || h->budget_tripped || h->time_tripped)
        return;
    unsigned long mine = sws_watchdog_ticks() + budget_ms(h->budget_size);
    h->deadline = h->ceiling && h->ceiling < mine ? h->ceiling : mine;
}

int sws_host_call(sws_host *h, int nargs, int nresults, sws_caller caller, const char *plugin,
                  const char *doing, sws_error *e)
{
    lua_State *L = h->L;
    int fn = lua_gettop(L) - nargs;
    char where[256]; /* not zero-filled: an emit passes here once per event */
    where[0] = '\0';
    if (doing)
        describe_function(L, fn, where, sizeof where);

    /* A tripped budget stays tripped until the outermost call returns: a
     * nested call (an error handler's sws.emit, a handler's query) fails at
     * once instead of running, and never clears the trip. */
    if (h->depth > 0 && (h->budget_tripped || h->mem_tripped || h->time_tripped)) {
        lua_pop(L, nargs + 1);
        if (h->mem_tripped)
            return sws_errorf(e, "memory budget of %d MiB exceeded",
                              (int)(h->mem_limit >> 20));
        if (h->time_tripped)
            return sws_errorf(e, "wall-clock budget of %g s exceeded", h->time_limit);
        return sws_errorf(e, "instruction budget of %lld exceeded", h->budget_size);
    }
    sws_caller saved_caller = h->caller;
    const char *saved_plugin = h->plugin;
    lua_State *saved_running = h->running;
    unsigned long saved_deadline = h->deadline;
    long long saved_size = h->budget_size;
    long long own = caller == SWS_CALLER_SCRIPT ? h->o.script_budget
                  : caller == SWS_CALLER_CORE ? 0 : h->o.hook_budget;
    /* A nested call (a handler run by a script's sws.emit) gets its own
     * budget but never outlives the budget of the call around it. */
    if ((own > 0 || h->wall_deadline > 0) && !h->armed_depth &&
        sws_watchdog_arm(on_tick, h) == 0)
        h->armed_depth = h->depth + 1;
    unsigned long saved_ceiling = h->ceiling;
    h->ceiling = saved_deadline;
    if (own > 0) {
        unsigned long mine = sws_watchdog_ticks() + budget_ms(own);
        if (saved_deadline == 0 || mine < saved_deadline) {
            h->deadline = mine;
            h->budget_size = own;
        }
    }
    h->caller = caller;
    h->plugin = plugin;
    h->running = L;
    if (h->depth == 0)
        h->budget_tripped = h->mem_tripped = h->time_tripped = 0;

    /* the message handler goes below the function, unless it is there */
    int pushed = fn <= 1 || lua_tocfunction(L, fn - 1) != message_handler;
    if (pushed) {
        lua_pushcfunction(L, message_handler);
        lua_insert(L, fn);
    } else {
        fn--;
    }
    h->depth++;
    int status = lua_pcall(L, nargs, nresults, fn);
    h->depth--;
    if (pushed)
        lua_remove(L, fn);

    if (h->armed_depth == h->depth + 1) {
        sws_watchdog_disarm();
        h->armed_depth = 0;
    }
    h->caller = saved_caller;
    h->plugin = saved_plugin;
    h->running = saved_running;
    /* A nested call that ran out of its own budget (not the caller's) is
     * its own failure; one that used up the caller's budget trips it too. */
    if (h->depth > 0 && h->budget_tripped &&
        !(saved_deadline && sws_watchdog_ticks() >= saved_deadline))
        h->budget_tripped = 0;
    h->deadline = saved_deadline;
    h->ceiling = saved_ceiling;
    h->budget_size = saved_size;
    if ((h->depth == 0 || !(h->budget_tripped || h->time_tripped)) && lua_gethook(L))
        lua_sethook(L, NULL, 0, 0);
    if (status == LUA_OK)
        return 0;
    if (h->mem_tripped)
        sws_errorf(e, "%s%s%s%smemory budget of %d MiB exceeded (raise it with --memory MiB)",
                   doing ? doing : "", doing ? " (" : "", doing ? where : "", doing ? "): " : "",
                   (int)(h->mem_limit >> 20));
    else if (status == LUA_ERRMEM)
        sws_errorf(e, "out of memory");
    else if (doing)
        sws_errorf(e, "%s (%s): %s", doing, where, lua_tostring(L, -1));
    else
        sws_errorf(e, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    if (h->depth == 0) {
        h->budget_tripped = h->mem_tripped = h->time_tripped = 0;
        lua_gc(L, LUA_GCCOLLECT);
    }
    return -1;
}

int sws_host_run_buffer(sws_host *h, const char *src, size_t len, const char *name,
                        const char *dir, const char *who, sws_caller caller, const char *plugin,
                        int nargs, sws_error *e)
{
    lua_State *L = h->L;
    char chunkname[4200];
    snprintf(chunkname, sizeof chunkname, "@%s", name);
    if (len > 0 && src[0] == LUA_SIGNATURE[0]) {
        lua_pop(L, nargs);
        return sws_errorf(e, "%s: %s is a binary chunk (bytecode); only Lua source text is "
                          "allowed", who, name);
    }
    if (luaL_loadbufferx(L, src, len, chunkname, "t") != LUA_OK) {
        sws_errorf(e, "%s: %s", who, lua_tostring(L, -1));
        lua_pop(L, 1 + nargs);
        return -1;
    }
    int base = lua_gettop(L) - nargs; /* the function; its arguments below it */
    sws_host_push_env(L, dir);
    lua_pushvalue(L, -1);
    lua_setupvalue(L, -3, 1); /* the chunk's _ENV */
    lua_insert(L, -2);        /* args…, env, fn */
    lua_rotate(L, base, 2);   /* env, fn, args… */
    if (sws_host_call(h, nargs, 1, caller, plugin, NULL, e) < 0) {
        lua_pop(L, 1); /* env */
        return sws_error_prefix(e, "%s", who);
    }
    return 0; /* env, result */
}

int sws_host_run_file(sws_host *h, const char *path, const char *who, sws_caller caller,
                      const char *plugin, int nargs, sws_error *e)
{
    /* name the chunk by its path relative to the project, for short messages */
    size_t hl = strlen(h->home);
    const char *shown = strncmp(path, h->home, hl) == 0 && path[hl] == '/' ? path + hl + 1 : path;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");

    FILE *f = fopen(path, "rb");
    if (!f) {
        lua_pop(h->L, nargs);
        return sws_errorf(e, "%s: cannot open %s", who, path);
    }
    char *src = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[8192];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got > cap) {
            cap = (len + got) * 2;
            char *n = realloc(src, cap);
            if (!n) {
                free(src);
                fclose(f);
                lua_pop(h->L, nargs);
                return sws_errorf(e, "%s: out of memory reading %s", who, path);
            }
            src = n;
        }
        memcpy(src + len, chunk, got);
        len += got;
    }
    fclose(f);
    int rc = sws_host_run_buffer(h, src ? src : "", len, shown, dir, who, caller, plugin, nargs,
                                 e);
    free(src);
    return rc;
}

void sws_host_set_global(sws_host *h, const char *name)
{
    lua_rawgetp(h->L, LUA_REGISTRYINDEX, &sws_sandbox_key_base);
    lua_insert(h->L, -2);
    lua_setfield(h->L, -2, name);
    lua_pop(h->L, 1);
}

/* ---- database rights: the SQLite authorizer ----------------------------- */

static char denied[256]; /* why the authorizer last said no, for the message */

static const char *caller_name(sws_caller c)
{
    switch (c) {
    case SWS_CALLER_POLICY: return "a policy";
    case SWS_CALLER_PLUGIN: return "a plugin";
    case SWS_CALLER_SCRIPT: return "a script";
    default: return "the core";
    }
}

static int is_plugin_table(const char *t) { return t && strncmp(t, "plugin_", 7) == 0; }

/* The plugin tables the manifests declare: full name -> owning plugin. A
 * prefix of names cannot make one plugin the owner of another's tables
 * (`volunteer` and `volunteer_ledger`): ownership is this list, and two
 * plugins cannot declare the same full name. Shared by every host. */
static struct declared { char table[160], plugin[64]; } *declared;
static int ndeclared, attached_hosts;

static const char *table_owner(const char *t)
{
    for (int i = 0; t && i < ndeclared; i++)
        if (strcmp(declared[i].table, t) == 0)
            return declared[i].plugin;
    return NULL;
}

int sws_host_declare_table(const char *plugin, const char *name, char *why, size_t whylen)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            n = 0;
    if (n == 0 || n > 80) {
        snprintf(why, whylen, "table name '%s' in manifest.lua: use 1 to 80 of a-z, 0-9 and _",
                 name);
        return -1;
    }
    char full[160];
    snprintf(full, sizeof full, "plugin_%s_%s", plugin, name);
    const char *owner = table_owner(full);
    if (owner && strcmp(owner, plugin) != 0) {
        snprintf(why, whylen, "table %s is already declared by plugin '%s'", full, owner);
        return -1;
    }
    if (owner)
        return 0;
    struct declared *grown = realloc(declared, (size_t)(ndeclared + 1) * sizeof *declared);
    if (!grown) {
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    declared = grown;
    snprintf(declared[ndeclared].table, sizeof declared[0].table, "%s", full);
    snprintf(declared[ndeclared].plugin, sizeof declared[0].plugin, "%s", plugin);
    ndeclared++;
    return 0;
}

/* The core tables: every table but plugins' when the first host attached
 * (the migrations made them). Scripts may not create, drop, alter, index or
 * put triggers on them. */
static char **core_tables;
static int ncore_tables;

static int is_core_table(const char *t)
{
    for (int i = 0; t && i < ncore_tables; i++)
        if (sqlite3_stricmp(core_tables[i], t) == 0)
            return 1;
    return t && sqlite3_strnicmp(t, "sqlite_", 7) == 0;
}

/* Reads the core tables of db (once per process). */
static void load_core_tables(sqlite3 *db)
{
    sqlite3_stmt *st;
    if (core_tables || sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                              "AND name NOT LIKE 'plugin\\_%' ESCAPE '\\'",
                                          -1, &st, NULL) != SQLITE_OK)
        return;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char **grown = realloc(core_tables, (size_t)(ncore_tables + 1) * sizeof *grown);
        char *name = grown ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
        if (grown)
            core_tables = grown;
        if (!name)
            break;
        core_tables[ncore_tables++] = name;
    }
    sqlite3_finalize(st);
}

/* Whether table t is one plugin p declared in its manifest. */
static int owns(const char *p, const char *t)
{
    const char *owner = p && is_plugin_table(t) ? table_owner(t) : NULL;
    return owner && strcmp(owner, p) == 0;
}

static int is_schema_table(const char *t)
{
    return t && (strcmp(t, "sqlite_master") == 0 || strcmp(t, "sqlite_temp_master") == 0 ||
                 strcmp(t, "sqlite_schema") == 0 || strcmp(t, "sqlite_sequence") == 0);
}

static int deny(const char *fmt, const char *who, const char *what)
{
    snprintf(denied, sizeof denied, fmt, who, what ? what : "?");
    return SQLITE_DENY;
}

static int authorize(void *ud, int action, const char *a, const char *b, const char *dbname,
                     const char *trigger)
{
    (void)dbname;
    (void)trigger;
    const char *plugin;
    sws_caller c = sws_host_current_caller(ud, &plugin);
    if (c == SWS_CALLER_CORE)
        return SQLITE_OK;
    const char *who = caller_name(c);

    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_READ:
        if (is_plugin_table(a) && c != SWS_CALLER_SCRIPT && !owns(plugin, a))
            return deny("%s may not read another plugin's table %s", who, a);
        return SQLITE_OK;
    case SQLITE_PRAGMA: {
        static const char *const readable[] = {"table_info", "table_xinfo", "index_list",
            "index_info", "foreign_key_list", "user_version", NULL};
        for (int i = 0; readable[i]; i++)
            if (strcmp(a, readable[i]) == 0 && !b)
                return SQLITE_OK;
        return deny("%s may not run PRAGMA %s", who, a);
    }
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        return deny("%s may not attach databases (%s)", who, a);
    default:
        break;
    }
    if (c == SWS_CALLER_POLICY)
        return deny("%s reads the database only; it may not change it (%s)", who,
                    action == SQLITE_INSERT ? "INSERT" : action == SQLITE_UPDATE ? "UPDATE"
                    : action == SQLITE_DELETE ? "DELETE" : "a schema or transaction statement");
    if (c == SWS_CALLER_SCRIPT) {
        /* rows of every table; the core schema belongs to the migrations */
        const char *table = action == SQLITE_CREATE_TABLE || action == SQLITE_DROP_TABLE ? a
                          : action == SQLITE_ALTER_TABLE || action == SQLITE_CREATE_INDEX ||
                            action == SQLITE_DROP_INDEX || action == SQLITE_CREATE_TRIGGER ||
                            action == SQLITE_DROP_TRIGGER ? b : NULL;
        if (table && is_core_table(table))
            return deny("%s may not change the core schema (%s): the schema belongs to sws's "
                        "migrations; scripts write rows", who, table);
        return SQLITE_OK;
    }

    /* a plugin: its own tables, and the schema rows its DDL writes */
    switch (action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_CREATE_TABLE:
    case SQLITE_DROP_TABLE:
    case SQLITE_ALTER_TABLE:
        if (action == SQLITE_ALTER_TABLE)
            a = b; /* ALTER TABLE passes (database, table) */
        if (owns(plugin, a) || (action <= SQLITE_UPDATE && is_schema_table(a)))
            return SQLITE_OK;
        return deny("%s may write only the plugin_<name>_* tables its manifest declares "
                    "(tables = {...}), not %s", who, a);
    case SQLITE_CREATE_INDEX:
    case SQLITE_DROP_INDEX:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_DROP_TRIGGER:
        if (owns(plugin, b))
            return SQLITE_OK;
        return deny("%s may index or trigger only its own tables, not %s", who, b);
    case SQLITE_TRANSACTION:
        /* a COMMIT or ROLLBACK would end the transaction of the core work it
         * runs inside (an import, an advance, a preview) half done */
        return deny("%s may not run %s: sws.db.transaction(fn) groups its writes and keeps "
                    "its caller's transaction whole", who, a);
    case SQLITE_SAVEPOINT:
        /* its own savepoints (sws.db.transaction's sws_lua included), never
         * releasing or rolling back one of the core's (sws_*) */
        if (strcmp(a, "BEGIN") != 0 && b && strncasecmp(b, "sws_", 4) == 0 &&
            strcasecmp(b, "sws_lua") != 0)
            return deny("%s may not release or roll back the core's savepoint %s", who, b);
        return SQLITE_OK;
    default:
        return deny("%s may not run this statement (%s)", who, a);
    }
}

/* Every 1000 virtual-machine steps: is the Lua caller past its budget? */
static int progress(void *ud)
{
    sws_host *h = ud;
    return h->sql_interruptible && sws_host_sql_progress(h);
}

/* A rollback: the after-events queued in the transaction must not fire. */
static void on_rollback(void *ud)
{
    sws_host *h = ud;
    h->rolled_back = 1;
}

int sws_host_rolled_back(sws_host *h, int reset)
{
    int was = h->rolled_back;
    if (reset)
        h->rolled_back = 0;
    return was;
}

static int attach_authorizer(sws_host *h, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    if (db && sqlite3_set_authorizer(db, authorize, h) != SQLITE_OK)
        return sws_errorf(e, "cannot install the database authorizer");
    if (db) {
        sqlite3_progress_handler(db, 1000, progress, h);
        sqlite3_rollback_hook(db, on_rollback, h);
        load_core_tables(db);
    }
    attached_hosts++;
    return 0;
}

static void detach_authorizer(sws_host *h)
{
    sqlite3 *db = sws_host_db(h);
    if (db) {
        sqlite3_progress_handler(db, 0, NULL, NULL);
        sqlite3_rollback_hook(db, NULL, NULL);
        sqlite3_set_authorizer(db, NULL, NULL);
    }
    if (attached_hosts > 0 && --attached_hosts == 0) {
        free(declared);
        declared = NULL;
        ndeclared = 0;
        for (int i = 0; i < ncore_tables; i++)
            free(core_tables[i]);
        free(core_tables);
        core_tables = NULL;
        ncore_tables = 0;
    }
}

const char *sws_host_denied(void) { return denied; }
void sws_host_clear_denied(void) { denied[0] = '\0'; }

/* ---- the run's as-of date ------------------------------------------------- */

int sws_host_set_as_of(sws_host *h, const char *as_of)
{
    lua_getfield(h->L, LUA_REGISTRYINDEX, "sws.as_of");
    int previous = luaL_ref(h->L, LUA_REGISTRYINDEX);
    if (as_of)
        lua_pushstring(h->L, as_of);
    else
        lua_pushnil(h->L);
    lua_setfield(h->L, LUA_REGISTRYINDEX, "sws.as_of");
    return previous;
}

void sws_host_restore_as_of(sws_host *h, int previous)
{
    lua_rawgeti(h->L, LUA_REGISTRYINDEX, previous);
    lua_setfield(h->L, LUA_REGISTRYINDEX, "sws.as_of");
    luaL_unref(h->L, LUA_REGISTRYINDEX, previous);
}

void sws_host_as_of(sws_host *h, char out[11])
{
    lua_getfield(h->L, LUA_REGISTRYINDEX, "sws.as_of");
    if (lua_type(h->L, -1) == LUA_TSTRING)
        snprintf(out, 11, "%s", lua_tostring(h->L, -1));
    else
        sws_today(out);
    lua_pop(h->L, 1);
}

/* ---- lifetime ------------------------------------------------------------ */

/* Builds the sandbox (protected: see sws_host_new). */
static int setup(lua_State *L)
{
    sws_host *h = lua_touserdata(L, 1);
    if (h->o.as_of) { /* sws.date.today() answers this date (--as-of) */
        lua_pushstring(L, h->o.as_of);
        lua_setfield(L, LUA_REGISTRYINDEX, "sws.as_of");
    }
    sws_sandbox_make_proxies(L);
    sws_sandbox_build_base(L, h->o.install ? h->o.install : default_api);
    return 0;
}

sws_host *sws_host_new(const sws_host_opts *o, sws_error *e)
{
    sws_host *h = calloc(1, sizeof *h);
    if (!h) {
        sws_errorf(e, "out of memory");
        return NULL;
    }
    h->o = *o;
    snprintf(h->home, sizeof h->home, "%s", o->home ? o->home : ".");
    h->o.home = h->home;
    h->mem_limit = o->memory_limit ? o->memory_limit : (size_t)256 << 20;
    if (!h->o.hook_budget)
        h->o.hook_budget = 10000000;
    if (!h->o.script_budget)
        h->o.script_budget = 200000000;
    h->caller = SWS_CALLER_CORE;
    h->L = lua_newstate(host_alloc, h);
    h->running = h->L;
    if (!h->L) {
        free(h);
        sws_errorf(e, "cannot create a Lua state (out of memory)");
        return NULL;
    }
    /* Building the sandbox allocates: under a small memory budget it can
     * fail, so it runs protected and a failure is an error, not a panic. */
    lua_pushcfunction(h->L, setup);
    lua_pushlightuserdata(h->L, h);
    if (lua_pcall(h->L, 1, 0, 0) != LUA_OK) {
        sws_errorf(e, "cannot set up the Lua sandbox: %s%s",
                   h->mem_tripped ? "memory budget exceeded" : lua_tostring(h->L, -1),
                   h->mem_tripped ? " (raise it with --memory MiB)" : "");
        sws_host_free(h);
        return NULL;
    }
    if (attach_authorizer(h, e) < 0) {
        sws_host_free(h);
        return NULL;
    }
    return h;
}

sqlite3_stmt *sws_host_stmt(sws_host *h, const char *key, const char *sql, sws_error *e)
{
    if (!key)
        key = sql;
    uint64_t hash = sws_hash(key); /* most keys share long prefixes: a hash, not a prefix */
    for (int i = 0; i < h->nstmts; i++)
        if (h->stmts[i].hash == hash && strcmp(h->stmts[i].key, key) == 0)
            return h->stmts[i].st;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(h->o.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sws_errorf(e, "%s", sqlite3_errmsg(h->o.db));
        return NULL;
    }
    char *k = strdup(key);
    if (!k) {
        sqlite3_finalize(st);
        sws_errorf(e, "out of memory");
        return NULL;
    }
    int slot = h->nstmts < 128 ? h->nstmts : -1;
    for (int tries = 0; slot < 0 && tries < 128; tries++) {
        int i = h->next_evict++ % 128; /* full: the oldest idle entry gives way */
        if (!sqlite3_stmt_busy(h->stmts[i].st))
            slot = i;
    }
    if (slot < 0) { /* all 128 are being read further up the stack */
        sqlite3_finalize(st);
        free(k);
        sws_errorf(e, "too many queries open at once (128)");
        return NULL;
    }
    if (slot == h->nstmts)
        h->nstmts++;
    if (h->stmts[slot].st) {
        sqlite3_finalize(h->stmts[slot].st);
        free(h->stmts[slot].key);
    }
    h->stmts[slot].hash = hash;
    h->stmts[slot].key = k;
    h->stmts[slot].st = st;
    return st;
}

void sws_host_free(sws_host *h)
{
    if (!h)
        return;
    /* Closing the state may run finalizers (the library's own: scripts
     * cannot register any). They run as a policy would, read-only, with the
     * authorizer and the statement cache still in place; both go after. */
    h->caller = SWS_CALLER_POLICY;
    h->plugin = NULL;
    h->deadline = 0;
    if (h->armed_depth)
        sws_watchdog_disarm();
    if (h->L)
        lua_close(h->L);
    for (int i = 0; i < h->nstmts; i++) {
        sqlite3_finalize(h->stmts[i].st);
        free(h->stmts[i].key);
    }
    detach_authorizer(h);
    free(h);
}

lua_State *sws_host_lua(sws_host *h) { return h->L; }
sqlite3 *sws_host_db(sws_host *h) { return h->o.db; }
const sws_host_opts *sws_host_options(sws_host *h) { return &h->o; }

sws_caller sws_host_current_caller(sws_host *h, const char **plugin)
{
    if (plugin)
        *plugin = h->plugin;
    return h->caller;
}

void sws_host_set_plugin(sws_host *h, const char *plugin) { h->plugin = plugin; }

sws_caller sws_host_swap_caller(sws_host *h, sws_caller caller)
{
    sws_caller was = h->caller;
    /* Core work done on a call's behalf (sws.eval.scores runs a whole
     * evaluation) does not count against that call's CPU-time budget, as
     * its C time never counted against an instruction budget: the deadline
     * pauses, and moves on by the time the core spent. */
    if (caller == SWS_CALLER_CORE && was != SWS_CALLER_CORE && !h->paused && h->depth > 0) {
        h->paused = 1;
        h->paused_deadline = h->deadline;
        h->pause_start = sws_watchdog_ticks();
        h->deadline = 0;
    } else if (caller != SWS_CALLER_CORE && was == SWS_CALLER_CORE && h->paused) {
        h->paused = 0;
        h->deadline = h->paused_deadline
                          ? h->paused_deadline + (sws_watchdog_ticks() - h->pause_start)
                          : 0;
    }
    h->caller = caller;
    return was;
}

const void *sws_host_mark_frame(sws_host *h, const void *fn)
{
    const void *was = h->marked_fn;
    h->marked_fn = fn;
    h->marked_index = 0;
    return was;
}

lua_Integer sws_host_marked_index(sws_host *h) { return h->marked_index; }

const char *sws_host_loading_plugin(sws_host *h) { return h->plugin; }

size_t sws_host_memory(sws_host *h, size_t *peak)
{
    if (peak)
        *peak = h->mem_peak;
    return h->mem;
}

/* Masks what looks like an ID or mobile number anywhere in a log message
 * (sws_mask_text: also spaced, dashed and +86 forms). */
void sws_host_log(sws_host *h, const char *level, const char *who, const char *msg)
{
    char buf[2048];
    sws_mask_text(msg, buf, sizeof buf);
    if (h && h->log_sink)
        h->log_sink(h->log_ud, level, who ? who : "sws", buf);
    else
        fprintf(stderr, "%s [%s] %s\n", level, who ? who : "sws", buf);
}

void sws_host_set_log_sink(sws_host *h, sws_log_sink fn, void *ud)
{
    h->log_sink = fn;
    h->log_ud = ud;
}
