/* plugin.c — discovery, manifests, dependency order and isolated loading. */
#include "plugin.h"

#include <dirent.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "event.h"
#include "luatab.h"
#include "plugin_scope.h"

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void fail(sws_plugin *p, sws_plugin_state st, const char *fmt, const char *arg)
{
    p->state = st;
    snprintf(p->reason, sizeof p->reason, fmt, arg);
}

/* Reads manifest fields from the table on top of the stack. */
static void read_manifest(lua_State *L, sws_plugin *p, const char *county)
{
    if (!lua_istable(L, -1))
        return fail(p, SWS_PLUGIN_FAILED, "manifest.lua must return a table%s", "");
    lua_getfield(L, -1, "name");
    const char *name = lua_tostring(L, -1);
    if (!name || strcmp(name, p->name) != 0) {
        lua_pop(L, 1);
        return fail(p, SWS_PLUGIN_FAILED, "manifest name must equal the folder name '%s'",
                    p->name);
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "version");
    snprintf(p->version, sizeof p->version, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
    lua_getfield(L, -1, "description");
    snprintf(p->description, sizeof p->description, "%s",
             lua_isstring(L, -1) ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
    lua_getfield(L, -1, "api");
    p->api = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    if (p->api < 1 || p->api > SWS_API_VERSION) {
        char v[16];
        snprintf(v, sizeof v, "%d", SWS_API_VERSION);
        return fail(p, SWS_PLUGIN_DISABLED, "needs sws API version 1..%s (set api = 1 in "
                    "manifest.lua)", v);
    }
    lua_getfield(L, -1, "requires");
    for (int i = 1; lua_istable(L, -1) && i <= 8; i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
            lua_pop(L, 1);
            break;
        }
        snprintf(p->requires[p->nrequires++], sizeof p->requires[0], "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "tables"); /* the plugin_<name>_<table> tables it owns */
    for (int i = 1; lua_istable(L, -1); i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
            lua_pop(L, 1);
            break;
        }
        char why[300];
        if (sws_host_declare_table(p->name, lua_tostring(L, -1), why, sizeof why) < 0) {
            lua_pop(L, 2);
            return fail(p, SWS_PLUGIN_FAILED, "%s", why);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, -1, "counties");
    char why[300];
    if (sws_plugin_scope_read(L, -1, p->name, why, sizeof why) < 0) {
        lua_pop(L, 1);
        return fail(p, SWS_PLUGIN_FAILED, "%s", why);
    }
    int enabled = !county || (lua_isstring(L, -1) && strcmp(lua_tostring(L, -1), "*") == 0);
    for (int i = 1; !enabled && lua_istable(L, -1); i++) {
        if (lua_rawgeti(L, -1, i) != LUA_TSTRING) {
            lua_pop(L, 1);
            break;
        }
        enabled = strcmp(lua_tostring(L, -1), county) == 0;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (!enabled)
        fail(p, SWS_PLUGIN_DISABLED, "not enabled for county %s (see counties in manifest.lua)",
             county);
}

static sws_plugin *find(sws_plugins *ps, const char *name)
{
    for (int i = 0; i < ps->n; i++)
        if (strcmp(ps->list[i].name, name) == 0)
            return &ps->list[i];
    return NULL;
}

/* Loads p's init.lua if all its dependencies are loaded; returns 1 when p
 * was settled (loaded or failed), 0 when it must wait for a dependency. */
static int try_load(sws_host *h, sws_plugins *ps, sws_plugin *p)
{
    for (int d = 0; d < p->nrequires; d++) {
        sws_plugin *dep = find(ps, p->requires[d]);
        if (!dep) {
            fail(p, SWS_PLUGIN_DISABLED, "requires plugin '%s', which is not installed",
                 p->requires[d]);
            return 1;
        }
        if (dep->state != SWS_PLUGIN_LOADED) {
            if (dep->reason[0]) {
                fail(p, SWS_PLUGIN_DISABLED, "requires plugin '%s', which did not load",
                     p->requires[d]);
                return 1;
            }
            return 0;
        }
    }
    char path[4200], who[96];
    snprintf(path, sizeof path, "%s/init.lua", p->dir);
    snprintf(who, sizeof who, "plugin '%s'", p->name);
    sws_error e;
    lua_State *L = sws_host_lua(h);
    if (sws_host_run_file(h, path, who, SWS_CALLER_PLUGIN, p->name, 0, &e) < 0) {
        sws_lapi_forget(h, p->name);
        sws_plugin_forget(h, p->name);
        fail(p, SWS_PLUGIN_FAILED, "%s", e.msg);
        return 1;
    }
    sws_plugin_set_exports(h, p->name); /* the result */
    lua_pop(L, 1);                      /* its environment */
    p->state = SWS_PLUGIN_LOADED;
    return 1;
}

void sws_plugins_load(sws_host *h, const char *county, int log, sws_plugins *out)
{
    lua_State *L = sws_host_lua(h);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/plugins", sws_host_options(h)->home);
    out->list = NULL;
    out->n = 0;
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    if (n < 0)
        return;
    out->list = calloc((size_t)n, sizeof *out->list);
    for (int i = 0; i < n; i++) {
        char manifest[4400];
        struct stat sb;
        snprintf(manifest, sizeof manifest, "%s/%s/manifest.lua", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.' && out->list && stat(manifest, &sb) == 0) {
            sws_plugin *p = &out->list[out->n++];
            snprintf(p->name, sizeof p->name, "%s", names[i]->d_name);
            snprintf(p->dir, sizeof p->dir, "%s/%s", dir, names[i]->d_name);
            p->state = SWS_PLUGIN_DISABLED; /* until loaded */
            sws_error e;
            char who[96];
            snprintf(who, sizeof who, "manifest of plugin '%s'", p->name);
            if (sws_host_run_file(h, manifest, who, SWS_CALLER_POLICY, NULL, 0, &e) < 0) {
                fail(p, SWS_PLUGIN_FAILED, "%s", e.msg);
            } else {
                read_manifest(L, p, county);
                lua_pop(L, 2);
            }
        }
        free(names[i]);
    }
    free(names);

    /* dependency order: settle what can be settled until nothing changes */
    for (int progress = 1; progress;) {
        progress = 0;
        for (int i = 0; i < out->n; i++) {
            sws_plugin *p = &out->list[i];
            if (p->state == SWS_PLUGIN_DISABLED && !p->reason[0])
                progress |= try_load(h, out, p);
        }
    }
    for (int i = 0; i < out->n; i++) {
        sws_plugin *p = &out->list[i];
        if (p->state == SWS_PLUGIN_DISABLED && !p->reason[0])
            fail(p, SWS_PLUGIN_DISABLED, "its dependencies form a cycle (%s)", p->requires[0]);
        if (log && p->state == SWS_PLUGIN_FAILED)
            fprintf(stderr, "sws: plugin '%s' was not loaded: %s\n", p->name, p->reason);
    }
}

void sws_plugins_free(sws_plugins *p)
{
    free(p->list);
    p->list = NULL;
    p->n = 0;
}

/* ---- what plugins registered (sws.command, sws.job, sws.rule, exports) ---- */

/* Keys of the registry tables; sws_lapi_open_plugin creates the tables. */
const char sws_plugin_key_commands = 'c', sws_plugin_key_jobs = 'j', sws_plugin_key_exports = 'x',
           sws_plugin_key_rules = 'r';
#define KEY_COMMANDS sws_plugin_key_commands
#define KEY_JOBS sws_plugin_key_jobs
#define KEY_EXPORTS sws_plugin_key_exports
#define KEY_RULES sws_plugin_key_rules

void sws_plugin_push_rules(sws_host *h)
{
    lua_rawgetp(sws_host_lua(h), LUA_REGISTRYINDEX, &KEY_RULES);
}

int sws_plugin_push_export(sws_host *h, const char *name, const char *field)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_EXPORTS);
    if (lua_getfield(L, -1, name) == LUA_TNIL) {
        lua_remove(L, -2);
        return LUA_TNIL;
    }
    int t = lua_getfield(L, -1, field); /* through the read-only proxy */
    lua_replace(L, -3);
    lua_pop(L, 1);
    return t;
}

void sws_plugin_set_exports(sws_host *h, const char *name)
{
    lua_State *L = sws_host_lua(h);
    if (lua_istable(L, -1))
        sws_host_push_proxy(L, -1);
    else
        lua_pushvalue(L, -1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_EXPORTS);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 2);
}

/* Pushes the function of entry `name` of registry table key and copies its
 * owner into owner; returns 0 (nothing pushed) when there is no such entry. */
static int push_entry_fn(lua_State *L, const void *key, const char *name, char *owner, size_t n)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    if (lua_getfield(L, -1, name) != LUA_TTABLE) {
        lua_pop(L, 2);
        return 0;
    }
    lua_getfield(L, -1, "owner");
    snprintf(owner, n, "%s", lua_tostring(L, -1));
    lua_getfield(L, -2, "fn");
    lua_replace(L, -4);
    lua_pop(L, 2);
    return 1;
}

