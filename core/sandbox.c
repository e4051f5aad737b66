/*
 * sandbox.c — the sandbox every chunk runs in: the shared base environment
 * of allowed names, read-only proxies of the libraries, the safe versions of
 * pcall, xpcall, coroutine.resume and wrap, rawset, setmetatable (no
 * __gc), load and collectgarbage, the bounded string patterns, and require
 * (inside the project's plugins/ and policies/ only).
 *
 * The sandbox is an allow-list: the standard libraries are opened without
 * being made global, and each chunk gets an environment E whose misses fall
 * through to a shared `base` table of allowed names, whose own misses raise
 * "undefined global". Library tables reach scripts only as read-only proxies
 * (one shared metatable; `rawset` refuses proxies, so a proxy cannot be
 * filled behind its __newindex). The string metatable is locked with
 * __metatable. The budgets themselves are host.c's.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "host.h"

#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host_internal.h"
#include "pattern_guard.h"

/* Registry keys (addresses are unique). */
const char sws_sandbox_key_base = 'b';
static const char KEY_PROXY_MT = 'p', KEY_PROXIED = 'r';

/* ---- safe replacements for base functions ------------------------------- */

static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
    sws_host *h = sws_host_from_lua(L);
    if (status != LUA_OK && status != LUA_YIELD) {
        sws_host_rethrow_if_tripped(L, h);
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int safe_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
    return finish_pcall(L, status, 0);
}

static int safe_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2); /* true, f after the handler */
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
    return finish_pcall(L, status, 2);
}

/* Calls the real function in upvalue 1 with the arguments, with `co` as the
 * running thread meanwhile (the watchdog arms its hook on that thread), and
 * re-raises a tripped budget. Errors pass through. */
static int call_running(lua_State *L, lua_State *co)
{
    sws_host *h = sws_host_from_lua(L);
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_State *was = h->running;
    h->running = co ? co : L;
    int status = lua_pcall(L, n, LUA_MULTRET, 0);
    h->running = was;
    if (status != LUA_OK)
        return lua_error(L);
    sws_host_raise_if_tripped(L);
    return lua_gettop(L);
}

static int safe_resume(lua_State *L) { return call_running(L, lua_tothread(L, 1)); }

/* The function coroutine.wrap returns: upvalue 1 the real one, 2 its thread. */
static int safe_wrapped(lua_State *L) { return call_running(L, lua_tothread(L, lua_upvalueindex(2))); }

/* coroutine.wrap(f): the real wrap, behind safe_wrapped. */
static int safe_wrap(lua_State *L)
{
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    if (!lua_getupvalue(L, -1, 1) || !lua_isthread(L, -1))
        return luaL_error(L, "coroutine.wrap: unexpected Lua library");
    lua_pushcclosure(L, safe_wrapped, 2);
    return 1;
}

static int safe_collectgarbage(lua_State *L)
{
    static const char *const allowed[] = {"collect", "count", "step", "isrunning", NULL};
    int opt = luaL_checkoption(L, 1, "collect", allowed);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushstring(L, allowed[opt]);
    lua_call(L, 1, 1);
    return 1;
}

static int is_proxy(lua_State *L, int idx)
{
    if (!lua_getmetatable(L, idx))
        return 0;
    int marked = lua_rawgetp(L, -1, &KEY_PROXY_MT) == LUA_TBOOLEAN;
    lua_pop(L, 2);
    return marked;
}

static int safe_rawset(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (is_proxy(L, 1))
        return luaL_error(L, "attempt to change a read-only library table");
    luaL_checkany(L, 3);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

/* setmetatable(t, mt) without finalizers: Lua runs __gc with the hooks off
 * (no budget could stop an endless one) and at lua_close, after every call
 * has returned; so a metatable with a __gc field (any value: a false one
 * still marks the object for finalization) is refused. Upvalue 1 is the
 * real setmetatable. */
/* Whether table idx has a raw __gc field. */
static int has_raw_gc(lua_State *L, int idx)
{
    lua_pushliteral(L, "__gc");
    int has = lua_rawget(L, idx) != LUA_TNIL;
    lua_pop(L, 1);
    return has;
}

static int safe_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE && has_raw_gc(L, 2))
        return luaL_error(L, "setmetatable: __gc finalizers are not allowed in the sws sandbox "
                          "(a finalizer runs outside every budget)");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* load(chunk [, name [, mode [, env]]]): text only; the default environment
 * is the caller's own (upvalue 1), never the real globals. */
