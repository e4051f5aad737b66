#!/bin/bash
# cli_db_path.sh — --db: a missing file is an error for every command but
# init and demo (naming the path, creating nothing); "" and :memory: are
# refused; read-only commands open the database read-only and work in a
# folder the user cannot write.
set -eu
. "$(dirname "$0")/testlib.bash"

missing="$W/missing/city.db"
mkdir -p "$W/missing"
for cmd in "summary" "check --county 330302 --as-of 2022-12-31" "plugin list" \
           "workflow status --county 330303" \
           "workflow history 330302006" "import counties $SWS_TEST_DATA/wenzhou_counties.csv" \
           "eval score --year 2022 --phase final" "job run nothing" \
           "run $SWS_HOME/scripts/station_report.lua 330302006"; do
    # shellcheck disable=SC2086
    run 1 "$SWS" --db "$missing" $cmd
    has "$W/err" "no database at $missing" "sws --db $missing init"
    [ ! -e "$missing" ] || fail "'$cmd' created $missing"
done
# policies are files: checking and showing them needs no database, and makes none
run 0 "$SWS" --db "$missing" policy check
run 0 "$SWS" --db "$missing" policy show 330302
[ ! -e "$missing" ] || fail "policy check or show created $missing"
# SWS_DB names it too
SWS_DB="$missing" run 1 "$SWS" summary
has "$W/err" "no database at $missing"

for bad in "" ":memory:" "file:x.db?mode=memory"; do
    run 2 "$SWS" --db "$bad" init
    has "$W/err" "is not a database file"
    SWS_DB="$bad" run 2 "$SWS" summary
    has "$W/err" "\$SWS_DB"
done

# init creates it
run 0 "$SWS" --db "$missing" init
[ -f "$missing" ] || fail "init did not create the database"
# a new file is made with 16 KiB pages (SWS_PAGE_BYTES, core/db.c)
eq "$(sqlite3 "$missing" 'PRAGMA page_size')" 16384 "the page size of a new database"
run 0 "$SWS" --db "$missing" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
run 0 "$SWS" --db "$missing" import townships "$SWS_TEST_DATA/check/townships.csv"
run 0 "$SWS" --db "$missing" import stations "$SWS_TEST_DATA/check/stations.csv"
run 0 "$SWS" --db "$missing" workflow start 330303001 --actor 龙湾区民政局 --role county --as-of 2022-01-04

# a read-only folder: read-only commands work and change nothing. Root
# writes through any permission, so as root the folder is mounted
# read-only in a private mount namespace (unshare) instead.
ro="$W/ro"
mkdir "$ro"
cp "$missing" "$ro/city.db"
chmod 0444 "$ro/city.db"
chmod 0555 "$ro"
ro_run() {
    if [ "$(id -u)" = 0 ]; then
        unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift &&
                          exec "$@"' sh "$ro" "$@"
    else
        "$@"
    fi
}
sum_before=$(md5sum <"$ro/city.db")
run 0 ro_run "$SWS" --db "$ro/city.db" summary --format json
has "$W/out" '"counties"'
run 3 ro_run "$SWS" --db "$ro/city.db" check --county 330303 --as-of 2022-12-31
has "$W/out" "330303002"
run 0 ro_run "$SWS" --db "$ro/city.db" policy show 330302
run 0 ro_run "$SWS" --db "$ro/city.db" workflow status --county 330303
eq "$(md5sum <"$ro/city.db")" "$sum_before" "the database after read-only commands"
eq "$(ls -A "$ro")" "city.db" "files in the read-only folder"
# a command that writes fails, saying so
run 1 ro_run "$SWS" --db "$ro/city.db" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
chmod 0755 "$ro"

echo "ok"
