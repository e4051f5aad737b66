/* aggregates.c — keeping and checking service_month, worker_year and
 * volunteer_year (see aggregates.h). */
#include "aggregates.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "domain.h"
#include "hash.h"

/* Counted columns after station_code and month: records, chores, the three
 * methods, the twelve domains (the table's order). */
#define METHODS 3
#define DOMAINS 12
enum { C_RECORDS, C_CHORES, C_METHOD, C_DOMAIN = C_METHOD + METHODS, NCOUNTS = C_DOMAIN + DOMAINS };
static const char *const method_columns[METHODS] = {"case_work", "group_work", "community_work"};

typedef struct slot {
    char key[20]; /* station code, NUL, month (YYYY-MM), NUL; "" when free */
    long n[NCOUNTS];
} slot;

struct sws_agg_import {
    sqlite3 *db;
    sqlite3_int64 last_id; /* the highest record id before the import */
    slot *slots;
    size_t cap, used;
};

/* The name of counted column c. */
static const char *column_name(int c)
{
    if (c == C_RECORDS)
        return "records";
    if (c == C_CHORES)
        return "chores";
    if (c < C_DOMAIN)
        return method_columns[c - C_METHOD];
    return sws_service_domains.terms[c - C_DOMAIN].code;
}

sws_agg_import *sws_agg_import_begin(sqlite3 *db, const char *table, int *rc, sws_error *e)
{
    *rc = 0;
    if (strcmp(table, "service_record") != 0)
        return NULL;
    *rc = -1;
    if (sws_service_domains.n != DOMAINS || sws_service_methods.n != METHODS) {
        sws_errorf(e, "service_month does not match the service vocabularies");
        return NULL;
    }
    sws_agg_import *a = calloc(1, sizeof *a);
    if (!a || !(a->slots = calloc(a->cap = 4096, sizeof *a->slots))) {
        free(a);
        sws_errorf(e, "out of memory");
        return NULL;
    }
    a->db = db;
    a->last_id = sws_db_count(db, "SELECT max(id) FROM service_record");
    if (a->last_id < 0 || sws_db_exec(db, "INSERT INTO service_month_paused VALUES(1)", e) < 0) {
        if (a->last_id < 0)
            sws_errorf(e, "%s", sqlite3_errmsg(db));
        sws_agg_import_free(a);
        return NULL;
    }
    *rc = 0;
    return a;
}

/* The slot of key (n bytes), inserted when new; NULL when out of memory. */
static slot *find(sws_agg_import *a, const char *key, size_t n)
{
    if (a->used * 2 >= a->cap) {
        slot *old = a->slots, *grown = calloc(a->cap * 2, sizeof *grown);
        if (!grown)
            return NULL;
        size_t oldcap = a->cap;
        a->slots = grown;
        a->cap *= 2;
        a->used = 0;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key[0]) {
                slot *s = find(a, old[i].key, sizeof old[i].key);
                *s = old[i];
            }
        free(old);
    }
    /* the key is the station code, a NUL and the month: hash both parts */
    uint64_t h = sws_hash_more(sws_hash(key), key + strlen(key) + 1);
    for (size_t i = h & (a->cap - 1);; i = (i + 1) & (a->cap - 1)) {
        slot *s = &a->slots[i];
        if (!s->key[0]) {
            memcpy(s->key, key, n);
            a->used++;
            return s;
        }
        if (memcmp(s->key, key, n) == 0)
            return s;
    }
}

static int term_index(const sws_vocab *v, const char *code)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->terms[i].code, code) == 0)
            return (int)i;
    return -1;
}

void sws_agg_import_row(sws_agg_import *a, const char *station, const char *date,
                        const char *domain, const char *method)
{
    char key[sizeof((slot *)0)->key] = {0};
    size_t sl = strlen(station);
    if (!a || sl > 10 || strlen(date) < 7)
        return; /* not a stored record's values: the doctor would tell */
    memcpy(key, station, sl);
    memcpy(key + sl + 1, date, 7);
    slot *s = find(a, key, sizeof key);
    if (!s)
        return;
    int m = term_index(&sws_service_methods, method), d = term_index(&sws_service_domains, domain);
    s->n[C_RECORDS]++;
    if (m >= 0)
        s->n[C_METHOD + m]++;
    if (d >= 0)
        s->n[C_DOMAIN + d]++;
}

/* A station-year: station code, NUL, year (YYYY), NUL. */
typedef char station_year[sizeof((slot *)0)->key - 3];

static int by_station_year(const void *x, const void *y)
{
    return memcmp(x, y, sizeof(station_year));
}

