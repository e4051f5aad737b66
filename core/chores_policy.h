/*
 * chores_policy.h — bringing the stored chore verdicts in step with the
 * policies (see chores.h).
 */
#ifndef SWS_CHORES_POLICY_H
#define SWS_CHORES_POLICY_H

#include <stdio.h>

#include "error.h"
#include "host.h"

/* For every administering unit (a county, or a zone) with a station:
 * records the chore patterns of its policy and, when they changed, judges
 * the service records of its townships again (reporting each such unit to
 * `progress` when not NULL); then judges the
 * records not judged yet. One savepoint: all or nothing. 0, or -1 with e. */
int sws_chores_sync(sws_host *h, FILE *progress, sws_error *e);

/* Changes nothing: lists to out (when not NULL) the counties whose records
 * were not judged with their policy's current patterns, and the number of
 * records not judged yet. Returns counties plus records out of step, or -1
 * with e. */
long long sws_chores_out_of_step(sws_host *h, FILE *out, sws_error *e);

#endif
