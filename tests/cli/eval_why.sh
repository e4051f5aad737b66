#!/usr/bin/env bash
# `sws eval`: ctx.why(fmt, …) formats an item's explanation only where it is
# shown or stored. A ranking in text or CSV formats nothing (a format that
# cannot be made costs it nothing), while JSON, --save and `eval explain`
# show the text ctx.why made, or the format's error on the item.
set -eu
. "$(dirname "$0")/testlib.bash"

db=r.db
load_eval_city $db 40 70

# county_policy FORMAT ARGS: the county's A1.1 earns area / 10 with
# ctx.why(FORMAT, ARGS) as its explanation
county_policy() {
    cat > home/policies/330303.lua <<LUA
return sws.policy.extend("default", {
  name = "330303", version = "why.1",
  indicators = { tree = { services = { indicators = { measured = { items = { area = {
    compute = function(st, p, ctx)
      local a = ctx.data.size.area_m2 or 0
      return math.min(80, a / 10), ctx.why($1, $2)
    end } } } } } } },
})
LUA
}

# ---- a format that works: the same text as string.format makes ----------------
county_policy '"area %g m² / 10"' 'a'
run 3 "$SWS" --db $db eval score --year 2022 --phase final --format json
has "$W/out" '"why":	"area 40 m² / 10"'
has "$W/out" '"why":	"area 70 m² / 10"'
run 3 "$SWS" --db $db eval explain 330303002 --year 2022
has "$W/out" "area 70 m² / 10"

# ---- a format that cannot be made ---------------------------------------------
county_policy '"%d m²"' '"not a number"'
# a ranking formats nothing: every station earns its points
for fmt in text csv; do
    run 3 "$SWS" --db $db eval score --year 2022 --phase final --format $fmt
    lacks "$W/out" "bad argument"
    lacks "$W/err" "bad argument"
done
run 3 "$SWS" --db $db eval score --year 2022 --phase final --format csv
eq "$(a1_points "$W/out" 330303001)" "4" "station 1 earns 40 m² / 10 in a ranking"
eq "$(a1_points "$W/out" 330303002)" "7" "station 2 earns 70 m² / 10 in a ranking"
# where the explanation is shown, the format's error is the item's finding
run 3 "$SWS" --db $db eval score --year 2022 --phase final --format json
has "$W/out" "policies/330303.lua:6: bad argument #2 to 'why' (number expected, got string)"
run 3 "$SWS" --db $db eval explain 330303001 --year 2022
has "$W/out" "bad argument #2 to 'why' (number expected, got string)"
echo ok
