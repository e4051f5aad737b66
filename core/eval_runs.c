/*
 * eval_runs.c — storing an evaluation run and reading it back (eval_runs.h).
 *
 * The plan of each county (its flattened indicator tree, weights, grade and
 * star bands) is kept as JSON beside the county's policy name, version and
 * content hash; the results are rows (station, dimension, item, finding).
 * Reading a run back rebuilds the sws_eval_run that scored it, from those
 * rows alone: no policy file is read, so a stored run explains itself as it
 * was even after the policies changed.
 */
#include "eval_runs.h"

#include <cjson/cJSON.h>
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "grow.h"

/* ---- the plan as JSON ----------------------------------------------------------- */

static cJSON *plan_json(const sws_ev_plan *pl)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "bonus_max", pl->bonus_max);
    cJSON *w = cJSON_AddArrayToObject(o, "assessor_weights");
    for (int a = 0; a < SWS_EV_ASSESSORS; a++)
        cJSON_AddItemToArray(w, cJSON_CreateNumber(pl->weights[a]));
    cJSON *dims = cJSON_AddArrayToObject(o, "dims");
    for (int d = 0; d < pl->ndims; d++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "key", pl->dims[d].key);
        cJSON_AddStringToObject(x, "code", pl->dims[d].code);
        cJSON_AddStringToObject(x, "name", pl->dims[d].name);
        cJSON_AddNumberToObject(x, "weight", pl->dims[d].weight);
        cJSON_AddNumberToObject(x, "tree_points", pl->dims[d].tree_points);
        cJSON_AddNumberToObject(x, "points", pl->dims[d].points);
        cJSON_AddItemToArray(dims, x);
    }
    cJSON *items = cJSON_AddArrayToObject(o, "items");
    for (int i = 0; i < pl->nitems; i++) {
        const sws_ev_item *it = &pl->items[i];
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "code", it->code);
        cJSON_AddStringToObject(x, "name", it->name);
        cJSON_AddStringToObject(x, "type", it->type ? it->type : "");
        if (it->evidence)
            cJSON_AddStringToObject(x, "evidence", it->evidence);
        cJSON_AddNumberToObject(x, "kind", it->kind);
        cJSON_AddNumberToObject(x, "dim", it->dim);
        if (it->ind_code) {
            cJSON_AddStringToObject(x, "ind_code", it->ind_code);
            cJSON_AddStringToObject(x, "ind_name", it->ind_name ? it->ind_name : "");
        }
        cJSON_AddNumberToObject(x, "ind_points", it->ind_points);
        cJSON_AddNumberToObject(x, "points", it->points);
        cJSON_AddNumberToObject(x, "assessors", it->assessors);
        cJSON *lv = cJSON_AddArrayToObject(x, "levels");
        for (int l = 0; l < it->nlevels; l++) {
            cJSON *y = cJSON_CreateObject();
            cJSON_AddNumberToObject(y, "score", it->levels[l].score);
            cJSON_AddStringToObject(y, "label", it->levels[l].label ? it->levels[l].label : "");
            cJSON_AddItemToArray(lv, y);
        }
        cJSON_AddItemToArray(items, x);
    }
    cJSON *g = cJSON_AddArrayToObject(o, "grades");
    for (int i = 0; i < pl->ngrades; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddStringToObject(x, "name", pl->grades[i].name);
        cJSON_AddNumberToObject(x, "min", pl->grades[i].min);
        cJSON_AddItemToArray(g, x);
    }
    cJSON *s = cJSON_AddArrayToObject(o, "stars");
    for (int i = 0; i < pl->nstars; i++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "stars", pl->stars[i].stars);
        cJSON_AddNumberToObject(x, "min", pl->stars[i].min);
        cJSON_AddItemToArray(s, x);
    }
    return o;
}

static const char *jstr(sws_eval_run *r, const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? sws_ev_strdup(r, v->valuestring) : NULL;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* An array of n elements of size `size` in the run's memory for JSON array k. */
static void *jarray(sws_eval_run *r, const cJSON *o, const char *k, size_t size, int *n)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);
    *n = cJSON_IsArray(a) ? cJSON_GetArraySize(a) : 0;
    return sws_ev_alloc(r, (size_t)(*n ? *n : 1) * size);
}

