-- The city's indicator tree (policies/default.lua) scored through
-- sws.eval.score: computed items at their boundaries, assessor weights,
-- missing scores, phases, county weights and veto items.
local F = require "fixtures"

local function near(a, b, msg) assert_true(math.abs(a - b) < 1e-9, (msg or "") .. ": " .. a .. " ~= " .. b) end

test("A1.1: 100 m² earns the area points (不少于 includes 100), 99 m² earns none", function()
  F.station("330303101", { area = 100 })
  F.station("330303102", { area = 99 })
  local ok = sws.eval.score("330303101", 2022)
  assert_eq(ok.items["A1.1"].earned, 3)
  local low = sws.eval.score("330303102", 2022)
  assert_eq(low.items["A1.1"].earned, 0)
  assert_true(low.items["A1.1"].why:find("area 99 m² is below 100 m²"), low.items["A1.1"].why)
end)

test("A1.2: each missing room costs its share of the 3 points", function()
  F.station("330303103", { rooms = { "office", "social_work", "case", "group_activity",
    "multi_function", "archive", "reception" } })
  local r = sws.eval.score("330303103", 2022)
  near(r.items["A1.2"].earned, 3 * 7 / 8, "seven of eight rooms")
  assert_true(r.items["A1.2"].why:find("missing rooms: display"), r.items["A1.2"].why)
end)

test("assessor scores combine with the weights 0.2/0.3/0.5, re-weighted when one is missing", function()
  local code = F.station("330303104")
  F.scores(code, 2022, {
    { "self", "B1.2", 2 }, { "government", "B1.2", 2 }, { "third_party", "B1.2", 0, "缺职责公示" },
    { "government", "B2.1", 1.6 },
  })
  local r = sws.eval.score(code, 2022)
  near(r.items["B1.2"].earned, 0.2 * 2 + 0.3 * 2, "all three")
  near(r.items["B2.1"].earned, 1.6, "government only")
  assert_eq(r.items["B1.2"].scores.third_party, 0)
  local missing = table.concat(r.missing, ";")
  assert_true(missing:find("B2.1 third_party", 1, true), missing)
  assert_true(not missing:find("B1.2", 1, true), missing)
  assert_eq(r.complete, false)
end)

test("no assessor scored an item: it earns 0 and every listed assessor is reported missing", function()
  local r = sws.eval.score(F.station("330303105"), 2022)
  assert_eq(r.items["D3.1"].earned, 0)
  local missing = table.concat(r.missing, ";")
  assert_true(missing:find("D3.1 third_party", 1, true), missing)
  assert_true(missing:find("D2.3 self", 1, true), missing)
end)

test("mid-term: services, basic finances and progress; the full financial items are final only", function()
  local code = F.station("330303106")
  local mid = sws.eval.score(code, 2022, "mid")
  local final = sws.eval.score(code, 2022, "final")
  assert_eq(mid.to, "2022-06-30")
  assert_eq(mid.items["F2.1"], nil)
  assert_eq(mid.items["F2.2"], nil)
  assert_eq(mid.items["D3.1"], nil)
  assert_true(mid.items["F1.1"] ~= nil and mid.items["D1.1"] ~= nil)
  assert_true(final.items["F2.1"] ~= nil and final.items["F2.2"] ~= nil)
  assert_eq(mid.dimensions.funds.points, 4)
  assert_eq(final.dimensions.funds.points, 10)
end)

test("鹿城 weighs services 35 instead of 30: the earned points scale by 35/30", function()
  local lc = sws.eval.score(F.station("330302101"), 2022)
  local lw = sws.eval.score(F.station("330303107"), 2022)
  assert_eq(lc.dimensions.services.weight, 35)
  assert_eq(lw.dimensions.services.weight, 30)
  near(lc.dimensions.services.score, lc.dimensions.services.earned * 35 / 30, "鹿城")
  near(lw.dimensions.services.score, lw.dimensions.services.earned, "龙湾")
  near(lc.dimensions.facilities.score, lc.dimensions.facilities.earned * 10 / 15, "鹿城 facilities")
end)

