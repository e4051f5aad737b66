#!/usr/bin/env bash
# `sws workflow`: an advance whose guard fails exits 1, lists every reason and
# changes neither the stage nor the audit; an accepted one appears in the
# history with actor, reason and policy version; graph and migrate.
set -eu
. "$(dirname "$0")/testlib.bash"

db=x.db
run 0 "$SWS" --db $db init  # a database must exist before it is used
run 0 "$SWS" --db $db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
printf 'code,name,county_code,population\n330303001,永中街道,330303,30000\n' > t.csv
run 0 "$SWS" --db $db import townships t.csv
printf 'code,name,address,area_m2,sign_width_cm,sign_height_cm\n330303001,永中街道社会工作站,永中路1号,95,60,40\n' > s.csv
run 0 "$SWS" --db $db import stations s.csv

printf 'station,title,drafted_on,reviewed_on,reviewed_by\n330303001,永中街道社会工作站建设方案,2021-01-10,2021-02-01,专家组\n' > plans.csv
run 0 "$SWS" --db $db import plans plans.csv
run 0 "$SWS" --db $db workflow start 330303001 --actor 龙湾区民政局 --role county --as-of 2021-03-01

# who may take each step: the city approves, the county plans, the experts review
run 1 "$SWS" --db $db workflow advance 330303001 approved --actor 王科长 --as-of 2021-03-02
grep -q "only the city may enter 'approved'.*--role city" "$W/err" || { cat "$W/err"; fail "missing role"; }
run 1 "$SWS" --db $db workflow advance 330303001 approved --actor 王科长 --role county --as-of 2021-03-02
grep -q "only the city may enter 'approved' (policies/330303.lua), not the county" "$W/err" || { cat "$W/err"; fail "wrong role"; }
run 2 "$SWS" --db $db workflow advance 330303001 approved --actor 王科长 --role mayor
grep -q "a role is one of city, county, township, expert, assessor" "$W/err" || fail "unknown role"
run 2 "$SWS" --db $db workflow history 330303001 --role city
# effective dates: never before the workflow started, never after today
run 1 "$SWS" --db $db workflow advance 330303001 approved --actor 王科长 --role city --as-of 2021-02-28
grep -q "is before its workflow started (2021-03-01)" "$W/err" || { cat "$W/err"; fail "date before start"; }
run 1 "$SWS" --db $db workflow advance 330303001 approved --actor 王科长 --role city --as-of 2099-01-01
grep -q "the effective date 2099-01-01 is in the future" "$W/err" || { cat "$W/err"; fail "future date"; }
for step in approved:city planned:county reviewed:expert building:township; do
    run 0 "$SWS" --db $db workflow advance 330303001 "${step%%:*}" --actor 王科长 --role "${step##*:}" --reason "按方案推进" --as-of 2021-03-02
done
# each event keeps its effective date and when it was recorded (the real clock)
[ "$(sqlite3 $db "SELECT count(*) FROM workflow_event WHERE time = '2021-03-02' AND role = 'city'
                  AND recorded GLOB '20[0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z' AND recorded > time")" = 1 ] ||
    fail "the audit event lacks its role or recorded time"
audit() { sqlite3 $db "SELECT count(*) FROM workflow_event; SELECT stage FROM workflow_instance"; }
before=$(audit)
run 1 "$SWS" --db $db workflow advance 330303001 accepted --actor 王科长 --role county --as-of 2021-06-01
for want in "guard 'area'" "area 95 m² is below 100 m²" "guard 'rooms'" "missing rooms" "guard 'sign'" "60 × 40 cm"; do
    grep -qF "$want" "$W/out" || { cat "$W/out"; fail "refusal lacks: $want"; }
done
[ "$(audit)" = "$before" ] || fail "a refused advance changed the stage or the audit"

run 1 "$SWS" --db $db workflow advance 330303001 operating --actor 王科长 --role township
grep -q "moves on to accepted, not to 'operating'" "$W/err" || fail "skipping a stage not refused"
run 2 "$SWS" --db $db workflow advance 330303001 accepted
grep -q -- "--actor" "$W/err" || fail "missing --actor not explained"