/* Rebuilds a plan from its JSON into pl. 0, or -1 when out of memory. */
static int plan_from_json(sws_eval_run *r, const cJSON *o, sws_ev_plan *pl)
{
    pl->bonus_max = jnum(o, "bonus_max");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(o, "assessor_weights");
    for (int a = 0; a < SWS_EV_ASSESSORS; a++) {
        const cJSON *x = cJSON_GetArrayItem(w, a);
        pl->weights[a] = cJSON_IsNumber(x) ? x->valuedouble : 0;
    }
    if (!(pl->dims = jarray(r, o, "dims", sizeof *pl->dims, &pl->ndims)) ||
        !(pl->items = jarray(r, o, "items", sizeof *pl->items, &pl->nitems)) ||
        !(pl->grades = jarray(r, o, "grades", sizeof *pl->grades, &pl->ngrades)) ||
        !(pl->stars = jarray(r, o, "stars", sizeof *pl->stars, &pl->nstars)))
        return -1;
    for (int d = 0; d < pl->ndims; d++) {
        const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "dims"), d);
        sws_ev_dim *dim = &pl->dims[d];
        dim->key = jstr(r, x, "key");
        dim->code = jstr(r, x, "code");
        dim->name = jstr(r, x, "name");
        dim->weight = jnum(x, "weight");
        dim->tree_points = jnum(x, "tree_points");
        dim->points = jnum(x, "points");
    }
    for (int i = 0; i < pl->nitems; i++) {
        const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "items"), i);
        sws_ev_item *it = &pl->items[i];
        it->code = jstr(r, x, "code");
        it->name = jstr(r, x, "name");
        it->type = jstr(r, x, "type");
        it->evidence = jstr(r, x, "evidence");
        it->kind = (int)jnum(x, "kind");
        it->dim = (int)jnum(x, "dim");
        it->ind_code = jstr(r, x, "ind_code");
        it->ind_name = jstr(r, x, "ind_name");
        it->ind_points = jnum(x, "ind_points");
        it->points = jnum(x, "points");
        it->assessors = (unsigned)jnum(x, "assessors");
        if (!(it->levels = jarray(r, x, "levels", sizeof *it->levels, &it->nlevels)))
            return -1;
        for (int l = 0; l < it->nlevels; l++) {
            const cJSON *y = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(x, "levels"), l);
            it->levels[l].score = jnum(y, "score");
            it->levels[l].label = jstr(r, y, "label");
        }
        if (!it->code || !it->name)
            return -1;
    }
    for (int i = 0; i < pl->ngrades; i++) {
        const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "grades"), i);
        pl->grades[i].name = jstr(r, x, "name");
        pl->grades[i].min = jnum(x, "min");
    }
    for (int i = 0; i < pl->nstars; i++) {
        const cJSON *x = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, "stars"), i);
        pl->stars[i].stars = (int)jnum(x, "stars");
        pl->stars[i].min = jnum(x, "min");
    }
    return 0;
}

/* ---- saving --------------------------------------------------------------------- */

/* Binds values to a statement: 'i' int64, 'd' double, 't' text (NULL ok). */
static int exec_row(sqlite3 *db, sqlite3_stmt *st, const char *types, const void *const *v,
                    sws_error *e)
{
    for (int i = 0; types[i]; i++) {
        if (types[i] == 'i')
            sqlite3_bind_int64(st, i + 1, *(const long long *)v[i]);
        else if (types[i] == 'd')
            sqlite3_bind_double(st, i + 1, *(const double *)v[i]);
        else
            sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : sws_errorf(e, "storing the evaluation run: %s",
                                                sqlite3_errmsg(db));
}

/* Stores the policy and plan of every county of the run. */
static int save_counties(sws_eval_run *r, sqlite3 *db, long long id, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "INSERT INTO eval_run_county(run, county, policy, version, file, "
                           "hash, plan) VALUES(?, ?, ?, ?, ?, ?, ?)", &st, e) < 0)
        return -1;
    int rc = 0;
    const char *last = "";
    for (int i = 0; i < r->n && rc == 0; i++) {
        const sws_ev_station *s = &r->st[i];
        if (strcmp(s->county, last) == 0)
            continue;
        last = s->county;
        const sws_ev_plan *pl = &r->plans[s->plan];
        sws_policy *p = &r->policies[s->plan];
        char hash[17];
        if ((rc = sws_policy_content_hash(p, hash, e)) < 0)
            break;
        cJSON *j = plan_json(pl);
        char *text = j ? cJSON_PrintUnformatted(j) : NULL;
        cJSON_Delete(j);
        if (!text) {
            rc = sws_errorf(e, "out of memory");
            break;
        }
        const void *v[] = {&id, s->county, p->name, p->version, p->file, hash, text};
        rc = exec_row(db, st, "itttttt", v, e);
        free(text);
    }
    sqlite3_finalize(st);
    return rc;
}

