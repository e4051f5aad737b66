/*
 * gen.c — synthetic stations, staff, services and money for real townships.
 *
 * Most stations are generated compliant; about one in seven is generated
 * with exactly one defect (a small area, a missing room, a small sign, too
 * few workers, a missing rule, an older or unqualified worker, too few
 * training hours, too little community time, a village with no contact worker, no personnel
 * budget, an administrative chore logged as a service), so the workflow,
 * the checks and the evaluation have something real to find.
 *
 * Randomness is splitmix64, seeded per township from its code and the seed.
 */
#include "gen.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvwrite.h"
#include "csvread.h"
#include "domain.h"
#include "validate.h"

const char *const sws_gen_kinds[] = {
    "townships", "villages", "stations", "plans", "rooms", "facilities", "institutions", "workers",
    "trainings", "worktime", "contacts", "mentoring", "volunteers", "volunteer_service", "orgs",
    "charity", "clients", "services", "funding", "county_reports", NULL,
};

enum { F_TOWNSHIPS, F_VILLAGES, F_STATIONS, F_PLANS, F_ROOMS, F_FACILITIES, F_INSTITUTIONS, F_WORKERS,
       F_TRAININGS, F_WORKTIME, F_CONTACTS, F_MENTORING, F_VOLUNTEERS, F_VOLUNTEER_SERVICE,
       F_ORGS, F_CHARITY, F_CLIENTS, F_SERVICES, F_FUNDING, F_COUNTY_REPORTS, F_COUNT };

static const char *const headers[F_COUNT] = {
    "code,name,county_code,population,service_objects",
    "code,name,township_code",
    "code,name,address,area_m2,is_hub,operator,opened,sign_width_cm,sign_height_cm",
    "station,title,drafted_on,reviewed_on,reviewed_by",
    "station,kind,area_m2",
    "station,kind,quantity,checked",
    "station,kind,adopted",
    "code,station,name,role,village,id_number,birth_date,qualification,certificate_no,"
    "hired_via,phone,hired,left_on,engaged_by",
    "worker,date,hours,topic",
    "worker,month,total_hours,community_hours",
    "village,worker",
    "mentor,assistant,start_date,end_date",
    "code,station,name,phone,registered,team",
    "volunteer,date,hours,activity",
    "code,station,name,kind,registered",
    "code,station,name,kind,amount,year",
    "code,station,village,category,id_number,birth_year,phone,name,address,consent,consent_date,"
    "closed_on",
    "station,client,worker,date,domain,method,hours,participants,description",
    "station,year,category,source,budget,spent",
    "county,year,delivered_on,path",
};

typedef struct rng { uint64_t s; } rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
/* A number from lo to hi; hi when the range is empty (a --year before the
 * years the generator's ranges start at: 2019, 2020). It draws once either
 * way, so that every year's data of a station comes from the same draws
 * (the same clients, workers and volunteers in every year generated). */
static long between(rng *r, long lo, long hi)
{
    uint64_t x = next(r);
    return hi < lo ? hi : lo + (long)(x % (uint64_t)(hi - lo + 1));
}
static int chance(rng *r, int percent) { return (int)(next(r) % 100) < percent; }
static double frac(rng *r) { return (double)(next(r) >> 11) / 9007199254740992.0; }

static rng seeded(const char *code, unsigned long long seed)
{
    rng r = {seed * 0x2545F4914F6CDD1Dull};
    for (const char *p = code; *p; p++)
        r.s = (r.s ^ (unsigned char)*p) * 0x100000001B3ull;
    next(&r);
    return r;
}

static void random_date(rng *r, int year, char out[11])
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = (int)between(r, 1, 12);
    snprintf(out, 11, "%04d-%02d-%02d", year, m, (int)between(r, 1, days[m - 1]));
}

/* A synthetic but well-formed resident ID number for a birth date. */
static void synthetic_id(rng *r, const char *county, const char *birth, char out[19])
{
    snprintf(out, 19, "%.6s%.4s%.2s%.2s%03ld", county, birth, birth + 5, birth + 8,
             between(r, 1, 999));
    out[17] = sws_id_check_char(out);
    out[18] = '\0';
}

static void synthetic_phone(rng *r, char out[12])
{
    snprintf(out, 12, "1%ld%09ld", between(r, 3, 9), between(r, 0, 999999999));
}

