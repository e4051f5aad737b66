-- The compliance rules of `sws check`, one broken standard at a time, at the
-- guideline's boundaries (不少于, 以下 and 以上 include the number).
local F = require "fixtures"

test("a station that meets every standard, at every boundary, has no finding", function()
  -- 100 m², 3 workers, age 45 on the day, 40 training hours, exactly 60 % community time
  F.full_station("330303001", { area = 100, birth = "1977-12-31", training = 40, share = 0.6 })
  assert_eq(F.fired("330303001"), "")
end)

local cases = {
  { "area", { area = 99 } },
  { "rooms", { room = "case" } },
  { "facilities", { facility = "hotline" } },
  { "sign", { sign_width = 60 } },
  { "institutions", { institution = "client_db" } },
  { "staffing", { residents = 2 } },
  { "worker_age", { birth = "1976-12-30" } },                  -- 46 on 2022-12-31
  -- an unqualified worker is no qualified village contact either
  { "qualification", { qualification = "none" }, "qualification,village_contacts" },
  { "training_hours", { training = 39 } },
  { "community_time", { share = 0.599 } },
  { "village_contacts", { no_contact = true } },
  { "hub", { hub = false } },
  { "transition_332", { mentoring = true, mentor_qualification = "sw_degree" } },
  { "chores", { chore = "协助乡镇整理迎检台账材料" } },
  { "funding", { no_funding = "operation" } },
  { "welfare_lottery", { lottery = "operation" } },
  { "engagement", { engaged_by = "" } },
  { "community_rooms", { community_room = "empty" } },
  { "county_report", { no_report = true } },
  { "volunteer_service", { no_volunteers = true } },            -- the volunteer_ledger plugin's rule
}
for i, c in ipairs(cases) do
  test("breaking one standard fires rule '" .. c[1] .. "' and nothing else", function()
    local county = string.format("33%04d", 3100 + i)                    -- a county of its own
    local code = F.full_station(county .. "001", c[2])
    assert_eq(F.fired(code), c[3] or c[1])
  end)
end

test("a farm or zone gets advice that it needs no station", function()
  local code = F.full_station("330324400")
  assert_eq(F.fired(code), "needs_no_station")
end)

test("staffing: 3-8 is a minimum, never a maximum: 8 and 9 resident workers both pass", function()
  fixture.import("counties", "code,name\n330399,测试县\n")
  F.full_station("330399001", { residents = 8 })
  assert_eq(F.fired("330399001"), "")
  F.full_station("330398001", { residents = 9 })
  assert_eq(F.fired("330398001"), "")
end)

test("a finding carries the evidence and the policy line that set the requirement", function()
  local code = F.full_station("330397001", { area = 99 })
  local f = sws.check{ station = code, year = 2022, as_of = "2022-12-31" }.findings[1]
  assert_eq(f.rule, "area")
  assert_eq(f.severity, "violation")
  assert_eq(f.actual, "99 m² (recorded floor area)")
  assert_eq(f.required, ">= 100 m²")
  assert_true(f.layer:find("^policies/default.lua:%d+$"), f.layer)
end)