static int save_station(sws_eval_run *r, sqlite3 *db, sqlite3_stmt *const st[4], long long id,
                        const sws_ev_station *s, sws_error *e)
{
    long long vetoed = s->vetoed, stars = s->stars, rank_county = s->rank_county,
              n_county = s->n_county, rank_city = s->rank_city, n_city = s->n_city,
              evaluations = s->evaluations, findings = s->findings;
    const void *v[] = {&id, s->code, s->county, s->name, s->township, s->county_name, &s->base,
                       &s->bonus, &s->total, &vetoed, s->grade, &stars, &rank_county, &n_county,
                       &rank_city, &n_city, &evaluations, &findings};
    if (exec_row(db, st[0], "itttttddditiiiiiii", v, e) < 0)
        return -1;
    const sws_ev_plan *pl = &r->plans[s->plan];
    for (int d = 0; d < pl->ndims; d++) {
        const void *dv[] = {&id, s->code, pl->dims[d].key, &s->dim_earned[d], &s->dim_score[d]};
        if (exec_row(db, st[1], "ittdd", dv, e) < 0)
            return -1;
    }
    for (int i = 0; i < pl->nitems; i++) {
        const sws_ev_result *res = &s->res[i];
        long long have = res->have, missing = res->missing;
        sqlite3_stmt *it = st[2];
        for (int a = 0; a < SWS_EV_ASSESSORS; a++)
            if (res->have & (1u << a)) {
                sqlite3_bind_double(it, 7 + a, res->given->score[a]);
                sqlite3_bind_text(it, 10 + a, res->given->evidence[a], -1, SQLITE_STATIC);
            }
        sqlite3_bind_int64(it, 1, id);
        sqlite3_bind_text(it, 2, s->code, -1, SQLITE_STATIC);
        sqlite3_bind_text(it, 3, pl->items[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_double(it, 4, res->earned);
        sqlite3_bind_text(it, 5, res->why, -1, SQLITE_STATIC);
        sqlite3_bind_text(it, 6, res->error, -1, SQLITE_STATIC);
        sqlite3_bind_int64(it, 13, have);
        sqlite3_bind_int64(it, 14, missing);
        if (exec_row(db, it, "", NULL, e) < 0)
            return -1;
    }
    return 0;
}

static int save_rows(sws_eval_run *r, sqlite3 *db, long long id, sws_error *e)
{
    static const char *const sql[4] = {
        "INSERT INTO eval_run_station(run, station, county, name, township, county_name, base, "
        "bonus, total, vetoed, grade, stars, rank_county, n_county, rank_city, n_city, "
        "evaluations, findings) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO eval_run_dimension(run, station, dimension, earned, score) "
        "VALUES(?, ?, ?, ?, ?)",
        "INSERT INTO eval_run_item(run, station, item, earned, why, error, self, government, "
        "third_party, self_evidence, government_evidence, third_party_evidence, have, missing) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "INSERT INTO eval_run_finding(run, seq, station, kind, item, assessor, message) "
        "VALUES(?, ?, ?, ?, ?, ?, ?)"};
    sqlite3_stmt *st[4] = {NULL, NULL, NULL, NULL};
    int rc = 0;
    for (int i = 0; i < 4 && rc == 0; i++)
        rc = sws_db_prepare(db, sql[i], &st[i], e);
    for (int i = 0; i < r->n && rc == 0; i++)
        rc = save_station(r, db, st, id, &r->st[i], e);
    for (int f = 0; f < r->nfindings && rc == 0; f++) {
        const sws_ev_finding *fd = &r->findings[f];
        long long seq = f + 1, kind = fd->kind, assessor = fd->assessor;
        const void *v[] = {&id, &seq, r->st[fd->station].code, &kind, fd->item, &assessor,
                           fd->msg};
        rc = exec_row(db, st[3], "iititit", v, e);
    }
    for (int i = 0; i < 4; i++)
        sqlite3_finalize(st[i]);
    return rc;
}

int sws_eval_save(sws_eval_run *r, const char *scored_on, long long *id, sws_error *e)
{
    sqlite3 *db = sws_host_db(r->h);
    if (sws_db_exec(db, "BEGIN IMMEDIATE", e) < 0)
        return -1;
    sqlite3_stmt *st;
    int rc = sws_db_prepare(db, "INSERT INTO eval_run(year, phase, period_from, period_to, "
                                "share, scored_on, stations) VALUES(?, ?, ?, ?, ?, ?, ?)", &st, e);
    if (rc == 0) {
        long long year = r->year, n = r->n;
        const void *v[] = {&year, r->phase, r->from, r->to, &r->share, scored_on, &n};
        rc = exec_row(db, st, "itttdti", v, e);
        sqlite3_finalize(st);
        *id = sqlite3_last_insert_rowid(db);
    }
    if (rc == 0)
        rc = save_counties(r, db, *id, e);
    if (rc == 0)
        rc = save_rows(r, db, *id, e);
    if (rc == 0)
        rc = sws_db_exec(db, "COMMIT", e);
    if (rc < 0)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* ---- reading back ------------------------------------------------------------------ */

static const char *col(sws_eval_run *r, sqlite3_stmt *st, int i)
{
    return sws_ev_strdup(r, (const char *)sqlite3_column_text(st, i));
}

/* The run's row: period and phase. 0, or -1 with e when there is no such run. */
static int load_head(sws_eval_run *r, sqlite3 *db, long long id, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT year, phase, period_from, period_to, share FROM eval_run "
                           "WHERE id = ?", &st, e) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->year = sqlite3_column_int(st, 0);
        snprintf(r->phase, sizeof r->phase, "%s", sqlite3_column_text(st, 1));
        snprintf(r->from, sizeof r->from, "%s", sqlite3_column_text(st, 2));
        snprintf(r->to, sizeof r->to, "%s", sqlite3_column_text(st, 3));
        r->share = sqlite3_column_double(st, 4);
    } else {
        rc = sws_errorf(e, "there is no evaluation run %lld (`sws eval runs` lists them)", id);
    }
    sqlite3_finalize(st);
    return rc;
}

/* One plan per county of the run, in county order. */
static int load_plans(sws_eval_run *r, sqlite3 *db, long long id, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT policy, version, file, plan, county FROM eval_run_county "
                           "WHERE run = ? ORDER BY county", &st, e) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        int cap = r->capplans;
        if (sws_grow(&r->policies, &cap, r->nplans, sizeof *r->policies) < 0 ||
            sws_grow(&r->plans, &r->capplans, r->nplans, sizeof *r->plans) < 0) {
            rc = sws_errorf(e, "out of memory");
            break;
        }
        sws_policy *p = memset(&r->policies[r->nplans], 0, sizeof *p);
        sws_ev_plan *pl = memset(&r->plans[r->nplans], 0, sizeof *pl);
        snprintf(p->name, sizeof p->name, "%s", sqlite3_column_text(st, 0));
        snprintf(p->version, sizeof p->version, "%s", sqlite3_column_text(st, 1));
        snprintf(p->file, sizeof p->file, "%s", sqlite3_column_text(st, 2));
        pl->policy = col(r, st, 0);
        pl->version = col(r, st, 1);
        pl->file = col(r, st, 2);
        cJSON *j = cJSON_Parse((const char *)sqlite3_column_text(st, 3));
        if (!j || plan_from_json(r, j, pl) < 0)
            rc = sws_errorf(e, "evaluation run %lld: the plan of county %s cannot be read", id,
                            sqlite3_column_text(st, 4));
        cJSON_Delete(j);
        r->nplans++;
    }
    sqlite3_finalize(st);
    return rc;
}

