/*
 * lapi_db.c — sws.db: SQL from Lua with bound parameters, under the
 * host's authorizer that enforces each caller's rights (host.c).
 *
 *   sws.db.query(sql, ...)      -> { {col = value, ...}, ... }
 *   for row in sws.db.rows(sql, ...) do ... end   -- streams large results
 *   sws.db.columns(sql, ...)    -> { col = {v1, v2, ...}, ... }, n   -- bulk reads
 *   sws.db.grouped(spec, sql, ...) -> { [value of spec.by] = row, rows or set }
 *   sws.db.exec(sql, ...)       -> number of rows changed
 *   sws.db.transaction(fn, ...) -> fn's results; rolled back if fn raises
 *
 * Parameters are positional (?), or one table for named ones (:name).
 * Rights (see sws_caller): a policy reads only; a plugin reads every table
 * but other plugins' and writes only the `plugin_<name>_<table>` tables its
 * manifest declares (`tables = {"table", ...}`); an
 * admin script (`sws run`) reads and writes rows and may make tables of
 * its own, but no Lua caller changes the core schema (the tables the
 * migrations made: no CREATE, DROP, ALTER, index or trigger on them). The authorizer decides when a
 * statement is prepared, so no string trick gets around it.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "host.h"
#include "text.h"

/* ---- statements ---------------------------------------------------------- */

static sqlite3 *db_of(lua_State *L)
{
    sqlite3 *db = sws_host_db(sws_host_from_lua(L));
    if (!db)
        luaL_error(L, "sws.db: no database is open");
    return db;
}

static void release(sqlite3_stmt *st, int cached);

static void bind_value(lua_State *L, sqlite3_stmt *st, int param, int idx, int cached)
{
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        sqlite3_bind_null(st, param);
        break;
    case LUA_TBOOLEAN:
        sqlite3_bind_int(st, param, lua_toboolean(L, idx));
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            sqlite3_bind_int64(st, param, lua_tointeger(L, idx));
        else
            sqlite3_bind_double(st, param, lua_tonumber(L, idx));
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        sqlite3_bind_text(st, param, s, (int)n, SQLITE_TRANSIENT);
        break;
    }
    default:
        release(st, cached);
        luaL_error(L, "sws.db: cannot bind a %s value to parameter %d", luaL_typename(L, idx),
                   param);
    }
}

/* Releases a statement: cached ones are reset for their next use. */
static void release(sqlite3_stmt *st, int cached)
{
    if (cached) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
}

/*
 * Prepares the SQL at stack index 1 and binds the arguments from index 2.
 * With `cached`, the statement comes from the host's cache, keyed by the
 * caller's kind and plugin as well as the text: the authorizer judged it
 * for that caller, so only that caller may reuse it.
 */
