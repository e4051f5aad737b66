-- Fixtures for policy tests: a county, a township and a station that meets
-- every city standard unless told otherwise.
local F = {}

local ROOMS = { "office", "social_work", "case", "group_activity", "multi_function", "archive",
                "reception", "display" }
F.ROOMS = ROOMS
local INSTITUTIONS = { "org_chart", "operating_procedure", "post_rules", "finance_rules",
  "training_rules", "volunteer_rules", "archive_rules", "asset_rules", "volunteer_db", "client_db" }

-- Files the construction plan of station code (drafted 2020-12-01) and, unless
-- review is false, its expert review (2020-12-15).
function F.plan(code, review)
  fixture.import("plans", string.format(
    "station,title,drafted_on,reviewed_on,reviewed_by\n%s,%s建设方案,2020-12-01,%s,专家组\n",
    code, code, review == false and "" or "2020-12-15"))
end

-- opts: area, sign_width, rooms (list), institutions (list), workers (count),
-- population, volunteers (count of volunteers with 3 hours each), no_plan
function F.station(code, opts)
  opts = opts or {}
  local county = code:sub(1, 6)
  fixture.import("counties", "code,name\n" .. county .. ",测试县\n")
  fixture.import("townships", string.format("code,name,county_code,population\n%s,测试街道,%s,%d\n",
    code, county, opts.population or 30000))
  fixture.import("stations", string.format(
    "code,name,address,area_m2,sign_width_cm,sign_height_cm\n%s,测试街道社会工作站,测试路1号,%s,%s,45\n",
    code, opts.area or 150, opts.sign_width or 64))
  if not opts.no_plan then F.plan(code) end
  local rows = { "station,kind,area_m2" }
  for _, r in ipairs(opts.rooms or ROOMS) do rows[#rows + 1] = code .. "," .. r .. ",20" end
  fixture.import("rooms", table.concat(rows, "\n") .. "\n")
  rows = { "station,kind" }
  for _, k in ipairs(opts.institutions or INSTITUTIONS) do rows[#rows + 1] = code .. "," .. k end
  fixture.import("institutions", table.concat(rows, "\n") .. "\n")
  rows = { "code,station,name,role,qualification,engaged_by" }
  for i = 1, opts.workers or 3 do
    rows[#rows + 1] = string.format("W%s%d,%s,社工%d,resident,social_worker,agency", code, i, code, i)
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

-- The role that may enter each stage (policies/default.lua, 330381.lua).
F.ROLE = { proposed = "county", approved = "city", planned = "county", reviewed = "expert",
  building = "township", accepted = "county", operating = "township", midterm = "assessor",
  final_evaluation = "assessor", public_notice = "county" }

-- Runs the station from its start through the given stages, each in the
-- role its stage names; returns the stage it stopped at and the refusal, if any.
function F.run(code, stages, as_of)
  if not sws.workflow.stage(code) then
    sws.workflow.start(code, "测试员", as_of or "2021-01-04", "county")
  end
  for _, to in ipairs(stages) do
    local ok, why = sws.workflow.advance(code, to, "测试员", { as_of = as_of or "2021-01-04",
      role = F.ROLE[to] })
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
-- training (of W1, hours: a number or a list of records), share (of W1),
-- worktime (of W1: false for none), no_contact, contact_worker (its number),
-- contact_since, contact_until, hub, mentoring (3 mentors and 3 assistants
-- from mentoring_start, default 2020-06-01, to mentoring_end), assistants (how
-- many pairs), mentor_qualification (of M1), chore (a service text),
-- no_funding (a category), construction_year, lottery (the category paid by
-- the welfare lottery), engaged_by (of W1), room (drop it), community_room
-- ("staffed" or "empty"), no_report (the county's 2022 report), no_volunteers.
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
  F.plan(code)
  rows({ "rooms", "station,kind,area_m2" }, all_but({ "office", "social_work", "case", "group_activity",
    "multi_function", "archive", "reception", "display" }, b.room, "%s,%s," .. (b.room_area or "")))
  rows({ "facilities", "station,kind,quantity" }, all_but({ "service_window", "wall_posting",
    "public_toilet", "complaint_box", "hotline", "fire_safety", "anti_theft", "escape_route",
    "anti_slip_sign", "safety_check", "desk", "computer", "printer", "file_cabinet", "sign_indoor",
    "sign_outdoor", "direction_sign", "uniform", "badge" }, b.facility, "%s,%s,1"))
  rows({ "institutions", "station,kind" }, all_but({ "org_chart", "operating_procedure", "post_rules",
    "finance_rules", "training_rules", "volunteer_rules", "archive_rules", "asset_rules",
    "volunteer_db", "client_db" }, b.institution, "%s,%s"))
  local workers, trainings, worktime = {}, {}, {}
  for i = 1, b.residents or 3 do
    local w = "W" .. code .. i
    workers[#workers + 1] = string.format("%s,%s,社工%d,resident,%s,%s,%s", w, code, i,
      i == 1 and b.birth or "1990-01-01", b.qualification or "social_worker",
      i == 1 and b.engaged_by or "agency")
    local hours = i == 1 and b.training or 40
    if type(hours) == "table" then
      for q, h in ipairs(hours) do trainings[#trainings + 1] = string.format("%s,2022-0%d-10,%s", w, q, h) end
    else
      for q = 1, 4 do trainings[#trainings + 1] = string.format("%s,2022-0%d-10,%g", w, q * 2, hours / 4) end
    end
    local share = i == 1 and b.share or 0.6
    if not (i == 1 and b.worktime == false) then
      for m = 1, 12 do
        worktime[#worktime + 1] = string.format("%s,2022-%02d,100,%s", w, m,
          type(share) == "string" and share or string.format("%g", 100 * share))
      end
    end
  end
  if b.mentoring then
    for k = 1, 3 do
      workers[#workers + 1] = string.format("A%s%d,%s,助理%d,assistant,1995-01-01,related_degree,", code, k, code, k)
      workers[#workers + 1] = string.format("M%s%d,%s,督导%d,mentor,1980-01-01,%s,", code, k, code, k,
        k == 1 and b.mentor_qualification or "senior_social_worker")
    end
  end
  rows({ "workers", "code,station,name,role,birth_date,qualification,engaged_by" }, workers)
  rows({ "trainings", "worker,date,hours" }, trainings)
  rows({ "worktime", "worker,month,total_hours,community_hours" }, worktime)
  if b.mentoring then
    local pairs = {}
    for k = 1, b.assistants or 3 do
      pairs[#pairs + 1] = string.format("M%s%d,A%s%d,%s,%s", code, k, code, k,
        b.mentoring_start or "2020-06-01", b.mentoring_end or "")
    end
    rows({ "mentoring", "mentor,assistant,start_date,end_date" }, pairs)
  end
  if not b.no_contact then
    rows({ "contacts", "village,worker,since,until" }, { string.format("%s001,W%s%d,%s,%s", code, code,
      b.contact_worker or 1, b.contact_since or "", b.contact_until or "") })
  end
  rows({ "services", "station,date,domain,method,hours,description" },
    { string.format("%s,2022-05-01,elderly_care,case,2,独居老人居家探访", code) })
  if b.chore then
    -- the import_rules plugin refuses chores on import: this one came in another way
    sws.db.exec([[INSERT INTO service_record(station_code, date, domain, method, hours, description)
      VALUES(?, '2022-06-01', 'civil_affairs', 'community', 3, ?)]], code, b.chore)
  end
  -- construction money once, in 2021; the yearly lines in 2022
  local funding = {}
  for _, c in ipairs({ "construction", "operation", "personnel", "evaluation" }) do
    if c ~= b.no_funding then
      funding[#funding + 1] = string.format("%s,%d,%s,%s,100000,90000", code,
        c == "construction" and (b.construction_year or 2021) or 2022, c,
        c == b.lottery and "welfare_lottery" or "county_budget")
    end
  end
  rows({ "funding", "station,year,category,source,budget,spent" }, funding)
  if not b.no_report then   -- the county's 2022 report, delivered on the due date
    fixture.import("county_reports", "county,year,delivered_on\n" .. county .. ",2022,2022-11-30\n")
  end
  if b.community_room then
    fixture.import("community_rooms", string.format("village,name\n%s001,测试社区社会工作室\n", code))
    if b.community_room == "staffed" then
      fixture.import("workers", string.format("code,station,name,role,village\nR%s,%s,室社工,room,%s001\n",
        code, code, code))
    end
  end
  if not b.no_volunteers then
    fixture.import("volunteers", string.format("code,station,name\nV%s,%s,志愿者\n", code, code))
    fixture.import("volunteer_service", string.format("volunteer,date,hours\nV%s,2022-05-01,3\n", code))
  end
  return code
end

-- The ids of the rules that found something at station `code` in 2022.
-- The plugins sws ships. The tests here judge the core's rules and theirs: a
-- county's own plugin may add rules that find something at these stations
-- too, which must not break them (`sws test` names such a plugin when a test
-- fails).
F.SHIPPED_PLUGINS = { reports = true, import_rules = true, volunteer_ledger = true,
  compliance_report = true }

-- The rules (of the core and the shipped plugins) that found something at
-- station code, sorted and joined with ",".
function F.fired(code, as_of)
  local ids = {}
  for _, f in ipairs(sws.check{ station = code, year = 2022, as_of = as_of or "2022-12-31" }.findings) do
    if not f.plugin or F.SHIPPED_PLUGINS[f.plugin] then ids[#ids + 1] = f.rule end
  end
  table.sort(ids)
  return table.concat(ids, ",")
end

F.TO_ACCEPTED = { "approved", "planned", "reviewed", "building", "accepted" }
F.TO_OPERATING = { "approved", "planned", "reviewed", "building", "accepted", "operating" }

return F
