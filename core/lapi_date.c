/*
 * lapi_date.c — sws.date: calendar arithmetic on 'YYYY-MM-DD' strings.
 *
 * Dates are plain proleptic Gregorian days, years 0001 to 9999, with no
 * time of day and no time zone: what a county office means by a date. A
 * date converts to a day number (days since 1970-01-01, H. Hinnant's
 * days_from_civil) for adding and subtracting days, and back. Month
 * arithmetic clamps the day to the end of the target month (2021-01-31 plus
 * one month is 2021-02-28), and an age counts a 29 February birthday as
 * reached on 1 March in common years. The calendar itself is date.c.
 *
 * today() is the host's "as of" date when one is set (the registry field
 * "sws.as_of", so policies can be replayed on a given day), else the local
 * date. Every function but parse and valid raises on an invalid date,
 * naming the function and the value.
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"

#define AS_OF_KEY "sws.as_of"

/* Pushes t as 'YYYY-MM-DD'. */
static void push_date(lua_State *L, sws_ymd t)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.y, t.m, t.d);
    lua_pushstring(L, buf);
}

/* Writes the value at idx, shortened, for a message. */
static void describe(lua_State *L, int idx, char *out, size_t n)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (len > 40)
            snprintf(out, n, "'%.40s...'", s);
        else
            snprintf(out, n, "'%s'", s);
    } else {
        snprintf(out, n, "a %s value", luaL_typename(L, idx));
    }
}

/* The date at idx for function fname; raises "sws.date.fname: invalid date
 * '…' (reason)". */
static sws_ymd check_date(lua_State *L, int idx, const char *fname)
{
    sws_ymd t;
    char why[64], shown[64];
    if (lua_type(L, idx) != LUA_TSTRING) {
        describe(L, idx, shown, sizeof shown);
        luaL_error(L, "sws.date.%s: expected a date 'YYYY-MM-DD', got %s", fname, shown);
    }
    size_t len;
    const char *s = lua_tolstring(L, idx, &len);
    if (sws_date_parse(s, len, &t, why, sizeof why)) {
        describe(L, idx, shown, sizeof shown);
        luaL_error(L, "sws.date.%s: invalid date %s (%s)", fname, shown, why);
    }
    return t;
}

/* Pushes day number z as a date; raises when it is outside 0001..9999. */
static void push_day_number(lua_State *L, long long z, const char *fname)
{
    static const sws_ymd first = {1, 1, 1}, last = {9999, 12, 31};
    if (z < sws_date_day_number(first) || z > sws_date_day_number(last))
        luaL_error(L, "sws.date.%s: the result is outside the years 0001 to 9999", fname);
    push_date(L, sws_date_from_day_number(z));
}

/* Pushes t moved by n months, its day clamped to the end of the target month. */
static void push_month_offset(lua_State *L, sws_ymd t, lua_Integer n, const char *fname)
{
    /* bounds first, so that huge n cannot overflow */
    if (n < -12 * 10000 || n > 12 * 10000)
        luaL_error(L, "sws.date.%s: the result is outside the years 0001 to 9999", fname);
    long long months = (long long)t.y * 12 + (t.m - 1) + n;
    if (months < 12 || months >= 12 * 10000)
        luaL_error(L, "sws.date.%s: the result is outside the years 0001 to 9999", fname);
    sws_ymd r = {(int)(months / 12), (int)(months % 12) + 1, 0};
    int last = sws_date_days_in_month(r.y, r.m);
    r.d = t.d > last ? last : t.d;
    push_date(L, r);
}

/* Pushes today's date: "sws.as_of" from the registry if set, else local. */
static void push_today(lua_State *L)
{
    if (lua_getfield(L, LUA_REGISTRYINDEX, AS_OF_KEY) == LUA_TSTRING) {
        sws_ymd t;
        char why[64];
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (sws_date_parse(s, len, &t, why, sizeof why))
            luaL_error(L, "sws.date.today: the 'as of' date '%s' is invalid (%s)", s, why);
        return;
    }
    lua_pop(L, 1);
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        luaL_error(L, "sws.date.today: cannot read the local date");
    sws_ymd t = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    push_date(L, t);
}

/* sws.date.today() -> 'YYYY-MM-DD': the host's "as of" date if one is set,
 * else the local date. */
static int date_today(lua_State *L)
{
    push_today(L);
    return 1;
}

/* sws.date.parse(s) -> y, m, d (integers), or nil and the reason. */
static int date_parse(lua_State *L)
{
    sws_ymd t;
    char why[64], shown[64];
    size_t len = 0;
    const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : NULL;
    if (!s || sws_date_parse(s, len, &t, why, sizeof why)) {
        describe(L, 1, shown, sizeof shown);
        lua_pushnil(L);
        if (s)
            lua_pushfstring(L, "invalid date %s (%s)", shown, why);
        else
            lua_pushfstring(L, "expected a date 'YYYY-MM-DD', got %s", shown);
        return 2;
    }
    lua_pushinteger(L, t.y);
    lua_pushinteger(L, t.m);
    lua_pushinteger(L, t.d);
    return 3;
}

/* sws.date.valid(s) -> whether s is a valid 'YYYY-MM-DD' date (false for
 * anything not a string). */
static int date_valid(lua_State *L)
{
    sws_ymd t;
    char why[64];
    size_t len = 0;
    const char *s = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &len) : NULL;
    lua_pushboolean(L, s && !sws_date_parse(s, len, &t, why, sizeof why));
    return 1;
}