run 0 "$SWS" --db $db workflow history 330303001
grep -q "advance  王科长 (township) .* reviewed .* building .* 2021.1 .* 按方案推进" "$W/out" || { cat "$W/out"; fail "history lacks the accepted advance"; }
grep -q "refused" "$W/out" || fail "history does not show the refusal"

run 0 "$SWS" --db $db workflow status 330303001 --as-of 2021-06-01
grep -q "building" "$W/out" || fail "status"

run 0 "$SWS" --db $db workflow graph 330381 --format mermaid
grep -q 'reviewed\["专家论证通过"\] --> public_notice\["方案公示"\]' "$W/out" || { cat "$W/out"; fail "mermaid graph"; }
run 0 "$SWS" --db $db workflow graph 330303 --format dot
grep -q '"reviewed" -> "building";' "$W/out" || fail "dot graph"

# migrate: version 2025.1 of the county policy renames 'building' to
# 'construction'; an instance at 'building' is refused unless mapped.
mkdir -p home/policies
cp "$SWS_HOME"/policies/default.lua home/policies/
cat > home/policies/330303.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330303",
  version = "2025.1",
  workflow = {
    stages = {
      reviewed = { next = { "construction" } },
      building = false,
      construction = { label = "建设施工", next = { "accepted" } },
    },
    enter = { building = false, construction = { "one_plan" } },
  },
})
LUA
export SWS_HOME="$W/home"
run 0 "$SWS" --db $db policy check 330303
run 1 "$SWS" --db $db workflow advance 330303001 accepted --actor 王科长 --role county
grep -q "pinned to policy 330303 version 2021.1" "$W/err" || { cat "$W/err"; fail "pinning"; }
run 3 "$SWS" --db $db workflow migrate --to-version 2025.1 --dry-run
grep -q "stage 'building' no longer exists" "$W/out" || { cat "$W/out"; fail "unmapped stage not refused"; }
[ "$(sqlite3 $db 'SELECT policy_version FROM workflow_instance')" = 2021.1 ] || fail "dry run changed data"
run 0 "$SWS" --db $db workflow migrate --to-version 2025.1 --map building=construction --actor 市民政局
grep -q "330303001: 330303 2021.1 'building' -> 2025.1 'construction'" "$W/out" || { cat "$W/out"; fail "migrate"; }
[ "$(sqlite3 $db 'SELECT stage || " " || policy_version FROM workflow_instance')" = "construction 2025.1" ] || fail "not migrated"
run 0 "$SWS" --db $db workflow history 330303001
grep -q "migrate" "$W/out" || fail "migration not audited"

# a guard that stops with an error is named once, with the line it stopped at
# when that is not the line the guard begins on
sed -i 's/^  version = "2025.1",$/&\n  guards = { area = function(st)\n    local code = st.code\n    error("no plan of the rooms for " .. code)\n  end },/' \
    home/policies/330303.lua
run 0 "$SWS" --db $db policy check 330303
run 1 "$SWS" --db $db workflow advance 330303001 accepted --actor 王科长 --role county --as-of 2021-03-03
has "$W/out" "guard 'area' (policies/330303.lua:4): stopped with an error: policies/330303.lua:6: no plan of the rooms for 330303001"
eq "$(cat "$W/out" "$W/err" | grep -o "guard 'area'" | wc -l)" 1 "mentions of the guard"
run 1 "$SWS" --db $db workflow advance 330303001 accepted --actor 王科长 --role county --as-of 2021-03-03 --dry-run
has "$W/out" "  guard 'area' (policies/330303.lua:4): fails: stopped with an error: policies/330303.lua:6: no plan"
eq "$(grep -c "guard 'area'" "$W/out")" 2 "the guard in the dry run: its answer, then the refusal"
echo "workflow refuses, records and migrates as it should"
