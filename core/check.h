/*
 * check.h — standards compliance: running the rules and reporting findings.
 *
 * The rules are Lua (core/lua/rules.lua, and plugins' sws.rule); each runs
 * as its own call under the budget of its kind (built-in rules as a policy,
 * read-only; plugin rules as their plugin). A rule that fails is reported
 * and the others still run.
 */
#ifndef SWS_CHECK_H
#define SWS_CHECK_H

#include <stdio.h>

#include "error.h"
#include "host.h"

typedef struct sws_finding {
    char *rule, *severity, *station, *name, *county, *message, *actual, *required, *layer;
    char *plugin;         /* the plugin whose rule found it, or NULL (a core rule) */
} sws_finding;

typedef struct sws_check_opts {
    const char *county;   /* 6-digit code, or NULL */
    const char *station;  /* 9-digit code, or NULL */
    int year;             /* the service year checked */
    const char *as_of;    /* YYYY-MM-DD ages and transitions are judged on */
    int jobs;             /* processes sharing the chunks of stations (workers.h); 0 or 1:
                           * this one alone */
} sws_check_opts;

typedef struct sws_check_result {
    sws_finding *findings; /* sorted by county, station, severity, rule */
    int n;
    int stations;          /* stations checked */
    int rule_errors;       /* rules that failed to run, and county policies that failed to
                            * load (their stations left out); reported on stderr */
} sws_check_result;

/* Runs every rule over the scope. 0, or -1 with e (nothing to check, or the
 * rules could not be set up). */
int sws_check_run(sws_host *h, const sws_check_opts *o, sws_check_result *r, sws_error *e);
void sws_check_free(sws_check_result *r);

/* Writes the findings as text, JSON (with the coverage figures) or CSV. */
int sws_check_print(sws_host *h, const sws_check_opts *o, const sws_check_result *r,
                    const char *format, FILE *out, sws_error *e);

/* Calls fn with a line per finding of a plugin rule ("rule 'x' of plugin y
 * (file:line) at STATION: message") in the checks this host ran since it
 * began or forgot them (at most 50). */
void sws_check_each_plugin_finding(sws_host *h, void (*fn)(const char *line, void *ud), void *ud);
void sws_check_forget_plugin_findings(sws_host *h);

/* How many findings rule `id` produced in the checks this host ran. */
long sws_check_fired(sws_host *h, const char *rule);

/* A summary computed with the rules (core/lua/rules.lua): fn is "coverage"
 * (per administering unit and in total, against the city policy's
 * coverage.targets, on the audit trail's effective dates: the one source of
 * these figures for `sws check`, sws.coverage, the reports and the demo;
 * docs/checks.md) or
 * "county_reports_summary" (each unit's annual report: delivered, due,
 * overdue). JSON text in *json and the text line in *line, both malloc'd.
 * 0, or -1 with e. */
int sws_check_summary(sws_host *h, const sws_check_opts *o, const char *fn, char **json,
                      char **line, sws_error *e);

/* Calls fn for each built-in and plugin rule: id, default severity, what it checks. */
void sws_check_each_rule(sws_host *h, void (*fn)(const char *id, const char *severity,
                                                 const char *doc, void *ud), void *ud);

/* 3 for "violation", 2 for "warning", 1 for any other severity, 0 for none. */
int sws_check_severity_rank(const char *severity);

#endif
