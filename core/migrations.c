/*
 * migrations.c — the numbered schema migrations of the sws database.
 *
 * Migration N takes a database from `PRAGMA user_version` N-1 to N. A
 * migration that has shipped is never edited: a change to the schema is a
 * new migration appended to the list. The CHECK constraints on enumerations
 * mirror the vocabularies of domain.c (a unit test keeps them in step).
 *
 * Division codes are TEXT: they are identifiers, not numbers, and leading
 * digits carry meaning (digits 7–9 of a township code tell its kind).
 */
#include "db.h"

static const char m1_divisions_and_stations[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"

    "CREATE TABLE county(\n"
    "  code TEXT PRIMARY KEY CHECK(length(code) = 6 AND code NOT GLOB '*[^0-9]*'),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  city_code TEXT, province_code TEXT);\n"

    /* kind follows the code: digit 7 is 0 for 街道, 1 for 镇, 2–3 for 乡,
     * 4 and above for farms, reserves and zones that need no station. */
    "CREATE TABLE township(\n"
    "  code TEXT PRIMARY KEY CHECK(length(code) = 9 AND code NOT GLOB '*[^0-9]*'),\n"
    "  county_code TEXT NOT NULL REFERENCES county(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  population INTEGER CHECK(population >= 0),\n"
    "  service_objects INTEGER CHECK(service_objects >= 0),\n"
    "  kind TEXT GENERATED ALWAYS AS (CASE substr(code, 7, 1)\n"
    "    WHEN '0' THEN 'subdistrict' WHEN '1' THEN 'town'\n"
    "    WHEN '2' THEN 'township' WHEN '3' THEN 'township' ELSE 'special' END) VIRTUAL,\n"
    "  CHECK(substr(code, 1, 6) = county_code));\n"
    "CREATE INDEX township_county ON township(county_code);\n"

    "CREATE TABLE village(\n"
    "  code TEXT PRIMARY KEY CHECK(length(code) = 12 AND code NOT GLOB '*[^0-9]*'),\n"
    "  township_code TEXT NOT NULL REFERENCES township(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  kind TEXT GENERATED ALWAYS AS (CASE WHEN substr(code, 10, 1) IN ('0', '1')\n"
    "    THEN 'community' ELSE 'village' END) VIRTUAL,\n"
    "  CHECK(substr(code, 1, 9) = township_code));\n"
    "CREATE INDEX village_township ON village(township_code);\n"

    /* One station per township: the township code is the station's key. */
    "CREATE TABLE station(\n"
    "  code TEXT PRIMARY KEY REFERENCES township(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  address TEXT,\n"
    "  area_m2 REAL CHECK(area_m2 >= 0),\n"
    "  is_hub INTEGER NOT NULL DEFAULT 0 CHECK(is_hub IN (0, 1)),\n"
    "  operator TEXT,\n"
    "  opened TEXT CHECK(opened IS NULL OR date(opened) = opened),\n"
    "  sign_width_cm REAL CHECK(sign_width_cm > 0),\n"
    "  sign_height_cm REAL CHECK(sign_height_cm > 0));\n"

    "CREATE TABLE station_room(\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('social_work', 'case', 'group_activity',\n"
    "    'multi_function', 'archive', 'reception', 'display', 'office')),\n"
    "  area_m2 REAL CHECK(area_m2 >= 0),\n"
    "  PRIMARY KEY(station_code, kind));\n"

    "CREATE TABLE station_facility(\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('service_window', 'wall_posting', 'public_toilet',\n"
    "    'complaint_box', 'hotline', 'fire_safety', 'anti_theft', 'escape_route',\n"
    "    'anti_slip_sign', 'liability_insurance', 'safety_check', 'desk', 'computer',\n"
    "    'printer', 'file_cabinet', 'sign_indoor', 'sign_outdoor', 'direction_sign',\n"
    "    'uniform', 'badge')),\n"
    "  quantity INTEGER NOT NULL DEFAULT 1 CHECK(quantity >= 0),\n"
    "  checked TEXT CHECK(checked IS NULL OR date(checked) = checked),\n"
    "  PRIMARY KEY(station_code, kind));\n"

    "CREATE TABLE station_institution(\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('org_chart', 'operating_procedure', 'post_rules',\n"
    "    'finance_rules', 'training_rules', 'volunteer_rules', 'archive_rules',\n"
    "    'asset_rules', 'volunteer_db', 'client_db')),\n"
    "  adopted TEXT CHECK(adopted IS NULL OR date(adopted) = adopted),\n"
    "  PRIMARY KEY(station_code, kind));\n";

static const char m2_people[] =
    /* Resident ID numbers are kept only masked (first 6, last 4); the birth
     * date they carry is what the age rule needs. */
    "CREATE TABLE worker(\n"
    "  code TEXT PRIMARY KEY CHECK(code <> ''),\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  role TEXT NOT NULL CHECK(role IN ('resident', 'room', 'assistant', 'mentor')),\n"
    "  village_code TEXT REFERENCES village(code),\n"
    "  id_masked TEXT,\n"
    "  birth_date TEXT CHECK(birth_date IS NULL OR date(birth_date) = birth_date),\n"
    "  qualification TEXT NOT NULL DEFAULT 'none' CHECK(qualification IN ('none',\n"
    "    'sw_degree', 'related_degree', 'assistant_social_worker', 'social_worker',\n"
    "    'senior_social_worker')),\n"
    "  certificate_no TEXT,\n"
    "  hired_via TEXT NOT NULL DEFAULT 'direct' CHECK(hired_via IN ('direct',\n"
    "    'introduction', 'cultivation', 'secondment')),\n"
    "  phone_masked TEXT,\n"
    "  hired TEXT CHECK(hired IS NULL OR date(hired) = hired),\n"
    "  left_on TEXT CHECK(left_on IS NULL OR date(left_on) = left_on),\n"
    "  CHECK(left_on IS NULL OR hired IS NULL OR left_on >= hired));\n"
    "CREATE INDEX worker_station ON worker(station_code);\n"

    "CREATE TABLE training(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  worker_code TEXT NOT NULL REFERENCES worker(code),\n"
    "  date TEXT NOT NULL CHECK(date(date) = date),\n"
    "  hours REAL NOT NULL CHECK(hours > 0 AND hours <= 24),\n"
    "  topic TEXT);\n"
    "CREATE INDEX training_worker ON training(worker_code, date);\n"

    "CREATE TABLE worktime(\n"
    "  worker_code TEXT NOT NULL REFERENCES worker(code),\n"
    "  month TEXT NOT NULL CHECK(month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),\n"
    "  total_hours REAL NOT NULL CHECK(total_hours >= 0 AND total_hours <= 744),\n"
    "  community_hours REAL NOT NULL CHECK(community_hours >= 0\n"
    "    AND community_hours <= total_hours),\n"
    "  PRIMARY KEY(worker_code, month));\n"

    /* At most one designated contact worker per village or community. */
    "CREATE TABLE village_contact(\n"
    "  village_code TEXT PRIMARY KEY REFERENCES village(code),\n"
    "  worker_code TEXT NOT NULL REFERENCES worker(code));\n"

    /* 3+3+2: a professional mentor and a local assistant, for two years. */
    "CREATE TABLE mentoring(\n"
    "  mentor_code TEXT NOT NULL REFERENCES worker(code),\n"
    "  assistant_code TEXT NOT NULL REFERENCES worker(code),\n"
    "  start_date TEXT NOT NULL CHECK(date(start_date) = start_date),\n"
    "  end_date TEXT CHECK(end_date IS NULL OR (date(end_date) = end_date\n"
    "    AND end_date >= start_date)),\n"
    "  PRIMARY KEY(mentor_code, assistant_code),\n"
    "  CHECK(mentor_code <> assistant_code));\n"

    "CREATE TABLE volunteer(\n"
    "  code TEXT PRIMARY KEY CHECK(code <> ''),\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  phone_masked TEXT,\n"
    "  registered TEXT CHECK(registered IS NULL OR date(registered) = registered));\n"
    "CREATE INDEX volunteer_station ON volunteer(station_code);\n"

    "CREATE TABLE volunteer_service(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  volunteer_code TEXT NOT NULL REFERENCES volunteer(code),\n"
    "  date TEXT NOT NULL CHECK(date(date) = date),\n"
    "  hours REAL NOT NULL CHECK(hours > 0 AND hours <= 24),\n"
    "  activity TEXT);\n"
    "CREATE INDEX volunteer_service_volunteer ON volunteer_service(volunteer_code, date);\n"

    "CREATE TABLE community_org(\n"
    "  code TEXT PRIMARY KEY CHECK(code <> ''),\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('service', 'charity', 'culture', 'affairs', 'other')),\n"
    "  registered TEXT CHECK(registered IS NULL OR date(registered) = registered));\n"

    "CREATE TABLE charity_resource(\n"
    "  code TEXT PRIMARY KEY CHECK(code <> ''),\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  kind TEXT NOT NULL CHECK(kind IN ('fund', 'goods', 'venue', 'service', 'project')),\n"
    "  amount REAL CHECK(amount >= 0),\n"
    "  year INTEGER CHECK(year BETWEEN 2000 AND 2100));\n"

    /* A service object: category and as little personal data as the
     * services need. */
    "CREATE TABLE client(\n"
    "  code TEXT PRIMARY KEY CHECK(code <> ''),\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  village_code TEXT REFERENCES village(code),\n"
    "  category TEXT NOT NULL CHECK(category IN ('subsistence', 'extreme_poverty',\n"
    "    'low_income', 'medical_aid', 'temporary_aid', 'child', 'left_behind_child',\n"
    "    'elderly', 'disabled', 'migrant', 'community_correction', 'disaster', 'other')),\n"
    "  id_masked TEXT,\n"
    "  birth_year INTEGER CHECK(birth_year BETWEEN 1900 AND 2100),\n"
    "  phone_masked TEXT);\n"
    "CREATE INDEX client_station ON client(station_code);\n";

static const char m3_services_money_evaluation[] =
    "CREATE TABLE service_record(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  client_code TEXT REFERENCES client(code),\n"
    "  worker_code TEXT REFERENCES worker(code),\n"
    "  date TEXT NOT NULL CHECK(date(date) = date),\n"
    "  domain TEXT NOT NULL CHECK(domain IN ('party_building', 'social_assistance',\n"
    "    'child_protection', 'elderly_care', 'emergency', 'migrant',\n"
    "    'community_correction', 'civil_affairs', 'community_governance', 'volunteer',\n"
    "    'charity', 'org_cultivation')),\n"
    "  method TEXT NOT NULL CHECK(method IN ('case', 'group', 'community')),\n"
    "  hours REAL NOT NULL CHECK(hours > 0 AND hours <= 24),\n"
    "  participants INTEGER CHECK(participants >= 0),\n"
    "  description TEXT);\n"
    "CREATE INDEX service_record_station ON service_record(station_code, date);\n"

    "CREATE TABLE funding(\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  year INTEGER NOT NULL CHECK(year BETWEEN 2000 AND 2100),\n"
    "  category TEXT NOT NULL CHECK(category IN ('construction', 'operation',\n"
    "    'personnel', 'evaluation')),\n"
    "  source TEXT NOT NULL CHECK(source IN ('welfare_lottery', 'city_budget',\n"
    "    'county_budget', 'township_budget', 'charity', 'other')),\n"
    "  budget REAL NOT NULL CHECK(budget >= 0),\n"
    "  spent REAL NOT NULL DEFAULT 0 CHECK(spent >= 0),\n"
    "  PRIMARY KEY(station_code, year, category, source));\n"

    "CREATE TABLE evaluation(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  station_code TEXT NOT NULL REFERENCES station(code),\n"
    "  year INTEGER NOT NULL CHECK(year BETWEEN 2000 AND 2100),\n"
    "  phase TEXT NOT NULL CHECK(phase IN ('mid', 'final')),\n"
    "  assessor TEXT NOT NULL CHECK(assessor IN ('self', 'government', 'third_party')),\n"
    "  UNIQUE(station_code, year, phase, assessor));\n"

    "CREATE TABLE evaluation_score(\n"
    "  evaluation_id INTEGER NOT NULL REFERENCES evaluation(id),\n"
    "  item_code TEXT NOT NULL CHECK(item_code <> ''),\n"
    "  score REAL NOT NULL CHECK(score >= 0),\n"
    "  evidence TEXT,\n"
    "  PRIMARY KEY(evaluation_id, item_code));\n";

static const char m4_workflow[] =
    "CREATE TABLE workflow_instance(\n"
    "  station_code TEXT PRIMARY KEY REFERENCES township(code),\n"
    "  policy_name TEXT NOT NULL,\n"
    "  policy_version TEXT NOT NULL,\n"
    "  stage TEXT NOT NULL,\n"
    "  started TEXT NOT NULL,\n"
    "  updated TEXT NOT NULL);\n"

    /* Append-only: triggers refuse updates and deletes. */
    "CREATE TABLE workflow_event(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  station_code TEXT NOT NULL REFERENCES workflow_instance(station_code),\n"
    "  time TEXT NOT NULL,\n"
    "  actor TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  from_stage TEXT,\n"
    "  to_stage TEXT,\n"
    "  reason TEXT,\n"
    "  policy_version TEXT,\n"
    "  payload TEXT);\n"
    "CREATE INDEX workflow_event_station ON workflow_event(station_code, id);\n"
    "CREATE TRIGGER workflow_event_no_update BEFORE UPDATE ON workflow_event\n"
    "  BEGIN SELECT RAISE(ABORT, 'the workflow audit trail is append-only'); END;\n"
    "CREATE TRIGGER workflow_event_no_delete BEFORE DELETE ON workflow_event\n"
    "  BEGIN SELECT RAISE(ABORT, 'the workflow audit trail is append-only'); END;\n"

    "CREATE TABLE deadline(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  station_code TEXT NOT NULL REFERENCES workflow_instance(station_code),\n"
    "  what TEXT NOT NULL,\n"
    "  due TEXT NOT NULL CHECK(date(due) = due),\n"
    "  opened_by INTEGER REFERENCES workflow_event(id),\n"
    "  met TEXT);\n"
    "CREATE INDEX deadline_due ON deadline(due);\n"

    "CREATE TABLE job_run(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  job TEXT NOT NULL,\n"
    "  started TEXT NOT NULL,\n"
    "  finished TEXT,\n"
    "  status TEXT CHECK(status IN ('running', 'ok', 'failed')),\n"
    "  message TEXT);\n";

static const char m5_workflow_rejections[] =
    /* Refused advances are kept apart from the audit trail of stage changes,
     * so that a refusal changes neither the stage nor workflow_event. */
    "CREATE TABLE workflow_rejection(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  station_code TEXT NOT NULL REFERENCES workflow_instance(station_code),\n"
    "  time TEXT NOT NULL,\n"
    "  actor TEXT NOT NULL,\n"
    "  from_stage TEXT NOT NULL,\n"
    "  to_stage TEXT NOT NULL,\n"
    "  reasons TEXT NOT NULL,\n"
    "  policy_version TEXT);\n"
    "CREATE INDEX workflow_rejection_station ON workflow_rejection(station_code, id);\n"
    /* the stage whose entry meets a deadline (a mid-term deadline is met by
     * entering 'midterm') */
    "ALTER TABLE deadline ADD COLUMN met_by TEXT;\n"
    "CREATE INDEX deadline_station ON deadline(station_code, met_by);\n";

static const char m6_service_index[] =
    /* The evaluation reads every service record of a city by station, date,
     * domain and method: an index holding all four answers it without
     * visiting the table. It replaces the (station_code, date) index, which
     * is its prefix. */
    "CREATE INDEX service_record_station_date_domain ON service_record(station_code, date, "
    "domain, method);\n"
    "DROP INDEX service_record_station;\n";

static const char m7_evaluation_runs[] =
    /* Stored evaluation runs (`sws eval score --save`): what every station
     * scored, with the plan (indicator tree, weights, bands) and the policy
     * content hash of every county, so that a run can be explained as it was.
     * A published run is never changed or deleted: the triggers refuse it. */
    "CREATE TABLE eval_run(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  year INTEGER NOT NULL,\n"
    "  phase TEXT NOT NULL CHECK(phase IN ('mid', 'final')),\n"
    "  period_from TEXT NOT NULL,\n"
    "  period_to TEXT NOT NULL,\n"
    "  share REAL NOT NULL,\n"
    "  scored_on TEXT NOT NULL,\n"
    "  stations INTEGER NOT NULL,\n"
    "  published TEXT);\n"
    "CREATE TABLE eval_run_county(\n"
    "  run INTEGER NOT NULL REFERENCES eval_run(id),\n"
    "  county TEXT NOT NULL,\n"
    "  policy TEXT NOT NULL,\n"
    "  version TEXT NOT NULL,\n"
    "  file TEXT NOT NULL,\n"
    "  hash TEXT NOT NULL,\n"
    "  plan TEXT NOT NULL,\n"
    "  PRIMARY KEY(run, county));\n"
    "CREATE TABLE eval_run_station(\n"
    "  run INTEGER NOT NULL REFERENCES eval_run(id),\n"
    "  station TEXT NOT NULL,\n"
    "  county TEXT NOT NULL,\n"
    "  name TEXT NOT NULL, township TEXT NOT NULL, county_name TEXT NOT NULL,\n"
    "  base REAL NOT NULL, bonus REAL NOT NULL, total REAL NOT NULL,\n"
    "  vetoed INTEGER NOT NULL, grade TEXT NOT NULL, stars INTEGER NOT NULL,\n"
    "  rank_county INTEGER NOT NULL, n_county INTEGER NOT NULL,\n"
    "  rank_city INTEGER NOT NULL, n_city INTEGER NOT NULL,\n"
    "  evaluations INTEGER NOT NULL, findings INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run, station));\n"
    "CREATE TABLE eval_run_dimension(\n"
    "  run INTEGER NOT NULL REFERENCES eval_run(id),\n"
    "  station TEXT NOT NULL,\n"
    "  dimension TEXT NOT NULL,\n"
    "  earned REAL NOT NULL, score REAL NOT NULL,\n"
    "  PRIMARY KEY(run, station, dimension));\n"
    "CREATE TABLE eval_run_item(\n"
    "  run INTEGER NOT NULL REFERENCES eval_run(id),\n"
    "  station TEXT NOT NULL,\n"
    "  item TEXT NOT NULL,\n"
    "  earned REAL NOT NULL, why TEXT, error TEXT,\n"
    "  self REAL, government REAL, third_party REAL,\n"
    "  self_evidence TEXT, government_evidence TEXT, third_party_evidence TEXT,\n"
    "  have INTEGER NOT NULL, missing INTEGER NOT NULL,\n"
    "  PRIMARY KEY(run, station, item));\n"
    "CREATE TABLE eval_run_finding(\n"
    "  run INTEGER NOT NULL REFERENCES eval_run(id),\n"
    "  seq INTEGER NOT NULL,\n"
    "  station TEXT NOT NULL,\n"
    "  kind INTEGER NOT NULL, item TEXT, assessor INTEGER NOT NULL, message TEXT,\n"
    "  PRIMARY KEY(run, seq));\n"
    "CREATE TRIGGER eval_run_published_update BEFORE UPDATE ON eval_run\n"
    "  WHEN OLD.published IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_published_delete BEFORE DELETE ON eval_run\n"
    "  WHEN OLD.published IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never deleted'); END;\n"
    "CREATE TRIGGER eval_run_county_insert BEFORE INSERT ON eval_run_county\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = NEW.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_county_update BEFORE UPDATE ON eval_run_county\n"
    "  WHEN (SELECT published FROM eval_run WHERE id IN (OLD.run, NEW.run)\n"
    "        AND published IS NOT NULL) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_county_delete BEFORE DELETE ON eval_run_county\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = OLD.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never deleted'); END;\n"
    "CREATE TRIGGER eval_run_station_insert BEFORE INSERT ON eval_run_station\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = NEW.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_station_update BEFORE UPDATE ON eval_run_station\n"
    "  WHEN (SELECT published FROM eval_run WHERE id IN (OLD.run, NEW.run)\n"
    "        AND published IS NOT NULL) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_station_delete BEFORE DELETE ON eval_run_station\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = OLD.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never deleted'); END;\n"
    "CREATE TRIGGER eval_run_dimension_insert BEFORE INSERT ON eval_run_dimension\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = NEW.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_dimension_update BEFORE UPDATE ON eval_run_dimension\n"
    "  WHEN (SELECT published FROM eval_run WHERE id IN (OLD.run, NEW.run)\n"
    "        AND published IS NOT NULL) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_dimension_delete BEFORE DELETE ON eval_run_dimension\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = OLD.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never deleted'); END;\n"
    "CREATE TRIGGER eval_run_item_insert BEFORE INSERT ON eval_run_item\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = NEW.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_item_update BEFORE UPDATE ON eval_run_item\n"
    "  WHEN (SELECT published FROM eval_run WHERE id IN (OLD.run, NEW.run)\n"
    "        AND published IS NOT NULL) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_item_delete BEFORE DELETE ON eval_run_item\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = OLD.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never deleted'); END;\n"
    "CREATE TRIGGER eval_run_finding_insert BEFORE INSERT ON eval_run_finding\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = NEW.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_finding_update BEFORE UPDATE ON eval_run_finding\n"
    "  WHEN (SELECT published FROM eval_run WHERE id IN (OLD.run, NEW.run)\n"
    "        AND published IS NOT NULL) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never changed'); END;\n"
    "CREATE TRIGGER eval_run_finding_delete BEFORE DELETE ON eval_run_finding\n"
    "  WHEN (SELECT published FROM eval_run WHERE id = OLD.run) IS NOT NULL\n"
    "  BEGIN SELECT RAISE(ABORT, 'a published evaluation run is never deleted'); END;\n";
static const char m8_service_judgement[] =
    /* Each service record is judged once, when it is stored: chore is ''
     * for a service, the chore pattern (of the station's county policy) that
     * it matched otherwise, and NULL while it is not judged yet (a record
     * written outside the import; the next check judges it). chore_judgement
     * records, per county, the patterns its records were judged with: when
     * the policy's patterns change, that county's records are judged again. */
    "ALTER TABLE service_record ADD COLUMN chore TEXT;\n"
    "CREATE INDEX service_record_chore ON service_record(station_code, date) "
    "WHERE chore <> '';\n"
    "CREATE INDEX service_record_unjudged ON service_record(station_code) WHERE chore IS NULL;\n"
    "CREATE TABLE chore_judgement(\n"
    "  county_code TEXT PRIMARY KEY,\n"
    "  patterns TEXT NOT NULL,\n"
    "  policy TEXT NOT NULL,\n"
    "  policy_hash TEXT NOT NULL);\n";

/* The twelve service domains as aggregate columns (the vocabulary of
 * domain.c and the CHECK of service_record.domain). */
#define SM_DOMAINS(X)                                                                          \
    X(party_building) X(social_assistance) X(child_protection) X(elderly_care) X(emergency)    \
    X(migrant) X(community_correction) X(civil_affairs) X(community_governance) X(volunteer) \
    X(charity) X(org_cultivation)
#define SM_COLUMN(d) "  " #d " INTEGER NOT NULL DEFAULT 0,\n"
#define SM_NEW(d) ", NEW.domain = '" #d "'"
#define SM_ADD(d) ", " #d " = " #d " + excluded." #d
#define SM_SUB(d) ", " #d " = " #d " - (OLD.domain = '" #d "')"
#define SM_FRESH(d) ", count(*) FILTER (WHERE domain = '" #d "')"
/* Record NEW counted in `table` under its station and `key` (its month, or
 * its year), and record OLD taken out of it (a period left without records
 * is deleted). */
#define COUNT_NEW(table, key)                                                                  \
    "  INSERT INTO " table " VALUES(NEW.station_code, " key ", 1,\n"                            \
    "    coalesce(NEW.chore <> '', 0), NEW.method = 'case', NEW.method = 'group',\n"            \
    "    NEW.method = 'community'" SM_DOMAINS(SM_NEW) ")\n"                                      \
    "  ON CONFLICT DO UPDATE SET records = records + 1, chores = chores + excluded.chores,\n"   \
    "    case_work = case_work + excluded.case_work, group_work = group_work + excluded.group_work,\n" \
    "    community_work = community_work + excluded.community_work" SM_DOMAINS(SM_ADD) ";\n"
#define UNCOUNT_OLD(table, column, key)                                                        \
    "  UPDATE " table " SET records = records - 1,\n"                                           \
    "    chores = chores - coalesce(OLD.chore <> '', 0), case_work = case_work - (OLD.method = 'case'),\n" \
    "    group_work = group_work - (OLD.method = 'group'),\n"                                    \
    "    community_work = community_work - (OLD.method = 'community')" SM_DOMAINS(SM_SUB) "\n"  \
    "  WHERE station_code = OLD.station_code AND " column " = " key ";\n"                      \
    "  DELETE FROM " table " WHERE station_code = OLD.station_code\n"                          \
    "    AND " column " = " key " AND records = 0;\n"
#define SM_COUNT_NEW COUNT_NEW("service_month", "substr(NEW.date, 1, 7)")
#define SM_UNCOUNT_OLD UNCOUNT_OLD("service_month", "month", "substr(OLD.date, 1, 7)")
#define SY_COUNT_NEW COUNT_NEW("service_year", "CAST(substr(NEW.date, 1, 4) AS INTEGER)")
#define SY_UNCOUNT_OLD                                                                         \
    UNCOUNT_OLD("service_year", "year", "CAST(substr(OLD.date, 1, 4) AS INTEGER)")

/* The triggers that count every write to service_record but an import's
 * (which counts its rows itself): their heads, each followed by its body
 * and "END;". */
#define COUNTED_HEAD                                                                           \
    "CREATE TRIGGER service_record_counted AFTER INSERT ON service_record\n"                   \
    "  WHEN NOT EXISTS (SELECT 1 FROM service_month_paused) BEGIN\n"
#define UNCOUNTED_HEAD                                                                         \
    "CREATE TRIGGER service_record_uncounted AFTER DELETE ON service_record\n"                 \
    "  WHEN NOT EXISTS (SELECT 1 FROM service_month_paused) BEGIN\n"
#define RECOUNTED_HEAD                                                                         \
    "CREATE TRIGGER service_record_recounted AFTER UPDATE OF station_code, date, domain, method,\n" \
    "  chore ON service_record\n"                                                              \
    "  WHEN NOT EXISTS (SELECT 1 FROM service_month_paused) AND (\n"                           \
    "    OLD.station_code IS NOT NEW.station_code\n"                                           \
    "    OR substr(OLD.date, 1, 7) IS NOT substr(NEW.date, 1, 7)\n"                            \
    "    OR OLD.domain IS NOT NEW.domain OR OLD.method IS NOT NEW.method\n"                    \
    "    OR coalesce(OLD.chore <> '', 0) <> coalesce(NEW.chore <> '', 0)) BEGIN\n"

/* The counts of service_month recomputed from service_record, in its column
 * order (the migration's backfill and `sws doctor` use it). */
#define SM_FRESH_SQL                                                                           \
    "SELECT station_code, substr(date, 1, 7) AS month, count(*),"                               \
    " count(*) FILTER (WHERE chore <> ''),"                                                     \
    " count(*) FILTER (WHERE method = 'case'), count(*) FILTER (WHERE method = 'group'),"       \
    " count(*) FILTER (WHERE method = 'community')" SM_DOMAINS(SM_FRESH)                        \
    " FROM service_record GROUP BY station_code, month"
const char sws_service_month_fresh[] = SM_FRESH_SQL;

static const char m9_service_month[] =
    /* Service records counted per station and month, kept by triggers in the
     * transaction of every write (imports, plugins, corrections), so that
     * the check and the evaluation read a few rows per station and month
     * instead of every record. `sws doctor` recomputes and compares them. */
    "CREATE TABLE service_month(\n"
    "  station_code TEXT NOT NULL,\n"
    "  month TEXT NOT NULL,\n"
    "  records INTEGER NOT NULL DEFAULT 0,\n"
    "  chores INTEGER NOT NULL DEFAULT 0,\n"
    "  case_work INTEGER NOT NULL DEFAULT 0,\n"
    "  group_work INTEGER NOT NULL DEFAULT 0,\n"
    "  community_work INTEGER NOT NULL DEFAULT 0,\n"
    SM_DOMAINS(SM_COLUMN)
    "  PRIMARY KEY(station_code, month)) WITHOUT ROWID;\n"
    /* An import counts its rows itself (core/aggregates.c) and sets this
     * flag inside its own transaction, so the triggers stand aside. */
    "CREATE TABLE service_month_paused(by_import INTEGER NOT NULL);\n"
    COUNTED_HEAD SM_COUNT_NEW "END;\n"
    UNCOUNTED_HEAD SM_UNCOUNT_OLD "END;\n"
    RECOUNTED_HEAD SM_UNCOUNT_OLD SM_COUNT_NEW "END;\n"
    "INSERT INTO service_month " SM_FRESH_SQL ";\n";

static const char m10_station_indexes[] =
    /* The check and the evaluation read every table a chunk of stations at a
     * time (station_code BETWEEN first AND last): these two had no index
     * that starts with the station. */
    "CREATE INDEX community_org_station ON community_org(station_code);\n"
    "CREATE INDEX charity_resource_station ON charity_resource(station_code, year);\n";
static const char m11_client_privacy[] =
    /* Personal data of service objects under the personal-information
     * protection law's rules for sensitive data: consent per object with its
     * date, the birth date taken from the ID number (age and minor status are
     * derived from it), closing and deactivation instead of deletion, and the
     * day the retention job cleared the personal fields. */
    "ALTER TABLE client ADD COLUMN name TEXT;\n"
    "ALTER TABLE client ADD COLUMN address TEXT;\n"
    "ALTER TABLE client ADD COLUMN birth_date TEXT\n"
    "  CHECK(birth_date IS NULL OR date(birth_date) = birth_date);\n"
    "ALTER TABLE client ADD COLUMN consent TEXT NOT NULL DEFAULT 'none'\n"
    "  CHECK(consent IN ('none', 'oral', 'written', 'guardian', 'expired'));\n"
    "ALTER TABLE client ADD COLUMN consent_date TEXT\n"
    "  CHECK(consent_date IS NULL OR date(consent_date) = consent_date);\n"
    "ALTER TABLE client ADD COLUMN closed_on TEXT\n"
    "  CHECK(closed_on IS NULL OR date(closed_on) = closed_on);\n"
    "ALTER TABLE client ADD COLUMN deactivated_on TEXT\n"
    "  CHECK(deactivated_on IS NULL OR date(deactivated_on) = deactivated_on);\n"
    "ALTER TABLE client ADD COLUMN cleared_on TEXT\n"
    "  CHECK(cleared_on IS NULL OR date(cleared_on) = cleared_on);\n"
    /* the volunteer team (志愿服务队) a volunteer serves with */
    "ALTER TABLE volunteer ADD COLUMN team TEXT;\n"
    "CREATE TRIGGER client_no_delete BEFORE DELETE ON client\n"
    "  BEGIN SELECT RAISE(ABORT, 'service objects are deactivated, never deleted'); END;\n"
    /* What the retention job cleared: one row per object and run. */
    "CREATE TABLE retention_log(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  client_code TEXT NOT NULL REFERENCES client(code),\n"
    "  cleared_on TEXT NOT NULL CHECK(date(cleared_on) = cleared_on),\n"
    "  closed_on TEXT NOT NULL,\n"
    "  fields TEXT NOT NULL,\n"
    "  policy TEXT NOT NULL);\n"
    "CREATE TRIGGER retention_log_no_update BEFORE UPDATE ON retention_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'the retention log is append-only'); END;\n"
    "CREATE TRIGGER retention_log_no_delete BEFORE DELETE ON retention_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'the retention log is append-only'); END;\n";

static const char m12_access_log[] =
    /* Who saw unmasked personal data, when, what and why. Append-only; a
     * row may be removed only when it is more than six months old. */
    "CREATE TABLE access_log(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  time TEXT NOT NULL,\n"
    "  who TEXT NOT NULL CHECK(who <> ''),\n"
    "  what TEXT NOT NULL CHECK(what <> ''),\n"
    "  reason TEXT NOT NULL CHECK(length(trim(reason)) > 0),\n"
    "  as_of TEXT);\n"
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log\n"
    "  BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;\n"
    "CREATE TRIGGER access_log_keep_six_months BEFORE DELETE ON access_log\n"
    "  WHEN old.time > datetime('now', '-6 months')\n"
    "  BEGIN SELECT RAISE(ABORT, 'access-log rows are kept at least six months'); END;\n";

static const char m13_job_runs[] =
    /* Every run of a job, scheduled or by hand, is one row; (job,
     * scheduled_at) is the idempotency key that keeps a run from happening
     * twice across restarts and reloads. `job` names the job instance
     * ("county_report@330302" for a county's run of a per-county job);
     * scheduled_at is the wall-clock minute in the policy's time zone with
     * its offset ("2026-11-30 09:00+08:00"); as_of is the date the job saw as
     * today. Outcomes: running, ok, failed, skipped (a missed or overlapping
     * run not made, see the catch-up rule). The table of migration 4 was
     * never written to; its rows, if any, are kept as manual runs. */
    "CREATE TABLE job_run_new(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  job TEXT NOT NULL,\n"
    "  scheduled_at TEXT NOT NULL,\n"
    "  as_of TEXT NOT NULL CHECK(date(as_of) = as_of),\n"
    "  trigger TEXT NOT NULL CHECK(trigger IN ('scheduled', 'catch-up', 'manual', 'backfill')),\n"
    "  started TEXT,\n"
    "  finished TEXT,\n"
    "  outcome TEXT NOT NULL CHECK(outcome IN ('running', 'ok', 'failed', 'skipped')),\n"
    "  error TEXT,\n"
    "  attempts INTEGER NOT NULL DEFAULT 0 CHECK(attempts >= 0),\n"
    "  policy_version TEXT,\n"
    "  UNIQUE(job, scheduled_at));\n"
    "INSERT INTO job_run_new(id, job, scheduled_at, as_of, trigger, started, finished, outcome,\n"
    "  error, attempts)\n"
    "  SELECT id, job, started, date(started), 'manual', started, finished,\n"
    "    CASE status WHEN 'ok' THEN 'ok' ELSE 'failed' END,\n"
    "    message, 1 FROM job_run;\n"
    "DROP TABLE job_run;\n"
    "ALTER TABLE job_run_new RENAME TO job_run;\n"
    "CREATE INDEX job_run_recent ON job_run(job, scheduled_at DESC);\n"
    /* How far the daemon has handled each job's schedule: slots after this
     * time and before now were missed while no daemon ran (catch-up). */
    "CREATE TABLE job_schedule(\n"
    "  job TEXT PRIMARY KEY,\n"
    "  handled_through TEXT NOT NULL);\n";

static const char m14_county_report[] =
    /* Each county's annual report to the city (每年11月30日前汇总报市民政局):
     * due_date from the policy's schedule, delivered_at the real time it
     * was written, delivered_as_of the date the run stood for, path the file. */
    "CREATE TABLE county_report(\n"
    "  county_code TEXT NOT NULL REFERENCES county(code),\n"
    "  year INTEGER NOT NULL,\n"
    "  due_date TEXT NOT NULL,\n"
    "  delivered_at TEXT,\n"
    "  delivered_as_of TEXT,\n"
    "  path TEXT,\n"
    "  PRIMARY KEY(county_code, year));\n";

static const char m15_village_contacts_dated[] =
    /* A village may have several contact workers; each contact is current
     * from `since` until the day before `until` (NULL: open). */
    "CREATE TABLE village_contact_new(\n"
    "  village_code TEXT NOT NULL REFERENCES village(code),\n"
    "  worker_code TEXT NOT NULL REFERENCES worker(code),\n"
    "  since TEXT CHECK(since IS NULL OR date(since) = since),\n"
    "  until TEXT CHECK(until IS NULL OR date(until) = until),\n"
    "  PRIMARY KEY(village_code, worker_code),\n"
    "  CHECK(until IS NULL OR since IS NULL OR until >= since));\n"
    "INSERT INTO village_contact_new(village_code, worker_code)\n"
    "  SELECT village_code, worker_code FROM village_contact;\n"
    "DROP TABLE village_contact;\n"
    "ALTER TABLE village_contact_new RENAME TO village_contact;\n";

static const char m16_worker_engagement[] =
    /* Who engaged a resident worker: the contracted agency or the township
     * (NULL: not on file, which `sws check` reports). */
    "ALTER TABLE worker ADD COLUMN engaged_by TEXT\n"
    "  CHECK(engaged_by IN ('agency', 'township'));\n";

static const char m17_community_rooms[] =
    /* Community social work rooms (社区社会工作室), one per village at most;
     * their workers are workers of role 'room' with the village's code. */
    "CREATE TABLE community_room(\n"
    "  village_code TEXT PRIMARY KEY REFERENCES village(code),\n"
    "  name TEXT NOT NULL CHECK(name <> ''),\n"
    "  opened TEXT CHECK(opened IS NULL OR date(opened) = opened));\n";

static const char m18_station_plans[] =
    /* 一站一方案: each station's construction plan and its expert review
     * (专家论证). */
    "CREATE TABLE station_plan(\n"
    "  station_code TEXT PRIMARY KEY REFERENCES township(code),\n"
    "  title TEXT NOT NULL CHECK(title <> ''),\n"
    "  drafted_on TEXT NOT NULL CHECK(date(drafted_on) = drafted_on),\n"
    "  reviewed_on TEXT CHECK(reviewed_on IS NULL OR date(reviewed_on) = reviewed_on),\n"
    "  reviewed_by TEXT,\n"
    "  CHECK(reviewed_on IS NULL OR reviewed_on >= drafted_on));\n";

static const char m19_workflow_event_recorded_role[] =
    /* An audit event keeps two times: `time` is its effective date (the
     * run's --as-of), `recorded` when it was written (the real clock, UTC,
     * never settable); and the role the actor took the step in. */
    "ALTER TABLE workflow_event ADD COLUMN recorded TEXT;\n"
    "ALTER TABLE workflow_event ADD COLUMN role TEXT;\n";

static const char m20_administering_units[] =
    /* The unit that administers a township: its NBS county, or a unit that
     * is not an NBS county (an industrial zone such as 浙南产业集聚区, kept
     * in `county` with a code NBS does not use). Policies, rules, coverage
     * and rankings follow the administering unit. */
    "ALTER TABLE township ADD COLUMN unit_code TEXT REFERENCES county(code);\n"
    "UPDATE township SET unit_code = county_code;\n"
    "CREATE TRIGGER township_unit AFTER INSERT ON township WHEN NEW.unit_code IS NULL\n"
    "  BEGIN UPDATE township SET unit_code = NEW.county_code WHERE code = NEW.code; END;\n"
    "CREATE INDEX township_unit ON township(unit_code);\n";

static const char m21_covering_hours_indexes[] =
    /* The year's training hours, working time and volunteer hours of each
     * worker or volunteer, read from the index alone (the check's and the
     * evaluation's staff and volunteer figures): a range of the year on the
     * key, never the rows of other years. */
    "DROP INDEX training_worker;\n"
    "CREATE INDEX training_worker ON training(worker_code, date, hours);\n"
    "DROP INDEX volunteer_service_volunteer;\n"
    "CREATE INDEX volunteer_service_volunteer ON volunteer_service(volunteer_code, date, hours);\n"
    "CREATE INDEX worktime_hours ON worktime(worker_code, month, total_hours, community_hours);\n";

static const char m22_covering_kind_indexes[] =
    /* The kinds of facilities and rules on file per station, read from the
     * index alone (the check's and the evaluation's kind lists): the key
     * with the column each query filters on. */
    "CREATE INDEX station_facility_kinds ON station_facility(station_code, kind, quantity);\n"
    "CREATE INDEX station_institution_kinds ON station_institution(station_code, kind, adopted);\n";

/* The year's training and working time of each worker recomputed from
 * training and worktime, in worker_year's column order (the migration's
 * backfill and `sws doctor` use it): whole minutes, rounded per record as
 * the rules count them. */
#define WY_FRESH_SQL                                                                           \
    "SELECT worker_code, year, sum(training_min), sum(training_rows), sum(total_min),"          \
    " sum(community_min), sum(worktime_rows) FROM ("                                            \
    "SELECT worker_code, CAST(substr(date, 1, 4) AS INTEGER) AS year,"                          \
    " CAST(round(hours * 60) AS INTEGER) AS training_min, 1 AS training_rows, 0 AS total_min,"   \
    " 0 AS community_min, 0 AS worktime_rows FROM training UNION ALL"                           \
    " SELECT worker_code, CAST(substr(month, 1, 4) AS INTEGER), 0, 0,"                           \
    " CAST(round(total_hours * 60) AS INTEGER), CAST(round(community_hours * 60) AS INTEGER), 1" \
    " FROM worktime) GROUP BY worker_code, year"
const char sws_worker_year_fresh[] = WY_FRESH_SQL;

#define WY_TRAINING_ADD(ROW)                                                                   \
    "  INSERT INTO worker_year VALUES(" ROW ".worker_code, CAST(substr(" ROW ".date, 1, 4) AS INTEGER),\n" \
    "    CAST(round(" ROW ".hours * 60) AS INTEGER), 1, 0, 0, 0)\n"                             \
    "  ON CONFLICT DO UPDATE SET training_min = training_min + excluded.training_min,\n"        \
    "    training_rows = training_rows + 1;\n"
#define WY_TRAINING_REMOVE(ROW)                                                                \
    "  UPDATE worker_year SET training_min = training_min - CAST(round(" ROW ".hours * 60) AS INTEGER),\n" \
    "    training_rows = training_rows - 1\n"                                                    \
    "  WHERE worker_code = " ROW ".worker_code AND year = CAST(substr(" ROW ".date, 1, 4) AS INTEGER);\n" \
    "  DELETE FROM worker_year WHERE worker_code = " ROW ".worker_code\n"                       \
    "    AND year = CAST(substr(" ROW ".date, 1, 4) AS INTEGER) AND training_rows = 0 AND worktime_rows = 0;\n"
#define WY_WORKTIME_ADD(ROW)                                                                   \
    "  INSERT INTO worker_year VALUES(" ROW ".worker_code, CAST(substr(" ROW ".month, 1, 4) AS INTEGER),\n" \
    "    0, 0, CAST(round(" ROW ".total_hours * 60) AS INTEGER),\n"                              \
    "    CAST(round(" ROW ".community_hours * 60) AS INTEGER), 1)\n"                             \
    "  ON CONFLICT DO UPDATE SET total_min = total_min + excluded.total_min,\n"                 \
    "    community_min = community_min + excluded.community_min, worktime_rows = worktime_rows + 1;\n"
#define WY_WORKTIME_REMOVE(ROW)                                                                \
    "  UPDATE worker_year SET total_min = total_min - CAST(round(" ROW ".total_hours * 60) AS INTEGER),\n" \
    "    community_min = community_min - CAST(round(" ROW ".community_hours * 60) AS INTEGER),\n" \
    "    worktime_rows = worktime_rows - 1\n"                                                    \
    "  WHERE worker_code = " ROW ".worker_code AND year = CAST(substr(" ROW ".month, 1, 4) AS INTEGER);\n" \
    "  DELETE FROM worker_year WHERE worker_code = " ROW ".worker_code\n"                       \
    "    AND year = CAST(substr(" ROW ".month, 1, 4) AS INTEGER) AND training_rows = 0 AND worktime_rows = 0;\n"

static const char m23_worker_year[] =
    /* Each worker's training and working time per year, in whole minutes,
     * kept by triggers in the transaction of every write to training and
     * worktime (imports, plugins, corrections, the sqlite3 shell): the
     * check and the evaluation read one row per worker and year instead of
     * every record. The counts of records tell "no records" from "0
     * hours". `sws doctor` recomputes and compares them. */
    "CREATE TABLE worker_year(\n"
    "  worker_code TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  training_min INTEGER NOT NULL,\n"
    "  training_rows INTEGER NOT NULL,\n"
    "  total_min INTEGER NOT NULL,\n"
    "  community_min INTEGER NOT NULL,\n"
    "  worktime_rows INTEGER NOT NULL,\n"
    "  PRIMARY KEY(worker_code, year)) WITHOUT ROWID;\n"
    "INSERT INTO worker_year " WY_FRESH_SQL ";\n"
    "CREATE TRIGGER training_year_add AFTER INSERT ON training BEGIN\n"
    WY_TRAINING_ADD("NEW") "END;\n"
    "CREATE TRIGGER training_year_remove AFTER DELETE ON training BEGIN\n"
    WY_TRAINING_REMOVE("OLD") "END;\n"
    "CREATE TRIGGER training_year_change AFTER UPDATE OF worker_code, date, hours ON training\n"
    "BEGIN\n" WY_TRAINING_REMOVE("OLD") WY_TRAINING_ADD("NEW") "END;\n"
    "CREATE TRIGGER worktime_year_add AFTER INSERT ON worktime BEGIN\n"
    WY_WORKTIME_ADD("NEW") "END;\n"
    "CREATE TRIGGER worktime_year_remove AFTER DELETE ON worktime BEGIN\n"
    WY_WORKTIME_REMOVE("OLD") "END;\n"
    "CREATE TRIGGER worktime_year_change AFTER UPDATE OF worker_code, month, total_hours,\n"
    "  community_hours ON worktime\n"
    "BEGIN\n" WY_WORKTIME_REMOVE("OLD") WY_WORKTIME_ADD("NEW") "END;\n";

static const char m24_covering_contact_indexes[] =
    /* The village contacts current on a date, read from indexes alone (the
     * check's village_contacts rule and the evaluation's contacts
     * aggregate): each township's villages in code order, so the grouping
     * per village needs no sort, and each village's contacts with their
     * dates. */
    "DROP INDEX village_township;\n"
    "CREATE INDEX village_township ON village(township_code, code, name);\n"
    "CREATE INDEX village_contact_dates ON village_contact(village_code, worker_code, since, until);\n";

/* Each volunteer's service per year recomputed from volunteer_service, in
 * volunteer_year's column order (the migration's backfill and `sws doctor`
 * use it): whole milliseconds, rounded per record, so kept sums are exact
 * (hours to five decimals are kept exactly). A
 * record whose volunteer is not on file (written with foreign keys off) is
 * counted nowhere, as the evaluation never counted it. */
#define VY_FRESH_SQL                                                                           \
    "SELECT v.station_code, CAST(substr(s.date, 1, 4) AS INTEGER) AS year, s.volunteer_code,"  \
    " sum(CAST(round(s.hours * 3600000) AS INTEGER)), count(*) FROM volunteer_service s"          \
    " JOIN volunteer v ON v.code = s.volunteer_code GROUP BY s.volunteer_code, year"
const char sws_volunteer_year_fresh[] = VY_FRESH_SQL;

/* ROW's service added to its volunteer's year, at the volunteer's station
 * (nothing when the volunteer is not on file). */
#define VY_SERVICE_ADD(ROW)                                                                    \
    "  INSERT INTO volunteer_year SELECT v.station_code, CAST(substr(" ROW ".date, 1, 4) AS INTEGER),\n" \
    "    v.code, CAST(round(" ROW ".hours * 3600000) AS INTEGER), 1 FROM volunteer v\n"          \
    "    WHERE v.code = " ROW ".volunteer_code\n"                                               \
    "  ON CONFLICT DO UPDATE SET ms = ms + excluded.ms, services = services + 1;\n"
/* ROW's service taken off its volunteer's year; a year left without
 * services is deleted. */
#define VY_SERVICE_REMOVE(ROW)                                                                 \
    "  UPDATE volunteer_year SET ms = ms - CAST(round(" ROW ".hours * 3600000) AS INTEGER),\n" \
    "    services = services - 1\n"                                                             \
    "  WHERE volunteer_code = " ROW ".volunteer_code AND year = CAST(substr(" ROW ".date, 1, 4) AS INTEGER);\n" \
    "  DELETE FROM volunteer_year WHERE volunteer_code = " ROW ".volunteer_code\n"               \
    "    AND year = CAST(substr(" ROW ".date, 1, 4) AS INTEGER) AND services = 0;\n"
/* Volunteer ROW's rows removed. */
#define VY_VOLUNTEER_REMOVE(ROW) "  DELETE FROM volunteer_year WHERE volunteer_code = " ROW ".code;\n"
/* Every service of volunteer ROW counted afresh (a volunteer that appears
 * after records were written for it with foreign keys off, or a new code). */
#define VY_VOLUNTEER_ADD(ROW)                                                                  \
    VY_VOLUNTEER_REMOVE(ROW)                                                                   \
    "  INSERT INTO volunteer_year SELECT " ROW ".station_code, CAST(substr(date, 1, 4) AS INTEGER),\n" \
    "    volunteer_code, sum(CAST(round(hours * 3600000) AS INTEGER)), count(*)\n"                  \
    "    FROM volunteer_service WHERE volunteer_code = " ROW ".code GROUP BY 2;\n"

static const char m25_volunteer_year[] =
    /* Each volunteer's service per year (whole milliseconds and the number of
     * records), under the volunteer's station, kept by triggers in the
     * transaction of every write to volunteer_service and volunteer
     * (imports, plugins, corrections, the sqlite3 shell): the evaluation
     * reads one row per volunteer and year instead of every record.
     * `sws doctor` recomputes and compares it. */
    "CREATE TABLE volunteer_year(\n"
    "  station_code TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  volunteer_code TEXT NOT NULL,\n"
    "  ms INTEGER NOT NULL,\n"
    "  services INTEGER NOT NULL,\n"
    "  PRIMARY KEY(station_code, year, volunteer_code)) WITHOUT ROWID;\n"
    "CREATE INDEX volunteer_year_volunteer ON volunteer_year(volunteer_code, year);\n"
    "INSERT INTO volunteer_year " VY_FRESH_SQL ";\n"
    "CREATE TRIGGER volunteer_service_year_add AFTER INSERT ON volunteer_service BEGIN\n"
    VY_SERVICE_ADD("NEW") "END;\n"
    "CREATE TRIGGER volunteer_service_year_remove AFTER DELETE ON volunteer_service BEGIN\n"
    VY_SERVICE_REMOVE("OLD") "END;\n"
    "CREATE TRIGGER volunteer_service_year_change AFTER UPDATE OF volunteer_code, date, hours\n"
    "  ON volunteer_service\n"
    "BEGIN\n" VY_SERVICE_REMOVE("OLD") VY_SERVICE_ADD("NEW") "END;\n"
    "CREATE TRIGGER volunteer_year_add AFTER INSERT ON volunteer BEGIN\n"
    VY_VOLUNTEER_ADD("NEW") "END;\n"
    "CREATE TRIGGER volunteer_year_remove AFTER DELETE ON volunteer BEGIN\n"
    VY_VOLUNTEER_REMOVE("OLD") "END;\n"
    "CREATE TRIGGER volunteer_year_move AFTER UPDATE OF station_code ON volunteer\n"
    "  WHEN NEW.code = OLD.code AND NEW.station_code IS NOT OLD.station_code BEGIN\n"
    "  UPDATE volunteer_year SET station_code = NEW.station_code WHERE volunteer_code = NEW.code;\n"
    "END;\n"
    "CREATE TRIGGER volunteer_year_recode AFTER UPDATE OF code ON volunteer\n"
    "  WHEN NEW.code IS NOT OLD.code BEGIN\n"
    VY_VOLUNTEER_REMOVE("OLD") VY_VOLUNTEER_ADD("NEW") "END;\n";

static const char m26_covering_worker_employment[] =
    /* A worker looked up by code for the employment on a date and the
     * qualification (the contact workers of each village, in the check's
     * village_contacts rule and the evaluation's contacts aggregate): read
     * from the index alone, without a second lookup in the table. */
    "CREATE INDEX worker_employment ON worker(code, hired, left_on, qualification);\n";

/* The counted columns of service_month and service_year after the key. */
#define SY_COUNTS(X)                                                                           \
    X(records) X(chores) X(case_work) X(group_work) X(community_work) SM_DOMAINS(X)
#define SY_SUM(c) ", sum(" #c ")"

/* service_year recomputed from service_month, in its column order (the
 * migration's backfill and `sws doctor` use it). */
#define SY_SELECT                                                                              \
    "SELECT station_code, CAST(substr(month, 1, 4) AS INTEGER) AS year" SY_COUNTS(SY_SUM)      \
    " FROM service_month"
#define SY_FRESH_SQL SY_SELECT " GROUP BY station_code, year"
const char sws_service_year_fresh[] = SY_FRESH_SQL;
/* One station-year (?1 station, ?2 year as text) recomputed from its months:
 * what an import writes for each station-year it added records to. */
const char sws_service_year_refresh[] =
    "INSERT OR REPLACE INTO service_year " SY_SELECT
    " WHERE station_code = ?1 AND month BETWEEN ?2 || '-01' AND ?2 || '-12'"
    " GROUP BY station_code, year";

static const char m27_service_year[] =
    /* The service counts per station and year, beside service_month and
     * kept the same way: the triggers of every write to service_record
     * count each record in both, and an import, which counts its rows
     * itself, recomputes each station-year it added records to from its
     * months before it commits (aggregates.c), once each. A whole year's
     * evaluation reads one row per station instead of twelve. `sws doctor`
     * recomputes and compares it. */
    "CREATE TABLE service_year(\n"
    "  station_code TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    SY_COUNTS(SM_COLUMN)
    "  PRIMARY KEY(station_code, year)) WITHOUT ROWID;\n"
    "INSERT INTO service_year " SY_FRESH_SQL ";\n"
    "DROP TRIGGER service_record_counted;\n"
    "DROP TRIGGER service_record_uncounted;\n"
    "DROP TRIGGER service_record_recounted;\n"
    COUNTED_HEAD SM_COUNT_NEW SY_COUNT_NEW "END;\n"
    UNCOUNTED_HEAD SM_UNCOUNT_OLD SY_UNCOUNT_OLD "END;\n"
    RECOUNTED_HEAD SM_UNCOUNT_OLD SY_UNCOUNT_OLD SM_COUNT_NEW SY_COUNT_NEW "END;\n";

static const char m28_ordered_by_code[] =
    /* A station's workers, and an administering unit's townships, in the
     * order of their codes, straight from the index: the check's resident
     * workers come grouped by station and in code order, and the
     * evaluation's stations by unit and code, without a sort (nationally
     * 138,000 and 29,000 rows). */
    "DROP INDEX worker_station;\n"
    "CREATE INDEX worker_station ON worker(station_code, code);\n"
    "DROP INDEX township_unit;\n"
    "CREATE INDEX township_unit ON township(unit_code, code);\n";

static const char m29_covering_station_reads[] =
    /* Every read of a chunk's budget lines, rooms and resident workers from
     * an index alone, in the index's order: the rows of a station range
     * were each a seek into the table (nationally 116,000 budget lines read
     * four times a check and evaluation, 233,000 rooms twice each, 262,000
     * workers), which took half of each query. */
    "CREATE INDEX funding_station_year ON funding(station_code, year, category, budget, spent,\n"
    "  source);\n"
    "CREATE INDEX station_room_kinds ON station_room(station_code, kind, area_m2);\n"
    "DROP INDEX worker_station;\n"
    "CREATE INDEX worker_station ON worker(station_code, code, role, hired, left_on,\n"
    "  qualification, birth_date, engaged_by);\n";

/* Each station's service objects on file, recomputed from client (the
 * migration's backfill and `sws doctor` use it). */
#define SC_FRESH_SQL "SELECT station_code, count(*) FROM client GROUP BY station_code"
const char sws_station_clients_fresh[] = SC_FRESH_SQL;

/* One more (or one fewer) service object at ROW's station; a station left
 * with none has no row. */
#define SC_ADD(ROW)                                                                            \
    "  INSERT INTO station_clients VALUES(" ROW ".station_code, 1)\n"                            \
    "  ON CONFLICT DO UPDATE SET clients = clients + 1;\n"
#define SC_REMOVE(ROW)                                                                         \
    "  UPDATE station_clients SET clients = clients - 1\n"                                      \
    "  WHERE station_code = " ROW ".station_code;\n"                                             \
    "  DELETE FROM station_clients WHERE station_code = " ROW ".station_code AND clients = 0;\n"

static const char m30_station_clients[] =
    /* Each station's service objects on file, kept by triggers in the
     * transaction of every write to client (imports, plugins, corrections,
     * the sqlite3 shell): the evaluation's `clients` aggregate reads a row
     * per station instead of counting 1.17 million index entries
     * nationally. `sws doctor` recomputes and compares it. */
    "CREATE TABLE station_clients(\n"
    "  station_code TEXT PRIMARY KEY,\n"
    "  clients INTEGER NOT NULL) WITHOUT ROWID;\n"
    "INSERT INTO station_clients " SC_FRESH_SQL ";\n"
    "CREATE TRIGGER station_clients_add AFTER INSERT ON client BEGIN\n" SC_ADD("NEW") "END;\n"
    "CREATE TRIGGER station_clients_remove AFTER DELETE ON client BEGIN\n" SC_REMOVE("OLD")
    "END;\n"
    "CREATE TRIGGER station_clients_move AFTER UPDATE OF station_code ON client\n"
    "  WHEN NEW.station_code IS NOT OLD.station_code BEGIN\n" SC_REMOVE("OLD") SC_ADD("NEW")
    "END;\n";

/* Each village contact with its worker's employment and qualification,
 * recomputed from village_contact and worker (the migration's backfill and
 * `sws doctor` use it). */
#define VCW_FRESH_SQL                                                                          \
    "SELECT c.village_code, c.worker_code, c.since, c.until, w.hired, w.left_on,\n"           \
    "  w.qualification FROM village_contact c JOIN worker w ON w.code = c.worker_code"
const char sws_village_contact_worker_fresh[] = VCW_FRESH_SQL;

/* ROW's contact added, with its worker's columns. */
#define VCW_ADD(ROW)                                                                           \
    "  INSERT INTO village_contact_worker SELECT " ROW ".village_code, " ROW ".worker_code,\n" \
    "    " ROW ".since, " ROW ".until, w.hired, w.left_on, w.qualification FROM worker w\n"    \
    "  WHERE w.code = " ROW ".worker_code;\n"
#define VCW_REMOVE(ROW)                                                                        \
    "  DELETE FROM village_contact_worker WHERE village_code = " ROW ".village_code\n"         \
    "    AND worker_code = " ROW ".worker_code;\n"

static const char m31_village_contact_worker[] =
    /* The village contacts with what the contacts standard asks of their
     * workers (employed on the date, the qualification), kept by triggers in
     * the transaction of every write to village_contact and worker: the
     * check's village_contacts rule and the evaluation's contacts aggregate
     * read a village's contacts in one range of this table, instead of
     * seeking each contact's worker (0.9 G of the query's 3.1 G
     * instructions nationally). A worker referred to by a contact can be
     * neither deleted nor renamed while foreign keys are on; `sws doctor`
     * recomputes and compares the table. */
    "CREATE TABLE village_contact_worker(\n"
    "  village_code TEXT NOT NULL,\n"
    "  worker_code TEXT NOT NULL,\n"
    "  since TEXT,\n"
    "  until TEXT,\n"
    "  hired TEXT,\n"
    "  left_on TEXT,\n"
    "  qualification TEXT,\n"
    "  PRIMARY KEY(village_code, worker_code)) WITHOUT ROWID;\n"
    "CREATE INDEX village_contact_worker_code ON village_contact_worker(worker_code);\n"
    /* what the contacts query read before, nothing else reads */
    "DROP INDEX village_contact_dates;\n"
    "DROP INDEX worker_employment;\n"
    "INSERT INTO village_contact_worker " VCW_FRESH_SQL ";\n"
    "CREATE TRIGGER village_contact_worker_add AFTER INSERT ON village_contact BEGIN\n"
    VCW_ADD("NEW") "END;\n"
    "CREATE TRIGGER village_contact_worker_remove AFTER DELETE ON village_contact BEGIN\n"
    VCW_REMOVE("OLD") "END;\n"
    "CREATE TRIGGER village_contact_worker_change AFTER UPDATE ON village_contact BEGIN\n"
    VCW_REMOVE("OLD") VCW_ADD("NEW") "END;\n"
    "CREATE TRIGGER village_contact_worker_employment AFTER UPDATE OF hired, left_on,\n"
    "  qualification ON worker\n"
    "  WHEN NEW.hired IS NOT OLD.hired OR NEW.left_on IS NOT OLD.left_on\n"
    "    OR NEW.qualification IS NOT OLD.qualification\n"
    "BEGIN\n"
    "  UPDATE village_contact_worker SET hired = NEW.hired, left_on = NEW.left_on,\n"
    "    qualification = NEW.qualification WHERE worker_code = NEW.code;\n"
    "END;\n"
    "CREATE TRIGGER village_contact_worker_gone AFTER DELETE ON worker BEGIN\n"
    "  DELETE FROM village_contact_worker WHERE worker_code = OLD.code;\n"
    "END;\n";

const char *const sws_migrations[] = {
    m1_divisions_and_stations,
    m2_people,
    m3_services_money_evaluation,
    m4_workflow,
    m5_workflow_rejections,
    m6_service_index,
    m7_evaluation_runs,
    m8_service_judgement,
    m9_service_month,
    m10_station_indexes,
    m11_client_privacy,
    m12_access_log,
    m13_job_runs,
    m14_county_report,
    m15_village_contacts_dated,
    m16_worker_engagement,
    m17_community_rooms,
    m18_station_plans,
    m19_workflow_event_recorded_role,
    m20_administering_units,
    m21_covering_hours_indexes,
    m22_covering_kind_indexes,
    m23_worker_year,
    m24_covering_contact_indexes,
    m25_volunteer_year,
    m26_covering_worker_employment,
    m27_service_year,
    m28_ordered_by_code,
    m29_covering_station_reads,
    m30_station_clients,
    m31_village_contact_worker,
};
const int sws_migration_count = (int)(sizeof sws_migrations / sizeof sws_migrations[0]);