int sws_plugin_run_command(sws_host *h, const char *name, int argc, char **argv, int *status,
                           sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    char owner[128];
    if (!push_entry_fn(L, &KEY_COMMANDS, name, owner, sizeof owner))
        return 0;
    char why[400];
    if (sws_plugin_scope_check_args(L, owner, argc, argv, why, sizeof why) < 0) {
        lua_pop(L, 1);
        return sws_errorf(e, "%s", why);
    }
    lua_createtable(L, argc, 0);
    for (int i = 0; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i + 1);
    }
    char doing[192];
    snprintf(doing, sizeof doing, "command '%s' of plugin '%s'", name, owner);
    if (sws_host_call(h, 1, 1, SWS_CALLER_PLUGIN, owner, doing, e) < 0)
        return -1;
    *status = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 0;
    lua_pop(L, 1);
    return 1;
}

int sws_plugin_job_serves(sws_host *h, const char *name, const char *county)
{
    lua_State *L = sws_host_lua(h);
    char owner[128];
    if (!push_entry_fn(L, &KEY_JOBS, name, owner, sizeof owner))
        return 1;
    lua_pop(L, 1);
    return sws_plugin_serves(L, owner, county);
}

int sws_plugin_has_job(sws_host *h, const char *name)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_JOBS);
    int found = lua_getfield(L, -1, name) == LUA_TTABLE;
    lua_pop(L, 2);
    return found;
}

