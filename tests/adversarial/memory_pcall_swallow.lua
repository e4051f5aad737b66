-- expect: memory budget
local keep = {}
while true do pcall(function() keep[#keep + 1] = string.rep("y", 1e7) .. #keep end) end
