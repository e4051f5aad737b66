-- expect: nothing writable
-- pairs(), next() and rawget() on a library proxy must reach no writable table.
local iter, state = pairs(string)
if type(state) == "table" then state.rep = function() return "faked" end end
for _, v in pairs(sws) do
  if type(v) == "table" then pcall(function() v.query = print end) end
end
local k = next(string)
assert(k == nil, "next() reached the library behind the proxy")
assert(rawget(string, "rep") == nil, "rawget reached the library")
assert(getmetatable(string) == "locked", "the proxy's metatable is reachable")
assert(string.rep("a", 2) == "aa", "string.rep was replaced")
assert(sws.db.query ~= print, "sws.db.query was replaced")
error("nothing writable behind the proxies")
