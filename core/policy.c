/*
 * policy.c — the C view of a loaded county policy (policy.h): loading it in
 * the host and answering the workflow engine's questions from its table.
 *
 * The policy library itself (inheritance, validation) is Lua, installed as
 * sws.policy by lapi_policy.c; this file calls into it and never defines
 * what Lua calls.
 */
#include "policy.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hash.h"
#include "suggest.h"
#include "validate.h"

/* Registry keys of the policy library and of the guard-call counts. */
const char sws_policy_key_lib = 'l', sws_policy_key_coverage = 'v';
#define KEY_LIB sws_policy_key_lib
#define KEY_COVERAGE sws_policy_key_coverage

/* ---- loading ---------------------------------------------------------------- */

static void push_lib_fn(lua_State *L, const char *fn)
{
    sws_policy_push_lib(L, NULL, fn);
}

void sws_policy_push_lib(lua_State *L, const char *module, const char *fn)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_LIB);
    if (module) {
        lua_getfield(L, -1, "modules");
        lua_getfield(L, -1, module);
        lua_remove(L, -2);
        lua_remove(L, -2);
        if (!lua_istable(L, -1))
            return; /* nil */
    }
    lua_getfield(L, -1, fn);
    lua_remove(L, -2);
}

void sws_policy_for_county(sws_host *h, const char *county, char *name, size_t n)
{
    char path[4200];
    struct stat sb;
    snprintf(path, sizeof path, "%s/policies/%s.lua", sws_host_options(h)->home, county);
    snprintf(name, n, "%s", stat(path, &sb) == 0 ? county : "default");
}

static void copy_field(lua_State *L, int t, const char *field, char *out, size_t n)
{
    lua_getfield(L, t, field);
    snprintf(out, n, "%s", lua_isstring(L, -1) ? lua_tostring(L, -1) : "?");
    lua_pop(L, 1);
}

