/*
 * policy_diff.h — `sws policy diff`: the effective policies (after
 * inheritance) of two policy sets, value by value, with the file and line
 * that set each side.
 */
#ifndef SWS_POLICY_DIFF_H
#define SWS_POLICY_DIFF_H

#include <stdio.h>

#include "error.h"
#include "host.h"

typedef struct sws_policy_diff_opts {
    const char *county; /* one county (6 digits), or NULL for every policy */
    const char *format; /* "text" or "json" */
    const char *before_home, *before_label;
    const char *after_home, *after_label;
    /* Makes a host on home (no plugins needed), or NULL after saying why. */
    sws_host *(*make_host)(const char *home, void *ud);
    void *ud;
} sws_policy_diff_opts;

/* Writes the differences; returns how many values differ, or -1 with e. A
 * value differs when its text differs or when another file sets it (a
 * function moved to the county's file, say); lines that only moved do not
 * count. */
int sws_policy_diff(const sws_policy_diff_opts *o, FILE *out, sws_error *e);

#endif
