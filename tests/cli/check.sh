#!/usr/bin/env bash
# `sws check`: a station built to break one rule of each kind is reported
# once per rule with its evidence; a compliant station (at every boundary:
# 100 m², age 45, 40 training hours, 60 % community time) has no finding.
set -eu
. "$(dirname "$0")/testlib.bash"

D="$SWS_TEST_DATA/check"
run 0 "$SWS" --db x.db init  # a database must exist before it is used
run 0 "$SWS" --db x.db --no-plugins import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
for kind in townships villages stations rooms facilities institutions workers mentoring \
            trainings worktime contacts services funding volunteers volunteer_service; do
    run 0 "$SWS" --db x.db --no-plugins import $kind "$D/$kind.csv"
done
printf 'county,year,delivered_on\n330303,2022,2022-11-30\n' > reports.csv
run 0 "$SWS" --db x.db --no-plugins import county_reports reports.csv

run 0 "$SWS" --db x.db check --station 330303001 --year 2022 --as-of 2022-12-31
grep -q "1 station checked .* 0 violations, 0 warnings, 0 advice" "$W/out" || { cat "$W/out"; fail "compliant station has findings"; }

run 3 "$SWS" --db x.db check --station 330303002 --year 2022 --as-of 2022-12-31 --format json
for rule in area rooms facilities sign institutions staffing worker_age qualification \
            training_hours community_time village_contacts transition_332 chores funding \
            volunteer_service; do
    n=$(grep -c "\"rule\":	\"$rule\"" "$W/out" || true)
    [ "$n" = 1 ] || { cat "$W/out"; fail "rule $rule reported $n times, expected once"; }
done
[ "$(grep -c '"rule":' "$W/out")" = 15 ] || fail "unexpected extra findings"
grep -q '"actual":	"99 m² (recorded floor area)"' "$W/out" || fail "area evidence"
grep -q '"required":	">= 100 m²"' "$W/out" || fail "area requirement"
area_line=$(grep -n 'min_area_m2 = 100,' "$SWS_HOME/policies/default.lua" | cut -d: -f1)
grep -q "\"layer\":	\"policies/default.lua:$area_line\"" "$W/out" || fail "policy layer of the area rule"
grep -q 'W4 (46)' "$W/out" || fail "age evidence"
grep -q 'W4 (39 课时)' "$W/out" || fail "training evidence"
grep -q 'W4 ([0-9.]* of [0-9.]* h, 59.9%)' "$W/out" || fail "community share evidence"
grep -q 'no 2022 budget for personnel' "$W/out" || fail "funding evidence"
grep -q '"operating_in_2021"' "$W/out" || fail "coverage figures missing"

run 3 "$SWS" --db x.db check --county 330303 --year 2022 --as-of 2022-12-31 --format csv
head -1 "$W/out" | grep -q '^rule,severity,county,station,name,message,actual,required,layer$' || fail "csv header"
[ "$(grep -c '"330303001"' "$W/out" || true)" = 0 ] || fail "compliant station in csv"

# staffing: 3-8名 is a minimum, never a maximum: 8 and 9 resident workers both pass
grep -q '^"staffing","violation","330303","330303003"' "$W/out" && fail "8 workers refused"
grep -q '^"staffing","violation","330303","330303004"' "$W/out" && fail "9 workers refused"

# without --as-of, --year 2022 is judged on 31 December 2022
run 0 "$SWS" --db x.db check --station 330303001 --year 2022
grep -q "(year 2022, as of 2022-12-31)" "$W/out" || { cat "$W/out"; fail "default as-of of a past year"; }

run 0 "$SWS" --db x.db check --rules
grep -q "volunteer_service .*warning" "$W/out" || fail "the plugin's rule is not listed"

