/*
 * lapi_re.c — sws.re: PCRE2 regular expressions for Lua scripts.
 *
 * Design notes. A compiled pattern is a full userdata (metatable
 * "sws.re.regex") that owns its pcre2_code and one pcre2_match_data; its
 * user values hold the pattern text and the normalised flags, for messages.
 * The userdata is created, with its __gc, *before* pcre2_compile runs, so a
 * Lua error at any later point (a bad pattern, out of memory) leaves nothing
 * that the collector cannot free. Every pattern is compiled in UTF mode with
 * Unicode properties (PCRE2_UTF | PCRE2_UCP) and without \C, which could
 * leave an offset inside a character; JIT is used when the platform has it.
 *
 * The shared match data is awkward: a gsub callback, a table's __index or a
 * finalizer run by the collector may use the same regex while we still need
 * the offsets of our own match. So right after pcre2_match the offsets are
 * copied into storage owned by the running C function (the C stack for a few
 * groups, else a userdata on the Lua stack), and only that copy is read.
 *
 * Every Lua state gets one "re state" userdata, an upvalue of every function
 * here: it owns the pcre2_match_context (match limit 1,000,000, depth limit
 * 10,000 — a catastrophic pattern raises an error instead of hanging, since
 * the host's instruction hook cannot interrupt C code), a JIT stack of up to
 * 1 MiB, and, as its user value, the cache of patterns compiled for the
 * module-level functions (sws.re.match(s, pattern) …), keyed by
 * flags.."/"..pattern and emptied when it reaches 256 entries.
 *
 * Offsets follow Lua: init is a 1-based byte index, negative counts from the
 * end; find returns 1-based inclusive positions. Iteration (gmatch, gsub)
 * follows Lua 5.4: a match may not be empty right where the previous match
 * ended (PCRE2_NOTEMPTY_ATSTART), and PCRE2 then moves on by one UTF-8
 * character, so an empty pattern over "温州市" yields 4 matches, not a loop.
 * The subject is checked for valid UTF-8 on the first match only.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "re.h" /* the match limits */
#define REGEX_MT "sws.re.regex"
#define CACHE_MAX 256
#define JIT_STACK_MIN (32 * 1024)
#define JIT_STACK_MAX (1024 * 1024)
#define SMALL_GROUPS 16 /* offsets of patterns with fewer groups live on the C stack */

/* One per Lua state: upvalue 1 of every function; user value 1 is the cache. */
typedef struct re_state {
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    int cached; /* entries in the cache table */
} re_state;

/* A compiled pattern; user value 1 is the pattern text, 2 the flags. */
typedef struct re_regex {
    pcre2_code *code;
    pcre2_match_data *md;
    uint32_t ncap; /* capture groups, not counting group 0 */
} re_regex;

/* ---- compiling ------------------------------------------------------------ */

static re_state *get_state(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* Parses a flags string into PCRE2 options and writes its normalised form
 * (letters in the order "imsx") into norm (5 bytes). Raises on a bad letter. */
static uint32_t parse_flags(lua_State *L, const char *f, char norm[5])
{
    static const struct { char letter; uint32_t option; } known[] = {
        {'i', PCRE2_CASELESS}, {'m', PCRE2_MULTILINE}, {'s', PCRE2_DOTALL},
        {'x', PCRE2_EXTENDED}};
    uint32_t o = 0;
    for (; *f; f++) {
        int found = *f == 'u'; /* UTF mode is always on */
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            if (*f == known[i].letter)
                o |= known[i].option, found = 1;
        if (!found)
            luaL_error(L, "unknown regex flag '%c' (use i, m, s, x or u)", *f);
    }
    size_t n = 0;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (o & known[i].option)
            norm[n++] = known[i].letter;
    norm[n] = '\0';
    return o;
}

/* Compiles PAT[0..plen) with FLAGS and pushes the new regex userdata.
 * Raises "invalid pattern at offset N: reason" when PCRE2 refuses it. */
static re_regex *compile(lua_State *L, const char *pat, size_t plen, const char *flags)
{
    char norm[5];
    uint32_t options = parse_flags(L, flags, norm) | PCRE2_UTF | PCRE2_UCP |
                       PCRE2_NEVER_BACKSLASH_C;
    re_regex *r = lua_newuserdatauv(L, sizeof *r, 2);
    r->code = NULL;
    r->md = NULL;
    r->ncap = 0;
    luaL_setmetatable(L, REGEX_MT);
    lua_pushlstring(L, pat, plen);
    lua_setiuservalue(L, -2, 1);
    lua_pushstring(L, norm);
    lua_setiuservalue(L, -2, 2);

    int errcode;
    PCRE2_SIZE erroff;
    r->code = pcre2_compile((PCRE2_SPTR)pat, plen, options, &errcode, &erroff, NULL);
    if (!r->code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        luaL_error(L, "invalid pattern at offset %d: %s", (int)erroff, (const char *)msg);
    }
    (void)pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE); /* else the interpreter runs */
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ncap);
    r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
    if (!r->md)
        luaL_error(L, "out of memory compiling a regular expression");
    return r;
}