static int safe_load(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    int has_env = lua_gettop(L) >= 4 && !lua_isnil(L, 4);
    if (len > 0 && s[0] == LUA_SIGNATURE[0])
        return luaL_error(L, "loading binary chunks (bytecode) is not allowed");
    if (name[0] == '=' && strcmp(name, "=(load)") != 0) /* "=X.lua" names the core's own code */
        name = lua_pushfstring(L, "@%s", name + 1);
    if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env) /* load(chunk, name, mode, env) */
        lua_pushvalue(L, 4);
    else
        lua_pushvalue(L, lua_upvalueindex(1));
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 1;
}

static int forbidden(lua_State *L)
{
    return luaL_error(L, "%s is not allowed in the sws sandbox",
                      lua_tostring(L, lua_upvalueindex(1)));
}

/* ---- read-only proxies --------------------------------------------------- */

/*
 * A proxy is an empty table whose metatable's __index is a shadow of the
 * real table: a copy made once, in which nested tables are replaced by their
 * own proxies. Reads then cost what a plain table lookup costs (no C call),
 * and no path leads from a script to a real library table. Library tables
 * do not change after the host is built, which is what makes a copy right.
 */
static int proxy_newindex(lua_State *L)
{
    return luaL_error(L, "attempt to change read-only table (field '%s')",
                      lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : "?");
}

static int proxy_len(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

/* The iterator of a proxy's pairs: next() over the shadow held as upvalue 1,
 * so the shadow itself is never handed to the script (pairs' second result,
 * the state, is nil; only keys and values, already read-only, come out). */
static int proxy_next(lua_State *L)
{
    lua_settop(L, 2);
    lua_pushvalue(L, 2);
    if (lua_next(L, lua_upvalueindex(1)))
        return 2;
    lua_pushnil(L);
    return 1;
}

static int proxy_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    lua_pushcclosure(L, proxy_next, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    return 3;
}

void sws_host_push_proxy(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_PROXIED); /* real -> proxy */
    lua_pushvalue(L, idx);
    if (lua_rawget(L, -2) == LUA_TTABLE) {
        lua_remove(L, -2);
        return;
    }
    lua_pop(L, 1);
    lua_newtable(L); /* the proxy */
    lua_pushvalue(L, idx);
    lua_pushvalue(L, -2);
    lua_rawset(L, -4); /* registered before the copy, so cycles end */
    lua_remove(L, -2);
    int proxy = lua_gettop(L);

    static const luaL_Reg mt[] = {{"__newindex", proxy_newindex}, {"__len", proxy_len},
                                  {"__pairs", proxy_pairs}, {NULL, NULL}};
    lua_newtable(L);
    luaL_setfuncs(L, mt, 0);
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pushboolean(L, 1);
    lua_rawsetp(L, -2, &KEY_PROXY_MT); /* marks it for is_proxy */
    lua_newtable(L); /* the shadow */
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            sws_host_push_proxy(L, -1);
            lua_replace(L, -2);
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, proxy);
}

void sws_sandbox_make_proxies(lua_State *L)
{
    lua_newtable(L); /* real -> proxy */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_PROXIED);
}

/* ---- the base environment ------------------------------------------------ */

static int undefined_global(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "undefined global '%s'", lua_tostring(L, 2));
    return luaL_error(L, "undefined global");
}

/* Opens library `name` without making it global; keeps only `keep` (NULL:
 * all) and leaves the table on the stack. */
static void open_lib(lua_State *L, const char *name, lua_CFunction open, const char *const *keep)
{
    luaL_requiref(L, name, open, 0);
    if (!keep)
        return;
    lua_newtable(L);
    for (int i = 0; keep[i]; i++) {
        lua_getfield(L, -2, keep[i]);
        lua_setfield(L, -2, keep[i]);
    }
    lua_remove(L, -2);
}

static void set_forbidden(lua_State *L, const char *field, const char *what)
{
    lua_pushstring(L, what);
    lua_pushcclosure(L, forbidden, 1);
    lua_setfield(L, -2, field);
}

/* Replaces each of names in the table on top with "LIB.NAME is not allowed". */
static void set_all_forbidden(lua_State *L, const char *lib, const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s.%s", lib, names[i]);
        set_forbidden(L, names[i], what);
    }
}