/* sws.date.add_days(s, n) -> the date n days after s (n may be negative). */
static int date_add_days(lua_State *L)
{
    sws_ymd t = check_date(L, 1, "add_days");
    lua_Integer n = luaL_checkinteger(L, 2);
    if (n < -4000000 || n > 4000000)
        return luaL_error(L, "sws.date.add_days: the result is outside the years 0001 to 9999");
    push_day_number(L, sws_date_day_number(t) + n, "add_days");
    return 1;
}

/* sws.date.add_months(s, n) -> s moved by n months, the day clamped to the
 * end of the month (2021-01-31 + 1 month = 2021-02-28). */
static int date_add_months(lua_State *L)
{
    sws_ymd t = check_date(L, 1, "add_months");
    push_month_offset(L, t, luaL_checkinteger(L, 2), "add_months");
    return 1;
}

/* sws.date.add_years(s, n) -> s moved by n years (29 February becomes
 * 28 February in a common year). */
static int date_add_years(lua_State *L)
{
    sws_ymd t = check_date(L, 1, "add_years");
    lua_Integer n = luaL_checkinteger(L, 2);
    if (n < -10000 || n > 10000)
        return luaL_error(L, "sws.date.add_years: the result is outside the years 0001 to 9999");
    push_month_offset(L, t, n * 12, "add_years");
    return 1;
}

/* sws.date.diff_days(a, b) -> b - a in days (positive when b is later). */
static int date_diff_days(lua_State *L)
{
    sws_ymd a = check_date(L, 1, "diff_days"), b = check_date(L, 2, "diff_days");
    lua_pushinteger(L, (lua_Integer)(sws_date_day_number(b) - sws_date_day_number(a)));
    return 1;
}

/* sws.date.year(s) -> the year, an integer. */
static int date_year(lua_State *L)
{
    lua_pushinteger(L, check_date(L, 1, "year").y);
    return 1;
}

/* sws.date.month(s) -> the month, 1 to 12. */
static int date_month(lua_State *L)
{
    lua_pushinteger(L, check_date(L, 1, "month").m);
    return 1;
}

/* sws.date.day(s) -> the day of the month, 1 to 31. */
static int date_day(lua_State *L)
{
    lua_pushinteger(L, check_date(L, 1, "day").d);
    return 1;
}

/* sws.date.compare(a, b) -> -1 when a is earlier than b, 0 when equal, 1
 * when later. */
static int date_compare(lua_State *L)
{
    long long a = sws_date_day_number(check_date(L, 1, "compare"));
    long long b = sws_date_day_number(check_date(L, 2, "compare"));
    lua_pushinteger(L, (a > b) - (a < b));
    return 1;
}

/* sws.date.age(birth [, on]) -> whole years of age on the date `on`
 * (default today()). A 29 February birthday is reached on 1 March in
 * common years. Raises when on is before birth. */
static int date_age(lua_State *L)
{
    sws_ymd b = check_date(L, 1, "age");
    if (lua_isnoneornil(L, 2)) {
        lua_settop(L, 1);
        push_today(L);
    }
    sws_ymd on = check_date(L, 2, "age");
    if (sws_date_day_number(on) < sws_date_day_number(b))
        return luaL_error(L, "sws.date.age: the birth date %s is after %s", lua_tostring(L, 1),
                          lua_tostring(L, 2));
    int age = on.y - b.y;
    if (on.m < b.m || (on.m == b.m && on.d < b.d))
        age--;
    lua_pushinteger(L, age);
    return 1;
}

/* sws.date.format(s [, fmt]) -> s written with fmt (default "%Y-%m-%d"):
 * %Y the year (4 digits), %m and %d the month and day (2 digits), %-m and
 * %-d without a leading zero, %% a percent sign; any other text is copied,
 * so "%Y年%-m月%-d日" gives "2024年3月5日". */
static int date_format(lua_State *L)
{
    sws_ymd t = check_date(L, 1, "format");
    size_t fl;
    const char *f = luaL_optlstring(L, 2, "%Y-%m-%d", &fl);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < fl; i++) {
        if (f[i] != '%') {
            luaL_addchar(&b, f[i]);
            continue;
        }
        char num[8];
        int pad = 1;
        if (i + 1 < fl && f[i + 1] == '-')
            pad = 0, i++;
        char c = i + 1 < fl ? f[++i] : '\0';
        if (c == 'Y' && pad)
            snprintf(num, sizeof num, "%04d", t.y);
        else if (c == 'm')
            snprintf(num, sizeof num, pad ? "%02d" : "%d", t.m);
        else if (c == 'd')
            snprintf(num, sizeof num, pad ? "%02d" : "%d", t.d);
        else if (c == '%' && pad)
            snprintf(num, sizeof num, "%%");
        else if (c == '\0')
            return luaL_error(L, "sws.date.format: the format ends with '%%'");
        else
            return luaL_error(L, "sws.date.format: unknown directive '%%%s%c' (use %%Y, %%m, "
                              "%%d, %%-m, %%-d or %%%%)", pad ? "" : "-", c);
        luaL_addstring(&b, num);
    }
    luaL_pushresult(&b);
    return 1;
}

static const luaL_Reg date_funcs[] = {
    {"today", date_today},
    {"parse", date_parse},
    {"valid", date_valid},
    {"add_days", date_add_days},
    {"add_months", date_add_months},
    {"add_years", date_add_years},
    {"diff_days", date_diff_days},
    {"year", date_year},
    {"month", date_month},
    {"day", date_day},
    {"compare", date_compare},
    {"age", date_age},
    {"format", date_format},
    {NULL, NULL}};

void sws_lapi_open_date(lua_State *L)
{
    luaL_newlib(L, date_funcs);
}
