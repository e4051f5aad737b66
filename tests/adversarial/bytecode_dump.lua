-- expect: dump
local f = string.dump(function() end)