/* Pushes the regex for the pattern argument at pi (a string compiled with
 * the flags at fi, through the state's cache, or a regex passed as is). */
static re_regex *cached(lua_State *L, int pi, int fi)
{
    re_regex *given = luaL_testudata(L, pi, REGEX_MT);
    if (given) {
        lua_pushvalue(L, pi);
        return given;
    }
    size_t plen;
    const char *pat = luaL_checklstring(L, pi, &plen);
    const char *flags = luaL_optstring(L, fi, "");
    re_state *st = get_state(L);

    lua_getiuservalue(L, lua_upvalueindex(1), 1); /* cache */
    int cache = lua_gettop(L);
    lua_pushstring(L, flags);
    lua_pushliteral(L, "/");
    lua_pushvalue(L, pi);
    lua_concat(L, 3); /* key */
    lua_pushvalue(L, -1);
    if (lua_rawget(L, cache) == LUA_TUSERDATA) {
        lua_replace(L, cache);
        lua_pop(L, 1);
        return lua_touserdata(L, -1);
    }
    lua_pop(L, 1);
    re_regex *r = compile(L, pat, plen, flags); /* cache, key, regex */
    if (st->cached >= CACHE_MAX) {
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setiuservalue(L, lua_upvalueindex(1), 1);
        lua_replace(L, cache);
        st->cached = 0;
    }
    lua_pushvalue(L, -2);
    lua_pushvalue(L, -2);
    lua_rawset(L, cache);
    st->cached++;
    lua_replace(L, cache);
    lua_pop(L, 1);
    return r;
}

/* ---- matching ------------------------------------------------------------- */

/* Pushes the pattern of the regex at ri for a message, cut to about 60 bytes
 * at a character boundary. */
static const char *push_shown_pattern(lua_State *L, int ri)
{
    size_t len;
    lua_getiuservalue(L, ri, 1);
    const char *p = lua_tolstring(L, -1, &len);
    if (len <= 60)
        return p;
    size_t cut = 60;
    while (cut > 0 && ((unsigned char)p[cut] & 0xC0) == 0x80)
        cut--;
    lua_pushlstring(L, p, cut);
    lua_pushliteral(L, "...");
    lua_concat(L, 2);
    return lua_tostring(L, -1);
}

/* Raises the error for pcre2_match's negative result rc. */
static int match_error(lua_State *L, int ri, re_regex *r, int rc, size_t start)
{
    PCRE2_SIZE bad = pcre2_get_startchar(r->md); /* read before anything can reuse md */
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        return luaL_error(L, "regular expression: invalid UTF-8 in subject at byte %d: %s",
                          (int)bad + 1, (const char *)msg);
    if (rc == PCRE2_ERROR_BADUTFOFFSET)
        return luaL_error(L, "regular expression: start position %d is inside a UTF-8 "
                          "character", (int)start + 1);
    const char *pat = push_shown_pattern(L, ri);
    if (rc == PCRE2_ERROR_MATCHLIMIT)
        return luaL_error(L, "regular expression: match limit exceeded (/%s/ gave up after "
                          "%d steps; nested repeats such as (a+)+ backtrack without end)",
                          pat, SWS_RE_MATCH_LIMIT);
    if (rc == PCRE2_ERROR_DEPTHLIMIT)
        return luaL_error(L, "regular expression: depth limit exceeded (/%s/ nested more than "
                          "%d backtracking levels)", pat, SWS_RE_DEPTH_LIMIT);
    return luaL_error(L, "regular expression: %s (/%s/)", (const char *)msg, pat);
}

