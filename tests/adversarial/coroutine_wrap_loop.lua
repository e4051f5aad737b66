-- expect: instruction budget
-- A loop inside a coroutine.wrap'ed function is stopped like any other.
local f = coroutine.wrap(function() while true do end end)
pcall(f)
error("the loop in the coroutine escaped the budget")
