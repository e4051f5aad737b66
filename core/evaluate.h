/*
 * evaluate.h — scoring stations against their county policy's indicators.
 *
 * An evaluation covers one service year and one phase (mid-term or final)
 * for the stations of a city (the first four digits of the division code),
 * so that every station gets its rank in its county and in its city even
 * when only one county or one station is reported. Each station is scored
 * with its county's policy (policies/<county>.lua, else the city's):
 *   - computed items from the data (the Lua side, core/lua/indicators.lua:
 *     aggregate queries once per run, then each item's compute function);
 *   - assessor items from the scores imported with `sws import scores`,
 *     combined with the policy's assessor weights over the assessors the
 *     item lists and re-weighted over those who scored it; a listed
 *     assessor's missing score is a finding, never a silent zero;
 *   - dimension points scaled by county weight / the dimension's points in
 *     the phase, bonus points on top (at most the policy's maximum), veto
 *     entries that fail the station whatever its total, grade and stars.
 * docs/evaluation.md describes the rules for a county administrator.
 */
#ifndef SWS_EVALUATE_H
#define SWS_EVALUATE_H

#include <stdio.h>

#include "error.h"
#include "host.h"
#include "policy.h"

enum { SWS_EV_SELF, SWS_EV_GOVERNMENT, SWS_EV_THIRD_PARTY, SWS_EV_ASSESSORS };
/* "self", "government", "third_party" */
extern const char *const sws_ev_assessor_names[SWS_EV_ASSESSORS];

enum { SWS_EV_ITEM, SWS_EV_BONUS, SWS_EV_VETO }; /* what an entry of the plan is */

/* A score an assessor may give an item, with its meaning ("良", "是"). */
typedef struct sws_ev_level {
    double score;
    const char *label;
} sws_ev_level;

/* One scored entry of a plan: an item of the tree, a bonus item or a veto. */
typedef struct sws_ev_item {
    const char *code, *name, *type, *evidence;
    int kind;                 /* SWS_EV_ITEM, _BONUS, _VETO */
    int dim;                  /* index into the plan's dims (items only), else -1 */
    const char *ind_code, *ind_name; /* its indicator (items only) */
    double ind_points;
    double points;            /* 0 for veto entries */
    unsigned assessors;       /* bit (1 << SWS_EV_*) per assessor that scores it; 0: computed */
    sws_ev_level *levels;     /* the valid assessor scores (none for computed) */
    int nlevels;
} sws_ev_item;

typedef struct sws_ev_dim {
    const char *key, *code, *name;
    double weight;            /* the county's weight of the dimension */
    double tree_points;       /* points of all its items (= the city's weight) */
    double points;            /* points of its items in this phase */
} sws_ev_dim;

typedef struct sws_ev_band {
    const char *name;         /* grades */
    int stars;                /* stars */
    double min;
} sws_ev_band;

/* What one policy asks in one phase, flattened from its indicator tree. */
typedef struct sws_ev_plan {
    const char *policy, *version, *file;
    sws_ev_dim *dims;
    int ndims;
    sws_ev_item *items;       /* tree items by code, then bonus items, then veto entries */
    int nitems;
    double bonus_max;
    sws_ev_band *grades, *stars;
    int ngrades, nstars;
    double weights[SWS_EV_ASSESSORS]; /* assessor weights */
} sws_ev_plan;

/* The assessor scores of one entry for one station, as given. */
typedef struct sws_ev_given {
    double score[SWS_EV_ASSESSORS];
    const char *evidence[SWS_EV_ASSESSORS];
} sws_ev_given;

/* The outcome of one entry of the plan for one station. Kept small: a
 * national run holds one per item and station. */
typedef struct sws_ev_result {
    double earned;            /* points earned; veto: 1 when triggered */
    const char *why;          /* computed: the explanation of compute */
    const char *error;        /* computed: why it could not be computed */
    sws_ev_given *given;      /* scored: made with the first score on file (have) */
    unsigned have;            /* bit per assessor whose score is on file */
    unsigned missing;         /* bit per listed assessor whose score is not */
} sws_ev_result;

typedef struct sws_ev_station {
    char code[10], county[7];
    const char *name, *township, *county_name;
    int plan;                 /* index into the run's plans */
    sws_ev_result *res;       /* one per item of the plan */
    double *dim_earned;       /* per dimension of the plan: points earned, */
    double *dim_score;        /* and scaled by the county weight */
    double base;              /* the dimensions, out of 100 */
    double bonus, total;      /* total = base + bonus, rounded to 0.01 */
    int vetoed;
    const char *grade;
    int stars;
    int rank_county, rank_city, n_county, n_city;
    unsigned evaluations;     /* bit per assessor with an evaluation on file */
    int findings;             /* findings about this station */
    int shown;                /* within the reported scope */
} sws_ev_station;

/* Something the evaluation could not take at face value. */
enum { SWS_EV_MISSING, SWS_EV_INVALID, SWS_EV_IGNORED, SWS_EV_ERROR };
typedef struct sws_ev_finding {
    int station;              /* index into the run's stations */
    int kind;                 /* SWS_EV_MISSING, _INVALID, _IGNORED, _ERROR */
    const char *item;         /* item code, or NULL */
    int assessor;             /* SWS_EV_*, or -1 */
    const char *msg;
} sws_ev_finding;

