#!/bin/bash
# cli_skip_bad.sh — `import --skip-bad REJECTS.csv` stores the good rows,
# writes the bad ones with their line and reason, and exits 3.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/sws.db"
run 0 "$SWS" --db "$DB" init  # a database must exist before it is used
run 0 "$SWS" --db "$DB" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"

{
    printf 'code,name,county_code,population\n'
    printf '330302006,五马街道,330302,52000\n'       # 2 good
    printf '33030200A,坏代码,330302,1\n'             # 3 bad code
    printf '339999001,不存在,339999,1\n'             # 4 no such county
    printf '330302099,\xce\xc2\xd6\xdd,330302,1\n'   # 5 GBK
    printf '"330302023","七都街道, 鹿城区",330302,21000\n' # 6 good, quoted
} >"$W/BAD.csv"
run 3 "$SWS" --db "$DB" import townships "$W/BAD.csv" --skip-bad "$W/rejects.csv"
has "$W/out" "imported 2 of 5 rows into township" "3 bad rows written to $W/rejects.csv"
has "$W/err" "BAD.csv:3:" "BAD.csv:4:" "BAD.csv:5:"
eq "$(q "$DB" 'SELECT count(*) FROM township')" 2 "townships stored"
eq "$(q "$DB" "SELECT name FROM township WHERE code = '330302023'")" "七都街道, 鹿城区" "quoted name"

# the rejects file: a header with line, the original columns and reason,
# then one row per bad line, in order
[ -f "$W/rejects.csv" ] || fail "no rejects file"
eq "$(head -n 1 "$W/rejects.csv" | tr -d '"')" "line,code,name,county_code,population,reason" "rejects header"
eq "$(wc -l <"$W/rejects.csv")" 4 "rejects lines"
eq "$(tail -n +2 "$W/rejects.csv" | cut -d, -f1 | tr '\n' ' ')" "3 4 5 " "rejected line numbers"
has "$W/rejects.csv" '"33030200A"' "must be a 9-digit township code" "no such county" \
    "not valid UTF-8" '"339999001","不存在","339999","1"'

# the rejects file is itself importable once fixed: line and reason are ignored
sed -i -e 's/"33030200A"/"330302024"/' -e 's/"339999001"/"330302025"/' -e 's/"339999"/"330302"/' \
    -e '/^5,/d' "$W/rejects.csv"
run 0 "$SWS" --db "$DB" import townships "$W/rejects.csv"
has "$W/out" "imported 2 of 2 rows" "2 unknown columns ignored"
eq "$(q "$DB" 'SELECT count(*) FROM township')" 4 "townships after the fixed rejects"

# a clean file under --skip-bad: exit 0, and the rejects file holds only its header
printf 'code,name,county_code\n330303001,永中街道,330303\n' >"$W/clean.csv"
run 0 "$SWS" --db "$DB" import townships "$W/clean.csv" --skip-bad "$W/none.csv"
eq "$(wc -l <"$W/none.csv")" 1 "rejects of a clean file"

# a file-level problem is still an error, nothing stored
printf 'code,name\n330303002,状元街道\n' >"$W/nocounty.csv"
run 1 "$SWS" --db "$DB" import townships "$W/nocounty.csv" --skip-bad "$W/r2.csv"
has "$W/err" "county_code"
eq "$(q "$DB" 'SELECT count(*) FROM township')" 5 "townships after a missing column"

echo "ok"