# a county policy may soften a warning but not a violation the city fixed
mkdir -p home/policies && cp "$SWS_HOME"/policies/default.lua home/policies/
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  rules = { sign = "advice", area = "warning" } })\n' > home/policies/330303.lua
SWS_HOME="$W/home" run 1 "$SWS" --db x.db policy check 330303
grep -q "330303.lua:2: rule 'area' may not be set below violation" "$W/err" || { cat "$W/err"; fail "severity floor"; }
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  rules = { sign = "advice", chores = false } })\n' > home/policies/330303.lua
SWS_HOME="$W/home" run 1 "$SWS" --db x.db policy check 330303
grep -q "rule 'chores' may not be set below warning" "$W/err" || fail "switching off a floored rule"
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  rules = { sign = "advice", worker_age = false } })\n' > home/policies/330303.lua
SWS_HOME="$W/home" run 3 "$SWS" --db x.db check --station 330303002 --year 2022 --as-of 2022-12-31 --format csv
grep -q '^"sign","advice",' "$W/out" || fail "severity not changed by the county"
grep -q '^"worker_age",' "$W/out" && fail "switched-off rule still reported"

# a county that renames a stage names its own operating stages, or policy check refuses it
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  workflow = { stages = { final_evaluation = { label = "终评", next = { "midterm" } }, operating = false, midterm = { label = "中期", next = { "final_evaluation" } }, accepted = { label = "验收", next = { "midterm" } } },\n  deadlines = false } })\n' > home/policies/330303.lua
SWS_HOME="$W/home" run 1 "$SWS" --db x.db policy check 330303
grep -q "coverage.operating_stages names the stage 'operating'" "$W/err" || { cat "$W/err"; fail "renamed stage not caught"; }

# a worker turning 46 is reported the day after the birthday
run 3 "$SWS" --db x.db check --station 330303001 --year 2022 --as-of 2023-12-31
grep -q "W1 (46)" "$W/out" || { cat "$W/out"; fail "age boundary"; }
# coverage: a station on a farm or zone code is not counted as coverage
printf 'code,name,county_code\n330303400,测试农场,330303\n' > farm.csv
printf 'code,name\n330303400,测试农场社会工作站\n' > farmst.csv
run 0 "$SWS" --db x.db --no-plugins import townships farm.csv
run 0 "$SWS" --db x.db --no-plugins import stations farmst.csv
run 3 "$SWS" --db x.db check --county 330303 --year 2022 --format json
tr -d ' \t\n' <"$W/out" | grep -q '"total":{"built":4,"need_station":4,"operating":0' ||
    { grep -A8 '"total"' "$W/out"; fail "a farm's station counted as coverage"; }

# ---- coverage: the city policy's targets, counted by the rules, per unit -------
# two townships of 鹿城区 (one with a station) make 龙湾区's share of the city's
# targets a share; operating from the audit trail: 330303001 since 2021-06-01,
# 330303002 since 2022-03-01, 330303003 in a stage named 'in_service' since 2021-05-01
printf 'code,name,county_code\n330302001,五马街道,330302\n330302002,七都街道,330302\n' > lc.csv
printf 'code,name\n330302001,五马街道社会工作站\n' > lcst.csv
run 0 "$SWS" --db x.db --no-plugins import townships lc.csv
run 0 "$SWS" --db x.db --no-plugins import stations lcst.csv
q x.db "INSERT INTO workflow_event(station_code, time, actor, action, from_stage, to_stage) VALUES
  ('330303001', '2021-06-01', 'test', 'advance', 'accepted', 'operating'),
  ('330303002', '2022-03-01', 'test', 'advance', 'accepted', 'operating'),
  ('330303003', '2021-05-01', 'test', 'advance', 'accepted', 'in_service')"
