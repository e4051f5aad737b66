#!/usr/bin/env bash
# A plugin's manifest `counties` is enforced wherever it acts, in city-wide
# runs too: a plugin for 330302 (鹿城区) only is not called for events of
# 330303's stations, rows or evaluation results, nor of a township inside
# 330303 that the zone 330391 administers; its rule sees only 330302's
# stations and cannot record a finding elsewhere; its job refuses another
# county (and the daemon's schedule leaves it out there); its command refuses
# `--county` outside the list; a bad `counties` fails the plugin. A plugin
# for every county ("*") sees all of them, so the events did happen.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/plugins/lucheng" "$H/plugins/everywhere" "$H/plugins/badlist"
cp -r "$SWS_HOME/policies" "$H/policies"
cat > "$H/plugins/lucheng/manifest.lua" <<'LUA'
return { name = "lucheng", version = "1.0", api = 1, counties = {"330302"},
         description = "acts for 鹿城区 only" }
LUA
cat > "$H/plugins/lucheng/init.lua" <<'LUA'
local sws = require "sws"
local function place(ev)
  if ev.station then return ev.station end
  if ev.row then return ev.row.station or ev.row.code or ev.row.worker or "?" end
  return ev.county or "-"
end
for _, name in ipairs({"county.saved", "township.saved", "station.saved", "worker.saved",
                       "import.before_row", "workflow.before_transition",
                       "workflow.transitioned"}) do
  sws.on(name, function(ev) sws.log.info("lucheng saw %s %s", name, place(ev)) end)
