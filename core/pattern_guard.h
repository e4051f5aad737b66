/*
 * pattern_guard.h — bounds on Lua string patterns in the sandbox.
 *
 * Lua's matcher runs inside one C call, which no budget hook can interrupt,
 * and backtracking makes its cost grow as a power of the subject's length.
 * The guard estimates the worst case of each call before it runs and
 * refuses one that could run long, pointing to sws.re (PCRE2, with match
 * limits). The core's own Lua (the embedded policy library, which scans
 * policy sources with anchored patterns) is trusted and not guarded.
 */
#ifndef SWS_PATTERN_GUARD_H
#define SWS_PATTERN_GUARD_H

#include <lua.h>
#include <stddef.h>

/* The most backtracking steps a call may need in the worst case. */
#define SWS_PATTERN_MAX_STEPS 1e8

/* The worst-case steps of matching `pattern` against a subject of n bytes:
 * n to the power of the repetitions that can backtrack (`*`, `+`, `-` or
 * `%b` items followed by more pattern), times n start positions unless the
 * pattern is anchored with `^`. */
double sws_pattern_cost(const char *pattern, size_t plen, size_t n);

/* Replaces find, match, gmatch and gsub in the string library table at
 * index idx (the real one, which the string metatable also serves) with
 * guarded versions. */
void sws_pattern_guard_install(lua_State *L, int idx);

#endif
