-- expect: instruction budget
for i = 1, 1e12 do xpcall(function() while true do end end, function(m) return m end) end
