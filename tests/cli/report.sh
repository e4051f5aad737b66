#!/usr/bin/env bash
# `sws report`: the coverage, annual, station and volunteer reports of a
# generated county checked number by number against plain SQL over the same
# database (and the evaluation against `sws eval score`); masking of ID and
# mobile numbers, names and addresses in every format; under-14s and objects
# without consent only counted; --reveal refused without --reason and logged
# with it (`sws audit log`, append-only); CSV byte-order mark and formula
# cells; the retention job and deactivation; the progress bar.
set -eu
. "$(dirname "$0")/testlib.bash"

# j FILE PATH: a value of a JSON file (sqlite3's JSON functions).
j() { sqlite3 :memory: "SELECT json_extract(CAST(readfile('$1') AS TEXT), '$2')"; }
# fig FILE SECTION KEY: a key figure of a section of a JSON report.
fig() {
    sqlite3 :memory: "SELECT json_extract(f.value, '\$.value') FROM
      json_each(json_extract(CAST(readfile('$1') AS TEXT), '\$.sections')) s,
      json_each(json_extract(s.value, '\$.figures')) f
      WHERE json_extract(s.value, '\$.id') = '$2' AND json_extract(f.value, '\$.key') = '$3'"
}
# rows FILE SECTION: the rows of a section as JSON.
rows() {
    sqlite3 :memory: "SELECT json_extract(s.value, '\$.rows') FROM
      json_each(json_extract(CAST(readfile('$1') AS TEXT), '\$.sections')) s
      WHERE json_extract(s.value, '\$.id') = '$2'"
}
# col FILE SECTION KEY WHERE: sum of column KEY over the rows of a section (WHERE on r).
sumcol() {
    sqlite3 :memory: "SELECT total(json_extract(r.value, '\$.$3')) FROM
      json_each(json_extract(CAST(readfile('$1') AS TEXT), '\$.sections')) s,
      json_each(json_extract(s.value, '\$.rows')) r
      WHERE json_extract(s.value, '\$.id') = '$2' ${4:-}"
}

# ---- a generated county (鹿城区) with a few hand-made service objects ------
head -1 "$SWS_HOME/data/wenzhou_townships.csv" > townships.csv
grep '^3303020' "$SWS_HOME/data/wenzhou_townships.csv" >> townships.csv
run 0 "$SWS" generate --townships townships.csv --out gen --services 600 --year 2022
run 0 "$SWS" --db x.db init
run 0 "$SWS" --db x.db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
run 0 "$SWS" --db x.db import townships townships.csv
for kind in townships villages stations rooms facilities institutions workers trainings \
            worktime contacts mentoring volunteers volunteer_service orgs charity clients \
            services funding; do
    run 0 "$SWS" --db x.db import $kind gen/$kind.csv
done
# the hand-made objects of station 330302006: an adult with written consent,
# a 15-year-old with guardian consent, a 10-year-old with guardian consent
# (counted only), an adult without consent (counted only)
cat > clients.csv <<'CSV'
code,station,category,id_number,phone,name,address,consent,consent_date,closed_on
T1,330302006,elderly,330302195001011237,13912345678,王小明,温州市鹿城区五马街道解放街12号,written,2022-03-01,
T2,330302006,child,330302200706151233,,李小红,温州市鹿城区五马街道公园路3号,guardian,2022-04-01,
T3,330302006,child,33030220120101123X,,赵小小,温州市鹿城区五马街道府前街8号,guardian,2022-04-01,
T4,330302006,elderly,330302194803031235,13812345678,钱不同,温州市鹿城区五马街道信河街9号,none,,
CSV
run 0 "$SWS" --db x.db import clients clients.csv
eq "$(q x.db "SELECT birth_date FROM client WHERE code = 'T2'")" "2007-06-15" "birth date from the ID"
# the workflow as a fixture: 10 stations operating (6 of them since 2021), 2 building
q x.db "INSERT INTO workflow_instance SELECT code, 'default', 'test', CASE WHEN rowid <= 10
  THEN 'operating' ELSE 'building' END, '2021-01-01', '2022-01-01' FROM
  (SELECT code, row_number() OVER (ORDER BY code) AS rowid FROM station) WHERE rowid <= 12;
  INSERT INTO workflow_event(station_code, time, actor, action, from_stage, to_stage)
  SELECT station_code, CASE WHEN rowid <= 6 THEN '2021-06-01' ELSE '2022-03-01' END, 'test',
  'advance', 'accepted', 'operating' FROM (SELECT station_code, row_number() OVER
  (ORDER BY station_code) AS rowid FROM workflow_instance WHERE stage = 'operating')"
