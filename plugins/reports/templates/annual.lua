-- templates/annual.lua — the county's annual report to the city
-- (每年11月30日前汇总报市民政局): every station's mid-term and final
-- evaluation, open findings, staffing and training, services by domain and
-- method, the five-society linkage, funding against spending, service
-- objects (counts only), and what changed since last year.
local sws = require "sws"
local model = require "model"
local data = require "data"

local T = { description = "the county's annual report to the city (due 30 November)" }

local GRADES = { "优秀", "良好", "合格", "不合格" }
local DOMAINS = { party_building = "党建引领", social_assistance = "社会救助",
  child_protection = "儿童关爱保护", elderly_care = "养老服务", emergency = "灾害及公共卫生事件应对",
  migrant = "流动人口服务", community_correction = "社区矫正", civil_affairs = "其他民政服务",
  community_governance = "基层治理", volunteer = "志愿服务", charity = "慈善资源链接",
  org_cultivation = "社区社会组织培育" }
local METHODS = { { "case", "个案" }, { "group", "小组" }, { "community", "社区活动" } }
local CATEGORIES = { construction = "建设经费", operation = "运营经费", personnel = "人员经费",
  evaluation = "评估经费" }

function T.check(ctx)
  if not ctx.county then return "the annual report is a county's: give --county CODE" end
  if not data.county(ctx.county) then return "no county " .. ctx.county .. " in the database" end
end

-- The scores of one phase of the county's stations by code ({} when the
-- year was not evaluated), with the reason when it could not be scored.
-- With `on_file`, a phase of which no assessor's evaluation is on file is
-- not scored (its totals would be the computed items alone).
local function scores(county, year, phase, as_of, on_file)
  if on_file and sws.db.query([[SELECT count(*) AS n FROM evaluation
      WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1) AND year = ?2
        AND phase = ?3]],
      county, year, phase)[1].n == 0 then
    return {}, string.format("%d年尚无%s评估评分记录（sws import scores）", year,
      phase == "mid" and "中期" or "终期")
  end
  local end_of_year = string.format("%d-12-31", year)
  local upto = sws.date.compare(as_of, end_of_year) < 0 and as_of or nil
  if phase == "mid" and upto and sws.date.compare(upto, string.format("%d-06-30", year)) > 0 then
    upto = nil
  end
  local res, err = data.city_scores(county, year, phase, upto)
  if not res then return {}, err end
  local mine = {}
  for _, r in ipairs(res) do
    if r.county == county then mine[r.station] = r end
  end
  return mine
end

function T.prepare(ctx)
  local c = data.county(ctx.county)
  ctx.county_name = c.name
  ctx.doc.scope.county_name = c.name
  ctx.doc.title = string.format("%s%d年度乡镇（街道）社会工作站评估汇总报告", c.name, ctx.year)
  ctx.doc.subtitle = string.format("报送温州市民政局 · 报告期 %d年1月1日至12月31日 · 数据截至 %s",
    ctx.year, ctx.as_of)
  ctx.stations = data.stations(ctx.county)
  ctx.final, ctx.final_error = scores(ctx.county, ctx.year, "final", ctx.as_of)
  ctx.mid, ctx.mid_error = scores(ctx.county, ctx.year, "mid", ctx.as_of, true)
  ctx.staff = data.staffing(ctx.county, ctx.year)
end

