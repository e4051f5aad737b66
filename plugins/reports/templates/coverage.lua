-- templates/coverage.lua — stations per administering unit by workflow
-- stage against the city's targets (coverage.targets of the city policy,
-- through sws.coverage: the figures of `sws check`), hubs, community rooms,
-- and the townships that need no station.
local model = require "model"
local data = require "data"

local STAGE_COLORS = { not_started = "#bdbdbd", proposed = "#f2c14e", approved = "#e0a030",
  planning = "#d98236", building = "#8fb9e6", accepted = "#5b93d3", operating = "#3c9d5d",
  other = "#8a5fb8" }

local T = { description = "stations by workflow stage against the city's targets" }

-- How a target of coverage.targets reads: "2021年建成运营" for a number of
-- stations, "2022年全覆盖（运营）" for every township that needs one.
local function target_label(t)
  return string.format(t.all and "%s年全覆盖（运营）" or "%s年建成运营", t.by:sub(1, 4))
end

function T.prepare(ctx)
  ctx.cov = data.coverage(ctx.county, ctx.as_of)
  local c = ctx.county and data.county(ctx.county)
  ctx.doc.scope.county_name = c and c.name or nil
  ctx.doc.title = (c and c.name or "全部县（市、区）") .. "乡镇（街道）社会工作站建设覆盖情况"
  local goals = {}
  for _, t in ipairs(ctx.cov.by_date) do
    goals[#goals + 1] = t.all and string.format("%s年实现乡镇（街道）全覆盖", t.by:sub(1, 4))
      or string.format("%s年建成运营 %d 个", t.by:sub(1, 4), t.city_required)
  end
  ctx.doc.subtitle = string.format("截至 %s · 市定目标：%s", ctx.as_of,
    #goals > 0 and table.concat(goals, "，") or "无")
end

local function targets(ctx)
  local t = ctx.cov.total
  local sec = model.section("targets", "目标完成情况", {
    { "target", "目标" }, { "by", "期限" }, { "required", "要求", "int" },
    { "actual", "实际", "int" }, { "met", "是否完成" } })
  model.figure(sec, "need_station", "需建站的乡镇（街道）", t.need_station, "个")
  model.figure(sec, "built", "已建站", t.built, "个")
  model.figure(sec, "operating", "运营中", t.operating, "个")
  for _, g in ipairs(ctx.cov.by_date) do
    if not g.all then
      model.figure(sec, g.key, string.format("%s年建成运营", g.by:sub(1, 4)), g.actual, "个")
    end
  end
  model.figure(sec, "coverage_pct", "覆盖率", model.pct(t.operating, t.need_station), "%")
  for i, g in ipairs(ctx.cov.by_date) do
    sec.rows[i] = { target = target_label(g), by = g.by, required = g.required, actual = g.actual,
      met = g.met }
  end
  if ctx.county and ctx.cov.city_need_station then
    model.note(sec, string.format("本县（市、区）的要求按市定目标折算：市定数 × 本单位需建站乡镇（街道）数 ÷ 全市 %d 个，向上取整。",
      ctx.cov.city_need_station))
  end
  return sec
end

local function per_county(ctx)
  local cols = { { "code", "代码" }, { "name", "县（市、区）" }, { "need_station", "需建站", "int" },
    { "built", "已建站", "int" } }
  for _, g in ipairs(data.STAGES) do cols[#cols + 1] = { "stage_" .. g.key, g.label, "int" } end
  for _, g in ipairs(ctx.cov.by_date) do
    if not g.all then cols[#cols + 1] = { g.key, g.by:sub(1, 4) .. "年运营", "int" } end
  end
  for _, c in ipairs({ { "hubs", "总站", "int" },
      { "community_rooms", "社区社会工作室", "int" }, { "no_station_needed", "无需建站单位", "int" },
      { "coverage_pct", "覆盖率", "pct" } }) do cols[#cols + 1] = c end
  local sec = model.section("coverage", "各县（市、区）建设进度", cols)
  local cats, built, operating, need = {}, {}, {}, {}
  for i, c in ipairs(ctx.cov.counties) do
    local row = { code = c.code, name = c.name, need_station = c.need_station, built = c.built,
      hubs = c.hubs, community_rooms = c.community_rooms,
      no_station_needed = c.no_station_needed,
      coverage_pct = model.pct(c.operating, c.need_station) }
    for _, g in ipairs(ctx.cov.by_date) do row[g.key] = c[g.key] end
    for _, g in ipairs(data.STAGES) do row["stage_" .. g.key] = c.by_stage[g.key] end
    sec.rows[i] = row
    cats[i], built[i], operating[i], need[i] = c.name, c.built - c.operating, c.operating,
      c.need_station
  end
  sec.charts = { { type = "bars", id = "chart-coverage", title = "各县（市、区）建站与运营",
    categories = cats, stacked = true,
    series = { { name = "运营中", values = operating, color = "#3c9d5d" },
               { name = "已建站未运营", values = built, color = "#8fb9e6" } },
    line = { values = need, name = "需建站数" } } }
  local labels = {}
  for _, st in ipairs(ctx.cov.operating_stages) do labels[#labels + 1] = st.label end
  model.note(sec, string.format("“运营中”指审计记录中截至 %s 所处阶段为%s之一的站点（政策 coverage.operating_stages）；“某年运营”为截至该目标期限的运营站点数。",
    ctx.as_of, table.concat(labels, "、")))
  return sec
end

local function grid(ctx)
  local sec = model.section("township-grid", "乡镇（街道）建设阶段一览")
  local groups, by = {}, {}
  local names = {}
  for _, c in ipairs(ctx.cov.counties) do names[c.code] = c.name end
  for _, t in ipairs(data.township_stages(ctx.county)) do
    local g = by[t.county_code]
    if not g then
      g = { label = names[t.county_code] or t.county_code, cells = {} }
      by[t.county_code] = g
      groups[#groups + 1] = g
    end
    local class
    if t.kind == "special" then class = "no_station"
    elseif t.has_station == 0 then class = "not_started"
    else class = data.STAGE_GROUP[t.stage or ""] or "other" end
    g.cells[#g.cells + 1] = { class = class, title = t.code .. " " .. t.name }
  end
  local classes = {}
  for _, s in ipairs(data.STAGES) do
    classes[#classes + 1] = { key = s.key, label = s.label, color = STAGE_COLORS[s.key] }
  end
  classes[#classes + 1] = { key = "no_station", label = "无需建站", color = "#e8e8e8" }
  sec.charts = { { type = "grid", id = "chart-township-grid", title = "乡镇（街道）建设阶段",
    groups = groups, classes = classes } }
  sec.intro = "每个方格是一个乡镇（街道），按县（市、区）成行、按区划代码排列，颜色表示其社会工作站所处的建设阶段。"
  return sec
end

local function no_station(ctx)
  local sec = model.section("no-station-needed", "无需建站的单位", {
    { "code", "区划代码" }, { "name", "名称" }, { "county_name", "所属县（市、区）" } })
  sec.rows = data.no_station_needed(ctx.county)
  model.note(sec, "区划代码第7位为4及以上的农场、林场、保护区、开发区等不设社会工作站，不计入覆盖目标。")
  return sec
end

T.sections = {
  { id = "targets", build = targets },
  { id = "coverage", build = per_county },
  { id = "township-grid", build = grid },
  { id = "no-station-needed", build = no_station },
}

return T
