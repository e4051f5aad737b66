-- expect: instruction budget
-- A handler that queries the database after the budget tripped must not reset it.
sws.on("reset.now", function() sws.db.query("SELECT 1") end)
local ok = pcall(function() while true do end end)
sws.emit("reset.now")
error("the tripped budget was cleared")
