-- bench/dispatch, baseline: the same ten handlers in a plain loop. Run by the
-- bare lua5.4 interpreter, and also inside the sws sandbox (`sws run`) to
-- show what the instruction budget's count hook alone costs.
if package.path then -- bare lua5.4: find dispatch_handlers.lua next to this file
  package.path = arg[0]:gsub("[^/]*$", "") .. "?.lua;" .. package.path
end
local n = tonumber(arg[1]) or 1000000
local handlers = require("dispatch_handlers")
local ev = {sum = 0}
local t0 = os.clock()
for _ = 1, n do
  for i = 1, #handlers do handlers[i](ev) end
end
local secs = os.clock() - t0
assert(ev.sum == n * 55)
print(string.format("%.6f", secs))
