/*
 * import_kinds.c — every KIND of `sws import KIND FILE.csv`: its columns,
 * their rules, the cross-field rule and the SQL that stores a row.
 *
 * Records with a natural key (divisions, stations, workers, …) are upserts,
 * so a corrected file can be imported again; dated records without one
 * (trainings, services, volunteer hours) are appended. docs/import.md is
 * the reader's version of this table; keep them together.
 */
#include <stdio.h>
#include <string.h>

#include "import.h"

#define REQ SWS_COL_REQUIRED
#define COLS(k) k##_cols, sizeof k##_cols / sizeof k##_cols[0]

/* ---- cross-field rules ------------------------------------------------ */

/* A division code begins with the code of the division above it. */
static const char *check_prefix(const sws_import_row *r, const char *col, const char *parent_col,
                                 const char *what, char *buf, size_t n)
{
    const char *code = sws_import_value(r, col), *parent = sws_import_value(r, parent_col);
    size_t plen = strlen(parent);
    if (plen && strncmp(code, parent, plen) != 0) {
        snprintf(buf, n, "column '%s' \"%s\" does not lie in %s \"%s\" (rule: a division code "
                 "begins with its parent's code)", col, code, what, parent);
        return buf;
    }
    return NULL;
}

static const char *check_township(const sws_import_row *r, char *buf, size_t n)
{
    const char *rule = check_prefix(r, "code", "county_code", "county", buf, n);
    if (!rule)
        rule = check_prefix(r, "code", "city_code", "city", buf, n);
    if (!rule)
        rule = check_prefix(r, "code", "province_code", "province", buf, n);
    return rule;
}

static const char *check_village(const sws_import_row *r, char *buf, size_t n)
{
    return check_prefix(r, "code", "township_code", "township", buf, n);
}

static double num(const sws_import_row *r, const char *col)
{
    double v = 0;
    sscanf(sws_import_value(r, col), "%lf", &v);
    return v;
}

static const char *check_worktime(const sws_import_row *r, char *buf, size_t n)
{
    if (num(r, "community_hours") > num(r, "total_hours")) {
        snprintf(buf, n, "column 'community_hours' (%s) exceeds 'total_hours' (%s) (rule: "
                 "community hours are part of the total)", sws_import_value(r, "community_hours"),
                 sws_import_value(r, "total_hours"));
        return buf;
    }
    return NULL;
}

static const char *check_mentoring(const sws_import_row *r, char *buf, size_t n)
{
    const char *start = sws_import_value(r, "start_date"), *end = sws_import_value(r, "end_date");
    if (strcmp(sws_import_value(r, "mentor"), sws_import_value(r, "assistant")) == 0)
        return "column 'assistant' names the mentor (rule: a worker cannot mentor themself)";
    if (end[0] && strcmp(end, start) < 0) {
        snprintf(buf, n, "column 'end_date' \"%s\" is before 'start_date' \"%s\"", end, start);
        return buf;
    }
    return NULL;
}

/* Column `to`, when given, is not before column `from`. */
static const char *check_dates(const sws_import_row *r, const char *from, const char *to,
                               char *buf, size_t n)
{
    const char *a = sws_import_value(r, from), *b = sws_import_value(r, to);
    if (a[0] && b[0] && strcmp(b, a) < 0) {
        snprintf(buf, n, "column '%s' \"%s\" is before '%s' \"%s\"", to, b, from, a);
        return buf;
    }
    return NULL;
}

static const char *check_contact(const sws_import_row *r, char *buf, size_t n)
{
    return check_dates(r, "since", "until", buf, n);
}

static const char *check_plan(const sws_import_row *r, char *buf, size_t n)
{
    return check_dates(r, "drafted_on", "reviewed_on", buf, n);
}

static const char *check_worker(const sws_import_row *r, char *buf, size_t n)
{
    return check_dates(r, "hired", "left_on", buf, n);
}

/* ---- columns ----------------------------------------------------------- */

static const sws_column counties_cols[] = {
    {"code", SWS_COL_COUNTY, REQ, 0, 0, NULL, NULL, "6-digit county-level division code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name, e.g. 鹿城区"},
    {"city_code", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "4-digit city code"},
    {"province_code", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "2-digit province code"},
};