/* Recomputes service_year for each station-year of the import's slots, once
 * each (its triggers wait during an import: see migration 27). */
static int refresh_years(sws_agg_import *a, sws_error *e)
{
    station_year *years = malloc((a->used ? a->used : 1) * sizeof *years);
    if (!years)
        return sws_errorf(e, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < a->cap; i++) {
        const char *key = a->slots[i].key;
        if (!key[0])
            continue;
        size_t sl = strlen(key);
        memset(years[n], 0, sizeof years[n]);
        memcpy(years[n], key, sl + 1 + 4); /* the station, its NUL and the month's year */
        n++;
    }
    qsort(years, n, sizeof *years, by_station_year);
    sqlite3_stmt *st = NULL;
    int rc = sws_db_prepare(a->db, sws_service_year_refresh, &st, e);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i > 0 && memcmp(years[i], years[i - 1], sizeof years[i]) == 0)
            continue;
        sqlite3_bind_text(st, 1, years[i], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, years[i] + strlen(years[i]) + 1, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = sws_errorf(e, "counting service records per year: %s", sqlite3_errmsg(a->db));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    free(years);
    return rc;
}

int sws_agg_import_end(sws_agg_import *a, sws_error *e)
{
    if (!a)
        return 0;
    char sql[2048], *o = sql;
    o += sprintf(o, "INSERT INTO service_month(station_code, month");
    for (int c = 0; c < NCOUNTS; c++)
        o += sprintf(o, ", %s", column_name(c));
    o += sprintf(o, ") VALUES(?, ?");
    for (int c = 0; c < NCOUNTS; c++)
        o += sprintf(o, ", ?");
    o += sprintf(o, ") ON CONFLICT DO UPDATE SET records = records + excluded.records");
    for (int c = 1; c < NCOUNTS; c++)
        o += sprintf(o, ", %s = %s + excluded.%s", column_name(c), column_name(c), column_name(c));
    sqlite3_stmt *st = NULL, *chores = NULL;
    int rc = -1;
    if (sws_db_prepare(a->db, sql, &st, e) < 0)
        goto cleanup;
    for (size_t i = 0; i < a->cap; i++) {
        const slot *s = &a->slots[i];
        if (!s->key[0])
            continue;
        sqlite3_bind_text(st, 1, s->key, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->key + strlen(s->key) + 1, -1, SQLITE_STATIC);
        for (int c = 0; c < NCOUNTS; c++)
            sqlite3_bind_int64(st, 3 + c, s->n[c]);
        int step = sqlite3_step(st);
        sqlite3_reset(st);
        if (step != SQLITE_DONE) {
            sws_errorf(e, "counting service records: %s", sqlite3_errmsg(a->db));
            goto cleanup;
        }
    }
    /* the chores among the new records: few, found through their own index */
    if (sws_db_prepare(a->db,
                       "UPDATE service_month AS m SET chores = m.chores + c.n FROM ("
                       "SELECT station_code, substr(date, 1, 7) AS month, count(*) AS n "
                       "FROM service_record INDEXED BY service_record_chore "
                       "WHERE chore <> '' AND id > ? GROUP BY 1, 2) AS c "
                       "WHERE m.station_code = c.station_code AND m.month = c.month",
                       &chores, e) < 0)
        goto cleanup;
    sqlite3_bind_int64(chores, 1, a->last_id);
    if (sqlite3_step(chores) != SQLITE_DONE) {
        sws_errorf(e, "counting chores: %s", sqlite3_errmsg(a->db));
        goto cleanup;
    }
    if (refresh_years(a, e) < 0 || sws_db_exec(a->db, "DELETE FROM service_month_paused", e) < 0)
        goto cleanup;
    rc = 0;

cleanup:
    sqlite3_finalize(st);
    sqlite3_finalize(chores);
    return rc;
}

void sws_agg_import_free(sws_agg_import *a)
{
    if (a)
        free(a->slots);
    free(a);
}

/* ---- the doctor ------------------------------------------------------------- */

/* The end of a doctor's comparison: finalizes st (done with `step`), says
 * how many of the n differing `what` (station-months, worker-years, …) were
 * not listed (`unlisted`) and, when `rebuild` names the kept table and any
 * differ, rebuilds it from `fresh` in one savepoint. n, or -1 with e. */
