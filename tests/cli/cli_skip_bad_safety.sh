#!/bin/bash
# cli_skip_bad_safety.sh — `--skip-bad FILE` never truncates the input or
# the database: it refuses the input, the database and its WAL/SHM/journal,
# never overwrites a file, creates the file 0600, keeps every field of a bad
# row (those past the header too), and a write that fails (a full disk) is an
# error with exit 1 and nothing imported — never a short rejects file.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/city.db"
run 0 "$SWS" --db "$DB" init
run 0 "$SWS" --db "$DB" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
{
    printf 'code,name,county_code\n'
    printf '330302006,五马街道,330302\n'
    printf '33030200A,坏代码,330302\n'
} >"$W/in.csv"
cp "$W/in.csv" "$W/in.orig"
db_sum=$(md5sum <"$DB")

refused() { # refused PATH WHAT: --skip-bad PATH is refused naming WHAT; nothing changes
    run 1 "$SWS" --db "$DB" import townships "$W/in.csv" --skip-bad "$1"
    has "$W/err" "--skip-bad $1 $2"
    cmp -s "$W/in.csv" "$W/in.orig" || fail "the input changed"
    eq "$(md5sum <"$DB")" "$db_sum" "the database after a refused --skip-bad $1"
    eq "$(q "$DB" 'PRAGMA integrity_check')" ok "integrity"
    eq "$(q "$DB" 'SELECT count(*) FROM township')" 0 "townships stored"
}
refused "$W/in.csv" "is the file being imported"
refused "$DB" "is the database"
refused "$DB-wal" "is the database's wal"
refused "$DB-shm" "is the database's shm"
refused "$DB-journal" "is the database's journal"
# the same files under other names
ln -s "$DB" "$W/link.db"
refused "$W/link.db" "is the database"
cd "$W" && refused "./city.db" "is the database" && cd - >/dev/null
# an existing file is never overwritten
echo "keep me" >"$W/old.csv"
refused "$W/old.csv" "already exists"
eq "$(cat "$W/old.csv")" "keep me" "an existing file after --skip-bad"
for f in "$DB-wal" "$DB-shm" "$DB-journal"; do [ ! -e "$f" ] || [ -s "$f" ] || true; done

# a new file: created 0600, every field of a bad row kept (past the header too)
printf 'code,name,county_code\n330302006,五马街道,330302\n33030200A,坏代码,330302,extra one,"extra, two"\n' \
    >"$W/wide.csv"
run 3 "$SWS" --db "$DB" import townships "$W/wide.csv" --skip-bad "$W/rejects.csv"
eq "$(stat -c %a "$W/rejects.csv")" 600 "mode of the rejects file"
has "$W/rejects.csv" '"33030200A","坏代码","330302",' '"extra one","extra, two"'
has "$W/out" "1 bad row written to $W/rejects.csv"

# a full disk: exit 1, nothing imported, no partial rejects file
{
    printf 'code,name,county_code\n'
    for i in $(seq 1 3000); do printf '3303020%02d,好街道%d,330302\n' $((i % 90 + 10)) "$i"; done
    for i in $(seq 1 6000); do printf '33030X%03d,坏街道%d,330302\n' $((i % 1000)) "$i"; done
} >"$W/big.csv"
before=$(q "$DB" 'SELECT count(*) FROM township')
# files may not grow past 256 KiB: the rejects (about 600 KiB) hit the limit
# (the bad rows listed on stderr go through a pipe, which the limit leaves alone;
# SQLite's own files, in pages of 16 KiB, stay below it: the log of the earlier
# imports is emptied first)
q "$DB" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
set +e
(ulimit -f 256; trap '' XFSZ; exec "$SWS" --db "$DB" import townships "$W/big.csv" \
    --skip-bad "$W/full.csv") 2>&1 >"$W/out" | tail -n 3 >"$W/err"
got=${PIPESTATUS[0]}
set -e
eq "$got" 1 "exit status on a full disk"
has "$W/err" "cannot write the rejects file $W/full.csv" "nothing was imported"
lacks "$W/out" "bad rows written"
[ ! -e "$W/full.csv" ] || fail "a partial rejects file was left behind"
eq "$(q "$DB" 'SELECT count(*) FROM township')" "$before" "townships after a full disk"
eq "$(q "$DB" 'PRAGMA integrity_check')" ok "integrity after a full disk"

echo "ok"