need=$(q x.db "SELECT count(*) FROM township WHERE county_code = '330302' AND kind <> 'special'")
built=$(q x.db "SELECT count(*) FROM station")

# ---- options --------------------------------------------------------------
run 2 "$SWS" --db x.db report annual --county 330302
has "$W/err" "--format is required"
run 2 "$SWS" --db x.db report annual --format pdf --county 330302
run 2 "$SWS" --db x.db report annual --format html
has "$W/err" "give --county CODE"
run 2 "$SWS" --db x.db report station --format html
run 2 "$SWS" --db x.db report coverage --format csv --from 2022-01-01
run 2 "$SWS" --db x.db report volunteers --format md --from 2022-05-01 --to 2022-01-01
run 2 "$SWS" --db x.db report coverage --format html --no-bom
run 2 "$SWS" --db x.db report station --format md --county 330303 --station 330302006
has "$W/err" "does not lie in --county 330303"
run 2 "$SWS" --db x.db report coverage --format md --actor 张科长
run 1 "$SWS" --db x.db report nosuch --format html
has "$W/err" "no report 'nosuch'"

# ---- coverage -------------------------------------------------------------
run 0 "$SWS" --db x.db report coverage --county 330302 --as-of 2022-12-31 --format json --out cov.json
eq "$(j cov.json '$.schema')" "sws.report/1" "schema"
eq "$(fig cov.json targets need_station)" "$need" "townships that need a station"
eq "$(fig cov.json targets built)" "$built" "stations built"
eq "$(fig cov.json targets operating)" "10" "stations operating"
eq "$(fig cov.json targets operating_in_2021)" "6" "operating in 2021"
eq "$(sumcol cov.json coverage stage_building)" "2.0" "stations building"
eq "$(sumcol cov.json coverage stage_not_started)" "$((built - 12)).0" "stations not started"
eq "$(sumcol cov.json coverage hubs)" "$(q x.db "SELECT total(is_hub) FROM station")" "hubs"
eq "$(sumcol cov.json coverage community_rooms)" \
   "$(q x.db "SELECT total(n) FROM (SELECT count(DISTINCT village_code) AS n FROM worker WHERE role = 'room' AND left_on IS NULL)")" "community rooms"

# ---- several counties in one command: the same documents ---------------------
run 2 "$SWS" --db x.db report annual --county 330302,330303 --format html --out a.html
has "$W/err" "{county}"
run 2 "$SWS" --db x.db report annual --format html --out 'a-{county}.html'
run 2 "$SWS" --db x.db report annual --county 330302,33030 --format html --out 'a-{county}.html'
run 0 "$SWS" --db x.db report annual --county 330302 --year 2022 --as-of 2022-12-31 --format md --out one.md
run 0 "$SWS" --db x.db report annual --county 330302,330303 --year 2022 --as-of 2022-12-31 \
    --format md --out 'many-{county}.md'
has "$W/err" "wrote many-330302.md" "wrote many-330303.md"
cmp -s one.md many-330302.md || fail "a report of a batch differs from the same report alone"
has many-330303.md "龙湾区2022年度"

# ---- a county changes its annual report without recompiling ------------------
mkdir -p home/plugins
cp -r "$SWS_HOME/plugins/reports" home/plugins/
ln -s "$SWS_HOME/policies" home/policies
mkdir -p home/plugins/reports/counties
cat > home/plugins/reports/counties/330302.lua <<'LUA'
local model = require "model"
return {
  annual = {
    sections = { changes = false },
    add = { { after = "linkage", id = "mentoring", build = function(ctx)
      local sec = model.section("mentoring", "3+3+2 结对培养", { { "n", "结对数", "int" } })
      sec.rows = sws.db.query([[SELECT count(*) AS n FROM mentoring m JOIN worker w
        ON w.code = m.mentor_code WHERE substr(w.station_code, 1, 6) = ?]], ctx.county)
      return sec
    end } },
  },
}
LUA
SWS_HOME=home run 0 "$SWS" --db x.db report annual --county 330302 --year 2022 --format md
has "$W/out" "## 3+3+2 结对培养" "| $(q x.db "SELECT count(*) FROM mentoring") |"
lacks "$W/out" "## 与上年相比"
grep -n "^## " "$W/out" | grep -A1 "五社联动" | grep -q "3+3+2" || fail "the county's section is not after linkage"
SWS_HOME=home run 0 "$SWS" --db x.db report annual --county 330303 --year 2022 --format md
lacks "$W/out" "3+3+2 结对培养"

