/*
 * county_report.c — the county's annual report and its reminder (see
 * county_report.h).
 *
 * The report is the county's annual evaluation summary: the final
 * evaluation of the year as of the run's date (sws_eval_run_new), one line
 * per station with its total, grade and rank in the county. It is written
 * to REPORTS/<county>-<year>-annual-report.md, then delivery is recorded in
 * county_report (delivered_at: the real time; delivered_as_of: the date the
 * run stood for). Writing the file comes first: a failed write records
 * nothing, and the retry writes it again.
 */
#include "county_report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db.h"
#include "evaluate.h"

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

/* Writes the summary of county's year to f. */
static void write_summary(FILE *f, sws_host *h, const char *county, const char *as_of,
                          const char *scheduled_at, const char *name, int year)
{
    fprintf(f, "# %s %d 年度社会工作站评估情况汇总\n\n", name, year);
    fprintf(f, "- 县（市、区）代码：%s\n- 截止日期（as of）：%s\n- 计划时间：%s\n\n", county,
            as_of, scheduled_at);
    sws_eval_opts o = {.year = year, .phase = "final", .county = county, .as_of = as_of};
    sws_eval_run ev;
    sws_error e;
    if (sws_eval_run_new(h, &o, &ev, &e) < 0) {
        fprintf(f, "尚无可评估的站点：%s\n", e.msg);
        return;
    }
    double sum = 0;
    int shown = 0, vetoed = 0;
    fprintf(f, "| 排名 | 站点代码 | 站点 | 总分 | 等级 |\n| --- | --- | --- | --- | --- |\n");
    for (int i = 0; i < ev.n; i++) {
        sws_ev_station *s = &ev.st[i];
        if (!s->shown)
            continue;
        fprintf(f, "| %d | %s | %s | %.2f | %s%s |\n", s->rank_county, s->code,
                s->name ? s->name : "", s->total, s->grade ? s->grade : "",
                s->vetoed ? "（否决）" : "");
        sum += s->total;
        shown++;
        vetoed += s->vetoed;
    }
    fprintf(f, "\n站点 %d 个，平均分 %.2f，否决 %d 个；评估发现 %d 条（详见 `sws eval score`）。\n",
            shown, shown ? sum / shown : 0.0, vetoed, ev.shown_findings);
    sws_eval_free(&ev);
}

int sws_county_report_run(sws_host *h, const char *county, const char *as_of,
                          const char *scheduled_at, const char *dir, const char *delivered_at,
                          sws_error *e)
{
    sqlite3 *db = sws_host_db(h);
    sqlite3_stmt *st = NULL;
    FILE *f = NULL;
    int rc = -1;
    char name[128], path[4200], tmp[4210];
    if (!county || !county[0])
        return sws_errorf(e, "county_report runs for one county (county_report@CODE)");
    if (county_name(db, county, name, sizeof name, e) < 0)
        return -1;
    int year = atoi(as_of);
    if (!dir)
        dir = "reports";
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return sws_errorf(e, "cannot create the reports folder %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/%s-%d-annual-report.md", dir, county, year);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w"))) {
        sws_errorf(e, "cannot write %s: %s", tmp, strerror(errno));
        goto cleanup;
    }
    write_summary(f, h, county, as_of, scheduled_at, name, year);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        f = NULL;
        sws_errorf(e, "cannot write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    f = NULL;
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
    if (f)
        fclose(f);
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