static sqlite3_stmt *prepare_as(lua_State *L, int *cachedp)
{
    int cached = *cachedp;
    sws_host *h = sws_host_from_lua(L);
    sqlite3 *db = db_of(L);
    const char *sql = luaL_checkstring(L, 1);
    sqlite3_stmt *st = NULL;
    sws_host_clear_denied();
    const char *tail = "";
    int rc;
    if (cached) {
        const char *plugin;
        sws_caller c = sws_host_current_caller(h, &plugin);
        luaL_Buffer key;
        luaL_buffinit(L, &key);
        lua_pushfstring(L, "%d:%s:", (int)c, plugin ? plugin : "");
        luaL_addvalue(&key);
        luaL_addstring(&key, sql);
        luaL_pushresult(&key);
        sws_error e;
        st = sws_host_stmt(h, lua_tostring(L, -1), sql, &e);
        lua_pop(L, 1);
        rc = st ? SQLITE_OK : SQLITE_ERROR;
        if (st && sqlite3_stmt_busy(st)) {
            /* in use further up the stack (a finalizer running a query while
             * the same query is being read): take a fresh one */
            cached = *cachedp = 0;
            rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
        }
        if (st && sqlite3_sql(st) && strlen(sqlite3_sql(st)) < strlen(sql))
            tail = sql + strlen(sqlite3_sql(st)); /* more than one statement */
    } else {
        rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
    }
    if (rc != SQLITE_OK) {
        if (sws_host_denied()[0])
            luaL_error(L, "sws.db: not allowed: %s", sws_host_denied());
        luaL_error(L, "sws.db: %s", sws_db_errmsg(db));
    }
    if (!st)
        luaL_error(L, "sws.db: empty statement");
    while (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';' || *tail == '\r')
        tail++;
    if (*tail) {
        release(st, cached);
        luaL_error(L, "sws.db: one statement per call (found more after the first)");
    }
    int nargs = lua_gettop(L) - 1;
    if (nargs == 1 && lua_istable(L, 2)) {
        for (int p = 1; p <= sqlite3_bind_parameter_count(st); p++) {
            const char *name = sqlite3_bind_parameter_name(st, p);
            if (!name) {
                release(st, cached);
                luaL_error(L, "sws.db: parameter %d has no name but a table was given", p);
            }
            lua_getfield(L, 2, name + 1);
            bind_value(L, st, p, -1, cached);
            lua_pop(L, 1);
        }
    } else {
        if (nargs != sqlite3_bind_parameter_count(st)) {
            int want = sqlite3_bind_parameter_count(st);
            release(st, cached);
            luaL_error(L, "sws.db: the statement has %d %s but %d %s given", want,
                       sws_plural(want, "parameter", "parameters"), nargs,
                       sws_plural(nargs, "value was", "values were"));
        }
        for (int p = 1; p <= nargs; p++)
            bind_value(L, st, p, p + 1, cached);
    }
    return st;
}

static sqlite3_stmt *prepare(lua_State *L)
{
    int cached = 0;
    return prepare_as(L, &cached);
}

/* Pushes the value of column c of st's current row (nil for NULL). */
static void push_value(lua_State *L, sqlite3_stmt *st, int c)
{
    switch (sqlite3_column_type(st, c)) {
    case SQLITE_INTEGER:
        lua_pushinteger(L, sqlite3_column_int64(st, c));
        break;
    case SQLITE_FLOAT:
        lua_pushnumber(L, sqlite3_column_double(st, c));
        break;
    case SQLITE_NULL:
        lua_pushnil(L);
        break;
    default:
        lua_pushlstring(L, (const char *)sqlite3_column_text(st, c),
                        (size_t)sqlite3_column_bytes(st, c));
    }
}

/* Pushes st's current row: a table keyed by column name, NULL columns absent. */
static void push_row(lua_State *L, sqlite3_stmt *st)
{
    int n = sqlite3_column_count(st);
    lua_createtable(L, 0, n);
    for (int i = 0; i < n; i++) {
        if (sqlite3_column_type(st, i) == SQLITE_NULL)
            continue;
        push_value(L, st, i);
        lua_setfield(L, -2, sqlite3_column_name(st, i));
    }
}

/* Steps st once; raises (after releasing it) on error. Returns 1 for a row. */
static int step(lua_State *L, sqlite3_stmt *st, int cached)
{
    sws_host *h = sws_host_from_lua(L);
    /* SQLite rolls the whole transaction back when a write inside one is
     * interrupted, which would undo the work of the C caller around the Lua
     * call: only reads, and writes outside any transaction, are cut short */
    size_t was = sws_host_sql_begin(h, sqlite3_stmt_readonly(st) ||
                                           sqlite3_get_autocommit(sqlite3_db_handle(st)));
    int rc = sqlite3_step(st);
    sws_host_sql_end(h, was);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    sqlite3 *db = sqlite3_db_handle(st);
    lua_pushfstring(L, "sws.db: %s", sws_db_errmsg(db));
    release(st, cached);
    if (rc == SQLITE_INTERRUPT)
        sws_host_raise_if_tripped(L); /* the budget's own message */
    return lua_error(L);
}

/* The statement of a running query is held by a userdata so that an error
 * inside push_row (out of memory) still finalizes it when collected. */
typedef struct held {
    sqlite3_stmt *st;
    int cached;
} held;