# ---- annual: numbers against SQL -------------------------------------------
run 0 "$SWS" --db x.db report annual --county 330302 --year 2022 --as-of 2022-12-31 --format json --out annual.json
Y="date BETWEEN '2022-01-01' AND '2022-12-31'"
eq "$(fig annual.json summary stations)" "$built" "stations in the annual report"
eq "$(fig annual.json summary service_records)" "$(q x.db "SELECT count(*) FROM service_record WHERE $Y")" "service records"
eq "$(sumcol annual.json services records)" "$(q x.db "SELECT total(1) FROM service_record WHERE $Y")" "services by domain"
eq "$(sumcol annual.json services case)" "$(q x.db "SELECT total(1) FROM service_record WHERE $Y AND method = 'case'")" "case work"
eq "$(sumcol annual.json funding budget "AND json_extract(r.value, '\$.category') <> '合计'")" \
   "$(q x.db "SELECT total(budget) FROM funding WHERE year = 2022")" "budget"
eq "$(sumcol annual.json funding spent "AND json_extract(r.value, '\$.category') = '合计'")" \
   "$(q x.db "SELECT total(spent) FROM funding WHERE year = 2022")" "spent"
eq "$(sumcol annual.json staffing resident)" \
   "$(q x.db "SELECT total(1) FROM worker WHERE role = 'resident' AND (left_on IS NULL OR left_on > '2022-12-31')")" "resident workers"
eq "$(printf '%.1f' "$(sumcol annual.json linkage volunteer_hours)")" \
   "$(printf '%.1f' "$(q x.db "SELECT total(hours) FROM volunteer_service WHERE $Y")")" "volunteer hours"
eq "$(sumcol annual.json linkage orgs)" "$(q x.db "SELECT total(1) FROM community_org WHERE registered IS NULL OR registered <= '2022-12-31'")" "organisations"
eq "$(sumcol annual.json clients count "AND json_extract(r.value, '\$.group') = '未取得同意'")" \
   "$(q x.db "SELECT total(1) FROM client WHERE consent = 'none'")" "objects without consent"