int sws_policy_load(sws_host *h, const char *which, sws_policy *out, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    char name[512];
    memset(out, 0, sizeof *out);
    out->ref = LUA_NOREF;
    if (!sws_valid_division_code(which, 6)) /* a county code */
        sws_policy_for_county(h, which, name, sizeof name);
    else
        snprintf(name, sizeof name, "%s", which);
    push_lib_fn(L, "load");
    lua_pushstring(L, name);
    if (sws_host_call(h, 1, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
        return sws_error_prefix(e, "policy %s", name);
    int p = lua_gettop(L);
    out->h = h;
    copy_field(L, p, "name", out->name, sizeof out->name);
    copy_field(L, p, "version", out->version, sizeof out->version);
    push_lib_fn(L, "file");
    lua_pushvalue(L, p);
    lua_call(L, 1, 1);
    snprintf(out->file, sizeof out->file, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    out->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

void sws_policy_push_value(sws_policy *p, const char *path)
{
    lua_State *L = sws_host_lua(p->h);
    sws_policy_push(p);
    char part[64];
    for (const char *s = path; *s;) {
        size_t n = strcspn(s, ".");
        snprintf(part, sizeof part, "%.*s", (int)n, s);
        if (!lua_istable(L, -1)) {
            lua_pop(L, 1);
            lua_pushnil(L);
            return;
        }
        lua_getfield(L, -1, part);
        lua_remove(L, -2);
        s += n + (s[n] == '.');
    }
}

int sws_policy_number(sws_policy *p, const char *path, double *out)
{
    lua_State *L = sws_host_lua(p->h);
    sws_policy_push_value(p, path);
    int ok = lua_type(L, -1) == LUA_TNUMBER;
    if (ok)
        *out = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return ok ? 0 : -1;
}

int sws_policy_string(sws_policy *p, const char *path, char *buf, size_t n)
{
    lua_State *L = sws_host_lua(p->h);
    sws_policy_push_value(p, path);
    int ok = lua_type(L, -1) == LUA_TSTRING;
    if (ok)
        snprintf(buf, n, "%s", lua_tostring(L, -1));
    lua_pop(L, 1);
    return ok ? 0 : -1;
}

void sws_policy_release(sws_policy *p)
{
    if (p->h && p->ref != LUA_NOREF)
        luaL_unref(sws_host_lua(p->h), LUA_REGISTRYINDEX, p->ref);
    p->ref = LUA_NOREF;
}

void sws_policy_push(sws_policy *p)
{
    lua_rawgeti(sws_host_lua(p->h), LUA_REGISTRYINDEX, p->ref);
}

static void push_policy(sws_policy *p) { sws_policy_push(p); }

int sws_policy_validate(sws_policy *p, FILE *out, sws_error *e)
{
    lua_State *L = sws_host_lua(p->h);
    push_lib_fn(L, "validate");
    push_policy(p);
    if (sws_host_call(p->h, 1, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
        return -1;
    int n = (int)lua_rawlen(L, -1);
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "file");
        lua_getfield(L, -2, "line");
        lua_getfield(L, -3, "msg");
        fprintf(out, "%s:%d: %s\n", lua_tostring(L, -3), (int)lua_tointeger(L, -2),
                lua_tostring(L, -1));
        lua_pop(L, 4);
    }
    lua_pop(L, 1);
    return n;
}

/* What sws_policy_show gathers while it walks the values. */
typedef struct showing {
    FILE *out;
    const sws_policy_show_opts *o;
    cJSON *list;    /* the JSON array, or NULL for text */
    int shown;
    sws_suggest sg; /* the path nearest to o->key */
    char best[256]; /* a copy of that path (the walk's strings do not last) */
} showing;

/* 1 when path is key or lies under it (key.x, key[1]). */
static int under_key(const char *path, const char *key)
{
    size_t n = strlen(key);
    return strncmp(path, key, n) == 0 && (!path[n] || path[n] == '.' || path[n] == '[');
}

static void show_value(const char *path, const char *value, const char *file, int line, void *ud)
{
    showing *s = ud;
    const sws_policy_show_opts *o = s->o;
    if (o->key) {
        sws_suggest_offer(&s->sg, path);
        if (s->sg.best == path) {
            snprintf(s->best, sizeof s->best, "%s", path);
            s->sg.best = s->best;
        }
        if (!under_key(path, o->key))
            return;
    }
    if (o->only_overrides && file && strstr(file, "policies/default.lua"))
        return; /* set by the city's policy */
    s->shown++;
    if (s->list) {
        cJSON *item = cJSON_CreateObject();
        cJSON_AddStringToObject(item, "path", path);
        cJSON_AddStringToObject(item, "value", value);
        cJSON_AddStringToObject(item, "file", file ? file : "");
        cJSON_AddNumberToObject(item, "line", line);
        cJSON_AddItemToArray(s->list, item);
        return;
    }
    fprintf(s->out, "  %s = %s", path, value);
    if (o->explain)
        fprintf(s->out, "    -- %s:%d", file, line);
    fputc('\n', s->out);
}

int sws_policy_show(sws_policy *p, FILE *out, const sws_policy_show_opts *o, sws_error *e)
{
    showing s = {.out = out, .o = o, .list = o->json ? cJSON_CreateArray() : NULL};
    sws_suggest_init(&s.sg, o->key ? o->key : "");
    if (!o->json)
        fprintf(out, "policy %s, version %s (%s)\n", p->name, p->version, p->file);
    int rc = sws_policy_each_value(p, show_value, &s, e);
    if (rc == 0 && o->key && !s.shown && !o->only_overrides) {
        char hint[160];
        rc = sws_errorf(e, "policy %s has no key '%s'%s", p->name, o->key,
                        sws_suggest_hint(&s.sg, hint, sizeof hint));
    } else if (rc == 0 && s.list) {
        char *text = cJSON_Print(s.list);
        if (text)
            fprintf(out, "%s\n", text);
        free(text);
    }
    cJSON_Delete(s.list);
    return rc;
}

int sws_policy_each_value(sws_policy *p,
                          void (*fn)(const char *path, const char *value, const char *file,
                                     int line, void *ud),
                          void *ud, sws_error *e)
{
    lua_State *L = sws_host_lua(p->h);
    push_lib_fn(L, "explain");
    push_policy(p);
    if (sws_host_call(p->h, 1, 1, SWS_CALLER_POLICY, NULL, NULL, e) < 0)
        return -1;
    int n = (int)lua_rawlen(L, -1);
    for (int i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        lua_getfield(L, -1, "path");
        lua_getfield(L, -2, "value");
        lua_getfield(L, -3, "file");
        lua_getfield(L, -4, "line");
        fn(lua_tostring(L, -4), lua_tostring(L, -3), lua_tostring(L, -2),
           (int)lua_tointeger(L, -1), ud);
        lua_pop(L, 5);
    }
    lua_pop(L, 1);
    return 0;
}

int sws_policy_content_hash(sws_policy *p, char out[17], sws_error *e)
{
    lua_State *L = sws_host_lua(p->h);
    const char *home = sws_host_options(p->h)->home;
    push_lib_fn(L, "files");
    push_policy(p);
    lua_call(L, 1, 1);
    uint64_t hash = SWS_HASH_INIT;
    int n = (int)lua_rawlen(L, -1), rc = 0;
    for (int i = 1; i <= n && rc == 0; i++) {
        lua_rawgeti(L, -1, i);
        const char *file = lua_tostring(L, -1);
        char path[4200];
        snprintf(path, sizeof path, "%s%s%s", file[0] == '/' ? "" : home,
                 file[0] == '/' ? "" : "/", file);
        FILE *f = fopen(path, "rb");
        if (!f) {
            rc = sws_errorf(e, "cannot read policy file %s for its content hash", path);
        } else {
            char buf[4097];
            size_t got;
            hash = sws_hash_more(hash, file); /* the name, then the text */
            while ((got = fread(buf, 1, sizeof buf - 1, f)) > 0) {
                buf[got] = '\0'; /* policy files are text: a NUL byte ends a chunk */
                hash = sws_hash_more(hash, buf);
            }
            fclose(f);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    snprintf(out, 17, "%016llx", (unsigned long long)hash);
    return rc;
}

/* ---- the workflow's questions -------------------------------------------- */

/* Pushes p.workflow.<field> (nil when absent). */
static void push_workflow(sws_policy *p, const char *field)
{
    lua_State *L = sws_host_lua(p->h);
    push_policy(p);
    lua_getfield(L, -1, "workflow");
    lua_remove(L, -2);
    if (lua_istable(L, -1))
        lua_getfield(L, -1, field);
    else
        lua_pushnil(L);
    lua_remove(L, -2);
}

int sws_policy_initial(sws_policy *p, char *buf, size_t n)
{
    lua_State *L = sws_host_lua(p->h);
    push_workflow(p, "initial");
    int ok = lua_isstring(L, -1);
    snprintf(buf, n, "%s", ok ? lua_tostring(L, -1) : "");
    lua_pop(L, 1);
    return ok ? 0 : -1;
}

/* Pushes p.workflow.stages[stage] (nil when absent). */
static void push_stage(sws_policy *p, const char *stage)
{
    lua_State *L = sws_host_lua(p->h);
    push_workflow(p, "stages");
    if (lua_istable(L, -1))
        lua_getfield(L, -1, stage);
    else
        lua_pushnil(L);
    lua_remove(L, -2);
}

int sws_policy_has_stage(sws_policy *p, const char *stage)
{
    lua_State *L = sws_host_lua(p->h);
    push_stage(p, stage);
    int has = lua_istable(L, -1);
    lua_pop(L, 1);
    return has;
}

int sws_policy_stage_operating(sws_policy *p, const char *stage)
{
    lua_State *L = sws_host_lua(p->h);
    int top = lua_gettop(L);
    sws_policy_push_value(p, "coverage.operating_stages");
    int found = 0;
    if (lua_istable(L, -1))
        for (lua_Integer i = 1; !found && lua_rawgeti(L, top + 1, i) == LUA_TSTRING; i++) {
            found = strcmp(lua_tostring(L, -1), stage) == 0;
            lua_pop(L, 1);
        }
    lua_settop(L, top);
    return found;
}

int sws_policy_stage_role(sws_policy *p, const char *stage, char *buf, size_t n)
{
    lua_State *L = sws_host_lua(p->h);
    int has = 0;
    buf[0] = '\0';
    push_stage(p, stage);
    if (lua_istable(L, -1)) {
        has = lua_getfield(L, -1, "role") == LUA_TSTRING;
        if (has)
            snprintf(buf, n, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return has;
}

int sws_policy_can_move(sws_policy *p, const char *from, const char *to, char *allowed, size_t n)
{
    lua_State *L = sws_host_lua(p->h);
    int ok = 0, top = lua_gettop(L);
    allowed[0] = '\0';
    push_stage(p, from);
    if (lua_istable(L, -1) && lua_getfield(L, -1, "next") == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
            const char *s = lua_tostring(L, -1);
            ok |= strcmp(s, to) == 0;
            size_t used = strlen(allowed);
            snprintf(allowed + used, n - used, "%s%s", used ? ", " : "", s);
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    return ok;
}

/* Pushes the station (its township row joined with its station row). */
static int push_station(sws_policy *p, const char *code, sws_error *e)
{
    lua_State *L = sws_host_lua(p->h);
    sqlite3_stmt *st = sws_host_stmt(p->h, NULL, "SELECT s.*, t.code AS code, t.name AS township, "
                                     "t.county_code, t.unit_code, t.population, t.service_objects, "
                                     "t.kind FROM township t LEFT JOIN station s ON s.code = t.code "
                                     "WHERE t.code = ?", e);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return sws_errorf(e, "no township %s", code);
    }
    lua_newtable(L);
    for (int i = 0; i < sqlite3_column_count(st); i++) {
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: continue;
        case SQLITE_INTEGER: lua_pushinteger(L, sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: lua_pushnumber(L, sqlite3_column_double(st, i)); break;
        default: lua_pushstring(L, (const char *)sqlite3_column_text(st, i));
        }
        lua_setfield(L, -2, sqlite3_column_name(st, i));
    }
    sqlite3_reset(st);
    return 0;
}

/* Turns a guard's results (from index base to the top) into ok/reasons. */
static void judge(lua_State *L, int base, sws_guard_result *r)
{
    int n = lua_gettop(L) - base + 1;
    r->ok = 1;
    r->reasons[0] = '\0';
    int first = n > 0 ? lua_type(L, base) : LUA_TNIL;
    if (first == LUA_TNIL || (first == LUA_TBOOLEAN && lua_toboolean(L, base)))
        return;
    r->ok = 0;
    if (first == LUA_TTABLE) { /* a list of reasons; empty means ok */
        lua_Integer k = 1;
        for (; lua_rawgeti(L, base, k) == LUA_TSTRING; k++) {
            size_t used = strlen(r->reasons);
            snprintf(r->reasons + used, sizeof r->reasons - used, "%s%s", used ? "; " : "",
                     lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        r->ok = k == 1;
        return;
    }
    for (int i = first == LUA_TSTRING ? base : base + 1; i < base + n; i++) {
        if (!lua_isstring(L, i))
            continue;
        size_t used = strlen(r->reasons);
        snprintf(r->reasons + used, sizeof r->reasons - used, "%s%s", used ? "; " : "",
                 lua_tostring(L, i));
    }
    if (!r->reasons[0])
        snprintf(r->reasons, sizeof r->reasons, "the guard failed without giving a reason");
}

int sws_policy_run_guards(sws_policy *p, const char *code, const char *from, const char *to,
                          const char *actor, const char *as_of, sws_guard_result *res, int max,
                          sws_error *e)
{
    lua_State *L = sws_host_lua(p->h);
    int top = lua_gettop(L);
    if (push_station(p, code, e) < 0)
        return -1;
    int station = lua_gettop(L);
    lua_createtable(L, 0, 4); /* the transition */
    lua_pushstring(L, from);
    lua_setfield(L, -2, "from");
    lua_pushstring(L, to);
    lua_setfield(L, -2, "to");
    lua_pushstring(L, actor);
    lua_setfield(L, -2, "actor");
    lua_pushstring(L, as_of);
    lua_setfield(L, -2, "as_of");
    int trans = lua_gettop(L);
    push_workflow(p, "enter");
    if (lua_istable(L, -1))
        lua_getfield(L, -1, to);
    else
        lua_pushnil(L);
    int names = lua_gettop(L);
    push_policy(p);
    lua_getfield(L, -1, "guards");
    int guards = lua_gettop(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_COVERAGE);
    int coverage = lua_gettop(L);

    int count = 0;
    for (lua_Integer i = 1; lua_istable(L, names) && count < max &&
                            lua_rawgeti(L, names, i) == LUA_TSTRING; i++) {
        sws_guard_result *r = &res[count++];
        snprintf(r->name, sizeof r->name, "%s", lua_tostring(L, -1));
        lua_pop(L, 1);
        lua_getfield(L, coverage, r->name);
        lua_Integer calls = lua_tointeger(L, -1) + 1;
        lua_pop(L, 1);
        lua_pushinteger(L, calls);
        lua_setfield(L, coverage, r->name);

        if (!lua_istable(L, guards) || lua_getfield(L, guards, r->name) != LUA_TFUNCTION) {
            lua_pop(L, 1);
            r->ok = 0;
            snprintf(r->where, sizeof r->where, "%s", p->file);
            snprintf(r->reasons, sizeof r->reasons, "not defined (define it under guards)");
            continue;
        }
        lua_Debug ar;
        lua_pushvalue(L, -1);
        lua_getinfo(L, ">S", &ar);
        snprintf(r->where, sizeof r->where, "%s:%d", ar.short_src, ar.linedefined);
        int base = lua_gettop(L); /* the function; its results start here */
        lua_pushvalue(L, station);
        push_policy(p);
        lua_pushvalue(L, trans);
        /* The caller names the guard and where it is: the error says what
         * went wrong, and where only when that is another line. */
        sws_error ge;
        if (sws_host_call(p->h, 3, LUA_MULTRET, SWS_CALLER_POLICY, NULL, NULL, &ge) < 0) {
            size_t wl = strlen(r->where);
            const char *msg = ge.msg;
            if (strncmp(msg, r->where, wl) == 0 && strncmp(msg + wl, ": ", 2) == 0)
                msg += wl + 2;
            r->ok = 0;
            snprintf(r->reasons, sizeof r->reasons, "stopped with an error: %s", msg);
        } else {
            judge(L, base, r);
        }
        lua_settop(L, coverage);
    }
    lua_settop(L, top);
    return count;
}

void sws_policy_deadlines(sws_policy *p, const char *stage,
                          void (*fn)(const char *what, int months, const char *met_by, void *ud),
                          void *ud)
{
    lua_State *L = sws_host_lua(p->h);
    int top = lua_gettop(L);
    push_workflow(p, "deadlines");
    if (lua_istable(L, -1) && lua_getfield(L, -1, stage) == LUA_TTABLE) {
        for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TTABLE; i++) {
            lua_getfield(L, -1, "what");
            lua_getfield(L, -2, "months");
            lua_getfield(L, -3, "met_by");
            if (lua_isstring(L, -3) && lua_isinteger(L, -2))
                fn(lua_tostring(L, -3), (int)lua_tointeger(L, -2),
                   lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL, ud);
            lua_pop(L, 4);
        }
    }
    lua_settop(L, top);
}

/* The label of stage (its name when it has none); kept alive by the policy. */
static const char *label_of(lua_State *L, int stages, const char *stage)
{
    const char *label = stage;
    lua_getfield(L, stages, stage);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "label");
        if (lua_isstring(L, -1))
            label = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return label;
}

void sws_policy_each_transition(sws_policy *p,
                                void (*fn)(const char *, const char *, const char *,
                                           const char *, void *),
                                void *ud)
{
    lua_State *L = sws_host_lua(p->h);
    push_workflow(p, "stages");
    int stages = lua_gettop(L);
    if (!lua_istable(L, stages)) {
        lua_pop(L, 1);
        return;
    }
    /* sorted by stage name so the drawing is the same every time */
    lua_newtable(L);
    int names = lua_gettop(L);
    lua_pushnil(L);
    for (lua_Integer k = 1; lua_next(L, stages); k++) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, names, k);
    }
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, "table");
    lua_getfield(L, -1, "sort");
    lua_pushvalue(L, names);
    lua_call(L, 1, 0);
    lua_pop(L, 2);
    for (lua_Integer k = 1; lua_rawgeti(L, names, k) == LUA_TSTRING; k++) {
        int mark = lua_gettop(L);
        const char *from = lua_tostring(L, -1);
        lua_getfield(L, stages, from);
        if (lua_istable(L, -1) && lua_getfield(L, -1, "next") == LUA_TTABLE)
            for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
                const char *to = lua_tostring(L, -1);
                fn(from, to, label_of(L, stages, from), label_of(L, stages, to), ud);
                lua_pop(L, 1);
            }
        lua_settop(L, mark - 1);
    }
    lua_settop(L, stages - 1);
}

void sws_policy_guard_coverage(sws_policy *p, void (*fn)(const char *, long, void *), void *ud)
{
    lua_State *L = sws_host_lua(p->h);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &KEY_COVERAGE);
    push_policy(p);
    lua_getfield(L, -1, "guards");
    if (lua_istable(L, -1)) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            lua_pop(L, 1);
            lua_pushvalue(L, -1);
            lua_gettable(L, -5);
            fn(lua_tostring(L, -2), (long)lua_tointeger(L, -1), ud);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 3);
}
