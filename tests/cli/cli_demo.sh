#!/bin/bash
# cli_demo.sh — `sws demo` on the shipped Wenzhou data: every township that
# needs a station gets one, with staff; no full ID or phone number is
# stored; it can be run again on its own database but never over real data.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/demo.db"
run 0 "$SWS" --db "$DB" demo --out "$W/dd"
has "$W/out" "Stations by administering unit" "鹿城区" "龙港市" "Records" "Database: $DB"
cp "$W/out" "$W/demo.out"
cp "$W/err" "$W/demo.err"
grep -qE '^  total +191 +186 +186' "$W/out" || fail "summary total line is not 191/186/186"
# the two industrial zones administer townships NBS files under 龙湾区 and 洞头区: each is a
# unit of its own in the stations table, the rankings and the check
grep -qE '^  330391  浙南产业集聚区 +4 +4 +4  ' "$W/out" || fail "浙南产业集聚区 is not a unit of the summary"
grep -qE '^  330392  瓯江口产业集聚区 +2 +2 +2  ' "$W/out" || fail "瓯江口产业集聚区 is not a unit of the summary"
grep -qE '^  330303  龙湾区 +6 +6 +6  ' "$W/out" || fail "龙湾区 still counts the zone's townships"
[ "$(grep -cE '^ +[0-9]{1,2}  浙南产业集聚区 ' "$W/out")" = 2 ] || fail "浙南产业集聚区 is not ranked in both evaluations"
[ -f "$W/dd/SYNTHETIC.txt" ] || fail "the generated data is not labelled synthetic"
# the construction against the city's targets, as the rules count them (sws check's figures)
has "$W/demo.out" "  operating by 2021-12-31: 80 stations (city target: 80, met)" \
    "  operating by 2022-12-31: 152 stations (city target: 186, not met)"

eq "$(q "$DB" 'SELECT count(*) FROM county')" 14 "counties and the two zones"

# a script's budget pays for its own work only: scoring the whole city for it (the run
# and its 186 results as Lua tables) is the core's, so a budget of 20 ms of CPU that
# the sanitizer build's evaluation alone exceeds is enough for a script that does
# nothing else
cat > "$W/scores.lua" <<'LUA'
local res = sws.eval.scores("330302", 2022, "final")
print(#res .. " stations scored")
LUA
run 0 "$SWS" --db "$DB" --budget 400000 run "$W/scores.lua"
has "$W/out" "186 stations scored"
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
got=0
"$SWS" --db "$DB" check --county 330302 --year 2022 --as-of 2022-12-31 >"$W/out" || got=$?
has "$W/out" "14 stations checked"
"$SWS" --db "$DB" check --station 330383198 --year 2022 --as-of 2022-12-31 >"$W/out" || got=$?
has "$W/out" "1 station checked"
# the demo's 2022 check: no funding finding for stations built in 2021 (construction
# money is one-off) and none for stations above the staffing minimum (9 workers exist)
[ "$(q "$DB" "SELECT count(*) FROM (SELECT station_code FROM worker WHERE role = 'resident'
               GROUP BY station_code HAVING count(*) >= 9)")" -gt 0 ] || fail "no 9-worker station"
run 3 "$SWS" --db "$DB" check --year 2022 --format csv
grep -q '^"funding",' "$W/out" && fail "funding flagged in the demo's 2022 check"
grep -q '^"staffing",.*needs at least' "$W/out" || fail "the 2-worker stations are not flagged"
# coverage from the audit trail's effective dates: 80 operating at the end of 2021
run 3 "$SWS" --db "$DB" check --year 2021
grep -q "80 operating on 2021-12-31; city targets: 80 of 80 stations operating by 2021-12-31 (met)" "$W/out" ||
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