static int dim_index(const sws_ev_plan *pl, const char *key)
{
    for (int d = 0; d < pl->ndims; d++)
        if (strcmp(pl->dims[d].key, key) == 0)
            return d;
    return -1;
}

static int item_index(const sws_ev_plan *pl, const char *code)
{
    for (int i = 0; i < pl->nitems; i++)
        if (strcmp(pl->items[i].code, code) == 0)
            return i;
    return -1;
}

/* The stations (sorted by code) with their totals; plans are by county. */
static int load_stations(sws_eval_run *r, sqlite3 *db, long long id, const char *county,
                         sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT s.station, s.county, s.name, s.township, s.county_name, "
                           "s.base, s.bonus, s.total, s.vetoed, s.grade, s.stars, s.rank_county, "
                           "s.n_county, s.rank_city, s.n_city, s.evaluations, s.findings, "
                           "(SELECT count(*) FROM eval_run_county c WHERE c.run = s.run "
                           "AND c.county < s.county) FROM eval_run_station s WHERE s.run = ? "
                           "ORDER BY s.station", &st, e) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int cap = 0, rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (sws_grow(&r->st, &cap, r->n, sizeof *r->st) < 0) {
            rc = sws_errorf(e, "out of memory");
            break;
        }
        sws_ev_station *s = memset(&r->st[r->n++], 0, sizeof *s);
        snprintf(s->code, sizeof s->code, "%s", sqlite3_column_text(st, 0));
        snprintf(s->county, sizeof s->county, "%s", sqlite3_column_text(st, 1));
        s->name = col(r, st, 2);
        s->township = col(r, st, 3);
        s->county_name = col(r, st, 4);
        s->base = sqlite3_column_double(st, 5);
        s->bonus = sqlite3_column_double(st, 6);
        s->total = sqlite3_column_double(st, 7);
        s->vetoed = sqlite3_column_int(st, 8);
        s->grade = col(r, st, 9);
        s->stars = sqlite3_column_int(st, 10);
        s->rank_county = sqlite3_column_int(st, 11);
        s->n_county = sqlite3_column_int(st, 12);
        s->rank_city = sqlite3_column_int(st, 13);
        s->n_city = sqlite3_column_int(st, 14);
        s->evaluations = (unsigned)sqlite3_column_int(st, 15);
        s->findings = sqlite3_column_int(st, 16);
        s->plan = sqlite3_column_int(st, 17);
        s->shown = !county || strcmp(s->county, county) == 0;
        r->shown += s->shown;
        const sws_ev_plan *pl = s->plan < r->nplans ? &r->plans[s->plan] : NULL;
        if (!pl)
            rc = sws_errorf(e, "evaluation run %lld: county %s has no plan", id, s->county);
        else if (!(s->res = sws_ev_alloc(r, (size_t)(pl->nitems + 1) * sizeof *s->res)) ||
                 !(s->dim_earned = sws_ev_alloc(r, (size_t)(pl->ndims + 1) * sizeof(double))) ||
                 !(s->dim_score = sws_ev_alloc(r, (size_t)(pl->ndims + 1) * sizeof(double))))
            rc = sws_errorf(e, "out of memory");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The dimension and item rows of every station. */
