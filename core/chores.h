/*
 * chores.h — judging service records: a service, or a township chore.
 *
 * The guideline forbids logging township administrative chores as services.
 * Each service record is judged once, when it is stored, against the chore
 * patterns of the policy of its township's administering unit (its county,
 * or a zone such as 330391 whose townships lie inside NBS counties), and
 * the verdict is kept in service_record.chore: '' for a service, the
 * pattern that matched for a chore, NULL while not judged. chore_judgement
 * keeps, per unit (its column county_code holds the unit's code), the
 * patterns (and the policy and its hash) the unit's records were judged
 * with; when a policy's patterns change, that unit's records are judged
 * again, once (see chores_policy.c, which reads the patterns from the
 * policies).
 */
#ifndef SWS_CHORES_H
#define SWS_CHORES_H

#include <sqlite3.h>

#include "error.h"

/* Registers the SQL function sws_chore(station_code, description) on db
 * (once per connection; again is a no-op): the verdict for one record under
 * the recorded patterns of its township's administering unit ('' or the
 * pattern), NULL when the unit has no recorded patterns yet. The import stores it with every service
 * record. 0, or -1 with e. */
int sws_chores_register(sqlite3 *db, sws_error *e);

/* Records that the records of unit `county` (an administering unit's code)
 * are judged with `patterns` (newline separated) of policy `policy` (hash
 * `hash`); when they differ from the recorded ones, judges every record of
 * the unit's townships again, in the current transaction. Returns the
 * number of records judged (0 when the patterns are unchanged), or -1 with
 * e; *first is set when the unit had no patterns recorded before (its
 * records were never judged). */
long long sws_chores_set_county(sqlite3 *db, const char *county, const char *patterns,
                                const char *policy, const char *hash, int *first, sws_error *e);

/* Judges every record not judged yet (written outside the import). Returns
 * how many, or -1 with e. */
long long sws_chores_judge_pending(sqlite3 *db, sws_error *e);

#endif
