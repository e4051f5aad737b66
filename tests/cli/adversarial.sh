#!/usr/bin/env bash
# The sandbox under attack: every script in tests/adversarial/ must be stopped
# with exit status 1 and a message matching its "-- expect:" line, within the
# test's time limit, while the database stays intact.
set -eu
. "$(dirname "$0")/testlib.bash"

run 0 "$SWS" --db x.db init  # a database must exist before it is used
run 0 "$SWS" --db x.db import counties "$SWS_HOME/data/wenzhou_counties.csv"
run 0 "$SWS" --db x.db import townships "$SWS_HOME/data/wenzhou_townships.csv"
before=$(sqlite3 x.db "SELECT (SELECT count(*) FROM county) || '/' || (SELECT count(*) FROM township)")

for script in "$SWS_HOME"/tests/adversarial/*.lua; do
    name=$(basename "$script")
    want=$(head -1 "$script" | sed 's/^-- expect: //; s/%-/-/g')
    got=0
    # A small instruction budget keeps the suite quick under the sanitizers;
    # the default budget (500 ms of CPU time for a plugin call, 10 s for a
    # script) stops the same loops.
    # Memory hogs get the default script budget: under the sanitizers their big
    # allocations take long enough to reach a small time budget first.
    case $name in memory_*) budget=200000000 ;; *) budget=20000000 ;; esac
    timeout 60 "$SWS" --db x.db --budget $budget --memory 64 run "$script" >"$W/out" 2>"$W/err" || got=$?
    [ "$got" = 1 ] || { cat "$W/err"; fail "$name exited $got, expected 1"; }
    grep -qE -- "$want" "$W/err" || { cat "$W/err"; fail "$name: message does not name '$want'"; }
done

[ "$(sqlite3 x.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed"
after=$(sqlite3 x.db "SELECT (SELECT count(*) FROM county) || '/' || (SELECT count(*) FROM township)")
[ "$before" = "$after" ] || fail "row counts changed: $before -> $after"
echo "adversarial: $(ls "$SWS_HOME"/tests/adversarial/*.lua | wc -l) scripts stopped, database intact"
