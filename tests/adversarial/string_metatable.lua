-- expect: string metatable is locked
local mt = getmetatable("")
if type(mt) ~= "table" then error("string metatable is " .. tostring(mt)) end
mt.__index = {}
