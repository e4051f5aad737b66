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

-- A station that meets every standard the compliance check looks at in
-- 2022, in a county of its own (so it is its county's one hub), unless `b`
-- breaks something: area, room (drop it), facility (drop it), sign_width,
-- institution (drop it), residents, birth (of W1), qualification (all),
-- training (of W1, hours), share (of W1), no_contact, hub, mentoring (an
-- ended 3+3+2 transition), chore (a service text), no_funding (a category),
-- no_volunteers.
function F.full_station(code, b)
  b = b or {}
  local county = code:sub(1, 6)
  local function rows(header, list) fixture.import(header[1], header[2] .. "\n" .. table.concat(list, "\n") .. "\n") end
  fixture.import("counties", "code,name\n" .. county .. ",测试县\n")
  fixture.import("townships", string.format("code,name,county_code,population,service_objects\n%s,测试镇,%s,30000,100\n", code, county))
  fixture.import("villages", string.format("code,name,township_code\n%s001,测试社区,%s\n", code, code))
  fixture.import("stations", string.format(
    "code,name,address,area_m2,is_hub,sign_width_cm,sign_height_cm\n%s,测试镇社会工作站,测试路1号,%s,%d,%s,45\n",
    code, b.area or 150, b.hub == false and 0 or 1, b.sign_width or 64))
  local function all_but(kinds, drop, fmt)
    local out = {}
    for _, k in ipairs(kinds) do if k ~= drop then out[#out + 1] = string.format(fmt, code, k) end end
    return out
  end
  rows({ "rooms", "station,kind" }, all_but({ "social_work", "case", "group_activity", "multi_function",
    "archive", "reception", "display" }, b.room, "%s,%s"))
  rows({ "facilities", "station,kind,quantity" }, all_but({ "service_window", "wall_posting",
    "public_toilet", "complaint_box", "hotline", "fire_safety", "anti_theft", "escape_route",
    "anti_slip_sign", "safety_check", "desk", "computer", "printer", "file_cabinet", "sign_indoor",
    "sign_outdoor", "direction_sign" }, b.facility, "%s,%s,1"))
  rows({ "institutions", "station,kind" }, all_but({ "org_chart", "operating_procedure", "post_rules",
    "finance_rules", "training_rules", "volunteer_rules", "archive_rules", "asset_rules",
    "volunteer_db", "client_db" }, b.institution, "%s,%s"))
  local workers, trainings, worktime = {}, {}, {}
  for i = 1, b.residents or 3 do
    local w = "W" .. code .. i
    workers[#workers + 1] = string.format("%s,%s,社工%d,resident,%s,%s", w, code, i,
      i == 1 and b.birth or "1990-01-01", b.qualification or "social_worker")
    local hours = i == 1 and b.training or 40
    for q = 1, 4 do trainings[#trainings + 1] = string.format("%s,2022-0%d-10,%g", w, q * 2, hours / 4) end
    local share = i == 1 and b.share or 0.6
    for m = 1, 12 do
      worktime[#worktime + 1] = string.format("%s,2022-%02d,100,%g", w, m, 100 * share)
    end
  end
  if b.mentoring then
    workers[#workers + 1] = string.format("A%s,%s,助理,assistant,1995-01-01,related_degree", code, code)
    workers[#workers + 1] = string.format("M%s,%s,督导,mentor,1980-01-01,senior_social_worker", code, code)
  end
  rows({ "workers", "code,station,name,role,birth_date,qualification" }, workers)
  rows({ "trainings", "worker,date,hours" }, trainings)
  rows({ "worktime", "worker,month,total_hours,community_hours" }, worktime)
  if b.mentoring then
    rows({ "mentoring", "mentor,assistant,start_date" }, { string.format("M%s,A%s,2020-06-01", code, code) })
  end
  if not b.no_contact then
    rows({ "contacts", "village,worker" }, { string.format("%s001,W%s1", code, code) })
  end
  rows({ "services", "station,date,domain,method,hours,description" },
    { string.format("%s,2022-05-01,elderly_care,case,2,独居老人居家探访", code) })
  if b.chore then
    -- the import_rules plugin refuses chores on import: this one came in another way
    sws.db.exec([[INSERT INTO service_record(station_code, date, domain, method, hours, description)
      VALUES(?, '2022-06-01', 'civil_affairs', 'community', 3, ?)]], code, b.chore)
  end
  local funding = {}
  for _, c in ipairs({ "construction", "operation", "personnel", "evaluation" }) do
    if c ~= b.no_funding then funding[#funding + 1] = string.format("%s,2022,%s,county_budget,100000,90000", code, c) end
  end
  rows({ "funding", "station,year,category,source,budget,spent" }, funding)
  if not b.no_volunteers then
    fixture.import("volunteers", string.format("code,station,name\nV%s,%s,志愿者\n", code, code))
    fixture.import("volunteer_service", string.format("volunteer,date,hours\nV%s,2022-05-01,3\n", code))
  end
  return code
end

-- The ids of the rules that found something at station `code` in 2022.
function F.fired(code, as_of)
  local ids = {}
  for _, f in ipairs(sws.check{ station = code, year = 2022, as_of = as_of or "2022-12-31" }.findings) do
    ids[#ids + 1] = f.rule
  end
  table.sort(ids)
  return table.concat(ids, ",")
end

F.TO_ACCEPTED = { "approved", "planned", "reviewed", "building", "accepted" }
F.TO_OPERATING = { "approved", "planned", "reviewed", "building", "accepted", "operating" }

return F