int sws_plugin_run_job(sws_host *h, const char *name, const sws_job_context *ctx, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    char owner[128];
    if (!push_entry_fn(L, &KEY_JOBS, name, owner, sizeof owner))
        return sws_errorf(e, "no job '%s' (jobs come from plugins: see `sws plugin list`)", name);
    if (ctx && ctx->county && !sws_plugin_serves(L, owner, ctx->county)) {
        char list[200];
        sws_plugin_scope_text(L, owner, list, sizeof list);
        lua_pop(L, 1);
        return sws_errorf(e, "job '%s' of plugin '%s' serves only %s (counties in its "
                          "manifest.lua): not run for %s", name, owner, list, ctx->county);
    }
    lua_newtable(L); /* ctx */
    lua_pushstring(L, name);
    lua_setfield(L, -2, "job");
    if (ctx) {
        sws_set_str(L, "scheduled", ctx->scheduled);
        sws_set_str(L, "as_of", ctx->as_of);
        sws_set_str(L, "county", ctx->county);
        sws_set_str(L, "trigger", ctx->trigger);
    }
    char doing[192];
    snprintf(doing, sizeof doing, "job '%s' of plugin '%s'", name, owner);
    return sws_host_call(h, 1, 0, SWS_CALLER_PLUGIN, owner, doing, e);
}

/* Calls fn(name, help, owner) for each entry of the registry table at key. */
static void each_entry(sws_host *h, const void *key,
                       void (*fn)(const char *name, const char *help, const char *owner,
                                  void *ud),
                       void *ud)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, key);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_getfield(L, -1, "help");
        lua_getfield(L, -2, "owner");
        fn(lua_tostring(L, -4), lua_isstring(L, -2) ? lua_tostring(L, -2) : "",
           lua_tostring(L, -1), ud);
        lua_pop(L, 3);
    }
    lua_pop(L, 1);
}

void sws_plugin_each_command(sws_host *h, void (*fn)(const char *name, const char *help,
                                                     const char *owner, void *ud), void *ud)
{
    each_entry(h, &KEY_COMMANDS, fn, ud);
}

void sws_plugin_each_job(sws_host *h, void (*fn)(const char *name, const char *help,
                                                 const char *owner, void *ud), void *ud)
{
    each_entry(h, &KEY_JOBS, fn, ud);
}

void sws_plugin_forget(sws_host *h, const char *owner)
{
    lua_State *L = sws_host_lua(h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_RULES); /* a list: keep the others, in order */
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1), kept = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "owner");
        int mine = strcmp(lua_tostring(L, -1), owner) == 0;
        lua_pop(L, 1);
        if (mine)
            lua_pop(L, 1);
        else
            lua_rawseti(L, -2, ++kept);
    }
    for (lua_Integer i = kept + 1; i <= n; i++) {
        lua_pushnil(L);
        lua_rawseti(L, -2, i);
    }
    lua_pop(L, 1);
    const void *keys[] = {&KEY_COMMANDS, &KEY_JOBS};
    for (int k = 0; k < 2; k++) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, keys[k]);
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_getfield(L, -1, "owner");
            int mine = strcmp(lua_tostring(L, -1), owner) == 0;
            lua_pop(L, 2);
            if (mine) { /* clearing the current key is allowed during lua_next */
                lua_pushvalue(L, -1);
                lua_pushnil(L);
                lua_rawset(L, -4);
            }
        }
        lua_pop(L, 1);
    }
}
