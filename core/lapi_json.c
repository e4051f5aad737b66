/*
 * lapi_json.c — sws.json: JSON text to Lua values and back, over cJSON.
 *
 * Design notes. Both directions hold a cJSON tree (and, for encode, the
 * printed text) that Lua's collector knows nothing about, while calling Lua
 * functions that may raise: an explicit error of ours, or out of memory
 * under the host's memory budget. So the tree lives in a small "holder"
 * userdata marked to-be-closed (lua_toclose): it is freed when the C function
 * returns or unwinds, whatever the path. Our own errors still delete the
 * tree first, then raise.
 *
 * Encoding is deterministic: object keys are sorted (bytewise), integers are
 * written exactly (as raw text: cJSON's doubles would round past 2^53), floats
 * through cJSON. A table is an array when its keys are exactly 1..n, an
 * object otherwise (an empty table is {}); a metatable field __jsontype of
 * "array" or "object" forces the choice. JSON null is sws.json.null, a light
 * userdata: the host hands library tables to scripts as read-only proxies,
 * so a sentinel *table* would reach scripts as a proxy that never equals the
 * value decode returns. Decoded arrays carry a shared, locked metatable with
 * __jsontype = "array", so that [] survives a round trip.
 *
 * What cJSON cannot do, we refuse rather than corrupt: strings with NUL bytes
 * (cJSON strings are C strings), text that is not UTF-8. Decoded numbers that
 * are whole and within ±2^53 become Lua integers, others floats; integers
 * beyond 2^53 lose precision (cJSON parses every number as a double).
 */
#include "lapi.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOLDER_MT "sws.json.holder"
#define ARRAY_MT "sws.json.array"
#define MAX_DEPTH 100

/* The unique value of JSON null (its address). */
static const char json_null = 'n';

int sws_lapi_is_json_null(lua_State *L, int idx)
{
    return lua_touserdata(L, idx) == &json_null;
}

/* cJSON resources owned by one call. */
typedef struct holder {
    cJSON *root;
    char *text;
} holder;

/* Frees what the holder owns (its __close and __gc). */
static int holder_free(lua_State *L)
{
    holder *h = lua_touserdata(L, 1);
    cJSON_Delete(h->root);
    cJSON_free(h->text);
    h->root = NULL;
    h->text = NULL;
    return 0;
}

/* Pushes a new, empty holder, to be closed when the calling C function ends. */
static holder *push_holder(lua_State *L)
{
    holder *h = lua_newuserdatauv(L, sizeof *h, 0);
    h->root = NULL;
    h->text = NULL;
    if (luaL_newmetatable(L, HOLDER_MT)) {
        lua_pushcfunction(L, holder_free);
        lua_setfield(L, -2, "__close");
        lua_pushcfunction(L, holder_free);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_toclose(L, -1);
    return h;
}

/* Offset of the first byte of S[0..len) that is not valid UTF-8, or -1. */
static long utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3, min = 0x10000;
        } else {
            return (long)i;
        }
        if (len - i <= n)
            return (long)i;
        unsigned cp = c & (0x3F >> n);
        for (size_t k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return (long)i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return (long)i;
        i += n + 1;
    }
    return -1;
}

/* ---- encode --------------------------------------------------------------- */

/* The state of one encode: the tree's holder, and the path to the value
 * being encoded ("$.workers[3].name") for messages. */
typedef struct encoder {
    holder *h;
    char path[160];
    size_t plen;
} encoder;

/* Deletes the tree and raises "<message> (at <path>)". */
static int encode_error(lua_State *L, encoder *en, const char *msg)
{
    char text[512];
    snprintf(text, sizeof text, "sws.json.encode: %s (at %s)", msg, en->path);
    cJSON_Delete(en->h->root);
    en->h->root = NULL;
    return luaL_error(L, "%s", text);
}

/* Appends ".key" or "[i]" to the path, which ends in "..." once it is too
 * long for a message; returns the old length to restore. */