end
sws.on("import.completed", function(ev) sws.log.info("lucheng saw import.completed %s", ev.kind) end)
sws.on("evaluation.scored", function(ev)
  local codes = {}
  for _, r in ipairs(ev.results) do codes[#codes + 1] = r.station end
  sws.log.info("lucheng saw evaluation.scored %d: %s", ev.stations, table.concat(codes, " "))
end)
sws.rule("lucheng_note", function(ctx)
    for _, s in ipairs(ctx.stations) do ctx.find(s.code, { message = "lucheng saw " .. s.code }) end
    ctx.find("330303001", { message = "lucheng wrote 330303001" })
    ctx.find(nil, { county = "330303", message = "lucheng wrote county 330303" })
    if ctx.findings then ctx.findings[#ctx.findings + 1] = { rule = "lucheng_note",
      severity = "advice", station = "330303001", message = "lucheng injected" } end
  end, { severity = "advice", doc = "notes every station it sees" })
sws.job("lucheng_job", function(ctx) sws.log.info("lucheng job ran for %s", ctx.county or "the city") end)
sws.command("lucheng-cmd", "prints its county", function(args)
  print("lucheng-cmd ran with " .. table.concat(args, " ")) return 0 end)
LUA
cat > "$H/plugins/everywhere/manifest.lua" <<'LUA'
return { name = "everywhere", version = "1.0", api = 1, counties = "*", description = "control" }
LUA
cat > "$H/plugins/everywhere/init.lua" <<'LUA'
local sws = require "sws"
sws.on("station.saved", function(ev) sws.log.info("everywhere saw station.saved %s", ev.row.code) end)
sws.on("evaluation.scored", function(ev) sws.log.info("everywhere saw evaluation.scored %d", ev.stations) end)
LUA
cat > "$H/plugins/badlist/manifest.lua" <<'LUA'
return { name = "badlist", version = "1.0", api = 1, counties = {"330302", "鹿城"}, description = "bad" }
LUA
echo 'error("must not load")' > "$H/plugins/badlist/init.lua"
export SWS_HOME="$H"

run 0 "$SWS" --db x.db init
run 0 "$SWS" --db x.db plugin list
grep -qE "badlist .*counties entry 2 must be a 6-digit county code such as \"330302\", not '鹿城'" "$W/out" \
    || { cat "$W/out"; fail "a bad counties list was not refused"; }

{ cat "$SWS_TEST_DATA/wenzhou_counties.csv"; echo '330391,温州经济技术开发区,3303,33'; } > counties.csv
run 0 "$SWS" --db x.db import counties counties.csv
has "$W/err" "lucheng saw county.saved 330302"
lacks "$W/err" "lucheng saw county.saved 330303" "lucheng saw county.saved 330391"
cat > townships.csv <<'CSV'
code,name,county_code,admin_code,population,service_objects
330302001,五马街道,330302,,30000,100
330303001,永中街道,330303,,30000,100
330303002,海城街道,330303,330391,30000,100
CSV
run 0 "$SWS" --db x.db import townships townships.csv
has "$W/err" "lucheng saw township.saved 330302001" "lucheng saw import.completed townships"
lacks "$W/err" "lucheng saw township.saved 3303030"
cat > stations.csv <<'CSV'
code,name,address,area_m2,is_hub,sign_width_cm,sign_height_cm
330302001,五马街道社会工作站,五马路1号,120,1,64,45
330303001,永中街道社会工作站,永中路1号,120,1,64,45
330303002,海城街道社会工作站,海城路1号,120,1,64,45
CSV
run 0 "$SWS" --db x.db import stations stations.csv
has "$W/err" "lucheng saw import.before_row 330302001" "lucheng saw station.saved 330302001" \
    "everywhere saw station.saved 330303001" "everywhere saw station.saved 330303002"
lacks "$W/err" "lucheng saw import.before_row 3303030" "lucheng saw station.saved 3303030"
grep -c "lucheng saw" "$W/err" | grep -qx 3 || { cat "$W/err"; fail "lucheng saw more than its station"; }

# ---- a city-wide check: its rule sees and records only 330302 ---------------
run 3 "$SWS" --db x.db check --year 2022 --format csv
has "$W/out" "lucheng saw 330302001"
lacks "$W/out" "lucheng saw 3303030" "lucheng wrote" "lucheng injected"
grep -q "330303001" "$W/out" || fail "the check judged no 330303 station (the built-in rules should)"

# ---- workflow: its handlers are not called for another county's advance ----
printf 'station,title,drafted_on,reviewed_on,reviewed_by\n330302001,方案,2021-01-10,2021-02-01,专家组\n330303001,方案,2021-01-10,2021-02-01,专家组\n' > plans.csv
run 0 "$SWS" --db x.db import plans plans.csv
for st in 330303001 330302001; do
    run 0 "$SWS" --db x.db workflow start $st --actor 民政局 --role county --as-of 2021-03-01
    run 0 "$SWS" --db x.db workflow advance $st approved --actor 王科长 --role city --as-of 2021-03-02
    if [ $st = 330303001 ]; then lacks "$W/err" "lucheng saw workflow"; fi
done
has "$W/err" "lucheng saw workflow.before_transition 330302001" "lucheng saw workflow.transitioned 330302001"

# ---- a city-wide evaluation: it gets only 330302's results ------------------
run 3 "$SWS" --db x.db eval score --year 2022 --phase final
has "$W/err" "lucheng saw evaluation.scored 1: 330302001" "everywhere saw evaluation.scored 3"

# ---- jobs and commands -------------------------------------------------------
run 1 "$SWS" --db x.db job run lucheng_job --county 330303 --as-of 2022-06-01
has "$W/err" "job 'lucheng_job' of plugin 'lucheng' serves only 330302 (counties in its manifest.lua): not run for 330303"
lacks "$W/err" "lucheng job ran"
run 1 "$SWS" --db x.db job run lucheng_job@330391 --as-of 2022-06-01
has "$W/err" "not run for 330391"
run 0 "$SWS" --db x.db job run lucheng_job --county 330302 --as-of 2022-06-01
has "$W/err" "lucheng job ran for 330302"
run 1 "$SWS" --db x.db lucheng-cmd --county 330303
has "$W/err" "plugin 'lucheng' serves only 330302 (counties in its manifest.lua): --county 330303 is not one of them"
lacks "$W/out" "lucheng-cmd ran"
run 1 "$SWS" --db x.db lucheng-cmd --county=330303
run 0 "$SWS" --db x.db lucheng-cmd --county 330302
has "$W/out" "lucheng-cmd ran with --county 330302"
# the daemon's per-county schedule holds its job for 330302 only
set_schedule "$H/policies/default.lua" <<'LUA'
    { cron = "0 8 * * 1", job = "lucheng_job", each_county = true },
LUA
run 0 "$SWS" --db x.db job list
has "$W/out" "lucheng_job@330302"
lacks "$W/out" "lucheng_job@330303" "lucheng_job@330391"
echo "plugin_county_scope: ok"
