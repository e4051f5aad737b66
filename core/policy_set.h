/*
 * policy_set.h — a set of policy files assembled aside, for previewing or
 * comparing a policy change without touching the live policies/ folder.
 *
 * A set is a temporary folder laid out like the project's home: policies/
 * with the files of the set, plugins/ and data/ linking to the live ones, so
 * that a host created on it (home = the set) loads the proposed policies
 * exactly as it would load the live ones. Proposed files are linked, not
 * copied: messages name them by the file the user gave (lapi_policy.c reads
 * a linked policy's name from the link).
 */
#ifndef SWS_POLICY_SET_H
#define SWS_POLICY_SET_H

#include <stdio.h>

#include "error.h"
#include "host.h"

typedef struct sws_policy_set {
    char home[4096]; /* the temporary home; "" when none was made */
    char label[512]; /* what the set is, for reports ("proposed: x.lua", "HEAD~1") */
} sws_policy_set;

/* The live policies with `with` laid over them: a FILE takes the place of
 * policies/<COUNTY>.lua when county is given, else of the file of its own
 * name; a DIR's *.lua files take the place of the live files of the same
 * names. 0, or -1 with e. */
int sws_policy_set_proposed(const char *live_home, const char *county, const char *with,
                            sws_policy_set *out, sws_error *e);

/* The policies/ folder of git revision `rev` of the repository that holds
 * live_home (`git show`). 0, or -1 with e. */
int sws_policy_set_revision(const char *live_home, const char *rev, sws_policy_set *out,
                            sws_error *e);

/* Removes the temporary folder (idempotent). */
void sws_policy_set_remove(sws_policy_set *s);

/* The policy names (file names without .lua) under home/policies, sorted;
 * returns how many (at most max). */
int sws_policy_names(const char *home, char names[][64], int max);

/* Loads policy `which` in h and validates it as `sws policy check` does:
 * every problem to `problems` as FILE:LINE: message, an "ok" line to `ok`
 * (may be NULL) when there is none. Returns the number of problems (a
 * policy that does not load counts one). */
int sws_policy_check(sws_host *h, const char *which, FILE *ok, FILE *problems);

#endif
