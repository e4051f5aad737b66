#!/usr/bin/env bash
# Chore verdicts follow the administering unit: the service records of a
# zone's townships (浙南产业集聚区 330391, inside 龙湾区 330303) are judged
# against the zone's chore_patterns, those of the rest of the NBS county
# against the county's. Each record is judged once at import; a zone policy
# that adds a pattern has exactly the zone's records judged again.
set -eu
. "$(dirname "$0")/testlib.bash"

mkdir -p home/policies
cp "$SWS_HOME"/policies/*.lua home/policies/
load_wenzhou_units x.db 60000 stations villages workers clients
SWS_HOME=$PWD/home run 0 "$SWS" --db x.db --no-plugins import services gen/services.csv
[ ! -s "$W/err" ] || { cat "$W/err" >&2; fail "the import judged records twice or complained"; }

# the patterns are recorded per unit, zones included, and nothing is pending
units=$(sqlite3 x.db "SELECT group_concat(county_code, ' ') FROM (SELECT county_code FROM
    chore_judgement ORDER BY 1)")
case " $units " in *" 330391 "*) ;; *) fail "no patterns recorded for zone 330391: $units" ;; esac
case " $units " in *" 330303 "*) ;; *) fail "no patterns recorded for county 330303: $units" ;; esac
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore IS NULL")" = 0 ] ||
    fail "records left unjudged after the import"

zone_records="station_code IN (SELECT code FROM township WHERE unit_code = '330391')"
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE $zone_records")" -gt 0 ] ||
    fail "the generated data has no records in the zone"

# the zone's own pattern: only the zone's records are judged again, with it
cat > home/policies/330391.lua <<'LUA'
return sws.policy.extend("default", { name = "330391", version = "test",
  chore_patterns = { "迎检", "台账", "统计报表", "中心工作会议", "会议记录", "材料整理", "独居老人" } })
LUA
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db doctor
has "$W/out" "county 330391: its records were not judged with the chore patterns of policy 330391"
SWS_HOME=$PWD/home run 3 "$SWS" --db x.db --no-plugins check --county 330391 --year 2022 --as-of 2022-12-31
zone_n=$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE $zone_records")
has "$W/err" "county 330391: the chore patterns of policy 330391 changed; $zone_n service records judged again"
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore = '独居老人' AND $zone_records")" -gt 0 ] ||
    fail "no zone record judged against the zone's new pattern"
[ "$(sqlite3 x.db "SELECT count(*) FROM service_record WHERE chore = '独居老人' AND NOT $zone_records")" = 0 ] ||
    fail "a record outside the zone (龙湾区's own townships included) was judged with the zone's pattern"
SWS_HOME=$PWD/home run 0 "$SWS" --db x.db doctor
has "$W/out" "agrees with the service records"

# a unit whose patterns were never recorded (a database from before zones
# had their own): its records are judged, and the message says it is the first time
# (with a progress bar over the units when asked for one)
sqlite3 x.db "DELETE FROM chore_judgement WHERE county_code = '330391'"
SWS_PROGRESS=1 SWS_HOME=$PWD/home run 3 "$SWS" --db x.db --no-plugins check --county 330391 --year 2022 --as-of 2022-12-31
has "$W/err" "county 330391: $zone_n service records judged against the chore patterns of policy 330391, recorded for the first time"
has "$W/err" "chore verdicts"
SWS_HOME=$PWD/home run 0 "$SWS" --db x.db doctor
