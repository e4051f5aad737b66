#!/usr/bin/env bash
# How sws.emit runs an event's handlers: in order, with the payload; a
# failing handler is logged with its place (and its plugin) and the ones
# after it still run, whichever handler fails, with few handlers or more
# than one dispatcher holds, and inside an event emitted by a handler; a
# handler added while its event runs waits for the next emit, and a failure
# after it is reported and resumed among the handlers the emit started with;
# the handlers of a plugin that failed to load never run.
set -eu
. "$(dirname "$0")/testlib.bash"

H="$W/home"
mkdir -p "$H/plugins/noisy"
cp -r "$SWS_HOME/policies" "$H/"
cat > "$H/plugins/noisy/manifest.lua" <<'LUA'
return { name = "noisy", version = "1.0", api = 1, counties = "*",
         description = "two handlers of its own event, the first fails" }
LUA
cat > "$H/plugins/noisy/init.lua" <<'LUA'
local sws = require "sws"
sws.on("noisy.tick", function(ev) error("noisy breaks on " .. ev.n) end)
sws.on("noisy.tick", function(ev) ev.after = "ran" end)
LUA
mkdir -p "$H/plugins/broken"
cat > "$H/plugins/broken/manifest.lua" <<'LUA'
return { name = "broken", version = "1.0", api = 1, counties = "*",
         description = "registers handlers, then fails to load" }
LUA
cat > "$H/plugins/broken/init.lua" <<'LUA'
local sws = require "sws"
sws.on("broken.tick", function(ev) ev.broken = "ran" end)
sws.on("noisy.tick", function(ev) ev.broken = "ran" end)
error("broken on load")
LUA
export SWS_HOME="$H"
run 0 "$SWS" --db x.db init