static const sws_column townships_cols[] = {
    {"code", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, NULL, "9-digit township division code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name, e.g. 五马街道"},
    {"county_code", SWS_COL_COUNTY, REQ, 0, 0, NULL, "county", "the county it lies in"},
    {"admin_code", SWS_COL_COUNTY, 0, 0, 0, NULL, "county",
     "the unit administering it when that is not its county (an industrial zone)"},
    {"population", SWS_COL_INT, 0, 0, 20000000, NULL, NULL, "resident population"},
    {"service_objects", SWS_COL_INT, 0, 0, 5000000, NULL, NULL,
     "number of service objects (people the station serves)"},
    {"city_code", SWS_COL_TEXT, 0, 0, 0, NULL, NULL,
     "4-digit city code, as in the NBS files (checked, not stored)"},
    {"province_code", SWS_COL_TEXT, 0, 0, 0, NULL, NULL,
     "2-digit province code, as in the NBS files (checked, not stored)"},
};

static const sws_column villages_cols[] = {
    {"code", SWS_COL_VILLAGE, REQ, 0, 0, NULL, NULL, "12-digit village/community code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name"},
    {"township_code", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "township", "the township it lies in"},
};

static const sws_column stations_cols[] = {
    {"code", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "township", "the township's 9-digit code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name, e.g. 五马街道社会工作站"},
    {"address", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "address"},
    {"area_m2", SWS_COL_REAL, 0, 0, 100000, NULL, NULL, "floor area in m²"},
    {"is_hub", SWS_COL_BOOL, 0, 0, 0, NULL, NULL, "1 when it is the county's hub station (总站)"},
    {"operator", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "operating agency"},
    {"opened", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date it opened"},
    {"sign_width_cm", SWS_COL_REAL, 0, 1, 10000, NULL, NULL, "width of the station sign, cm"},
    {"sign_height_cm", SWS_COL_REAL, 0, 1, 10000, NULL, NULL, "height of the station sign, cm"},
};

static const sws_column rooms_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"kind", SWS_COL_ENUM, REQ, 0, 0, &sws_room_kinds, NULL, "room kind"},
    {"area_m2", SWS_COL_REAL, 0, 0, 100000, NULL, NULL, "room area in m²"},
};

static const sws_column facilities_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"kind", SWS_COL_ENUM, REQ, 0, 0, &sws_facility_kinds, NULL, "facility kind"},
    {"quantity", SWS_COL_INT, 0, 0, 100000, NULL, NULL, "how many (default 1)"},
    {"checked", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date last checked"},
};

static const sws_column institutions_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"kind", SWS_COL_ENUM, REQ, 0, 0, &sws_institution_kinds, NULL, "rule or system"},
    {"adopted", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date adopted"},
};

