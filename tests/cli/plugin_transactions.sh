#!/usr/bin/env bash
# A plugin never ends the transaction it runs inside: BEGIN, COMMIT and
# ROLLBACK through sws.db.exec are refused to plugins (sws.db.transaction
# groups their writes), and so is releasing or rolling back one of the core's
# savepoints. A handler that tries inside a workflow advance changes nothing:
# the advance stays one transaction.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/plugins/meddler"
cp -r "$SWS_HOME/policies" "$SWS_HOME/data" "$H/"
cat > "$H/plugins/meddler/manifest.lua" <<'LUA'
return { name = "meddler", version = "1.0", api = 1, counties = "*", tables = { "log" },
         description = "tries to end the core's transaction" }
LUA
cat > "$H/plugins/meddler/init.lua" <<'LUA'
local sws = require "sws"
sws.db.exec("CREATE TABLE IF NOT EXISTS plugin_meddler_log(n INTEGER)")
sws.on("workflow.before_transition", function(ev)
  for _, sql in ipairs({ "COMMIT", "ROLLBACK", "RELEASE sws_advance", "ROLLBACK TO sws_advance" }) do
    local ok, err = pcall(sws.db.exec, sql)
    sws.log.info("%s: %s", sql, ok and "ran" or err)
  end
  return false, "the meddler says no"
end)
sws.command("meddle-begin", "opens a transaction by hand", function()
  sws.db.exec("BEGIN")
  return 0
end)
sws.command("meddle-grouped", "groups two writes the supported way", function()
  sws.db.transaction(function()
    sws.db.exec("INSERT INTO plugin_meddler_log VALUES (1)")
    sws.db.exec("INSERT INTO plugin_meddler_log VALUES (2)")
  end)
  return 0
end)
LUA
export SWS_HOME="$H"

run 0 "$SWS" --db x.db init
run 0 "$SWS" --db x.db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
{ echo code,name,county_code,population
  echo 330303001,街道1,330303,30000; } > t.csv
"$SWS" generate --townships t.csv --out gen --services 10 --seed 3 >/dev/null
run 0 "$SWS" --db x.db import townships t.csv
run 0 "$SWS" --db x.db import stations gen/stations.csv
run 0 "$SWS" --db x.db workflow start 330303001 --actor 龙湾区民政局 --role county --as-of 2021-03-01

# inside the advance: every attempt is refused, the veto holds, nothing was committed half way
run 1 "$SWS" --db x.db workflow advance 330303001 approved --actor 王科长 --role city --as-of 2021-03-02
has "$W/err" "COMMIT: " "may not run COMMIT: sws.db.transaction(fn) groups its writes" \
    "may not run ROLLBACK" "may not release or roll back the core's savepoint sws_advance"
has "$W/out" "vetoed by plugin meddler"
grep -q "COMMIT: ran\|ROLLBACK: ran\|sws_advance: ran" "$W/err" && fail "a transaction statement ran"
eq "$(q x.db "SELECT stage FROM workflow_instance WHERE station_code = '330303001'")" proposed "stage"
eq "$(q x.db "SELECT count(*) FROM workflow_event WHERE station_code = '330303001'")" 1 "audit events"
eq "$(q x.db "SELECT count(*) FROM workflow_rejection WHERE station_code = '330303001'")" 1 \
    "the refusal, recorded once"
eq "$(q x.db "PRAGMA integrity_check")" ok "integrity"

# a command: BEGIN by hand is refused; sws.db.transaction works
run 1 "$SWS" --db x.db meddle-begin
has "$W/err" "may not run BEGIN"
run 0 "$SWS" --db x.db meddle-grouped
eq "$(q x.db "SELECT group_concat(n) FROM plugin_meddler_log")" "1,2" "the grouped writes"
echo "plugin_transactions: ok"
