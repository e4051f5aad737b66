-- bench/dispatch, baseline: the same ten handlers in a plain loop. Run by the
-- bare lua5.4 interpreter, and also inside the sws sandbox (`sws run`) to
-- show what the sandbox (and its budget) alone costs.
local n = tonumber(arg[1]) or 1000000
-- the ten handlers, the same text in dispatch_sws.lua and dispatch_bare.lua (a script
-- cannot require files outside the project's plugins/ and policies/)
local handlers = {}
for i = 1, 10 do
  handlers[i] = function(ev) ev.sum = ev.sum + i end
end
local ev = {sum = 0}
local t0 = os.clock()
for _ = 1, n do
  for i = 1, #handlers do handlers[i](ev) end
end
local secs = os.clock() - t0
assert(ev.sum == n * 55)
print(string.format("%.6f", secs))
