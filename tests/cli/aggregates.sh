#!/usr/bin/env bash
# service_month and service_year (the service counts per station and month,
# and year) and the stored chore verdicts stay equal to what the service
# records say: after imports,
# corrections by a script, edits in the sqlite3 shell, a kill -9 during an
# import and a county policy that changes its chore patterns. `sws doctor`
# is the judge, checked against plain SQL too.
set -eu
. "$(dirname "$0")/testlib.bash"

# the counts recomputed by plain SQL must equal the kept ones
same_as_sql() {
    local kept fresh
    kept=$(sqlite3 x.db "SELECT count(*), coalesce(sum(records), 0), coalesce(sum(chores), 0),
        coalesce(sum(case_work), 0), coalesce(sum(party_building), 0),
        coalesce(sum(org_cultivation), 0) FROM service_month")
    fresh=$(sqlite3 x.db "SELECT count(DISTINCT station_code || substr(date, 1, 7)), count(*),
        count(*) FILTER (WHERE chore <> ''), count(*) FILTER (WHERE method = 'case'),
        count(*) FILTER (WHERE domain = 'party_building'),
        count(*) FILTER (WHERE domain = 'org_cultivation') FROM service_record")
    [ "$kept" = "$fresh" ] || fail "$1: service_month says $kept, the records $fresh"
    # service_year: each station-year's records and counts, straight from the records
    local years="SELECT station_code, year, records, chores, case_work, org_cultivation
        FROM service_year"
    local fresh_years="SELECT station_code, CAST(substr(date, 1, 4) AS INTEGER), count(*),
        count(*) FILTER (WHERE chore <> ''), count(*) FILTER (WHERE method = 'case'),
        count(*) FILTER (WHERE domain = 'org_cultivation') FROM service_record GROUP BY 1, 2"
    [ "$(sqlite3 x.db "SELECT count(*) FROM ($years EXCEPT $fresh_years)")" = 0 ] &&
        [ "$(sqlite3 x.db "SELECT count(*) FROM ($fresh_years EXCEPT $years)")" = 0 ] ||
        fail "$1: service_year differs from the records"
    SWS_HOME=$W/home run 0 "$SWS" --db x.db doctor
    has "$W/out" "agrees with the service records"
}

mkdir -p home/policies
cp "$SWS_HOME"/policies/*.lua home/policies/

"$SWS" generate --townships "$SWS_HOME/data/wenzhou_townships.csv" --out gen --services 300000 >/dev/null
"$SWS" --db x.db init >/dev/null
"$SWS" --db x.db --no-plugins import counties "$SWS_HOME/data/wenzhou_counties.csv" >/dev/null
for kind in townships stations villages workers clients; do
    "$SWS" --db x.db --no-plugins import $kind gen/$kind.csv >/dev/null
done
rows=$(($(wc -l < gen/services.csv) - 1))

# 1. a kill -9 in the middle of an import: all or nothing, counts included
import_killed x.db services gen/services.csv 0.4
[ "$(sqlite3 x.db 'SELECT count(*) FROM service_month_paused')" = 0 ] || fail "the pause outlived the import"
same_as_sql "after kill -9"

# 2. imports (the file, if the kill came first, then half of it again)
have=$(sqlite3 x.db 'SELECT count(*) FROM service_record')
if [ "$have" = 0 ]; then
    run 0 "$SWS" --db x.db --no-plugins import services gen/services.csv
fi
head -1001 gen/services.csv > part.csv
run 0 "$SWS" --db x.db --no-plugins import services part.csv --allow-duplicates
[ "$(sqlite3 x.db 'SELECT sum(records) FROM service_month')" = $((rows + 1000)) ] || fail "import counts"
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore IS NULL")" = 0 ] ||
    fail "imported records left unjudged"
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore <> ''")" -gt 0 ] ||
    fail "the generated chores were not judged chores"
same_as_sql "after imports"

# 3. corrections by an admin script: moved, re-dated, re-classed, deleted, added
station=$(sqlite3 x.db "SELECT station_code FROM service_record LIMIT 1")
other=$(sqlite3 x.db "SELECT code FROM station WHERE code <> '$station' LIMIT 1")
cat > fix.lua <<LUA
sws.db.exec("UPDATE service_record SET method = 'group', domain = 'charity', date = '2022-02-03' WHERE id = 1")
sws.db.exec("UPDATE service_record SET station_code = ?, client_code = NULL WHERE id = 2", "$other")
sws.db.exec("DELETE FROM service_record WHERE id BETWEEN 3 AND 40")
sws.db.exec([[INSERT INTO service_record(station_code, date, domain, method, hours, description)
  VALUES(?, '2022-07-01', 'civil_affairs', 'community', 2, '协助整理迎检台账')]], "$station")
LUA
run 0 "$SWS" --db x.db run fix.lua
# the added record is not judged until the next check: the doctor says so
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db doctor
has "$W/out" "1 service records are not judged yet"
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db --no-plugins check --station "$station" --year 2022 --as-of 2022-12-31
has "$W/out" "chores"
[ "$(sqlite3 x.db "SELECT chore FROM service_record WHERE description = '协助整理迎检台账'")" = 迎检 ] ||
    fail "the added record was not judged a chore (pattern 迎检)"
same_as_sql "after a script's corrections"

# 4. edits in the sqlite3 shell are counted by the triggers too
sqlite3 x.db "UPDATE service_record SET date = '2021-12-31' WHERE id BETWEEN 41 AND 60;
              DELETE FROM service_record WHERE id BETWEEN 61 AND 70;
              UPDATE service_record SET chore = '' WHERE chore <> '' AND id > 100"
same_as_sql "after sqlite3 edits"

# 5. a county policy with another chore pattern: its records are judged again, once
county=${station:0:6}
cat > "home/policies/$county.lua" <<LUA
return sws.policy.extend("default", { name = "$county", version = "test",
  chore_patterns = { "迎检", "台账", "统计报表", "中心工作会议", "会议记录", "材料整理", "独居老人" } })
LUA
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db doctor
has "$W/out" "county $county: its records were not judged with the chore patterns of policy $county"
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db --no-plugins check --county "$county" --year 2022 --as-of 2022-12-31
has "$W/err" "county $county: the chore patterns of policy $county changed"
[ "$(sqlite3 x.db "SELECT policy FROM chore_judgement WHERE county_code = '$county'")" = "$county" ] ||
    fail "the county's patterns were not recorded with its policy"
n=$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore = '独居老人'")
[ "$n" -gt 0 ] || fail "no record judged against the county's new pattern"
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore = '独居老人'
      AND substr(station_code, 1, 6) <> '$county'")" = 0 ] || fail "another county was judged with it"
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db --no-plugins check --county "$county" --year 2022 --as-of 2022-12-31
[ ! -s "$W/err" ] || { cat "$W/err" >&2; fail "the second check judged again"; }
same_as_sql "after the policy change"

# 6. the doctor finds and repairs counts that went wrong behind its back
sqlite3 x.db "DROP TRIGGER service_record_uncounted; DELETE FROM service_record WHERE id BETWEEN 71 AND 80"
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db doctor
has "$W/out" "differ from the service records" "kept, "
SWS_HOME=$PWD/home run 0 "$SWS" --db x.db doctor --repair
same_as_sql "after the repair"

# 7. and service_year, which the doctor compares with service_month (repaired first)
sqlite3 x.db "UPDATE service_year SET records = records + 5, chores = 0
              WHERE station_code = (SELECT min(station_code) FROM service_year)"
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db doctor
has "$W/out" "of service_year" "from service_month" "(kept): "
SWS_HOME=$PWD/home run 0 "$SWS" --db x.db doctor --repair
has "$W/out" "; recomputed"
same_as_sql "after the repair of service_year"
echo "service_month, service_year and the chore verdicts stayed equal to the records"
