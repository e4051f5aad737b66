/*
 * schedule.c — reading the policies' schedules (see schedule.h).
 *
 * The bridge between the policy tables in Lua and the daemon's C structs:
 * this file is the only part of the daemon that touches the Lua stack for
 * schedules. The policies were validated before (sws_policy_validate), so
 * a value of the wrong type here is read as its default.
 */
#include "schedule.h"

#include <sys/stat.h>

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "jobs.h"
#include "policy.h"

/* Integer field k of the table on top, or def. */
static lua_Integer int_field(lua_State *L, const char *k, lua_Integer def)
{
    lua_getfield(L, -1, k);
    lua_Integer v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : def;
    lua_pop(L, 1);
    return v;
}

/* String field k of the table on top into buf (def when absent); 1 when present. */
static int str_field(lua_State *L, const char *k, char *buf, size_t n, const char *def)
{
    lua_getfield(L, -1, k);
    int have = lua_type(L, -1) == LUA_TSTRING;
    snprintf(buf, n, "%s", have ? lua_tostring(L, -1) : def);
    lua_pop(L, 1);
    return have;
}

/* Appends the entry on top of the stack (a schedule item of policy p) for
 * county (NULL: city-wide). 0 or -1 with e. */
static int add_entry(sws_host *h, sws_schedule *s, sws_policy *p, int index, const char *county,
                     sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    sws_sched_entry *x = realloc(s->entries, (size_t)(s->n + 1) * sizeof *x);
    if (!x)
        return sws_errorf(e, "out of memory");
    s->entries = x;
    x = memset(&s->entries[s->n], 0, sizeof *x);
    snprintf(x->policy, sizeof x->policy, "%s", p->name);
    snprintf(x->version, sizeof x->version, "%s", p->version);
    snprintf(x->where, sizeof x->where, "%s: schedule entry %d", p->file, index);
    str_field(L, "job", x->job, sizeof x->job, "");
    snprintf(x->county, sizeof x->county, "%s", county ? county : "");
    snprintf(x->instance, sizeof x->instance, "%s%s%s", x->job, county ? "@" : "",
             county ? county : "");
    char at[64], catch_up[16], overlap[16];
    if (str_field(L, "at", at, sizeof at, "")) {
        x->one_off = 1;
        snprintf(x->when, sizeof x->when, "at %s", at);
        if (sws_cron_parse_time(at, &x->at) < 0)
            return sws_errorf(e, "%s: at '%s' is not a real time YYYY-MM-DD HH:MM", x->where, at);
    } else {
        char why[200];
        str_field(L, "cron", x->when, sizeof x->when, "");
        if (sws_cron_parse(x->when, &x->cron, why, sizeof why) < 0)
            return sws_errorf(e, "%s: invalid cron '%s': %s", x->where, x->when, why);
    }
    str_field(L, "catch_up", catch_up, sizeof catch_up, "latest");
    x->catch_up = strcmp(catch_up, "skip") == 0  ? SWS_CATCHUP_SKIP
                : strcmp(catch_up, "all") == 0   ? SWS_CATCHUP_ALL
                                                 : SWS_CATCHUP_LATEST;
    str_field(L, "overlap", overlap, sizeof overlap, "skip");
    x->overlap_queue = strcmp(overlap, "queue") == 0;
    x->window_days = (int)int_field(L, "window_days", 7);
    x->cap = (int)int_field(L, "cap", 10);
    x->retries = (int)int_field(L, "retries", 0);
    x->backoff = (int)int_field(L, "backoff", 60);
    x->timeout = (double)int_field(L, "timeout", 600);
    if (!sws_job_exists(h, x->job))
        return sws_errorf(e, "%s: no job '%s' (jobs come from plugins, see `sws plugin list`, "
                             "or are the core's county_report and county_report_reminder)",
                          x->where, x->job);
    if (county && !sws_job_serves(h, x->job, county))
        return 0; /* a plugin that does not serve the county: no run there */
    s->n++;
    return 0;
}

/* Adds the entries of policy p whose each_county flag equals `per_county`
 * (for county, or the city when NULL). */
