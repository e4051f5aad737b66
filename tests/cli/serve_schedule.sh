#!/usr/bin/env bash
# The daemon's schedule on a simulated clock (--clock/--until): catch-up
# rules (skip, latest, all with a cap, the window), retries with backoff, a
# one-off time, no run twice across restarts, as-of dates, and the job
# commands (run, list, history, backfill).
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/plugins/testjobs"
cp -r "$SWS_HOME/policies" "$H/"
cat > "$H/plugins/testjobs/manifest.lua" <<'LUA'
return { name = "testjobs", version = "1.0", api = 1, counties = "*", description = "test jobs",
         tables = { "seen" } }
LUA
cat > "$H/plugins/testjobs/init.lua" <<'LUA'
local sws = require "sws"
sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_testjobs_seen(job, scheduled, as_of, today, county, trigger)")
local function record(ctx)
  sws.db.exec("INSERT INTO plugin_testjobs_seen VALUES(?, ?, ?, ?, ?, ?)", ctx.job, ctx.scheduled,
    ctx.as_of, sws.date.today(), ctx.county, ctx.trigger)
end
for _, name in ipairs({ "tick_skip", "tick_latest", "tick_all", "once", "per_county" }) do
  sws.job(name, record)
end
sws.job("flaky", function(ctx)
  record(ctx)
  local n = sws.db.query("SELECT count(*) AS n FROM plugin_testjobs_seen WHERE job = 'flaky'")[1].n
  if n < 3 then error("flaky fails on try " .. n) end
end)
LUA
# the city's schedule replaced by the test's
set_schedule "$H/policies/default.lua" <<'LUA'
    { cron = "0 * * * *", job = "tick_skip", catch_up = "skip" },
    { cron = "0 * * * *", job = "tick_latest" },
    { cron = "0 * * * *", job = "tick_all", catch_up = "all", cap = 3 },
    { cron = "30 * * * *", job = "flaky", retries = 2, backoff = 60 },
    { at = "2026-06-01 12:00", job = "once" },
    { cron = "0 0 1 * *", job = "per_county", each_county = true },
LUA
export SWS_HOME="$H"
D=s.db
run 0 "$SWS" --db $D init
run 0 "$SWS" --db $D import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
ncounties=$(q $D "SELECT count(*) FROM county")

# first start: jobs new to the database miss nothing
run 0 "$SWS" --db $D serve --clock "2026-06-01 10:00" --until "2026-06-01 10:20"
eq "$(q $D "SELECT count(*) FROM job_run")" 0 "runs on a first start"
has "$W/err" "simulated clock" "the clock reached --until"

# down from 10:20 to 15:10: five hourly slots (11:00 … 15:00) were missed
run 0 "$SWS" --db $D serve --clock "2026-06-01 15:10" --until "2026-06-01 15:25"
eq "$(q $D "SELECT group_concat(outcome || substr(scheduled_at, 12, 2), ' ') FROM
      (SELECT * FROM job_run WHERE job = 'tick_skip' ORDER BY scheduled_at)")" \
   "skipped11 skipped12 skipped13 skipped14 skipped15" "catch_up = skip"
eq "$(q $D "SELECT group_concat(outcome || substr(scheduled_at, 12, 2), ' ') FROM
      (SELECT * FROM job_run WHERE job = 'tick_latest' ORDER BY scheduled_at)")" \
   "skipped11 skipped12 skipped13 skipped14 ok15" "catch_up = latest (the default)"
eq "$(q $D "SELECT group_concat(outcome || substr(scheduled_at, 12, 2), ' ') FROM
      (SELECT * FROM job_run WHERE job = 'tick_all' ORDER BY scheduled_at)")" \
   "skipped11 skipped12 ok13 ok14 ok15" "catch_up = all with cap 3"
eq "$(q $D "SELECT trigger FROM job_run WHERE job = 'tick_latest' AND outcome = 'ok'")" catch-up \
   "a catch-up run is recorded as such"