static size_t path_push(encoder *en, const char *key, lua_Integer index)
{
    size_t old = en->plen;
    char part[48];
    if (key)
        snprintf(part, sizeof part, ".%s", key);
    else
        snprintf(part, sizeof part, "[%lld]", (long long)index);
    size_t n = strlen(part);
    if (n == sizeof part - 1) { /* cut: drop a partial UTF-8 character at the end */
        size_t lead = n;
        while (lead > 0 && ((unsigned char)part[lead - 1] & 0xC0) == 0x80)
            lead--;
        if (lead > 0 && ((unsigned char)part[lead - 1] & 0x80)) {
            unsigned char c = (unsigned char)part[lead - 1];
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (n - (lead - 1) < need)
                part[n = lead - 1] = '\0';
        }
    }
    if (old >= 3 && memcmp(en->path + old - 3, "...", 3) == 0)
        return old;
    if (old + n + 4 > sizeof en->path)
        memcpy(part, "...", 4), n = 3;
    memcpy(en->path + old, part, n + 1);
    en->plen = old + n;
    return old;
}

static void path_pop(encoder *en, size_t old)
{
    en->plen = old;
    en->path[old] = '\0';
}

/* Checks that the string at idx can become JSON text; raises if not. */
static void check_text(lua_State *L, encoder *en, const char *s, size_t len, const char *what)
{
    char msg[128];
    if (memchr(s, '\0', len)) {
        snprintf(msg, sizeof msg, "%s contains a NUL byte, which sws.json cannot represent", what);
        encode_error(L, en, msg);
    }
    long bad = utf8_invalid_at(s, len);
    if (bad >= 0) {
        snprintf(msg, sizeof msg, "%s is not valid UTF-8 (byte %ld)", what, bad + 1);
        encode_error(L, en, msg);
    }
}

/* One key of an object being encoded; integer keys are written as text. */
typedef struct obj_key {
    const char *s; /* a string key (NULL: an integer key) */
    size_t len;
    lua_Integer i;
    char num[24];
} obj_key;

static const char *key_text(const obj_key *k, size_t *len)
{
    if (k->s) {
        *len = k->len;
        return k->s;
    }
    *len = strlen(k->num);
    return k->num;
}

static int key_cmp(const void *a, const void *b)
{
    size_t la, lb;
    const char *sa = key_text(a, &la), *sb = key_text(b, &lb);
    int c = memcmp(sa, sb, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static void encode_value(lua_State *L, encoder *en, int idx, int depth, cJSON *parent,
                         const char *key);

/* Adds item to parent under key (parent an object), at the end (an array),
 * or makes it the root (no parent). Raises when item is NULL. */
static cJSON *attach(lua_State *L, encoder *en, cJSON *parent, const char *key, cJSON *item)
{
    if (!item)
        encode_error(L, en, "out of memory");
    if (!parent)
        en->h->root = item;
    else if (key)
        cJSON_AddItemToObject(parent, key, item);
    else
        cJSON_AddItemToArray(parent, item);
    return item;
}

/* How the table at idx is to be encoded: 'a' array, 'o' object, '?' decide. */
static int forced_kind(lua_State *L, encoder *en, int idx)
{
    if (!lua_getmetatable(L, idx))
        return '?';
    lua_pushliteral(L, "__jsontype");
    lua_rawget(L, -2);
    int kind = '?';
    if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "array") == 0)
        kind = 'a';
    else if (lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "object") == 0)
        kind = 'o';
    else if (!lua_isnil(L, -1))
        encode_error(L, en, "__jsontype must be \"array\" or \"object\"");
    lua_pop(L, 2);
    return kind;
}

