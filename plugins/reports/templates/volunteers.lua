-- templates/volunteers.lua — volunteer service hours over a date range by
-- volunteer (names masked), by team and by station.
local sws = require "sws"
local model = require "model"
local data = require "data"

local T = { description = "volunteer hours by volunteer, team and station over a date range" }

function T.check(ctx)
  ctx.from = ctx.opts.from or string.format("%d-01-01", ctx.year)
  ctx.to = ctx.opts.to or string.format("%d-12-31", ctx.year)
  if sws.date.compare(ctx.from, ctx.to) > 0 then
    return string.format("--from %s is after --to %s", ctx.from, ctx.to)
  end
end

function T.prepare(ctx)
  local where = ctx.station or (ctx.county and (data.county(ctx.county) or {}).name) or "全部"
  if ctx.station then
    local st = sws.db.query("SELECT name FROM station WHERE code = ?", ctx.station)[1]
    where = st and st.name or ctx.station
  end
  ctx.doc.title = string.format("%s志愿服务时长统计", where)
  ctx.doc.subtitle = string.format("统计期 %s 至 %s · 数据截至 %s", ctx.from, ctx.to, ctx.as_of)
  ctx.doc.scope.from, ctx.doc.scope.to = ctx.from, ctx.to
  ctx.rows = data.volunteer_hours(ctx.county, ctx.station, ctx.from, ctx.to)
end

local function group(ctx, key_of, label_of)
  local by, order = {}, {}
  for _, r in ipairs(ctx.rows) do
    local k = key_of(r)
    local g = by[k]
    if not g then
      g = { key = k, label = label_of(r), volunteers = 0, services = 0, hours = 0 }
      by[k] = g
      order[#order + 1] = g
    end
    g.volunteers, g.services, g.hours = g.volunteers + 1, g.services + r.services, g.hours + r.hours
  end
  table.sort(order, function(a, b)
    if a.hours ~= b.hours then return a.hours > b.hours end
    return a.key < b.key
  end)
  return order
end

local function by_station(ctx)
  local sec = model.section("stations", "按站点", {
    { "station", "站点代码" }, { "name", "站点名称" }, { "volunteers", "服务志愿者", "int" },
    { "services", "服务次数", "int" }, { "hours", "时长（小时）", "num" } })
  local total = { v = 0, s = 0, h = 0 }
  local cats, vals = {}, {}
  for i, g in ipairs(group(ctx, function(r) return r.station_code end,
      function(r) return r.station_name end)) do
    sec.rows[i] = { station = g.key, name = g.label, volunteers = g.volunteers, services = g.services,
      hours = model.round(g.hours, 1) }
    total.v, total.s, total.h = total.v + g.volunteers, total.s + g.services, total.h + g.hours
    if i <= 30 then cats[i], vals[i] = g.label:gsub("社会工作站$", ""), model.round(g.hours, 1) end
  end
  model.figure(sec, "volunteers", "服务志愿者", total.v, "人")
  model.figure(sec, "services", "服务次数", total.s, "次")
  model.figure(sec, "hours", "服务时长", model.round(total.h, 1), "小时")
  sec.charts = { { type = "hbars", id = "chart-volunteer-hours", title = "各站点志愿服务时长（前30）",
    categories = cats, series = { { name = "时长（小时）", values = vals, color = "#3c9d5d" } } } }
  return sec
end

local function by_team(ctx)
  local sec = model.section("teams", "按志愿服务队", {
    { "team", "服务队" }, { "station", "站点代码" }, { "volunteers", "服务志愿者", "int" },
    { "services", "服务次数", "int" }, { "hours", "时长（小时）", "num" } })
  for i, g in ipairs(group(ctx, function(r) return r.station_code .. "|" .. (r.team or "") end,
      function(r) return r.team or "（未编队）" end)) do
    sec.rows[i] = { team = g.label, station = g.key:sub(1, 9), volunteers = g.volunteers,
      services = g.services, hours = model.round(g.hours, 1) }
  end
  return sec
end

local function by_volunteer(ctx)
  local sec = model.section("volunteers", "按志愿者", {
    { "code", "编号" }, { "name", "姓名" }, { "team", "服务队" }, { "station", "站点代码" },
    { "services", "服务次数", "int" }, { "hours", "时长（小时）", "num" } })
  for i, r in ipairs(ctx.rows) do
    local name = model.person(ctx.opts, r.name)
    sec.rows[i] = { code = r.code, name = name, team = r.team, station = r.station_code,
      services = r.services, hours = model.round(r.hours, 1) }
  end
  model.note(sec, ctx.reveal and "姓名未脱敏（已记入访问日志）。" or "姓名已脱敏。")
  return sec
end

T.sections = {
  { id = "stations", build = by_station },
  { id = "teams", build = by_team },
  { id = "volunteers", build = by_volunteer },
}

return T
