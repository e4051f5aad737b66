-- bench/dispatch, host side: N events through ten handlers via sws.emit.
local n = tonumber(arg[1]) or 1000000
-- the ten handlers, the same text in dispatch_sws.lua and dispatch_bare.lua (a script
-- cannot require files outside the project's plugins/ and policies/)
local handlers = {}
for i = 1, 10 do
  handlers[i] = function(ev) ev.sum = ev.sum + i end
end
for i = 1, #handlers do sws.on("bench.tick", handlers[i]) end
local ev = {sum = 0}
local t0 = os.clock()
for _ = 1, n do sws.emit("bench.tick", ev) end
local secs = os.clock() - t0
assert(ev.sum == n * 55, "handlers did not all run")
print(string.format("%.6f", secs))
