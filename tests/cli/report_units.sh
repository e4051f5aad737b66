#!/usr/bin/env bash
# `sws report --station S --county U` takes U as the station's administering
# unit: a township of 浙南产业集聚区 (330391) lies inside 龙湾区's code range
# (330303…) but is reported under the zone, and refused under 龙湾区.
set -eu
. "$(dirname "$0")/testlib.bash"

load_wenzhou_units x.db 3000 stations villages workers
zone_station=$(sqlite3 x.db "SELECT s.code FROM station s JOIN township t ON t.code = s.code
    WHERE t.unit_code = '330391' ORDER BY 1 LIMIT 1")
own_station=$(sqlite3 x.db "SELECT s.code FROM station s JOIN township t ON t.code = s.code
    WHERE t.unit_code = '330303' ORDER BY 1 LIMIT 1")
[ -n "$zone_station" ] && [ -n "$own_station" ] || fail "no station in the zone or in 龙湾区"

run 0 "$SWS" --db x.db report station --format md --county 330391 --station "$zone_station" --as-of 2022-12-31
has "$W/out" "$zone_station"
run 2 "$SWS" --db x.db report station --format md --county 330303 --station "$zone_station" --as-of 2022-12-31
has "$W/err" "--station $zone_station does not lie in --county 330303: it is administered by 浙南产业集聚区 330391"
run 0 "$SWS" --db x.db report station --format md --county 330303 --station "$own_station" --as-of 2022-12-31
run 2 "$SWS" --db x.db report station --format md --county 330391 --station "$own_station" --as-of 2022-12-31
has "$W/err" "is administered by 龙湾区 330303"