static int held_close(lua_State *L)
{
    held *hd = luaL_checkudata(L, 1, "sws.db.statement");
    if (hd->st)
        release(hd->st, hd->cached);
    hd->st = NULL;
    return 0;
}

static held *hold(lua_State *L, sqlite3_stmt *st, int cached)
{
    held *hd = lua_newuserdatauv(L, sizeof *hd, 0);
    hd->st = st;
    hd->cached = cached;
    luaL_setmetatable(L, "sws.db.statement");
    return hd;
}

/* Steps the held statement once: its next row's statement, or NULL when
 * done (the statement stays held). Raises on error, the statement released
 * by step and no longer held. */
static sqlite3_stmt *step_held(lua_State *L, held *hd)
{
    sqlite3_stmt *st = hd->st;
    hd->st = NULL; /* step releases it on error */
    int row = step(L, st, hd->cached);
    hd->st = st;
    return row ? st : NULL;
}

/** sws.db.query(sql, ...) -> array of rows */
static int l_query(lua_State *L)
{
    int cached = 1;
    sqlite3_stmt *first = prepare_as(L, &cached);
    held *hd = hold(L, first, cached);
    lua_newtable(L);
    for (lua_Integer i = 1;; i++) {
        sqlite3_stmt *st = step_held(L, hd);
        if (!st)
            break;
        push_row(L, st);
        lua_rawseti(L, -2, i);
    }
    release(hd->st, cached);
    hd->st = NULL;
    return 1;
}

/**
 * sws.db.columns(sql, ...) -> {col = {v1, v2, ...}, ...}, n
 *
 * The result column by column: one list per column (NULL values are holes,
 * so loop from 1 to n), and the number of rows n. No table per row, so a
 * bulk read of many rows costs a fraction of sws.db.query's.
 */
static int l_columns(lua_State *L)
{
    int cached = 1;
    sqlite3_stmt *first = prepare_as(L, &cached);
    held *hd = hold(L, first, cached);
    int ncols = sqlite3_column_count(first);
    luaL_checkstack(L, ncols + 4, "sws.db.columns: too many columns");
    lua_createtable(L, 0, ncols);
    int cols = lua_gettop(L);
    /* the lists, in column order just above the result table */
    for (int c = 0; c < ncols; c++) {
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, cols, sqlite3_column_name(first, c));
    }
    lua_Integer n = 0;
    for (;;) {
        sqlite3_stmt *st = step_held(L, hd);
        if (!st)
            break;
        n++;
        for (int c = 0; c < ncols; c++) {
            if (sqlite3_column_type(st, c) == SQLITE_NULL)
                continue;
            push_value(L, st, c);
            lua_rawseti(L, cols + 1 + c, n);
        }
    }
    release(hd->st, cached);
    hd->st = NULL;
    lua_settop(L, cols);
    lua_pushinteger(L, n);
    return 2;
}

/* Column `name` of st, or -1. */
static int column_index(sqlite3_stmt *st, const char *name)
{
    for (int c = 0; c < sqlite3_column_count(st); c++)
        if (strcmp(sqlite3_column_name(st, c), name) == 0)
            return c;
    return -1;
}

/* spec[field] as a column name copied into out ("" when absent). */
static void spec_column(lua_State *L, const char *field, char out[64])
{
    lua_getfield(L, 1, field);
    const char *v = luaL_optstring(L, -1, "");
    if (strlen(v) >= 64)
        luaL_error(L, "sws.db.grouped: spec.%s is too long", field);
    memcpy(out, v, strlen(v) + 1);
    lua_pop(L, 1);
}

/**
 * sws.db.grouped(spec, sql, ...) -> { [value of column spec.by] = ... }
 *
 * The rows grouped in C by column spec.by (rows where it is NULL are left
 * out), so that a bulk read keyed by station builds no list of all rows
 * and runs no Lua loop over them. For each value of spec.by:
 *   default             its row (the last, when there are several)
 *   spec.list = true    the list of its rows, in the query's order
 *   spec.key = "col"    its rows by their value of col (NULL values left out)
 *   spec.key, spec.set  the set of its values of col: { value = true }
 * A row is a table keyed by column name, NULL columns absent, as in query.
 */