static const char *const surnames[] = {"陈", "林", "黄", "张", "王", "李", "吴", "郑", "周", "徐",
                                       "叶", "潘", "金", "朱", "杨", "胡"};
static const char *const given[] = {"晓", "丽", "静", "伟", "敏", "杰", "婷", "洁", "涛", "芳",
                                    "磊", "霞", "强", "燕", "华", "萍"};

static void person_name(rng *r, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s（合成）", surnames[next(r) % 16], given[next(r) % 16],
             given[next(r) % 16]);
}

/* The name, address, consent and closing of client n of a station, drawn
 * from their own generator so that the other synthetic data stays as it was. */
static void client_privacy_fields(FILE *f, const char *station, int n, int year)
{
    char key[32], name[64], consent_date[11] = "", closed[11] = "";
    snprintf(key, sizeof key, "C%s%03d", station, n);
    rng r = seeded(key, 7);
    person_name(&r, name, sizeof name);
    static const char *const consents[] = {"written", "written", "written", "oral", "guardian",
                                           "none", "expired"};
    const char *consent = consents[next(&r) % 7];
    if (strcmp(consent, "none") != 0)
        random_date(&r, (int)between(&r, 2019, year), consent_date);
    if (chance(&r, 15))
        random_date(&r, (int)between(&r, 2015, year), closed);
    fprintf(f, "%s,示例路%ld号%ld室（合成）,%s,%s,%s\n", name, between(&r, 1, 300),
            between(&r, 101, 1208), consent, consent_date, closed);
}

/* Service descriptions by domain; the chores are what the guideline forbids
 * recording as services, kept for the checks to find. */
static const char *const service_texts[] = {
    "开展困难群众走访慰问", "低保家庭经济状况核对协助与政策宣传", "困境儿童个案跟进",
    "留守儿童暑期成长小组", "独居老人居家探访", "老年人防诈骗宣传活动", "防汛应急知识宣讲",
    "新居民融入社区活动", "社区矫正对象心理疏导", "残疾人康复支持小组", "社区议事协商会",
    "志愿者技能培训", "链接慈善资源开展助学", "培育社区社会组织", "党建引领邻里互助活动",
};
static const char *const chore_texts[] = {
    "协助乡镇整理迎检台账材料", "代为填报乡镇统计报表", "参加乡镇中心工作会议并做记录",
};

/* The one defect a station may be generated with (0: none). */
enum { D_NONE, D_AREA, D_ROOM, D_SIGN, D_STAFF, D_INSTITUTION, D_AGE, D_TRAINING, D_COMMUNITY,
       D_CONTACT, D_FUNDING, D_CHORE, D_QUALIFICATION, D_COUNT };

typedef struct county_name { char code[7]; char name[64]; } county_name;

typedef struct gen {
    const sws_gen_opts *o;
    county_name *counties;
    long ncounties;
    FILE *f[F_COUNT];
    sws_gen_counts *counts;
    char (*units)[7];   /* the administering units seen so far (each names one hub) */
    long nunits;
} gen;

/* 1 the first time unit is seen (it gets its hub station), 0 after, -1 out of memory. */
static int first_of_unit(gen *g, const char *unit)
{
    for (long i = 0; i < g->nunits; i++)
        if (strcmp(g->units[i], unit) == 0)
            return 0;
    char (*n)[7] = realloc(g->units, (size_t)(g->nunits + 1) * sizeof *n);
    if (!n)
        return -1;
    g->units = n;
    snprintf(g->units[g->nunits++], 7, "%s", unit);
    return 1;
}

static void put_text(FILE *f, const char *s)
{
    sws_csv_put(f, s);
}

/* Generates every file's rows for one township that needs a station; with
 * station 0, only the township and its villages. */
