/*
 * gen.h — the deterministic generator of synthetic demo and benchmark data.
 *
 * Real division codes and names come in (a townships file); everything else
 * (population, stations, staff, services, money) is made up and labelled so:
 * names carry 合成 ("synthetic") and the output folder gets a SYNTHETIC.txt.
 * Each township's rows depend only on its code and the seed, so a city
 * generated alone matches the same city inside a province-wide run.
 */
#ifndef SWS_GEN_H
#define SWS_GEN_H

#include "error.h"

typedef struct sws_gen_opts {
    const char *townships_csv; /* code,name,county_code (extra columns ignored) */
    const char *counties_csv;  /* code,name; optional: names the station of a
                                * county-level unit without townships (龙港市) */
    const char *units_csv;     /* optional: code,admin_code of townships administered by
                                * a unit that is not their county (industrial zones) */
    const char *out_dir;       /* created if missing */
    long services;             /* service records in all; <0 means 200 per station */
    int year;                  /* the service year */
    double coverage;           /* the share of townships given a station, above 0 up to
                                * 1 (0 means 1); the others get only their villages */
    unsigned long long seed;
} sws_gen_opts;

typedef struct sws_gen_counts {
    long townships, stations, villages, workers, services;
} sws_gen_counts;

/* The order in which the generated files must be imported (parents first),
 * NULL-terminated; each file is DIR/<kind>.csv. */
extern const char *const sws_gen_kinds[];

/* Writes DIR/<kind>.csv for every kind of sws_gen_kinds. 0 or -1 with e. */
int sws_generate(const sws_gen_opts *o, sws_gen_counts *counts, sws_error *e);

#endif
