/*
 * access_log.h — who saw unmasked personal data, when, what and why.
 *
 * Every output made with `--reveal --reason TEXT` adds one row to the
 * append-only table access_log (the schema refuses updates, and deletes of
 * rows younger than six months). `sws audit log` prints it.
 */
#ifndef SWS_ACCESS_LOG_H
#define SWS_ACCESS_LOG_H

#include <sqlite3.h>
#include <stdio.h>

#include "error.h"

/* The person running sws: $SWS_USER, else the login name of the process.
 * Written into buf (n bytes); returns buf. */
const char *sws_access_who(char *buf, size_t n);

/* Appends a row (time now, in UTC; ID and mobile numbers in `what` and
 * `reason` masked); `reason` must not be blank. 0, or -1 with e. */
int sws_access_log_add(sqlite3 *db, const char *who, const char *what, const char *reason,
                       const char *as_of, sws_error *e);

/* Prints the rows since `since` (YYYY-MM-DD, or NULL for all), oldest first,
 * as text or JSON. 0, or -1 with e. */
int sws_access_log_print(sqlite3 *db, const char *since, const char *format, FILE *out,
                         sws_error *e);

#endif
