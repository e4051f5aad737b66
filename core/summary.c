/*
 * summary.c — stations per county, staffing and record counts.
 *
 * The figures are gathered once into a cJSON tree; text and JSON output are
 * two printers of the same tree, so they cannot disagree.
 */
#include "summary.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "db.h"
#include "text.h"

/* Tables counted in the summary, in the order they are printed. */
static const char *const counted[] = {
    "county", "township", "village", "station", "station_room", "station_facility",
    "station_institution", "worker", "training", "worktime", "village_contact", "mentoring",
    "volunteer", "volunteer_service", "community_org", "charity_resource", "client",
    "service_record", "funding", "evaluation_score", "workflow_event", NULL,
};

static const char county_sql[] =
    "SELECT c.code, c.name,"
    " (SELECT count(*) FROM township t WHERE t.unit_code = c.code),"
    " (SELECT count(*) FROM township t WHERE t.unit_code = c.code AND t.kind <> 'special'),"
    " (SELECT count(*) FROM station s JOIN township t ON t.code = s.code"
    "   WHERE t.unit_code = c.code),"
    " (SELECT group_concat(s.name, '、') FROM station s JOIN township t ON t.code = s.code"
    "   WHERE t.unit_code = c.code AND s.is_hub)"
    " FROM county c ORDER BY c.code";

/* Resident workers per station (stations with none count as 0). */
static const char staffing_sql[] =
    "SELECT min(n), avg(n), max(n), sum(n < 3), count(*) FROM"
    " (SELECT (SELECT count(*) FROM worker w WHERE w.station_code = s.code"
    "   AND w.role = 'resident' AND w.left_on IS NULL) AS n FROM station s)";

static cJSON *gather(sqlite3 *db, sws_error *e)
{
    cJSON *root = cJSON_CreateObject(), *counties = cJSON_AddArrayToObject(root, "counties");
    sqlite3_stmt *st = NULL;
    if (sws_db_prepare(db, county_sql, &st, e) < 0)
        goto fail;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "code", (const char *)sqlite3_column_text(st, 0));
        cJSON_AddStringToObject(c, "name", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddNumberToObject(c, "townships", sqlite3_column_int(st, 2));
        cJSON_AddNumberToObject(c, "need_station", sqlite3_column_int(st, 3));
        cJSON_AddNumberToObject(c, "stations", sqlite3_column_int(st, 4));
        const unsigned char *hub = sqlite3_column_text(st, 5);
        if (hub)
            cJSON_AddStringToObject(c, "hub", (const char *)hub);
        else
            cJSON_AddNullToObject(c, "hub");
        cJSON_AddItemToArray(counties, c);
    }
    sqlite3_finalize(st);

    if (sws_db_prepare(db, staffing_sql, &st, e) < 0)
        goto fail;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 4) > 0) {
        cJSON *s = cJSON_AddObjectToObject(root, "resident_workers_per_station");
        cJSON_AddNumberToObject(s, "min", sqlite3_column_int(st, 0));
        cJSON_AddNumberToObject(s, "mean", sqlite3_column_double(st, 1));
        cJSON_AddNumberToObject(s, "max", sqlite3_column_int(st, 2));
        cJSON_AddNumberToObject(s, "stations_below_3", sqlite3_column_int(st, 3));
    }
    sqlite3_finalize(st);

    cJSON *rows = cJSON_AddObjectToObject(root, "records");
    for (int i = 0; counted[i]; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", counted[i]);
        cJSON_AddNumberToObject(rows, counted[i], (double)sws_db_count(db, sql));
    }
    return root;
fail:
    cJSON_Delete(root);
    return NULL;
}

static int num(const cJSON *o, const char *k)
{
    return (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void print_text(const cJSON *root, FILE *out)
{
    const cJSON *c;
    int tot[3] = {0, 0, 0};
    fprintf(out, "Stations by administering unit (county-level unit, or industrial zone "
            "administering townships NBS files under a county)\n  code    ");
    sws_fput_padded(out, "unit", 16);
    fprintf(out, "townships  need a station  stations  hub station\n");
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "counties")) {
        const cJSON *hub = cJSON_GetObjectItemCaseSensitive(c, "hub");
        fprintf(out, "  %s  ", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "code")));
        sws_fput_padded(out, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "name")), 16);
        fprintf(out, "%9d  %14d  %8d  %s\n", num(c, "townships"), num(c, "need_station"),
                num(c, "stations"), cJSON_IsString(hub) ? hub->valuestring : "(none)");
        tot[0] += num(c, "townships");
        tot[1] += num(c, "need_station");
        tot[2] += num(c, "stations");
    }
    fprintf(out, "  total                   %9d  %14d  %8d\n\n", tot[0], tot[1], tot[2]);

    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "resident_workers_per_station");
    if (s)
        fprintf(out, "Resident social workers per station: min %d, mean %.1f, max %d; %d "
                "%s below the city's minimum of 3 (至少3名; more is never too many)\n\n",
                num(s, "min"), cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(s, "mean")),
                num(s, "max"), num(s, "stations_below_3"),
                sws_plural(num(s, "stations_below_3"), "station", "stations"));

    fprintf(out, "Records\n");
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "records"))
        fprintf(out, "  %-20s %10.0f\n", c->string, c->valuedouble);
}

int sws_summary_print(sqlite3 *db, FILE *out, int json, sws_error *e)
{
    cJSON *root = gather(db, e);
    if (!root)
        return -1;
    if (json) {
        char *text = cJSON_Print(root);
        if (text)
            fprintf(out, "%s\n", text);
        free(text);
    } else {
        print_text(root, out);
    }
    cJSON_Delete(root);
    return 0;
}
