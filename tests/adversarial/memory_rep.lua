-- expect: memory budget
local s = string.rep("x", 1 << 30)
