#!/bin/bash
# cli_generate.sh — `sws generate` is deterministic: the same seed gives the
# same files, another seed other files, and a city generated alone equals
# that city's rows of a province-wide run.
set -eu
. "$(dirname "$0")/testlib.bash"

WZ="$SWS_HOME/data/wenzhou_townships.csv"
ZJ="$SWS_HOME/data/zhejiang_townships.csv"
[ -f "$WZ" ] && [ -f "$ZJ" ] || fail "township data missing under $SWS_HOME/data"

run 0 "$SWS" generate --townships "$WZ" --out "$W/a" --seed 7
has "$W/out" "186 stations"
run 0 "$SWS" generate --townships "$WZ" --out "$W/b" --seed 7
run 0 "$SWS" generate --townships "$WZ" --out "$W/c" --seed 8

kinds="townships villages stations rooms facilities institutions workers trainings worktime
contacts mentoring volunteers volunteer_service orgs charity clients services funding"
for k in $kinds; do
    [ -s "$W/a/$k.csv" ] || fail "$k.csv missing or empty"
    cmp -s "$W/a/$k.csv" "$W/b/$k.csv" || fail "$k.csv differs between two runs with seed 7"
done
for k in stations workers services; do
    if cmp -s "$W/a/$k.csv" "$W/c/$k.csv"; then fail "$k.csv is the same for seeds 7 and 8"; fi
done
eq "$(tail -n +2 "$W/a/stations.csv" | wc -l)" 186 "stations generated"
has "$W/a/SYNTHETIC.txt" "合成" "seed 7"
# every made-up person is labelled synthetic
eq "$(awk -F, 'NR > 1 && $3 !~ /合成/' "$W/a/workers.csv" | wc -l)" 0 "unlabelled workers"

# Wenzhou inside a Zhejiang-wide run: the same rows
run 0 "$SWS" generate --townships "$ZJ" --out "$W/zj" --seed 7
for k in stations villages rooms services funding; do
    grep '^3303' "$W/zj/$k.csv" >"$W/zj-wz.csv" || true
    tail -n +2 "$W/a/$k.csv" >"$W/wz.csv"
    [ -s "$W/wz.csv" ] || fail "no Wenzhou rows in $k.csv"
    cmp -s "$W/zj-wz.csv" "$W/wz.csv" || fail "$k.csv: Wenzhou rows differ inside the Zhejiang run"
    eq "$(head -n 1 "$W/zj/$k.csv")" "$(head -n 1 "$W/a/$k.csv")" "$k.csv header"
done
grep '^W3303' "$W/zj/workers.csv" >"$W/zj-wz.csv"
tail -n +2 "$W/a/workers.csv" | cmp -s - "$W/zj-wz.csv" || fail "workers differ inside Zhejiang"

# --coverage: a share of the townships gets a station, each as in the full run
run 0 "$SWS" generate --townships "$ZJ" --out "$W/zj75" --seed 7 --coverage 0.75
full=$(($(wc -l < "$W/zj/stations.csv") - 1))
part=$(($(wc -l < "$W/zj75/stations.csv") - 1))
[ $((part * 100)) -ge $((full * 70)) ] && [ $((part * 100)) -le $((full * 80)) ] ||
    fail "--coverage 0.75 gave $part of $full stations"
eq "$(($(wc -l < "$W/zj75/townships.csv") - 1))" "$(($(wc -l < "$W/zj/townships.csv") - 1))" \
    "townships under --coverage"
tail -n +2 "$W/zj75/rooms.csv" | head -50 > "$W/some.csv"
grep -F -x -f "$W/some.csv" "$W/zj/rooms.csv" | cmp -s - "$W/some.csv" ||
    fail "a covered township's rows differ from the full run"
run 2 "$SWS" generate --townships "$ZJ" --out "$W/bad" --coverage 1.5
run 2 "$SWS" generate --townships "$ZJ" --out "$W/bad" --coverage 0

# every --year it accepts, the earliest included (older years of history),
# each year with the same clients, workers and volunteers (a history's
# records refer to them)
run 0 "$SWS" generate --townships "$ZJ" --out "$W/y2022" --services 500 --year 2022
for y in 2000 2018 2019 2020; do
    run 0 "$SWS" generate --townships "$ZJ" --out "$W/y$y" --services 500 --year $y
    for kind in clients workers volunteers; do
        cmp -s <(cut -d, -f1 "$W/y$y/$kind.csv") <(cut -d, -f1 "$W/y2022/$kind.csv") ||
            fail "--year $y: other $kind than in 2022"
    done
    [ "$(tail -n +2 "$W/y$y/services.csv" | cut -d, -f4 | cut -c1-4 | sort -u)" = "$y" ] ||
        fail "--year $y: service records outside $y"
    ! tail -n +2 "$W/y$y/clients.csv" | cut -d, -f11 | grep -q "^$((y + 1))" ||
        fail "--year $y: a consent dated after $y"
done

echo "ok"
