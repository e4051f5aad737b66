#!/usr/bin/env bash
# sws cron next: the 31st of months, 29 February, Vixie's day-of-month OR
# day-of-week rule, names, shortcuts, and clear errors; the policy check
# uses the same parser.
set -eu
. "$(dirname "$0")/testlib.bash"

next() { run 0 "$SWS" cron next "$1" --from "$2" --count "$3"; cut -c1-16 "$W/out" | paste -sd'|'; }

eq "$(next '0 0 31 * *' '2026-01-01 00:00' 4)" \
   "2026-01-31 00:00|2026-03-31 00:00|2026-05-31 00:00|2026-07-31 00:00" "the 31st skips short months"
eq "$(next '0 12 29 2 *' '2026-03-01 00:00' 3)" \
   "2028-02-29 12:00|2032-02-29 12:00|2036-02-29 12:00" "29 February only in leap years"
eq "$(next '0 0 29 2 *' '2096-03-01 00:00' 1)" "2104-02-29 00:00" "2100 is not a leap year"
# both day fields restricted: the 13th OR any Friday
eq "$(next '0 0 13 * fri' '2026-02-01 00:00' 4)" \
   "2026-02-06 00:00|2026-02-13 00:00|2026-02-20 00:00|2026-02-27 00:00" "Vixie OR rule (Feb 13 is a Friday)"
eq "$(next '0 0 13 * 1' '2026-04-01 00:00' 3)" \
   "2026-04-06 00:00|2026-04-13 00:00|2026-04-20 00:00" "Vixie OR rule (Mondays and the 13th)"
# a day field starting with * is unrestricted: odd days AND Mondays
eq "$(next '0 0 */2 * 1' '2026-01-01 00:00' 3)" \
   "2026-01-05 00:00|2026-01-19 00:00|2026-02-09 00:00" "a */2 day-of-month ANDs with the weekday"
eq "$(next '0 0 * * 7' '2026-01-01 00:00' 1)" "2026-01-04 00:00" "7 is Sunday"
eq "$(next '30 9 * jan-mar mon-fri' '2026-03-31 10:00' 1)" "2027-01-01 09:30" "names and ranges"
eq "$(next '@monthly' '2026-12-15 00:00' 2)" "2027-01-01 00:00|2027-02-01 00:00" "@monthly"
eq "$(next '*/20 23 31 12 *' '2026-12-31 23:40' 2)" "2027-12-31 23:00|2027-12-31 23:20" "across the year"
eq "$(next '0 9 30 11 *' '2026-11-30 09:00' 1)" "2027-11-30 09:00" "strictly after --from"
run 0 "$SWS" cron next '0 0 1 1 *' --from '2026-06-01 00:00'
eq "$(wc -l < "$W/out")" 5 "five times by default"
has "$W/out" "2027-01-01 00:00 Fri"

# errors name the field and the rule
run 1 "$SWS" cron next '0 24 * * *'
has "$W/err" "field 2 (hour) '24' is outside 0-23"
run 1 "$SWS" cron next '0 0 1 foo *'
has "$W/err" "field 4 (month) 'foo' is not a list of numbers or names"
run 1 "$SWS" cron next '*/0 * * * *'
has "$W/err" "field 1 (minute) '*/0': a step must be at least 1"
run 1 "$SWS" cron next '0 0 5-1 * *'
has "$W/err" "the range runs backwards (5 > 1)"
run 1 "$SWS" cron next '0 0 * *'
has "$W/err" "needs 5 fields (minute hour day month weekday), found 4"
run 1 "$SWS" cron next '@reboot'
has "$W/err" "unknown shortcut '@reboot'"
run 1 "$SWS" cron next '0 0 30 2 *'
has "$W/err" "matches no time in the next 28 years"
run 2 "$SWS" cron next '0 0 * * *' --from 2026-02-30
has "$W/err" "--from '2026-02-30' is not a time"
run 2 "$SWS" cron next '0 0 * * *' --count 0
run 2 "$SWS" cron next '0 0 * * *' --bogus
run 2 "$SWS" cron

# sws policy check reads schedules with the same parser
H="$W/home"
mkdir -p "$H/policies"
cp "$SWS_HOME"/policies/default.lua "$H/policies/"
cat > "$H/policies/330302.lua" <<'LUA'
return sws.policy.extend("default", {
  name = "330302", version = "t1",
  schedule = {
    { job = "weekly_compliance", cron = "0 8 * * mon-fri" },
    { job = "weekly_compliance", cron = "0 8 31 2 sun" },
    { job = "annual_summary", cron = "61 8 * * *" },
    { job = "annual_summary", at = "2026-13-01 09:00" },
    { job = "annual_summary", cron = "0 9 * * *", catch_up = "sometimes", retries = -1 },
  },
})
LUA
run 1 env SWS_HOME="$H" "$SWS" --db p.db policy check 330302
has "$W/err" "schedule entry 3: invalid cron '61 8 * * *': field 1 (minute) '61' is outside 0-59" \
    "schedule entry 4: at '2026-13-01 09:00' is not a time YYYY-MM-DD HH:MM" \
    "schedule entry 5: catch_up 'sometimes' is not skip, latest or all" \
    "schedule entry 5: retries = -1 must be a whole number (0 or more)"
lacks "$W/err" "schedule entry 1:" "schedule entry 2:"
echo "cron: ok"
