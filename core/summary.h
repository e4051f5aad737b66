/*
 * summary.h — the short overview printed by `sws summary` and `sws demo`:
 * stations per county, staffing, and how many records each table holds.
 */
#ifndef SWS_SUMMARY_H
#define SWS_SUMMARY_H

#include <sqlite3.h>
#include <stdio.h>

#include "error.h"

/* Writes the summary as text, or as JSON when json is set. 0, or -1 with e. */
int sws_summary_print(sqlite3 *db, FILE *out, int json, sws_error *e);

#endif
