/* retention.c — deactivation and the retention job (retention.h). */
#include "retention.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "policy.h"

/* The personal fields of a client, as the retention job clears them. */
static const char *const personal[] = {"name", "address", "id_masked", "phone_masked",
                                       "birth_date"};
enum { NPERSONAL = sizeof personal / sizeof personal[0] };

/* Clears the closed cases of one county older than `years` before as_of. */
static int clear_county(sqlite3 *db, const char *county, const char *policy, int years,
                        const char *as_of, int dry_run, sws_retention_result *r, sws_error *e)
{
    static const char pick[] =
        "SELECT code, closed_on, name IS NOT NULL, address IS NOT NULL, id_masked IS NOT NULL,"
        " phone_masked IS NOT NULL, birth_date IS NOT NULL FROM client"
        " WHERE substr(station_code, 1, 6) = ?1 AND closed_on IS NOT NULL AND cleared_on IS NULL"
        " AND closed_on <= date(?2, '-' || ?3 || ' years') ORDER BY code";
    static const char log[] =
        "INSERT INTO retention_log(client_code, cleared_on, closed_on, fields, policy)"
        " VALUES(?, ?, ?, ?, ?)";
    static const char clear[] =
        "UPDATE client SET name = NULL, address = NULL, id_masked = NULL, phone_masked = NULL,"
        " birth_date = NULL, cleared_on = ?2 WHERE code = ?1";
    sqlite3_stmt *sel = NULL, *ins = NULL, *upd = NULL;
    int rc = -1;
    if (sws_db_prepare(db, pick, &sel, e) < 0 || sws_db_prepare(db, log, &ins, e) < 0 ||
        sws_db_prepare(db, clear, &upd, e) < 0)
        goto cleanup;
    sqlite3_bind_text(sel, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_text(sel, 2, as_of, -1, SQLITE_STATIC);
    sqlite3_bind_int(sel, 3, years);
    while (sqlite3_step(sel) == SQLITE_ROW) {
        char fields[128] = "";
        for (int k = 0; k < NPERSONAL; k++)
            if (sqlite3_column_int(sel, 2 + k)) {
                snprintf(fields + strlen(fields), sizeof fields - strlen(fields), "%s%s",
                         fields[0] ? "," : "", personal[k]);
                r->fields++;
            }
        r->cleared++;
        if (dry_run)
            continue;
        const char *code = (const char *)sqlite3_column_text(sel, 0);
        sqlite3_bind_text(ins, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, as_of, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, (const char *)sqlite3_column_text(sel, 1), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, fields[0] ? fields : "-", -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, policy, -1, SQLITE_STATIC);
        sqlite3_bind_text(upd, 1, code, -1, SQLITE_STATIC);
        sqlite3_bind_text(upd, 2, as_of, -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE || sqlite3_step(upd) != SQLITE_DONE) {
            sws_errorf(e, "retention of client %s: %s", code, sqlite3_errmsg(db));
            goto cleanup;
        }
        sqlite3_reset(ins);
        sqlite3_reset(upd);
    }
    rc = 0;
cleanup:
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    return rc;
}

int sws_retention_run(sws_host *h, const char *as_of, int dry_run, sws_retention_result *r,
                      sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st = NULL;
    int rc = -1, began = 0;
    memset(r, 0, sizeof *r);
    if (sws_db_prepare(db,
                       "SELECT DISTINCT substr(station_code, 1, 6) FROM client "
                       "WHERE closed_on IS NOT NULL AND cleared_on IS NULL ORDER BY 1",
                       &st, e) < 0)
        goto cleanup;
    if (sws_db_exec(db, "SAVEPOINT sws_retention", e) < 0)
        goto cleanup;
    began = 1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        char county[7];
        snprintf(county, sizeof county, "%s", (const char *)sqlite3_column_text(st, 0));
        sws_policy p;
        double years = 0;
        if (sws_policy_load(h, county, &p, e) < 0)
            goto cleanup;
        int found = sws_policy_number(&p, "privacy.retention_years", &years);
        char label[200];
        snprintf(label, sizeof label, "%s %s (retention %g years)", p.name, p.version, years);
        sws_policy_release(&p);
        if (found < 0 || years < 1) {
            sws_errorf(e, "policy of county %s sets no privacy.retention_years", county);
            goto cleanup;
        }
        if (clear_county(db, county, label, (int)years, as_of, dry_run, r, e) < 0)
            goto cleanup;
    }
    if (sws_db_exec(db, "RELEASE sws_retention", e) < 0)
        goto cleanup;
    began = 0;
    rc = 0;
cleanup:
    if (began)
        sqlite3_exec(db, "ROLLBACK TO sws_retention; RELEASE sws_retention", NULL, NULL, NULL);
    sqlite3_finalize(st);
    return rc;
}

int sws_client_deactivate(sqlite3 *db, const char *code, const char *as_of, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db,
                       "UPDATE client SET deactivated_on = coalesce(deactivated_on, ?2) "
                       "WHERE code = ?1",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, as_of, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sws_errorf(e, "%s", sqlite3_errmsg(db));
    if (rc == 0 && sqlite3_changes(db) == 0)
        rc = 1;
    sqlite3_finalize(st);
    return rc;
}