local function summary(ctx)
  local sec = model.section("summary", "总体情况")
  local operating, sum, n, excellent = 0, 0, 0, 0
  for _, s in ipairs(ctx.stations) do
    if data.STAGE_GROUP[s.stage or ""] == "operating" then operating = operating + 1 end
    local f = ctx.final[s.code]
    if f and #(f.missing or {}) == 0 then
      sum, n = sum + f.total, n + 1
      if f.grade == "优秀" then excellent = excellent + 1 end
    end
  end
  local resident = 0
  for _, st in pairs(ctx.staff) do resident = resident + (st.resident or 0) end
  local sv = data.service_totals(ctx.county, ctx.year)
  model.figure(sec, "stations", "社会工作站", #ctx.stations, "个")
  model.figure(sec, "operating", "运营中", operating, "个")
  model.figure(sec, "final_mean", "终期评估平均分（评分齐全的站点）", n > 0 and model.round(sum / n, 1) or nil)
  model.figure(sec, "excellent", "评为优秀", excellent, "个")
  model.figure(sec, "resident_workers", "驻站社工", resident, "人")
  model.figure(sec, "service_records", "服务记录", sv.records, "条")
  model.figure(sec, "service_hours", "服务时长", model.round(sv.hours, 1), "小时")
  ctx.summary = { operating = operating, final_mean = n > 0 and sum / n or nil,
    resident = resident, records = sv.records, hours = sv.hours }
  return sec
end

local function evaluation(ctx)
  local sec = model.section("evaluation", "中期与终期评估结果", {
    { "station", "站点代码" }, { "name", "站点名称" }, { "mid_total", "中期得分", "num" },
    { "final_total", "终期得分", "num" }, { "grade", "等级" }, { "stars", "星级" },
    { "rank_county", "县内排名", "int" }, { "rank_city", "全市排名", "int" },
    { "vetoed", "一票否决" } })
  local bins = { 0, 0, 0, 0, 0 }
  local edges = { 60, 70, 80, 90 }
  for _, s in ipairs(ctx.stations) do
    local m, f = ctx.mid[s.code], ctx.final[s.code]
    sec.rows[#sec.rows + 1] = { station = s.code, name = s.name, mid_total = m and m.total,
      final_total = f and f.total, grade = f and f.grade,
      stars = f and f.stars and (f.stars > 0 and string.rep("★", f.stars) or "—"),
      rank_county = f and f.rank_county, rank_city = f and f.rank_city,
      vetoed = f and (f.vetoed and "是" or "否") }
    if f then
      local b = 1
      for i, e in ipairs(edges) do if f.total >= e then b = i + 1 end end
      bins[b] = bins[b] + 1
    end
  end
  local grades = {}
  for _, f in pairs(ctx.final) do grades[f.grade] = (grades[f.grade] or 0) + 1 end
  for _, g in ipairs(GRADES) do model.figure(sec, "grade_" .. g, g, grades[g] or 0, "个") end
  sec.charts = { { type = "bars", id = "chart-score-distribution", title = "终期评估得分分布",
    categories = { "60分以下", "60–69", "70–79", "80–89", "90分及以上" },
    series = { { name = "站点数", values = bins, color = "#2f6db5" } } } }
  if ctx.final_error then model.note(sec, "终期评估未能计分：" .. ctx.final_error) end
  if ctx.mid_error then model.note(sec, "中期评估：" .. ctx.mid_error) end
  model.note(sec, "得分依据县级政策的指标体系（sws eval explain 可查看每一项的得分依据）。")
  return sec
end

local function findings(ctx)
  local sec = model.section("findings", "未整改的合规问题", {
    { "station", "站点代码" }, { "name", "站点名称" }, { "severity", "性质" }, { "rule", "规则" },
    { "message", "问题" } })
  if #ctx.stations == 0 then
    model.note(sec, "本县（市、区）尚无社会工作站。")
    return sec
  end
  local r = sws.check{ county = ctx.county, year = ctx.year, as_of = ctx.as_of }
  local label = { violation = "违规", warning = "警告", advice = "建议" }
  local count = { violation = 0, warning = 0, advice = 0 }
  for _, f in ipairs(r.findings) do
    count[f.severity] = (count[f.severity] or 0) + 1
    sec.rows[#sec.rows + 1] = { station = f.station or f.county, name = f.name,
      severity = label[f.severity] or f.severity, rule = f.rule, message = f.message }
  end
  model.figure(sec, "violations", "违规", count.violation, "项")
  model.figure(sec, "warnings", "警告", count.warning, "项")
  model.figure(sec, "advice", "建议", count.advice, "项")
  return sec
end

local function staffing(ctx)
  local min = sws.policy.get(ctx.county, "standards.min_resident_workers") or 3
  local sec = model.section("staffing", "人员配备与培训", {
    { "station", "站点代码" }, { "name", "站点名称" }, { "resident", "驻站社工", "int" },
    { "standard", "配备标准（不少于）", "int" }, { "qualified", "持证或专业", "int" },
    { "assistants", "社工助理", "int" }, { "room_workers", "社区社会工作室", "int" },
    { "trained", "培训达标", "int" }, { "training_avg", "人均培训（小时）", "num" } })
  local cats, have = {}, {}
  for i, s in ipairs(ctx.stations) do
    local st = ctx.staff[s.code] or {}
    local resident = st.resident or 0
    sec.rows[i] = { station = s.code, name = s.name, resident = resident, standard = min,
      qualified = st.qualified or 0, assistants = st.assistants or 0,
      room_workers = st.room_workers or 0, trained = st.trained or 0,
      training_avg = resident > 0 and model.round((st.training_hours or 0) / resident, 1) or nil }
    cats[i], have[i] = s.name:gsub("社会工作站$", ""), resident
  end
  sec.charts = { { type = "bars", id = "chart-staffing", title = "驻站社工与配备标准",
    categories = cats, series = { { name = "驻站社工", values = have, color = "#2f6db5" } },
    line = { value = min, name = "配备标准" } } }
  model.note(sec, string.format("培训达标指当年培训不少于 %s 小时；配备标准为县级政策的最低人数（按人口和服务对象可更高，见 sws check）。",
    model.show(data.min_training(ctx.county), "num")))
  return sec
end

local function services(ctx)
  local sec = model.section("services", "服务开展情况（按领域和方式）", {
    { "domain", "服务领域" }, { "case", "个案", "int" }, { "group", "小组", "int" },
    { "community", "社区活动", "int" }, { "records", "合计", "int" }, { "hours", "时长（小时）", "num" },
    { "participants", "参与人次", "int" } })
  local by = {}
  local order = {}
  for _, r in ipairs(data.services(ctx.county, ctx.year)) do
    local d = by[r.domain]
    if not d then
      d = { domain = DOMAINS[r.domain] or r.domain, case = 0, group = 0, community = 0,
        records = 0, hours = 0, participants = 0 }
      by[r.domain] = d
      order[#order + 1] = r.domain
    end
    d[r.method] = r.records
    d.records, d.hours = d.records + r.records, model.round(d.hours + r.hours, 1)
    d.participants = d.participants + r.participants
  end
  local cats, series = {}, {}
  for i, m in ipairs(METHODS) do series[i] = { name = m[2], values = {} } end
  for i, k in ipairs(order) do
    sec.rows[i] = by[k]
    cats[i] = by[k].domain
    for j, m in ipairs(METHODS) do series[j].values[i] = by[k][m[1]] end
  end
  sec.charts = { { type = "hbars", id = "chart-service-mix", title = "服务结构（条数）",
    categories = cats, series = series } }
  return sec
end

local function linkage(ctx)
  local orgs, vols, charity = data.linkage(ctx.county, ctx.year)
  local sec = model.section("linkage", "五社联动", {
    { "station", "站点代码" }, { "name", "站点名称" }, { "orgs", "社区社会组织", "int" },
    { "volunteers", "登记志愿者", "int" }, { "served", "当年服务志愿者", "int" },
    { "volunteer_hours", "志愿服务时长", "num" }, { "charity", "慈善资源", "int" },
    { "charity_amount", "慈善资源金额（元）", "num" } })
  local t = { orgs = 0, volunteers = 0, hours = 0, amount = 0 }
  for i, s in ipairs(ctx.stations) do
    local o, v, c = orgs[s.code] or {}, vols[s.code] or {}, charity[s.code] or {}
    sec.rows[i] = { station = s.code, name = s.name, orgs = o.n or 0, volunteers = v.registered or 0,
      served = v.served or 0, volunteer_hours = model.round(v.hours or 0, 1), charity = c.n or 0,
      charity_amount = c.amount or 0 }
    t.orgs, t.volunteers = t.orgs + (o.n or 0), t.volunteers + (v.served or 0)
    t.hours, t.amount = t.hours + (v.hours or 0), t.amount + (c.amount or 0)
  end
  model.figure(sec, "orgs", "社区社会组织", t.orgs, "个")
  model.figure(sec, "volunteers_served", "服务志愿者", t.volunteers, "人")
  model.figure(sec, "volunteer_hours", "志愿服务时长", model.round(t.hours, 1), "小时")
  model.figure(sec, "charity_amount", "链接慈善资源", model.round(t.amount / 10000, 2), "万元")
  ctx.linkage = t
  return sec
end

local function funding(ctx)
  local sec = model.section("funding", "经费预算与支出", {
    { "category", "经费类别" }, { "budget", "预算（元）", "num" }, { "spent", "支出（元）", "num" },
    { "rate", "执行率", "pct" } })
  local cats, b, s = {}, {}, {}
  local tb, ts = 0, 0
  for i, r in ipairs(data.funding(ctx.county, ctx.year)) do
    sec.rows[i] = { category = CATEGORIES[r.category] or r.category, budget = r.budget,
      spent = r.spent, rate = model.pct(r.spent, r.budget) }
    cats[i], b[i], s[i] = CATEGORIES[r.category] or r.category, r.budget, r.spent
    tb, ts = tb + r.budget, ts + r.spent
  end
  sec.rows[#sec.rows + 1] = { category = "合计", budget = tb, spent = ts, rate = model.pct(ts, tb) }
  sec.charts = { { type = "bars", id = "chart-funding", title = "各类经费预算与支出（元）",
    categories = cats, series = { { name = "预算", values = b, color = "#8fb9e6" },
      { name = "支出", values = s, color = "#2f6db5" } } } }
  ctx.funds = { budget = tb, spent = ts }
  return sec
end

local function clients(ctx)
  local sec = model.section("clients", "服务对象（仅计数）", {
    { "group", "类别" }, { "count", "人数", "int" } })
  local total, by_consent, by_age = 0, {}, {}
  for _, r in ipairs(data.client_counts(ctx.county, nil, ctx.as_of, ctx.sensitive_age)) do
    total = total + r.n
    by_consent[r.consent] = (by_consent[r.consent] or 0) + r.n
    by_age[r.age_group] = (by_age[r.age_group] or 0) + r.n
  end
  local consent = { none = "未取得同意", oral = "口头同意", written = "书面同意", guardian = "监护人同意",
    expired = "同意已过期" }
  for _, k in ipairs({ "written", "oral", "guardian", "expired", "none" }) do
    sec.rows[#sec.rows + 1] = { group = consent[k], count = by_consent[k] or 0 }
  end
  sec.rows[#sec.rows + 1] = { group = string.format("未满%d周岁（敏感个人信息）", ctx.sensitive_age),
    count = by_age.sensitive or 0 }
  sec.rows[#sec.rows + 1] = { group = string.format("%d至17周岁", ctx.sensitive_age),
    count = by_age.minor or 0 }
  sec.rows[#sec.rows + 1] = { group = "年龄不详", count = by_age.unknown or 0 }
  model.figure(sec, "clients", "在册服务对象", total, "人")
  model.note(sec, "年龄按身份证号中的出生日期计算（无身份证号的按出生年份）；未满 " .. ctx.sensitive_age
    .. " 周岁者和未取得同意者只计数，不列明个人。")
  return sec
end

-- The same figures for the year before, to show what changed.
local function changes(ctx)
  local sec = model.section("changes", "与上年相比", {
    { "item", "指标" }, { "last", tostring(ctx.year - 1) .. "年", "num" },
    { "this", tostring(ctx.year) .. "年", "num" }, { "change", "变化", "num" } })
  local last_year = ctx.year - 1
  local prev_final = scores(ctx.county, last_year, "final", string.format("%d-12-31", last_year), true)
  local psum, pn = 0, 0
  for _, f in pairs(prev_final) do   -- only stations every listed assessor scored
    if #(f.missing or {}) == 0 then psum, pn = psum + f.total, pn + 1 end
  end
  local psv = data.service_totals(ctx.county, last_year)
  local _, pvols = data.linkage(ctx.county, last_year)
  local phours = 0
  for _, v in pairs(pvols) do phours = phours + (v.hours or 0) end
  local pres = 0
  for _, st in pairs(data.staffing(ctx.county, last_year)) do pres = pres + (st.resident or 0) end
  local pf = { budget = 0, spent = 0 }
  for _, r in ipairs(data.funding(ctx.county, last_year)) do
    pf.budget, pf.spent = pf.budget + r.budget, pf.spent + r.spent
  end
  local s, l, f = ctx.summary or {}, ctx.linkage or {}, ctx.funds or {}
  local function row(item, last, this)
    local change = (last and this) and model.round(this - last, 2) or nil
    sec.rows[#sec.rows + 1] = { item = item, last = last and model.round(last, 2),
      this = this and model.round(this, 2), change = change }
  end
  row("终期评估平均分", pn > 0 and psum / pn or nil, s.final_mean)
  row("驻站社工（人）", pres, s.resident)
  row("服务记录（条）", psv.records, s.records)
  row("服务时长（小时）", psv.hours, s.hours)
  row("志愿服务时长（小时）", phours, l.hours)
  row("经费预算（元）", pf.budget, f.budget)
  row("经费支出（元）", pf.spent, f.spent)
  return sec
end

T.sections = {
  { id = "summary", build = summary },
  { id = "evaluation", build = evaluation },
  { id = "findings", build = findings },
  { id = "staffing", build = staffing },
  { id = "services", build = services },
  { id = "linkage", build = linkage },
  { id = "funding", build = funding },
  { id = "clients", build = clients },
  { id = "changes", build = changes },
}

return T
