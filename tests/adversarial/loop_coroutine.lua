-- expect: instruction budget
local co = coroutine.create(function() while true do end end)
print(coroutine.resume(co))
print("survived the coroutine")
