#!/usr/bin/env bash
# The daemon on a real (shifted) clock: one per database, the control
# socket, plugin timers and their `cancelled` call, a job over its
# wall-clock budget, a reload with a broken policy (the old one keeps
# serving, the error in the log and in `ctl status`), a reload during a
# running job, and SIGTERM during a job.
set -eu
. "$(dirname "$0")/testlib.bash"

PID=
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null; rm -rf "$W"' EXIT

H="$W/home"
mkdir -p "$H/plugins/ticker"
cp -r "$SWS_HOME/policies" "$H/"
cat > "$H/plugins/ticker/manifest.lua" <<'LUA'
return { name = "ticker", version = "1.0", api = 1, counties = "*", description = "timers, slow jobs" }
LUA
cat > "$H/plugins/ticker/init.lua" <<'LUA'
local sws = require "sws"
local ticks = 0
sws.timer.every(0.05, function(cancelled)
  if cancelled then sws.log.info("ticker cancelled after %d ticks", ticks) return end
  ticks = ticks + 1
end)
local once = sws.timer.after(3600, function(cancelled)
  sws.log.info("the hour timer ran, cancelled = %s", tostring(cancelled))
end)
local stopped = sws.timer.after(0.01, function() sws.log.info("a stopped timer ran") end)
assert(stopped:stop() == true and stopped:stop() == false)
sws.job("slow", function(ctx)
  sws.log.info("slow job started (%s)", ctx.trigger)
  local x = 0
  for i = 1, 6e7 do x = x + i end
  sws.log.info("slow job done (%s)", ctx.trigger)
end)
sws.job("spin", function() while true do end end)
sws.job("tick", function() end)
LUA
set_schedule "$H/policies/default.lua" <<'LUA'
    { at = "2030-01-01 00:00", job = "slow" },
    { at = "2030-01-01 00:00", job = "spin", timeout = 1 },
    { cron = "0 9 * * *", job = "tick" },
LUA
export SWS_HOME="$H"
D="$W/d.db"
run 0 "$SWS" --db "$D" init
run 0 "$SWS" --db "$D" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"

start() { # start [SERVE OPTIONS…]: the daemon in the background, answering
    "$SWS" --db "$D" --hook-budget 4000000000 serve --clock "2026-11-30 08:00" "$@" >>"$W/log" 2>&1 &
    PID=$!
    for _ in $(seq 150); do
        "$SWS" --db "$D" ctl status >/dev/null 2>&1 && return 0
        kill -0 "$PID" 2>/dev/null || { cat "$W/log"; fail "the daemon died"; }
        sleep 0.2
    done
    cat "$W/log"
    fail "the daemon does not answer"
}
status() { run 0 "$SWS" --db "$D" ctl status; }
# running_slow N: waits until the log shows the Nth start of the slow job
running_slow() {
    for _ in $(seq 150); do
        [ "$(grep -c "slow job started" "$W/log")" -ge "$1" ] && return 0
        sleep 0.1
    done
    cat "$W/log"
    fail "the slow job did not start"
}
# wait_for TEXT: until `ctl status` shows TEXT (a fixed string)
wait_for() {
    for _ in $(seq 100); do
        "$SWS" --db "$D" ctl status >"$W/status" 2>&1 && grep -qF -- "$1" "$W/status" && return 0
        sleep 0.2
    done
    cat "$W/status" "$W/log"
    fail "ctl status never showed: $1"
}

start
eq "$(stat -c %a "$D.sock")" 600 "the control socket's mode"
status
has "$W/out" '"ok":	true' '"timezone":	"Asia/Shanghai"' '"clock":	"shifted"' '"scheduled_jobs":	3' \
    '"now":	"2026-11-30 08:0'
# one daemon per database
run 1 "$SWS" --db "$D" serve
has "$W/err" "another sws serve (pid $PID, socket $D.sock) is already running on $D"
run 0 "$SWS" --db "$D" ctl jobs
has "$W/out" '"job":	"tick"' '"next":	"2026-11-30 09:00+08:00"' '"when":	"at 2030-01-01 00:00"'
run 2 "$SWS" --db "$D" ctl frobnicate
run 1 "$SWS" --db "$D" ctl --socket "$W/none.sock" status
has "$W/err" "no daemon answers on $W/none.sock"

# timers run (a stopped one never does)
wait_for '"timers_fired":	1'
lacks "$W/log" "a stopped timer ran"

