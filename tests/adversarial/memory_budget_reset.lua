-- expect: memory budget
-- A nested call inside the handler of a memory error must not clear the tripped budget.
sws.on("reset.now", function() end)
xpcall(function() return ("x"):rep(200 << 20) end, function(m) sws.emit("reset.now") return m end)
error("the tripped memory budget was cleared by a nested call")
