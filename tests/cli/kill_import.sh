#!/usr/bin/env bash
# kill -9 during an import: the database stays intact and holds all of the
# file or none of it, and the same import then succeeds.
set -eu
. "$(dirname "$0")/testlib.bash"

"$SWS" generate --townships "$SWS_HOME/data/wenzhou_townships.csv" --out gen --services 300000 >/dev/null
"$SWS" --db x.db init >/dev/null  # a database must exist before it is used
"$SWS" --db x.db --no-plugins import counties "$SWS_HOME/data/wenzhou_counties.csv" >/dev/null
for kind in townships stations villages workers clients; do
    "$SWS" --db x.db --no-plugins import $kind gen/$kind.csv >/dev/null
done
rows=$(($(wc -l < gen/services.csv) - 1))

import_killed x.db services gen/services.csv 0.4

[ "$(sqlite3 x.db 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
have=$(sqlite3 x.db 'SELECT count(*) FROM service_record')
[ "$have" = 0 ] || [ "$have" = "$rows" ] || fail "a killed import left $have of $rows rows"
[ "$(sqlite3 x.db 'SELECT count(*) FROM station')" -gt 0 ] || fail "earlier data lost"

if [ "$have" = 0 ]; then
    run 0 "$SWS" --db x.db --no-plugins import services gen/services.csv
fi
[ "$(sqlite3 x.db 'SELECT count(*) FROM service_record')" = "$rows" ] || fail "re-import"
echo "a killed import left the database whole ($have rows after the kill)"