/*
 * Matches the regex r (at stack index ri) against S[0..len) from byte
 * `start`. Returns 1 on a match, copying the offsets of every group into ov
 * (2 * (ncap + 1) entries) unless ov is NULL; 0 when there is none. Raises
 * on a PCRE2 error (limits, invalid UTF-8).
 */
static int exec(lua_State *L, int ri, re_regex *r, const char *s, size_t len, size_t start,
                uint32_t options, PCRE2_SIZE *ov)
{
    re_state *st = get_state(L);
    int rc = pcre2_match(r->code, (PCRE2_SPTR)s, len, start, options, r->md, st->mctx);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return match_error(L, ri, r, rc, start);
    if (ov) {
        memcpy(ov, pcre2_get_ovector_pointer(r->md), 2 * (r->ncap + 1) * sizeof *ov);
        if (ov[1] < ov[0]) /* \K inside a lookahead */
            return luaL_error(L, "regular expression: a match that ends before it starts "
                              "(\\K in a lookahead) is not supported");
    }
    return 1;
}

/* Returns room for the offsets of r's groups: `small` when they fit, else a
 * new userdata left on the Lua stack. */
static PCRE2_SIZE *ovector_room(lua_State *L, const re_regex *r, PCRE2_SIZE *small)
{
    if (r->ncap < SMALL_GROUPS)
        return small;
    return lua_newuserdatauv(L, 2 * (r->ncap + 1) * sizeof(PCRE2_SIZE), 0);
}