typedef struct sws_eval_opts {
    int year;
    const char *phase;        /* "mid" or "final" */
    const char *county;       /* report only this county (6 digits), or NULL */
    const char *station;      /* report only this station (9 digits), or NULL */
    const char *as_of;        /* end of the period; NULL: 30 June (mid) or 31 December */
    int jobs;                 /* processes sharing the chunks of stations (workers.h); 0 or
                               * 1: this one alone */
    int without_whys;         /* nothing will show or store why an item earned its points:
                               * the computed items' explanations are not kept */
} sws_eval_opts;

typedef struct sws_eval_run {
    sws_host *h;
    int year;
    char phase[8], from[11], to[11];
    double share;             /* the period's share of the year (prorates yearly targets) */
    int keep_whys;            /* the computed items' explanations are kept (res->why) */
    char scope[7];            /* the reported county or station prefix ("" for all) */
    struct sws_ev_arena *arena;
    sws_policy *policies;     /* loaded policies, parallel to plans */
    sws_ev_plan *plans;
    int nplans, capplans;
    sws_ev_station *st;       /* sorted by administering unit, then code */
    sws_ev_station **index;   /* the same stations sorted by code (sws_eval_find) */
    int n, shown;
    sws_ev_finding *findings;
    int nfindings, capfindings, shown_findings;
    int session;              /* registry reference of the Lua session */
    /* Counties whose policy failed to load or validate: their stations were
     * left out (reported once on stderr; `sws eval score` exits 3). */
    struct sws_ev_broken { char county[8]; const char *error; } *broken;
    int nbroken;
} sws_eval_run;

/* Scores every station of the city of o->county / o->station (of every city
 * when neither is given). A county whose policy fails to load or validate is
 * left out and reported (r->broken); the others are scored. 0, or -1 with e
 * (nothing to evaluate, no station left whose policy loaded, a database
 * error). Free r with sws_eval_free. */
int sws_eval_run_new(sws_host *h, const sws_eval_opts *o, sws_eval_run *r, sws_error *e);
void sws_eval_free(sws_eval_run *r);

/* The station with code, or NULL. */
sws_ev_station *sws_eval_find(sws_eval_run *r, const char *code);

/* Writes the reported stations' scores and ranks: "text" (a ranking per
 * county, then the findings), "json" or "csv". 0, or -1 with e. */
int sws_eval_print(sws_eval_run *r, const char *format, FILE *out, sws_error *e);

/* Writes how station `code` earned or lost every point, "text" (the largest
 * point losses first, then dimension by dimension) or "json". 0, or -1 with e. */
int sws_eval_explain(sws_eval_run *r, const char *code, const char *format, FILE *out,
                     sws_error *e);

/* Copies s into the run's memory (NULL stays NULL). */
const char *sws_ev_strdup(sws_eval_run *r, const char *s);
/* n zeroed bytes of the run's memory (NULL when out of memory). */
void *sws_ev_alloc(sws_eval_run *r, size_t n);

/* ---- the Lua side (lapi_eval.c) ---------------------------------------- */

/* Reads the plan of r->phase from policy p into out. 0, or -1 with e. */
int sws_eval_lua_plan(sws_eval_run *r, sws_policy *p, sws_ev_plan *out, sws_error *e);

/* Starts the Lua session for `count` of the run's stations from index
 * `first`, and the run's period. 0, or -1. */
int sws_eval_lua_begin(sws_eval_run *r, int first, int count, sws_error *e);

/* Runs the aggregate queries of p that the session has not run. 0, or -1. */
int sws_eval_lua_aggregates(sws_eval_run *r, sws_policy *p, sws_error *e);

/* Runs the computed entries of the `count` stations of r->st from `first`
 * (the session's), each station under a budget of its own, filling earned,
 * why and error of their results; calls on_station(ud) as each begins. A
 * station whose computation fails as a whole (its budget spent) carries the
 * error on each computed entry, and the others go on. */
void sws_eval_lua_stations(sws_eval_run *r, int first, int count, void (*on_station)(void *),
                           void *ud);

/* Ends the session (idempotent). */
void sws_eval_lua_end(sws_eval_run *r);

/* Emits `evaluation.scored` with the reported results, if anyone listens. */
void sws_eval_lua_emit(sws_eval_run *r);

/* ---- shared by evaluate.c (computing) and eval_report.c (presenting) ---- */

/* x rounded to 2 decimals (half away from zero). */
double sws_ev_round2(double x);

/* x as printed in scores and messages (at most 2 decimals, no trailing
 * zeros) into buf; returns buf. */
const char *sws_ev_num(char buf[32], double x);

/* The assessors of bit mask `mask` ("self, government") into buf. */
const char *sws_ev_assessor_list(unsigned mask, char *buf, size_t n);

/* The label of item it's level worth `score`, or NULL when no level is. */
const char *sws_ev_level_of(const sws_ev_item *it, double score);

/* qsort order of stations (sws_ev_station *): not vetoed first, then by
 * total, best first, then by code. */
int sws_ev_by_rank(const void *a, const void *b);

#endif
