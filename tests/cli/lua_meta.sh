#!/usr/bin/env bash
# docs/meta/sws.lua (the lua-language-server annotations) covers the whole live
# API: every name in the `sws` table a host installs, the globals of `sws test`
# and `arg` of `sws run`. Walks the live tables and fails on any name the meta
# file lacks; a name counts as documented by `function NAME(`, `NAME =`, or a
# `---@field LEAF` under `---@class PARENT`.
set -eu
. "$(dirname "$0")/testlib.bash"
META=$SWS_HOME/docs/meta/sws.lua

# walk.lua prints "path type" for every value reachable from the roots.
cat > walk.lua <<'LUA'
local seen = {}
local function walk(v, path)
  print(path .. " " .. type(v))
  if type(v) ~= "table" or seen[v] then return end
  seen[v] = true
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  for _, k in ipairs(keys) do walk(v[k], path .. "." .. k) end
end
return walk
LUA
cat > api.lua <<'LUA'
local walk = require("walk")
walk(sws, "sws")
walk(arg, "arg")
LUA
mkdir t
cp walk.lua t/walk.lua
cat > t/globals_test.lua <<'LUA'
local walk = require("walk")
test("walk the test globals", function()
  for _, name in ipairs({"test", "assert_eq", "assert_true", "assert_error", "fixture"}) do
    walk(_ENV[name], name)
  end
end)
LUA
run 0 "$SWS" --db x.db init  # a database must exist before it is used
run 0 "$SWS" --db x.db run api.lua
cp "$W/out" live.txt
run 0 "$SWS" test t
grep -E '^[a-z_][a-z_.]* [a-z]+$' "$W/out" >>live.txt
grep -q '^sws\.db\.query function$' live.txt || fail "the walk did not see sws.db.query"
grep -q '^fixture\.import function$' live.txt || fail "the walk did not see fixture.import"

documented=$(awk '
    /^---@class / { class = $2 }
    /^---@field / { print class "." $2 }
    /^function [A-Za-z_][A-Za-z0-9_.]*\(/ { n = $2; sub(/\(.*/, "", n); print n }
    /^[A-Za-z_][A-Za-z0-9_.]* = / { print $1 }
' "$META" | sort -u)
missing=""
while read -r path type; do
    case $path in arg.[0-9]*) continue ;; esac # the arguments themselves
    grep -qxF -- "$path" <<<"$documented" || missing="$missing  $path ($type)\n"
done <live.txt
[ -z "$missing" ] || fail "$(printf 'docs/meta/sws.lua lacks names of the live API:\n%b' "$missing")"
echo "ok: $(wc -l <live.txt) live names, all in docs/meta/sws.lua"