static const sws_column workers_cols[] = {
    {"code", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "the worker's code, unique in the city"},
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name"},
    {"role", SWS_COL_ENUM, REQ, 0, 0, &sws_worker_roles, NULL, "role"},
    {"village", SWS_COL_VILLAGE, 0, 0, 0, NULL, "village", "community room served (role room)"},
    {"id_number", SWS_COL_ID_NUMBER, 0, 0, 0, NULL, NULL,
     "18-character resident ID number; stored masked, gives the birth date"},
    {"birth_date", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "birth date (taken from the ID if empty)"},
    {"qualification", SWS_COL_ENUM, 0, 0, 0, &sws_qualifications, NULL, "highest qualification"},
    {"certificate_no", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "social worker certificate number"},
    {"hired_via", SWS_COL_ENUM, 0, 0, 0, &sws_hiring_routes, NULL, "how the worker came"},
    {"engaged_by", SWS_COL_ENUM, 0, 0, 0, &sws_engagement_routes, NULL,
     "who engaged a resident worker: agency (the contracted agency) or township"},
    {"phone", SWS_COL_MOBILE, 0, 0, 0, NULL, NULL, "mobile number; stored masked"},
    {"hired", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date hired"},
    {"left_on", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date left, if gone"},
};

static const sws_column trainings_cols[] = {
    {"worker", SWS_COL_TEXT, REQ, 0, 0, NULL, "worker", "worker code"},
    {"date", SWS_COL_DATE, REQ, 0, 0, NULL, NULL, "date of the training"},
    {"hours", SWS_COL_REAL, REQ, 0.1, 24, NULL, NULL, "hours attended"},
    {"topic", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "topic"},
};

static const sws_column worktime_cols[] = {
    {"worker", SWS_COL_TEXT, REQ, 0, 0, NULL, "worker", "worker code"},
    {"month", SWS_COL_MONTH, REQ, 0, 0, NULL, NULL, "month, YYYY-MM"},
    {"total_hours", SWS_COL_REAL, REQ, 0, 744, NULL, NULL, "working hours in the month"},
    {"community_hours", SWS_COL_REAL, REQ, 0, 744, NULL, NULL,
     "of which spent in villages/communities"},
};

static const sws_column contacts_cols[] = {
    {"village", SWS_COL_VILLAGE, REQ, 0, 0, NULL, "village", "village/community code"},
    {"worker", SWS_COL_TEXT, REQ, 0, 0, NULL, "worker", "a designated contact worker"},
    {"since", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "first day as contact"},
    {"until", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "day the contact ended, if it has"},
};

static const sws_column community_rooms_cols[] = {
    {"village", SWS_COL_VILLAGE, REQ, 0, 0, NULL, "village", "village/community code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name of the room (社区社会工作室)"},
    {"opened", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date it opened"},
};

static const sws_column plans_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "township", "the township's 9-digit code"},
    {"title", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "title of the construction plan (建设方案)"},
    {"drafted_on", SWS_COL_DATE, REQ, 0, 0, NULL, NULL, "date the county drafted it"},
    {"reviewed_on", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date of the expert review (专家论证)"},
    {"reviewed_by", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "the experts or meeting that reviewed it"},
};

static const sws_column mentoring_cols[] = {
    {"mentor", SWS_COL_TEXT, REQ, 0, 0, NULL, "worker", "professional worker's code"},
    {"assistant", SWS_COL_TEXT, REQ, 0, 0, NULL, "worker", "local assistant's code"},
    {"start_date", SWS_COL_DATE, REQ, 0, 0, NULL, NULL, "start of the 2-year transition"},
    {"end_date", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "end, if ended"},
};

static const sws_column volunteers_cols[] = {
    {"code", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "volunteer code"},
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name"},
    {"phone", SWS_COL_MOBILE, 0, 0, 0, NULL, NULL, "mobile number; stored masked"},
    {"registered", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date registered"},
    {"team", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "volunteer team (志愿服务队)"},
};

static const sws_column volunteer_service_cols[] = {
    {"volunteer", SWS_COL_TEXT, REQ, 0, 0, NULL, "volunteer", "volunteer code"},
    {"date", SWS_COL_DATE, REQ, 0, 0, NULL, NULL, "date served"},
    {"hours", SWS_COL_REAL, REQ, 0.1, 24, NULL, NULL, "hours served"},
    {"activity", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "what was done"},
};

static const sws_column orgs_cols[] = {
    {"code", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "organisation code"},
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name"},
    {"kind", SWS_COL_ENUM, REQ, 0, 0, &sws_org_kinds, NULL, "kind of organisation"},
    {"registered", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date registered or filed"},
};

static const sws_column charity_cols[] = {
    {"code", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "resource code"},
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"name", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "name"},
    {"kind", SWS_COL_ENUM, REQ, 0, 0, &sws_charity_kinds, NULL, "kind of resource"},
    {"amount", SWS_COL_REAL, 0, 0, 1e12, NULL, NULL, "value in yuan"},
    {"year", SWS_COL_INT, 0, 2000, 2100, NULL, NULL, "year"},
};

static const sws_column clients_cols[] = {
    {"code", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "service object code"},
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"village", SWS_COL_VILLAGE, 0, 0, 0, NULL, "village", "village/community"},
    {"category", SWS_COL_ENUM, REQ, 0, 0, &sws_client_categories, NULL, "category"},
    {"id_number", SWS_COL_ID_NUMBER, 0, 0, 0, NULL, NULL,
     "resident ID number; stored masked, gives the birth date and year"},
    {"birth_year", SWS_COL_INT, 0, 1900, 2100, NULL, NULL, "birth year"},
    {"phone", SWS_COL_MOBILE, 0, 0, 0, NULL, NULL, "mobile number; stored masked"},
    {"birth_date", SWS_COL_DATE, 0, 0, 0, NULL, NULL,
     "birth date (taken from the ID if empty); gives age and minor status"},
    {"name", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "name; shown masked (张*) unless revealed"},
    {"address", SWS_COL_TEXT, 0, 0, 0, NULL, NULL,
     "home address; shown masked unless revealed"},
    {"consent", SWS_COL_ENUM, 0, 0, 0, &sws_consent_states, NULL,
     "consent to the processing of personal data (default none)"},
    {"consent_date", SWS_COL_DATE, 0, 0, 0, NULL, NULL, "date consent was given or expired"},
    {"closed_on", SWS_COL_DATE, 0, 0, 0, NULL, NULL,
     "date the case was closed (starts the retention period)"},
};

static const sws_column services_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"client", SWS_COL_TEXT, 0, 0, 0, NULL, "client", "service object code"},
    {"worker", SWS_COL_TEXT, 0, 0, 0, NULL, "worker", "worker code"},
    {"date", SWS_COL_DATE, REQ, 0, 0, NULL, NULL, "date of the service"},
    {"domain", SWS_COL_ENUM, REQ, 0, 0, &sws_service_domains, NULL, "service domain"},
    {"method", SWS_COL_ENUM, REQ, 0, 0, &sws_service_methods, NULL, "case, group or community"},
    {"hours", SWS_COL_REAL, REQ, 0.1, 24, NULL, NULL, "hours"},
    {"participants", SWS_COL_INT, 0, 0, 100000, NULL, NULL, "people reached"},
    {"description", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "what was done"},
};

