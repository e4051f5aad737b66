#!/bin/bash
# contacts_policy.sh — the village-contacts standard is counted in SQL with
# each county's own values bound (standards.contacts_per_village and
# standards.accepted_qualifications): counties of one chunk that differ get
# their own counts, in the check's village_contacts rule and in the
# evaluation's B2.2 alike, equal to a plain SQL count of the same rule.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H"
cp -r "$SWS_HOME/policies" "$SWS_HOME/plugins" "$SWS_HOME/data" "$H/"
# 瓯海区 asks two contacts per village, 洞头区 accepts only a degree; the
# others keep the city's one contact with a degree or a certificate
cat > "$H/policies/330304.lua" <<'LUA'
return sws.policy.extend("default", { name = "330304", version = "t",
  standards = { contacts_per_village = 2 } })
LUA
cat > "$H/policies/330305.lua" <<'LUA'
return sws.policy.extend("default", { name = "330305", version = "t",
  standards = { accepted_qualifications = { "sw_degree" } } })
LUA
export SWS_HOME="$H"
db=d.db
run 0 "$SWS" --db $db demo

# per station, the villages short of qualified contacts on 31 December 2022
# by each county's values, in plain SQL: "station,short,villages"
q $db "WITH v AS (
    SELECT v.township_code AS station, coalesce(t.unit_code, t.county_code) AS county,
      (SELECT count(*) FROM village_contact c JOIN worker w ON w.code = c.worker_code
       WHERE c.village_code = v.code
         AND (c.since IS NULL OR c.since <= '2022-12-31') AND (c.until IS NULL OR c.until > '2022-12-31')
         AND (w.hired IS NULL OR w.hired <= '2022-12-31') AND (w.left_on IS NULL OR w.left_on > '2022-12-31')
         AND w.qualification IN ('sw_degree', 'related_degree', 'assistant_social_worker',
                                 'social_worker', 'senior_social_worker')) AS city,
      (SELECT count(*) FROM village_contact c JOIN worker w ON w.code = c.worker_code
       WHERE c.village_code = v.code
         AND (c.since IS NULL OR c.since <= '2022-12-31') AND (c.until IS NULL OR c.until > '2022-12-31')
         AND (w.hired IS NULL OR w.hired <= '2022-12-31') AND (w.left_on IS NULL OR w.left_on > '2022-12-31')
         AND w.qualification = 'sw_degree') AS degree
    FROM village v JOIN township t ON t.code = v.township_code
    JOIN station s ON s.code = v.township_code)
  SELECT station, sum(CASE county WHEN '330304' THEN city < 2 WHEN '330305' THEN degree < 1
                                  ELSE city < 1 END), count(*)
  FROM v GROUP BY station ORDER BY station" | tr '|' ',' > want.csv
# each of the two counties has short villages it would not have under the city's values
short_in() { awk -F, -v c="$1" 'substr($1, 1, 6) == c && $2 > 0' want.csv | wc -l; }
[ "$(short_in 330304)" -gt 0 ] && [ "$(short_in 330305)" -gt 0 ] || fail "no county short: $(cat want.csv)"

# the check: one finding per station with short villages, "N of M without"
run 3 "$SWS" --db $db check --year 2022 --as-of 2022-12-31 --format csv
python3 - "$W/out" > got_check.csv <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["rule"] == "village_contacts":
        short, _, villages, _ = r["actual"].split(" ", 3)
        print(f'{r["station"]},{short},{villages}')
PY
awk -F, '$2 > 0' want.csv > want_check.csv
sort got_check.csv | diff want_check.csv - || fail "the check's village contacts differ from SQL"
has "$W/out" "villages or communities without 2 current qualified contact workers"

# the evaluation: B2.2 earns 2 points × the share of villages not short (to the
# cent, as the scores are printed)
run 0 "$SWS" --db $db eval score --year 2022 --phase final --format json
python3 - "$W/out" > got_eval.csv <<'PY'
import json, sys
for s in json.load(open(sys.argv[1], encoding="utf-8"))["stations"]:
    for it in s["items"]:
        if it["code"] == "B2.2":
            print(f'{s["code"]},{it["earned"]:.2f}')
PY
awk -F, '{ printf "%s,%.2f\n", $1, 2 * ($3 - $2) / $3 }' want.csv > want_eval.csv
sort got_eval.csv | diff want_eval.csv - || fail "B2.2 differs from SQL"

# a county list item that is not one line of text is refused, naming the path
cat > "$H/policies/330305.lua" <<'LUA'
return sws.policy.extend("default", { name = "330305", version = "t",
  standards = { accepted_qualifications = { "sw_degree\nsocial_worker" } } })
LUA
run 1 "$SWS" --db $db check --year 2022 --as-of 2022-12-31 --county 330305
has "$W/err" "policies/330305.lua:2: standards.accepted_qualifications: item 1 is not a single line"
# and `sws policy check` says so before any run, once though two queries bind it
run 1 "$SWS" --db $db policy check "$H/policies/330305.lua"
has "$W/err" "policies/330305.lua:2: standards.accepted_qualifications: item 1 is not a single line"
eq "$(grep -c 'not a single line' "$W/err")" 1 "reports of the list item"