has "$W/err" "tick_skip at 2026-06-01 11:00+08:00: skipped (missed while no daemon ran; catch_up = skip)"
# the one-off at 12:00 was missed too, and made (latest)
eq "$(q $D "SELECT outcome || ' ' || scheduled_at FROM job_run WHERE job = 'once'")" \
   "ok 2026-06-01 12:00+08:00" "the one-off run"
# flaky: the 14:30 slot runs at 15:10, fails, is retried after 60 s and 120 s, then succeeds
eq "$(q $D "SELECT outcome || ' ' || attempts FROM job_run WHERE job = 'flaky' AND scheduled_at LIKE '%14:30%'")" \
   "ok 3" "a failed run retried with backoff"
has "$W/err" "flaky at 2026-06-01 14:30+08:00: failed (attempt 1 of 3; next in 60 s): " "flaky fails on try 1" \
    "flaky at 2026-06-01 14:30+08:00: failed (attempt 2 of 3; next in 120 s)" \
    "flaky at 2026-06-01 14:30+08:00: ok (catch-up, attempt 3)"
# each job saw its scheduled time and as-of date, also as sws.date.today()
eq "$(q $D "SELECT scheduled || ' ' || as_of || ' ' || today || ' ' || trigger FROM plugin_testjobs_seen WHERE job = 'tick_latest'")" \
   "2026-06-01 15:00+08:00 2026-06-01 2026-06-01 catch-up" "the context of a run"

# a restart over the same hours runs nothing twice
before=$(q $D "SELECT count(*) || '/' || sum(attempts) FROM job_run")
run 0 "$SWS" --db $D serve --clock "2026-06-01 15:20" --until "2026-06-01 15:25"
eq "$(q $D "SELECT count(*) || '/' || sum(attempts) FROM job_run")" "$before" "rows after a restart"
eq "$(q $D "SELECT count(*) FROM (SELECT job, scheduled_at FROM job_run GROUP BY 1, 2 HAVING count(*) > 1)")" 0 "duplicates"

# a simulated month: per-county jobs run once per county, and the hourly
# jobs once an hour (the window is 7 days, so a month down loses the rest)
run 0 "$SWS" --db $D serve --clock "2026-06-01 15:25" --until "2026-07-01 02:00"
eq "$(q $D "SELECT count(DISTINCT job) FROM job_run WHERE job LIKE 'per_county@%' AND outcome = 'ok'")" "$ncounties" "one run per county"
eq "$(q $D "SELECT count(*) FROM plugin_testjobs_seen WHERE job = 'per_county' AND county = substr(trigger, 1, 0) || county")" "$ncounties" "the county in ctx"
eq "$(q $D "SELECT count(*) FROM job_run WHERE job = 'tick_skip' AND outcome = 'ok'")" $((8 + 29 * 24 + 3)) "hourly runs from 1 June 16:00 to 1 July 02:00"
run 0 "$SWS" --db $D serve --clock "2026-07-20 10:00" --until "2026-07-20 10:05"
has "$W/err" "tick_latest: 295 runs from 2026-07-01 03:00+08:00 to 2026-07-13 09:00+08:00 were missed while no daemon ran and lie outside the catch-up window of 7 days: not made" \
    "0 failed, 670 skipped, 1181 missed"