static long doctor_end(sqlite3 *db, sqlite3_stmt *st, int step, long n, long unlisted, FILE *out,
                       const char *rebuild, const char *fresh, const char *what, sws_error *e)
{
    sqlite3_finalize(st);
    if (step != SQLITE_DONE)
        return sws_errorf(e, "comparing the kept %s with the records: %s", what,
                          sqlite3_errmsg(db));
    if (out && unlisted > 0)
        fprintf(out, "… and %ld more %s\n", unlisted, what);
    if (rebuild && n > 0) {
        char sql[8192];
        snprintf(sql, sizeof sql,
                 "SAVEPOINT sws_doctor; DELETE FROM %s; INSERT INTO %s %s; RELEASE sws_doctor",
                 rebuild, rebuild, fresh);
        if (sws_db_exec(db, sql, e) < 0) {
            sqlite3_exec(db, "ROLLBACK TO sws_doctor; RELEASE sws_doctor", NULL, NULL, NULL);
            return sws_error_prefix(e, "rebuilding %s", rebuild);
        }
    }
    return n;
}

long sws_agg_doctor(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e)
{
    char cols[1024] = "station_code, month", sql[8192];
    for (int c = 0; c < NCOUNTS; c++)
        snprintf(cols + strlen(cols), sizeof cols - strlen(cols), ", %s", column_name(c));
    char *o = sql;
    o += sprintf(o,
                 "WITH fresh(%s) AS MATERIALIZED (%s), diff AS ("
                 "SELECT station_code, month FROM (SELECT * FROM fresh EXCEPT "
                 "SELECT * FROM service_month) UNION SELECT station_code, month FROM ("
                 "SELECT * FROM service_month EXCEPT SELECT * FROM fresh)) "
                 "SELECT d.station_code, d.month",
                 cols, sws_service_month_fresh);
    for (int c = 0; c < NCOUNTS; c++)
        o += sprintf(o, ", s.%s, f.%s", column_name(c), column_name(c));
    sprintf(o, " FROM diff d LEFT JOIN service_month s ON s.station_code = d.station_code "
               "AND s.month = d.month LEFT JOIN fresh f ON f.station_code = d.station_code "
               "AND f.month = d.month ORDER BY 1, 2");
    sqlite3_stmt *st;
    if (sws_db_prepare(db, sql, &st, e) < 0)
        return -1;
    long n = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out && n < max_listed) {
            fprintf(out, "station %s, %s:", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
            const char *sep = " ";
            if (sqlite3_column_type(st, 2) == SQLITE_NULL)
                fprintf(out, " no counts kept for its %lld records",
                        (long long)sqlite3_column_int64(st, 3));
            else if (sqlite3_column_type(st, 3) == SQLITE_NULL)
                fprintf(out, " counts kept (%lld records) but no such records",
                        (long long)sqlite3_column_int64(st, 2));
            for (int c = 0; c < NCOUNTS && sqlite3_column_type(st, 2) != SQLITE_NULL &&
                            sqlite3_column_type(st, 3) != SQLITE_NULL;
                 c++) {
                sqlite3_int64 kept = sqlite3_column_int64(st, 2 + 2 * c);
                sqlite3_int64 real = sqlite3_column_int64(st, 3 + 2 * c);
                if (kept != real) {
                    fprintf(out, "%s%s %lld kept, %lld in the records", sep, column_name(c),
                            (long long)kept, (long long)real);
                    sep = "; ";
                }
            }
            fputc('\n', out);
        }
        n++;
    }
    return doctor_end(db, st, step, n, n > max_listed ? n - max_listed : 0, out,
                      repair ? "service_month" : NULL, sws_service_month_fresh, "station-months",
                      e);
}

/* Prints one differing row of a kept table (column 0 says which side). */
typedef void kept_row_printer(FILE *out, sqlite3_stmt *st);

/* Compares kept table `table` with `fresh` (its rows recomputed, same
 * columns): each row found on one side only goes to out through print (at
 * most max_listed rows, ordered by `order`, whose first two columns are the
 * key: a worker- or volunteer-year); the count of keys that differ is
 * returned (or -1 with e) and, with repair, the table is rebuilt
 * (doctor_end). */
