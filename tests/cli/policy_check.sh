#!/usr/bin/env bash
# `sws policy check`: the shipped policies are valid; a county policy with a
# typo in a key, a weight outside the city's bounds and an unreachable stage
# is refused with each problem named by file and line; `show --explain`
# traces every value to the layer that set it.
set -eu
. "$(dirname "$0")/testlib.bash"

run 0 "$SWS" --db x.db policy check
[ "$(grep -c ' ok ' "$W/out")" = 15 ] || fail "expected 15 valid policies (the city, 12 counties, 2 zones)"

# tables a county file builds before its policy table do not move the lines
run 1 "$SWS" --db x.db policy check "$SWS_TEST_DATA/policies/tables_first.lua"
grep -qF "tables_first.lua:9: unknown key 'standards.min_trainig_hours'" "$W/err" ||
    { cat "$W/err"; fail "a mistake after a file's own tables is not named by its line"; }

bad="$SWS_TEST_DATA/policies/bad_county.lua"
run 1 "$SWS" --db x.db policy check "$bad"
expect_err() { grep -qF -- "$1" "$W/err" || { cat "$W/err"; fail "missing: $1"; }; }
expect_err "bad_county.lua:6: unknown key 'standards.min_trainig_hours' (did you mean 'min_training_hours'?)"
expect_err "bad_county.lua:9: 'indicators.weights.services' = 40 is outside the city's bounds: within 5 of the city's 30"
expect_err "bad_county.lua:13: stage 'orphan' is unreachable from 'proposed'"

run 1 "$SWS" --db x.db policy check "$SWS_TEST_DATA/policies/more_mistakes.lua"
expect_err "more_mistakes.lua:7: 'standards.min_training_hours' = 30 is outside the city's bounds: at least 40"
expect_err "more_mistakes.lua:8: 'standards.max_age' must be a number, not a string"
expect_err "more_mistakes.lua:12: stage 'operating' moves to unknown stage 'closing'"
expect_err "more_mistakes.lua:13: stage 'archived' is a dead end"
expect_err "more_mistakes.lua:15: missing guard function 'fire_drill'"
expect_err "more_mistakes.lua:17: schedule entry 1: invalid cron '0 25 * * *'"

# a policy that does not even run is reported with its line
printf 'return sws.policy.extend("default", {\n  name = "1", version = "1",\n  x = = 1 })\n' > broken.lua
run 1 "$SWS" --db x.db policy check broken.lua
expect_err "broken.lua:3:"

run 0 "$SWS" --db x.db policy show 330302 --explain
grep -q "standards.min_training_hours = 48    -- policies/330302.lua:14" "$W/out" || { cat "$W/out"; fail "county value not traced"; }
grep -q "standards.max_age = 45    -- policies/default.lua:" "$W/out" || fail "city value not traced"
run 0 "$SWS" --db x.db policy show 330381
grep -q "workflow.stages.public_notice.days = 7" "$W/out" || fail "added stage not shown"
# show: one key path, the county's own values, JSON
run 0 "$SWS" policy show 330302 standards.min_area_m2 --explain
has "$W/out" "standards.min_area_m2 = 120    -- policies/330302.lua:"
eq "$(grep -c ' = ' "$W/out")" 1 "lines for one key"
run 1 "$SWS" policy show 330302 standards.min_aera_m2
has "$W/err" "policy 330302 has no key 'standards.min_aera_m2' (did you mean 'standards.min_area_m2'?)"
run 0 "$SWS" policy show 330302 --only-overrides --explain
lacks "$W/out" "policies/default.lua"
has "$W/out" "policies/330302.lua"
run 0 "$SWS" policy show 330302 standards --format json
has "$W/out" '"path":	"standards.min_area_m2"' '"file":	"policies/default.lua"' '"line":'
run 2 "$SWS" policy show 330302 --format xml
echo "policy check names every problem"