static void township_rows(gen *g, const char *code, const char *name, const char *county,
                          const char *unit, int station, long services)
{
    const int year = g->o->year;
    rng r = seeded(code, g->o->seed);
    char kind = code[6];
    long pop = kind == '0' ? between(&r, 30000, 150000)
             : kind == '1' ? between(&r, 15000, 90000) : between(&r, 3000, 20000);
    long objects = pop * between(&r, 8, 25) / 1000;
    fprintf(g->f[F_TOWNSHIPS], "%s,", code);
    put_text(g->f[F_TOWNSHIPS], name);
    fprintf(g->f[F_TOWNSHIPS], ",%s,%ld,%ld\n", county, pop, objects);

    /* villages and communities */
    int nvill = (int)between(&r, 4, 14), ncomm = kind == '0' ? nvill : (int)between(&r, 1, 3);
    char vcode[32][13];
    for (int v = 0; v < nvill; v++) {
        int community = v < ncomm;
        snprintf(vcode[v], 13, "%s%03d", code, community ? 1 + v : 201 + v - ncomm);
        fprintf(g->f[F_VILLAGES], "%s,示例%s%02d（合成）,%s\n", vcode[v],
                community ? "社区" : "村", v + 1, code);
    }
    g->counts->villages += nvill;
    if (!station)
        return;

    /* the station: the first of each administering unit (county or zone) is its hub */
    int hub = first_of_unit(g, unit) == 1;
    /* the unit's annual report to the city (due 30 November): most on time */
    rng rr = seeded(unit, g->o->seed); /* its own stream: the stations' data stay the same */
    if (hub && chance(&rr, 80))
        fprintf(g->f[F_COUNTY_REPORTS], "%s,%d,%d-11-%02ld,reports/%s-%d.pdf（合成）\n", unit,
                year, year, between(&rr, 10, 30), unit, year);
    int defect = chance(&r, 15) ? (int)between(&r, 1, D_COUNT - 1) : D_NONE;
    double area = defect == D_AREA ? (double)between(&r, 80, 99) : (double)between(&r, 100, 320);
    char opened[11];
    random_date(&r, chance(&r, 45) ? 2021 : 2022, opened);
    int sign_ok = defect != D_SIGN;
    fprintf(g->f[F_STATIONS], "%s,", code);
    /* A county-level unit that administers its communities directly (龙港市:
     * "龙港县直辖村级区划") has one station named after the unit itself. */
    char sname[256];
    const char *named = name;
    if (strstr(name, "直辖"))
        for (long i = 0; i < g->ncounties; i++)
            if (strcmp(g->counties[i].code, county) == 0)
                named = g->counties[i].name;
    snprintf(sname, sizeof sname, "%s社会工作站", named);
    put_text(g->f[F_STATIONS], sname);
    fprintf(g->f[F_STATIONS], ",%s便民服务中心（合成地址）,%.0f,%d,温州市示例社会工作服务中心（合成）,"
            "%s,%d,%d\n", name, area, hub, opened, sign_ok ? 64 : 60, sign_ok ? 45 : 40);

    /* 一站一方案: the county's plan, reviewed by experts, before the first
     * station is built in 2021 */
    char drafted[11], reviewed[11];
    snprintf(drafted, sizeof drafted, "2020-11-%02ld", between(&r, 1, 20));
    snprintf(reviewed, sizeof reviewed, "2020-12-%02ld", between(&r, 1, 20));
    char title[300];
    snprintf(title, sizeof title, "%s建设方案（合成）", sname);
    fprintf(g->f[F_PLANS], "%s,", code);
    put_text(g->f[F_PLANS], title);
    fprintf(g->f[F_PLANS], ",%s,%s,专家论证会（合成）\n", drafted, reviewed);

    size_t missing_room = defect == D_ROOM ? (size_t)between(&r, 0, 6) : (size_t)-1;
    for (size_t i = 0; i < sws_room_kinds.n; i++)
        if (i != missing_room)
            fprintf(g->f[F_ROOMS], "%s,%s,%ld\n", code, sws_room_kinds.terms[i].code,
                    between(&r, 10, 40));
    for (size_t i = 0; i < sws_facility_kinds.n; i++) {
        const char *k = sws_facility_kinds.terms[i].code;
        if (strcmp(k, "liability_insurance") == 0 && chance(&r, 40))
            continue; /* encouraged, not required */
        char checked[11];
        random_date(&r, year, checked);
        fprintf(g->f[F_FACILITIES], "%s,%s,%ld,%s\n", code, k, between(&r, 1, 4), checked);
    }
    size_t missing_rule = defect == D_INSTITUTION ? (size_t)between(&r, 0, 9) : (size_t)-1;
    for (size_t i = 0; i < sws_institution_kinds.n; i++)
        if (i != missing_rule) {
            char adopted[11];
            random_date(&r, 2021, adopted);
            fprintf(g->f[F_INSTITUTIONS], "%s,%s,%s\n", code, sws_institution_kinds.terms[i].code,
                    adopted);
        }

    /* resident workers: what the city's staffing rule asks (3, plus one per
     * 40,000 residents and per 1,000 service objects, up to 8), and one more
     * at about half the stations */
    int nres = (int)(3 + pop / 40000 + objects / 1000) + (int)between(&r, 0, 1);
    if (nres > 8) /* the county may staff above the minimum: a few have 9 */
        nres = 8 + (int)between(&r, 0, 1);
    if (defect == D_STAFF)
        nres = 2;
    int cultivated = chance(&r, 10);
    int nworkers = 0;
    char wcode[24][24];
    for (int w = 0; w < nres + (cultivated ? 6 : 0); w++) {
        const char *role = w < nres ? "resident" : w < nres + 3 ? "assistant" : "mentor";
        snprintf(wcode[nworkers], sizeof wcode[0], "W%s%02d", code, w + 1);
        char birth[11], id[19], phone[12], pname[64], hired[11];
        int age = defect == D_AGE && w == 0 ? (int)between(&r, 46, 52) : (int)between(&r, 23, 44);
        random_date(&r, year - age, birth);
        synthetic_id(&r, county, birth, id);
        synthetic_phone(&r, phone);
        person_name(&r, pname, sizeof pname);
        random_date(&r, (int)between(&r, 2019, 2021), hired);
        int q = (int)(next(&r) % 100);
        const char *qual = defect == D_QUALIFICATION && w == 0 ? "none"
                         : q < 50 ? "assistant_social_worker" : q < 80 ? "social_worker"
                         : "sw_degree";
        if (strcmp(role, "assistant") == 0)
            qual = "related_degree";
        else if (strcmp(role, "mentor") == 0) /* 3+3+2: seconded mentors hold the certificate */
            qual = q < 50 ? "social_worker" : "senior_social_worker";
        fprintf(g->f[F_WORKERS], "%s,%s,%s,%s,,%s,,%s,%s,%s,%s,%s,,%s\n", wcode[nworkers], code,
                pname, role, id, qual,
                strstr(qual, "social_worker") ? "ZJ-SW-合成" : "",
                cultivated && w >= nres ? "cultivation" : "direct", phone, hired,
                w >= nres ? "" : chance(&r, 30) ? "township" : "agency");
        if (w < nres) {
            /* training: most reach 40 hours a year */
            double target = defect == D_TRAINING && w == 0 ? (double)between(&r, 16, 39)
                                                          : (double)between(&r, 40, 64);
            for (int s = 0; s < 4; s++) {
                char d[11];
                random_date(&r, year, d);
                fprintf(g->f[F_TRAININGS], "%s,%s,%.1f,社会工作专业培训第%d期\n",
                        wcode[nworkers], d, target / 4, s + 1);
            }
            double share = defect == D_COMMUNITY && w == 0 ? 0.45 + 0.14 * frac(&r)
                                                          : 0.61 + 0.2 * frac(&r);
            for (int m = 1; m <= 12; m++) {
                long total = between(&r, 150, 176);
                fprintf(g->f[F_WORKTIME], "%s,%04d-%02d,%ld,%.1f\n", wcode[nworkers], year, m,
                        total, total * share);
            }
        }
        nworkers++;
    }
    if (cultivated)
        for (int a = 0; a < 3; a++) {
            char start[11];
            random_date(&r, year - 2, start);
            fprintf(g->f[F_MENTORING], "%s,%s,%s,\n", wcode[nres + 3 + a], wcode[nres + a], start);
        }
    for (int v = 0; v < nvill; v++)
        if (!(defect == D_CONTACT && v == 0))
            fprintf(g->f[F_CONTACTS], "%s,%s\n", vcode[v], wcode[v % nres]);
    /* a community social work room (社区社会工作室) with one worker in each community */
    for (int v = 0; v < ncomm; v++) {
        char pname[64];
        person_name(&r, pname, sizeof pname);
        fprintf(g->f[F_WORKERS], "W%sR%02d,%s,%s,room,%s,,,%s,,direct,,,,\n", code, v + 1, code,
                pname, vcode[v], chance(&r, 60) ? "assistant_social_worker" : "related_degree");
        nworkers++;
    }
    g->counts->workers += nworkers;

    /* volunteers, organisations, charity, clients */
    int nvol = (int)between(&r, 10, 30);
    for (int v = 0; v < nvol; v++) {
        char vc[24], pname[64], phone[12], reg[11];
        snprintf(vc, sizeof vc, "V%s%03d", code, v + 1);
        person_name(&r, pname, sizeof pname);
        synthetic_phone(&r, phone);
        random_date(&r, (int)between(&r, 2020, year), reg);
        fprintf(g->f[F_VOLUNTEERS], "%s,%s,%s,%s,%s,示例志愿服务队%c（合成）\n", vc, code, pname,
                phone, reg, "ABC"[seeded(vc, 7).s % 3]);
        for (long s = between(&r, 1, 4); s > 0; s--) {
            char d[11];
            random_date(&r, year, d);
            fprintf(g->f[F_VOLUNTEER_SERVICE], "%s,%s,%.1f,社工+志愿者联动服务\n", vc, d,
                    0.5 * between(&r, 1, 8));
        }
    }
    for (long o = 0, n = between(&r, 2, 6); o < n; o++) {
        char reg[11];
        random_date(&r, (int)between(&r, 2019, year), reg);
        fprintf(g->f[F_ORGS], "O%s%02ld,%s,示例社区社会组织%02ld（合成）,%s,%s\n", code, o + 1,
                code, o + 1, sws_org_kinds.terms[next(&r) % sws_org_kinds.n].code, reg);
    }
    for (long c = 0, n = between(&r, 1, 3); c < n; c++)
        fprintf(g->f[F_CHARITY], "R%s%02ld,%s,示例慈善资源%02ld（合成）,%s,%ld,%d\n", code, c + 1,
                code, c + 1, sws_charity_kinds.terms[next(&r) % sws_charity_kinds.n].code,
                between(&r, 1000, 200000), year);
    int nclients = (int)between(&r, 20, 60);
    for (int c = 0; c < nclients; c++) {
        char birth[11], id[19], phone[12];
        random_date(&r, (int)between(&r, 1935, year - 3), birth);
        synthetic_id(&r, county, birth, id);
        synthetic_phone(&r, phone);
        fprintf(g->f[F_CLIENTS], "C%s%03d,%s,%s,%s,%s,,%s,", code, c + 1, code,
                vcode[next(&r) % (uint64_t)nvill],
                sws_client_categories.terms[next(&r) % sws_client_categories.n].code,
                chance(&r, 60) ? id : "", chance(&r, 50) ? phone : "");
        client_privacy_fields(g->f[F_CLIENTS], code, c + 1, year);
    }

    /* service records */
    for (long s = 0; s < services; s++) {
        char d[11];
        random_date(&r, year, d);
        int m = (int)(next(&r) % 10);
        const char *method = m < 5 ? "case" : m < 8 ? "group" : "community";
        long people = m < 5 ? 1 : m < 8 ? between(&r, 5, 15) : between(&r, 20, 200);
        char client[24] = "";
        if (m < 5)
            snprintf(client, sizeof client, "C%s%03ld", code, between(&r, 1, nclients));
        const char *text = defect == D_CHORE && s < 3 ? chore_texts[s % 3]
                                                      : service_texts[next(&r) % 15];
        fprintf(g->f[F_SERVICES], "%s,%s,%s,%s,%s,%s,%.1f,%ld,%s\n", code, client,
                wcode[next(&r) % (uint64_t)nres], d,
                sws_service_domains.terms[next(&r) % sws_service_domains.n].code, method,
                0.5 * between(&r, 1, 8), people, text);
    }
    g->counts->services += services;

    /* funding: construction money once, in the year the station opened (from
     * the welfare lottery); operation, personnel and evaluation in the
     * service year, but a few stations lack the personnel budget */
    static const char *const cat[] = {"construction", "operation", "personnel", "evaluation"};
    static const char *const src[] = {"welfare_lottery", "county_budget", "county_budget",
                                      "county_budget"};
    for (int c = 0; c < 4; c++) {
        if (c == 2 && defect == D_FUNDING)
            continue;
        long budget = between(&r, 50, 400) * 1000;
        fprintf(g->f[F_FUNDING], "%s,%d,%s,%s,%ld,%ld\n", code, c == 0 ? atoi(opened) : year,
                cat[c], src[c], budget, budget * between(&r, 60, 100) / 100);
    }
    g->counts->stations++;
}