test("veto V1: misuse of funds found by the government fails the station whatever its total", function()
  local code = F.station("330303108")
  F.scores(code, 2022, { { "government", "V1", 1, "审计报告" }, { "third_party", "V1", 0 } })
  local r = sws.eval.score(code, 2022)
  assert_eq(r.vetoed, true)
  assert_eq(r.grade, "不合格")
  assert_eq(r.stars, 0)
  assert_eq(r.veto[1], "V1")
  assert_true(r.total > 0)
end)

test("veto V2: spending more than 110 % of the budget; exactly 110 % is not", function()
  local over, edge = F.station("330303109"), F.station("330303110")
  fixture.import("funding", "station,year,category,source,budget,spent\n" ..
    over .. ",2022,operation,county_budget,100000,110001\n" ..
    edge .. ",2022,operation,county_budget,100000,110000\n")
  local a, b = sws.eval.score(over, 2022), sws.eval.score(edge, 2022)
  assert_eq(a.vetoed, true)
  assert_true(a.items["V2"].why:find("more than 110 %%"), a.items["V2"].why)
  assert_eq(b.vetoed, false)
  assert_eq(b.items["F2.1"].earned, 3)
end)

test("the grade follows the total; ranks count within the county", function()
  local a, b = F.station("330303111", { area = 150 }), F.station("330303112", { area = 80 })
  local ra, rb = sws.eval.score(a, 2022), sws.eval.score(b, 2022)
  assert_true(ra.total > rb.total)
  assert_true(ra.rank_county < rb.rank_county)
  assert_eq(ra.stations_county, rb.stations_county)
  assert_true(ra.total < 60 and ra.grade == "不合格", "no assessor scores: " .. ra.total)
end)

test("errors: a station that is not evaluated, a phase that does not exist", function()
  assert_error(function() sws.eval.score("330303999", 2022) end, "not evaluated")
  assert_error(function() sws.eval.score("330303101", 2022, "yearly") end, "mid or final")
end)

test("service records are counted to the day of the period, whatever older years hold", function()
  local code = F.station("330303107")
  fixture.import("services", "station,date,domain,method,hours\n" ..
    code .. ",2022-05-01,elderly_care,case,2\n" ..
    code .. ",2021-12-31,party_building,group,1\n" ..
    code .. ",2022-05-17,party_building,group,1\n" ..
    code .. ",2022-05-18,party_building,community,1\n" ..
    code .. ",2022-06-30,elderly_care,case,1\n")
  -- to 17 May: the month of May counted from the records themselves
  local r = sws.eval.score(code, 2022, "mid", "2022-05-17")
  assert_true(r.items["D1.2"].why:find("^2 service records"), r.items["D1.2"].why)
  assert_true(r.items["D2.1"].why:find("case_work 1 of", 1, true), r.items["D2.1"].why)
  assert_true(r.items["D2.1"].why:find("group_work 1 of", 1, true), r.items["D2.1"].why)
  assert_true(r.items["G1.1"].why:find("^1 party%-building"), r.items["G1.1"].why)
  -- to 30 June: whole months only (the kept counts per month)
  r = sws.eval.score(code, 2022, "mid")
  assert_true(r.items["D1.2"].why:find("^4 service records"), r.items["D1.2"].why)
  assert_true(r.items["D2.1"].why:find("community_work 1 of", 1, true), r.items["D2.1"].why)
  -- a correction moves a record out of the period; the counts follow in the same write
  sws.db.exec("UPDATE service_record SET date = '2021-06-30' WHERE station_code = ? AND date = '2022-06-30'", code)
  r = sws.eval.score(code, 2022, "mid")
  assert_true(r.items["D1.2"].why:find("^3 service records"), r.items["D1.2"].why)
end)