static const sws_column funding_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"year", SWS_COL_INT, REQ, 2000, 2100, NULL, NULL, "year"},
    {"category", SWS_COL_ENUM, REQ, 0, 0, &sws_funding_categories, NULL, "funding category"},
    {"source", SWS_COL_ENUM, REQ, 0, 0, &sws_funding_sources, NULL, "where the money comes from"},
    {"budget", SWS_COL_REAL, REQ, 0, 1e12, NULL, NULL, "budget in yuan"},
    {"spent", SWS_COL_REAL, 0, 0, 1e12, NULL, NULL, "spent in yuan"},
};

static const sws_column county_reports_cols[] = {
    {"county", SWS_COL_COUNTY, REQ, 0, 0, NULL, "county", "the county-level unit"},
    {"year", SWS_COL_INT, REQ, 2000, 2100, NULL, NULL, "the year reported on"},
    {"delivered_on", SWS_COL_DATE, REQ, 0, 0, NULL, NULL,
     "date the report reached the city (the effective date)"},
    {"path", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "where the report is filed"},
};

static const sws_column scores_cols[] = {
    {"station", SWS_COL_TOWNSHIP, REQ, 0, 0, NULL, "station", "station code"},
    {"year", SWS_COL_INT, REQ, 2000, 2100, NULL, NULL, "service year"},
    {"phase", SWS_COL_ENUM, REQ, 0, 0, &sws_eval_phases, NULL, "mid or final"},
    {"assessor", SWS_COL_ENUM, REQ, 0, 0, &sws_assessors, NULL, "self, government, third_party"},
    {"item", SWS_COL_TEXT, REQ, 0, 0, NULL, NULL, "indicator item code of the policy"},
    {"score", SWS_COL_REAL, REQ, 0, 1000, NULL, NULL, "points given"},
    {"evidence", SWS_COL_TEXT, 0, 0, 0, NULL, NULL, "reference to the evidence seen"},
};

/* ---- kinds ------------------------------------------------------------- */

