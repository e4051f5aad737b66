-- expect: error called with a table value
error(setmetatable({}, {__tostring = function() while true do end end}))