void sws_sandbox_build_base(lua_State *L, sws_host_install_fn install)
{
    static const char *const base_names[] = {
        "assert", "error", "ipairs", "next", "pairs", "select", "tonumber", "tostring", "type",
        "rawequal", "rawlen", "rawget", "getmetatable", "print", "_VERSION",
        NULL};
    static const char *const os_keep[] = {"clock", "date", "time", "difftime", NULL};
    static const char *const debug_keep[] = {"traceback", NULL};

    luaL_requiref(L, "_G", luaopen_base, 0);
    lua_newtable(L); /* base */
    for (int i = 0; base_names[i]; i++) {
        lua_getfield(L, -2, base_names[i]);
        lua_setfield(L, -2, base_names[i]);
    }
    lua_getfield(L, -2, "collectgarbage");
    lua_pushcclosure(L, safe_collectgarbage, 1);
    lua_setfield(L, -2, "collectgarbage");
    lua_getfield(L, -2, "setmetatable");
    lua_pushcclosure(L, safe_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    lua_pushcfunction(L, safe_pcall);
    lua_setfield(L, -2, "pcall");
    lua_pushcfunction(L, safe_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_pushcfunction(L, safe_rawset);
    lua_setfield(L, -2, "rawset");
    set_forbidden(L, "dofile", "dofile (file access)");
    set_forbidden(L, "loadfile", "loadfile (file access)");
    lua_remove(L, -2); /* the real _G */

    /* libraries, each as a read-only proxy */
    struct { const char *name; lua_CFunction open; const char *const *keep; } libs[] = {
        {"string", luaopen_string, NULL}, {"table", luaopen_table, NULL},
        {"math", luaopen_math, NULL}, {"utf8", luaopen_utf8, NULL},
        {"coroutine", luaopen_coroutine, NULL}, {"os", luaopen_os, os_keep},
        {"debug", luaopen_debug, debug_keep},
    };
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        open_lib(L, libs[i].name, libs[i].open, libs[i].keep);
        if (strcmp(libs[i].name, "string") == 0) {
            lua_pushnil(L);
            lua_setfield(L, -2, "dump"); /* makes bytecode */
            sws_pattern_guard_install(L, -1); /* also what ("x"):find reaches */
        } else if (strcmp(libs[i].name, "coroutine") == 0) {
            lua_getfield(L, -1, "resume");
            lua_pushcclosure(L, safe_resume, 1);
            lua_setfield(L, -2, "resume");
            lua_getfield(L, -1, "wrap");
            lua_pushcclosure(L, safe_wrap, 1);
            lua_setfield(L, -2, "wrap");
        } else if (strcmp(libs[i].name, "os") == 0) {
            static const char *const gone[] = {"execute", "remove", "rename", "exit", "getenv",
                                               "tmpname", "setlocale", NULL};
            set_all_forbidden(L, "os", gone);
        } else if (strcmp(libs[i].name, "debug") == 0) {
            static const char *const gone[] = {"sethook", "gethook", "getlocal", "setlocal",
                "getupvalue", "setupvalue", "upvaluejoin", "getregistry", "getmetatable",
                "setmetatable", "getinfo", "setuservalue", "getuservalue", "setcstacklimit", NULL};
            set_all_forbidden(L, "debug", gone);
        }
        sws_host_push_proxy(L, -1);
        lua_setfield(L, -3, libs[i].name);
        lua_pop(L, 1);
    }
    /* io and package do not exist at all; say so rather than "undefined". */
    static const char *const io_gone[] = {"open", "popen", "lines", "read", "write", "output",
                                          "input", NULL};
    lua_newtable(L);
    set_all_forbidden(L, "io", io_gone);
    sws_host_push_proxy(L, -1);
    lua_setfield(L, -3, "io");
    lua_pop(L, 1);
    lua_newtable(L);
    set_forbidden(L, "loadlib", "package.loadlib (C modules)");
    set_forbidden(L, "searchpath", "package.searchpath");
    sws_host_push_proxy(L, -1);
    lua_setfield(L, -3, "package");
    lua_pop(L, 1);

    /* the sws API, installed by the embedder */
    if (install)
        install(L);
    else
        lua_newtable(L);
    sws_host_push_proxy(L, -1);
    lua_setfield(L, -3, "sws");
    lua_pop(L, 1);

    lua_newtable(L); /* base's metatable: a miss is an undefined global */
    lua_pushcfunction(L, undefined_global);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &sws_sandbox_key_base);

    /* strings share one metatable: lock it */
    lua_pushliteral(L, "");
    if (lua_getmetatable(L, -1)) {
        lua_pushliteral(L, "locked");
        lua_setfield(L, -2, "__metatable");
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* ---- require ------------------------------------------------------------- */

int sws_host_in_code_folder(sws_host *h, const char *path)
{
    char real[PATH_MAX], root[PATH_MAX], folder[PATH_MAX + 16];
    if (!realpath(path, real))
        return 0;
    static const char *const folders[] = {"plugins", "policies"};
    for (int i = 0; i < 2; i++) {
        /* the folder itself may be a link the operator made (policies -> a shared copy) */
        snprintf(folder, sizeof folder, "%s/%s", h->home, folders[i]);
        if (!realpath(folder, root))
            continue;
        size_t n = strlen(root);
        if (strncmp(real, root, n) == 0 && (real[n] == '/' || real[n] == '\0'))
            return 1;
    }
    return 0;
}

const char *sws_host_syntax_error(lua_State *L, int idx)
{
    const char *msg = lua_tostring(L, idx);
    const char *near = msg ? strstr(msg, " near ") : NULL;
    if (!near)
        return msg ? msg : "cannot load";
    return lua_pushfstring(L, "%s (the text there is not shown)",
                           lua_pushlstring(L, msg, (size_t)(near - msg)));
}

/* require(name): "sws", or a module file inside the project's plugins/ or
 * policies/ folder, run in the requiring chunk's environment (upvalue 1).
 * Upvalue 2 is that environment's module cache; upvalue 3 the chunk's folder. */
static int safe_require(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *name = luaL_checkstring(L, 1);
    if (strcmp(name, "sws") == 0) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_sandbox_key_base);
        lua_getfield(L, -1, "sws");
        return 1;
    }
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || (*p == '.' && p != name && p[1] && p[1] != '.')))
            return luaL_error(L, "require '%s': module names are letters, digits, _ and dots",
                              name);
    lua_settop(L, 1);
    if (lua_getfield(L, lua_upvalueindex(2), name) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);

    char rel[512], path[4096], tried[2048] = "";
    snprintf(rel, sizeof rel, "%s", name);
    for (char *p = rel; *p; p++)
        if (*p == '.')
            *p = '/';
    const char *dir = lua_tostring(L, lua_upvalueindex(3));
    const char *const patterns[] = {"%s/%s.lua", "%s/plugins/%s.lua", "%s/plugins/%s/init.lua",
                                    "%s/policies/%s.lua"};
    int found = 0;
    for (int i = 0; i < 4 && !found; i++) {
        /* a chunk's own folder: inside plugins/ or policies/, or an admin
         * script's or test's own (they are the administrator's files) */
        int own = i == 0 && sws_host_current_caller(h, NULL) == SWS_CALLER_SCRIPT &&
                  !sws_host_in_code_folder(h, dir);
        if (i == 0 && !own && !sws_host_in_code_folder(h, dir))
            continue;
        snprintf(path, sizeof path, patterns[i], i == 0 ? dir : h->home, rel);
        snprintf(tried + strlen(tried), sizeof tried - strlen(tried), "\n\tno file %s", path);
        /* exists, and (but in a script's own folder) no link leads out */
        found = own ? access(path, R_OK) == 0 : sws_host_in_code_folder(h, path);
    }
    if (!found)
        return luaL_error(L, "module '%s' not found in the project's plugins/ or policies/:%s",
                          name, tried);
    if (luaL_loadfilex(L, path, "t") != LUA_OK)
        return luaL_error(L, "module '%s': %s", name, sws_host_syntax_error(L, -1));
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_setupvalue(L, -2, 1);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(2), name);
    return 1;
}

/* Pushes a fresh environment for a chunk whose file is in folder `dir`. */
void sws_host_push_env(lua_State *L, const char *dir)
{
    lua_newtable(L);
    lua_newtable(L); /* metatable: misses go to base */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &sws_sandbox_key_base);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);

    lua_pushvalue(L, -1);
    lua_setfield(L, -2, "_G");
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, safe_load, 1);
    lua_setfield(L, -2, "load");
    lua_pushvalue(L, -1);
    lua_newtable(L);
    lua_pushstring(L, dir);
    lua_pushcclosure(L, safe_require, 3);
    lua_setfield(L, -2, "require");
}
