-- The ten handlers of bench/dispatch, shared by the sws run and the bare
-- lua5.4 run so that both call exactly the same functions.
local handlers = {}
for i = 1, 10 do
  handlers[i] = function(ev) ev.sum = ev.sum + i end
end
return handlers
