#!/usr/bin/env bash
# `sws eval`: indicator validation (bad trees and weights named by file and
# line), grade bands at their boundaries, stars, veto, assessor weights and a
# missing assessor reported, county weights scaling, mid vs final item sets,
# explain, JSON/CSV and the evaluation.scored event. Runs on a small city
# policy (tests/data/policies/eval_city.lua) whose item A1.1 earns area / 10.
set -eu
. "$(dirname "$0")/testlib.bash"

expect_err() { grep -qF -- "$1" "$W/err" || { cat "$W/err"; fail "missing: $1"; }; }

# ---- validation of the shipped city's indicators ---------------------------
run 0 "$SWS" --db x.db policy check default
run 1 "$SWS" --db x.db policy check "$SWS_TEST_DATA/policies/bad_tree.lua"
expect_err "bad_tree.lua:8: 'indicators.weights.services' = 36 is outside the city's bounds: within 5 of the city's 30"
expect_err "bad_tree.lua:11: indicator D1 has 12 points but its items add up to 14"
expect_err "bad_tree.lua:14: dimension 'governance': its indicators add up to 12 points, not the city's weight 10"
expect_err "bad_tree.lua:15: computed item E3.1 needs a compute function"
expect_err "bad_tree.lua:17: item E4.1: type 'scored' is not one of yesno, parts, graded, computed"
expect_err "bad_tree.lua:17: item code E4.1 should begin with its indicator's code E3."
expect_err "bad_tree.lua:18: item E4.1: unknown phase 'year_end' (mid or final)"
expect_err "item E4.1: unknown assessor 'county'"
expect_err "bad_tree.lua:22: 'indicators.grades' is the city's evaluation norm"
expect_err "bad_tree.lua:23: assessor weights add up to 0.9, not 1"
expect_err "bad_tree.lua:24: 'indicators.bonus.max' = 8 is outside the city's bounds: at most 5"
lacks "$W/err" "unknown key 'indicators.tree.governance.indicators.elderly'"

# ---- a scratch home with the small city policy -----------------------------
mkdir -p home/policies home/plugins/evlog
cp "$SWS_TEST_DATA/policies/eval_city.lua" home/policies/default.lua
cat > home/policies/330302.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330302", version = "test.2",
  indicators = { weights = { services = 85, funds = 15 } },
})
LUA
cat > home/plugins/evlog/manifest.lua <<'LUA'
return { name = "evlog", version = "1.0.0", api = 1, requires = {}, counties = "*",
         description = "logs evaluation.scored" }
LUA
cat > home/plugins/evlog/init.lua <<'LUA'
local sws = require "sws"
sws.on("evaluation.scored", function(ev)
  sws.log.info("scored %d %s of %d %s; %s is %s", ev.stations, sws.text.plural(ev.stations, "station", "stations"), ev.year, ev.phase,
    ev.results[1].station, ev.results[1].grade)
end)
LUA
export SWS_HOME="$W/home"
run 0 "$SWS" --db x.db policy check
# weights that no longer add up are reported at the county's line that changed them
cat > home/policies/330305.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330305", version = "test.1",
  indicators = {
    weights = {
      services = 88 },
  },
})
LUA
run 1 "$SWS" --db x.db policy check 330305
has "$W/err" "policies/330305.lua:5: indicator weights add up to 98, not 100"
lacks "$W/err" "default.lua"
rm home/policies/330305.lua

