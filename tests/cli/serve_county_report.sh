#!/usr/bin/env bash
# The county report on the demo database: the daemon opens each county's
# deadline, reminds on 15 November, and on 30 November writes every
# county's annual report (`sws report annual`, in the policy's
# annual_report.format) and records the delivery — exactly once, also
# across restarts on that day and after a day the daemon was down. The
# workflow deadlines that passed unmet are reported once each
# (deadline.overdue).
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/plugins/watch"
cp -r "$SWS_HOME/policies" "$SWS_HOME/data" "$H/"
cp -r "$SWS_HOME/plugins/." "$H/plugins/"
cat > "$H/plugins/watch/manifest.lua" <<'LUA'
return { name = "watch", version = "1.0", api = 1, counties = "*", description = "records overdue deadlines",
         tables = { "overdue" } }
LUA
cat > "$H/plugins/watch/init.lua" <<'LUA'
local sws = require "sws"
sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_watch_overdue(id, station, what, due)")
sws.on("deadline.overdue", function(ev)
  sws.db.exec("INSERT INTO plugin_watch_overdue VALUES(?, ?, ?, ?)", ev.id, ev.station, ev.what, ev.due)
end)
LUA
export SWS_HOME="$H"
D="$W/demo.db"
run 0 "$SWS" --db "$D" demo --out "$W/dd"
cp "$D" "$W/late.db"
R="$W/reports"
# every administering unit reports: the counties and the industrial zones
U=$(q "$D" "SELECT count(DISTINCT unit_code) FROM township")
[ "$U" -eq 14 ] || fail "expected 12 counties and 2 zones, got $U units"

run 0 "$SWS" --db "$D" serve --reports "$R" --clock "2026-11-01 12:00" --until "2026-11-15 12:00"
eq "$(q "$D" "SELECT count(*) FROM county_report WHERE year = 2026 AND due_date = '2026-11-30'
              AND delivered_at IS NULL")" "$U" "open deadlines after the first start"
eq "$(q "$D" "SELECT count(*) FROM job_run WHERE job LIKE 'county_report_reminder@%' AND outcome = 'ok'
              AND scheduled_at = '2026-11-15 09:00+08:00'")" "$U" "reminders on 15 November"
has "$W/err" "330302 鹿城区: the 2026 annual report is due on 2026-11-30 (汇总报市民政局)"
# every workflow deadline that passed unmet was reported once, to the plugins too
unmet=$(q "$D" "SELECT count(*) FROM deadline WHERE met IS NULL AND due < '2026-11-01'")
[ "$unmet" -gt 0 ] || fail "the demo has no unmet deadline to report"
eq "$(q "$D" "SELECT count(*) FROM job_run WHERE job LIKE 'deadline_overdue@%' AND outcome = 'ok'")" "$unmet" "overdue runs"
eq "$(q "$D" "SELECT count(*) FROM plugin_watch_overdue w JOIN deadline d ON d.id = w.id
              AND d.station_code = w.station AND d.due = w.due")" "$unmet" "deadline.overdue events"
has "$W/err" "[deadline_overdue] station "

# the clock passes 30 November 09:00
run 0 "$SWS" --db "$D" serve --reports "$R" --clock "2026-11-29 23:00" --until "2026-11-30 09:30"
reports() { q "$1" "SELECT count(*) FROM job_run WHERE job LIKE 'county_report@%' AND outcome = 'ok'"; }
eq "$(reports "$D")" "$U" "report runs"
eq "$(q "$D" "SELECT count(*) FROM county_report WHERE year = 2026 AND delivered_as_of = '2026-11-30'
              AND delivered_at IS NOT NULL AND path LIKE '%/330%-2026-annual-report.html'")" "$U" "deliveries"
# what is delivered is the county's annual report (`sws report annual`), as HTML, as of the run's day
has "$R/330302-2026-annual-report.html" "<title>鹿城区2026年度乡镇（街道）社会工作站评估汇总报告" \
    "数据截至 2026-11-30" "总体情况" "中期与终期评估结果" "人员配备与培训" "经费预算与支出" \
    '<table id="table-evaluation">' '<svg id="chart-score-distribution"' "330302006"
has "$R/330383-2026-annual-report.html" "龙港市2026年度"
# a zone's report holds its own stations (浙南产业集聚区 administers 330303012-015)
has "$R/330391-2026-annual-report.html" "浙南产业集聚区2026年度" "330303012"
lacks "$R/330303-2026-annual-report.html" "330303012"
eq "$(ls "$R" | wc -l)" "$U" "report files"
eq "$(ls "$R" | grep -vc '^[0-9]\{6\}-2026-annual-report\.html$' || true)" 0 "report file names"
first=$(q "$D" "SELECT group_concat(delivered_at) FROM county_report WHERE year = 2026")

# restarts on that day, before and after 09:00's runs, run nothing again
run 0 "$SWS" --db "$D" serve --reports "$R" --clock "2026-11-30 09:00" --until "2026-11-30 09:05"
run 0 "$SWS" --db "$D" serve --reports "$R" --clock "2026-11-30 10:00" --until "2026-11-30 23:59"
eq "$(reports "$D")" "$U" "report runs after restarts"
eq "$(q "$D" "SELECT group_concat(delivered_at) FROM county_report WHERE year = 2026")" "$first" "deliveries after restarts"
eq "$(q "$D" "SELECT count(*) FROM plugin_watch_overdue")" "$unmet" "deadline.overdue events after restarts"
# the next year's deadline is open
eq "$(q "$D" "SELECT count(*) FROM county_report WHERE year = 2027 AND due_date = '2027-11-30'")" "$U" "2027 deadlines"

# a daemon down over 09:00 makes the reports when it comes back (catch-up), once
run 0 "$SWS" --db "$W/late.db" serve --reports "$W/r2" --clock "2026-11-30 07:00" --until "2026-11-30 08:30"
eq "$(reports "$W/late.db")" 0 "report runs before 09:00"
run 0 "$SWS" --db "$W/late.db" serve --reports "$W/r2" --clock "2026-11-30 15:00" --until "2026-11-30 15:10"
eq "$(reports "$W/late.db")" "$U" "report runs after a day down"
eq "$(q "$W/late.db" "SELECT count(*) FROM job_run WHERE job LIKE 'county_report@%' AND trigger = 'catch-up'
              AND scheduled_at = '2026-11-30 09:00+08:00'")" "$U" "recorded as catch-up of the 09:00 run"
run 0 "$SWS" --db "$W/late.db" serve --reports "$W/r2" --clock "2026-11-30 15:10" --until "2026-11-30 16:00"
eq "$(reports "$W/late.db")" "$U" "report runs after another restart"

# by hand: `sws job run` records a manual run; the county is required
run 1 "$SWS" --db "$D" job run county_report
has "$W/err" "county_report runs for one county"
run 0 "$SWS" --db "$D" job run county_report@330303 --as-of 2026-12-01 --reports "$W/r3"
has "$W/r3/330303-2026-annual-report.html" "龙湾区2026年度" "数据截至 2026-12-01"
eq "$(q "$D" "SELECT trigger || ' ' || as_of FROM job_run WHERE job = 'county_report@330303' ORDER BY id DESC LIMIT 1")" \
   "manual 2026-12-01" "the manual run"
echo "serve_county_report: ok"
