/*
 * pattern_guard.c — bounds on Lua string patterns in the sandbox (see
 * pattern_guard.h).
 *
 * The estimate walks the pattern once, item by item, the way Lua's matcher
 * does: a single character, `.`, a `%` class or a `[set]`, optionally
 * followed by a quantifier. A `*`, `+` or `-` item, or a `%bxy`, can be
 * retried at every length up to n when what follows it fails, so each one
 * that has something after it multiplies the cost by n; a `?` doubles it.
 * One at the very end cannot fail after it has matched, so it adds nothing.
 */
#include "pattern_guard.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The end of the single-character item at p (a class, a set or a char). */
static const char *item_end(const char *p, const char *end)
{
    if (*p == '%')
        return p + 2 <= end ? p + 2 : end;
    if (*p != '[')
        return p + 1;
    p++;
    if (p < end && *p == '^')
        p++;
    do { /* the first ']' of a set is a member */
        if (p >= end)
            return end;
        if (*p == '%' && p + 1 < end)
            p++;
        p++;
    } while (p < end && *p != ']');
    return p < end ? p + 1 : end;
}

/* Whether anything but capture closers follows p. */
static int more_follows(const char *p, const char *end)
{
    while (p < end && *p == ')')
        p++;
    return p < end;
}

double sws_pattern_cost(const char *pattern, size_t plen, size_t n)
{
    const char *p = pattern, *end = pattern + plen;
    int anchored = p < end && *p == '^';
    if (anchored)
        p++;
    int repeats = 0, optional = 0;
    while (p < end) {
        if (*p == '(' || *p == ')') {
            p++;
            continue;
        }
        if (*p == '$' && p + 1 == end)
            break;
        if (*p == '%' && p + 1 < end && p[1] == 'b') { /* %bxy scans to its match */
            p = p + 4 <= end ? p + 4 : end;
            repeats += more_follows(p, end);
            continue;
        }
        if (*p == '%' && p + 1 < end && p[1] == 'f') { /* frontier: a set, no repetition */
            p = item_end(p + 2 < end ? p + 2 : end, end);
            continue;
        }
        const char *ep = item_end(p, end);
        if (ep < end && (*ep == '*' || *ep == '+' || *ep == '-')) {
            ep++;
            repeats += more_follows(ep, end);
        } else if (ep < end && *ep == '?') {
            ep++;
            optional++;
        }
        p = ep;
    }
    double len = n > 1 ? (double)n : 1.0;
    return pow(len, repeats + (anchored ? 0 : 1)) * pow(2.0, optional > 30 ? 30 : optional);
}

/* find/match/gmatch/gsub(s, pattern, ...): upvalue 1 is the real function,
 * upvalue 2 its name. Plain finds and non-string arguments go straight to
 * the real function (it raises its own errors). */
/* Whether the function calling the guarded one is the core's own Lua
 * (embedded chunks are named "=NAME.lua"; the sandbox's load() renames any
 * "=" chunk name, so no script can take such a name). */
static int called_by_core(lua_State *L)
{
    lua_Debug ar;
    if (!lua_getstack(L, 1, &ar) || !lua_getinfo(L, "S", &ar) || ar.source[0] != '=')
        return 0;
    size_t n = strlen(ar.source);
    return n > 5 && strcmp(ar.source + n - 4, ".lua") == 0;
}

static int guarded(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING && !called_by_core(L) &&
        !(lua_toboolean(L, 4) && strcmp(lua_tostring(L, lua_upvalueindex(2)), "find") == 0)) {
        size_t n, plen;
        lua_tolstring(L, 1, &n);
        const char *pat = lua_tolstring(L, 2, &plen);
        double cost = sws_pattern_cost(pat, plen, n);
        if (cost > SWS_PATTERN_MAX_STEPS) {
            char msg[160];
            snprintf(msg, sizeof msg,
                     "could take up to %.3g steps on a subject of %zu bytes "
                     "(the limit is %.0e: Lua patterns cannot be interrupted)",
                     cost, n, SWS_PATTERN_MAX_STEPS);
            return luaL_error(L,
                              "string.%s: the pattern '%s' %s; use sws.re, or a shorter "
                              "subject",
                              lua_tostring(L, lua_upvalueindex(2)), pat, msg);
        }
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

void sws_pattern_guard_install(lua_State *L, int idx)
{
    static const char *const names[] = {"find", "match", "gmatch", "gsub", NULL};
    idx = lua_absindex(L, idx);
    for (int i = 0; names[i]; i++) {
        lua_getfield(L, idx, names[i]);
        lua_pushstring(L, names[i]);
        lua_pushcclosure(L, guarded, 2);
        lua_setfield(L, idx, names[i]);
    }
}
