/*
 * eval_compare.c — `sws eval compare RUN_A RUN_B`: what changed between two
 * stored evaluation runs (eval_runs.h).
 *
 * Everything is read from the stored rows, so comparing a published run
 * with a new one shows exactly what re-scoring changed: the policies
 * (version and content hash per county), then per station the total,
 * grade, stars and ranks, largest change of total first; for one station
 * (--station) its dimensions and items too.
 */
#include "eval_runs.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "json_write.h"
#include "text.h"

/* Both runs' stations side by side (a station in one run only has NULLs on
 * the other side), changed ones only, largest change of total first. */
static const char STATIONS_SQL[] =
    "WITH s AS (SELECT coalesce(a.station, b.station) AS station, "
    "  coalesce(b.name, a.name) AS name, coalesce(b.county_name, a.county_name) AS county, "
    "  a.total AS t1, b.total AS t2, a.grade AS g1, b.grade AS g2, a.stars AS s1, "
    "  b.stars AS s2, a.rank_county AS c1, b.rank_county AS c2, a.rank_city AS r1, "
    "  b.rank_city AS r2 "
    "  FROM eval_run_station a LEFT JOIN eval_run_station b ON b.run = ?2 "
    "  AND b.station = a.station WHERE a.run = ?1 "
    "  UNION ALL SELECT b.station, b.name, b.county_name, NULL, b.total, NULL, b.grade, NULL, "
    "  b.stars, NULL, b.rank_county, NULL, b.rank_city FROM eval_run_station b "
    "  WHERE b.run = ?2 AND NOT EXISTS (SELECT 1 FROM eval_run_station a WHERE a.run = ?1 "
    "  AND a.station = b.station)) "
    "SELECT * FROM s WHERE (?3 IS NULL OR station = ?3) AND (t1 IS NOT t2 OR g1 IS NOT g2 "
    "  OR s1 IS NOT s2 OR c1 IS NOT c2 OR r1 IS NOT r2) "
    "ORDER BY abs(coalesce(t2, 0) - coalesce(t1, 0)) DESC, "
    "  abs(coalesce(r2, 0) - coalesce(r1, 0)) DESC, station";

/* Items (and dimensions, as "dimension:key") of one station in both runs. */
static const char ITEMS_SQL[] =
    "WITH x AS (SELECT item AS k, earned FROM eval_run_item WHERE run = ?1 AND station = ?3 "
    "  UNION ALL SELECT 'dimension:' || dimension, score FROM eval_run_dimension "
    "  WHERE run = ?1 AND station = ?3), "
    "y AS (SELECT item AS k, earned FROM eval_run_item WHERE run = ?2 AND station = ?3 "
    "  UNION ALL SELECT 'dimension:' || dimension, score FROM eval_run_dimension "
    "  WHERE run = ?2 AND station = ?3), "
    "k AS (SELECT k FROM x UNION SELECT k FROM y) "
    "SELECT k.k, x.earned, y.earned FROM k LEFT JOIN x ON x.k = k.k LEFT JOIN y ON y.k = k.k "
    "WHERE x.earned IS NOT y.earned ORDER BY k.k LIKE 'dimension:%' DESC, "
    "abs(coalesce(y.earned, 0) - coalesce(x.earned, 0)) DESC, k.k";

/* Counties whose policy differs between the runs. */
static const char POLICIES_SQL[] =
    "WITH a AS (SELECT * FROM eval_run_county WHERE run = ?1), "
    "b AS (SELECT * FROM eval_run_county WHERE run = ?2) "
    "SELECT a.county, a.policy || ' ' || a.version || ' #' || substr(a.hash, 1, 8), "
    "  b.policy || ' ' || b.version || ' #' || substr(b.hash, 1, 8) "
    "  FROM a LEFT JOIN b USING (county) WHERE a.hash IS NOT b.hash "
    "  OR a.version IS NOT b.version OR a.policy IS NOT b.policy "
    "UNION ALL SELECT b.county, NULL, b.policy || ' ' || b.version || ' #' || "
    "  substr(b.hash, 1, 8) FROM b WHERE b.county NOT IN (SELECT county FROM a) ORDER BY 1";

/* "85.20" or "-" for a station missing from a run. */
static const char *num(char buf[32], sqlite3_stmt *st, int i, const char *fmt)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return "-";
    snprintf(buf, 32, fmt, sqlite3_column_double(st, i));
    return buf;
}

static const char *txt(sqlite3_stmt *st, int i)
{
    const unsigned char *s = sqlite3_column_text(st, i);
    return s ? (const char *)s : "-";
}

static int run_title(sqlite3 *db, long long id, char *buf, size_t n, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT year, phase, coalesce('published ' || published, 'draft') "
                           "FROM eval_run WHERE id = ?", &st, e) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, n, "run %lld (%d %s, %s)", id, sqlite3_column_int(st, 0),
                 sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
    else
        rc = sws_errorf(e, "there is no evaluation run %lld (`sws eval runs` lists them)", id);
    sqlite3_finalize(st);
    return rc;
}

static int prepare3(sqlite3 *db, const char *sql, long long a, long long b, const char *station,
                    sqlite3_stmt **st, sws_error *e)
{
    if (sws_db_prepare(db, sql, st, e) < 0)
        return -1;
    sqlite3_bind_int64(*st, 1, a);
    sqlite3_bind_int64(*st, 2, b);
    if (station && sqlite3_bind_parameter_count(*st) >= 3)
        sqlite3_bind_text(*st, 3, station, -1, SQLITE_STATIC);
    return 0;
}