const sws_import_kind sws_import_kinds[] = {
    {"counties", "county", "county-level divisions", COLS(counties),
     {"INSERT INTO county(code, name, city_code, province_code) "
      "VALUES(:code, :name, :city_code, :province_code) ON CONFLICT(code) DO UPDATE SET "
      "name = excluded.name, city_code = coalesce(excluded.city_code, city_code), "
      "province_code = coalesce(excluded.province_code, province_code)"},
     NULL, "county.saved"},
    {"townships", "township", "townships (乡/镇/街道) with population", COLS(townships),
     {"INSERT INTO township(code, name, county_code, unit_code, population, service_objects) "
      "VALUES(:code, :name, :county_code, coalesce(:admin_code, :county_code), :population, "
      ":service_objects) "
      "ON CONFLICT(code) DO UPDATE SET name = excluded.name, county_code = excluded.county_code, "
      "unit_code = coalesce(:admin_code, unit_code), "
      "population = coalesce(excluded.population, population), "
      "service_objects = coalesce(excluded.service_objects, service_objects)"},
     check_township, "township.saved"},
    {"villages", "village", "villages and communities (村/社区)", COLS(villages),
     {"INSERT INTO village(code, name, township_code) VALUES(:code, :name, :township_code) "
      "ON CONFLICT(code) DO UPDATE SET name = excluded.name, township_code = excluded.township_code"},
     check_village, "village.saved"},
    {"stations", "station", "social work stations, one per township", COLS(stations),
     {"INSERT INTO station(code, name, address, area_m2, is_hub, operator, opened, sign_width_cm, "
      "sign_height_cm) VALUES(:code, :name, :address, :area_m2, coalesce(:is_hub, 0), :operator, "
      ":opened, :sign_width_cm, :sign_height_cm) ON CONFLICT(code) DO UPDATE SET "
      "name = excluded.name, address = excluded.address, area_m2 = excluded.area_m2, "
      "is_hub = excluded.is_hub, operator = excluded.operator, opened = excluded.opened, "
      "sign_width_cm = excluded.sign_width_cm, sign_height_cm = excluded.sign_height_cm"},
     NULL, "station.saved"},
    {"rooms", "station_room", "a station's rooms and areas", COLS(rooms),
     {"INSERT INTO station_room(station_code, kind, area_m2) VALUES(:station, :kind, :area_m2) "
      "ON CONFLICT DO UPDATE SET area_m2 = excluded.area_m2"},
     NULL, "room.saved"},
    {"facilities", "station_facility", "a station's facilities and equipment", COLS(facilities),
     {"INSERT INTO station_facility(station_code, kind, quantity, checked) "
      "VALUES(:station, :kind, coalesce(:quantity, 1), :checked) "
      "ON CONFLICT DO UPDATE SET quantity = excluded.quantity, checked = excluded.checked"},
     NULL, "facility.saved"},
    {"institutions", "station_institution", "a station's rules and databases", COLS(institutions),
     {"INSERT INTO station_institution(station_code, kind, adopted) "
      "VALUES(:station, :kind, :adopted) ON CONFLICT DO UPDATE SET adopted = excluded.adopted"},
     NULL, "institution.saved"},
    {"workers", "worker", "social workers and assistants", COLS(workers),
     {"INSERT INTO worker(code, station_code, name, role, village_code, id_masked, birth_date, "
      "qualification, certificate_no, hired_via, engaged_by, phone_masked, hired, left_on) "
      "VALUES(:code, :station, :name, :role, :village, :id_number, :birth_date, "
      "coalesce(:qualification, 'none'), :certificate_no, coalesce(:hired_via, 'direct'), "
      ":engaged_by, :phone, :hired, :left_on) ON CONFLICT(code) DO UPDATE SET "
      "station_code = excluded.station_code, name = excluded.name, role = excluded.role, "
      "village_code = excluded.village_code, id_masked = excluded.id_masked, "
      "birth_date = excluded.birth_date, qualification = excluded.qualification, "
      "certificate_no = excluded.certificate_no, hired_via = excluded.hired_via, "
      "engaged_by = excluded.engaged_by, "
      "phone_masked = excluded.phone_masked, hired = excluded.hired, left_on = excluded.left_on"},
     check_worker, "worker.saved"},
    {"trainings", "training", "training hours of workers (appended)", COLS(trainings),
     {"INSERT INTO training(worker_code, date, hours, topic) VALUES(:worker, :date, :hours, :topic)"},
     NULL, "training.added"},
    {"worktime", "worktime", "monthly working hours and community hours", COLS(worktime),
     {"INSERT INTO worktime(worker_code, month, total_hours, community_hours) "
      "VALUES(:worker, :month, :total_hours, :community_hours) ON CONFLICT DO UPDATE SET "
      "total_hours = excluded.total_hours, community_hours = excluded.community_hours"},
     check_worktime, "worktime.saved"},
    {"contacts", "village_contact", "designated contact workers of villages (several allowed)",
     COLS(contacts),
     {"INSERT INTO village_contact(village_code, worker_code, since, until) "
      "VALUES(:village, :worker, :since, :until) ON CONFLICT(village_code, worker_code) "
      "DO UPDATE SET since = excluded.since, until = excluded.until"},
     check_contact, "contact.saved"},
    {"community_rooms", "community_room", "community social work rooms (社区社会工作室)",
     COLS(community_rooms),
     {"INSERT INTO community_room(village_code, name, opened) VALUES(:village, :name, :opened) "
      "ON CONFLICT(village_code) DO UPDATE SET name = excluded.name, opened = excluded.opened"},
     NULL, "community_room.saved"},
    {"plans", "station_plan", "each station's construction plan and its expert review",
     COLS(plans),
     {"INSERT INTO station_plan(station_code, title, drafted_on, reviewed_on, reviewed_by) "
      "VALUES(:station, :title, :drafted_on, :reviewed_on, :reviewed_by) "
      "ON CONFLICT(station_code) DO UPDATE SET title = excluded.title, "
      "drafted_on = excluded.drafted_on, reviewed_on = excluded.reviewed_on, "
      "reviewed_by = excluded.reviewed_by"},
     check_plan, "plan.saved"},
    {"mentoring", "mentoring", "3+3+2 mentor/assistant pairs", COLS(mentoring),
     {"INSERT INTO mentoring(mentor_code, assistant_code, start_date, end_date) "
      "VALUES(:mentor, :assistant, :start_date, :end_date) ON CONFLICT DO UPDATE SET "
      "start_date = excluded.start_date, end_date = excluded.end_date"},
     check_mentoring, "mentoring.saved"},
    {"volunteers", "volunteer", "registered volunteers", COLS(volunteers),
     {"INSERT INTO volunteer(code, station_code, name, phone_masked, registered, team) "
      "VALUES(:code, :station, :name, :phone, :registered, :team) ON CONFLICT(code) DO UPDATE "
      "SET station_code = excluded.station_code, name = excluded.name, "
      "phone_masked = excluded.phone_masked, registered = excluded.registered, "
      "team = excluded.team"},
     NULL, "volunteer.saved"},
    {"volunteer_service", "volunteer_service", "volunteer service hours (appended)",
     COLS(volunteer_service),
     {"INSERT INTO volunteer_service(volunteer_code, date, hours, activity) "
      "VALUES(:volunteer, :date, :hours, :activity)"},
     NULL, "volunteer_service.added"},
    {"orgs", "community_org", "community social organisations", COLS(orgs),
     {"INSERT INTO community_org(code, station_code, name, kind, registered) "
      "VALUES(:code, :station, :name, :kind, :registered) ON CONFLICT(code) DO UPDATE SET "
      "station_code = excluded.station_code, name = excluded.name, kind = excluded.kind, "
      "registered = excluded.registered"},
     NULL, "org.saved"},
    {"charity", "charity_resource", "charity resources linked", COLS(charity),
     {"INSERT INTO charity_resource(code, station_code, name, kind, amount, year) "
      "VALUES(:code, :station, :name, :kind, :amount, :year) ON CONFLICT(code) DO UPDATE SET "
      "station_code = excluded.station_code, name = excluded.name, kind = excluded.kind, "
      "amount = excluded.amount, year = excluded.year"},
     NULL, "charity.saved"},
    {"clients", "client", "service objects (minimal personal data)", COLS(clients),
     {"INSERT INTO client(code, station_code, village_code, category, id_masked, birth_year, "
      "phone_masked, birth_date, name, address, consent, consent_date, closed_on) "
      "VALUES(:code, :station, :village, :category, :id_number, :birth_year, :phone, "
      ":birth_date, :name, :address, coalesce(:consent, 'none'), :consent_date, :closed_on) "
      "ON CONFLICT(code) DO UPDATE SET station_code = excluded.station_code, "
      "village_code = excluded.village_code, category = excluded.category, "
      "id_masked = excluded.id_masked, birth_year = excluded.birth_year, "
      "phone_masked = excluded.phone_masked, birth_date = excluded.birth_date, "
      "name = excluded.name, address = excluded.address, consent = excluded.consent, "
      "consent_date = excluded.consent_date, closed_on = excluded.closed_on"},
     NULL, "client.saved"},
    {"services", "service_record", "service records (appended)", COLS(services),
     /* each record is judged (service or chore) as it is stored: see chores.h */
     {"INSERT INTO service_record(station_code, client_code, worker_code, date, domain, method, "
      "hours, participants, description, chore) VALUES(:station, :client, :worker, :date, "
      ":domain, :method, :hours, :participants, :description, "
      "sws_chore(:station, :description))"},
     NULL, "service.added"},
    {"funding", "funding", "budgets and spending by year, category and source", COLS(funding),
     {"INSERT INTO funding(station_code, year, category, source, budget, spent) "
      "VALUES(:station, :year, :category, :source, :budget, coalesce(:spent, 0)) "
      "ON CONFLICT DO UPDATE SET budget = excluded.budget, spent = excluded.spent"},
     NULL, "funding.saved"},
    {"county_reports", "county_report", "a county's annual report delivered to the city",
     COLS(county_reports),
     {"INSERT INTO county_report(county_code, year, due_date, delivered_at, delivered_as_of, path) "
      "VALUES(:county, :year, :year || '-11-30', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
      ":delivered_on, :path) ON CONFLICT DO UPDATE SET delivered_at = excluded.delivered_at, "
      "delivered_as_of = excluded.delivered_as_of, path = excluded.path"},
     NULL, "county_report.saved"},
    {"scores", "evaluation_score", "assessor scores per station, year, phase and item",
     COLS(scores),
     {"INSERT INTO evaluation(station_code, year, phase, assessor) "
      "VALUES(:station, :year, :phase, :assessor) ON CONFLICT DO NOTHING",
      "INSERT INTO evaluation_score(evaluation_id, item_code, score, evidence) VALUES("
      "(SELECT id FROM evaluation WHERE station_code = :station AND year = :year "
      "AND phase = :phase AND assessor = :assessor), :item, :score, :evidence) "
      "ON CONFLICT DO UPDATE SET score = excluded.score, evidence = excluded.evidence"},
     NULL, "score.saved"},
};

