/*
 * preview.h — what a policy change would do, shown before it goes live.
 *
 * A preview runs the same work twice on the live data — once with the live
 * policies, once with a proposed set (policy_set.h) — and reports the
 * difference: compliance findings that appear and disappear per station;
 * each station's total, grade, stars and ranks in the final evaluation, and
 * the county rankings, before and after; the workflow advances that the
 * guards would now refuse or allow; and the instances pinned to a version
 * that the proposal replaces (they would need `sws workflow migrate`).
 * Everything runs inside one transaction that is always rolled back, and no
 * event is emitted: a preview never writes.
 */
#ifndef SWS_PREVIEW_H
#define SWS_PREVIEW_H

#include <stdio.h>

#include "error.h"
#include "host.h"

typedef struct sws_preview_opts {
    const char *county; /* 6-digit code, or NULL for every county */
    int year;           /* the service year checked and evaluated */
    const char *as_of;  /* YYYY-MM-DD: ages, the evaluation period's end, guards */
    const char *format; /* "text", "json" or "html" */
    const char *live_home, *proposed_home; /* the two homes (policies/ under each) */
    const char *label;                     /* what the proposal is, for the report */
    /* Makes a host on home (with the plugins loaded), or NULL after saying why. */
    sws_host *(*make_host)(const char *home, void *ud);
    void *ud;
} sws_preview_opts;

/* ---- the result (preview.c fills it, preview_report.c prints it) ---------- */

/* A finding of one rule at one place, before and/or after (NULL: absent). */
typedef struct sws_pv_finding {
    char *place, *name, *rule, *severity;
    char *before, *after; /* the messages */
} sws_pv_finding;

/* A station's evaluation on both sides ([0] before, [1] after). */
typedef struct sws_pv_score {
    char code[10], county[7];
    char *name, *county_name, *grade[2];
    double total[2];
    int stars[2], rank_county[2], rank_city[2], vetoed[2], present[2];
} sws_pv_score;

/* A next advance whose answer changes: ok[side], reasons[side]. */
typedef struct sws_pv_move {
    char station[10], from[64], to[64];
    char *name, *reasons[2];
    int ok[2];
} sws_pv_move;

/* An instance pinned to a version the proposal replaces. */
typedef struct sws_pv_migrate {
    char station[10], stage[64], pinned[128], proposed[128];
    char *name;
    int stage_exists; /* 0: `migrate` needs --map for its stage */
} sws_pv_migrate;

typedef struct sws_preview {
    const sws_preview_opts *o;
    sws_pv_finding *findings; /* appear, disappear or change; by place, rule */
    int nfindings, total_findings[2];
    sws_pv_score *scores; /* every station evaluated in the scope, by code */
    int nscores;
    char *eval_error[2]; /* why a side could not be evaluated (NULL: it was) */
    sws_pv_move *moves;
    int nmoves, advances; /* advances looked at */
    sws_pv_migrate *migrate;
    int nmigrate, instances;
} sws_preview;

/* Writes the result as o->format. 0, or -1 with e. */
int sws_preview_print(const sws_preview *p, FILE *out, sws_error *e);

/* Runs the preview on db and writes the report to out. 0, or -1 with e. */
int sws_preview_run(sqlite3 *db, const sws_preview_opts *o, FILE *out, sws_error *e);

#endif
