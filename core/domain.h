/*
 * domain.h — the station domain's vocabularies (room kinds, worker roles, …).
 *
 * Each term has a stable English code, stored in the database, and the
 * Chinese label of the guideline, printed in reports. Import accepts either.
 * The schema's CHECK constraints mirror these lists; tests/unit/test_domain.c
 * proves the two agree.
 */
#ifndef SWS_DOMAIN_H
#define SWS_DOMAIN_H

#include <stddef.h>

typedef struct sws_term {
    const char *code;
    const char *label;
} sws_term;

typedef struct sws_vocab {
    const char *name;       /* e.g. "room kind" */
    const char *table;      /* table whose CHECK constraint mirrors it */
    const char *column;
    const sws_term *terms;
    size_t n;
} sws_vocab;

extern const sws_vocab sws_room_kinds, sws_facility_kinds, sws_institution_kinds,
    sws_worker_roles, sws_qualifications, sws_hiring_routes, sws_client_categories,
    sws_service_domains, sws_service_methods, sws_funding_categories,
    sws_funding_sources, sws_eval_phases, sws_assessors, sws_org_kinds,
    sws_charity_kinds, sws_consent_states, sws_engagement_routes;

/* Every vocabulary, NULL-terminated, for tests and documentation. */
extern const sws_vocab *const sws_vocabularies[];

/* Finds a term by code or by Chinese label; NULL when neither matches. */
const sws_term *sws_vocab_find(const sws_vocab *v, const char *code_or_label);

/* Writes "a, b, c" (the codes) into buf for error messages; returns buf. */
char *sws_vocab_list(const sws_vocab *v, char *buf, size_t n);

#endif
