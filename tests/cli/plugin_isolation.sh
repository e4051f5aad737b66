#!/usr/bin/env bash
# Plugins are isolated from each other and from the core data: a plugin
# writes only the plugin_<name>_<table> tables its manifest declares, cannot
# read another's (even when one plugin's name is a prefix of another's), a
# manifest (read like a policy) cannot write at all, and a plugin that fails
# to load is reported and skipped while the others run.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/plugins"
plugin() { # plugin NAME MANIFEST-EXTRA INIT-SOURCE
    mkdir -p "$H/plugins/$1"
    printf 'return { name = "%s", version = "0.1", api = 1, counties = "*", %s }\n' "$1" "$2" \
        > "$H/plugins/$1/manifest.lua"
    printf '%s\n' "$3" > "$H/plugins/$1/init.lua"
}
plugin good 'tables = {"notes"}' 'good_secret = 42
sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_good_notes(x)")
sws.command("good", "writes its own table", function() sws.db.exec("INSERT INTO plugin_good_notes VALUES(1)") return 0 end)'
plugin evil '' 'sws.command("evil-core", "", function() sws.db.exec("DELETE FROM county") end)
sws.command("evil-peek", "", function() return #sws.db.query("SELECT * FROM plugin_good_notes") end)
sws.command("evil-write", "", function() sws.db.exec("INSERT INTO plugin_good_notes VALUES(2)") end)
sws.command("evil-global", "", function() return good_secret end)'
plugin broken '' 'this is not Lua'
plugin looping '' 'while true do end'
plugin needy 'requires = {"absent"}' 'sws.command("needy", "", function() end)'
plugin writer_manifest '' ''
printf 'sws.db.exec("DELETE FROM county")\nreturn {}\n' > "$H/plugins/writer_manifest/manifest.lua"
plugin half '' 'sws.command("half", "", function() end)
error("fails after registering a command")'

export SWS_HOME="$H"
run 0 "$SWS" --db x.db init  # a database must exist before it is used
run 0 "$SWS" --db x.db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
run 0 "$SWS" --db x.db --hook-budget 1000000 plugin list
for want in "good .*loaded" "evil .*loaded" "broken .*failed" "looping .*instruction budget" \
            "needy .*requires plugin 'absent'" "writer_manifest .*reads the database only" \
            "half .*fails after registering"; do
    grep -qE "$want" "$W/out" || { cat "$W/out"; fail "plugin list lacks: $want"; }
done

run 0 "$SWS" --db x.db --hook-budget 1000000 good
[ "$(sqlite3 x.db 'SELECT count(*) FROM plugin_good_notes')" = 1 ] || fail "good plugin could not write its table"
run 1 "$SWS" --db x.db --hook-budget 1000000 evil-core
grep -q "may write only the plugin_<name>_\* tables its manifest declares (tables = {...}), not county" "$W/err" || fail "core write not refused"
run 1 "$SWS" --db x.db --hook-budget 1000000 evil-peek
grep -q "may not read another plugin's table plugin_good_notes" "$W/err" || fail "peek not refused"
run 1 "$SWS" --db x.db --hook-budget 1000000 evil-write
grep -q "not plugin_good_notes" "$W/err" || fail "cross-plugin write not refused"
run 1 "$SWS" --db x.db --hook-budget 1000000 evil-global
grep -q "undefined global 'good_secret'" "$W/err" || fail "globals leaked"
run 2 "$SWS" --db x.db --hook-budget 1000000 half
[ "$(sqlite3 x.db 'SELECT count(*) FROM county')" = 12 ] || fail "county rows changed"
[ "$(sqlite3 x.db 'SELECT count(*) FROM plugin_good_notes')" = 1 ] || fail "plugin_good_notes changed"
# a job runs under its plugin's rights: it may write its own table only
plugin jobber 'tables = {"runs"}' 'sws.job("count_notes", function() sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_jobber_runs(x)"); sws.db.exec("INSERT INTO plugin_jobber_runs VALUES(1)") end)
sws.job("touch_core", function() sws.db.exec("DELETE FROM county") end)'
run 0 "$SWS" --db x.db --hook-budget 1000000 job run count_notes
[ "$(sqlite3 x.db 'SELECT count(*) FROM plugin_jobber_runs')" = 1 ] || fail "job did not run"
run 1 "$SWS" --db x.db --hook-budget 1000000 job run touch_core
grep -q "job 'touch_core' of plugin 'jobber'" "$W/err" || { cat "$W/err"; fail "job failure not named"; }
run 1 "$SWS" --db x.db job run no_such_job

# A name that is a prefix of another's gives no rights over the other's tables:
# "volunteer" cannot reach plugin_volunteer_ledger_hours, declared by
# "volunteer_ledger", and cannot declare it either.
plugin volunteer_ledger 'tables = {"hours"}' 'sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_volunteer_ledger_hours(x)")
sws.db.exec("INSERT INTO plugin_volunteer_ledger_hours SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM plugin_volunteer_ledger_hours)")'
plugin volunteer 'tables = {"log"}' 'sws.command("vol-peek", "", function() return #sws.db.query("SELECT * FROM plugin_volunteer_ledger_hours") end)
sws.command("vol-wipe", "", function() sws.db.exec("DELETE FROM plugin_volunteer_ledger_hours") end)
sws.command("vol-drop", "", function() sws.db.exec("DROP TABLE plugin_volunteer_ledger_hours") end)'
run 0 "$SWS" --db x.db plugin list
run 1 "$SWS" --db x.db vol-peek
has "$W/err" "may not read another plugin's table plugin_volunteer_ledger_hours"
run 1 "$SWS" --db x.db vol-wipe
has "$W/err" "not plugin_volunteer_ledger_hours"
run 1 "$SWS" --db x.db vol-drop
[ "$(sqlite3 x.db 'SELECT count(*) FROM plugin_volunteer_ledger_hours')" = 1 ] || fail "the ledger's rows changed"
plugin volunteer 'tables = {"ledger_hours"}' 'sws.command("vol-peek", "", function() return 0 end)'
run 0 "$SWS" --db x.db plugin list
grep -qE "volunteer_ledger .*failed.*plugin_volunteer_ledger_hours is already declared by plugin 'volunteer'" "$W/out" ||
    { cat "$W/out"; fail "a second claim on the same table was not refused"; }
# an undeclared table is nobody's
plugin squatter '' 'sws.command("squat", "", function() sws.db.exec("CREATE TABLE plugin_squatter_x(y)") end)'
run 1 "$SWS" --db x.db squat
has "$W/err" "its manifest declares"
echo "plugin isolation holds"
