#!/bin/bash
# cli_demo.sh — `sws demo` on the shipped Wenzhou data: every township that
# needs a station gets one, with staff; no full ID or phone number is
# stored; it can be run again on its own database but never over real data.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/demo.db"
run 0 "$SWS" --db "$DB" demo --out "$W/dd"
has "$W/out" "Stations by administering unit" "鹿城区" "龙港市" "Records" "Database: $DB"
grep -qE '^  total +191 +186 +186' "$W/out" || fail "summary total line is not 191/186/186"
# the two industrial zones administer townships NBS files under 龙湾区 and 洞头区: each is a
# unit of its own in the stations table, the rankings and the check
grep -qE '^  330391  浙南产业集聚区 +4 +4 +4  ' "$W/out" || fail "浙南产业集聚区 is not a unit of the summary"
grep -qE '^  330392  瓯江口产业集聚区 +2 +2 +2  ' "$W/out" || fail "瓯江口产业集聚区 is not a unit of the summary"
grep -qE '^  330303  龙湾区 +6 +6 +6  ' "$W/out" || fail "龙湾区 still counts the zone's townships"
[ "$(grep -cE '^ +[0-9]{1,2}  浙南产业集聚区 ' "$W/out")" = 2 ] || fail "浙南产业集聚区 is not ranked in both evaluations"
[ -f "$W/dd/SYNTHETIC.txt" ] || fail "the generated data is not labelled synthetic"

eq "$(q "$DB" 'SELECT count(*) FROM county')" 14 "counties and the two zones"
eq "$(q "$DB" 'SELECT count(*) FROM township')" 191 "townships"
eq "$(q "$DB" 'SELECT count(*) FROM station')" 186 "stations"
eq "$(q "$DB" "SELECT count(*) FROM station WHERE code = '330383198'")" 1 "龙港's station"
# 185 townships (街道/镇/乡) + 龙港; the 5 special units (farms, zones) need none
eq "$(q "$DB" "SELECT count(*) FROM township WHERE kind = 'special'")" 5 "special units"
eq "$(q "$DB" "SELECT count(*) FROM station s JOIN township t ON t.code = s.code
               WHERE t.kind = 'special'")" 0 "stations on special units"
eq "$(q "$DB" "SELECT count(*) FROM township t WHERE t.kind <> 'special'
               AND NOT EXISTS (SELECT 1 FROM station s WHERE s.code = t.code)")" 0 \
    "townships without a station"
eq "$(q "$DB" 'SELECT count(*) FROM station s WHERE NOT EXISTS
               (SELECT 1 FROM worker w WHERE w.station_code = s.code)')" 0 "stations without workers"
eq "$(q "$DB" "SELECT count(DISTINCT county_code) FROM township t JOIN station s ON s.code = t.code
               WHERE s.is_hub = 1")" 12 "counties with a hub"
eq "$(q "$DB" "SELECT count(DISTINCT unit_code) FROM township t JOIN station s ON s.code = t.code
               WHERE s.is_hub = 1")" 14 "administering units with a hub"
eq "$(q "$DB" "SELECT value FROM meta WHERE key = 'origin'")" demo "origin"

# the demo's 2022 check: no funding finding for stations built in 2021 (construction
# money is one-off) and none for stations above the staffing minimum (9 workers exist)
[ "$(q "$DB" "SELECT count(*) FROM (SELECT station_code FROM worker WHERE role = 'resident'
               GROUP BY station_code HAVING count(*) >= 9)")" -gt 0 ] || fail "no 9-worker station"
run 3 "$SWS" --db "$DB" check --year 2022 --format csv
grep -q '^"funding",' "$W/out" && fail "funding flagged in the demo's 2022 check"
grep -q '^"staffing",.*needs at least' "$W/out" || fail "the 2-worker stations are not flagged"
# coverage from the audit trail's effective dates: 80 operating at the end of 2021
run 3 "$SWS" --db "$DB" check --year 2021
grep -q "80 operating on 2021-12-31; city targets: 80 of 80 operating by 2021-12-31 (met)" "$W/out" ||
    { tail -2 "$W/out"; fail "coverage of 2021"; }

# no full 18-character ID number anywhere in the database (numbers after a
# decimal point are not IDs), and none of the generated IDs or phones
sqlite3 "$DB" .dump >"$W/dump.sql"
if grep -E '(^|[^0-9.])[0-9]{17}[0-9Xx]([^0-9]|$)' "$W/dump.sql" | head -3 | grep .; then
    fail "a full ID number is stored"
fi
awk -F, 'NR > 1 && $6 != "" { print $6 } NR > 1 && $11 != "" { print $11 }' "$W/dd/workers.csv" \
    >"$W/personal.txt"
awk -F, 'NR > 1 && $5 != "" { print $5 } NR > 1 && $7 != "" { print $7 }' "$W/dd/clients.csv" \
    >>"$W/personal.txt"
[ "$(wc -l <"$W/personal.txt")" -gt 1000 ] || fail "too few IDs and phones found to check"
grep -qE '^[0-9]{17}[0-9X]$' "$W/personal.txt" || fail "the generated files hold no ID numbers"
if grep -F -f "$W/personal.txt" "$W/dump.sql" | head -3 | grep .; then
    fail "a generated ID or phone number is stored in full"
fi
eq "$(q "$DB" "SELECT count(*) FROM worker WHERE id_masked NOT GLOB
               '[0-9][0-9][0-9][0-9][0-9][0-9]********[0-9][0-9][0-9][0-9X]'")" 0 "masked IDs"

# again on the same (demo) database: starts it anew, same counts
services=$(q "$DB" 'SELECT count(*) FROM service_record')
run 0 "$SWS" --db "$DB" demo --out "$W/dd"
eq "$(q "$DB" 'SELECT count(*) FROM station')" 186 "stations after a second demo"
eq "$(q "$DB" 'SELECT count(*) FROM service_record')" "$services" "services after a second demo"

# never over a database with real (non-demo) data
REAL="$W/real.db"
run 0 "$SWS" --db "$REAL" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
run 1 "$SWS" --db "$REAL" demo --out "$W/dd2"
has "$W/err" "already holds data"
eq "$(q "$REAL" 'SELECT count(*) FROM county')" 12 "real counties kept"
eq "$(q "$REAL" 'SELECT count(*) FROM township')" 0 "nothing imported over real data"
eq "$(q "$REAL" "SELECT count(*) FROM meta WHERE key = 'origin'")" 0 "real db not marked demo"

echo "ok"
