#!/usr/bin/env bash
# worker_year (each worker's training and working time per year, kept by
# triggers) stays equal to the trainings and working-time records: after
# imports, a kill -9 during an import, corrections by a script and edits in
# the sqlite3 shell. Plain SQL recomputes it, and `sws doctor` finds and
# repairs a difference made behind its back.
set -eu
. "$(dirname "$0")/testlib.bash"

# worker_year recomputed by plain SQL must equal the kept rows
same_as_sql() {
    local kept fresh
    kept=$(sqlite3 x.db "SELECT count(*), coalesce(sum(training_min), 0),
        coalesce(sum(training_rows), 0), coalesce(sum(total_min), 0),
        coalesce(sum(community_min), 0), coalesce(sum(worktime_rows), 0) FROM worker_year")
    fresh=$(sqlite3 x.db "SELECT count(*), coalesce(sum(t), 0), coalesce(sum(tn), 0),
        coalesce(sum(w), 0), coalesce(sum(c), 0), coalesce(sum(wn), 0) FROM (
          SELECT worker_code, y, sum(t) AS t, sum(tn) AS tn, sum(w) AS w, sum(c) AS c,
            sum(wn) AS wn FROM (
            SELECT worker_code, substr(date, 1, 4) AS y, CAST(round(hours * 60) AS INTEGER) AS t,
              1 AS tn, 0 AS w, 0 AS c, 0 AS wn FROM training
            UNION ALL SELECT worker_code, substr(month, 1, 4), 0, 0,
              CAST(round(total_hours * 60) AS INTEGER),
              CAST(round(community_hours * 60) AS INTEGER), 1 FROM worktime)
          GROUP BY worker_code, y)")
    [ "$kept" = "$fresh" ] || fail "$1: worker_year says $kept, the records $fresh"
    run 0 "$SWS" --db x.db --no-plugins doctor
    has "$W/out" "worker_year with the trainings and working time"
}

"$SWS" generate --townships "$SWS_HOME/data/wenzhou_townships.csv" --out gen --services 1000 >/dev/null
"$SWS" --db x.db init >/dev/null
"$SWS" --db x.db --no-plugins import counties "$SWS_HOME/data/wenzhou_counties.csv" >/dev/null
for kind in townships stations villages workers; do
    "$SWS" --db x.db --no-plugins import $kind gen/$kind.csv >/dev/null
done

# 1. a kill -9 in the middle of an import of working time: all or nothing
import_killed x.db worktime gen/worktime.csv 0.3
same_as_sql "after kill -9"

# 2. imports
[ "$(sqlite3 x.db 'SELECT count(*) FROM worktime')" != 0 ] ||
    run 0 "$SWS" --db x.db --no-plugins import worktime gen/worktime.csv
run 0 "$SWS" --db x.db --no-plugins import trainings gen/trainings.csv
[ "$(sqlite3 x.db 'SELECT sum(training_rows) FROM worker_year')" = \
  "$(($(wc -l < gen/trainings.csv) - 1))" ] || fail "not every training counted"
same_as_sql "after imports"

# 3. a script's corrections: re-dated into another year, moved to another
#    worker, changed hours, deleted, added
w1=$(sqlite3 x.db "SELECT worker_code FROM training ORDER BY id LIMIT 1")
w2=$(sqlite3 x.db "SELECT code FROM worker WHERE code <> '$w1' ORDER BY code LIMIT 1")
cat > fix.lua <<LUA
local first = sws.db.query("SELECT min(id) AS id FROM training")[1].id
sws.db.exec("UPDATE training SET date = '2021-03-04', hours = 2.5 WHERE id = ?", first)
sws.db.exec("UPDATE training SET worker_code = ? WHERE id = ?", "$w2", first + 1)
sws.db.exec("DELETE FROM training WHERE id BETWEEN ? AND ?", first + 2, first + 9)
sws.db.exec("INSERT INTO training(worker_code, date, hours, topic) VALUES(?, '2022-05-06', 7.9, 'x')", "$w1")
sws.db.exec("UPDATE worktime SET community_hours = total_hours / 2 WHERE worker_code = ?", "$w1")
sws.db.exec("UPDATE worktime SET month = '2020-01' WHERE worker_code = ? AND month = (SELECT min(month) FROM worktime WHERE worker_code = ?)", "$w2", "$w2")
sws.db.exec("DELETE FROM worktime WHERE worker_code = (SELECT max(worker_code) FROM worktime)")
LUA
run 0 "$SWS" --db x.db run fix.lua
same_as_sql "after a script's corrections"
[ "$(sqlite3 x.db "SELECT count(*) FROM worker_year WHERE year = 2020")" -gt 0 ] ||
    fail "the month moved to 2020 was not counted in 2020"

# 4. edits in the sqlite3 shell, deleting every record of a worker-year too
sqlite3 x.db "UPDATE worktime SET total_hours = total_hours + 1 WHERE rowid % 7 = 0;
              DELETE FROM training WHERE worker_code = '$w1';
              DELETE FROM worktime WHERE worker_code = '$w1'"
same_as_sql "after sqlite3 edits"
[ "$(sqlite3 x.db "SELECT count(*) FROM worker_year WHERE worker_code = '$w1'")" = 0 ] ||
    fail "a worker-year without records was kept"

# 5. the doctor counts a worker-year once (its kept row and its recomputed
#    row are both listed), then finds and repairs differences made behind
#    its back
sqlite3 x.db "UPDATE worker_year SET training_min = training_min + 1
              WHERE (worker_code, year) = (SELECT worker_code, year FROM worker_year LIMIT 1)"
run 3 "$SWS" --db x.db --no-plugins doctor
has "$W/out" "1 worker-year of worker_year differs from the trainings and working time" \
    "(kept)" "(in the records)"
run 0 "$SWS" --db x.db --no-plugins doctor --repair
same_as_sql "after the repair of one worker-year"
sqlite3 x.db "DROP TRIGGER training_year_remove; DELETE FROM training WHERE rowid % 5 = 0"
run 3 "$SWS" --db x.db --no-plugins doctor
has "$W/out" "differ from the trainings and working time" "(kept)" "(in the records)"
run 0 "$SWS" --db x.db --no-plugins doctor --repair
same_as_sql "after the repair"
echo "worker_year stayed equal to the trainings and working time"
