/*
 * aggregates.h — service records counted per station and month; training
 * and working time summed per worker and year; volunteer service summed per
 * volunteer and year.
 *
 * service_month holds, per station and month, the number of service records,
 * of chores among them, and of records per method and per domain. The
 * check and the evaluation read it instead of the records, so their cost
 * follows the stations, not the records or the years kept.
 *
 * It is kept in the transaction of every write: triggers on service_record
 * (migration 8) count rows written by scripts, plugins and corrections; an
 * import counts its rows in memory, pauses the triggers inside its own
 * savepoint and adds its counts before it commits (the three calls below,
 * made by import.c). `sws doctor` recomputes the counts from the records
 * and reports (or repairs) every difference.
 *
 * service_year holds the same counts per station and year, kept the same
 * way: the triggers count every other write in both (migration 27), and
 * sws_agg_import_end recomputes each station-year the import added
 * records to from its months, once each.
 *
 * worker_year holds, per worker and year, the whole minutes of training and
 * of work (in communities too) and how many records they come from; its
 * triggers (migration 23) keep it in the transaction of every write to
 * training and worktime.
 *
 * volunteer_year holds, per volunteer and year, the whole milliseconds of
 * service and how many records they come from, under the volunteer's
 * station; its triggers (migration 25) keep it in the transaction of every
 * write to volunteer_service and volunteer.
 *
 * station_clients holds each station's service objects on file; its
 * triggers (migration 30) keep it in the transaction of every write to
 * client.
 *
 * village_contact_worker holds each village contact with its worker's
 * employment dates and qualification; its triggers (migration 31) keep it
 * in the transaction of every write to village_contact and worker.
 */
#ifndef SWS_AGGREGATES_H
#define SWS_AGGREGATES_H

#include <sqlite3.h>
#include <stdio.h>

#include "error.h"

typedef struct sws_agg_import sws_agg_import;

/* Starts counting the rows an import of `table` stores, in the import's
 * open transaction. NULL (and 0) when the table has no aggregates; NULL and
 * -1 in *rc with e on failure. */
sws_agg_import *sws_agg_import_begin(sqlite3 *db, const char *table, int *rc, sws_error *e);

/* Counts one stored row, given its station, date, domain and method. */
void sws_agg_import_row(sws_agg_import *a, const char *station, const char *date,
                        const char *domain, const char *method);

/* Adds the counted rows to service_month (and the chores among them, as
 * sws_chore judged them) and lifts the pause. 0, or -1 with e. */
int sws_agg_import_end(sws_agg_import *a, sws_error *e);

/* Frees a (NULL is fine); after a failure the import's rollback undoes the pause. */
void sws_agg_import_free(sws_agg_import *a);

/* Recomputes service_month from service_record and compares: writes each
 * differing station and month to out (at most max_listed of them) and
 * returns how many differ, or -1 with e. With repair, replaces the stored
 * counts by the recomputed ones in the same transaction. */
long sws_agg_doctor(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);

/* The same for worker_year against training and worktime: the rows of each
 * differing worker-year (its kept and its recomputed row) to out, at most
 * max_listed rows; returns how many worker-years differ, or -1 with e.
 * With repair, rebuilds worker_year. */
long sws_agg_doctor_workers(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);

/* The same for service_year against service_month (run after
 * sws_agg_doctor, whose repair it follows): the rows of each differing
 * station-year to out, at most max_listed rows; returns how many
 * station-years differ, or -1 with e. With repair, rebuilds service_year. */
long sws_agg_doctor_years(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);

/* The same for volunteer_year against volunteer_service and volunteer:
 * the rows of each differing volunteer-year to out, at most max_listed
 * rows; returns how many volunteer-years differ, or -1 with e. With
 * repair, rebuilds volunteer_year. */
long sws_agg_doctor_volunteers(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);

/* The same for station_clients against client: the rows of each differing
 * station to out, at most max_listed rows; returns how many stations
 * differ, or -1 with e. With repair, rebuilds station_clients. */
long sws_agg_doctor_clients(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);

/* The same for village_contact_worker against village_contact and worker:
 * the rows of each differing contact to out, at most max_listed rows;
 * returns how many contacts differ, or -1 with e. With repair, rebuilds
 * village_contact_worker. */
long sws_agg_doctor_contacts(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);

#endif
