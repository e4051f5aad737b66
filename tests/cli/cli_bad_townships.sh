#!/bin/bash
# cli_bad_townships.sh — a file with bad rows is refused as a whole: exit 1,
# every bad line named as FILE:LINE with its rule, the table unchanged, and
# resident ID numbers never printed in full.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/sws.db"
run 0 "$SWS" --db "$DB" init
run 0 "$SWS" --db "$DB" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
has "$W/out" "imported 12 of 12 rows"
eq "$(q "$DB" 'SELECT count(*) FROM county')" 12 "counties"

cat >"$W/good.csv" <<'CSV'
code,name,county_code,population
330302006,五马街道,330302,52000
330302023,七都街道,330302,21000
330303001,永中街道,330303,80000
CSV
run 0 "$SWS" --db "$DB" import townships "$W/good.csv"
before=$(q "$DB" 'SELECT count(*) FROM township')
eq "$before" 3 "townships after the good file"

# BAD.csv: line 2 good, 3 a non-digit code, 4 a county that does not exist,
# 5 GBK-encoded (温州 in GBK), 6 good, 7 renames a stored township (good).
{
    printf 'code,name,county_code\n'
    printf '330302024,滨江街道,330302\n'
    printf '33030200A,坏代码,330302\n'
    printf '339999001,不存在,339999\n'
    printf '330302099,\xce\xc2\xd6\xdd,330302\n'
    printf '330302025,南汇街道,330302\n'
    printf '330302006,五马街道（改）,330302\n'
} >"$W/BAD.csv"
run 1 "$SWS" --db "$DB" import townships "$W/BAD.csv"
has "$W/err" "BAD.csv:3: column 'code' \"33030200A\": must be a 9-digit township code"
has "$W/err" "BAD.csv:4: column 'county_code' \"339999\": no such county"
has "$W/err" "BAD.csv:5: line 5 is not valid UTF-8" "GBK"
has "$W/err" "3 of 6 rows are bad; nothing was imported"
lacks "$W/err" "BAD.csv:2:" "BAD.csv:6:" "BAD.csv:7:"
lacks "$W/out" "imported"
eq "$(q "$DB" 'SELECT count(*) FROM township')" "$before" "townships after BAD.csv"
eq "$(q "$DB" "SELECT name FROM township WHERE code = '330302006'")" "五马街道" "unchanged name"
# one bad row is counted in the singular
printf 'code,name,county_code\n33030200B,坏代码,330302\n' >"$W/ONE.csv"
run 1 "$SWS" --db "$DB" import townships "$W/ONE.csv"
has "$W/err" "1 of 1 row is bad; nothing was imported (fix it, or use"

# a township code outside its county
printf 'code,name,county_code\n330303009,错位,330302\n' >"$W/misplaced.csv"
run 1 "$SWS" --db "$DB" import townships "$W/misplaced.csv"
has "$W/err" "misplaced.csv:2: column 'code' \"330303009\" does not lie in county \"330302\""

# workers: a wrong check digit refuses the file, and no ID shows in full
printf 'code,name,area_m2\n330302006,五马街道社会工作站,180\n' >"$W/stations.csv"
run 0 "$SWS" --db "$DB" import stations "$W/stations.csv"
good_id=33030219880512007X # S = 233, 233 mod 11 = 2 -> X
bad_id=330302199003071235  # S = 220 calls for 1, not 5
cat >"$W/workers.csv" <<CSV
code,station,name,role,id_number,phone
W1,330302006,陈晓丽,resident,$good_id,13812345678
W2,330302006,林伟杰,resident,$bad_id,13912345678
CSV
run 1 "$SWS" --db "$DB" import workers "$W/workers.csv"
has "$W/err" "workers.csv:3: column 'id_number' \"330302********1235\"" "check digit"
lacks "$W/err" "workers.csv:2:"
for f in "$W/out" "$W/err"; do
    lacks "$f" "$bad_id" "$good_id" "13812345678" "13912345678"
done
eq "$(q "$DB" 'SELECT count(*) FROM worker')" 0 "workers after the bad file"

# with the check digit corrected it goes in, stored masked
sed -i "s/$bad_id/330302199003071231/" "$W/workers.csv"
run 0 "$SWS" --db "$DB" import workers "$W/workers.csv"
eq "$(q "$DB" "SELECT id_masked || ' ' || birth_date || ' ' || phone_masked FROM worker WHERE code = 'W1'")" \
    "330302********007X 1988-05-12 138****5678" "stored worker"
if sqlite3 "$DB" .dump | grep -qF -e "$good_id" -e 330302199003071231 -e 13812345678; then
    fail "a full ID or phone number is stored"
fi

echo "ok"
