-- expect: instruction budget
-- An error handler that runs a nested call (sws.emit) must not clear the tripped budget.
sws.on("reset.now", function() end)
xpcall(function() while true do end end, function(m) sws.emit("reset.now") return m end)
error("the tripped budget was cleared by a nested call")