/* Pushes group g of a match: its text, or false when it took no part. */
static void push_group(lua_State *L, const char *s, const PCRE2_SIZE *ov, uint32_t g)
{
    if (ov[2 * g] == PCRE2_UNSET)
        lua_pushboolean(L, 0);
    else
        lua_pushlstring(L, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* Pushes the captures of a match, or the whole match when the pattern has
 * none and `whole` is set. Returns how many values it pushed. */
static int push_captures(lua_State *L, const re_regex *r, const char *s, const PCRE2_SIZE *ov,
                         int whole)
{
    if (r->ncap == 0) {
        if (!whole)
            return 0;
        push_group(L, s, ov, 0);
        return 1;
    }
    luaL_checkstack(L, (int)r->ncap, "too many captures");
    for (uint32_t g = 1; g <= r->ncap; g++)
        push_group(L, s, ov, g);
    return (int)r->ncap;
}

/* The 0-based byte where a search starts for Lua's init at ii (1-based,
 * negative from the end; ii == 0: no such argument); len + 1 or more means
 * "past the end". */
static size_t start_of(lua_State *L, int ii, size_t len)
{
    lua_Integer pos = ii ? luaL_optinteger(L, ii, 1) : 1;
    if (pos > 0)
        return (size_t)pos - 1;
    if (pos == 0 || pos < -(lua_Integer)len)
        return 0;
    return len + (size_t)pos;
}

/* ---- the operations, shared by methods and module functions --------------- */

/* match/find: regex at ri, subject at si, init at ii. */
static int find_aux(lua_State *L, int ri, int si, int ii, int find)
{
    re_regex *r = lua_touserdata(L, ri);
    size_t len;
    const char *s = luaL_checklstring(L, si, &len);
    size_t start = start_of(L, ii, len);
    PCRE2_SIZE small[2 * SMALL_GROUPS], *ov = ovector_room(L, r, small);
    if (start > len || !exec(L, ri, r, s, len, start, 0, ov)) {
        lua_pushnil(L);
        return 1;
    }
    if (!find)
        return push_captures(L, r, s, ov, 1);
    lua_pushinteger(L, (lua_Integer)ov[0] + 1);
    lua_pushinteger(L, (lua_Integer)ov[1]);
    return 2 + push_captures(L, r, s, ov, 0);
}

/* named: a table of the named groups that took part, or nil. */
static int named_aux(lua_State *L, int ri, int si, int ii)
{
    re_regex *r = lua_touserdata(L, ri);
    size_t len;
    const char *s = luaL_checklstring(L, si, &len);
    size_t start = start_of(L, ii, len);
    PCRE2_SIZE small[2 * SMALL_GROUPS], *ov = ovector_room(L, r, small);
    if (start > len || !exec(L, ri, r, s, len, start, 0, ov)) {
        lua_pushnil(L);
        return 1;
    }
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &table);
    lua_createtable(L, 0, (int)count);
    for (uint32_t i = 0; i < count; i++) {
        PCRE2_SPTR entry = table + (size_t)i * size;
        uint32_t g = ((uint32_t)entry[0] << 8) | entry[1];
        if (ov[2 * g] == PCRE2_UNSET)
            continue;
        lua_pushstring(L, (const char *)entry + 2);
        if (lua_rawget(L, -2) != LUA_TNIL) { /* a duplicate name (?J) already set */
            lua_pop(L, 1);
            continue;
        }
        lua_pop(L, 1);
        push_group(L, s, ov, g);
        lua_setfield(L, -2, (const char *)entry + 2);
    }
    return 1;
}

/* test: a boolean. */
static int test_aux(lua_State *L, int ri, int si, int ii)
{
    re_regex *r = lua_touserdata(L, ri);
    size_t len;
    const char *s = luaL_checklstring(L, si, &len);
    size_t start = start_of(L, ii, len);
    lua_pushboolean(L, start <= len && exec(L, ri, r, s, len, start, 0, NULL));
    return 1;
}

/* The iterator of gmatch. Upvalues: 1 state, 2 regex, 3 subject, 4 next
 * start, 5 end of the last match (-1: none), 6 offsets room, 7 UTF checked. */
static int gmatch_step(lua_State *L)
{
    re_regex *r = lua_touserdata(L, lua_upvalueindex(2));
    size_t len;
    const char *s = lua_tolstring(L, lua_upvalueindex(3), &len);
    lua_Integer pos = lua_tointeger(L, lua_upvalueindex(4));
    lua_Integer last = lua_tointeger(L, lua_upvalueindex(5));
    PCRE2_SIZE *ov = lua_touserdata(L, lua_upvalueindex(6));
    if (pos > (lua_Integer)len)
        return 0;
    uint32_t options = pos == last ? PCRE2_NOTEMPTY_ATSTART : 0;
    if (lua_toboolean(L, lua_upvalueindex(7)))
        options |= PCRE2_NO_UTF_CHECK;
    if (!exec(L, lua_upvalueindex(2), r, s, len, (size_t)pos, options, ov)) {
        lua_pushinteger(L, (lua_Integer)len + 1);
        lua_replace(L, lua_upvalueindex(4));
        return 0;
    }
    lua_pushboolean(L, 1);
    lua_replace(L, lua_upvalueindex(7));
    lua_pushinteger(L, (lua_Integer)ov[1]);
    lua_pushvalue(L, -1);
    lua_replace(L, lua_upvalueindex(4));
    lua_replace(L, lua_upvalueindex(5));
    return push_captures(L, r, s, ov, 1);
}

/* gmatch: regex at ri, subject at si, init at ii; returns the iterator. */
static int gmatch_aux(lua_State *L, int ri, int si, int ii)
{
    re_regex *r = lua_touserdata(L, ri);
    size_t len;
    luaL_checklstring(L, si, &len);
    size_t start = start_of(L, ii, len);
    if (start > len)
        start = len + 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, ri);
    lua_pushvalue(L, si);
    lua_pushinteger(L, (lua_Integer)start);
    lua_pushinteger(L, -1);
    lua_newuserdatauv(L, 2 * (r->ncap + 1) * sizeof(PCRE2_SIZE), 0);
    lua_pushboolean(L, 0);
    lua_pushcclosure(L, gmatch_step, 7);
    return 1;
}

