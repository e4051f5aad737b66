-- expect: __gc finalizers are not allowed
-- A finalizer runs with the hooks off and at lua_close: it must never be registered.
setmetatable({}, {__gc = function() while true do end end})
