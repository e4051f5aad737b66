-- Tests of the reports plugin on the test's own database: the document model,
-- every format, masking, the CSV cell helper, and overriding a section.
local reports = sws.plugin("reports")

local ready = false   -- one database per file: the fixture is imported once
local function setup()
  if ready then return end
  ready = true
  fixture.import("counties", "code,name\n330302,鹿城区\n")
  fixture.import("townships", "code,name,county_code\n330302006,五马街道,330302\n"
    .. "330302007,七都街道,330302\n330302400,示例农场,330302\n")
  fixture.import("stations", "code,name,is_hub\n330302006,五马街道社会工作站,1\n")
  fixture.import("volunteers", "code,station,name,phone,team\n"
    .. "V1,330302006,王小明,13812345678,=SUM(A1)\nV2,330302006,欧阳娜娜,,B队\n")
  fixture.import("volunteer_service", "volunteer,date,hours\nV1,2022-03-01,2.5\n"
    .. "V1,2022-04-01,3\nV2,2022-05-01,4\nV2,2021-05-01,9\n")
  fixture.import("funding", "station,year,category,source,budget,spent\n"
    .. "330302006,2022,operation,county_budget,1000,800\n"
    .. "330302006,2022,personnel,county_budget,3000,3000\n")
end

local function section(doc, id)
  for _, s in ipairs(doc.sections) do if s.id == id then return s end end
end

local function figure(sec, key)
  for _, f in ipairs(sec.figures) do if f.key == key then return f.value end end
end

test("coverage counts townships that need a station, stations built and units that need none", function()
  setup()
  local doc = reports.build("coverage", { as_of = "2022-12-31" })
  local t = section(doc, "targets")
  assert_eq(figure(t, "need_station"), 2)
  assert_eq(figure(t, "built"), 1)
  assert_eq(figure(t, "operating"), 0)
  local c = section(doc, "coverage").rows[1]
  assert_eq(c.hubs, 1)
  assert_eq(c.no_station_needed, 1)
  assert_eq(c.stage_not_started, 1)
  assert_eq(#section(doc, "no-station-needed").rows, 1)
end)

test("volunteer hours by station, team and volunteer over the date range, names masked", function()
  setup()
  local doc = reports.build("volunteers", { county = "330302", from = "2022-01-01", to = "2022-12-31",
    as_of = "2022-12-31" })
  assert_eq(figure(section(doc, "stations"), "hours"), 9.5)
  assert_eq(figure(section(doc, "stations"), "volunteers"), 2)
  local v = section(doc, "volunteers").rows
  assert_eq(v[1].code, "V1")          -- 5.5 h, before V2's 4 h
  assert_eq(v[1].hours, 5.5)
  assert_eq(v[1].name, "王**")
  assert_eq(v[2].name, "欧***")
  assert_eq(#section(doc, "teams").rows, 2)
  local shown = reports.build("volunteers", { county = "330302", year = 2022, as_of = "2022-12-31",
    reveal = true })
  assert_eq(section(shown, "volunteers").rows[1].name, "王小明")
end)

test("every format renders, with masking and CSV formulas neutralised", function()
  setup()
  for _, fmt in ipairs({ "html", "md", "csv", "json" }) do
    local text = reports.render("volunteers", { county = "330302", year = 2022,
      as_of = "2022-12-31", format = fmt })
    assert_true(not text:find("王小明", 1, true), fmt .. " shows a name")
    assert_true(not text:find("13812345678", 1, true), fmt .. " shows a mobile number")
  end
  local csv = reports.render("volunteers", { county = "330302", year = 2022, format = "csv" })
  assert_true(csv:find("'=SUM(A1)", 1, true) ~= nil, "formula not neutralised")
  local html = reports.render("volunteers", { county = "330302", year = 2022, format = "html" })
  assert_true(html:find('<svg id="chart-volunteer-hours"', 1, true) ~= nil)
  assert_true(html:find('<table id="table-volunteers">', 1, true) ~= nil)
  assert_true(html:find("<script", 1, true) == nil, "a script in the HTML")
  assert_true(html:find("http", 1, true) == nil or not html:find('src="http', 1, true))
  local json = sws.json.decode(reports.render("volunteers", { county = "330302", year = 2022,
    format = "json" }))
  assert_eq(json.schema, "sws.report/1")
  assert_eq(json.sections[1].id, "stations")
  assert_eq(json.scope.from, "2022-01-01")
end)

test("csv_cell quotes, neutralises formulas and keeps numbers", function()
  assert_eq(reports.csv_cell("a,b"), '"a,b"')
  assert_eq(reports.csv_cell('say "hi"'), '"say ""hi"""')
  assert_eq(reports.csv_cell("=1+1"), "'=1+1")
  assert_eq(reports.csv_cell("@cmd"), "'@cmd")
  assert_eq(reports.csv_cell("-x"), "'-x")
  assert_eq(reports.csv_cell(-3), "-3")
  assert_eq(reports.csv_cell(2.5), "2.5")
  assert_eq(reports.csv_cell(4.0), "4")
  assert_eq(reports.csv_cell(nil), "")
end)

test("a plugin overrides, removes and adds sections", function()
  setup()
  reports.override("volunteers", "teams", false)
  reports.extend("volunteers", "extra", function(ctx)
    local sec = ctx.model.section("extra", "附加", { { "n", "数", "int" } })
    sec.rows = { { n = 7 } }
    return sec
  end, "stations")
  local doc = reports.build("volunteers", { county = "330302", year = 2022 })
  assert_eq(doc.sections[1].id, "stations")
  assert_eq(doc.sections[2].id, "extra")
  assert_eq(doc.sections[3].id, "volunteers")
  assert_eq(#doc.sections, 3)
  reports.override("volunteers", "teams", nil)
end)

test("the annual report sums funding and counts service objects by consent and age", function()
  setup()
  fixture.import("clients", "code,station,category,birth_date,consent\n"
    .. "C1,330302006,child,2012-05-01,guardian\nC2,330302006,elderly,1950-01-01,written\n"
    .. "C3,330302006,child,2008-12-31,none\n")
  local doc = reports.build("annual", { county = "330302", year = 2022, as_of = "2022-12-31" })
  local f = section(doc, "funding").rows
  assert_eq(f[#f].category, "合计")
  assert_eq(f[#f].budget, 4000.0)
  assert_eq(f[#f].rate, 95.0)
  local counts = {}
  for _, r in ipairs(section(doc, "clients").rows) do counts[r.group] = r.count end
  -- C1 is 10; C3 turns 14 on the as-of day, so is no longer under 14 (the birthday counts)
  assert_eq(counts["未满14周岁（敏感个人信息）"], 1)
  assert_eq(counts["14至17周岁"], 1)
  assert_eq(counts["未取得同意"], 1)
  assert_error(function() reports.build("annual", { year = 2022 }) end, "give %-%-county")
  assert_error(function() reports.build("nosuch", {}) end, "no report 'nosuch'")
end)