cov() { sqlite3 :memory: "SELECT json_extract(CAST(readfile('$W/out') AS TEXT), '\$.coverage$1')"; }
run 3 "$SWS" --db x.db check --county 330303 --year 2022 --as-of 2022-12-31 --format json
eq "$(cov .city_need_station)" 6 "the city's townships that need a station"
eq "$(cov .targets.operating_in_2021)" 54 "龙湾区's share of 80: 80 × 4 / 6, rounded up"
eq "$(cov .targets.operating_in_2022)" 4 "龙湾区's share of every township"
eq "$(cov .total.operating_in_2021)" 1 "operating by 2021-12-31"
eq "$(cov .total.operating)" 2 "operating on the as-of date"
eq "$(cov '.by_date[0].city_required')" 80 "the city's own target"
run 3 "$SWS" --db x.db check --county 330303 --year 2022 --as-of 2022-12-31
has "$W/out" "coverage of 330303 龙湾区: 4 stations built for the 4 townships that need one, 2 operating on 2022-12-31; its share of the city targets: 1 of 54 stations operating by 2021-12-31 (not met); 2 of 4 stations operating by 2022-12-31 (not met)"
# a station's check compares with its unit's share; counts agree in number
run 3 "$SWS" --db x.db check --station 330302001 --year 2022 --as-of 2022-12-31
has "$W/out" "coverage of 330302 鹿城区: 1 station built for the 2 townships that need one, 0 operating on 2022-12-31; its share of the city targets: 0 of 27 stations operating by 2021-12-31 (not met); 0 of 2 stations operating by 2022-12-31 (not met)"
run 3 "$SWS" --db x.db check --year 2022 --as-of 2022-12-31
has "$W/out" "coverage: 5 stations built for the 6 townships that need one, 2 operating on 2022-12-31; city targets: 1 of 80 stations operating by 2021-12-31 (not met); 2 of 6 stations operating by 2022-12-31 (not met)"

# a county that renames its operating stage and names it in coverage.operating_stages
# still counts its operating stations (those in the renamed stage)
renamed='workflow = { stages = { operating = false, in_service = { label = "运营服务", next = { "midterm" } }, accepted = { label = "验收", next = { "in_service" } }, final_evaluation = { label = "终评", next = { "in_service" } } }, enter = { operating = false, in_service = { "staffing", "institutions" } }, deadlines = false }'
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  %s,\n  coverage = { operating_stages = { "in_service", "midterm", "final_evaluation" } } })\n' "$renamed" > home/policies/330303.lua
SWS_HOME="$W/home" run 0 "$SWS" --db x.db policy check 330303
SWS_HOME="$W/home" run 3 "$SWS" --db x.db check --county 330303 --year 2022 --as-of 2022-12-31 --format json
eq "$(cov .total.operating)" 1 "operating in the renamed stage"
eq "$(cov .total.operating_in_2021)" 1 "operating in the renamed stage by 2021-12-31"
eq "$(cov '.operating_stages[0].name')" "in_service" "the county's operating stages"
# without naming it, the coverage stops with the reason (never a silent 0)
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  %s })\n' "$renamed" > home/policies/330303.lua
SWS_HOME="$W/home" run 1 "$SWS" --db x.db check --county 330303 --year 2022 --as-of 2022-12-31
has "$W/err" "coverage.operating_stages names the stage 'operating', which the workflow of policy 330303 does not have"
rm home/policies/330303.lua

# a changed target in the city policy changes the check and the coverage report
mkdir -p home2/policies && cp -r "$SWS_HOME/plugins" home2/
sed 's/{ by = "2021-12-31", operating = 80 }/{ by = "2021-09-30", operating = 5 }/' \
    "$SWS_HOME/policies/default.lua" > home2/policies/default.lua