const size_t sws_import_kind_count = sizeof sws_import_kinds / sizeof sws_import_kinds[0];

/* ---- Chinese header names ------------------------------------------------ */

/* The first alias of a column is the one templates and help show. */
const sws_header_alias sws_header_aliases[] = {
    {"名称", "name"}, {"姓名", "name"},
    {"编码", "code"}, {"编号", "code"}, {"代码", "code"},
    {"身份证号", "id_number"}, {"身份证号码", "id_number"}, {"身份证", "id_number"},
    {"手机", "phone"}, {"手机号", "phone"}, {"手机号码", "phone"}, {"联系电话", "phone"},
    {"入职日期", "hired"}, {"离职日期", "left_on"},
    {"出生日期", "birth_date"}, {"出生年份", "birth_year"},
    {"工作站", "station"}, {"站点编码", "station"},
    {"县区编码", "county_code"}, {"城市编码", "city_code"}, {"省份编码", "province_code"},
    {"乡镇编码", "township_code"}, {"村社区", "village"}, {"村社区编码", "village"},
    {"人口", "population"}, {"服务对象数", "service_objects"},
    {"地址", "address"}, {"面积", "area_m2"}, {"是否总站", "is_hub"},
    {"运营机构", "operator"}, {"启用日期", "opened"},
    {"标牌宽度", "sign_width_cm"}, {"标牌高度", "sign_height_cm"},
    {"类型", "kind"}, {"数量", "quantity"}, {"检查日期", "checked"}, {"制定日期", "adopted"},
    {"岗位", "role"}, {"角色", "role"}, {"学历", "qualification"},
    {"证书编号", "certificate_no"}, {"招聘方式", "hired_via"},
    {"社工", "worker"}, {"工作人员", "worker"}, {"日期", "date"}, {"时长", "hours"},
    {"小时", "hours"}, {"主题", "topic"}, {"月份", "month"},
    {"总工时", "total_hours"}, {"驻村工时", "community_hours"},
    {"督导", "mentor"}, {"助理", "assistant"}, {"开始日期", "start_date"},
    {"结束日期", "end_date"}, {"志愿者", "volunteer"}, {"登记日期", "registered"},
    {"活动", "activity"}, {"金额", "amount"}, {"年度", "year"}, {"年份", "year"},
    {"服务对象", "client"}, {"类别", "category"}, {"领域", "domain"},
    {"服务领域", "domain"}, {"方式", "method"}, {"服务方式", "method"},
    {"参与人数", "participants"}, {"内容", "description"}, {"描述", "description"},
    {"预算", "budget"}, {"支出", "spent"}, {"来源", "source"}, {"资金来源", "source"},
    {"阶段", "phase"}, {"评估方", "assessor"}, {"指标", "item"}, {"得分", "score"},
    {"依据", "evidence"},
    {NULL, NULL},
};

const char *sws_header_alias_of(const char *column)
{
    for (const sws_header_alias *a = sws_header_aliases; a->alias; a++)
        if (strcmp(a->column, column) == 0)
            return a->alias;
    return NULL;
}
