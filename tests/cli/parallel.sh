#!/bin/bash
# parallel.sh — `sws check` and `sws eval score` share their chunks of
# stations among worker processes (--jobs N): the findings and the scores
# are the same with one process or several, a county whose policy fails to
# load is reported once, an error in any chunk ends the run as it does in one
# process, and --jobs takes 1 to 8.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H"
cp -r "$SWS_HOME/policies" "$SWS_HOME/plugins" "$H/"
# a plugin rule that counts the chunks it saw (state kept between chunks)
mkdir -p "$H/plugins/probe"
cat > "$H/plugins/probe/manifest.lua" <<'LUA'
return { name = "probe", version = "1.0.0", api = 1, requires = {}, counties = "*",
  description = "a rule that sees every chunk" }
LUA
cat > "$H/plugins/probe/init.lua" <<'LUA'
local chunks = 0
sws.rule("probe", function(ctx)
  chunks = chunks + 1
  ctx.find(ctx.stations[1].code, { message = "chunk " .. chunks, actual = chunks, required = 0 })
end, { severity = "advice" })
LUA
export SWS_HOME_SHIPPED="$SWS_HOME" SWS_HOME="$H"

# Beijing, Tianjin and Hebei: about 3,000 stations, several chunks of whole counties
awk -F, 'NR == 1 || $4 == "11" || $4 == "12" || $4 == "13"' \
    "$SWS_HOME_SHIPPED/data/china_townships.csv" > towns.csv
awk -F, 'NR == 1 || $4 == "11" || $4 == "12" || $4 == "13"' \
    "$SWS_HOME_SHIPPED/data/china_counties.csv" > counties.csv
"$SWS" generate --townships towns.csv --counties counties.csv --out gen --services 3000 \
    --seed 3 --year 2022 >/dev/null
db=p.db
run 0 "$SWS" --db $db init
run 0 "$SWS" --db $db --no-plugins import counties counties.csv
run 0 "$SWS" --db $db --no-plugins import townships towns.csv
for kind in townships villages stations rooms facilities institutions workers trainings worktime \
        contacts mentoring volunteers volunteer_service orgs charity clients funding services; do
    run 0 "$SWS" --db $db --no-plugins import $kind gen/$kind.csv
done
stations=$(q $db "SELECT count(*) FROM station")
[ "$stations" -gt 2500 ] || fail "only $stations stations generated"
# the check's chunks: whole counties, closed at 500 stations (core/check_rules.c)
check_chunks=$(q $db "SELECT count(*) FROM station GROUP BY substr(code, 1, 6) ORDER BY substr(code, 1, 6)" |
    awk '{ if (!n) c++; n += $1; if (n >= 500) n = 0 } END { print c }')
[ "$check_chunks" -ge 3 ] || fail "only $check_chunks chunks of whole counties"

check() { # STATUS JOBS: the check's CSV in check.JOBS.csv, its stderr in check.JOBS.err
    local j=$2
    run "$1" "$SWS" --db $db --verbose check --year 2022 --as-of 2022-12-31 --format csv --jobs "$j"
    cp "$W/out" check.$j.csv
    grep -v '^DEBUG' "$W/err" > check.$j.err || true
}
score() { # JOBS: the scores' JSON in eval.JOBS.json
    run 3 "$SWS" --db $db --verbose eval score --year 2022 --phase final --format json --jobs "$1"
    cp "$W/out" eval.$1.json
    grep -v '^DEBUG' "$W/err" > eval.$1.err || true
}

# ---- the same findings and scores, whatever the processes --------------------
check 3 1
has "$W/err" "DEBUG [check] $check_chunks chunks of stations, 1 process"
check 3 2
has "$W/err" "DEBUG [check] $check_chunks chunks of stations, 2 processes"
check 3 8
most=$(( check_chunks < 8 ? check_chunks : 8 )) # never more than the chunks
has "$W/err" "DEBUG [check] $check_chunks chunks of stations, $most processes"
# findings in the first chunk and the last: Beijing's stations and Hebei's
grep -q '"11[0-9]\{7\}"' check.1.csv && grep -q '"13[0-9]\{7\}"' check.1.csv ||
    fail "no findings in one of the chunks"
cmp check.1.csv check.2.csv || fail "the findings differ between 1 and 2 processes"
cmp check.1.csv check.8.csv || fail "the findings differ between 1 and 8 processes"
# the plugins' rules still run, in the calling process: one state over the chunks
has check.2.csv '"chunk 1"' '"chunk 2"'

# the evaluation's chunks hold 500 stations (core/evaluate.c)
eval_chunks=$(( (stations + 499) / 500 ))
score 1
has "$W/err" "DEBUG [eval] $eval_chunks chunks of stations, 1 process"
score 2
has "$W/err" "DEBUG [eval] $eval_chunks chunks of stations, 2 processes"
cmp eval.1.json eval.2.json || fail "the scores differ between 1 and 2 processes"
grep -qE '"code":\s+"130' eval.2.json && grep -qE '"code":\s+"110' eval.2.json ||
    fail "no scores in one of the chunks"

# the default is one process per CPU (at most 8): the same results
run 3 "$SWS" --db $db eval score --year 2022 --phase final --format json
cmp "$W/out" eval.1.json || fail "the scores of the default run differ"

# ---- a county whose policy fails to load: reported once ------------------------
printf 'return sws.policy.extend("default", {\n  name = "130102",\n  standards = { min_area_m2 = = 1 },\n})\n' \
    > "$H/policies/130102.lua"
for j in 1 2; do
    check 1 $j # a county left out is an error
    eq "$(grep -c "the policy of county 130102 failed to load" check.$j.err)" 1 \
        "reports of the broken county (check, $j processes)"
    score $j
    eq "$(grep -c "the policy of county 130102 failed to load" eval.$j.err)" 1 \
        "reports of the broken county (eval, $j processes)"
done
cmp check.1.csv check.2.csv || fail "the findings differ with a broken county"
cmp eval.1.json eval.2.json || fail "the scores differ with a broken county"
if grep -qE '"code":\s+"130102' eval.2.json; then fail "the broken county was scored"; fi
rm "$H/policies/130102.lua"

# ---- an error in a chunk ends the run, as in one process ----------------------
# (Tianjin's counties and Hebei's fall in different chunks: each fails)
for county in 120101 130102; do
    cat > "$H/policies/$county.lua" <<EOF
return sws.policy.extend("default", {
  name = "$county",
  indicators = { aggregates = { broken = { sql = "SELECT station_code FROM no_such_table" } } },
})
EOF
done
for j in 1 2; do
    run 1 "$SWS" --db $db eval score --year 2022 --phase final --jobs $j
    has "$W/err" "indicators.aggregates.broken" "no such table: no_such_table"
    lacks "$W/err" "worker process"
done
rm "$H/policies/120101.lua" "$H/policies/130102.lua"

# ---- --jobs takes 1 to 8 -----------------------------------------------------------
for bad in 0 9 two -1; do
    run 2 "$SWS" --db $db check --jobs $bad
    has "$W/err" "--jobs \"$bad\"" "1 to 8"
    run 2 "$SWS" --db $db eval score --year 2022 --phase final --jobs $bad
    has "$W/err" "--jobs \"$bad\""
done
run 2 "$SWS" --db $db eval explain 130102001 --year 2022 --jobs 2
echo ok