cat > few.lua <<'LUA'
local seen = {}
local function note(tag) return function(ev) seen[#seen + 1] = tag .. ev.n end end
sws.on("few.tick", function(ev) error("first breaks") end)
sws.on("few.tick", note("b"))
sws.on("few.tick", function(ev) error("third breaks") end)
sws.on("few.tick", note("d"))
sws.on("few.tick", function(ev) error("last breaks") end)
sws.emit("few.tick", {n = 1})
sws.emit("few.tick", {n = 2})
print("few: " .. table.concat(seen, ","))
local ev = {n = 3}
sws.emit("noisy.tick", ev)
print("noisy: " .. tostring(ev.after) .. ", broken: " .. tostring(ev.broken))
ev = {}
sws.emit("broken.tick", ev)
print("broken.tick: " .. tostring(ev.broken))
LUA
run 0 "$SWS" --db x.db run few.lua
has "$W/out" "few: b1,d1,b2,d2" "noisy: ran, broken: nil" "broken.tick: nil"
has "$W/err" "handler of 'few.tick' at few.lua:3" "failed: few.lua:3: first breaks" \
    "handler of 'few.tick' at few.lua:5" "failed: few.lua:5: third breaks" \
    "handler of 'few.tick' at few.lua:7" "failed: few.lua:7: last breaks" \
    "handler of 'noisy.tick' at plugins/noisy/init.lua:2" "plugin 'noisy' failed:" "noisy breaks on 3"
[ "$(grep -c "handler of 'few.tick'" "$W/err")" = 6 ] || { cat "$W/err"; fail "not six failures logged"; }

# more handlers than a plain dispatcher holds (64), the 40th failing
cat > many.lua <<'LUA'
local seen = {}
for i = 1, 70 do
  sws.on("many.tick", function(ev)
    if i == 40 then error("handler " .. i .. " breaks") end
    seen[#seen + 1] = i
  end)
end
sws.emit("many.tick", {})
print("many: " .. #seen .. " ran, last " .. seen[#seen] .. ", 39th " .. seen[39] .. ", 40th " .. seen[40])
LUA
run 0 "$SWS" --db x.db run many.lua
has "$W/out" "many: 69 ran, last 70, 39th 39, 40th 41"
has "$W/err" "handler of 'many.tick' at many.lua:3" "handler 40 breaks"

# a handler that emits: the inner event's failure is its own, the outer goes on
cat > nested.lua <<'LUA'
local seen = {}
sws.on("inner.tick", function() seen[#seen + 1] = "i1" end)
sws.on("inner.tick", function() error("inner breaks") end)
sws.on("inner.tick", function() seen[#seen + 1] = "i3" end)
sws.on("outer.tick", function() seen[#seen + 1] = "o1"; sws.emit("inner.tick", {}) end)
sws.on("outer.tick", function() error("outer breaks") end)
sws.on("outer.tick", function() seen[#seen + 1] = "o3" end)
sws.emit("outer.tick", {})
print("nested: " .. table.concat(seen, ","))
LUA
run 0 "$SWS" --db x.db run nested.lua
has "$W/out" "nested: o1,i1,i3,o3"
has "$W/err" "handler of 'inner.tick' at nested.lua:3" "handler of 'outer.tick' at nested.lua:6"

# handlers added while the event runs wait for the next emit
cat > grow.lua <<'LUA'
local seen = {}
sws.on("grow.tick", function(ev)
  seen[#seen + 1] = "a" .. ev.n
  if ev.n == 1 then
    sws.on("grow.tick", function(e) seen[#seen + 1] = "hi" .. e.n end, {priority = 5})
    sws.on("grow.tick", function(e) seen[#seen + 1] = "lo" .. e.n end)
  end
end)
sws.on("grow.tick", function(ev) seen[#seen + 1] = "b" .. ev.n end)
sws.emit("grow.tick", {n = 1})
sws.emit("grow.tick", {n = 2})
print("grow: " .. table.concat(seen, ","))
LUA
run 0 "$SWS" --db x.db run grow.lua
has "$W/out" "grow: a1,b1,hi2,a2,b2,lo2"

# a handler added ahead of the others while the event runs, then a failure
cat > shift.lua <<'LUA'
local seen = {}
sws.on("shift.tick", function(ev)
  seen[#seen + 1] = "a" .. ev.n
  if ev.n == 1 then sws.on("shift.tick", function(e) seen[#seen + 1] = "new" .. e.n end, {priority = 5}) end
end)
sws.on("shift.tick", function(ev) error("b breaks on " .. ev.n) end)
sws.on("shift.tick", function(ev) seen[#seen + 1] = "c" .. ev.n end)
sws.emit("shift.tick", {n = 1})
sws.emit("shift.tick", {n = 2})
print("shift: " .. table.concat(seen, ","))
LUA
run 0 "$SWS" --db x.db run shift.lua
has "$W/out" "shift: a1,c1,new2,a2,c2"
has "$W/err" "[handler of 'shift.tick' at shift.lua:6] failed: shift.lua:6: b breaks on 1" \
    "[handler of 'shift.tick' at shift.lua:6] failed: shift.lua:6: b breaks on 2"
[ "$(grep -c "handler of 'shift.tick'" "$W/err")" = 2 ] || { cat "$W/err"; fail "not two failures logged"; }

# the same through the general dispatcher: a before-event, vetoed
cat > gate.lua <<'LUA'
local seen = {}
sws.on("gate.before_open", function(ev)
  seen[#seen + 1] = "a" .. ev.n
  if ev.n == 1 then sws.on("gate.before_open", function(e) seen[#seen + 1] = "new" .. e.n end, {priority = 5}) end
end)
sws.on("gate.before_open", function(ev) return false, "closed on " .. ev.n end)
local ok1, why1 = sws.emit("gate.before_open", {n = 1})
local ok2, why2 = sws.emit("gate.before_open", {n = 2})
print("gate: " .. table.concat(seen, ","))
print(tostring(ok1) .. ", " .. why1)
print(tostring(ok2) .. ", " .. why2)
LUA
run 0 "$SWS" --db x.db run gate.lua
has "$W/out" "gate: a1,new2,a2" "false,  (handler at gate.lua:6): closed on 1" \
    "false,  (handler at gate.lua:6): closed on 2"
