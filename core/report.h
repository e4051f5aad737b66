/*
 * report.h — reports people read: coverage, the county's annual report, a
 * station's scorecard, volunteer hours (`sws report`, the demo, the
 * 30 November job).
 *
 * The reports themselves are Lua: the `reports` plugin builds each one from
 * its templates and renders it as HTML, Markdown, CSV or JSON
 * (plugins/reports, docs/reports.md). This file is the bridge the C core
 * calls it through, and the last guard of privacy: every document leaves
 * with any ID or mobile number masked, whatever a template wrote.
 */
#ifndef SWS_REPORT_H
#define SWS_REPORT_H

#include <stddef.h>

#include "error.h"
#include "host.h"

typedef struct sws_report_opts {
    const char *kind;    /* coverage, annual, station, volunteers, or one a plugin added */
    const char *format;  /* html, md, csv, json */
    const char *county;  /* 6-digit code or NULL */
    const char *station; /* 9-digit code or NULL */
    int year;            /* the service year (0: the year of as_of) */
    const char *from;    /* volunteers: first day (NULL: 1 January of year) */
    const char *to;      /* volunteers: last day (NULL: 31 December of year, or as_of) */
    const char *as_of;   /* the run's date, YYYY-MM-DD (never NULL) */
    int reveal;          /* names and addresses unmasked (the caller logs the access) */
    const char *batch;   /* reports of one batch share the city's evaluation, or NULL */
} sws_report_opts;

/* Renders a report through the reports plugin's render(kind, opts), under
 * the plugin's rights and budget. On success *doc is a malloc'd document
 * of *len bytes (the caller frees it) and 0 is returned; -1 with e names
 * the report and the reason. */
int sws_report_render(sws_host *h, const sws_report_opts *o, char **doc, size_t *len, sws_error *e);

/* Writes doc to PATH (stdout when NULL), after a UTF-8 byte-order mark
 * when `bom` (CSV for Excel and WPS). 0, or -1 with e. */
int sws_report_write(const char *path, const char *doc, size_t len, int bom, sws_error *e);

#endif
