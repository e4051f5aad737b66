-- What three county policies change: an added stage (瑞安), tighter standards
-- (鹿城) and a guard that asks a plugin (永嘉).
local F = require "fixtures"

test("瑞安: the plan is publicly noticed for 7 days before building", function()
  local code = F.station("330381001")
  F.run(code, { "approved", "planned", "reviewed", "public_notice" }, "2022-03-01")
  assert_eq(sws.workflow.stage(code), "public_notice")
  local ok, why = sws.workflow.advance(code, "building", "测试员", { as_of = "2022-03-07", role = "township" })
  assert_eq(ok, false)
  assert_true(why:find("has run 6 of 7 days"), why)
  assert_eq(sws.workflow.advance(code, "building", "测试员", { as_of = "2022-03-08", role = "township" }), true)
end)

test("瑞安: reviewed no longer leads straight to building", function()
  local code = F.station("330381002")
  F.run(code, { "approved", "planned", "reviewed" })
  assert_error(function() sws.workflow.advance(code, "building", "测试员", { role = "township" }) end,
    "moves on to public_notice")
end)

test("鹿城: 120 m² and 4 resident workers; 110 m² is refused although the city allows it", function()
  local stage, why = F.run(F.station("330302001", { area = 110, workers = 4 }), F.TO_ACCEPTED)
  assert_eq(stage, "building")
  assert_true(why:find("below 120 m²"), why)
  assert_eq(F.run(F.station("330302002", { area = 120, workers = 4, population = 10000 }),
    F.TO_OPERATING), "operating")
  local s2, why2 = F.run(F.station("330302003", { area = 120, workers = 3, population = 10000 }),
    F.TO_OPERATING)
  assert_eq(s2, "accepted")
  assert_true(why2:find("needs at least 4"), why2)
end)

test("永嘉: operating needs 10 active volunteers, counted by the volunteer_ledger plugin", function()
  local stage, why = F.run(F.station("330324101", { volunteers = 9 }), F.TO_OPERATING)
  assert_eq(stage, "accepted")
  assert_true(why:find("9 active volunteers"), why)
  assert_eq(F.run(F.station("330324102", { volunteers = 10 }), F.TO_OPERATING), "operating")
end)