static int l_grouped(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    char by[64], key[64];
    spec_column(L, "by", by);
    spec_column(L, "key", key);
    lua_getfield(L, 1, "set");
    int set = lua_toboolean(L, -1);
    lua_getfield(L, 1, "list");
    int list = lua_toboolean(L, -1);
    lua_pop(L, 2);
    if (!by[0])
        return luaL_error(L, "sws.db.grouped: spec.by names no column");
    if (set && !key[0])
        return luaL_error(L, "sws.db.grouped: spec.set needs spec.key");
    if (list && key[0])
        return luaL_error(L, "sws.db.grouped: spec.list and spec.key exclude each other");
    lua_remove(L, 1); /* the SQL and its values, as query takes them */
    int cached = 1;
    sqlite3_stmt *first = prepare_as(L, &cached);
    held *hd = hold(L, first, cached);
    int ncols = sqlite3_column_count(first);
    int byc = column_index(first, by), keyc = key[0] ? column_index(first, key) : -1;
    if (byc < 0 || (key[0] && keyc < 0)) {
        release(first, cached);
        hd->st = NULL;
        return luaL_error(L, "sws.db.grouped: the query has no column '%s'", byc < 0 ? by : key);
    }
    luaL_checkstack(L, ncols + 8, "sws.db.grouped: too many columns");
    int names = lua_gettop(L) + 1; /* the column names, pushed once */
    for (int c = 0; c < ncols; c++)
        lua_pushstring(L, sqlite3_column_name(first, c));
    lua_newtable(L);
    int out = lua_gettop(L);
    /* The previous row's group value and table: rows come in runs of one
     * group (queries read by station code), and a run needs neither a new
     * string nor a lookup. prev holds the value's bytes (-1: none). */
    lua_pushnil(L);
    int prev_key = lua_gettop(L);
    lua_pushnil(L);
    int prev_group = lua_gettop(L);
    char prev[64];
    int prev_len = -1;
    /* A group's table is made the size of the previous run of rows: groups
     * are alike (a station's rooms, facilities, villages), and a table that
     * grows row by row is rebuilt at every power of two. */
    int run = 0, size_hint = 0;
    for (;;) {
        sqlite3_stmt *st = step_held(L, hd);
        if (!st)
            break;
        int by_type = sqlite3_column_type(st, byc);
        if (by_type == SQLITE_NULL || (keyc >= 0 && sqlite3_column_type(st, keyc) == SQLITE_NULL))
            continue;
        const void *bv = by_type == SQLITE_TEXT ? sqlite3_column_text(st, byc) : NULL;
        int bl = bv ? sqlite3_column_bytes(st, byc) : -1;
        int same = bv && bl == prev_len && memcmp(bv, prev, (size_t)bl) == 0;
        if (!same && run) {
            size_hint = run;
            run = 0;
        }
        run++;
        if (same) {
            lua_pushvalue(L, prev_key); /* the value grouped by */
        } else {
            push_value(L, st, byc);
            lua_copy(L, -1, prev_key);
            prev_len = bv && bl <= (int)sizeof prev ? bl : -1;
            if (prev_len >= 0)
                memcpy(prev, bv, (size_t)bl);
        }
        if (list || keyc >= 0) { /* its group's table, made when first seen */
            if (same) {
                lua_pushvalue(L, prev_group);
            } else {
                lua_pushvalue(L, -1);
                if (lua_rawget(L, out) != LUA_TTABLE) {
                    lua_pop(L, 1);
                    lua_createtable(L, list ? size_hint : 0, list ? 0 : size_hint);
                    lua_pushvalue(L, -2);
                    lua_pushvalue(L, -2);
                    lua_rawset(L, out);
                }
                lua_copy(L, -1, prev_group);
            }
            if (keyc >= 0)
                push_value(L, st, keyc);
        }
        if (set) {
            lua_pushboolean(L, 1);
        } else {
            /* the row; its group's and its key's values are on the stack already */
            int key_at = keyc >= 0 ? lua_gettop(L) : 0;
            lua_createtable(L, 0, ncols);
            for (int c = 0; c < ncols; c++) {
                if (sqlite3_column_type(st, c) == SQLITE_NULL)
                    continue;
                lua_pushvalue(L, names + c);
                if (c == byc)
                    lua_pushvalue(L, prev_key);
                else if (c == keyc)
                    lua_pushvalue(L, key_at);
                else
                    push_value(L, st, c);
                lua_rawset(L, -3);
            }
        }
        if (list) {
            lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
            lua_pop(L, 2);
        } else if (keyc >= 0) {
            lua_rawset(L, -3);
            lua_pop(L, 2);
        } else {
            lua_rawset(L, out);
        }
    }
    release(hd->st, cached);
    hd->st = NULL;
    lua_pushvalue(L, out);
    return 1;
}

