/* access_log.c — the append-only log of unmasked output (access_log.h). */
#include "access_log.h"

#include <cjson/cJSON.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "mask.h"
#include "text.h"

const char *sws_access_who(char *buf, size_t n)
{
    const char *env = getenv("SWS_USER");
    const struct passwd *pw = getpwuid(getuid());
    snprintf(buf, n, "%s", env && env[0] ? env : pw && pw->pw_name ? pw->pw_name : "unknown");
    return buf;
}

int sws_access_log_add(sqlite3 *db, const char *who, const char *what, const char *reason,
                       const char *as_of, sws_error *e)
{
    static const char sql[] = "INSERT INTO access_log(time, who, what, reason, as_of) "
                              "VALUES(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?)";
    sqlite3_stmt *st = NULL;
    int rc = -1;
    char *why = strdup(reason), *act = strdup(what); /* stored with their numbers masked */
    if (!why || !act) {
        sws_errorf(e, "out of memory");
        goto cleanup;
    }
    sws_mask_numbers_in(why, strlen(why));
    sws_mask_numbers_in(act, strlen(act));
    if (sws_db_prepare(db, sql, &st, e) < 0)
        goto cleanup;
    sqlite3_bind_text(st, 1, who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, act, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, why, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, as_of, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sws_errorf(e, "cannot write the access log: %s", sqlite3_errmsg(db));
        goto cleanup;
    }
    rc = 0;
cleanup:
    sqlite3_finalize(st);
    free(why);
    free(act);
    return rc;
}

int sws_access_log_print(sqlite3 *db, const char *since, const char *format, FILE *out,
                         sws_error *e)
{
    static const char sql[] = "SELECT id, time, who, what, reason, coalesce(as_of, '') "
                              "FROM access_log WHERE ?1 IS NULL OR time >= ?1 ORDER BY id";
    sqlite3_stmt *st;
    if (sws_db_prepare(db, sql, &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    int json = strcmp(format, "json") == 0;
    cJSON *list = json ? cJSON_CreateArray() : NULL;
    long n = 0;
    if (!json)
        fprintf(out, "%-5s %-20s %-12s %-10s %s\n", "id", "time (UTC)", "who", "as of",
                "what — why");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *v[6];
        for (int k = 0; k < 6; k++)
            v[k] = (const char *)sqlite3_column_text(st, k);
        n++;
        if (json) {
            cJSON *row = cJSON_CreateObject();
            static const char *const keys[] = {"id", "time", "who", "what", "reason", "as_of"};
            cJSON_AddNumberToObject(row, keys[0], sqlite3_column_double(st, 0));
            for (int k = 1; k < 6; k++)
                cJSON_AddStringToObject(row, keys[k], v[k]);
            cJSON_AddItemToArray(list, row);
        } else {
            fprintf(out, "%-5s %-20s %-12s %-10s %s — %s\n", v[0], v[1], v[2], v[5], v[3], v[4]);
        }
    }
    sqlite3_finalize(st);
    if (json) {
        char *text = cJSON_Print(list);
        if (text)
            fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(list);
    } else {
        fprintf(out, "%ld %s of unmasked personal data\n", n, sws_plural(n, "access", "accesses"));
    }
    return 0;
}
