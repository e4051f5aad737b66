#!/usr/bin/env bash
# Writers under contention: eight `workflow advance` of different stations at
# once all succeed (each takes the write lock up front and waits for it);
# 50 kill -9s during advances and imports leave the database intact and
# every station's stage equal to the last stage its audit trail records; a
# writer that cannot get the lock says so and what to do.
set -eu
. "$(dirname "$0")/testlib.bash"

db=x.db
run 0 "$SWS" --db $db init
run 0 "$SWS" --db $db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
{ echo code,name,county_code,population
  for i in $(seq 1 8); do printf '3303030%02d,街道%d,330303,30000\n' $i $i; done; } > t.csv
"$SWS" generate --townships t.csv --out gen --services 20000 --seed 3 >/dev/null
run 0 "$SWS" --db $db import townships t.csv
for kind in stations villages workers clients; do
    run 0 "$SWS" --db $db --no-plugins import $kind gen/$kind.csv
done
stations=$(seq -f '3303030%02g' 1 8)
for s in $stations; do run 0 "$SWS" --db $db workflow start $s --actor 龙湾区民政局 --role county --as-of 2021-03-01; done

# eight advances at once
pids=()
for s in $stations; do
    "$SWS" --db $db workflow advance $s approved --actor 王科长 --role city --as-of 2021-03-02 \
        >"$W/adv.$s.out" 2>"$W/adv.$s.err" &
    pids+=($!)
done
i=0
for s in $stations; do
    st=0; wait "${pids[$i]}" || st=$?
    [ "$st" = 0 ] || { cat "$W/adv.$s.err"; fail "concurrent advance of $s exited $st"; }
    i=$((i + 1))
done
[ "$(sqlite3 $db "SELECT count(*) FROM workflow_instance WHERE stage = 'approved'")" = 8 ] ||
    fail "not every concurrent advance was stored"

# audit = stage: the last start/advance/migrate event of each station names its stage
audit_matches() {
    sqlite3 $db "SELECT count(*) FROM workflow_instance w WHERE w.stage IS NOT (SELECT to_stage
                 FROM workflow_event e WHERE e.station_code = w.station_code
                 AND e.action IN ('start', 'advance', 'migrate') ORDER BY e.id DESC LIMIT 1)"
}
[ "$(audit_matches)" = 0 ] || fail "audit and stage disagree after the concurrent advances"

# 50 kill -9s: advances of the stations (each walks approved -> planned ->
# reviewed, then the advance is refused) and, every fifth, an import of a
# services file
next_stage() {
    case $(sqlite3 $db "SELECT stage FROM workflow_instance WHERE station_code = '$1'") in
        approved) echo planned ;; planned) echo reviewed ;; *) echo "" ;;
    esac
}
for k in $(seq 1 50); do
    if [ $((k % 5)) = 0 ]; then
        "$SWS" --db $db --no-plugins import services gen/services.csv >/dev/null 2>&1 &
    else
        s=3303030$(printf '%02d' $((k % 8 + 1)))
        to=$(next_stage $s)
        [ -n "$to" ] || to=reviewed
        role=county; [ "$to" = reviewed ] && role=expert
        "$SWS" --db $db workflow advance $s $to --actor 王科长 --role $role --as-of 2021-03-03 >/dev/null 2>&1 &
    fi
    pid=$!
    sleep "0.0$((RANDOM % 10))"
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
    [ "$(sqlite3 $db 'PRAGMA integrity_check')" = ok ] || fail "database damaged after kill $k"
done
[ "$(audit_matches)" = 0 ] || fail "audit and stage disagree after the kills"
services=$(sqlite3 $db 'SELECT count(*) FROM service_record')
rows=$(($(wc -l < gen/services.csv) - 1))
[ "$services" = 0 ] || [ "$services" = "$rows" ] || [ $((services % rows)) = 0 ] ||
    fail "a killed import left $services service rows (the file has $rows)"

# a writer that cannot get the lock within the wait names the problem
sqlite3 $db "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES('hold', 'x');" \
    ".system touch locked; sleep 8" "COMMIT;" &
holder=$!
for _ in $(seq 1 100); do [ -e locked ] && break; sleep 0.1; done
[ -e locked ] || fail "the lock holder did not start"
run 1 env SWS_BUSY_TIMEOUT=1 "$SWS" --db $db workflow advance 330303001 planned --actor 王科长 --role county --as-of 2021-03-04
wait $holder
has "$W/err" "is being written by another process and stayed locked for the whole wait (1 s)" \
    "let it finish, then run this again"
[ "$(audit_matches)" = 0 ] || fail "audit and stage disagree"
echo "8 concurrent advances stored; 50 kills left the database whole and audit = stage"
