-- The city workflow (policies/default.lua) and its guards, at their boundaries.
local F = require "fixtures"

test("a compliant station goes all the way to operating, then mid-term and final", function()
  local code = F.station("330303001")
  assert_eq(F.run(code, F.TO_OPERATING), "operating")
  assert_eq(F.run(code, { "midterm", "final_evaluation", "operating" }), "operating")
end)

test("a farm or zone needs no station: approval is refused", function()
  local code = F.station("330324400")
  local stage, why = F.run(code, { "approved" })
  assert_eq(stage, "proposed")
  assert_true(why:find("needs no station"), why)
end)

test("the area: 100 m² passes (不少于 includes the number), 99 m² does not", function()
  assert_eq(F.run(F.station("330303002", { area = 100 }), F.TO_ACCEPTED), "accepted")
  local stage, why = F.run(F.station("330303003", { area = 99 }), F.TO_ACCEPTED)
  assert_eq(stage, "building")
  assert_true(why:find("area 99 m² is below 100 m²"), why)
end)

test("every failing guard is listed, and the stage does not change", function()
  local code = F.station("330303004", { area = 80, rooms = { "case" }, sign_width = 50 })
  local stage, why = F.run(code, F.TO_ACCEPTED)
  assert_eq(stage, "building")
  assert_true(why:find("guard 'area'"), why)
  assert_true(why:find("guard 'rooms'.*missing rooms: office, social_work"), why)
  assert_true(why:find("guard 'sign'"), why)
  local events = sws.db.query("SELECT count(*) AS n FROM workflow_event WHERE station_code = ?", code)[1].n
  assert_eq(events, 5, "start and four accepted moves only")
end)

test("staffing: 3 resident workers pass for a small township, 2 do not", function()
  assert_eq(F.run(F.station("330303005", { workers = 3, population = 10000 }), F.TO_OPERATING),
    "operating")
  local stage, why = F.run(F.station("330303006", { workers = 2, population = 10000 }),
    F.TO_OPERATING)
  assert_eq(stage, "accepted")
  assert_true(why:find("2 resident social workers employed on the day; the township .* needs at least 3"), why)
end)

test("institutions: a missing rule holds the station before operating", function()
  local stage, why = F.run(F.station("330303007", { institutions = { "org_chart" } }),
    F.TO_OPERATING)
  assert_eq(stage, "accepted")
  assert_true(why:find("missing rules or databases"), why)
end)

test("one plan per station: the expert review needs the plan, building needs the review", function()
  local stage, why = F.run(F.station("330303010", { no_plan = true }), F.TO_ACCEPTED)
  assert_eq(stage, "planned")
  assert_true(why:find("no construction plan"), why)
  local code = F.station("330303012", { no_plan = true })
  F.plan(code, false)
  stage, why = F.run(code, F.TO_ACCEPTED)
  assert_eq(stage, "reviewed")
  assert_true(why:find("has no expert review"), why)
  F.plan(code)
  assert_eq(F.run(code, { "building" }), "building")
end)

test("entering operating opens the mid-term and final deadlines", function()
  local code = F.station("330303009")
  F.run(code, F.TO_OPERATING, "2021-03-31")
  local d = sws.db.query("SELECT what, due FROM deadline WHERE station_code = ? ORDER BY due", code)
  assert_eq(#d, 2)
  assert_eq(d[1].due, "2021-10-01") -- 6 months after 31 March, as SQLite counts months
  assert_eq(d[2].due, "2022-03-31")
end)

test("a plugin may veto a transition (workflow.before_transition) and sees it happen", function()
  local code = F.station("330303011")
  local seen = {}
  sws.on("workflow.before_transition", function(ev)
    if ev.to == "building" and ev.station == code then return false, "the budget is not approved yet" end
  end)
  sws.on("workflow.transitioned", function(ev) seen[#seen + 1] = ev.from .. ">" .. ev.to end)
  local stage, why = F.run(code, F.TO_ACCEPTED)
  assert_eq(stage, "reviewed")
  assert_true(why:find("vetoed by plugin") and why:find("the budget is not approved yet"), why)
  assert_eq(table.concat(seen, ","), "proposed>approved,approved>planned,planned>reviewed")
  local audit = sws.db.query("SELECT count(*) AS n FROM workflow_event WHERE station_code = ? AND to_stage = 'building'", code)[1].n
  assert_eq(audit, 0, "a vetoed transition is not in the audit trail")
end)