static int load_details(sws_eval_run *r, sqlite3 *db, long long id, sws_error *e)
{
    sqlite3_stmt *d, *it;
    if (sws_db_prepare(db, "SELECT station, dimension, earned, score FROM eval_run_dimension "
                           "WHERE run = ?", &d, e) < 0)
        return -1;
    if (sws_db_prepare(db, "SELECT station, item, earned, why, error, self, government, "
                           "third_party, self_evidence, government_evidence, "
                           "third_party_evidence, have, missing FROM eval_run_item WHERE run = ?",
                       &it, e) < 0) {
        sqlite3_finalize(d);
        return -1;
    }
    sqlite3_bind_int64(d, 1, id);
    sqlite3_bind_int64(it, 1, id);
    while (sqlite3_step(d) == SQLITE_ROW) {
        sws_ev_station *s = sws_eval_find(r, (const char *)sqlite3_column_text(d, 0));
        int k = s ? dim_index(&r->plans[s->plan], (const char *)sqlite3_column_text(d, 1)) : -1;
        if (k >= 0) {
            s->dim_earned[k] = sqlite3_column_double(d, 2);
            s->dim_score[k] = sqlite3_column_double(d, 3);
        }
    }
    while (sqlite3_step(it) == SQLITE_ROW) {
        sws_ev_station *s = sws_eval_find(r, (const char *)sqlite3_column_text(it, 0));
        int k = s ? item_index(&r->plans[s->plan], (const char *)sqlite3_column_text(it, 1)) : -1;
        if (k < 0)
            continue;
        sws_ev_result *res = &s->res[k];
        res->earned = sqlite3_column_double(it, 2);
        res->why = col(r, it, 3);
        res->error = col(r, it, 4);
        res->have = (unsigned)sqlite3_column_int(it, 11);
        res->missing = (unsigned)sqlite3_column_int(it, 12);
        if (res->have && !(res->given = sws_ev_alloc(r, sizeof *res->given))) {
            sqlite3_finalize(d);
            sqlite3_finalize(it);
            return sws_errorf(e, "out of memory");
        }
        for (int a = 0; a < SWS_EV_ASSESSORS; a++)
            if (res->have & (1u << a)) {
                res->given->score[a] = sqlite3_column_double(it, 5 + a);
                res->given->evidence[a] = col(r, it, 8 + a);
            }
    }
    sqlite3_finalize(d);
    sqlite3_finalize(it);
    return 0;
}

