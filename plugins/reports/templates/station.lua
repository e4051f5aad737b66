-- templates/station.lua — one station's scorecard: its score and how it was
-- earned, its open findings, its service objects (masked; under-14s and
-- objects without consent only counted) and its workflow audit trail.
local sws = require "sws"
local model = require "model"
local data = require "data"

local T = { description = "one station's scorecard: score explained, findings, audit trail" }

function T.check(ctx)
  if not ctx.station then return "the station report needs --station CODE" end
  if #sws.db.query("SELECT 1 FROM station WHERE code = ?", ctx.station) == 0 then
    return "no station " .. ctx.station .. " in the database"
  end
end

function T.prepare(ctx)
  local st = sws.db.query([[SELECT s.name, c.name AS county_name FROM station s
    JOIN township t ON t.code = s.code JOIN county c ON c.code = t.unit_code
    WHERE s.code = ?]], ctx.station)[1]
  ctx.name = st.name
  ctx.doc.scope.county_name = st.county_name
  ctx.doc.title = string.format("%s %d年评估记分卡", st.name, ctx.year)
  ctx.doc.subtitle = string.format("%s · 站点代码 %s · 数据截至 %s", st.county_name, ctx.station,
    ctx.as_of)
  local upto = sws.date.compare(ctx.as_of, ctx.year .. "-12-31") < 0 and ctx.as_of or nil
  local ok, res = pcall(sws.eval.score, ctx.station, ctx.year, "final", upto)
  if ok then ctx.score = res else ctx.score_error = tostring(res) end
end

local function score(ctx)
  local sec = model.section("score", "终期评估得分", {
    { "code", "维度" }, { "name", "名称" }, { "weight", "权重", "num" }, { "score", "得分", "num" },
    { "pct", "得分率", "pct" } })
  local s = ctx.score
  if not s then
    model.note(sec, "未能计分：" .. (ctx.score_error or "?"))
    return sec
  end
  model.figure(sec, "total", "总分", s.total)
  model.figure(sec, "grade", "等级", s.grade)
  model.figure(sec, "stars", "星级", s.stars > 0 and string.rep("★", s.stars) or "—")
  model.figure(sec, "rank_county", "县内排名", string.format("%d / %d", s.rank_county, s.stations_county))
  model.figure(sec, "rank_city", "全市排名", string.format("%d / %d", s.rank_city, s.stations_city))
  local keys = {}
  for k in pairs(s.dimensions) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return s.dimensions[a].code < s.dimensions[b].code end)
  local cats, got, lost = {}, {}, {}
  for i, k in ipairs(keys) do
    local d = s.dimensions[k]
    sec.rows[i] = { code = d.code, name = d.name, weight = d.weight, score = model.round(d.score, 2),
      pct = model.pct(d.score, d.weight) }
    cats[i], got[i], lost[i] = d.name, model.round(d.score, 2), model.round(d.weight - d.score, 2)
  end
  sec.charts = { { type = "hbars", id = "chart-dimensions", title = "各维度得分与失分",
    categories = cats, series = { { name = "得分", values = got, color = "#3c9d5d" },
      { name = "失分", values = lost, color = "#e8b4b4" } } } }
  if s.vetoed then model.note(sec, "触发一票否决：" .. table.concat(s.veto, "、")) end
  return sec
end

local function items(ctx)
  local sec = model.section("items", "得分说明（逐项）", {
    { "code", "指标" }, { "name", "内容" }, { "earned", "得分", "num" }, { "points", "分值", "num" },
    { "why", "依据" } })
  local s = ctx.score
  if not s then return sec end
  local codes = {}
  for code in pairs(s.items) do codes[#codes + 1] = code end
  table.sort(codes)
  for _, code in ipairs(codes) do
    local it = s.items[code]
    local why = it.why or it.error
    if not why then
      local parts = {}
      for a, v in pairs(it.scores or {}) do parts[#parts + 1] = a .. " " .. model.show(v, "num") end
      table.sort(parts)
      why = #parts > 0 and ("评估打分：" .. table.concat(parts, "，")) or "未打分"
    end
    sec.rows[#sec.rows + 1] = { code = code, name = it.name, earned = model.round(it.earned, 2),
      points = it.points, why = why }
  end
  for _, m in ipairs(s.missing or {}) do model.note(sec, "缺少评分：" .. m) end
  return sec
end

local function findings(ctx)
  local sec = model.section("findings", "未整改的合规问题", {
    { "severity", "性质" }, { "rule", "规则" }, { "message", "问题" }, { "actual", "实际" },
    { "required", "要求" } })
  local r = sws.check{ station = ctx.station, year = ctx.year, as_of = ctx.as_of }
  local label = { violation = "违规", warning = "警告", advice = "建议" }
  for i, f in ipairs(r.findings) do
    sec.rows[i] = { severity = label[f.severity] or f.severity, rule = f.rule, message = f.message,
      actual = f.actual, required = f.required }
  end
  return sec
end

local function clients(ctx)
  local sec = model.section("clients", "服务对象", {
    { "code", "编号" }, { "name", "姓名" }, { "category", "类别" }, { "age", "年龄", "int" },
    { "minor", "未成年" }, { "id", "身份证号" }, { "phone", "手机号" }, { "address", "住址" },
    { "consent", "同意情况" }, { "consent_date", "同意日期" } })
  local consent = { oral = "口头同意", written = "书面同意", guardian = "监护人同意" }
  local hidden_young = 0
  for _, c in ipairs(data.listable_clients(ctx.station)) do
    local age = model.age(c.birth_date, c.birth_year, ctx.as_of)
    if not age or age < ctx.sensitive_age then   -- a child, or maybe one: counted only
      hidden_young = hidden_young + 1
    else
      local name, address = model.person(ctx.opts, c.name, c.address)
      sec.rows[#sec.rows + 1] = { code = c.code, name = name, category = c.category, age = age,
        minor = age < 18 and "是" or "否", id = c.id_masked,
        phone = c.phone_masked, address = address, consent = consent[c.consent],
        consent_date = c.consent_date }
    end
  end
  local none, expired, total = 0, 0, 0
  for _, r in ipairs(data.client_counts(nil, ctx.station, ctx.as_of, ctx.sensitive_age)) do
    total = total + r.n
    if r.consent == "none" then none = none + r.n end
    if r.consent == "expired" then expired = expired + r.n end
  end
  model.figure(sec, "clients", "在册服务对象", total, "人")
  model.figure(sec, "listed", "列明", #sec.rows, "人")
  model.figure(sec, "sensitive", string.format("未满%d周岁或年龄不详（只计数）", ctx.sensitive_age), hidden_young, "人")
  model.figure(sec, "no_consent", "未取得或已过期同意（只计数）", none + expired, "人")
  model.note(sec, ctx.reveal and "姓名、住址未脱敏（已记入访问日志）。"
    or "姓名、住址已脱敏；身份证号、手机号按入库时的脱敏形式显示。")
  return sec
end

local function audit(ctx)
  local sec = model.section("audit", "建设流程审计记录", {
    { "time", "时间" }, { "actor", "操作人" }, { "action", "动作" }, { "from_stage", "原阶段" },
    { "to_stage", "新阶段" }, { "reason", "理由" }, { "policy_version", "政策版本" } })
  sec.rows = data.audit_trail(ctx.station)
  return sec
end

T.sections = {
  { id = "score", build = score },
  { id = "items", build = items },
  { id = "findings", build = findings },
  { id = "clients", build = clients },
  { id = "audit", build = audit },
}

return T
