/*
 * retention.h — service objects are deactivated, never deleted, and the
 * personal fields of closed cases are cleared once the retention period of
 * their county's policy (`privacy.retention_years`) has passed.
 *
 * The fields cleared are name, address, id_masked, phone_masked and
 * birth_date (birth_year stays: reports count ages by it); the row, its
 * category and its service records stay for the statistics. Each cleared
 * object gets a row in the append-only retention_log (what was cleared,
 * when, under which policy).
 */
#ifndef SWS_RETENTION_H
#define SWS_RETENTION_H

#include "error.h"
#include "host.h"

typedef struct sws_retention_result {
    long cleared; /* objects whose personal fields were cleared */
    long fields;  /* fields cleared in all */
} sws_retention_result;

/* Clears the personal fields of every case closed more than its county's
 * retention period before as_of (one transaction; `dry_run` counts only).
 * 0, or -1 with e. */
int sws_retention_run(sws_host *h, const char *as_of, int dry_run, sws_retention_result *r,
                      sws_error *e);

/* Marks client `code` deactivated on as_of (it stays in every count of
 * the past). 0, 1 when there is no such client, -1 with e. */
int sws_client_deactivate(sqlite3 *db, const char *code, const char *as_of, sws_error *e);

#endif
