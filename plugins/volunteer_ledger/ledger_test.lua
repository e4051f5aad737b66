-- Tests of the volunteer ledger plugin, on the test's own database.
local function setup()
  fixture.import("counties", "code,name\n330302,鹿城区\n")
  fixture.import("townships", "code,name,county_code\n330302006,五马街道,330302\n")
  fixture.import("stations", "code,name\n330302006,五马街道社会工作站\n")
  fixture.import("volunteers",
    "code,station,name,phone\nV1,330302006,甲,13812345678\nV2,330302006,乙,\n")
end

test("hours are summed per volunteer and year, and credit follows the hours", function()
  setup()
  -- 60 + 45 hours in 2022 for V1 (105 h: one star), 5 hours for V2
  local lines = {"volunteer,date,hours,activity"}
  for i = 1, 5 do lines[#lines + 1] = "V1,2022-03-0" .. i .. ",12,助老" end
  for i = 1, 3 do lines[#lines + 1] = "V1,2022-04-0" .. i .. ",15,助学" end
  lines[#lines + 1] = "V2,2022-05-01,5,宣传"
  fixture.import("volunteer_service", table.concat(lines, "\n") .. "\n")
  local r = sws.db.query("SELECT * FROM plugin_volunteer_ledger_hours ORDER BY volunteer_code")
  assert_eq(#r, 2)
  assert_eq(r[1].hours, 105.0)
  assert_eq(r[1].services, 8)
  assert_eq(r[1].stars, 1)
  assert_eq(r[2].stars, 0)
end)

test("the star boundaries include the number itself (100 h is one star)", function()
  setup()
  local lines = {"volunteer,date,hours"}
  for i = 1, 5 do lines[#lines + 1] = "V2,2023-01-0" .. i .. ",20" end
  fixture.import("volunteer_service", table.concat(lines, "\n") .. "\n")
  local r = sws.db.query("SELECT stars, hours FROM plugin_volunteer_ledger_hours WHERE year = 2023")
  assert_eq(r[1].hours, 100.0)
  assert_eq(r[1].stars, 1)
end)
