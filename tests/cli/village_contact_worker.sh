#!/usr/bin/env bash
# village_contact_worker (each village contact with its worker's employment
# dates and qualification, kept by triggers) stays equal to village_contact
# joined to worker: after a kill -9 during an import, the import, re-imports
# that change a contact's dates and a worker's employment and qualification,
# a script's corrections and edits in the sqlite3 shell. `sws doctor` finds
# and repairs a difference made behind its back, and the check reads it.
set -eu
. "$(dirname "$0")/testlib.bash"

fresh_sql="SELECT c.village_code, c.worker_code, c.since, c.until, w.hired, w.left_on,
  w.qualification FROM village_contact c JOIN worker w ON w.code = c.worker_code ORDER BY 1, 2"
same_as_sql() {
    kept_agrees x.db "$1" village_contact_worker \
        "SELECT * FROM village_contact_worker ORDER BY 1, 2" "$fresh_sql"
}

load_wenzhou_units x.db 10 stations villages workers
eq "$(q x.db 'SELECT count(*) FROM village_contact_worker')" 0 "contacts kept before any contact"

# 1. a kill -9 in the middle of an import of contacts: all or nothing
import_killed x.db contacts gen/contacts.csv 0.1
same_as_sql "after kill -9"

# 2. the import
run 0 "$SWS" --db x.db --no-plugins import contacts gen/contacts.csv
eq "$(q x.db 'SELECT count(*) FROM village_contact_worker')" \
   "$(($(wc -l < gen/contacts.csv) - 1))" "contacts kept after the import"
same_as_sql "after the import"

# 3. re-imports: the first contact gets dates; its worker leaves and holds
#    another qualification
v1=$(q x.db "SELECT village_code FROM village_contact ORDER BY village_code, worker_code LIMIT 1")
w1=$(q x.db "SELECT worker_code FROM village_contact ORDER BY village_code, worker_code LIMIT 1")
printf 'village,worker,since,until\n%s,%s,2021-03-01,2022-06-30\n' "$v1" "$w1" > dated.csv
run 0 "$SWS" --db x.db --no-plugins import contacts dated.csv
same_as_sql "after a re-import that dated a contact"
eq "$(q x.db "SELECT since || ' ' || until FROM village_contact_worker
              WHERE village_code = '$v1' AND worker_code = '$w1'")" \
   "2021-03-01 2022-06-30" "the contact's dates kept"
python3 - "$w1" <<'PY'
import csv, sys
rows = list(csv.reader(open("gen/workers.csv", encoding="utf-8")))
head = rows[0]
out = [head] + [r for r in rows[1:] if r[0] == sys.argv[1]]
out[1][head.index("left_on")] = "2022-09-30"
out[1][head.index("qualification")] = "sw_degree"
csv.writer(open("left.csv", "w", encoding="utf-8", newline="")).writerows(out)
PY
run 0 "$SWS" --db x.db --no-plugins import workers left.csv
same_as_sql "after a re-import of the worker"
eq "$(q x.db "SELECT DISTINCT left_on || ' ' || qualification FROM village_contact_worker
              WHERE worker_code = '$w1'")" "2022-09-30 sw_degree" "the worker's change kept"

# 4. a script's corrections: the worker's qualification, a contact added
w2=$(q x.db "SELECT code FROM worker WHERE code NOT IN (SELECT worker_code FROM village_contact
             WHERE village_code = '$v1') ORDER BY code LIMIT 1")
cat > fix.lua <<LUA
sws.db.exec("UPDATE worker SET qualification = 'social_worker' WHERE code = ?", "$w1")
sws.db.exec("INSERT INTO village_contact(village_code, worker_code) VALUES(?, ?)", "$v1", "$w2")
LUA
run 0 "$SWS" --db x.db run fix.lua
same_as_sql "after a script's corrections"
eq "$(q x.db "SELECT count(*) FROM village_contact_worker WHERE village_code = '$v1'")" \
   "$(q x.db "SELECT count(*) FROM village_contact WHERE village_code = '$v1'")" \
   "the village's contacts after the script"

# 5. edits in the sqlite3 shell: dates and qualifications changed, contacts
#    deleted, and (foreign keys off) a worker with contacts deleted
sqlite3 x.db "UPDATE village_contact SET until = '2022-12-01' WHERE rowid % 5 = 0;
              UPDATE worker SET hired = '2023-01-01' WHERE rowid % 7 = 0;
              DELETE FROM village_contact WHERE rowid % 11 = 0;
              DELETE FROM worker WHERE code = '$w2'"
same_as_sql "after sqlite3 edits"

# 6. the check reads village_contact_worker; the doctor finds a hand-made
#    difference, lists it and repairs it. A village with a contact current
#    and qualified at the end of 2022:
vq=$(q x.db "SELECT village_code FROM village_contact_worker WHERE qualification <> 'none'
             AND (hired IS NULL OR hired <= '2022-12-31') AND (left_on IS NULL OR left_on > '2022-12-31')
             AND (since IS NULL OR since <= '2022-12-31') AND (until IS NULL OR until > '2022-12-31')
             ORDER BY 1 LIMIT 1")
station=${vq:0:9}
finding() { # the station's village_contacts finding, if any
    "$SWS" --db x.db --no-plugins check --year 2022 --as-of 2022-12-31 --format csv \
        >"$W/out" 2>"$W/err" || true
    grep "^\"village_contacts\",[^,]*,[^,]*,\"$station\"," "$W/out" || true
}
before=$(finding)
sqlite3 x.db "UPDATE village_contact_worker SET qualification = 'none' WHERE village_code = '$vq'"
[ "$(finding)" != "$before" ] || fail "the check did not read village_contact_worker"
run 3 "$SWS" --db x.db --no-plugins doctor
has "$W/out" "village $vq, contact" "(kept)" "(in the records)" \
    "1 contact of village_contact_worker differs from the contacts and their workers" \
    "run \`sws doctor --repair\`"
run 0 "$SWS" --db x.db --no-plugins doctor --repair
has "$W/out" "recomputed from the records"
same_as_sql "after the repair"
eq "$(finding)" "$before" "the check after the repair"
echo "village_contact_worker stayed equal to the contacts and their workers"
