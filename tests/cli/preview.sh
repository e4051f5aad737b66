#!/usr/bin/env bash
# `sws policy preview`, `sws policy diff`, stored evaluation runs and
# `workflow advance --dry-run` on the demo database.
#
# The preview's answers are checked against what the same change does when it
# is really made (the proposed file copied into a scratch home, `sws check`
# and `sws eval score` run there), and the database is proved untouched by a
# preview or a dry run: the same SHA-256 of the file's bytes and of its SQL
# dump before and after.
set -eu
. "$(dirname "$0")/testlib.bash"

DB="$W/demo.db"
run 0 "$SWS" --db "$DB" demo --out "$W/dd"

# hash: the file's bytes and its content (the SQL dump)
hash() { echo "$(sha256sum < "$DB" | cut -c1-64) $(sqlite3 "$DB" .dump | sha256sum | cut -c1-64)"; }
untouched() {
    eq "$(hash)" "$before" "database bytes and content after $1"
    [ ! -e "$DB-wal" ] || [ ! -s "$DB-wal" ] || fail "$1 left a write-ahead log"
}

# a scratch home whose policies are the shipped ones with the proposal in place
live_home="$SWS_HOME"
with_proposal() { # FOLDER FILE…: FOLDER gets the live policies, then the files over them
    local dir=$1
    shift
    mkdir -p "$dir/policies"
    cp "$live_home"/policies/*.lua "$dir/policies/"
    ln -s "$live_home/plugins" "$dir/plugins"
    ln -s "$live_home/data" "$dir/data"
    for f in "$@"; do cp "$f" "$dir/policies/"; done
}

# ---- must show: training hours 40 → 48 in 龙湾区 (330303) -----------------
mkdir prop
cat > prop/330303.lua <<'LUA'
-- proposed: 龙湾区 asks 48 training hours a year
return sws.policy.extend("default", {
  name = "330303",
  version = "2021.1",
  standards = { min_training_hours = 48 },
})
LUA
before=$(hash)
run 0 "$SWS" --db "$DB" policy preview 330303 --with prop/330303.lua --year 2022
cp "$W/out" preview.txt
untouched "a preview"
has preview.txt "Nothing was written" "Compliance check:" "Evaluation (2022 final):" \
    "County ranking before | after" "Workflow: 0 of 10 next advances change"

# the stations that really gain the finding when the file is put in place
with_proposal real "prop/330303.lua"
"$SWS" --db "$DB" check --county 330303 --year 2022 --as-of 2022-12-31 --format csv \
    > live.csv 2>/dev/null || true
SWS_HOME="$W/real" "$SWS" --db "$DB" check --county 330303 --year 2022 --as-of 2022-12-31 \
    --format csv > real.csv 2>/dev/null || true
untouched "two checks"
grep training_hours live.csv | cut -d, -f4 | tr -d '"' | sort -u > live_training || true
grep training_hours real.csv | cut -d, -f4 | tr -d '"' | sort -u > real_training
comm -13 live_training real_training > gained
[ -s gained ] || fail "the proposal should add training findings in the demo"
# every station with a "+ training_hours" line (the station line precedes its findings)
awk '/^  [0-9]+ /{st=$1} /^    \+ training_hours/{print st}' preview.txt | sort > shown
eq "$(cat shown)" "$(cat gained)" "stations that gain the training finding"
eq "$(grep -c '^    [-~] ' preview.txt || true)" 0 "findings that disappear or change"

# each one's score and rank after, as the real change scores them
SWS_HOME="$W/real" "$SWS" --db "$DB" eval score --year 2022 --phase final --format csv \
    > real_scores.csv 2>/dev/null || true
"$SWS" --db "$DB" eval score --year 2022 --phase final --format csv > live_scores.csv \
    2>/dev/null || true
untouched "two evaluations"
run 0 "$SWS" --db "$DB" policy preview 330303 --with prop/330303.lua --year 2022 --format json
cp "$W/out" preview.json
jq_rows() { # SQL over the preview's JSON
    sqlite3 :memory: "SELECT $1 FROM json_each(json_extract(readfile('preview.json'), '$2'))"
}
while read -r st; do
    real_total=$(awk -F, -v s="$st" '$5 == s {print $(NF-6)}' real_scores.csv)
    real_rank=$(awk -F, -v s="$st" '$5 == s {print $7"/"$8}' real_scores.csv)
    live_total=$(awk -F, -v s="$st" '$5 == s {print $(NF-6)}' live_scores.csv)
    got=$(jq_rows "printf('%.2f %.2f %d/%d', json_extract(value, '\$.total.before'),
        json_extract(value, '\$.total.after'), json_extract(value, '\$.rank_county.after'),
        json_extract(value, '\$.rank_city.after'))" '$.evaluation.stations' \
        | sed -n "$(jq_rows "json_extract(value, '\$.station')" '$.evaluation.stations' \
                    | grep -n "^$st\$" | cut -d: -f1)p")
    eq "$got" "$(printf '%.2f %.2f %s' "$live_total" "$real_total" "$real_rank")" \
        "station $st: total before, after and ranks after"
    [ "$live_total" != "$real_total" ] || fail "station $st: the score should change"
done < gained
eq "$(jq_rows "json_extract(value, '\$.change')" '$.findings' | sort -u)" appears \
    "JSON finding changes"
eq "$(jq_rows "json_extract(value, '\$.place')" '$.findings' | sort)" "$(cat gained)" \
    "JSON stations that gain a finding"
run 0 "$SWS" --db "$DB" policy preview --with prop/330303.lua --year 2022 --format html
has "$W/out" "<!DOCTYPE html>" "<svg" "Largest rank moves" "Compliance findings"
untouched "previews in JSON and HTML"

# ---- a proposal that does not validate: reported as policy check does ------
cat > prop/bad.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330303",
  version = "2021.1",
  standards = { min_training_hours = 30 },
})
LUA
run 1 "$SWS" --db "$DB" policy preview 330303 --with prop/bad.lua --year 2022
has "$W/err" "prop/bad.lua:4: 'standards.min_training_hours' = 30 is outside the city's bounds" \
    "nothing was previewed"
eq "$(cat "$W/out")" "" "output of a refused preview"
run 2 "$SWS" --db "$DB" policy preview 330303 --year 2022
run 2 "$SWS" --db "$DB" policy preview 330303 --with prop/330303.lua --format pdf
run 1 "$SWS" --db "$DB" policy preview --with prop/nowhere.lua
has "$W/err" "no proposed policy file or folder prop/nowhere.lua"
cp prop/bad.lua prop/proposal.lua
run 1 "$SWS" --db "$DB" policy preview --with prop/proposal.lua
has "$W/err" "prop/proposal.lua: name the county it is for"
untouched "refused previews"

# a plugin that commits behind the preview's back writes nothing either
mkdir -p spy/plugins/spy
cat > spy/plugins/spy/manifest.lua <<'LUA'
return { name = "spy", version = "1.0.0", api = 1, requires = {}, counties = "*",
         tables = { "seen" }, description = "tries to write during a preview" }
LUA
cat > spy/plugins/spy/init.lua <<'LUA'
local sws = require "sws"
sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_spy_seen(n INTEGER)")
sws.rule("spy", function(ctx)
  pcall(sws.db.exec, "COMMIT")
  pcall(sws.db.exec, "CREATE TABLE IF NOT EXISTS plugin_spy_seen(n INTEGER)")
  sws.db.exec("INSERT INTO plugin_spy_seen VALUES (1)")
end, { severity = "advice", doc = "writes during a check" })
sws.on("workflow.before_transition", function(ev)
  pcall(sws.db.exec, "COMMIT")
  sws.db.exec("INSERT INTO plugin_spy_seen VALUES (2)")
end)
LUA
cp -r "$live_home/policies" spy/
ln -s "$live_home/data" spy/data
# (its COMMIT is refused at the statement: no plugin ends a transaction it
# runs inside; its writes go down with the preview's)
SWS_HOME="$W/spy" run 0 "$SWS" --db "$DB" policy preview 330303 --with prop/330303.lua \
    --year 2022
eq "$(q "$DB" "SELECT count(*) FROM sqlite_master WHERE name = 'plugin_spy_seen'")" 0 \
    "tables of a plugin that committed during a preview"
untouched "a preview with a plugin that commits"

# ---- workflow: a new guard, and a new version ------------------------------
cat > prop/330303.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330303",
  version = "2021.2",
  standards = { min_area_m2 = 200 },
  workflow = { enter = { midterm = { "area" } } },
})
LUA
run 0 "$SWS" --db "$DB" policy preview 330303 --with prop/330303.lua --year 2022
cp "$W/out" wf.txt
untouched "a workflow preview"
small=$(q "$DB" "SELECT s.code FROM station s JOIN workflow_instance w ON w.station_code = s.code
                 WHERE s.code LIKE '330303%' AND w.stage = 'operating' AND s.area_m2 < 200
                 ORDER BY 1")
[ -n "$small" ] || fail "the demo should have stations of 龙湾区 under 200 m²"
eq "$(grep -o '^  33030[0-9]* .*: operating → midterm would now be refused (was allowed)' wf.txt \
      | cut -c3-11)" "$small" "advances the new guard refuses"
has wf.txt "is below 200 m²" "Instances pinned to another version than the proposed policy: 10 of 10" \
    "330303 2021.1 → 330303 2021.2"

# ---- workflow advance --dry-run writes nothing ---------------------------
st=$(echo "$small" | head -1)
events=$(q "$DB" "SELECT count(*) FROM workflow_event")
run 0 "$SWS" --db "$DB" workflow advance "$st" midterm --actor 测试 --role assessor --dry-run
has "$W/out" "dry run: nothing is written" "no guard for entering 'midterm'" \
    "would move: operating → midterm"
untouched "a dry-run advance"
with_proposal wfhome prop/330303.lua
q "$DB" "UPDATE workflow_instance SET policy_version = '2021.2' WHERE station_code = '$st'"
before=$(hash)
SWS_HOME="$W/wfhome" run 1 "$SWS" --db "$DB" workflow advance "$st" midterm --actor 测试 --role assessor --dry-run
has "$W/out" "would be refused" "guard 'area'" "is below 200 m²"
untouched "a refused dry run"
eq "$(q "$DB" "SELECT count(*) FROM workflow_rejection WHERE station_code = '$st'")" 0 \
    "refusal rows after a dry run"
eq "$(q "$DB" "SELECT count(*) FROM workflow_event")" "$events" "audit events after dry runs"
SWS_HOME="$W/wfhome" run 1 "$SWS" --db "$DB" workflow advance "$st" midterm --actor 测试 --role assessor
eq "$(q "$DB" "SELECT count(*) FROM workflow_rejection WHERE station_code = '$st'")" 1 \
    "a real refusal is still kept"
run 2 "$SWS" --db "$DB" workflow status "$st" --dry-run
q "$DB" "UPDATE workflow_instance SET policy_version = '2021.1' WHERE station_code = '$st'"
# a plugin that tries to commit during a dry run writes nothing (its table is
# made when it loads, before the dry run; its COMMIT is refused at the
# statement and its writes go down with the dry run's)
SWS_HOME="$W/spy" run 0 "$SWS" --db "$DB" plugin list
before=$(hash)
SWS_HOME="$W/spy" run 0 "$SWS" --db "$DB" workflow advance "$st" midterm --actor 测试 --role assessor --dry-run
eq "$(q "$DB" "SELECT count(*) FROM plugin_spy_seen")" 0 "rows a plugin wrote in a dry run"
untouched "a dry run with a plugin that commits"
eq "$(q "$DB" "SELECT count(*) FROM workflow_event")" "$events" "audit events after dry runs"

# ---- policy diff ------------------------------------------------------------
cat > prop/330303.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330303",
  version = "2021.1",
  standards = { min_training_hours = 48 },
})
LUA
run 0 "$SWS" --db "$DB" policy diff 330303 --against prop/330303.lua
has "$W/out" "policy 330303: proposed" \
    "~ standards.min_training_hours: 48 (" "prop/330303.lua:4) → 40 (policies/default.lua:" \
    "1 value differs"
run 0 "$SWS" --db "$DB" policy diff 330303 --against prop/330303.lua --format json
eq "$(sqlite3 :memory: "SELECT json_extract(readfile('$W/out'), '\$.differences')")" 1 \
    "differences in JSON"
if command -v git >/dev/null; then
    # a revision: the policies as committed, against the working copy
    with_proposal repo
    git -C repo init -q && git -C repo add policies \
        && git -C repo -c user.name=t -c user.email=t@t commit -qm policies
    cp prop/330303.lua repo/policies/330303.lua
    SWS_HOME="$W/repo" run 0 "$SWS" --db "$DB" policy diff --against HEAD
    has "$W/out" "policy 330303: revision HEAD → live" \
        "~ standards.min_training_hours: 40 (policies/default.lua:" \
        "→ 48 (policies/330303.lua:4)" "policy 330302: revision HEAD → live"
    SWS_HOME="$W/repo" run 1 "$SWS" --db "$DB" policy diff --against no-such-rev
    has "$W/err" "git cannot show revision 'no-such-rev'"
    SWS_HOME="$W/repo" run 1 "$SWS" --db "$DB" policy diff --against 'HEAD;rm'
fi
untouched "policy diffs"

# ---- stored evaluation runs ---------------------------------------------------
run 0 "$SWS" --db "$DB" eval runs
has "$W/out" "no evaluation run is stored"
run 0 "$SWS" --db "$DB" eval score --year 2022 --phase final --save --as-of 2022-12-31
has "$W/err" "stored as evaluation run 1"
eq "$(q "$DB" "SELECT count(*) FROM eval_run_station WHERE run = 1")" 186 "stations stored"
# 12 counties and the 2 industrial zones, each administering unit with its own policy
eq "$(q "$DB" "SELECT count(DISTINCT county) FROM eval_run_county WHERE run = 1")" 14 \
    "counties stored with their policy"
run1() { sqlite3 "$DB" "SELECT * FROM eval_run WHERE id = 1; SELECT * FROM eval_run_county
    WHERE run = 1; SELECT * FROM eval_run_station WHERE run = 1; SELECT * FROM
    eval_run_dimension WHERE run = 1; SELECT * FROM eval_run_item WHERE run = 1;
    SELECT * FROM eval_run_finding WHERE run = 1" | sha256sum; }
# scoring the same data with the same policies again stores the same run
run 0 "$SWS" --db "$DB" eval score --year 2022 --phase final --save --as-of 2022-12-31 \
    --county 330303
has "$W/err" "stored as evaluation run 2"
run 0 "$SWS" --db "$DB" eval compare 1 2
has "$W/out" "no county's policy changed" "0 stations changed"
station=$(echo "$small" | head -1)
"$SWS" --db "$DB" eval explain "$station" --year 2022 > explain_live.txt
run 0 "$SWS" --db "$DB" eval explain "$station" --run 1
eq "$(cat "$W/out")" "$(cat explain_live.txt)" "explain of the stored run"
run 0 "$SWS" --db "$DB" eval publish 1 --as-of 2023-01-15
has "$W/out" "published on 2023-01-15"
run 1 "$SWS" --db "$DB" eval publish 1
has "$W/err" "was published on 2023-01-15"
stored=$(run1)

# a published run cannot be changed, even in SQL
for sql in "UPDATE eval_run_station SET total = 1 WHERE run = 1" \
           "DELETE FROM eval_run_item WHERE run = 1" "DELETE FROM eval_run WHERE id = 1" \
           "UPDATE eval_run SET published = NULL WHERE id = 1" \
           "INSERT INTO eval_run_finding VALUES(1, 99999, '$station', 0, NULL, -1, 'x')"; do
    if sqlite3 "$DB" "$sql" 2>err.txt; then fail "allowed on a published run: $sql"; fi
    has err.txt "a published evaluation run is never"
done

# the policy changes (training 48, services weigh more) and the data change
cat > prop/330303.lua <<'LUA'
return sws.policy.extend("default", {
  name = "330303",
  version = "2022.1",
  standards = { min_training_hours = 48 },
  indicators = { weights = { services = 35, facilities = 10 } },
})
LUA
with_proposal changed prop/330303.lua
q "$DB" "UPDATE station SET area_m2 = 50 WHERE code = '$station'"
SWS_HOME="$W/changed" run 0 "$SWS" --db "$DB" eval score --year 2022 --phase final --save \
    --as-of 2022-12-31 --format csv
has "$W/err" "stored as evaluation run 3"
eq "$(run1)" "$stored" "the published run after the policy and data changed"
run 0 "$SWS" --db "$DB" eval explain "$station" --run 1
eq "$(cat "$W/out")" "$(cat explain_live.txt)" "explain of the published run, as it was"
run 0 "$SWS" --db "$DB" eval runs
has "$W/out" "2023-01-15" "draft" "330303 2021.1" "330303 2022.1"

run 0 "$SWS" --db "$DB" eval compare 1 3
cp "$W/out" compare.txt
has compare.txt "run 1 (2022 final, published 2023-01-15) → run 3 (2022 final, draft)" \
    "330303: 330303 2021.1 #" "→ 330303 2022.1 #"
changed_n=$(q "$DB" "SELECT count(*) FROM eval_run_station a JOIN eval_run_station b
    ON b.station = a.station AND b.run = 3 WHERE a.run = 1 AND (a.total <> b.total
    OR a.grade <> b.grade OR a.stars <> b.stars OR a.rank_county <> b.rank_county
    OR a.rank_city <> b.rank_city)")
stations_word=stations
[ "$changed_n" = 1 ] && stations_word=station
has compare.txt "$changed_n $stations_word changed"
# largest change first: the station whose area fell to 50 m² loses the most
first=$(awk '/^station/{getline; print $1; exit}' compare.txt)
eq "$first" "$(q "$DB" "SELECT a.station FROM eval_run_station a JOIN eval_run_station b
    ON b.station = a.station AND b.run = 3 WHERE a.run = 1
    ORDER BY abs(b.total - a.total) DESC, a.station LIMIT 1")" "largest change first"
run 0 "$SWS" --db "$DB" eval compare 1 3 --station "$station"
has "$W/out" "dimensions and items that changed" "A1.1" "dimension:services" \
    "dimension:facilities"
run 0 "$SWS" --db "$DB" eval compare 1 3 --format json
eq "$(sqlite3 :memory: "SELECT json_array_length(readfile('$W/out'), '\$.stations')")" \
    "$changed_n" "changed stations in JSON"
run 1 "$SWS" --db "$DB" eval compare 1 9
has "$W/err" "there is no evaluation run 9"
run 2 "$SWS" --db "$DB" eval compare 1
run 2 "$SWS" --db "$DB" eval explain "$station" --run 1 --year 2022
run 1 "$SWS" --db "$DB" eval explain "$station" --run 7
echo "preview: ok"
