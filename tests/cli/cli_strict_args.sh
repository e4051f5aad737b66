#!/bin/bash
# cli_strict_args.sh — numbers and dates given on the command line are
# parsed strictly: trailing text, fractions, spaces, overflow and dates that
# are not on the calendar are refused (exit 2) with the accepted form, and
# `sws run` refuses a folder.
set -eu
. "$(dirname "$0")/testlib.bash"

run 0 "$SWS" --db x.db init
for y in 2022x 2022.5 " 2022" "2022 " "" 99999999999999999999 1999 2101; do
    run 2 "$SWS" --db x.db check --year "$y"
    has "$W/err" "--year \"$y\":" "a year such as 2022"
    run 2 "$SWS" --db x.db eval score --phase final --year "$y"
    has "$W/err" "--year"
    run 2 "$SWS" generate --townships t.csv --out o --year "$y"
    has "$W/err" "--year \"$y\"" "--year 2000-2100"
done
for opt in --memory --budget --hook-budget; do
    for v in 99999999999999999999 0 -5 " 5" 5x 1.5; do
        run 2 "$SWS" --db x.db "$opt" "$v" summary
        has "$W/err" "$opt \"$v\":" " from 1 to "
    done
done
# the largest memory budget that fits: 1 TiB; one more MiB is refused
run 2 "$SWS" --db x.db --memory 1048577 summary
has "$W/err" "must be between 1 and 1048576"
run 0 "$SWS" --db x.db --memory 1048576 summary
for d in 2022-02-30 2022-13-01 2022-2-3 2022/02/03 " 2022-02-03" 2021-02-29; do
    run 2 "$SWS" --db x.db check --as-of "$d"
    has "$W/err" "--as-of \"$d\":" "YYYY-MM-DD"
    run 2 "$SWS" --db x.db workflow status --county 330302 --as-of "$d"
    has "$W/err" "--as-of"
    run 2 "$SWS" --db x.db import services s.csv --as-of "$d"
    has "$W/err" "--as-of \"$d\""
done
# the boundaries themselves pass
run 0 "$SWS" --db x.db check --rules --year 2000 --as-of 2020-02-29
run 0 "$SWS" --db x.db check --rules --year 2100
for v in " 50" 50x 101 -1; do
    run 2 "$SWS" policy test --coverage-min "$v"
    has "$W/err" "--coverage-min \"$v\":" "a percentage from 0 to 100"
done
# sws run needs a script, not a folder
mkdir scripts.d
run 2 "$SWS" --db x.db run scripts.d
has "$W/err" "scripts.d is a folder, not a script"
run 1 "$SWS" --db x.db run no-such.lua
has "$W/err" "cannot open no-such.lua"
echo "ok"
