#!/usr/bin/env bash
# station_clients (each station's service objects on file, kept by
# triggers) stays equal to the client table: after a kill -9 during an
# import, the import, a re-import that moves objects between stations, a
# script's corrections and edits in the sqlite3 shell. `sws doctor` finds
# and repairs a difference made behind its back, and the evaluation reads it.
set -eu
. "$(dirname "$0")/testlib.bash"

# station_clients recomputed by plain SQL must equal the kept rows
same_as_sql() {
    kept_agrees x.db "$1" station_clients "SELECT station_code, clients FROM station_clients ORDER BY 1" \
        "SELECT station_code, count(*) FROM client GROUP BY 1 ORDER BY 1"
}

load_wenzhou_units x.db 100 stations villages
eq "$(sqlite3 x.db 'SELECT count(*) FROM station_clients')" 0 "stations counted before any object"

# 1. a kill -9 in the middle of an import of service objects: all or nothing
import_killed x.db clients gen/clients.csv 0.2
same_as_sql "after kill -9"

# 2. the import
run 0 "$SWS" --db x.db --no-plugins import clients gen/clients.csv
eq "$(sqlite3 x.db 'SELECT sum(clients) FROM station_clients')" \
   "$(($(wc -l < gen/clients.csv) - 1))" "objects counted after the import"
[ "$(sqlite3 x.db 'SELECT count(*) FROM station_clients')" -gt 100 ] || fail "too few stations counted"
same_as_sql "after the import"

# 3. a re-import of the same file with the first object under another
#    station: the object moves, nothing is counted twice
c1=$(sqlite3 x.db "SELECT code FROM client ORDER BY code LIMIT 1")
s1=$(sqlite3 x.db "SELECT station_code FROM client WHERE code = '$c1'")
s2=$(sqlite3 x.db "SELECT code FROM station WHERE code <> '$s1' ORDER BY code DESC LIMIT 1")
n1=$(sqlite3 x.db "SELECT clients FROM station_clients WHERE station_code = '$s1'")
python3 - "$c1" "$s2" <<'PY'
import csv, sys
rows = list(csv.reader(open("gen/clients.csv", encoding="utf-8")))
head, at = rows[0], rows[0].index("station")
for r in rows[1:]:
    if r[0] == sys.argv[1]:
        r[at] = sys.argv[2]
        r[head.index("village")] = ""
csv.writer(open("moved.csv", "w", encoding="utf-8", newline="")).writerows(rows)
PY
run 0 "$SWS" --db x.db --no-plugins import clients moved.csv
same_as_sql "after a re-import that moved an object"
eq "$(sqlite3 x.db "SELECT coalesce((SELECT clients FROM station_clients WHERE station_code = '$s1'), 0)")" \
   "$((n1 - 1))" "the objects left at the first station"

# 4. a script's corrections: an object moved back, one added
cat > fix.lua <<LUA
sws.db.exec("UPDATE client SET station_code = ? WHERE code = ?", "$s1", "$c1")
sws.db.exec("INSERT INTO client(code, station_code, category) VALUES('CNEW1', ?, 'elderly')", "$s2")
LUA
run 0 "$SWS" --db x.db run fix.lua
same_as_sql "after a script's corrections"
eq "$(sqlite3 x.db "SELECT clients FROM station_clients WHERE station_code = '$s1'")" "$n1" \
   "the first station's objects after the move back"

# 5. edits in the sqlite3 shell: objects moved, the no-delete guard dropped
#    and objects deleted (every object of one station among them)
sqlite3 x.db "UPDATE client SET station_code = '$s2' WHERE rowid % 7 = 0;
              DROP TRIGGER client_no_delete;
              DELETE FROM client WHERE rowid % 11 = 0;
              DELETE FROM client WHERE station_code = '$s1'"
same_as_sql "after sqlite3 edits"
eq "$(sqlite3 x.db "SELECT count(*) FROM station_clients WHERE station_code = '$s1'")" 0 \
   "a station without objects has no row"

# 6. the evaluation reads station_clients; the doctor finds a hand-made
#    difference, lists it and repairs it
said() {
    run 3 "$SWS" --db x.db --no-plugins eval explain "$s2" --year 2022 --phase final
    grep -o '[0-9]* service objects on file' "$W/out"
}
before=$(said)
sqlite3 x.db "UPDATE station_clients SET clients = clients + 5 WHERE station_code = '$s2'"
[ "$(said)" != "$before" ] || fail "the evaluation did not read station_clients"
run 3 "$SWS" --db x.db --no-plugins doctor
has "$W/out" "station $s2 (kept)" "station $s2 (in the records)" \
    "1 station of station_clients differs from the service objects" "run \`sws doctor --repair\`"
run 0 "$SWS" --db x.db --no-plugins doctor --repair
has "$W/out" "recomputed from the records"
same_as_sql "after the repair"
eq "$(said)" "$before" "the evaluation after the repair"
echo "station_clients stayed equal to the service objects"