static void pair_json(cJSON *o, const char *k, sqlite3_stmt *st, int i)
{
    cJSON *p = cJSON_AddObjectToObject(o, k);
    for (int j = 0; j < 2; j++) {
        const char *side = j ? "to" : "from";
        int t = sqlite3_column_type(st, i + j);
        if (t == SQLITE_NULL)
            cJSON_AddNullToObject(p, side);
        else if (t == SQLITE_TEXT)
            cJSON_AddStringToObject(p, side, (const char *)sqlite3_column_text(st, i + j));
        else
            cJSON_AddNumberToObject(p, side, sqlite3_column_double(st, i + j));
    }
}

/* Writes the changed stations (text or JSON array); returns how many, or -1. */
static int stations(sqlite3 *db, long long a, long long b, const char *station, cJSON *json,
                    FILE *out, sws_error *e)
{
    sqlite3_stmt *st;
    if (prepare3(db, STATIONS_SQL, a, b, station, &st, e) < 0)
        return -1;
    int n = 0;
    char x[32], y[32], d[32];
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "station", txt(st, 0));
            cJSON_AddStringToObject(o, "name", txt(st, 1));
            cJSON_AddStringToObject(o, "county", txt(st, 2));
            static const char *const keys[] = {"total", "grade", "stars", "rank_county",
                                               "rank_city"};
            for (int k = 0; k < 5; k++)
                pair_json(o, keys[k], st, 3 + 2 * k);
            cJSON_AddItemToArray(json, o);
        } else {
            if (!n)
                fprintf(out, "%-9s  %-28s %-26s %-16s %-8s %-10s %s\n", "station", "name",
                        "total", "grade", "stars", "rank cty", "rank city");
            double change = sqlite3_column_double(st, 4) - sqlite3_column_double(st, 3);
            fprintf(out, "%-9s  ", txt(st, 0));
            sws_fput_padded(out, txt(st, 1), 28);
            snprintf(d, sizeof d, "%+.2f", fabs(change) < 0.005 ? 0.0 : change);
            fprintf(out, " %6s → %-6s (%s)%*s", num(x, st, 3, "%.2f"), num(y, st, 4, "%.2f"), d,
                    (int)(9 - strlen(d)), "");
            char grade[96];
            snprintf(grade, sizeof grade, "%s → %s", txt(st, 5), txt(st, 6));
            sws_fput_padded(out, grade, 16);
            fprintf(out, " %s → %-3s %3s → %-4s %4s → %s\n", num(x, st, 7, "%.0f"),
                    num(y, st, 8, "%.0f"), num(d, st, 9, "%.0f"), txt(st, 10),
                    num(x, st, 11, "%.0f"), txt(st, 12));
        }
        n++;
    }
    sqlite3_finalize(st);
    return n;
}

static int items(sqlite3 *db, long long a, long long b, const char *station, cJSON *json,
                 FILE *out, sws_error *e)
{
    sqlite3_stmt *st;
    if (prepare3(db, ITEMS_SQL, a, b, station, &st, e) < 0)
        return -1;
    int n = 0;
    char x[32], y[32];
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "item", txt(st, 0));
            pair_json(o, "points", st, 1);
            cJSON_AddItemToArray(json, o);
        } else {
            if (!n)
                fprintf(out, "\nstation %s, dimensions and items that changed:\n", station);
            fprintf(out, "  %-24s %7s → %-7s (%+.2f)\n", txt(st, 0), num(x, st, 1, "%.2f"),
                    num(y, st, 2, "%.2f"),
                    sqlite3_column_double(st, 2) - sqlite3_column_double(st, 1));
        }
        n++;
    }
    sqlite3_finalize(st);
    if (!json && !n)
        fprintf(out, "\nstation %s: no dimension or item changed\n", station);
    return n;
}

static int policies(sqlite3 *db, long long a, long long b, cJSON *json, FILE *out, sws_error *e)
{
    sqlite3_stmt *st;
    if (prepare3(db, POLICIES_SQL, a, b, NULL, &st, e) < 0)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "county", txt(st, 0));
            pair_json(o, "policy", st, 1);
            cJSON_AddItemToArray(json, o);
        } else {
            if (!n)
                fprintf(out, "policies that changed (name version #content hash):\n");
            fprintf(out, "  %s: %s → %s\n", txt(st, 0), txt(st, 1), txt(st, 2));
        }
        n++;
    }
    sqlite3_finalize(st);
    if (!json && !n)
        fprintf(out, "no county's policy changed\n");
    return n;
}

int sws_eval_compare(sqlite3 *db, long long a, long long b, const char *station,
                     const char *format, FILE *out, sws_error *e)
{
    char ta[128], tb[128];
    if (run_title(db, a, ta, sizeof ta, e) < 0 || run_title(db, b, tb, sizeof tb, e) < 0)
        return -1;
    int json = strcmp(format, "json") == 0, changed = -1;
    cJSON *root = json ? cJSON_CreateObject() : NULL;
    if (json) {
        cJSON_AddNumberToObject(root, "from", (double)a);
        cJSON_AddNumberToObject(root, "to", (double)b);
    } else {
        fprintf(out, "%s → %s\n", ta, tb);
    }
    if (policies(db, a, b, json ? cJSON_AddArrayToObject(root, "policies") : NULL, out, e) < 0)
        goto done;
    if (!json)
        fputc('\n', out);
    changed = stations(db, a, b, station, json ? cJSON_AddArrayToObject(root, "stations") : NULL,
                       out, e);
    if (changed < 0)
        goto done;
    if (!json)
        fprintf(out, "%d %s changed\n", changed, sws_plural(changed, "station", "stations"));
    if (station && items(db, a, b, station, json ? cJSON_AddArrayToObject(root, "items") : NULL,
                         out, e) < 0)
        changed = -1;
done:
    if (json && changed >= 0)
        return sws_json_write(root, out) < 0 ? sws_errorf(e, "out of memory") : changed;
    cJSON_Delete(root);
    return changed;
}
