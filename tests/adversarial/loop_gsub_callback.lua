-- expect: instruction budget
string.gsub("aaaa", "a", function() while true do end end)