static int rows_next(lua_State *L)
{
    held *hd = luaL_checkudata(L, lua_upvalueindex(1), "sws.db.statement");
    if (!hd->st)
        return 0;
    sqlite3_stmt *st = hd->st;
    hd->st = NULL;
    if (!step(L, st, 0)) {
        sqlite3_finalize(st);
        return 0;
    }
    hd->st = st;
    push_row(L, st);
    return 1;
}

/** sws.db.rows(sql, ...) -> iterator, nil, nil, closing value */
static int l_rows(lua_State *L)
{
    sqlite3_stmt *st = prepare(L);
    hold(L, st, 0);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, rows_next, 1);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushvalue(L, -4); /* to-be-closed: finalized when the loop ends or breaks */
    return 4;
}

/** sws.db.exec(sql, ...) -> rows changed */
static int l_exec(lua_State *L)
{
    int cached = 1;
    sqlite3_stmt *st = prepare_as(L, &cached);
    while (step(L, st, cached))
        ;
    release(st, cached);
    lua_pushinteger(L, sqlite3_changes(db_of(L)));
    sws_lapi_events_settle(sws_host_from_lua(L)); /* a COMMIT fires what waited for it */
    return 1;
}

/** sws.db.transaction(fn, ...) -> fn's results; all of fn's writes or none */
static int l_transaction(lua_State *L)
{
    sqlite3 *db = db_of(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    sws_host *h = sws_host_from_lua(L);
    sws_host_clear_denied();
    if (sqlite3_exec(db, "SAVEPOINT sws_lua", NULL, NULL, NULL) != SQLITE_OK)
        return luaL_error(L, "sws.db.transaction: %s",
                          sws_host_denied()[0] ? sws_host_denied() : sqlite3_errmsg(db));
    int queued = sws_lapi_events_pending(h);
    if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != LUA_OK) {
        sqlite3_exec(db, "ROLLBACK TO sws_lua; RELEASE sws_lua", NULL, NULL, NULL);
        sws_lapi_events_truncate(h, queued); /* what fn's changes announced never happened */
        return lua_error(L);
    }
    if (sqlite3_exec(db, "RELEASE sws_lua", NULL, NULL, NULL) != SQLITE_OK)
        return luaL_error(L, "sws.db.transaction: %s", sqlite3_errmsg(db));
    int n = lua_gettop(L);
    sws_lapi_events_settle(h);
    lua_settop(L, n);
    return n;
}

void sws_lapi_open_db(lua_State *L)
{
    static const luaL_Reg meta[] = {{"__gc", held_close}, {"__close", held_close}, {NULL, NULL}};
    if (luaL_newmetatable(L, "sws.db.statement"))
        luaL_setfuncs(L, meta, 0);
    lua_pop(L, 1);
    static const luaL_Reg fns[] = {{"query", l_query},
                                   {"rows", l_rows},
                                   {"columns", l_columns},
                                   {"grouped", l_grouped},
                                   {"exec", l_exec},
                                   {"transaction", l_transaction},
                                   {NULL, NULL}};
    luaL_newlib(L, fns);
}
