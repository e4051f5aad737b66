-- Events: priority order, isolation of a failing handler, vetoes.

test("handlers run by priority, then in the order registered", function()
  local seen = {}
  sws.on("order.check", function() seen[#seen + 1] = "low" end, {priority = -5})
  sws.on("order.check", function() seen[#seen + 1] = "first" end)
  sws.on("order.check", function() seen[#seen + 1] = "high" end, {priority = 10})
  sws.on("order.check", function() seen[#seen + 1] = "second" end)
  assert_eq(sws.emit("order.check", {}), true)
  assert_eq(table.concat(seen, ","), "high,first,second,low")
end)

test("a failing handler is isolated: the ones after it still run", function()
  local ran = {}
  sws.on("iso.check", function(ev) ran[#ran + 1] = 1 end)
  sws.on("iso.check", function(ev) error("handler two breaks") end)
  sws.on("iso.check", function(ev) ran[#ran + 1] = 3 end)
  sws.on("iso.check", function(ev) local t = nil; return t.x end)
  sws.on("iso.check", function(ev) ran[#ran + 1] = 5; ev.done = true end)
  local ev = {}
  assert_eq(sws.emit("iso.check", ev), true, "after-events are not vetoed")
  assert_eq(table.concat(ran, ","), "1,3,5")
  assert_true(ev.done)
end)

test("a handler that loops is stopped by the hook budget and the rest still run", function()
  local after = false
  sws.on("loop.check", function() while true do end end)
  sws.on("loop.check", function() after = true end)
  sws.emit("loop.check", {})
  assert_true(after, "the handler after the looping one ran")
end)

test("a before-event is vetoed by false and a reason, naming the handler", function()
  sws.on("station.before_close", function(ev) return true end)
  sws.on("station.before_close", function(ev)
    if ev.station == "330302006" then return false, "still has open cases" end
  end)
  local ok, why = sws.emit("station.before_close", {station = "330302006"})
  assert_eq(ok, false)
  assert_true(why:find("still has open cases"), why)
  assert_true(why:find("events_test.lua:%d+"), "the handler's place is named: " .. why)
  assert_eq(sws.emit("station.before_close", {station = "330302023"}), true)
end)

test("a before-event handler that fails vetoes the change", function()
  sws.on("worker.before_remove", function() error("ledger unavailable") end)
  local ok, why = sws.emit("worker.before_remove", {})
  assert_eq(ok, false)
  assert_true(why:find("ledger unavailable"), why)
end)

test("event names look like thing.action", function()
  assert_error(function() sws.on("nodot", function() end) end, "thing.action")
end)

test("imports emit one event per stored row after the commit, personal numbers masked", function()
  local seen = {}
  sws.on("worker.saved", function(ev)
    -- after the commit: the row is already in the database
    local n = sws.db.query("SELECT count(*) AS n FROM worker WHERE code = ?", ev.row.code)[1].n
    seen[#seen + 1] = ev.row.code .. ":" .. n .. ":" .. (ev.row.id_number or "")
  end)
  fixture.import("counties", "code,name\n330302,鹿城区\n")
  fixture.import("townships", "code,name,county_code\n330302006,五马街道,330302\n")
  fixture.import("stations", "code,name\n330302006,五马街道社会工作站\n")
  fixture.import("workers", "code,station,name,role,id_number\n" ..
    "WA,330302006,甲,resident,11010519491231002X\nWB,330302006,乙,resident,\n")
  assert_eq(#seen, 2)
  assert_eq(seen[1], "WA:1:110105********002X")
  assert_eq(seen[2], "WB:1:")
end)

test("a refused import emits no row events", function()
  local count = 0
  sws.on("station.saved", function() count = count + 1 end)
  fixture.import("counties", "code,name\n330303,龙湾区\n")
  fixture.import("townships", "code,name,county_code\n330303001,永中街道,330303\n")
  assert_error(function()
    fixture.import("stations", "code,name\n330303001,永中街道社会工作站\n339999001,不存在街道社会工作站\n")
  end, "no such township")
  assert_eq(count, 0)
end)

test("an after-event emitted in a transaction waits for the commit, and a rollback drops it", function()
  local seen = {}
  sws.on("ledger.closed", function(ev) seen[#seen + 1] = ev.n end)
  sws.db.transaction(function()
    sws.emit("ledger.closed", {n = 1})
    assert_eq(#seen, 0, "fired before the commit")
  end)
  assert_eq(table.concat(seen, ","), "1")
  local ok = pcall(sws.db.transaction, function()
    sws.emit("ledger.closed", {n = 2})
    error("undo")
  end)
  assert_eq(ok, false)
  assert_eq(table.concat(seen, ","), "1", "an event of a rolled-back transaction fired")
  sws.db.exec("BEGIN")
  sws.emit("ledger.closed", {n = 3})
  sws.db.exec("ROLLBACK")
  sws.db.exec("BEGIN")
  sws.emit("ledger.closed", {n = 4})
  assert_eq(#seen, 1)
  sws.db.exec("COMMIT")
  assert_eq(table.concat(seen, ","), "1,4")
end)