db=e.db
run 0 "$SWS" --db $db init  # a database must exist before it is used
run 0 "$SWS" --db $db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
{
    echo "code,name,county_code"
    for i in 01 02 03 04 05 06 07 08 09 10; do echo "3303030$i,测试$i街道,330303"; done
    echo "330302001,鹿城测试街道,330302"
} > t.csv
run 0 "$SWS" --db $db import townships t.csv
cat > s.csv <<'CSV'
code,name,area_m2,opened
330303001,五九九站,599,2022-01-10
330303002,六百站,600,2022-01-10
330303003,七九九站,799,2022-01-10
330303004,八百站,800,2022-09-01
330303005,八九九站,799,2022-01-10
330303006,九十站,800,2022-01-10
330303007,否决站,900,2022-01-10
330303008,三方站,700,2022-01-10
330303009,缺评站,700,2022-01-10
330303010,乱分站,100,2022-01-10
330302001,鹿城站,900,2022-01-10
CSV
run 0 "$SWS" --db $db import stations s.csv
cat > scores.csv <<'CSV'
station,year,phase,assessor,item,score,evidence
330303005,2022,final,self,A2.1,10,
330303005,2022,final,government,A2.1,10,
330303005,2022,final,third_party,A2.1,10,
330303006,2022,final,self,A2.1,10,
330303006,2022,final,government,A2.1,10,
330303006,2022,final,third_party,A2.1,10,
330303007,2022,final,self,A2.1,10,
330303007,2022,final,government,A2.1,10,
330303007,2022,final,third_party,A2.1,10,
330303007,2022,final,government,V1,1,审计报告第3号
330303008,2022,final,self,A2.1,10,自评报告
330303008,2022,final,government,A2.1,8,抽查记录12份
330303008,2022,final,third_party,A2.1,6,第三方报告
330303009,2022,final,self,A2.1,10,
330303009,2022,final,government,A2.1,8,
330303009,2022,final,third_party,B1.2,4,
330303010,2022,final,government,A2.1,12,
330303010,2022,final,government,Z1,3,
330303010,2022,final,self,A1.1,5,
330302001,2022,final,government,B1.1,6,
330302001,2022,final,government,B1.2,4,
330302001,2022,final,third_party,B1.2,4,
330302001,2022,final,government,H1,3,
330303008,2022,mid,government,B1.2,4,
330303008,2022,mid,third_party,B1.2,2.5,
CSV
run 0 "$SWS" --db $db import scores scores.csv

# ---- final: totals, grade bands at their boundaries, stars, veto ----------------
run 3 "$SWS" --db $db eval score --year 2022 --phase final --format csv
# row CODE: "rank_county rank_city services funds bonus total grade stars vetoed veto"
row() { grep ",$1," "$W/out" | tr -d '"' | awk -F, '{print $7, $8, $9, $10, $11, $12, $13, $14, $15, $16}'; }
eq "$(row 330303001)" "8 9 59.9 0 0 59.90 不合格 0 0 " "59.9 is below 合格"
eq "$(row 330303002)" "7 8 60 0 0 60.00 合格 1 0 " "60 is 合格 (the band includes its minimum)"
eq "$(row 330303003)" "5 6 79.9 0 0 79.90 合格 2 0 " "79.9 is still 合格"
eq "$(row 330303004)" "4 5 80 0 0 80.00 良好 3 0 " "80 is 良好"
eq "$(row 330303005)" "2 3 89.9 0 0 89.90 良好 3 0 " "89.9 is still 良好"
eq "$(row 330303006)" "1 2 90 0 0 90.00 优秀 4 0 " "90 is 优秀"
eq "$(row 330303007)" "10 11 90 0 0 90.00 不合格 0 1 V1" "a veto fails the station whatever its total"
# self 10, government 8, third_party 6 weighted 0.2/0.3/0.5: 2 + 2.4 + 3 = 7.4
eq "$(row 330303008)" "6 7 77.4 0 0 77.40 合格 2 0 " "assessor scores weighted"
# third_party did not score A2.1: (0.2×10 + 0.3×8) / 0.5 = 8.8; B1.2 by third_party only: 4
eq "$(row 330303009)" "3 4 78.8 4 0 82.80 良好 3 0 " "re-weighted over the assessors present"
# county weights 85/15: A 80 × 85/90 = 75.56, B 10 × 15/10 = 15, bonus 3 capped at 2
eq "$(row 330302001)" "1 1 75.56 15 2 92.56 优秀 4 0 " "county weights scale the dimensions"
grep -q '^year,phase,county,county_name,station,name,rank_county,rank_city,services,funds,bonus,total' "$W/out" || fail "csv header"
has "$W/err" "findings — missing or doubtful assessor scores"

# ---- text: the ranking, the findings ------------------------------------------
run 3 "$SWS" --db $db eval score --year 2022 --phase final --county 330303
has "$W/out" "330303 龙湾区 — policy default version test.1" "10 stations: 优秀 1, 良好 3, 合格 3, 不合格 3 (1 failed by a veto item)" \
    "veto: V1" \
    "330303009 缺评站: scores missing: A2.1 (third_party), B1.1 (government), B1.2 (government)" \
    "330303001 五九九站: no evaluation on file from self, government, third_party" \
    "330303010 乱分站: item A2.1: government gave 12, more than its 10 points; counted as 10" \
    "330303010 乱分站: government scored item Z1, which is not an item of the final evaluation in policy default; the score is ignored" \
    "330303010 乱分站: item A1.1 is computed from the data; the score of self is ignored"