/* Encodes the table at idx as an array or an object under parent. */
static void encode_table(lua_State *L, encoder *en, int idx, int depth, cJSON *parent,
                         const char *key)
{
    if (depth > MAX_DEPTH)
        encode_error(L, en, "cycle or nesting too deep (more than 100 levels)");
    luaL_checkstack(L, 6, "nesting too deep");
    int kind = forced_kind(L, en, idx);

    /* count the keys; an array has exactly the keys 1..n */
    lua_Integer n = 0, ints = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        n++;
        if (lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1)
            ints++;
        lua_pop(L, 1);
    }
    int array = ints == n && n > 0;
    if (array) { /* keys are n distinct positive integers: 1..n iff none exceeds n */
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            lua_pop(L, 1);
            if (lua_tointeger(L, -1) > n) {
                array = 0;
                lua_pop(L, 1);
                break;
            }
        }
    }
    if (kind == 'a' && !array && n > 0)
        encode_error(L, en, "a table marked as a JSON array must have keys 1..n only");
    if (kind == 'a' || (kind == '?' && array)) {
        cJSON *arr = attach(L, en, parent, key, cJSON_CreateArray());
        for (lua_Integer i = 1; i <= n; i++) {
            size_t old = path_push(en, NULL, i);
            lua_rawgeti(L, idx, i);
            encode_value(L, en, lua_gettop(L), depth + 1, arr, NULL);
            lua_pop(L, 1);
            path_pop(en, old);
        }
        return;
    }

    obj_key *keys = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *keys, 0);
    lua_Integer k = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        obj_key *e = &keys[k++];
        if (lua_type(L, -1) == LUA_TSTRING) {
            e->s = lua_tolstring(L, -1, &e->len);
            check_text(L, en, e->s, e->len, "a key");
        } else if (lua_isinteger(L, -1)) {
            e->s = NULL;
            e->i = lua_tointeger(L, -1);
            snprintf(e->num, sizeof e->num, "%lld", (long long)e->i);
        } else {
            char msg[96];
            snprintf(msg, sizeof msg, "cannot encode a table key of type %s%s", luaL_typename(L, -1),
                     lua_type(L, -1) == LUA_TNUMBER ? " (not an integer)" : "");
            encode_error(L, en, msg);
        }
    }
    qsort(keys, (size_t)n, sizeof *keys, key_cmp);
    cJSON *obj = attach(L, en, parent, key, cJSON_CreateObject());
    for (lua_Integer i = 0; i < n; i++) {
        size_t len;
        const char *text = key_text(&keys[i], &len);
        if (i > 0 && key_cmp(&keys[i - 1], &keys[i]) == 0) {
            char msg[96];
            snprintf(msg, sizeof msg, "duplicate key \"%.40s\" (an integer and a string)", text);
            encode_error(L, en, msg);
        }
        size_t old = path_push(en, text, 0);
        if (keys[i].s)
            lua_pushlstring(L, keys[i].s, keys[i].len);
        else
            lua_pushinteger(L, keys[i].i);
        lua_rawget(L, idx);
        encode_value(L, en, lua_gettop(L), depth + 1, obj, text);
        lua_pop(L, 1);
        path_pop(en, old);
    }
    lua_pop(L, 1); /* keys */
}

/* Encodes the value at idx under parent (see attach). */
static void encode_value(lua_State *L, encoder *en, int idx, int depth, cJSON *parent,
                         const char *key)
{
    char msg[96];
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        attach(L, en, parent, key, cJSON_CreateNull());
        break;
    case LUA_TBOOLEAN:
        attach(L, en, parent, key, cJSON_CreateBool(lua_toboolean(L, idx)));
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            char num[24];
            snprintf(num, sizeof num, "%lld", (long long)lua_tointeger(L, idx));
            attach(L, en, parent, key, cJSON_CreateRaw(num));
        } else {
            double d = lua_tonumber(L, idx);
            if (!isfinite(d))
                encode_error(L, en, "cannot encode NaN or infinity");
            attach(L, en, parent, key, cJSON_CreateNumber(d));
        }
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        check_text(L, en, s, len, "a string");
        attach(L, en, parent, key, cJSON_CreateString(s));
        break;
    }
    case LUA_TTABLE:
        encode_table(L, en, idx, depth, parent, key);
        break;
    case LUA_TLIGHTUSERDATA:
        if (lua_touserdata(L, idx) == &json_null) {
            attach(L, en, parent, key, cJSON_CreateNull());
            break;
        }
        /* fall through */
    default:
        snprintf(msg, sizeof msg, "cannot encode a %s value", luaL_typename(L, idx));
        encode_error(L, en, msg);
    }
}

/* sws.json.encode(value [, {indent = true}]) -> JSON text. Arrays for
 * tables with keys 1..n, objects (sorted keys) for the rest; sws.json.null
 * for null. Raises naming the path of the value it cannot encode: NaN or
 * infinity, functions, userdata, keys neither strings nor integers, strings
 * that are not UTF-8, nesting deeper than 100 (a cycle). */
static int json_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    int indent = 0;
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        lua_getfield(L, 2, "indent");
        indent = lua_toboolean(L, -1);
        lua_pop(L, 1);
    }
    lua_settop(L, 1);
    encoder en;
    en.h = push_holder(L);
    snprintf(en.path, sizeof en.path, "$");
    en.plen = 1;
    encode_value(L, &en, 1, 0, NULL, NULL);
    en.h->text = indent ? cJSON_Print(en.h->root) : cJSON_PrintUnformatted(en.h->root);
    if (!en.h->text)
        return encode_error(L, &en, "out of memory");
    lua_pushstring(L, en.h->text);
    return 1; /* the holder closes on return */
}

/* ---- decode --------------------------------------------------------------- */

/* Pushes the Lua value of item. */
static void push_item(lua_State *L, const cJSON *item);

