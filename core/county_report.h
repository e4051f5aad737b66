/*
 * county_report.h — the core's jobs: each county's annual report to the city.
 *
 * 每年11月30日前，各县（市、区）将年度评估情况汇总报市民政局. The city policy
 * schedules, per county, `county_report_reminder` (15 November) and
 * `county_report` (30 November). The daemon opens the deadline (a
 * county_report row with its due date, from the schedule); the reminder
 * logs whether it is still open; the report writes the county's annual
 * report (the reports plugin's `annual`) to a file and records the
 * delivery, which closes it.
 */
#ifndef SWS_COUNTY_REPORT_H
#define SWS_COUNTY_REPORT_H

#include <sqlite3.h>

#include "error.h"
#include "host.h"

/* The job county_report: renders county's annual report (the reports
 * plugin's `annual`) of the year of as_of, as of that date, in its policy's
 * annual_report.format, into folder dir as <county>-<year>-annual-report.<ext>,
 * then records the delivery at delivered_at (the real time). 0, or -1 with e. */
int sws_county_report_run(sws_host *h, const char *county, const char *as_of, const char *dir,
                          const char *delivered_at, sws_error *e);

/* The job county_report_reminder: logs whether the county's report of the
 * year of as_of is still open. 0, or -1 with e. */
int sws_county_report_remind(sws_host *h, const char *county, const char *as_of, sws_error *e);

/* Opens county's report deadline of `year` due on due_date (YYYY-MM-DD)
 * unless it is open or delivered already. 0, or -1 with e. */
int sws_county_report_open(sqlite3 *db, const char *county, int year, const char *due_date,
                           sws_error *e);

#endif
