#!/usr/bin/env bash
# `sws eval score`: a county's computed item that loops forever, or eats
# memory, at one station is stopped by that station's own budget and
# reported on its items; the chunk's other stations, before and after it,
# are scored as if it were not there, in one process and in two.
set -eu
. "$(dirname "$0")/testlib.bash"

db=r.db
load_eval_city $db 10 20 30 40 50 60

# the city's policy alone: the reference scores
run 3 "$SWS" --db $db eval score --year 2022 --phase final --format csv
cp "$W/out" city.csv
eq "$(a1_points city.csv 330303004)" "4" "40 m² earns 4 points"

# county_policy BODY: the county's A1.1 runs BODY first, then the city's formula
county_policy() {
    cat > home/policies/330303.lua <<LUA
return sws.policy.extend("default", {
  name = "330303", version = "runaway.1",
  indicators = { tree = { services = { indicators = { measured = { items = { area = {
    compute = function(st, p, ctx)
      $1
      local a = ctx.data.size.area_m2 or 0
      return math.min(80, a / 10), string.format("area %g m² / 10", a)
    end } } } } } } },
})
LUA
}
# runaway CODE OPTIONS…: at station CODE nothing is earned and the others
# earn what they earn under the city's policy, in one process and in two;
# the JSON of the last run is in json.out
runaway() {
    local bad=$1
    shift
    for j in 1 2; do
        run 3 "$SWS" --db $db "$@" eval score --year 2022 --phase final --format csv --jobs $j
        cp "$W/out" county.csv
        for code in 330303001 330303002 330303003 330303004 330303005 330303006; do
            if [ $code = "$bad" ]; then
                eq "$(a1_points county.csv $code)" "0" "the runaway station earns nothing (--jobs $j)"
            else
                eq "$(a1_points county.csv $code)" "$(a1_points city.csv $code)" \
                    "station $code is scored as without the runaway (--jobs $j)"
            fi
        done
        run 3 "$SWS" --db $db "$@" eval score --year 2022 --phase final --format json --jobs $j
        cp "$W/out" json.out
        has json.out '"why":	"area 40 m² / 10"'
    done
}

# ---- an endless loop: stopped by the station's own budget ----------------------
county_policy 'if st.code == "330303002" then while true do end end'
runaway 330303002 --hook-budget 2000000
# named by the station, the item and the line where it was stopped
has json.out "the computed items of station 330303002: item A1.1: policies/330303.lua:5: instruction budget of 2000000 exceeded"

# ---- a memory hog: stopped by the memory budget, named as such ------------------
county_policy 'if st.code == "330303005" then local hog = {} for i = 1, 1e9 do hog[i] = string.rep("x", 4 << 20) .. i end end'
# (a large instruction budget, as the adversarial suite gives its memory hogs:
# under the sanitizers on a loaded machine, the big allocations may otherwise
# reach the CPU-time budget first)
runaway 330303005 --memory 24 --hook-budget 200000000
has json.out "the computed items of station 330303005: item A1.1: memory budget of 24 MiB exceeded (raise it with --memory MiB)"
echo ok
