/*
 * workflow.h — the construction workflow of each station.
 *
 * One instance per station, pinned to the policy (name and version) that
 * started it. An advance runs every guard of the target stage in the
 * sandbox; if any fails, nothing changes and every reason is reported (the
 * refusal is kept in workflow_rejection, apart from the audit trail). An
 * accepted advance is one transaction: the stage, an append-only audit
 * event with the guard results, and the deadlines the new stage opens.
 */
#ifndef SWS_WORKFLOW_H
#define SWS_WORKFLOW_H

#include <stdio.h>

#include "date.h" /* sws_today */
#include "error.h"
#include "host.h"

/* Results of sws_workflow_advance. */
enum { SWS_WF_MOVED = 0, SWS_WF_REFUSED = 1 };

typedef struct sws_wf_move {
    const char *station;
    const char *to;
    const char *actor;
    const char *reason; /* may be NULL */
    const char *as_of;  /* YYYY-MM-DD, the effective date; NULL: today */
    const char *role;   /* the role the actor takes the step in (sws_wf_roles); NULL: none */
    FILE *report;       /* where refusals are explained (may be NULL) */
    int quiet;          /* no line for an accepted move */
    int dry_run;        /* run every guard and say what would happen; write nothing
                         * (not even the refusal row) */
} sws_wf_move;

/* A station's workflow: its stage and the policy it is pinned to. */
typedef struct sws_wf_instance {
    char stage[64], policy[64], version[64], started[32];
} sws_wf_instance;

/* Reads the instance of station: 1 found, 0 none, -1 error (in e). */
int sws_workflow_instance(sws_host *h, const char *station, sws_wf_instance *in, sws_error *e);

/* The roles a step may be taken in: city, county, township, expert,
 * assessor (NULL-terminated). A policy's workflow.stages[stage].role names
 * the one that may enter the stage. */
extern const char *const sws_wf_roles[];

/* NULL when role is one of sws_wf_roles, else a message naming them. */
const char *sws_wf_role_invalid(const char *role);

/* Starts the workflow of station (a township code) on as_of (NULL: today),
 * by actor in role (may be NULL unless the initial stage names a role).
 * 0, or -1 with e. */
int sws_workflow_start(sws_host *h, const char *station, const char *actor, const char *role,
                       const char *as_of, sws_error *e);

/* Moves a station to another stage: SWS_WF_MOVED, SWS_WF_REFUSED (guards or
 * a vetoing plugin said no; explained on m->report), or -1 with e. With
 * m->dry_run the same answer is given and everything is rolled back. */
int sws_workflow_advance(sws_host *h, const sws_wf_move *m, sws_error *e);

/* Prints the stage and open deadlines of one station, or of every station
 * of a county (county may be NULL with station set). */
int sws_workflow_status(sws_host *h, const char *station, const char *county, const char *as_of,
                        FILE *out, sws_error *e);

/* Prints the audit trail (and refusals) of a station. */
/* Prints the pipeline of the city (or of one county when county is not
 * NULL): per county, how many stations are at each stage; then every
 * deadline still open and past on as_of (NULL: today). 0, or -1 with e. */
int sws_workflow_pipeline(sws_host *h, const char *county, const char *as_of, FILE *out,
                          sws_error *e);

int sws_workflow_history(sws_host *h, const char *station, FILE *out, sws_error *e);

/* Draws the workflow of county's policy as "dot" or "mermaid". */
int sws_workflow_graph(sws_host *h, const char *county, const char *format, FILE *out,
                       sws_error *e);

/* Moves instances of policy versions other than `version` to it. maps are
 * "old=new" stage mappings. Returns the number of instances refused (their
 * stage no longer exists and is not mapped), or -1 with e. */
int sws_workflow_migrate(sws_host *h, const char *county, const char *version,
                         char *const *maps, int nmaps, int dry_run, const char *actor, FILE *out,
                         sws_error *e);

/* The code of the unit administering station's township (its county, or
 * an industrial zone) into unit; the station's first 6 digits when the
 * township is unknown. 0, or -1 with e. */
int sws_workflow_unit(sws_host *h, const char *station, char unit[7], sws_error *e);

#endif
