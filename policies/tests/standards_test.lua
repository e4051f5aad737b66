-- Every standard at its boundary, in both `sws check` (the rule) and
-- `sws eval` (the computed item): on the boundary both pass, just past it
-- both fail, and they say the same thing (one judgment, core/lua/standards.lua).
local F = require "fixtures"

local n = 0
-- A fresh station (its county of its own) that breaks what b says.
local function station(b)
  n = n + 1
  return F.full_station(string.format("33%04d001", 4000 + n), b)
end

-- The findings of rule `id` at station `code` on 31 December 2022 (or as_of).
local function findings(code, id, as_of)
  local out = {}
  for _, f in ipairs(sws.check{ station = code, year = 2022, as_of = as_of or "2022-12-31" }.findings) do
    if f.rule == id then out[#out + 1] = f end
  end
  return out
end

-- The evaluated item `item` (final phase of 2022) of station code.
local function item(code, it) return sws.eval.score(code, 2022).items[it] end

-- Asserts that the rule is silent and the item earns all its points.
local function passes(code, rule, it)
  local f = findings(code, rule)
  assert_eq(#f, 0, rule .. ": " .. (f[1] and f[1].message or ""))
  if it then
    local i = item(code, it)
    assert_eq(i.earned, i.points, it .. ": " .. tostring(i.why))
  end
end

-- Asserts that the rule fires and the item earns less than all its points;
-- both messages contain `text` (a plain string) when given.
local function fails(code, rule, it, text)
  local f = findings(code, rule)
  assert_eq(#f, 1, rule .. " should fire")
  if text then assert_true(f[1].message:find(text, 1, true), f[1].message) end
  if it then
    local i = item(code, it)
    assert_true(i.earned < i.points, it .. " should lose points: " .. tostring(i.why))
    if text then assert_true(i.why:find(text, 1, true), i.why) end
  end
  return f[1]
end

test("area: 100 m² passes, 99.9 m² fails and says so to its precision", function()
  passes(station{ area = 100 }, "area", "A1.1")
  local f = fails(station{ area = 99.9 }, "area", "A1.1", "area 99.9 m² is below 100 m²")
  assert_eq(f.actual, "99.9 m² (recorded floor area)")
end)

test("area: a station recorded only through its rooms is judged on their sum", function()
  passes(station{ area = "", room_area = 12.5 }, "area", "A1.1")                -- 8 × 12.5 = 100
  fails(station{ area = "", room_area = 12.4 }, "area", "A1.1",
    "area 99.2 m² is below 100 m² (sum of its rooms' areas)")
end)

test("rooms: the office (办公场所) is required", function()
  passes(station{}, "rooms", "A1.2")
  fails(station{ room = "office" }, "rooms", "A1.2", "missing rooms: office")
end)

test("facilities: uniforms and work badges (统一着工作服, 佩戴工作牌) are required", function()
  fails(station{ facility = "uniform" }, "facilities", "A2.1", "uniform")
  fails(station{ facility = "badge" }, "facilities", "A2.1", "badge")
end)

test("staffing: 3 pass, 2 fail; 9 are never a violation", function()
  passes(station{ residents = 3 }, "staffing", "C1.1")
  passes(station{ residents = 9 }, "staffing", "C1.1")
  fails(station{ residents = 2 }, "staffing", "C1.1", "needs at least 3")
end)

test("staffing counts the workers employed on the as-of date", function()
  local code = station{ residents = 3 }
  sws.db.exec("UPDATE worker SET left_on = '2022-07-01' WHERE code = ?", "W" .. code .. "3")
  assert_eq(#findings(code, "staffing", "2022-06-30"), 0)
  assert_eq(#findings(code, "staffing", "2022-07-01"), 1)
  sws.db.exec("UPDATE worker SET left_on = NULL, hired = '2023-01-01' WHERE code = ?", "W" .. code .. "3")
  assert_eq(#findings(code, "staffing"), 1, "not yet hired on 31 December 2022")
end)

test("training: 8.2 + 23.9 + 7.9 h are exactly 40 课时; 39.9 are short, said exactly", function()
  passes(station{ training = { "8.2", "23.9", "7.9" } }, "training_hours", "C2.1")
  local f = fails(station{ training = { "8.2", "23.9", "7.8" } }, "training_hours", "C2.1", "(39.9 课时)")
  assert_true(f.message:find("1 课时 = 1 hour", 1, true), f.message)
  assert_true(not f.message:find("40 课时)", 1, true), f.message)
end)

test("community time: exactly 60 % passes, 59.9 % fails, no records is a finding", function()
  passes(station{ share = "60" }, "community_time", "C3.1")
  passes(station{ share = "60.0" }, "community_time", "C3.1")
  fails(station{ share = "59.9" }, "community_time", "C3.1", "59.9%")
  fails(station{ worktime = false }, "community_time", "C3.1", "no working-time records")
end)

test("village contacts: current on the as-of date and qualified", function()
  passes(station{ contact_until = "2023-01-01" }, "village_contacts", "B2.2")
  fails(station{ contact_until = "2022-12-31" }, "village_contacts", "B2.2", "测试社区 (0)")
  fails(station{ contact_since = "2023-01-01" }, "village_contacts", "B2.2")
  fails(station{ no_contact = true }, "village_contacts", "B2.2")
  local code = station{}
  sws.db.exec("UPDATE worker SET qualification = 'none' WHERE code = ?", "W" .. code .. "1")
  fails(code, "village_contacts", "B2.2")
end)

test("village contacts: the policy's contacts per village and qualifications are honoured", function()
  local code = station{}
  -- the standard's one query, with a county's values bound as the rule and
  -- the evaluation bind them (sws.policy values: a list between newlines)
  local function judged(need, accepted)
    local p = { standards = { contacts_per_village = need, accepted_qualifications = accepted } }
    local rows = sws.db.grouped({ by = "station_code" }, sws.standards.CONTACTS_SQL,
      { to = "2022-12-31", first = code, last = code, need = need,
        accepted = "\n" .. table.concat(accepted, "\n") .. "\n" })
    return sws.standards.contacts(p, rows[code])
  end
  local j = judged(2, { "social_worker" })
  assert_eq(j.met, false)
  assert_true(j.message:find("without 2 current qualified contact workers: 测试社区 (1)", 1, true), j.message)
  -- a second qualified contact meets a county asking for two
  fixture.import("contacts", string.format("village,worker\n%s001,W%s2\n", code, code))
  assert_eq(judged(2, { "social_worker" }).met, true)
  assert_eq(judged(3, { "social_worker" }).message,
    "villages or communities without 3 current qualified contact workers: 测试社区 (2)")
  -- a county that accepts other qualifications only
  j = judged(1, { "sw_degree", "senior_social_worker" })
  assert_eq(j.met, false)
  assert_eq(j.actual, "1 of 1 without")
  passes(code, "village_contacts", "B2.2")
end)

test("village contacts: the standard's query reads indexes alone, grouped without a sort", function()
  local plan = {}
  for _, r in ipairs(sws.db.query("EXPLAIN QUERY PLAN " .. sws.standards.CONTACTS_SQL,
      { to = "2022-12-31", first = "330302000", last = "330302999", need = 1,
        accepted = "\nsocial_worker\n" })) do
    plan[#plan + 1] = r.detail
  end
  plan = table.concat(plan, "\n")
  for _, index in ipairs({ "COVERING INDEX sqlite_autoindex_station_1",
                           "COVERING INDEX village_township (township_code=?)",
                           "SEARCH c USING PRIMARY KEY (village_code=?)" }) do
    assert_true(plan:find(index, 1, true), "the plan does not use " .. index .. ":\n" .. plan)
  end
  assert_true(not plan:find("TEMP B-TREE", 1, true), "the plan sorts:\n" .. plan)
end)

test("village contacts: the short villages are listed in the order of their codes", function()
  local p = { standards = { contacts_per_village = 1 } }
  local j = sws.standards.contacts(p, { villages = 3,
    short = "330302001003\t丙村 (0)\n330302001001\t甲村 (0)" })
  assert_eq(j.message, "villages or communities without 1 current qualified contact worker: 甲村 (0)、丙村 (0)")
  assert_eq(j.score, 1 / 3)
  j = sws.standards.contacts(p, {})
  assert_eq(j.met, false)
  assert_eq(j.message, "no villages or communities on file")
  -- the list of villages it took before is refused, not judged as none
  assert_error(function() sws.standards.contacts(p, { { name = "甲村", quals = "social_worker" } }) end,
    "not a list of villages")
end)

test("a judgment makes its texts when first read; tostring gives its message", function()
  local p = { standards = { min_area_m2 = 100, required_rooms = { "office", "activity" } } }
  local j = sws.standards.area(p, { area_m2 = 99.9 })
  assert_eq(j.met, false)
  assert_eq(j.path, "standards.min_area_m2")
  assert_eq(rawget(j, "message"), nil, "the message is made before it is read")
  assert_eq(tostring(j), "area 99.9 m² is below 100 m² (recorded floor area)")
  assert_eq(rawget(j, "message"), j.message)
  assert_eq(j.actual, "99.9 m² (recorded floor area)")
  assert_eq(j.required, ">= 100 m²")
  j = sws.standards.kinds(p, "required_rooms", { office = true }, "rooms")
  assert_eq(j.score, 0.5)
  assert_eq(j.required, "all of standards.required_rooms")
  assert_eq(tostring(j), "missing rooms: activity")
  assert_eq(j.nothing, nil)
end)

test("3+3+2: the transition ends after 2 years to the day; closing a pair early does not silence it", function()
  -- 2 qualified residents: staffing fires anyway; the transition only once it has ended
  assert_eq(#findings(station{ residents = 2, mentoring = true, mentoring_start = "2021-01-01" },
    "transition_332"), 0)
  local f = fails(station{ residents = 2, mentoring = true, mentoring_start = "2020-12-31" },
    "transition_332", nil, "has ended")
  assert_true(f.message:find("only 2 resident workers hold a degree or the certificate"), f.message)
  fails(station{ residents = 2, mentoring = true, mentoring_start = "2020-12-31",
    mentoring_end = "2021-03-01" }, "transition_332", nil, "has ended")
end)

test("3+3+2: a degree counts as qualified when the transition ends", function()
  passes(station{ mentoring = true, qualification = "sw_degree" }, "transition_332")
end)

test("3+3+2: three certified seconded mentors and three assistants", function()
  passes(station{ mentoring = true }, "transition_332")
  fails(station{ mentoring = true, mentor_qualification = "sw_degree" }, "transition_332", nil,
    "not seconded certified")
  fails(station{ mentoring = true, assistants = 2 }, "transition_332", nil,
    "2 mentors and 2 assistants; the 3+3+2 model needs 3 and 3")
end)

test("funding: construction money is one-off; operation and personnel are due every year", function()
  passes(station{ construction_year = 2021 }, "funding", "F1.1")           -- built in 2021
  passes(station{ no_funding = "evaluation" }, "funding", "F1.1")
  fails(station{ no_funding = "construction" }, "funding", "F1.1", "no budget in any year up to 2022 for construction")
  fails(station{ construction_year = 2023 }, "funding", "F1.1", "construction")
  fails(station{ no_funding = "operation" }, "funding", "F1.1", "no 2022 budget for operation")
  fails(station{ no_funding = "personnel" }, "funding", "F1.1", "personnel")
end)

test("welfare-lottery money only for construction and equipment", function()
  passes(station{ lottery = "construction" }, "welfare_lottery")
  fails(station{ lottery = "personnel" }, "welfare_lottery", nil, "2022 personnel 100000 yuan")
end)

test("engagement: the agency or the township; an unknown route is a finding", function()
  passes(station{ engaged_by = "township" }, "engagement")
  fails(station{ engaged_by = "" }, "engagement", nil, "(unknown)")
end)

test("community social work room: at least one worker", function()
  passes(station{ community_room = "staffed" }, "community_rooms")
  fails(station{ community_room = "empty" }, "community_rooms", nil, "测试社区社会工作室")
end)

test("qualification: the check and the evaluation agree", function()
  passes(station{ qualification = "related_degree" }, "qualification", "C1.2")
  local code = station{}
  sws.db.exec("UPDATE worker SET qualification = 'none' WHERE code = ?", "W" .. code .. "2")
  fails(code, "qualification", "C1.2", "W" .. code .. "2 (none)")
end)

test("sws.date.today() and ctx.as_of are the run's as-of date", function()
  local seen = {}
  sws.rule("as_of_probe", function(ctx)
    seen.today, seen.as_of = sws.date.today(), ctx.as_of
    if ctx.stations[1] then ctx.find(ctx.stations[1].code, { message = "as of " .. ctx.as_of }) end
  end)
  local r = sws.check{ station = station{}, year = 2022, as_of = "2022-03-15" }
  local probe
  for _, f in ipairs(r.findings) do if f.rule == "as_of_probe" then probe = f end end
  assert_eq(probe.message, "as of 2022-03-15")
  assert_eq(seen.as_of, "2022-03-15")
  assert_eq(seen.today, "2022-03-15")
end)

test("the county's annual report: due until 30 November, then overdue until delivered", function()
  local code = station{ no_report = true }
  local county = code:sub(1, 6)
  local function report(as_of)
    local out = {}
    for _, f in ipairs(sws.check{ county = county, year = 2022, as_of = as_of }.findings) do
      if f.rule == "county_report" then out[#out + 1] = f end
    end
    return out
  end
  assert_eq(#report("2022-11-30"), 0, "due on the day, not yet overdue")
  local f = report("2022-12-01")
  assert_eq(#f, 1)
  assert_eq(f[1].county, county)
  assert_true(f[1].message:find("was due on 2022-11-30 and is not recorded as delivered", 1, true), f[1].message)
  fixture.import("county_reports", "county,year,delivered_on,path\n" .. county .. ",2022,2022-12-02,r.pdf\n")
  assert_eq(#report("2022-12-01"), 1, "delivered after the as-of date")
  assert_eq(#report("2022-12-02"), 0, "delivered")
  local row = sws.db.query("SELECT * FROM county_report WHERE county_code = ?", county)[1]
  assert_eq(row.due_date, "2022-11-30")
  assert_true(row.delivered_at:find("^%d%d%d%d%-%d%d%-%d%dT"), row.delivered_at)
end)

test("an industrial zone administers its townships: its own policy, scope, findings and rank", function()
  fixture.import("counties", "code,name\n330303,龙湾区\n330391,浙南产业集聚区\n")
  fixture.import("townships", "code,name,county_code,admin_code\n330303015,星海街道,330303,330391\n")
  local code = F.full_station("330303015", { area = 99.9 })   -- keeps its administering unit
  assert_eq(sws.db.query("SELECT unit_code FROM township WHERE code = ?", code)[1].unit_code, "330391")
  -- the check: the zone is the unit of the station's findings; --county follows the unit
  local r = sws.check{ county = "330391", year = 2022, as_of = "2022-12-31" }
  assert_eq(r.stations, 1)
  assert_eq(r.findings[1].county, "330391")
  assert_error(function() sws.check{ county = "330303", station = code, year = 2022, as_of = "2022-12-31" } end,
    "no station to check")
  -- the workflow runs under the zone's policy file
  F.run(code, { "approved" })
  assert_eq(sws.db.query("SELECT policy_name FROM workflow_instance WHERE station_code = ?", code)[1].policy_name,
    "330391")
  -- the evaluation ranks it among the zone's stations
  local e = sws.eval.score(code, 2022)
  assert_eq(e.county, "330391")
end)
