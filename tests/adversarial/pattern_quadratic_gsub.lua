-- expect: use sws.re
-- The same guard covers gsub, gmatch and match, and the string metatable's methods.
local s = string.rep(" ", 200000) .. "x"
local ok, err = pcall(string.gsub, s, "%s*(.-)%s*$", "%1")
assert(not ok, "a cubic pattern on 200 kB ran")
local ok2 = pcall(function() for _ in s:gmatch("(.-)y") do end end)
assert(not ok2, "gmatch was not guarded")
-- what stays allowed: linear patterns on long subjects, anything on short ones
assert(select(2, s:gsub("[^,]+", "")) == 1)
assert(("  trim me  "):match("^%s*(.-)%s*$") == "trim me")
error(err)