/* Reads the township list: code, name and county of those that need a station. */
/* unit: the administering unit when it is not the county ("" otherwise) */
typedef struct township { char code[10], county[7], unit[7]; char *name; int station; } township;

static int read_townships(const char *path, township **out, long *n, sws_error *e)
{
    sws_csv *csv = sws_csv_open(path, e);
    if (!csv)
        return -1;
    sws_csv_row row;
    int rc, c_code = -1, c_name = -1, c_county = -1;
    long cap = 0;
    *out = NULL;
    *n = 0;
    if ((rc = sws_csv_next(csv, &row, e)) != 1) {
        sws_csv_close(csv);
        return rc < 0 ? -1 : sws_errorf(e, "%s: empty file", path);
    }
    for (size_t i = 0; i < row.n; i++) {
        if (strcmp(row.field[i], "code") == 0) c_code = (int)i;
        if (strcmp(row.field[i], "name") == 0) c_name = (int)i;
        if (strcmp(row.field[i], "county_code") == 0) c_county = (int)i;
    }
    if (c_code < 0 || c_name < 0 || c_county < 0) {
        sws_csv_close(csv);
        return sws_errorf(e, "%s: needs the columns code, name and county_code", path);
    }
    while ((rc = sws_csv_next(csv, &row, e)) == 1) {
        if (row.problem || row.n <= (size_t)c_code || row.n <= (size_t)c_name ||
            row.n <= (size_t)c_county || sws_valid_division_code(row.field[c_code], 9) ||
            sws_valid_division_code(row.field[c_county], 6)) {
            sws_errorf(e, "%s:%ld: not a township row (%s)", path, row.line,
                       row.problem ? row.problem : "code and county_code must be 9 and 6 digits");
            rc = -1;
            break;
        }
        if (row.field[c_code][6] >= '4') /* farms, reserves, zones: no station */
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            township *t = realloc(*out, (size_t)cap * sizeof *t);
            if (!t) {
                rc = sws_errorf(e, "out of memory");
                break;
            }
            *out = t;
        }
        township *t = &(*out)[(*n)++];
        snprintf(t->code, sizeof t->code, "%s", row.field[c_code]);
        snprintf(t->county, sizeof t->county, "%s", row.field[c_county]);
        t->unit[0] = '\0';
        t->name = strdup(row.field[c_name]);
    }
    sws_csv_close(csv);
    return rc < 0 ? -1 : 0;
}