/* Appends group g to b for a replacement template; %1 means the whole match
 * when the pattern has no groups, as in string.gsub. */
static void add_group(lua_State *L, luaL_Buffer *b, const re_regex *r, const char *s,
                      const PCRE2_SIZE *ov, long g)
{
    if (g == 1 && r->ncap == 0)
        g = 0;
    if (g < 0 || g > (long)r->ncap)
        luaL_error(L, "invalid capture index %%%d in replacement string", (int)g);
    if (ov[2 * g] != PCRE2_UNSET)
        luaL_addlstring(b, s + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
}

/* Appends the template T[0..tl) with %0-%9, %{n}, %{name} and %% expanded. */
static void add_template(lua_State *L, luaL_Buffer *b, const re_regex *r, const char *s,
                         const PCRE2_SIZE *ov, const char *t, size_t tl)
{
    for (size_t i = 0; i < tl; i++) {
        const char *p = memchr(t + i, '%', tl - i);
        if (!p) {
            luaL_addlstring(b, t + i, tl - i);
            return;
        }
        luaL_addlstring(b, t + i, (size_t)(p - (t + i)));
        i = (size_t)(p - t) + 1;
        if (i >= tl)
            luaL_error(L, "invalid use of '%%' at the end of the replacement string");
        if (t[i] == '%') {
            luaL_addchar(b, '%');
        } else if (t[i] >= '0' && t[i] <= '9') {
            add_group(L, b, r, s, ov, t[i] - '0');
        } else if (t[i] == '{') {
            const char *close = memchr(t + i + 1, '}', tl - i - 1);
            char name[128];
            size_t nl = close ? (size_t)(close - (t + i + 1)) : 0;
            if (!close || nl == 0 || nl >= sizeof name)
                luaL_error(L, "invalid group reference '%%{' in replacement string "
                           "(expected %%{name} or %%{number})");
            memcpy(name, t + i + 1, nl);
            name[nl] = '\0';
            if (strspn(name, "0123456789") == nl) {
                add_group(L, b, r, s, ov, nl > 5 ? -1 : strtol(name, NULL, 10));
            } else {
                int g = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);
                if (g < 0)
                    luaL_error(L, "unknown group name '%s' in replacement string", name);
                add_group(L, b, r, s, ov, g);
            }
            i += nl + 1;
        } else {
            luaL_error(L, "invalid use of '%%' in replacement string (use %%%% for a "
                       "literal %%)");
        }
    }
}

/* Appends the replacement of one match from a table or function repl at rpi:
 * false or nil keeps the original text. */
static void add_value(lua_State *L, luaL_Buffer *b, const re_regex *r, const char *s,
                      const PCRE2_SIZE *ov, int rpi, int tr)
{
    if (tr == LUA_TFUNCTION) {
        lua_pushvalue(L, rpi);
        int n = push_captures(L, r, s, ov, 1);
        lua_call(L, n, 1);
    } else {
        push_group(L, s, ov, r->ncap ? 1 : 0);
        lua_gettable(L, rpi);
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s + ov[0], ov[1] - ov[0]);
    } else if (!lua_isstring(L, -1)) {
        luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    } else {
        luaL_addvalue(b);
    }
}

