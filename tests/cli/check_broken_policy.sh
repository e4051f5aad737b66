#!/usr/bin/env bash
# A county policy that fails to load makes `sws check` fail loudly (exit 1,
# naming the file and line) instead of falling back to the city's policy,
# and the other counties are still checked.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H"
cp -r "$SWS_HOME/policies" "$SWS_HOME/plugins" "$H/"
printf 'return sws.policy.extend("default", {\n  name = "broken",\n  standards = { min_area_m2 = = 1 },\n})\n' \
    > "$H/policies/330303.lua"
export SWS_HOME="$H"
{ echo code,name,county_code,population
  echo 330302006,五马街道,330302,30000
  echo 330303001,永中街道,330303,30000; } > t.csv
load_generated x.db t.csv

run 1 "$SWS" --db x.db check --year 2022 --as-of 2022-12-31
has "$W/err" "the policy of county 330303 failed to load, so its stations were not checked" \
    "policies/330303.lua:3:"
has "$W/out" "1 station checked"
! grep -q "330303001" "$W/out" || fail "a station of the broken county was judged by another policy"

run 1 "$SWS" --db x.db check --county 330303 --year 2022 --as-of 2022-12-31
has "$W/err" "policies/330303.lua:3:" "no station could be checked"
echo "a broken county policy fails the check loudly; the other counties are checked"
