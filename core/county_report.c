/*
 * county_report.c — the county's annual report and its reminder (see
 * county_report.h).
 *
 * The report is the `annual` report of the reports plugin (report.h) for
 * the county and the year of the run's date, as of that date, in the
 * format of annual_report.format of the county's policy (html by default).
 * It is written to REPORTS/<county>-<year>-annual-report.<format>, then
 * delivery is recorded in county_report (delivered_at: the real time;
 * delivered_as_of: the date the run stood for). Writing the file comes
 * first: a failed render or write records nothing, and the retry writes it
 * again.
 */
#include "county_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "policy.h"
#include "report.h"

int sws_county_report_open(sqlite3 *db, const char *county, int year, const char *due_date,
                           sws_error *e)
{
    sqlite3_stmt *st = NULL;
    if (sws_db_prepare(db, "INSERT INTO county_report(county_code, year, due_date) "
                           "VALUES(?, ?, ?) ON CONFLICT(county_code, year) DO NOTHING",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, due_date, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc < 0)
        sws_errorf(e, "cannot open the %d report deadline of county %s: %s", year, county,
                   sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

/* The county's name into buf; -1 with e when there is no such county. */
static int county_name(sqlite3 *db, const char *county, char *buf, size_t n, sws_error *e)
{
    sqlite3_stmt *st = NULL;
    if (sws_db_prepare(db, "SELECT name FROM county WHERE code = ?", &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0)
        snprintf(buf, n, "%s", (const char *)sqlite3_column_text(st, 0));
    else
        sws_errorf(e, "no county %s in the database (import the counties first)", county);
    sqlite3_finalize(st);
    return rc;
}

/* The format the county's report is delivered in (annual_report.format of
 * its effective policy: html, md, csv or json) into buf; 0, or -1 with e. */
static int report_format(sws_host *h, const char *county, char *buf, size_t n, sws_error *e)
{
    sws_policy p;
    if (sws_policy_load(h, county, &p, e) < 0)
        return -1;
    if (sws_policy_string(&p, "annual_report.format", buf, n) < 0)
        snprintf(buf, n, "html");
    sws_policy_release(&p);
    static const char *const formats[] = {"html", "md", "csv", "json"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (strcmp(buf, formats[i]) == 0)
            return 0;
    return sws_errorf(e, "annual_report.format '%s' of county %s's policy is not html, md, csv "
                         "or json", buf, county);
}

int sws_county_report_run(sws_host *h, const char *county, const char *as_of, const char *dir,
                          const char *delivered_at, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st = NULL;
    char *doc = NULL;
    size_t len = 0;
    int rc = -1;
    char name[128], format[16], path[4200], tmp[4210];
    if (!county || !county[0])
        return sws_errorf(e, "county_report runs for one county (county_report@CODE)");
    if (county_name(db, county, name, sizeof name, e) < 0 ||
        report_format(h, county, format, sizeof format, e) < 0)
        return -1;
    int year = atoi(as_of);
    if (!dir)
        dir = "reports";
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return sws_errorf(e, "cannot create the reports folder %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/%s-%d-annual-report.%s", dir, county, year, format);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    sws_report_opts o = {.kind = "annual", .format = format, .county = county, .year = year,
                         .as_of = as_of};
    if (sws_report_render(h, &o, &doc, &len, e) < 0 ||
        sws_report_write(tmp, doc, len, strcmp(format, "csv") == 0, e) < 0)
        goto cleanup;
    if (rename(tmp, path) != 0) {
        sws_errorf(e, "cannot write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    if (sws_db_prepare(db, "INSERT INTO county_report(county_code, year, due_date, delivered_at, "
                           "delivered_as_of, path) VALUES(?1, ?2, ?3, ?4, ?3, ?5) "
                           "ON CONFLICT(county_code, year) DO UPDATE SET delivered_at = ?4, "
                           "delivered_as_of = ?3, path = ?5",
                       &st, e) < 0)
        goto cleanup;
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_text(st, 3, as_of, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, delivered_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, path, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) {
        sws_errorf(e, "cannot record the delivery of %s's %d report: %s", county, year,
                   sqlite3_errmsg(db));
        goto cleanup;
    }
    char msg[4400];
    snprintf(msg, sizeof msg, "annual report of %s %s for %d delivered: %s", county, name, year,
             path);
    sws_host_log(h, "INFO", "county_report", msg);
    rc = 0;
cleanup:
    if (rc < 0)
        remove(tmp); /* a half-written file is never left behind */
    free(doc);
    sqlite3_finalize(st);
    return rc;
}

int sws_county_report_remind(sws_host *h, const char *county, const char *as_of, sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st = NULL;
    char name[128], msg[600];
    if (!county || !county[0])
        return sws_errorf(e, "county_report_reminder runs for one county (…@CODE)");
    if (county_name(db, county, name, sizeof name, e) < 0)
        return -1;
    int year = atoi(as_of);
    if (sws_db_prepare(db, "SELECT due_date, delivered_at FROM county_report "
                           "WHERE county_code = ? AND year = ?",
                       &st, e) < 0)
        return -1;
    sqlite3_bind_text(st, 1, county, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    if (sqlite3_step(st) != SQLITE_ROW)
        snprintf(msg, sizeof msg, "%s %s: no %d annual report deadline is open", county, name,
                 year);
    else if (sqlite3_column_type(st, 1) != SQLITE_NULL)
        snprintf(msg, sizeof msg, "%s %s: the %d annual report was delivered on %s", county,
                 name, year, (const char *)sqlite3_column_text(st, 1));
    else
        snprintf(msg, sizeof msg, "%s %s: the %d annual report is due on %s (汇总报市民政局)",
                 county, name, year, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sws_host_log(h, "INFO", "county_report_reminder", msg);
    return 0;
}
