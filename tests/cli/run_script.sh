#!/usr/bin/env bash
# `sws run`: arguments, exit status, database rights of an admin script,
# log lines with personal numbers masked, tracebacks under --verbose.
set -eu
. "$(dirname "$0")/testlib.bash"

cat > s.lua <<'LUA'
local a, b = ...
assert(a == arg[1] and b == arg[2], "arguments")
sws.log.info("checked %s, phone 13812345678, id 11010519491231002X", a)
sws.db.exec("CREATE TABLE notes(x)")
sws.db.exec("INSERT INTO notes VALUES(?)", b)
return tonumber(b)
LUA
run 0 "$SWS" --db x.db init  # a database must exist before it is used
run 3 "$SWS" --db x.db run s.lua first 3
grep -q "INFO \[s.lua:3\] checked first, phone 138\*\*\*\*5678, id 110105\*\*\*\*\*\*\*\*002X" "$W/err" || { cat "$W/err"; fail "log line"; }
grep -q "13812345678\|11010519491231002X" "$W/err" && fail "personal numbers in the log"
[ "$(sqlite3 x.db 'SELECT x FROM notes')" = 3 ] || fail "a script may write"

printf 'local function inner() error("deep trouble") end\nlocal function outer() inner() end\nouter()\n' > t.lua
run 1 "$SWS" --db x.db run t.lua
grep -q "t.lua:1: deep trouble" "$W/err" || fail "error place"
grep -q "traceback" "$W/err" && fail "traceback without --verbose"
run 1 "$SWS" --db x.db --verbose run t.lua
grep -q "stack traceback" "$W/err" || fail "no traceback under --verbose"
grep -q "in .*function 'outer'\|in local 'outer'\|outer" "$W/err" || fail "traceback lacks the caller"

run 2 "$SWS" --db x.db run
run 1 "$SWS" --db x.db run missing.lua
grep -q "cannot open missing.lua" "$W/err" || fail "missing script"
echo "sws run behaves"
