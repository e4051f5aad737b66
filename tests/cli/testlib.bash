# testlib.bash — sourced by the tests in tests/cli/*.sh (it is not a test itself).
#
# Gives each test a scratch folder $W (removed on exit), and small checks
# that say what went wrong. ctest sets SWS (the binary), SWS_HOME (the
# source tree, for data/) and SWS_TEST_DATA (tests/data).

: "${SWS:?set SWS to the sws binary}"
: "${SWS_HOME:?set SWS_HOME to the source tree}"
: "${SWS_TEST_DATA:?set SWS_TEST_DATA to tests/data}"

W=$(mktemp -d "${TMPDIR:-/tmp}/sws-cli.XXXXXX")
trap 'rm -rf "$W"' EXIT
unset SWS_DB
cd "$W"

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# run STATUS CMD [ARGS…]: runs CMD with its stdout in $W/out and stderr in
# $W/err, and fails the test unless it exits with STATUS.
run() {
    local want=$1 got=0
    shift
    "$@" >"$W/out" 2>"$W/err" || got=$?
    if [ "$got" != "$want" ]; then
        echo "--- stdout" >&2; cat "$W/out" >&2
        echo "--- stderr" >&2; cat "$W/err" >&2
        fail "'$*' exited $got, expected $want"
    fi
}

# has FILE TEXT…: each TEXT (a fixed string) appears in FILE.
has() {
    local f=$1
    shift
    for t in "$@"; do
        grep -qF -- "$t" "$f" || { cat "$f" >&2; fail "$(basename "$f") lacks: $t"; }
    done
}

# lacks FILE TEXT…: no TEXT appears in FILE.
lacks() {
    local f=$1
    shift
    for t in "$@"; do
        if grep -qF -- "$t" "$f"; then cat "$f" >&2; fail "$(basename "$f") shows: $t"; fi
    done
}

# eq GOT WANT WHAT: the two values are equal.
eq() {
    [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# q DB SQL: one query's output.
q() {
    sqlite3 "$1" "$2"
}

# kept_agrees DB WHEN TABLE KEPT_SQL FRESH_SQL: the rows sws keeps in TABLE
# (KEPT_SQL) equal those plain SQL recomputes from the records (FRESH_SQL),
# row by row, and `sws doctor` finds TABLE in step; WHEN says at which step
# of the test.
kept_agrees() {
    local kept fresh
    kept=$(sqlite3 "$1" "$4")
    fresh=$(sqlite3 "$1" "$5")
    [ "$kept" = "$fresh" ] ||
        fail "$2: $3 differs from the records: $(diff <(echo "$kept") <(echo "$fresh") | head -5)"
    run 0 "$SWS" --db "$1" --no-plugins doctor
    has "$W/out" "$3 with"
}

# set_schedule POLICY.lua: replaces the `schedule = { … },` block of a copy
# of the city policy with the entries read from stdin (one per line).
set_schedule() {
    /usr/bin/python3 -c '
import sys
p = sys.argv[1]
s = open(p).read()
a = s.index("  schedule = {")
b = s.index("\n  },\n", a) + 5
s = s[:a] + "  schedule = {\n" + sys.stdin.read() + "  },\n" + s[b:]
open(p, "w").write(s)' "$1"
}

# import_killed DB KIND FILE SECONDS: starts `sws import KIND FILE` on DB
# and kills it with kill -9 SECONDS later (unless it finished before).
import_killed() {
    "$SWS" --db "$1" --no-plugins import "$2" "$3" >/dev/null 2>&1 &
    local pid=$!
    sleep "$4"
    kill -9 $pid 2>/dev/null || true
    wait $pid 2>/dev/null || true
}

# load_generated DB TOWNSHIPS.csv: a new database DB with Wenzhou's counties,
# the townships of TOWNSHIPS.csv, and stations, villages and workers that
# `sws generate` makes for them (in gen/).
load_generated() {
    "$SWS" generate --townships "$2" --out gen --services 50 --seed 5 >/dev/null
    run 0 "$SWS" --db "$1" init
    run 0 "$SWS" --db "$1" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
    run 0 "$SWS" --db "$1" import townships "$2"
    for kind in stations villages workers; do
        run 0 "$SWS" --db "$1" --no-plugins import $kind gen/$kind.csv
    done
}

# load_wenzhou_units DB SERVICES KIND…: a new database DB with Wenzhou's
# counties and townships, the two industrial zones and the townships they
# administer, and the generated KINDs (in gen/, SERVICES service records).
load_wenzhou_units() {
    local db=$1 services=$2
    shift 2
    "$SWS" generate --townships "$SWS_HOME/data/wenzhou_townships.csv" --out gen \
        --services "$services" >/dev/null
    "$SWS" --db "$db" init >/dev/null
    "$SWS" --db "$db" --no-plugins import counties "$SWS_HOME/data/wenzhou_counties.csv" >/dev/null
    "$SWS" --db "$db" --no-plugins import townships "$SWS_HOME/data/wenzhou_townships.csv" >/dev/null
    "$SWS" --db "$db" --no-plugins import counties "$SWS_HOME/data/wenzhou_zones.csv" >/dev/null
    "$SWS" --db "$db" --no-plugins import townships "$SWS_HOME/data/wenzhou_zone_townships.csv" \
        >/dev/null
    for kind in "$@"; do
        "$SWS" --db "$db" --no-plugins import "$kind" "gen/$kind.csv" >/dev/null
    done
}

# load_eval_city DB AREA…: a scratch SWS_HOME (exported) whose city policy is
# tests/data/policies/eval_city.lua (A1.1 earns area / 10), and a new database
# DB with Wenzhou's counties and a station of 龙湾区 (330303) per AREA in m²:
# 330303001 with the first, 330303002 with the second, …
load_eval_city() {
    local db=$1 i=0
    shift
    mkdir -p home/policies
    cp "$SWS_TEST_DATA/policies/eval_city.lua" home/policies/default.lua
    export SWS_HOME="$W/home"
    echo "code,name,county_code" > t.csv
    echo "code,name,area_m2,opened" > s.csv
    for area in "$@"; do
        i=$((i + 1))
        printf '3303030%02d,测试%02d街道,330303\n' $i $i >> t.csv
        printf '3303030%02d,站%02d,%s,2022-01-10\n' $i $i "$area" >> s.csv
    done
    run 0 "$SWS" --db "$db" init
    run 0 "$SWS" --db "$db" import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
    run 0 "$SWS" --db "$db" import townships t.csv
    run 0 "$SWS" --db "$db" import stations s.csv
}

# a1_points FILE CODE: the points of item A1.1 (eval_city's area item, the
# ninth column) of station CODE in the CSV ranking FILE.
a1_points() { grep ",$2," "$1" | tr -d '"' | awk -F, '{print $9}'; }
