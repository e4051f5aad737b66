/*
 * lapi_policy.c — sws.policy and the built-in Lua library behind it.
 *
 * The inheritance and validation logic is Lua (core/lua/policy.lua, built
 * into the binary); this file loads it and the other embedded modules
 * (rules, indicators), and gives them the two things they cannot do from
 * the sandbox (read a policy file, make a sandboxed environment). The C view
 * of a loaded policy, which the workflow engine asks, is policy.c.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "policy.h"
#include "validate.h"

struct sws_embedded { const char *name; const char *src; size_t len; };
extern const struct sws_embedded sws_embedded_lua[];

#define KEY_LIB sws_policy_key_lib
#define KEY_COVERAGE sws_policy_key_coverage

/* ---- helpers for the library --------------------------------------------- */

/* read(name [, nested]) -> source, shown path, folder. NAME is a policy
 * name ("default", "330302") or a path to a .lua file. A nested read (the
 * base of sws.policy.extend, named by a policy file) resolves only inside
 * the project's policies/ and plugins/ folders; a path given on the
 * command line may lie anywhere. */
static int helper_read(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *name = luaL_checkstring(L, 1);
    int nested = lua_toboolean(L, 2);
    const char *home = sws_host_options(h)->home;
    char path[4096];
    if (strchr(name, '/') || strstr(name, ".lua"))
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%s/policies/%s.lua", home, name);
    if (nested && !sws_host_in_code_folder(h, path))
        return luaL_error(L, "policy '%s' not found: a policy extends a policy of the "
                          "project's policies/ or plugins/ folder, by name", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return luaL_error(L, "no policy file %s", path);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        luaL_addlstring(&b, chunk, got);
    fclose(f);
    luaL_pushresult(&b);
    /* a policy folder assembled for a preview links the proposed files: they
     * are named by the file the link points to */
    char target[4096];
    struct stat lsb;
    ssize_t tl = lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode)
               ? readlink(path, target, sizeof target - 1) : -1;
    if (tl > 0) {
        target[tl] = '\0';
        lua_pushstring(L, target);
    } else {
        size_t hl = strlen(home);
        lua_pushstring(L, strncmp(path, home, hl) == 0 && path[hl] == '/' ? path + hl + 1 : path);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    lua_pushstring(L, dir);
    return 3;
}

/* quiet(message) -> the load error without the quoted source text. */
static int helper_quiet(lua_State *L)
{
    luaL_checkstring(L, 1);
    lua_pushstring(L, sws_host_syntax_error(L, 1));
    return 1;
}

static int helper_env(lua_State *L)
{
    sws_host_push_env(L, luaL_checkstring(L, 1));
    return 1;
}

/* Runs an embedded module with (helpers, policy library) and returns its
 * result on the stack; the module runs as trusted code over the real base
 * functions and libraries. */
static void run_embedded(lua_State *L, const struct sws_embedded *lib, int helpers, int policy)
{
    char name[96];
    snprintf(name, sizeof name, "=%s.lua", lib->name);
    if (luaL_loadbufferx(L, lib->src, lib->len, name, "t") != LUA_OK)
        lua_error(L); /* our own source: only out of memory */
    lua_newtable(L); /* its environment */
    lua_newtable(L);
    lua_pushglobaltable(L);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    static const char *const libs[] = {"string", "table", "math", "utf8", NULL};
    for (int i = 0; libs[i]; i++) {
        lua_getfield(L, -1, libs[i]);
        lua_setfield(L, -3, libs[i]);
    }
    lua_pop(L, 1);
    lua_setupvalue(L, -2, 1);
    lua_pushvalue(L, helpers);
    if (policy)
        lua_pushvalue(L, policy);
    else
        lua_pushnil(L);
    lua_call(L, 2, 1);
}

static int l_policy_get(lua_State *L);

void sws_lapi_open_policy(lua_State *L, int sws_table)
{
    sws_table = lua_absindex(L, sws_table);
    lua_newtable(L); /* helpers */
    lua_pushcfunction(L, helper_read);
    lua_setfield(L, -2, "read");
    lua_pushcfunction(L, helper_env);
    lua_setfield(L, -2, "env");
    lua_pushcfunction(L, sws_lapi_cron_check);
    lua_setfield(L, -2, "cron");
    lua_pushcfunction(L, sws_lapi_cron_check_time);
    lua_setfield(L, -2, "cron_time");
    lua_pushcfunction(L, helper_quiet);
    lua_setfield(L, -2, "quiet");
    int helpers = lua_gettop(L);

    const struct sws_embedded *policy = NULL;
    for (int i = 0; sws_embedded_lua[i].name; i++)
        if (strcmp(sws_embedded_lua[i].name, "policy") == 0)
            policy = &sws_embedded_lua[i];
    if (!policy)
        luaL_error(L, "the built-in policy library is missing");
    run_embedded(L, policy, helpers, 0);
    int lib = lua_gettop(L);
    lua_pushvalue(L, lib);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_LIB);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &KEY_COVERAGE);

    /* the other built-in modules extend the library: lib.modules[name] */
    lua_newtable(L);
    for (int i = 0; sws_embedded_lua[i].name; i++)
        if (&sws_embedded_lua[i] != policy) {
            run_embedded(L, &sws_embedded_lua[i], helpers, lib);
            lua_setfield(L, -2, sws_embedded_lua[i].name);
        }
    lua_setfield(L, lib, "modules");

    /* sws.standards: the one judgment of each standard (core/lua/standards.lua),
     * for the computed items and guards of policies */
    sws_policy_push_lib(L, "standards", "public");
    lua_setfield(L, sws_table, "standards");

    lua_newtable(L); /* sws.policy: what policy files call */
    lua_getfield(L, lib, "define");
    lua_setfield(L, -2, "define");
    lua_getfield(L, lib, "extend");
    lua_setfield(L, -2, "extend");
    lua_pushcfunction(L, l_policy_get);
    lua_setfield(L, -2, "get");
    lua_setfield(L, sws_table, "policy");
    lua_settop(L, helpers - 1);
}

/** sws.policy.get(county, path) -> the effective value at the dotted path of the
 * county's policy ("standards.min_resident_workers"): a number, string or boolean
 * (a table comes back read-only); nil when absent. For plugins and scripts. */
static int l_policy_get(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *county = luaL_checkstring(L, 1), *path = luaL_checkstring(L, 2);
    if (sws_valid_division_code(county, 6))
        return luaL_error(L, "sws.policy.get: '%s' is not a 6-digit county code", county);
    sws_policy p;
    sws_error e;
    if (sws_policy_load(h, county, &p, &e) < 0)
        return luaL_error(L, "sws.policy.get: %s", e.msg);
    sws_policy_push_value(&p, path);
    sws_policy_release(&p);
    if (lua_istable(L, -1))
        sws_host_push_proxy(L, -1);
    return 1;
}