/* Reads code,admin_code of a file of townships administered by a unit that
 * is not their county, and sets the unit of those in ts. 0, or -1 with e. */
static int read_units(const char *path, township *ts, long nts, sws_error *e)
{
    sws_csv *csv = sws_csv_open(path, e);
    if (!csv)
        return -1;
    sws_csv_row row;
    int rc, c_code = -1, c_unit = -1;
    if ((rc = sws_csv_next(csv, &row, e)) == 1)
        for (size_t i = 0; i < row.n; i++) {
            if (strcmp(row.field[i], "code") == 0) c_code = (int)i;
            if (strcmp(row.field[i], "admin_code") == 0) c_unit = (int)i;
        }
    if (rc == 1 && (c_code < 0 || c_unit < 0))
        rc = sws_errorf(e, "%s: needs the columns code and admin_code", path);
    while (rc == 1 && (rc = sws_csv_next(csv, &row, e)) == 1) {
        if (row.problem || row.n <= (size_t)c_code || row.n <= (size_t)c_unit ||
            sws_valid_division_code(row.field[c_unit], 6)) {
            rc = sws_errorf(e, "%s:%ld: admin_code must be a 6-digit code", path, row.line);
            break;
        }
        for (long i = 0; i < nts; i++)
            if (strcmp(ts[i].code, row.field[c_code]) == 0)
                snprintf(ts[i].unit, sizeof ts[i].unit, "%s", row.field[c_unit]);
    }
    sws_csv_close(csv);
    return rc < 0 ? -1 : 0;
}

