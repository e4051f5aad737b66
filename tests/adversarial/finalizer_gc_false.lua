-- expect: __gc finalizers are not allowed
-- A false __gc still marks the object; filling the field in later would arm it.
local mt = {__gc = false}
setmetatable({}, mt)
mt.__gc = function() sws.db.exec("DELETE FROM township") end