void sws_lapi_push_json(lua_State *L, const cJSON *item)
{
    push_item(L, item);
}

static void push_item(lua_State *L, const cJSON *item)
{
    luaL_checkstack(L, 4, "JSON nested too deep");
    if (cJSON_IsNull(item)) {
        lua_pushlightuserdata(L, (void *)&json_null);
    } else if (cJSON_IsBool(item)) {
        lua_pushboolean(L, cJSON_IsTrue(item));
    } else if (cJSON_IsNumber(item)) {
        double d = item->valuedouble;
        if (d == floor(d) && fabs(d) <= 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)d);
        else
            lua_pushnumber(L, d);
    } else if (cJSON_IsString(item)) {
        lua_pushstring(L, item->valuestring);
    } else if (cJSON_IsArray(item)) {
        int n = cJSON_GetArraySize(item);
        lua_createtable(L, n, 0);
        lua_Integer i = 1;
        for (const cJSON *c = item->child; c; c = c->next) {
            push_item(L, c);
            lua_rawseti(L, -2, i++);
        }
        luaL_setmetatable(L, ARRAY_MT);
    } else if (cJSON_IsObject(item)) {
        lua_createtable(L, 0, cJSON_GetArraySize(item));
        for (const cJSON *c = item->child; c; c = c->next) {
            lua_pushstring(L, c->string);
            push_item(L, c);
            lua_rawset(L, -3);
        }
    } else {
        luaL_error(L, "sws.json.decode: unexpected JSON item");
    }
}

/* Offset of a \u0000 escape in JSON text (which cJSON would cut the string
 * at), or -1. Backslashes occur only inside strings in valid JSON. */
static long nul_escape_at(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\\')
            continue;
        if (s[i + 1] == 'u' && i + 5 < len && memcmp(s + i + 2, "0000", 4) == 0)
            return (long)i;
        i++; /* skip the escaped character */
    }
    return -1;
}

/* sws.json.decode(text) -> the Lua value. Objects become tables, arrays
 * tables 1..n (marked as arrays), null sws.json.null. Raises "invalid JSON
 * near byte N" (1-based) on a syntax error. */
static int json_decode(lua_State *L)
{
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    const char *nul = memchr(text, '\0', len);
    if (nul)
        return luaL_error(L, "sws.json.decode: invalid JSON near byte %d (a NUL byte)",
                          (int)(nul - text) + 1);
    long bad = utf8_invalid_at(text, len);
    if (bad >= 0)
        return luaL_error(L, "sws.json.decode: invalid UTF-8 in JSON text at byte %d",
                          (int)bad + 1);
    bad = nul_escape_at(text, len);
    if (bad >= 0)
        return luaL_error(L, "sws.json.decode: invalid JSON near byte %d (\\u0000 cannot be "
                          "represented)", (int)bad + 1);
    holder *h = push_holder(L);
    const char *end = NULL;
    /* the length includes the terminating NUL, which cJSON then requires */
    h->root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!h->root) {
        size_t at = end && end >= text ? (size_t)(end - text) : 0;
        if (at >= len)
            return luaL_error(L, "sws.json.decode: invalid JSON near byte %d (unexpected end "
                              "of text)", (int)len + 1);
        return luaL_error(L, "sws.json.decode: invalid JSON near byte %d", (int)at + 1);
    }
    push_item(L, h->root);
    return 1; /* the holder closes on return */
}

/* sws.json.array([t]) -> t (or a new table), marked to encode as an array
 * even when empty. */
static int json_array(lua_State *L)
{
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_newtable(L);
    } else {
        luaL_checktype(L, 1, LUA_TTABLE);
        lua_settop(L, 1);
    }
    luaL_setmetatable(L, ARRAY_MT);
    return 1;
}

static const luaL_Reg json_funcs[] = {
    {"encode", json_encode},
    {"decode", json_decode},
    {"array", json_array},
    {NULL, NULL}};

void sws_lapi_open_json(lua_State *L)
{
    if (luaL_newmetatable(L, ARRAY_MT)) {
        lua_pushliteral(L, "array");
        lua_setfield(L, -2, "__jsontype");
        lua_pushliteral(L, ARRAY_MT); /* shared by every decoded array: locked */
        lua_setfield(L, -2, "__metatable");
    }
    lua_pop(L, 1);
    luaL_newlib(L, json_funcs);
    lua_pushlightuserdata(L, (void *)&json_null);
    lua_setfield(L, -2, "null");
}