/* Reads code,name of a counties file (for station names; see township_rows). */
static int read_counties(const char *path, gen *g, sws_error *e)
{
    sws_csv *csv = sws_csv_open(path, e);
    if (!csv)
        return -1;
    sws_csv_row row;
    int rc, c_code = -1, c_name = -1;
    if ((rc = sws_csv_next(csv, &row, e)) == 1)
        for (size_t i = 0; i < row.n; i++) {
            if (strcmp(row.field[i], "code") == 0) c_code = (int)i;
            if (strcmp(row.field[i], "name") == 0) c_name = (int)i;
        }
    while (rc == 1 && c_code >= 0 && c_name >= 0 && (rc = sws_csv_next(csv, &row, e)) == 1) {
        if (row.problem || row.n <= (size_t)c_code || row.n <= (size_t)c_name)
            continue;
        county_name *n = realloc(g->counties, (size_t)(g->ncounties + 1) * sizeof *n);
        if (!n) {
            rc = sws_errorf(e, "out of memory");
            break;
        }
        g->counties = n;
        snprintf(n[g->ncounties].code, sizeof n->code, "%s", row.field[c_code]);
        snprintf(n[g->ncounties].name, sizeof n->name, "%s", row.field[c_name]);
        g->ncounties++;
    }
    sws_csv_close(csv);
    return rc < 0 ? -1 : 0;
}