eq "$(fig annual.json clients clients)" "$(q x.db "SELECT count(*) FROM client")" "service objects"
run 3 "$SWS" --db x.db eval score --year 2022 --phase final --county 330302 --format csv
first=$(sed -n 2p "$W/out")
code=$(echo "$first" | cut -d, -f5)
total=$(q x.db "SELECT 1" >/dev/null; sqlite3 :memory: "SELECT json_extract(r.value, '\$.final_total') FROM
  json_each(json_extract(CAST(readfile('annual.json') AS TEXT), '\$.sections')) s,
  json_each(json_extract(s.value, '\$.rows')) r WHERE json_extract(s.value, '\$.id') = 'evaluation'
  AND json_extract(r.value, '\$.station') = '$code'")
echo "$first" | grep -q ",$total," || fail "final score of $code: report $total, sws eval: $first"
grep -q '"findings"' annual.json || fail "findings section"

# ---- masking in every format ----------------------------------------------
cut -d, -f5 gen/clients.csv gen/workers.csv | grep -E '^[0-9]{17}[0-9X]$' > numbers.txt || true
grep -ohE '(^|,)1[3-9][0-9]{9}(,|$)' gen/*.csv | tr -d , >> numbers.txt
printf '%s\n' 330302195001011237 13912345678 13812345678 >> numbers.txt
[ "$(wc -l < numbers.txt)" -gt 100 ] || fail "too few personal numbers to look for"
{ cat numbers.txt; printf '%s\n' 王小明 钱不同 解放街12号; } > secrets.txt
cut -d, -f3 gen/volunteers.csv | tail -n +2 > names.txt
for fmt in html md csv json; do
    for kind in "coverage --county 330302" "annual --county 330302" \
                "station --station 330302006" "volunteers --county 330302"; do
        run 0 "$SWS" --db x.db report $kind --year 2022 --as-of 2022-12-31 --format $fmt
        cat "$W/out" "$W/err" > "r.$fmt"
        if grep -qFf secrets.txt "r.$fmt"; then fail "report $kind ($fmt) shows $(grep -oFf secrets.txt "r.$fmt" | head -1)"; fi
        if grep -qFf names.txt "r.$fmt"; then fail "report $kind ($fmt) shows a volunteer's name"; fi
        if grep -qE '(^|[^0-9])[0-9]{17}[0-9X]([^0-9]|$)|(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)' "r.$fmt"; then
            fail "report $kind ($fmt) has a full ID or mobile number"
        fi
    done
done
grep -qFf numbers.txt x.db && fail "the database holds a full personal number"

# ---- the station report lists only adults (14+) with consent ---------------
run 0 "$SWS" --db x.db report station --station 330302006 --year 2022 --as-of 2022-12-31 --format json
cp "$W/out" station.json
listed=$(rows station.json clients)
echo "$listed" | grep -q '"code":"T1"' || fail "T1 (adult, written consent) not listed"
echo "$listed" | grep -q '"code":"T2"' || fail "T2 (15, guardian consent) not listed"
echo "$listed" | grep -q '"name":"王\*\*"' || fail "T1's name not masked as 王**"
echo "$listed" | grep -q '"address":"温州市鹿城区\*\*\*\*"' || fail "T1's address not masked"
echo "$listed" | grep -q '"minor":"是"' || fail "T2 not marked a minor"
echo "$listed" | grep -q '"code":"T3"' && fail "T3 (10 years old) listed"
echo "$listed" | grep -q '"code":"T4"' && fail "T4 (no consent) listed"
young=$(q x.db "SELECT count(*) FROM client WHERE station_code = '330302006' AND consent IN ('oral','written','guardian')
  AND (birth_date IS NULL AND birth_year IS NULL OR coalesce(birth_date, birth_year || '-12-31') > date('2022-12-31', '-14 years')
       OR (birth_date IS NULL AND birth_year > 2022 - 15))")
eq "$(fig station.json clients sensitive)" "$young" "objects under 14 or of unknown age, counted only"
eq "$(j station.json '$.masked')" "1" "masked flag"
eq "$(rows station.json audit | grep -o '"to_stage":"operating"' | wc -l)" "1" "audit trail"

# ---- --reveal needs a reason and is logged ---------------------------------
run 2 "$SWS" --db x.db report station --station 330302006 --format html --reveal
has "$W/err" "--reveal needs --reason"
run 2 "$SWS" --db x.db report station --station 330302006 --format html --reveal --reason "  "
run 2 "$SWS" --db x.db report station --station 330302006 --format html --reason "x"
run 0 "$SWS" --db x.db audit log
has "$W/out" "0 accesses"
SWS_USER=auditor run 0 "$SWS" --db x.db report station --station 330302006 --year 2022 \
    --as-of 2022-12-31 --format md --reveal --reason "家访核对 330302195001011237"
has "$W/out" "王小明" "解放街12号" "330302********1237"
lacks "$W/out" "330302195001011237" "13912345678"
run 0 "$SWS" --db x.db report volunteers --county 330302 --year 2022 --format csv --reveal --reason "表彰名单" --actor 张科长
has "$W/out" "$(sed -n 1p names.txt)"
run 0 "$SWS" --db x.db audit log
has "$W/out" "2 accesses" "auditor" "张科长" "家访核对 330302********1237" "report station --format md --station 330302006" "表彰名单"
lacks "$W/out" "330302195001011237"
run 0 "$SWS" --db x.db audit log --format json
has "$W/out" '"who":	"auditor"'
sqlite3 x.db "UPDATE access_log SET reason = 'x'" 2>err.txt && fail "access log updated"
grep -q "append-only" err.txt || fail "update refusal: $(cat err.txt)"
sqlite3 x.db "DELETE FROM access_log" 2>err.txt && fail "access log rows younger than six months deleted"
grep -q "kept at least six months" err.txt || fail "delete refusal: $(cat err.txt)"
q x.db "INSERT INTO access_log(time, who, what, reason) VALUES('2020-01-01T00:00:00Z', 'old', 'x', 'y');
  DELETE FROM access_log WHERE who = 'old'"
eq "$(q x.db "SELECT count(*) FROM access_log")" "2" "a row older than six months may go"

# ---- CSV: byte-order mark, formula cells ------------------------------------
q x.db "UPDATE volunteer SET team = '=HYPERLINK(\"http://x\")' WHERE code = (SELECT min(volunteer_code) FROM volunteer_service)"
run 0 "$SWS" --db x.db report volunteers --county 330302 --year 2022 --format csv --out v.csv
eq "$(head -c 3 v.csv | od -An -tx1 | tr -d ' ')" "efbbbf" "UTF-8 byte-order mark"
grep -q "\"'=HYPERLINK(\"\"http://x\"\")\"" v.csv || fail "formula cell not neutralised"
run 0 "$SWS" --db x.db report volunteers --county 330302 --year 2022 --format csv --no-bom --out nb.csv
[ "$(head -c 3 nb.csv | od -An -tx1 | tr -d ' ')" != "efbbbf" ] || fail "--no-bom wrote a BOM"
eq "$(tail -c +4 v.csv | md5sum)" "$(md5sum < nb.csv)" "the same CSV apart from the BOM"
vh=$(q x.db "SELECT total(hours) FROM volunteer_service WHERE date BETWEEN '2022-01-01' AND '2022-12-31'")
run 0 "$SWS" --db x.db report volunteers --county 330302 --year 2022 --format json --out v.json
eq "$(printf '%.1f' "$(fig v.json stations hours)")" "$(q x.db "SELECT printf('%.1f', $vh)")" "volunteer hours"
eq "$(sumcol v.json teams hours)" "$(sumcol v.json stations hours)" "hours by team = hours by station"
run 0 "$SWS" --db x.db report volunteers --county 330302 --from 2022-03-01 --to 2022-03-31 --format json --out m.json
eq "$(fig m.json stations services)" "$(q x.db "SELECT count(*) FROM volunteer_service WHERE date BETWEEN '2022-03-01' AND '2022-03-31'")" "services in March"

# ---- deactivation and retention -------------------------------------------
sqlite3 x.db "DELETE FROM client WHERE code = 'T4'" 2>err.txt && fail "a client was deleted"
grep -q "deactivated, never deleted" err.txt || fail "delete refusal: $(cat err.txt)"
run 0 "$SWS" --db x.db privacy deactivate T4 --as-of 2022-12-01
run 1 "$SWS" --db x.db privacy deactivate NOPE
run 0 "$SWS" --db x.db report annual --county 330302 --year 2022 --as-of 2022-12-31 --format json --out a2.json
eq "$(fig a2.json clients clients)" "$(( $(fig annual.json clients clients) - 1 ))" "deactivated object not counted"
due=$(q x.db "SELECT count(*) FROM client WHERE closed_on <= '2019-12-31'")
[ "$due" -gt 0 ] || fail "no closed case old enough in the fixture"
run 0 "$SWS" --db x.db privacy retention --as-of 2022-12-31 --dry-run
has "$W/out" "would clear $due closed cases"
eq "$(q x.db "SELECT count(*) FROM retention_log")" "0" "dry run changed nothing"
run 0 "$SWS" --db x.db privacy retention --as-of 2022-12-31
has "$W/out" "cleared $due closed cases"
eq "$(q x.db "SELECT count(*) FROM retention_log WHERE policy LIKE '%retention 3 years%'")" "$due" "retention log rows"
eq "$(q x.db "SELECT count(*) FROM client WHERE cleared_on IS NOT NULL AND (name IS NOT NULL OR address IS NOT NULL OR id_masked IS NOT NULL OR phone_masked IS NOT NULL OR birth_date IS NOT NULL)")" "0" "personal fields cleared"
eq "$(q x.db "SELECT count(*) FROM client WHERE closed_on > '2019-12-31' AND cleared_on IS NOT NULL")" "0" "younger closed cases kept"
run 0 "$SWS" --db x.db privacy retention --as-of 2022-12-31
has "$W/out" "cleared 0 closed cases"

# ---- progress: a bar on stderr only when asked for (or a terminal) ---------
run 0 "$SWS" --db x.db report coverage --format html --out c.html
[ ! -s "$W/err" ] || grep -qv '^wrote' "$W/err" && fail "output on stderr when it is not a terminal: $(cat "$W/err")"
SWS_PROGRESS=1 run 0 "$SWS" --db x.db report annual --county 330302 --year 2022 --format html --out a.html
grep -q "report annual .*100%" "$W/err" || fail "no progress bar: $(cat -v "$W/err")"
echo "report: ok"
