/*
 * policy.h — county policies as the C core sees them.
 *
 * A policy is a Lua table built by policies/<name>.lua (see core/lua/policy.lua
 * for inheritance and validation). The workflow engine asks it questions
 * through these functions and never touches the Lua stack itself.
 */
#ifndef SWS_POLICY_H
#define SWS_POLICY_H

#include <lua.h>
#include <stdio.h>

#include "error.h"
#include "host.h"

typedef struct sws_policy {
    sws_host *h;
    int ref;            /* registry reference to the effective policy table */
    char name[64];      /* policy name (e.g. "330302" or "default") */
    char version[64];
    char file[256];     /* e.g. policies/330302.lua */
} sws_policy;

/* The result of one guard of a transition. */
typedef struct sws_guard_result {
    char name[64];
    char where[160];    /* file:line of the guard function */
    int ok;
    char reasons[640];  /* "; "-separated when it failed */
} sws_guard_result;

/* The policy for COUNTY (policies/<county>.lua, else the city's default.lua),
 * or, when `which` names a .lua file or a policy name, that one. Loaded in
 * the host as a policy (read-only database). 0, or -1 with e. */
int sws_policy_load(sws_host *h, const char *which, sws_policy *out, sws_error *e);

/* The name of the policy that governs county `county` (file name without .lua). */
void sws_policy_for_county(sws_host *h, const char *county, char *name, size_t n);

void sws_policy_release(sws_policy *p);


/* Writes every problem as "file:line: message" to out; returns how many, or -1 with e. */
int sws_policy_validate(sws_policy *p, FILE *out, sws_error *e);

typedef struct sws_policy_show_opts {
    int explain;        /* add the file:line that set each value */
    const char *key;    /* only this key path and what lies under it (NULL: all) */
    int only_overrides; /* only values the county set (not the city's default.lua) */
    int json;           /* a JSON array of {path, value, file, line} */
} sws_policy_show_opts;

/* Writes the effective values o selects. 0, or -1 with e (a key that
 * matches nothing is an error naming the nearest key). */
int sws_policy_show(sws_policy *p, FILE *out, const sws_policy_show_opts *o, sws_error *e);

/* Calls fn for every effective value of p (sorted by path; lists and
 * functions shown as text), with the file and line that set it. 0, or -1. */
int sws_policy_each_value(sws_policy *p,
                          void (*fn)(const char *path, const char *value, const char *file,
                                     int line, void *ud),
                          void *ud, sws_error *e);

/* The content hash of p's files (the city's and the county's, names and
 * bytes) as 16 hex digits into out. 0, or -1 with e when a file is gone. */
int sws_policy_content_hash(sws_policy *p, char out[17], sws_error *e);

/* The workflow's initial stage into buf; 0 or -1. */
int sws_policy_initial(sws_policy *p, char *buf, size_t n);

/* 1 when stage exists. */
int sws_policy_has_stage(sws_policy *p, const char *stage);

/* 1 when `stage` counts as operating for the coverage of the city's targets
 * (one of coverage.operating_stages). */
int sws_policy_stage_operating(sws_policy *p, const char *stage);

/* The role that may enter `stage` (workflow.stages[stage].role) into buf:
 * 1 when the stage names one, 0 when anyone may enter it. */
int sws_policy_stage_role(sws_policy *p, const char *stage, char *buf, size_t n);

/* 1 when the workflow moves from `from` to `to`; else 0 with the allowed
 * next stages ("a, b") in allowed. */
int sws_policy_can_move(sws_policy *p, const char *from, const char *to, char *allowed,
                        size_t n);

/* Runs every guard of entering `to` for station `code`. Fills up to max
 * results; returns how many guards ran (all of them run, even after one
 * fails), or -1 with e when the station cannot be read. */
int sws_policy_run_guards(sws_policy *p, const char *code, const char *from, const char *to,
                          const char *actor, const char *as_of, sws_guard_result *res, int max,
                          sws_error *e);

/* Calls fn(what, months, met_by) for each deadline that entering `stage`
 * opens; met_by is the stage whose entry meets it, or NULL. */
void sws_policy_deadlines(sws_policy *p, const char *stage,
                          void (*fn)(const char *what, int months, const char *met_by, void *ud),
                          void *ud);

/* Calls fn for each transition (from, to, label of from, label of to). */
void sws_policy_each_transition(sws_policy *p,
                                void (*fn)(const char *from, const char *to, const char *from_label,
                                           const char *to_label, void *ud),
                                void *ud);

/* Guards called so far in this host, by name (for `sws policy test` coverage):
 * calls fn(name, calls) for every guard of policy p. */
void sws_policy_guard_coverage(sws_policy *p, void (*fn)(const char *name, long calls, void *ud),
                               void *ud);

/* Registry keys (lua_rawgetp) of the policy library table and of the
 * guard-call counts; sws_lapi_open_policy (lapi_policy.c) sets them. */
extern const char sws_policy_key_lib, sws_policy_key_coverage;

/* Pushes the policy library's function `fn`, or module `module`'s when
 * module is not NULL (nil when absent). */
void sws_policy_push_lib(lua_State *L, const char *module, const char *fn);

/* Pushes the value at the dotted PATH of the effective policy (nil when absent). */
void sws_policy_push_value(sws_policy *p, const char *path);

/* The number at the dotted PATH of the effective policy ("privacy.retention_years")
 * into *out; 0, or -1 when it is absent or not a number. */
int sws_policy_number(sws_policy *p, const char *path, double *out);

/* The string at the dotted PATH of the effective policy ("annual_report.format")
 * into buf; 0, or -1 when it is absent or not a string. */
int sws_policy_string(sws_policy *p, const char *path, char *buf, size_t n);

/* Pushes the effective policy table. */
void sws_policy_push(sws_policy *p);

#endif
