/*
 * eval_runs.h — stored evaluation runs: saving, listing, publishing,
 * reading back and comparing.
 *
 * `sws eval score --save` stores the run it scored: the period, every
 * county's policy (name, version, content hash, and the plan — the
 * indicator tree with its weights and bands — that scored it), and per
 * station the totals, dimension scores, grade, stars, ranks, each item's
 * points with its explanation and assessor scores, and the findings. A run
 * read back is an sws_eval_run like a fresh one, so explain and the reports
 * print it as it was. A published run is never changed or deleted (the
 * schema's triggers refuse it); scoring again makes a new run.
 */
#ifndef SWS_EVAL_RUNS_H
#define SWS_EVAL_RUNS_H

#include <stdio.h>

#include "error.h"
#include "evaluate.h"

/* Stores every station of run r as a new draft run scored on `scored_on`
 * (YYYY-MM-DD); its number into *id. One transaction: 0, or -1 with e and
 * nothing stored. */
int sws_eval_save(sws_eval_run *r, const char *scored_on, long long *id, sws_error *e);

/* Reads stored run `id` into r (free it with sws_eval_free); stations of
 * county `county` are the reported ones when it is not NULL. 0, or -1. */
int sws_eval_load(sws_host *h, long long id, const char *county, sws_eval_run *r, sws_error *e);

/* Lists the stored runs: number, year, phase, period, date scored,
 * stations, published date or "draft", and the policies. */
int sws_eval_runs_print(sqlite3 *db, FILE *out, sws_error *e);

/* Publishes run `id` on `date`. 0, or -1 with e (no such run, or it is
 * published already). */
int sws_eval_publish(sqlite3 *db, long long id, const char *date, sws_error *e);

/* Compares runs a and b: per station the change of total, grade, stars and
 * ranks, largest change first; with `station`, its dimensions and items.
 * format "text" or "json". Returns the number of stations that changed, or
 * -1 with e. */
int sws_eval_compare(sqlite3 *db, long long a, long long b, const char *station, const char *format,
                     FILE *out, sws_error *e);

#endif