int sws_generate(const sws_gen_opts *o, sws_gen_counts *counts, sws_error *e)
{
    gen g = {.o = o, .counts = counts};
    township *ts = NULL;
    long nts = 0;
    int rc = -1;
    memset(counts, 0, sizeof *counts);

    if (read_townships(o->townships_csv, &ts, &nts, e) < 0 ||
        (o->counties_csv && read_counties(o->counties_csv, &g, e) < 0) ||
        (o->units_csv && read_units(o->units_csv, ts, nts, e) < 0))
        goto cleanup;
    if (mkdir(o->out_dir, 0777) < 0 && errno != EEXIST) {
        sws_errorf(e, "cannot create %s: %s", o->out_dir, strerror(errno));
        goto cleanup;
    }
    for (int i = 0; i < F_COUNT; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.csv", o->out_dir, sws_gen_kinds[i]);
        if (!(g.f[i] = sws_csv_create_private(path))) { /* people, IDs, phones: 0600 */
            sws_errorf(e, "cannot write %s: %s", path, strerror(errno));
            goto cleanup;
        }
        fprintf(g.f[i], "%s\n", headers[i]);
    }
    char note[4096];
    snprintf(note, sizeof note, "%s/SYNTHETIC.txt", o->out_dir);
    FILE *nf = fopen(note, "w");
    if (nf) {
        fprintf(nf, "Synthetic data made by `sws generate` (seed %llu, year %d) for the townships "
                "of %s.\nDivision codes and township names are real; everything else — "
                "population, stations, people, ID and phone numbers, services, money — is "
                "made up and labelled 合成.\n", o->seed, o->year, o->townships_csv);
        fclose(nf);
    }

    /* which townships have a station: drawn apart from the township's own
     * numbers, so a covered township's rows do not depend on the coverage */
    long covered = 0;
    for (long i = 0; i < nts; i++) {
        rng pick = seeded(ts[i].code, o->seed ^ 0xC0FFEEull);
        double cover = o->coverage > 0 && o->coverage < 1 ? o->coverage : 1;
        ts[i].station = frac(&pick) < cover;
        covered += ts[i].station;
    }
    long total = o->services < 0 ? 200 * covered : o->services;
    for (long i = 0, k = 0; i < nts; i++) {
        /* spread the records evenly; the first stations take the remainder */
        long share = ts[i].station ? total / covered + (k++ < total % covered) : 0;
        township_rows(&g, ts[i].code, ts[i].name, ts[i].county,
                      ts[i].unit[0] ? ts[i].unit : ts[i].county, ts[i].station, share);
        counts->townships++;
    }
    rc = 0;

cleanup:
    for (int i = 0; i < F_COUNT; i++)
        if (g.f[i] && fclose(g.f[i]) != 0 && rc == 0)
            rc = sws_errorf(e, "cannot write %s/%s.csv", o->out_dir, sws_gen_kinds[i]);
    for (long i = 0; i < nts; i++)
        free(ts[i].name);
    free(ts);
    free(g.counties);
    free(g.units);
    return rc;
}