lacks "$W/out" "鹿城站"
has "$W/err" "scored 10 stations of 2022 final; 330303001 is 不合格"
grep -q "^ *1 *2  330303006  九十站 " "$W/out" || { cat "$W/out"; fail "ranking row of 330303006"; }

run 3 "$SWS" --db $db eval score --year 2022 --phase final --county 330302 --format json
tr -d ' \t\n' < "$W/out" > compact.json
has compact.json '"code":"330302001"' '"grade":"优秀"' '"stars":4' '"rank_city":1' '"stations_city":11' \
    '"weight":85' '"missing":["self","government","third_party"]' '"kind":"missing"' \
    '"message":"itemA2.1hasnoscorefromself:noself-assessment(自评)ofthe2022finalevaluationisonfile"'


# ---- explain ------------------------------------------------------------------
run 3 "$SWS" --db $db eval explain 330303008 --year 2022
has "$W/out" "A2.1 服务过程规范 — graded, scored by self, government, third_party: 7.4 of 10" \
    "self        10 (优)  weight 0.2  evidence: 自评报告" \
    "government  8 (良)  weight 0.3  evidence: 抽查记录12份" \
    "third_party 6 (中)  weight 0.5  evidence: 第三方报告" \
    "A1.1 面积每10平方米1分 — computed: 70 of 80" "area 700 m² / 10" \
    "B1.1 预算到位 — yesno, scored by government: 0 of 6" "government  MISSING — no score for this item" \
    "V2 站点面积不足10平方米 — computed: not triggered" \
    "total: 77.40 = 77.4 (dimensions) + 0 (bonus)" "grade: 合格; stars: ★★" "rank: 6 of 10 in 龙湾区, 7 of 11 in the city"
run 3 "$SWS" --db $db eval explain 330303009 --year 2022
has "$W/out" "third_party MISSING — no score for this item" \
    "→ weighted mean over the assessors who scored it: 4.4 / 0.5 = 8.8"
run 3 "$SWS" --db $db eval explain 330303007 --year 2022
has "$W/out" "veto items (一票否决): FAILED" "government  1 (发现)  evidence: 审计报告第3号" "grade: 不合格 (veto: V1); stars: -"
run 3 "$SWS" --db $db eval explain 330302001 --year 2022
has "$W/out" "80 of 90 points × weight 85 / 90 = 75.56 (the county weighs it 85; the city 90)" \
    "bonus (加分, at most 2): 2" "H1 品牌项目 — yesno, scored by government: 3 of 3" \
    "self        MISSING — no evaluation on file" "→ no assessor scored it: 0 points"

# ---- the largest point losses, and explain as JSON ------------------------------
run 3 "$SWS" --db $db eval explain 330303008 --year 2022
# the summary comes before the dimensions, largest loss first, with why
eq "$(sed -n '5,9p' "$W/out")" "largest point losses (points of the total of 100):
  -10     A1.1 面积每10平方米1分 (70 of 80): area 700 m² / 10
  -6      B1.1 预算到位 (0 of 6): no score from government
  -4      B1.2 账目规范 (0 of 4): no score from government, no score from third_party
  -2.6    A2.1 服务过程规范 (7.4 of 10): self 10 (优), government 8 (良), third_party 6 (中)" \
    "largest point losses of 330303008"
run 3 "$SWS" --db $db eval explain 330303007 --year 2022
has "$W/out" "  veto V1 挪用专项资金: the station fails whatever its total"
# scaled by the county weight: 10 points of 90 weighed 85 are 9.44 of the total
run 3 "$SWS" --db $db eval explain 330302001 --year 2022
has "$W/out" "  -9.44   A2.1 服务过程规范 (0 of 10): no score from self, no score from government, no score from third_party"
run 3 "$SWS" --db $db eval explain 330302001 --year 2022 --format json
python3 - "$W/out" <<'PY' || fail "explain --format json"
import json, sys
d = json.load(open(sys.argv[1]))
assert sorted(d) == ["findings", "from", "largest_losses", "phase", "station", "to", "year"], sorted(d)
s = d["station"]
assert (d["year"], d["phase"], s["code"], s["total"], s["grade"]) == (2022, "final", "330302001", 92.56, "优秀"), s
assert s["policy_file"] == "policies/330302.lua" and s["assessor_weights"]["third_party"] == 0.5, s
assert [x["key"] for x in s["dimensions"]] == ["services", "funds"], s["dimensions"]
losses = d["largest_losses"]
assert [(x["code"], x["dimension"], x["points"], x["earned"], x["lost"]) for x in losses] == \
    [("A2.1", "services", 10, 0, 9.44)], losses
