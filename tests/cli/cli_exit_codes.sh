#!/bin/bash
# cli_exit_codes.sh — exit statuses and help: 0 success, 1 error, 2 usage error.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/t.db"

run 0 "$SWS" --version
grep -qE '^sws [0-9]+\.[0-9]+' "$W/out" || fail "--version prints no version"
run 0 "$SWS" help
has "$W/out" "usage: sws" "commands:" "Exit status"
run 0 "$SWS" --help
has "$W/out" "commands:"

# every command's --help, without touching the database or running anything
for c in init import generate demo summary help; do
    run 0 "$SWS" --db "$DB" "$c" --help
    has "$W/out" "usage: sws [--db PATH] $c"
    run 0 "$SWS" help "$c"
    has "$W/out" "usage: sws [--db PATH] $c"
done
[ ! -e "$DB" ] || fail "--help created the database"
[ ! -e "$W/demo-data" ] || fail "demo --help ran the demo"

# `import KIND --help` lists the kind's columns and, for enumerations, their terms
run 0 "$SWS" import rooms --help
has "$W/out" "import rooms FILE.csv" "station" "kind" "area_m2" "case" "个案室" "social_work"
run 0 "$SWS" import workers --help
has "$W/out" "id_number" "birth_date" "phone" "驻站社工"

# usage errors: 2
run 2 "$SWS" nosuchcommand
has "$W/err" "nosuchcommand"
run 2 "$SWS" --nosuchoption help
has "$W/err" "--nosuchoption"
run 2 "$SWS"
run 2 "$SWS" help nosuchcommand
run 2 "$SWS" --db "$DB" import
has "$W/err" "which KIND"
run 2 "$SWS" --db "$DB" import nosuchkind x.csv
has "$W/err" "nosuchkind"
run 2 "$SWS" --db "$DB" import townships
run 2 "$SWS" --db "$DB" import townships a.csv --nosuchoption
run 2 "$SWS" --db "$DB" import townships a.csv --skip-bad
run 2 "$SWS" --db "$DB" import townships a.csv b.csv
run 2 "$SWS" --db "$DB" init extra
run 2 "$SWS" generate --out "$W/g"
run 2 "$SWS" generate --townships x.csv --out "$W/g" --seed -1
run 2 "$SWS" generate --townships x.csv --out "$W/g" --year 1999
run 2 "$SWS" --db "$DB" demo --nosuchoption
run 2 "$SWS" --db "$DB" summary --format xml
[ ! -e "$DB" ] || fail "a usage error created the database"

# errors: 1
run 0 "$SWS" --db "$DB" init
has "$W/out" "schema version"
run 1 "$SWS" --db "$DB" import townships "$W/missing.csv"
has "$W/err" "missing.csv"
run 1 "$SWS" generate --townships "$W/missing.csv" --out "$W/g"

# a database from a newer sws is refused, and left alone
run 0 "$SWS" --db "$DB" summary
q "$DB" "PRAGMA user_version = 99"
run 1 "$SWS" --db "$DB" init
has "$W/err" "newer"
run 1 "$SWS" --db "$DB" summary
eq "$(q "$DB" 'PRAGMA user_version')" 99 "schema version after refusal"

echo "ok"
