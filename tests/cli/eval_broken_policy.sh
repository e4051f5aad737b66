#!/usr/bin/env bash
# `sws eval score` over several counties when one county's policy is broken
# (a syntax error, or indicators that fail validation): every other county is
# scored, the broken one is reported once (its file and line, and the
# error), nothing of it is scored by another policy, and the exit status is 3.
# A run for the broken county alone fails (exit 1).
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H"
cp -r "$SWS_HOME/policies" "$SWS_HOME/plugins" "$H/"
export SWS_HOME="$H"
{ echo code,name,county_code,population
  echo 330302006,五马街道,330302,30000
  echo 330303001,永中街道,330303,30000
  echo 330304001,瞿溪街道,330304,30000; } > t.csv
load_generated x.db t.csv
run 3 "$SWS" --db x.db eval score --year 2022 --phase final --as-of 2022-12-31
has "$W/out" "330302006" "330303001" "330304001"  # all three scored while the policies are fine

# ---- a syntax error ----------------------------------------------------------
cp "$H/policies/330303.lua" 330303.good
printf 'return sws.policy.extend("default", {\n  name = "330303",\n  standards = { min_area_m2 = = 1 },\n})\n' \
    > "$H/policies/330303.lua"
for fmt in text json csv; do
    run 3 "$SWS" --db x.db eval score --year 2022 --phase final --as-of 2022-12-31 --format $fmt
    has "$W/err" "the policy of county 330303 failed to load, so its stations were not evaluated" \
        "policies/330303.lua:3:"
    eq "$(grep -c "failed to load" "$W/err")" 1 "reports of the broken county ($fmt)"
    has "$W/out" "330302006" "330304001"
    lacks "$W/out" "330303001"
done
# the others are stored too, the broken county's stations not
run 3 "$SWS" --db x.db eval score --year 2022 --phase final --as-of 2022-12-31 --save
eq "$(q x.db "SELECT group_concat(station, ' ') FROM (SELECT station FROM eval_run_station
              WHERE run = (SELECT max(id) FROM eval_run) ORDER BY station)")" \
   "330302006 330304001" "stations stored by the run"
eq "$(q x.db "SELECT group_concat(county, ' ') FROM (SELECT county FROM eval_run_county
              WHERE run = (SELECT max(id) FROM eval_run) ORDER BY county)")" \
   "330302 330304" "counties stored by the run"
run 1 "$SWS" --db x.db eval score --year 2022 --phase final --county 330303 --as-of 2022-12-31
has "$W/err" "no station could be evaluated: the policy of county 330303 failed to load" \
    "policies/330303.lua:3:"

# ---- indicators that fail validation -------------------------------------------
printf 'return sws.policy.extend("default", {\n  name = "330303",\n  indicators = { bonus = { max = 8 } },\n})\n' \
    > "$H/policies/330303.lua"
run 3 "$SWS" --db x.db eval score --year 2022 --phase final --as-of 2022-12-31
has "$W/err" "the policy of county 330303 failed to load, so its stations were not evaluated" \
    "policies/330303.lua:3: 'indicators.bonus.max' = 8 is outside the city's bounds: at most 5"
eq "$(grep -c "failed to load" "$W/err")" 1 "reports of the invalid county"
has "$W/out" "330302006" "330304001"
lacks "$W/out" "330303001"

cp 330303.good "$H/policies/330303.lua"
run 3 "$SWS" --db x.db eval score --year 2022 --phase final --as-of 2022-12-31
lacks "$W/err" "failed to load"
has "$W/out" "330303001"
echo "eval_broken_policy: ok"
