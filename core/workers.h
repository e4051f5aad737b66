/*
 * workers.h — the chunks of a long run (a check or an evaluation of many
 * counties) shared among worker processes, one per CPU.
 *
 * The caller opens a read transaction, then starts the workers: forked
 * copies of itself that inherit the transaction, the loaded policies and
 * plugins, and read inside that transaction, so every chunk sees the same
 * data. SQLite's warning against carrying a connection across fork() is
 * about its locks, which belong to the process that took them; so a worker
 * never writes (its copy of the connection is query_only), never ends the
 * transaction, never closes the connection and leaves with _exit, and the
 * caller keeps the transaction, and its locks, until every worker has ended
 * (sws_workers_finish).
 *
 * The caller works too. Each process claims the next chunk from a counter in
 * shared memory, so a slow worker holds back no one. A worker writes what it
 * found to its own in-memory file, which the caller reads once it has ended;
 * the put and get functions below write and read the values of that stream.
 */
#ifndef SWS_WORKERS_H
#define SWS_WORKERS_H

#include <sqlite3.h>
#include <stdio.h>

#include "error.h"

typedef struct sws_workers sws_workers;

/* The default number of processes: the CPUs online, at most 8. */
int sws_workers_default(void);

/* Starts jobs - 1 workers (none when jobs or nchunks is below 2, or a worker
 * cannot be started: the caller then runs every chunk) for nchunks chunks,
 * with db in the caller's open read transaction. NULL with e when out of
 * memory. In a worker sws_workers_out is not NULL. */
sws_workers *sws_workers_start(sqlite3 *db, int jobs, int nchunks, sws_error *e);

/* "N chunks of stations, P processes" (the workers started and the
 * caller), for --verbose. */
void sws_workers_describe(const sws_workers *w, char *line, size_t n);

/* The chunk this process runs next, or -1 when none is left (or a process
 * has failed). */
int sws_workers_next(sws_workers *w);

/* Adds n to the units done by every process and returns the total (for a
 * progress bar, which only the caller draws). */
long sws_workers_add_done(sws_workers *w, long n);

/* In a worker, the stream its results go to; NULL in the caller. */
FILE *sws_workers_out(const sws_workers *w);

/* In a worker: ends it, successfully, or with the error `why`, which the
 * caller's sws_workers_finish returns. Never returns. */
_Noreturn void sws_workers_exit(sws_workers *w, const char *why);

/* In the caller, on its own failure: no process claims another chunk. */
void sws_workers_stop(sws_workers *w);

/* In the caller: waits for every worker, then calls read(in, ud) on each
 * one's results (in the order they were started), and frees w (NULL is
 * fine). read returns 0, or -1 with e. 0, or -1 with e: a worker's error,
 * its death (signal or exit status), or unreadable results. */
int sws_workers_finish(sws_workers *w, int (*read)(FILE *in, void *ud, sws_error *e), void *ud,
                       sws_error *e);

/* The values of a result stream: a string or NULL, a whole number, a number. */
void sws_workers_put_str(FILE *out, const char *s);
void sws_workers_put_int(FILE *out, long long v);
void sws_workers_put_num(FILE *out, double v);

/* The same, read back: 0, or -1 at the end of the stream or on a short
 * read. get_str gives a malloc'd string (or NULL as written) in *s. */
int sws_workers_get_str(FILE *in, char **s);
int sws_workers_get_int(FILE *in, long long *v);
int sws_workers_get_num(FILE *in, double *v);

#endif