static int load_findings(sws_eval_run *r, sqlite3 *db, long long id, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT station, kind, item, assessor, message FROM eval_run_finding "
                           "WHERE run = ? ORDER BY seq", &st, e) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        sws_ev_station *s = sws_eval_find(r, (const char *)sqlite3_column_text(st, 0));
        if (!s)
            continue;
        if (sws_grow(&r->findings, &r->capfindings, r->nfindings, sizeof *r->findings) < 0) {
            rc = sws_errorf(e, "out of memory");
            break;
        }
        sws_ev_finding *f = &r->findings[r->nfindings++];
        f->station = (int)(s - r->st);
        f->kind = sqlite3_column_int(st, 1);
        f->item = col(r, st, 2);
        f->assessor = sqlite3_column_int(st, 3);
        f->msg = col(r, st, 4);
        r->shown_findings += s->shown;
    }
    sqlite3_finalize(st);
    return rc;
}

int sws_eval_load(sws_host *h, long long id, const char *county, sws_eval_run *r,
                  sws_error *e)
{
    memset(r, 0, sizeof *r);
    r->h = h;
    r->session = LUA_NOREF;
    snprintf(r->scope, sizeof r->scope, "%s", county ? county : "");
    sqlite3 *db = sws_host_db(h);
    if (load_head(r, db, id, e) < 0 || load_plans(r, db, id, e) < 0 ||
        load_stations(r, db, id, county, e) < 0 || load_details(r, db, id, e) < 0 ||
        load_findings(r, db, id, e) < 0)
        return -1;
    if (county && !r->shown)
        return sws_errorf(e, "evaluation run %lld has no station of county %s", id, county);
    return 0;
}

/* ---- listing and publishing ------------------------------------------------------ */

int sws_eval_runs_print(sqlite3 *db, FILE *out, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT r.id, r.year, r.phase, r.period_from, r.period_to, "
                           "r.scored_on, r.stations, coalesce(r.published, 'draft'), "
                           "(SELECT group_concat(p, ', ') FROM (SELECT DISTINCT policy || ' ' "
                           "|| version || ' #' || substr(hash, 1, 8) AS p FROM eval_run_county "
                           "WHERE run = r.id ORDER BY 1)) FROM eval_run r ORDER BY r.id", &st,
                       e) < 0)
        return -1;
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (!rows++)
            fprintf(out, "%4s  %-4s %-5s %-23s %-10s %8s  %-10s  %s\n", "run", "year", "phase",
                    "period", "scored on", "stations", "published", "policies (version #hash)");
        fprintf(out, "%4lld  %-4d %-5s %s..%s %-10s %8d  %-10s  %s\n",
                (long long)sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
                sqlite3_column_text(st, 2), sqlite3_column_text(st, 3),
                sqlite3_column_text(st, 4), sqlite3_column_text(st, 5),
                sqlite3_column_int(st, 6), sqlite3_column_text(st, 7),
                sqlite3_column_text(st, 8) ? (const char *)sqlite3_column_text(st, 8) : "");
    }
    sqlite3_finalize(st);
    if (!rows)
        fprintf(out, "no evaluation run is stored (`sws eval score … --save` stores one)\n");
    return 0;
}

int sws_eval_publish(sqlite3 *db, long long id, const char *date, sws_error *e)
{
    sqlite3_stmt *st;
    if (sws_db_prepare(db, "SELECT published FROM eval_run WHERE id = ?", &st, e) < 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = sws_errorf(e, "there is no evaluation run %lld (`sws eval runs` lists them)", id);
    else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
        rc = sws_errorf(e, "evaluation run %lld was published on %s; a published run is never "
                        "changed (score again with --save to make a new run)", id,
                        sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc < 0)
        return -1;
    char sql[160];
    sqlite3_snprintf(sizeof sql, sql, "UPDATE eval_run SET published = %Q WHERE id = %lld",
                     date, id);
    return sws_db_exec(db, sql, e);
}
