-- Fixtures for policy tests: a county, a township and a station that meets
-- every city standard unless told otherwise.
local F = {}

local ROOMS = { "social_work", "case", "group_activity", "multi_function", "archive",
                "reception", "display" }
local INSTITUTIONS = { "org_chart", "operating_procedure", "post_rules", "finance_rules",
  "training_rules", "volunteer_rules", "archive_rules", "asset_rules", "volunteer_db", "client_db" }

-- opts: area, sign_width, rooms (list), institutions (list), workers (count),
-- population, volunteers (count of volunteers with 3 hours each)
function F.station(code, opts)
  opts = opts or {}
  local county = code:sub(1, 6)
  fixture.import("counties", "code,name\n" .. county .. ",测试县\n")
  fixture.import("townships", string.format("code,name,county_code,population\n%s,测试街道,%s,%d\n",
    code, county, opts.population or 30000))
  fixture.import("stations", string.format(
    "code,name,address,area_m2,sign_width_cm,sign_height_cm\n%s,测试街道社会工作站,测试路1号,%s,%s,45\n",
    code, opts.area or 150, opts.sign_width or 64))
  local rows = { "station,kind,area_m2" }
  for _, r in ipairs(opts.rooms or ROOMS) do rows[#rows + 1] = code .. "," .. r .. ",20" end
  fixture.import("rooms", table.concat(rows, "\n") .. "\n")
  rows = { "station,kind" }
  for _, k in ipairs(opts.institutions or INSTITUTIONS) do rows[#rows + 1] = code .. "," .. k end
  fixture.import("institutions", table.concat(rows, "\n") .. "\n")
  rows = { "code,station,name,role,qualification" }
  for i = 1, opts.workers or 3 do
    rows[#rows + 1] = string.format("W%s%d,%s,社工%d,resident,social_worker", code, i, code, i)
  end
  fixture.import("workers", table.concat(rows, "\n") .. "\n")
  if (opts.volunteers or 0) > 0 then
    local v, s = { "code,station,name" }, { "volunteer,date,hours" }
    for i = 1, opts.volunteers do
      v[#v + 1] = string.format("V%s%02d,%s,志愿者%d", code, i, code, i)
      s[#s + 1] = string.format("V%s%02d,2021-05-01,3", code, i)
    end
    fixture.import("volunteers", table.concat(v, "\n") .. "\n")
    fixture.import("volunteer_service", table.concat(s, "\n") .. "\n")
  end
  return code
end

-- Runs the station from its start through the given stages; returns the
-- stage it stopped at and the refusal, if any.
function F.run(code, stages, as_of)
  if not sws.workflow.stage(code) then sws.workflow.start(code, "测试员", as_of or "2021-01-04") end
  for _, to in ipairs(stages) do
    local ok, why = sws.workflow.advance(code, to, "测试员", { as_of = as_of or "2021-01-04" })
    if not ok then return sws.workflow.stage(code), why end
  end
  return sws.workflow.stage(code)
end

-- Imports assessor scores: rows of {assessor, item, score [, evidence]} for
-- station code in year and phase (default "final").
function F.scores(code, year, rows, phase)
  local lines = { "station,year,phase,assessor,item,score,evidence" }
  for _, r in ipairs(rows) do
    lines[#lines + 1] = string.format("%s,%d,%s,%s,%s,%s,%s", code, year, phase or "final",
      r[1], r[2], r[3], r[4] or "")
  end
  fixture.import("scores", table.concat(lines, "\n") .. "\n")
end

F.TO_ACCEPTED = { "approved", "planned", "reviewed", "building", "accepted" }
F.TO_OPERATING = { "approved", "planned", "reviewed", "building", "accepted", "operating" }

return F