grep -q 'by = "2021-09-30", operating = 5' home2/policies/default.lua || fail "the test policy's target"
SWS_HOME="$W/home2" run 3 "$SWS" --db x.db check --year 2022 --as-of 2022-12-31 --format json
eq "$(cov .targets.operating_in_2021)" 5 "the changed target in the JSON"
eq "$(cov '.by_date[0].by')" "2021-09-30" "the changed date in the JSON"
eq "$(cov .total.operating_in_2021)" 1 "operating by 2021-09-30"
SWS_HOME="$W/home2" run 3 "$SWS" --db x.db check --year 2022 --as-of 2022-12-31
has "$W/out" "city targets: 1 of 5 stations operating by 2021-09-30 (not met); 2 of 6 stations operating by 2022-12-31 (not met)"
SWS_HOME="$W/home2" run 0 "$SWS" --db x.db report coverage --as-of 2022-12-31 --format json --out cov.json
target_row() { sqlite3 :memory: "SELECT json_extract(r.value, '\$.$1') FROM
  json_each(json_extract(CAST(readfile('cov.json') AS TEXT), '\$.sections')) s,
  json_each(json_extract(s.value, '\$.rows')) r WHERE json_extract(s.value, '\$.id') = 'targets'
  ORDER BY r.key LIMIT 1"; }
eq "$(target_row required)" 5 "the changed target in the report"
eq "$(target_row by)" "2021-09-30" "the changed date in the report"
eq "$(target_row actual)" 1 "operating by the changed date in the report"
SWS_HOME="$W/home2" run 0 "$SWS" --db x.db report coverage --as-of 2022-12-31 --format md
has "$W/out" "市定目标：2021年建成运营 5 个，2022年实现乡镇（街道）全覆盖"

# the county report job delivers the annual report in the policy's format
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  annual_report = { format = "pdf" } })\n' > home2/policies/330303.lua
SWS_HOME="$W/home2" run 1 "$SWS" --db x.db policy check 330303
has "$W/err" "annual_report.format 'pdf' is not html, md, csv or json"
printf 'return sws.policy.extend("default", { name = "330303", version = "1",\n  annual_report = { format = "md" } })\n' > home2/policies/330303.lua
SWS_HOME="$W/home2" run 0 "$SWS" --db x.db job run county_report@330303 --as-of 2022-12-31 --reports rep
has rep/330303-2022-annual-report.md "# 龙湾区2022年度乡镇（街道）社会工作站评估汇总报告" "## 总体情况" "330303001"
eq "$(q x.db "SELECT delivered_as_of || ' ' || path FROM county_report WHERE county_code = '330303' AND year = 2022")" \
   "2022-12-31 rep/330303-2022-annual-report.md" "the delivery"

# no C names the operating stages or the city's targets: they are the policy's
# (the migrations are the schema's history, not a place to look for policy)
csrc=$(ls "$SWS_HOME"/core/*.c "$SWS_HOME"/core/*.h | grep -v '/migrations\.c$')
if grep -nE "['\"](operating|midterm|final_evaluation)['\"]|'2022-01-01'" $csrc; then
    fail "C code names the operating stages"
fi
if grep -nE "(target|coverage).*\b80\b|\b80\b.*(target|coverage)" $csrc; then
    fail "C code names the city's coverage target"
fi

# more stations than one chunk (about 2,000, whole counties): every county's
# annual report is judged once, not once per chunk
run 0 "$SWS" --db big.db init
run 0 "$SWS" --db big.db --no-plugins import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
q big.db "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2099)
  INSERT INTO township(code, county_code, name)
  SELECT c || printf('%03d', i % 1000), c, 'T' || i FROM (SELECT i,
    CASE WHEN i < 1000 THEN '330302' WHEN i < 2000 THEN '330303' ELSE '330304' END AS c FROM n);
  INSERT INTO station(code, name) SELECT code, name || '站' FROM township;"
eq "$(q big.db 'SELECT count(*) FROM station')" 2100 "stations of the chunked check"
run 3 "$SWS" --db big.db --no-plugins check --year 2022 --as-of 2022-12-31
grep -q "^2100 stations checked" "$W/out" || { cat "$W/out"; fail "the chunked check's station count"; }
run 3 "$SWS" --db big.db --no-plugins check --year 2022 --as-of 2022-12-31 --format csv
reports=$(grep -c '^"county_report",' "$W/out" || true)
eq "$reports" "$(($(wc -l < "$SWS_TEST_DATA/wenzhou_counties.csv") - 1))" \
    "county annual reports judged once per county over two chunks"
eq "$(grep '^"county_report",' "$W/out" | cut -d, -f3 | sort | uniq -d)" "" \
    "a county's annual report reported twice"
echo "check reports each broken rule once"