# the job commands
run 0 "$SWS" --db $D job list
has "$W/out" "tick_all" "per_county@330302" "0 0 1 * *" "at 2026-06-01 12:00" "timezone Asia/Shanghai"
run 0 "$SWS" --db $D job history flaky --limit 3
has "$W/out" "flaky" "catch-up"
run 0 "$SWS" --db $D job history per_county --limit 100
eq "$(grep -c "per_county@" "$W/out")" "$ncounties" "history of every county's runs"
run 0 "$SWS" --db $D job run once --as-of 2025-12-31
has "$W/out" "job once done"
eq "$(q $D "SELECT trigger || ' ' || as_of FROM job_run WHERE job = 'once' ORDER BY id DESC LIMIT 1")" "manual 2025-12-31" "a manual run"
eq "$(q $D "SELECT today FROM plugin_testjobs_seen WHERE trigger = 'manual'")" 2025-12-31 "--as-of in the job"
run 1 "$SWS" --db $D job run nosuch
has "$W/err" "no job 'nosuch'"
run 2 "$SWS" --db $D job run once --as-of 2025-02-30

# backfill: a dry run lists, a real one makes the missed and skipped runs, once
run 0 "$SWS" --db $D job backfill tick_skip --from "2026-07-10 22:00" --to "2026-07-11 01:00" --dry-run
has "$W/out" "tick_skip 2026-07-10 22:00+08:00 not run" "tick_skip 2026-07-11 01:00+08:00 not run" \
    "4 runs in the range; 0 run (dry run), 0 failed"
run 0 "$SWS" --db $D job backfill tick_skip --from "2026-07-19 23:00" --to "2026-07-20 00:00" --dry-run
has "$W/out" "tick_skip 2026-07-19 23:00+08:00 skipped" "2 runs in the range"
run 0 "$SWS" --db $D job backfill tick_skip --from "2026-07-10 22:00" --to "2026-07-11 01:00"
has "$W/out" "tick_skip 2026-07-10 23:00+08:00 ok (backfill)" "4 runs in the range; 4 run, 0 failed"
run 0 "$SWS" --db $D job backfill tick_skip --from "2026-07-19 23:00" --to "2026-07-20 00:00"
has "$W/out" "tick_skip 2026-07-19 23:00+08:00 ok (backfill)" "2 runs in the range; 2 run, 0 failed"
eq "$(q $D "SELECT trigger || ' ' || attempts FROM job_run WHERE job = 'tick_skip' AND scheduled_at = '2026-07-19 23:00+08:00'")" \
   "backfill 1" "a skipped run made by backfill"
run 0 "$SWS" --db $D job backfill tick_skip --from "2026-07-10 22:00" --to "2026-07-11 01:00"
has "$W/out" "tick_skip 2026-07-10 23:00+08:00 ok" "4 runs in the range; 0 run, 0 failed"
run 1 "$SWS" --db $D job backfill nosuch --from "2026-07-19 22:00" --to "2026-07-20 01:00"
has "$W/err" "'nosuch' is not a scheduled job"
# the policy's time zone: run keys carry its offset; a zone the system lacks is refused
sed -i 's|timezone = "Asia/Shanghai"|timezone = "UTC"|' "$H/policies/default.lua"
run 0 "$SWS" --db $D job list
# next run: the first of next month, by today's real clock
first=$(date -u -d "$(date -u +%Y-%m-01) +1 month" +%Y-%m-01)
has "$W/out" "timezone UTC" "per_county@330302                    0 0 1 * *              $first 00:00+00:00"
grep -q "00:00+00:00" "$W/out" || fail "job list does not show UTC times"
sed -i 's|timezone = "UTC"|timezone = "Mars/Olympus_Mons"|' "$H/policies/default.lua"
run 1 "$SWS" --db $D serve --clock "2026-07-20 10:00" --until "2026-07-20 10:05"
has "$W/err" "the policy's timezone 'Mars/Olympus_Mons' is not known to this system"
run 1 "$SWS" --db $D serve
has "$W/err" "cannot start: timezone 'Mars/Olympus_Mons' is not a zone this system knows"
sed -i 's|timezone = "Mars/Olympus_Mons"|timezone = "Asia/Shanghai"|' "$H/policies/default.lua"
run 2 "$SWS" --db $D serve --until "2026-13-01 00:00"
run 2 "$SWS" --db $D serve --log-format xml
echo "serve_schedule: ok"