# the losses and the dimensions' total add up to 100
assert abs(sum(x["lost"] for x in losses) + s["dimensions_total"] - 100) < 0.011, losses
assert {f["kind"] for f in d["findings"]} == {"missing"} and all(f["station"] == "330302001" for f in d["findings"]), d["findings"]
PY
# a stored run explains itself as JSON just as the live run did
"$SWS" --db $db eval explain 330302001 --year 2022 --format json > live.json || true
run 3 "$SWS" --db $db eval score --year 2022 --phase final --save
run 3 "$SWS" --db $db eval explain 330302001 --run 1 --format json
eq "$(cat "$W/out")" "$(cat live.json)" "explain --run 1 --format json"
run 2 "$SWS" --db $db eval explain 330302001 --year 2022 --format csv
has "$W/err" "explain --format is text or json, not 'csv'"
run 2 "$SWS" --db $db eval runs --format json
has "$W/err" "runs takes no option '--format'"
run 2 "$SWS" --db $db eval publish 1 --format json
has "$W/err" "publish takes no option '--format'"

# ---- mid-term: fewer items, stations opened by 30 June only -------------------
run 3 "$SWS" --db $db eval score --year 2022 --phase mid --county 330303 --format csv
lacks "$W/out" "330303004"
# B1.2 only (4 points) scaled to the weight 10: (0.3×4 + 0.5×2.5)/0.8 = 3.0625 → 7.66
eq "$(row 330303008)" "5 5 70 7.66 0 77.66 合格 2 0 " "mid-term total"
run 3 "$SWS" --db $db eval explain 330303008 --year 2022 --phase mid
has "$W/out" "mid-term evaluation (中期评估): data from 2022-01-01 to 2022-06-30" \
    "B 经费管理 (funds): 3.06 of 4 points × weight 10 / 4 = 7.66"
lacks "$W/out" "B1.1" "H1" "V2"

# ---- counts agree in number -----------------------------------------------------
run 3 "$SWS" --db $db eval score --year 2022 --phase final --county 330302
has "$W/out" "1 station: 优秀 1, 良好 0, 合格 0, 不合格 0"
lacks "$W/out" "station(s)"
run 0 "$SWS" --db one.db init
run 0 "$SWS" --db one.db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
head -2 t.csv > one_t.csv
run 0 "$SWS" --db one.db import townships one_t.csv
head -2 s.csv > one.csv
run 0 "$SWS" --db one.db import stations one.csv
has "$W/out" "imported 1 of 1 row into station"
run 0 "$SWS" --db one.db summary
has "$W/out" "1 station below the city's minimum of 3"
SWS_HOME="$SWS_TEST_DATA/../.." run 3 "$SWS" --db one.db check --station 330303001 --year 2022
has "$W/out" "1 station checked" "1 station built for the 1 township that needs one" \
    "0 of 1 station operating by 2022-12-31"

# ---- refusals ---------------------------------------------------------------------
run 2 "$SWS" --db $db eval score --year 2022
has "$W/err" "score --year Y --phase mid|final"
run 2 "$SWS" --db $db eval score --year 2022 --phase yearly
run 1 "$SWS" --db $db eval explain 330303099 --year 2022
has "$W/err" "station 330303099 is not evaluated"
run 1 "$SWS" --db $db eval score --year 2022 --phase final --as-of 2023-01-05
has "$W/err" "--as-of 2023-01-05 is outside the service year 2022"
# a county policy whose tree no longer adds up stops the evaluation, named
cat > home/policies/330303.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330303", version = "bad.1",
  indicators = { tree = { services = { indicators = {
    measured = { items = { area = { points = 70 } } } } } } },
})
LUA
run 1 "$SWS" --db $db eval score --year 2022 --phase final --county 330303
has "$W/err" "policy policies/330303.lua has 1 problem," "policies/330303.lua:4: indicator A1 has 80 points but its items add up to 70"
echo "eval scores, ranks and explains as it should"