/* gsub: regex at ri, subject at si, replacement at rpi, max count at ni. */
static int gsub_aux(lua_State *L, int ri, int si, int rpi, int ni)
{
    re_regex *r = lua_touserdata(L, ri);
    size_t len, tl = 0;
    const char *s = luaL_checklstring(L, si, &len);
    int tr = lua_type(L, rpi);
    luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TTABLE ||
                     tr == LUA_TFUNCTION, rpi, "string/function/table");
    const char *t = tr == LUA_TNUMBER || tr == LUA_TSTRING ? lua_tolstring(L, rpi, &tl) : NULL;
    lua_Integer max = luaL_optinteger(L, ni, (lua_Integer)len + 1);
    PCRE2_SIZE small[2 * SMALL_GROUPS], *ov = ovector_room(L, r, small);

    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t pos = 0;
    lua_Integer n = 0;
    uint32_t utf_checked = 0;
    int after_match = 0;
    while (n < max) {
        uint32_t options = utf_checked | (after_match ? PCRE2_NOTEMPTY_ATSTART : 0);
        if (!exec(L, ri, r, s, len, pos, options, ov))
            break;
        utf_checked = PCRE2_NO_UTF_CHECK;
        size_t ms = ov[0], me = ov[1];
        luaL_addlstring(&b, s + pos, ms - pos);
        if (t)
            add_template(L, &b, r, s, ov, t, tl);
        else
            add_value(L, &b, r, s, ov, rpi, tr);
        n++;
        pos = me;
        after_match = 1;
    }
    luaL_addlstring(&b, s + pos, len - pos);
    luaL_pushresult(&b);
    lua_pushinteger(L, n);
    return 2;
}

/* ---- methods -------------------------------------------------------------- */

static re_regex *check_regex(lua_State *L)
{
    return luaL_checkudata(L, 1, REGEX_MT);
}

/* r:match(s [, init]) -> the captures (false for a group that took no
 * part), or the whole match when the pattern has none; nil when no match. */
static int regex_match(lua_State *L)
{
    check_regex(L);
    return find_aux(L, 1, 2, 3, 0);
}

/* r:find(s [, init]) -> start, end (1-based, inclusive) and the captures;
 * nil when no match. */
static int regex_find(lua_State *L)
{
    check_regex(L);
    return find_aux(L, 1, 2, 3, 1);
}

/* r:gmatch(s [, init]) -> an iterator over the matches, yielding the
 * captures (or the whole match) of each, like string.gmatch. */
static int regex_gmatch(lua_State *L)
{
    check_regex(L);
    return gmatch_aux(L, 1, 2, 3);
}

/* r:gsub(s, repl [, n]) -> the new string and the number of replacements.
 * repl: a string with %0-%9, %{n}, %{name}, %%; a table indexed by the
 * first capture (or the whole match); or a function called with the
 * captures. A false or nil result keeps the match. At most n replacements. */
static int regex_gsub(lua_State *L)
{
    check_regex(L);
    return gsub_aux(L, 1, 2, 3, 4);
}

/* r:named(s [, init]) -> {name = text} for the named groups that took part;
 * nil when no match. */
static int regex_named(lua_State *L)
{
    check_regex(L);
    return named_aux(L, 1, 2, 3);
}

/* r:test(s [, init]) -> whether the pattern matches anywhere in s. */
static int regex_test(lua_State *L)
{
    check_regex(L);
    return test_aux(L, 1, 2, 3);
}

/* tostring(r) -> "sws.re.regex(/pattern/flags)". */
static int regex_tostring(lua_State *L)
{
    check_regex(L);
    lua_getiuservalue(L, 1, 1);
    lua_getiuservalue(L, 1, 2);
    lua_pushfstring(L, "sws.re.regex(/%s/%s)", lua_tostring(L, -2), lua_tostring(L, -1));
    return 1;
}

/* Frees the PCRE2 objects of a regex (also of one whose compile failed). */
static int regex_gc(lua_State *L)
{
    re_regex *r = luaL_checkudata(L, 1, REGEX_MT);
    pcre2_match_data_free(r->md);
    pcre2_code_free(r->code);
    r->md = NULL;
    r->code = NULL;
    return 0;
}

/* Frees the match context and JIT stack of a state. */
static int state_gc(lua_State *L)
{
    re_state *st = lua_touserdata(L, 1);
    pcre2_match_context_free(st->mctx);
    pcre2_jit_stack_free(st->jit);
    st->mctx = NULL;
    st->jit = NULL;
    return 0;
}

/* ---- module functions ----------------------------------------------------- */