static long doctor_kept(sqlite3 *db, const char *table, const char *fresh, const char *order,
                        int key1, int key2, kept_row_printer *print, FILE *out, int max_listed,
                        int repair, const char *what, sws_error *e)
{
    char sql[4096];
    snprintf(sql, sizeof sql,
             "WITH fresh AS MATERIALIZED (%s) "
             "SELECT 'kept', * FROM (SELECT * FROM %s EXCEPT SELECT * FROM fresh) "
             "UNION ALL SELECT 'in the records', * FROM (SELECT * FROM fresh EXCEPT "
             "SELECT * FROM %s) ORDER BY %s",
             fresh, table, table, order);
    sqlite3_stmt *st;
    if (sws_db_prepare(db, sql, &st, e) < 0)
        return -1;
    /* a key's kept row and its recomputed row come together: one key */
    long rows = 0, keys = 0, listed = 0;
    char prev[256] = "", key[256];
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        snprintf(key, sizeof key, "%s\x1f%s", (const char *)sqlite3_column_text(st, key1),
                 (const char *)sqlite3_column_text(st, key2));
        int new_key = rows == 0 || strcmp(key, prev) != 0;
        keys += new_key;
        if (out && rows < max_listed) {
            print(out, st);
            listed += new_key;
        }
        rows++;
        memcpy(prev, key, sizeof prev);
    }
    return doctor_end(db, st, step, keys, keys - listed, out, repair ? table : NULL, fresh, what,
                      e);
}

static void print_worker_year(FILE *out, sqlite3_stmt *st)
{
    fprintf(out,
            "worker %s, %lld (%s): training %lld min in %lld records, work %lld min "
            "(%lld in communities) in %lld months\n",
            sqlite3_column_text(st, 1), (long long)sqlite3_column_int64(st, 2),
            sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 3),
            (long long)sqlite3_column_int64(st, 4), (long long)sqlite3_column_int64(st, 5),
            (long long)sqlite3_column_int64(st, 6), (long long)sqlite3_column_int64(st, 7));
}

long sws_agg_doctor_workers(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e)
{
    return doctor_kept(db, "worker_year", sws_worker_year_fresh, "2, 3, 1 DESC", 1, 2,
                       print_worker_year, out, max_listed, repair, "worker-years", e);
}

static void print_service_year(FILE *out, sqlite3_stmt *st)
{
    fprintf(out, "station %s, %lld (%s): %lld records, %lld chores\n", sqlite3_column_text(st, 1),
            (long long)sqlite3_column_int64(st, 2), sqlite3_column_text(st, 0),
            (long long)sqlite3_column_int64(st, 3), (long long)sqlite3_column_int64(st, 4));
}

long sws_agg_doctor_years(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e)
{
    return doctor_kept(db, "service_year", sws_service_year_fresh, "2, 3, 1 DESC", 1, 2,
                       print_service_year, out, max_listed, repair, "station-years", e);
}

static void print_volunteer_year(FILE *out, sqlite3_stmt *st)
{
    fprintf(out, "volunteer %s, %lld, station %s (%s): %.7g hours of service in %lld records\n",
            sqlite3_column_text(st, 3), (long long)sqlite3_column_int64(st, 2),
            sqlite3_column_text(st, 1), sqlite3_column_text(st, 0),
            (double)sqlite3_column_int64(st, 4) / 3600000.0,
            (long long)sqlite3_column_int64(st, 5));
}

long sws_agg_doctor_volunteers(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e)
{
    return doctor_kept(db, "volunteer_year", sws_volunteer_year_fresh, "4, 3, 2, 1 DESC", 3, 2,
                       print_volunteer_year, out, max_listed, repair, "volunteer-years", e);
}

static void print_station_clients(FILE *out, sqlite3_stmt *st)
{
    fprintf(out, "station %s (%s): %lld service objects\n", sqlite3_column_text(st, 1),
            sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 2));
}

long sws_agg_doctor_clients(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e)
{
    return doctor_kept(db, "station_clients", sws_station_clients_fresh, "2, 1 DESC", 1, 1,
                       print_station_clients, out, max_listed, repair, "stations", e);
}

/* A column's text, or "-" for NULL. */
static const char *text_or_dash(sqlite3_stmt *st, int c)
{
    const unsigned char *t = sqlite3_column_text(st, c);
    return t ? (const char *)t : "-";
}

static void print_contact_worker(FILE *out, sqlite3_stmt *st)
{
    fprintf(out, "village %s, contact %s (%s): from %s until %s; worker hired %s, left %s, %s\n",
            text_or_dash(st, 1), text_or_dash(st, 2), text_or_dash(st, 0), text_or_dash(st, 3),
            text_or_dash(st, 4), text_or_dash(st, 5), text_or_dash(st, 6), text_or_dash(st, 7));
}

long sws_agg_doctor_contacts(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e)
{
    return doctor_kept(db, "village_contact_worker", sws_village_contact_worker_fresh,
                       "2, 3, 1 DESC", 1, 2, print_contact_worker, out, max_listed, repair,
                       "village contacts", e);
}
