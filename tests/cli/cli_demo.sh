#!/bin/bash
# cli_demo.sh — `sws demo` on the shipped Wenzhou data: every township that
# needs a station gets one, with staff; no full ID or phone number is
# stored; it can be run again on its own database but never over real data.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/demo.db"
run 0 "$SWS" --db "$DB" demo --out "$W/dd"
has "$W/out" "Stations by county" "鹿城区" "龙港市" "Records" "Database: $DB"
cp "$W/out" "$W/demo.out"
cp "$W/err" "$W/demo.err"
grep -qE '^  total +191 +186 +186' "$W/out" || fail "summary total line is not 191/186/186"
[ -f "$W/dd/SYNTHETIC.txt" ] || fail "the generated data is not labelled synthetic"

eq "$(q "$DB" 'SELECT count(*) FROM county')" 12 "counties"
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
eq "$(q "$DB" "SELECT value FROM meta WHERE key = 'origin'")" demo "origin"

# the city's pipeline: stations per stage per county, and the overdue deadlines
run 0 "$SWS" --db "$DB" workflow status --as-of 2030-01-01
has "$W/out" "pipeline: stations per stage per county (deadlines judged on 2030-01-01)" \
    "(14 stations)" "330383 龙港市" "(1 station)" "186 stations in 12 counties" "overdue deadlines:"
lacks "$W/out" "(1 stations)"
eq "$(grep -c 'due 20' "$W/out")" "$(q "$DB" "SELECT count(*) FROM deadline WHERE met IS NULL
                                          AND due < '2030-01-01'")" "overdue deadlines listed"
run 0 "$SWS" --db "$DB" workflow status --county 330302 --as-of 2030-01-01
has "$W/out" "stations per stage in 330302" "330302006"
lacks "$W/out" "龙湾区" "stations in 12 counties"
# one county's coverage against its share of the city's 80: 80 × 14 / 186, rounded up
got=0
"$SWS" --db "$DB" check --county 330302 --year 2022 --as-of 2022-12-31 >"$W/out" || got=$?
has "$W/out" "14 stations checked" "14 of 14 townships that need one have a station" \
    "(target 7: county 330302's share of the city's 80"
"$SWS" --db "$DB" check --station 330383198 --year 2022 --as-of 2022-12-31 >"$W/out" || got=$?
has "$W/out" "1 station checked" "1 of 1 township that needs one has a station" \
    "(target 1: county 330383's share of the city's 80"

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
# the reports the demo wrote (printed with their paths) and its own output:
# no generated ID or phone, and no 18-digit or 11-digit mobile number at all
awk -F, 'NR > 1 && $4 != "" { print $4 }' "$W/dd/volunteers.csv" >>"$W/personal.txt"
grep -qE '^  .*/dd/coverage-2022.html$' "$W/demo.out" || fail "the coverage report's path is not printed"
for c in 330302 330303 330304 330305 330324 330326 330327 330328 330329 330381 330382 330383; do
    grep -qF "$W/dd/annual-$c-2022.html" "$W/demo.out" || fail "annual report of $c not printed"
    has "$W/dd/annual-$c-2022.html" '<svg id="chart-score-distribution"' '<table id="table-evaluation">' \
        "2022年度乡镇（街道）社会工作站评估汇总报告"
done
has "$W/dd/coverage-2022.html" '<svg id="chart-township-grid"' '<td class="n">80</td>'
for f in "$W/demo.out" "$W/demo.err" "$W/out" "$W/err" "$W"/dd/*.html; do
    if grep -F -f "$W/personal.txt" "$f" | head -3 | grep .; then fail "$f shows a generated ID or phone"; fi
    if grep -E '(^|[^0-9.])([0-9]{17}[0-9Xx]|1[3-9][0-9]{9})([^0-9]|$)' "$f" | head -3 | grep .; then
        fail "$f shows a full ID or mobile number"
    fi
done
eq "$(q "$DB" "SELECT count(*) FROM worker WHERE id_masked NOT GLOB
               '[0-9][0-9][0-9][0-9][0-9][0-9]********[0-9][0-9][0-9][0-9X]'")" 0 "masked IDs"

# again on the same (demo) database: starts it anew, same counts
services=$(q "$DB" 'SELECT count(*) FROM service_record')
run 0 "$SWS" --db "$DB" demo --out "$W/dd"
eq "$(q "$DB" 'SELECT count(*) FROM station')" 186 "stations after a second demo"
eq "$(q "$DB" 'SELECT count(*) FROM service_record')" "$services" "services after a second demo"

# never over a database with real (non-demo) data
REAL="$W/real.db"
run 0 "$SWS" --db "$REAL" init  # a database must exist before it is used
run 0 "$SWS" --db "$REAL" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
run 1 "$SWS" --db "$REAL" demo --out "$W/dd2"
has "$W/err" "already holds data"
eq "$(q "$REAL" 'SELECT count(*) FROM county')" 12 "real counties kept"
eq "$(q "$REAL" 'SELECT count(*) FROM township')" 0 "nothing imported over real data"
eq "$(q "$REAL" "SELECT count(*) FROM meta WHERE key = 'origin'")" 0 "real db not marked demo"

echo "ok"
