#!/usr/bin/env bash
# Personal numbers never appear in full where a person can see them: logs
# (also spaced, dashed and +86 forms), error messages whatever column the
# number was typed in, and the files of personal data sws writes are 0600.
set -eu
. "$(dirname "$0")/testlib.bash"

run 0 "$SWS" --db x.db init
cat > s.lua <<'LUA'
sws.log.info("a +86 139 1234 5678 b 139-1234-5678 c 11010519491231002X d 110105491231002")
error("the row of 13912345678 has a bad value")
LUA
run 1 "$SWS" --db x.db run s.lua
has "$W/err" "+86 139 **** 5678" "139-****-5678" "110105********002X" "110105*****1002" \
    "the row of 139****5678 has a bad value"
! grep -qE "1234 5678|1234-5678|12345678|19491231|491231" "$W/err" || { cat "$W/err"; fail "a number shown in full"; }

# a mobile number typed into the code column of an import
printf 'code,name\n13912345678,某县\n' > c.csv
run 1 "$SWS" --db x.db import counties c.csv
has "$W/err" "139****5678"
! grep -q 13912345678 "$W/err" || { cat "$W/err"; fail "the import error shows the number"; }

# generated personal data is readable by its owner only
printf 'code,name,county_code,population\n330303001,街道,330303,30000\n' > t.csv
(umask 022 && "$SWS" generate --townships t.csv --out gen --services 10 >/dev/null)
for f in gen/workers.csv gen/clients.csv gen/volunteers.csv; do
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f is mode $(stat -c %a "$f"), not 600"
done
echo "personal numbers masked in logs and errors; personal files 0600"