/* sws.re.compile(pattern [, flags]) -> a regex. flags: letters i (caseless),
 * m (multiline), s (dot matches newline), x (extended), u (UTF, implied).
 * Raises "invalid pattern at offset N: reason". */
static int re_compile(lua_State *L)
{
    size_t plen;
    const char *pat = luaL_checklstring(L, 1, &plen);
    compile(L, pat, plen, luaL_optstring(L, 2, ""));
    return 1;
}

/* sws.re.match(s, pattern [, flags [, init]]) -> as r:match. */
static int re_match(lua_State *L)
{
    lua_settop(L, 4);
    cached(L, 2, 3);
    return find_aux(L, 5, 1, 4, 0);
}

/* sws.re.find(s, pattern [, flags [, init]]) -> as r:find. */
static int re_find(lua_State *L)
{
    lua_settop(L, 4);
    cached(L, 2, 3);
    return find_aux(L, 5, 1, 4, 1);
}

/* sws.re.named(s, pattern [, flags [, init]]) -> as r:named. */
static int re_named(lua_State *L)
{
    lua_settop(L, 4);
    cached(L, 2, 3);
    return named_aux(L, 5, 1, 4);
}

/* sws.re.test(s, pattern [, flags]) -> as r:test. */
static int re_test(lua_State *L)
{
    lua_settop(L, 3);
    cached(L, 2, 3);
    return test_aux(L, 4, 1, 0);
}

/* sws.re.gmatch(s, pattern [, flags]) -> as r:gmatch. */
static int re_gmatch(lua_State *L)
{
    lua_settop(L, 3);
    cached(L, 2, 3);
    return gmatch_aux(L, 4, 1, 0);
}

/* sws.re.gsub(s, pattern, repl [, n [, flags]]) -> as r:gsub. */
static int re_gsub(lua_State *L)
{
    lua_settop(L, 5);
    cached(L, 2, 5);
    return gsub_aux(L, 6, 1, 3, 4);
}

static const luaL_Reg regex_meta[] = {
    {"__gc", regex_gc},
    {"__tostring", regex_tostring},
    {NULL, NULL}};

static const luaL_Reg regex_methods[] = {
    {"match", regex_match},
    {"find", regex_find},
    {"gmatch", regex_gmatch},
    {"gsub", regex_gsub},
    {"named", regex_named},
    {"test", regex_test},
    {NULL, NULL}};

static const luaL_Reg re_funcs[] = {
    {"compile", re_compile},
    {"match", re_match},
    {"find", re_find},
    {"gmatch", re_gmatch},
    {"gsub", re_gsub},
    {"named", re_named},
    {"test", re_test},
    {NULL, NULL}};

void sws_lapi_open_re(lua_State *L)
{
    re_state *st = lua_newuserdatauv(L, sizeof *st, 1);
    memset(st, 0, sizeof *st);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, state_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    lua_newtable(L);
    lua_setiuservalue(L, -2, 1);
    st->mctx = pcre2_match_context_create(NULL);
    if (!st->mctx)
        luaL_error(L, "out of memory creating the regular expression match context");
    pcre2_set_match_limit(st->mctx, SWS_RE_MATCH_LIMIT);
    pcre2_set_depth_limit(st->mctx, SWS_RE_DEPTH_LIMIT);
    st->jit = pcre2_jit_stack_create(JIT_STACK_MIN, JIT_STACK_MAX, NULL);
    if (st->jit) /* else PCRE2's default 32 KiB on the machine stack */
        pcre2_jit_stack_assign(st->mctx, NULL, st->jit);

    luaL_newmetatable(L, REGEX_MT);
    lua_pushvalue(L, -2);
    luaL_setfuncs(L, regex_meta, 1);
    lua_newtable(L);
    lua_pushvalue(L, -3);
    luaL_setfuncs(L, regex_methods, 1);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, REGEX_MT); /* getmetatable(r) cannot reach the methods */
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_pushvalue(L, -2);
    luaL_setfuncs(L, re_funcs, 1);
    lua_remove(L, -2); /* the state lives on in the upvalues */
}