# a job over its wall-clock budget fails, is recorded, and the loop goes on
run 1 "$SWS" --db "$D" ctl run spin
has "$W/err" "wall-clock budget of 1 s exceeded"
eq "$(q "$D" "SELECT outcome || ' ' || trigger FROM job_run WHERE job = 'spin'")" "failed manual" "the spin run"
has "$(q "$D" "SELECT error FROM job_run WHERE job = 'spin'" > "$W/e"; echo "$W/e")" "wall-clock budget"
run 0 "$SWS" --db "$D" ctl run tick

# a broken policy: the reload fails, the old policies keep serving
cp "$H/policies/330302.lua" "$W/330302.lua"
printf 'this is not Lua\n' >> "$H/policies/330302.lua"
run 1 "$SWS" --db "$D" ctl reload
has "$W/err" "policies/330302.lua:32: <eof> expected near 'this'"
status
has "$W/out" '"last_reload_error":	"policy 330302: ' 'policies/330302.lua:'
has "$W/log" "reload failed, still serving the previous policies and plugins" "policies/330302.lua:"
sleep 1.1 # let the automatic reload (the file watcher's) come and go
run 0 "$SWS" --db "$D" ctl run tick
eq "$(q "$D" "SELECT count(*) FROM job_run WHERE job = 'tick' AND outcome = 'ok'")" 2 "runs while broken"
# the serving state's timers were never ended (those of the states built
# aside and refused were: they end with cancelled = true after 0 ticks)
if grep -qE "ticker cancelled after [1-9]" "$W/log"; then cat "$W/log"; fail "a serving timer was cancelled"; fi
# fixed, and SIGHUP: the reload works; the old state's timers end with cancelled = true
cp "$W/330302.lua" "$H/policies/330302.lua"
kill -HUP "$PID"
wait_for '"last_reload_error":	null'
has "$W/log" "reloading policies and plugins (SIGHUP)" "reloaded: 3 scheduled jobs" \
    "the hour timer ran, cancelled = true"
grep -qE "ticker cancelled after [1-9][0-9]* ticks" "$W/log" || fail "no cancelled tick count in the log"

# a reload during a running job: the job finishes on the old state first
"$SWS" --db "$D" ctl run slow >"$W/slow1" 2>&1 &
RUN=$!
running_slow 1
kill -HUP "$PID"
wait "$RUN" || { cat "$W/slow1"; fail "the slow run failed"; }
for _ in $(seq 100); do
    [ "$(grep -c "reloading policies and plugins (SIGHUP)" "$W/log")" = 2 ] && break
    sleep 0.2
done
done_line=$(grep -n "slow at .*: ok (manual)" "$W/log" | head -1 | cut -d: -f1)
reload_line=$(grep -n "reloading policies and plugins (SIGHUP)" "$W/log" | tail -1 | cut -d: -f1)
[ -n "$done_line" ] && [ "$done_line" -lt "$reload_line" ] || { cat "$W/log"; fail "the reload did not wait for the job"; }

# SIGTERM during a job: the job ends, recorded; the daemon stops cleanly
# (a manual run is keyed by the second: on a fast machine the first slow run
# ends within the second it started, and a second run then is refused with
# "retry in a second", as documented)
sleep 1
"$SWS" --db "$D" ctl run slow >"$W/slow2" 2>&1 &
RUN=$!
running_slow 2
kill -TERM "$PID"
wait "$RUN" || { cat "$W/slow2"; fail "the run during SIGTERM failed"; }
rc=0
wait "$PID" || rc=$?
PID=
eq "$rc" 0 "the daemon's exit status after SIGTERM"
eq "$(q "$D" "SELECT group_concat(outcome) FROM job_run WHERE job = 'slow'")" "ok,ok" "the slow runs"
has "$W/log" "signal 15: stopping" "stopped: "
[ ! -e "$D.sock" ] || fail "the socket is left behind"
eq "$(q "$D" "PRAGMA integrity_check")" ok "the database after SIGTERM"

# the lock is free again; JSON log lines
start --log-format json
kill -TERM "$PID"
wait "$PID"
PID=
tail -1 "$W/log" | /usr/bin/python3 -c 'import json, sys; l = json.loads(sys.stdin.read()); assert l["level"] == "INFO" and l["msg"].startswith("stopped"), l'
echo "serve_daemon: ok"