static int add_entries(sws_host *h, sws_schedule *s, sws_policy *p, int per_county,
                       const char *county, sws_error *e)
{
    lua_State *L = sws_host_lua(h);
    int top = lua_gettop(L), rc = 0;
    sws_policy_push(p);
    if (lua_getfield(L, -1, "schedule") == LUA_TTABLE) {
        lua_Integer n = luaL_len(L, -1);
        for (lua_Integer i = 1; i <= n && rc == 0; i++) {
            if (lua_geti(L, -1, i) == LUA_TTABLE) {
                lua_getfield(L, -1, "each_county");
                int each = lua_toboolean(L, -1);
                lua_pop(L, 1);
                if (each == per_county)
                    rc = add_entry(h, s, p, (int)i, county, e);
            }
            lua_pop(L, 1);
        }
    }
    lua_settop(L, top);
    return rc;
}

int sws_schedule_read(sws_host *h, sws_schedule *out, sws_error *e)
{
    memset(out, 0, sizeof *out);
    sws_policy city, county_policy;
    sqlite3_stmt *st = NULL;
    int rc = -1, have_city = 0;
    if (sws_policy_load(h, "default", &city, e) < 0)
        goto cleanup;
    have_city = 1;
    snprintf(out->city_version, sizeof out->city_version, "%s", city.version);
    lua_State *L = sws_host_lua(h);
    sws_policy_push(&city);
    str_field(L, "timezone", out->timezone, sizeof out->timezone, "Asia/Shanghai");
    lua_pop(L, 1);
    if (add_entries(h, out, &city, 0, NULL, e) < 0)
        goto cleanup;
    if (sws_db_prepare(sws_host_db(h), "SELECT code FROM county ORDER BY code", &st, e) < 0)
        goto cleanup;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        char name[64];
        sws_policy_for_county(h, code, name, sizeof name);
        if (strcmp(name, "default") == 0) {
            if (add_entries(h, out, &city, 1, code, e) < 0)
                goto cleanup;
            continue;
        }
        if (sws_policy_load(h, name, &county_policy, e) < 0)
            goto cleanup;
        int r = add_entries(h, out, &county_policy, 1, code, e);
        sws_policy_release(&county_policy);
        if (r < 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    sqlite3_finalize(st);
    if (have_city)
        sws_policy_release(&city);
    if (rc < 0)
        sws_schedule_free(out);
    return rc;
}

void sws_schedule_free(sws_schedule *s)
{
    free(s->entries);
    s->entries = NULL;
    s->n = 0;
}

int sws_schedule_zone(sws_host *h, char *tz, size_t n, sws_error *e)
{
    sws_policy city;
    if (sws_policy_load(h, "default", &city, e) < 0)
        return -1;
    lua_State *L = sws_host_lua(h);
    sws_policy_push(&city);
    str_field(L, "timezone", tz, n, "Asia/Shanghai");
    lua_pop(L, 1);
    sws_policy_release(&city);
    return 0;
}

int sws_schedule_use_zone(const char *tz)
{
    char path[300];
    struct stat sb;
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    if (strstr(tz, "..") || stat(path, &sb) != 0)
        return -1;
    setenv("TZ", tz, 1);
    tzset();
    return 0;
}

/* Wall-clock fields in the zone to seconds since the epoch. */
static time_t from_local(struct tm t)
{
    t.tm_isdst = -1;
    return mktime(&t);
}

time_t sws_schedule_next(const sws_sched_entry *x, time_t t)
{
    if (x->one_off) {
        time_t at = from_local(x->at);
        return at > t ? at : -1;
    }
    struct tm local, next;
    localtime_r(&t, &local);
    for (int guard = 0; guard < 4; guard++) {
        if (sws_cron_next(&x->cron, &local, &next) < 0)
            return -1;
        time_t r = from_local(next);
        if (r > t) /* a time skipped by a DST change can map backwards: try the next one */
            return r;
        local = next;
    }
    return -1;
}

void sws_schedule_key(time_t t, char *buf, size_t n)
{
    struct tm local;
    localtime_r(&t, &local);
    char base[24], zone[8];
    strftime(base, sizeof base, "%Y-%m-%d %H:%M", &local);
    strftime(zone, sizeof zone, "%z", &local);
    snprintf(buf, n, "%s%.3s:%.2s", base, zone, zone + 3);
}

void sws_schedule_date(time_t t, char *buf, size_t n)
{
    struct tm local;
    localtime_r(&t, &local);
    strftime(buf, n, "%Y-%m-%d", &local);
}

int sws_schedule_parse_local(const char *s, time_t *out)
{
    struct tm t;
    if (sws_cron_parse_time(s, &t) < 0)
        return -1;
    *out = from_local(t);
    return 0;
}
