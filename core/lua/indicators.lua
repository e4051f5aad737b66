-- indicators.lua — the evaluation indicator tree of a policy.
--
-- Built into sws (embedded at build time) and run by the host at start with
-- (helpers, policy library); what it returns is library.modules.indicators,
-- which the evaluator calls from C (core/lapi_eval.c). It does three things:
--   * validates `indicators` of every policy (a validator added to
--     library.validators, so `sws policy check` reports tree mistakes by
--     file and line);
--   * flattens the tree into the plan of one phase (plain tables for C);
--   * runs the computed items: each named aggregate query of
--     indicators.aggregates runs once per evaluation over every station,
--     and each item's compute(station, policy, ctx) gets that station's rows
--     in ctx.data — set-based, never one query per station per item.
-- The format is described in docs/evaluation.md.
local helpers, lib = ...

local M = {}

local ASSESSORS = { self = true, government = true, third_party = true }
local TYPES = { yesno = true, parts = true, graded = true, computed = true }
local PHASES = { mid = true, final = true }
-- Set by the city only: every station of the city is graded and ranked on them.
local CITY_NORMS = { "grades", "stars", "assessor_weights", "levels" }

-- ---- small helpers ---------------------------------------------------------

local function is_num(v) return type(v) == "number" and v == v end
local function close(a, b) return math.abs(a - b) < 1e-6 end
local function fmt(x) return (string.format("%.4f", x):gsub("0+$", ""):gsub("%.$", "")) end

-- Natural order of codes: "A1.2" < "A1.10" < "B1".
local function code_key(c)
  return (tostring(c):gsub("%d+", function(d) return string.format("%010d", tonumber(d)) end))
end
local function by_code(a, b) return code_key(a.code) < code_key(b.code) end

-- The entries of map t that are tables, as {key, node} sorted by their code.
local function sorted(t)
  local out = {}
  for k, v in pairs(type(t) == "table" and t or {}) do
    if type(v) == "table" then out[#out + 1] = { key = k, node = v, code = v.code } end
  end
  table.sort(out, by_code)
  return out
end

local function deep_equal(a, b)
  if a == b then return true end
  if type(a) ~= "table" or type(b) ~= "table" then return false end
  for k, v in pairs(a) do if not deep_equal(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function in_phase(it, phase)
  for _, ph in ipairs(it.phases or {}) do if ph == phase then return true end end
  return false
end

-- ---- validation --------------------------------------------------------------

-- Checks one scored entry (an item of the tree, a bonus item or a veto
-- entry) at `path`; returns its points (0 when they are not a number).
local function check_item(v, path, it, kind, prefix)
  local report, codes = v.report, v.codes
  if type(it) ~= "table" then
    report(path, "'" .. path .. "' must be a table")
    return 0
  end
  local code = it.code
  if type(code) ~= "string" or code == "" then
    report(path, "'" .. path .. "' needs a code (a string such as \"A1.2\")")
    code = path
  else
    if codes[code] then
      report(path .. ".code", "the code " .. code .. " is used twice (also by '" .. codes[code] .. "')")
    end
    codes[code] = path
    if prefix and code:sub(1, #prefix + 1) ~= prefix .. "." then
      report(path .. ".code", "item code " .. code .. " should begin with its indicator's code " ..
        prefix .. ".")
    end
  end
  if type(it.name) ~= "string" or it.name == "" then
    report(path, "item " .. code .. " needs a name (text)")
  end
  if kind ~= "veto" and (not is_num(it.points) or it.points <= 0) then
    report(path .. ".points", "item " .. code .. ": points must be a number above 0")
  end
  local t = it.type
  if not TYPES[t] or (kind == "veto" and t ~= "yesno" and t ~= "computed") then
    report(path .. ".type", "item " .. code .. ": type '" .. tostring(t) .. "' is not one of " ..
      (kind == "veto" and "yesno, computed" or "yesno, parts, graded, computed"))
  end
  local phases = it.phases
  if type(phases) ~= "table" or #phases == 0 then
    report(path .. ".phases", "item " .. code .. " needs phases: {\"mid\", \"final\"} or {\"final\"}")
  else
    for _, ph in ipairs(phases) do
      if not PHASES[ph] then
        report(path .. ".phases", "item " .. code .. ": unknown phase '" .. tostring(ph) ..
          "' (mid or final)")
      end
    end
  end
  local assessors = it.assessors
  if t == "computed" then
    if type(it.compute) ~= "function" then
      report(path .. ".compute", "computed item " .. code .. " needs a compute function")
    end
    if type(assessors) == "table" and next(assessors) ~= nil then
      report(path .. ".assessors", "item " .. code .. " is computed from the data; assessors " ..
        "do not score it (make it yesno, parts or graded to have it scored)")
    end
  else
    if type(assessors) ~= "table" or #assessors == 0 then
      report(path .. ".assessors", "item " .. code .. " needs assessors: a list of self, " ..
        "government, third_party")
    else
      for _, a in ipairs(assessors) do
        if not ASSESSORS[a] then
          report(path .. ".assessors", "item " .. code .. ": unknown assessor '" .. tostring(a) ..
            "' (self, government, third_party)")
        end
      end
    end
    if type(it.evidence) ~= "string" or it.evidence == "" then
      report(path .. ".evidence", "item " .. code .. " needs evidence: what the assessor must see")
    end
  end
  if t == "parts" then
    local sum, parts = 0, it.parts
    if type(parts) ~= "table" or #parts == 0 then
      report(path .. ".parts", "item " .. code ..
        " of type parts needs parts: { {name =, points =}, … }")
    else
      for i, part in ipairs(parts) do
        if type(part) ~= "table" or type(part.name) ~= "string" or not is_num(part.points) or
            part.points <= 0 then
          report(path .. ".parts", "item " .. code .. ": part " .. i ..
            " needs a name and points above 0")
        else
          sum = sum + part.points
        end
      end
      if #parts > 8 then report(path .. ".parts", "item " .. code .. " has more than 8 parts") end
      if is_num(it.points) and not close(sum, it.points) then
        report(path .. ".parts", string.format("item %s has %s points but its parts add up to %s",
          code, fmt(it.points), fmt(sum)))
      end
    end
  end
  if t == "graded" and it.levels ~= nil then v.check_levels(path .. ".levels", it.levels) end
  return is_num(it.points) and it.points or 0
end

-- Of several paths, the one the policy's own file set (so that a county's
-- change is reported in the county's file), else the first.
local function pick(p, paths)
  local own = lib.file(p)
  for _, path in ipairs(paths) do
    if lib.where(p, path) == own then return path end
  end
  return paths[1]
end

-- PATH itself when the policy's own file set it, else the first of its keys
-- (for a table of named keys) that the own file set, else PATH: a county
-- that changes one assessor weight is told so at its own line.
local function own(p, path, value)
  local file = lib.file(p)
  if lib.where(p, path) == file then return path end
  if type(value) == "table" and not lib.is_list(value) then
    local keys = {}
    for k in pairs(value) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for _, k in ipairs(keys) do
      if lib.where(p, path .. "." .. k) == file then return path .. "." .. k end
    end
  end
  return path
end

local function check_bands(report, path, bands, field)
  if type(bands) ~= "table" or #bands == 0 then
    report(path, "'" .. path .. "' needs bands: an ordered list, highest first")
    return
  end
  for i, b in ipairs(bands) do
    if type(b) ~= "table" or not is_num(b.min) or
        (field == "name" and type(b.name) ~= "string") or
        (field == "stars" and math.type(b.stars) ~= "integer") then
      report(path, string.format("'%s' band %d needs %s and min (a number)", path, i,
        field == "name" and "a name" or "stars (a whole number)"))
      return
    end
    if i > 1 and not (b.min < bands[i - 1].min) then
      report(path, string.format("'%s' must go from the highest band to the lowest: band %d " ..
        "(min %s) comes after min %s", path, i, fmt(b.min), fmt(bands[i - 1].min)))
    end
  end
  if field == "name" and bands[#bands].min ~= 0 then
    report(path, string.format("the last grade band (%s) must start at 0, so that every total " ..
      "has a grade", tostring(bands[#bands].name)))
  end
end

local function validate(p, city, report)
  local ind = p.indicators
  if type(ind) ~= "table" then return end
  local v = { report = report, codes = {} }
  function v.check_levels(path, levels)
    if type(levels) ~= "table" or #levels < 2 then
      report(path, "'" .. path .. "' needs at least two levels: { {name =, fraction =}, … }")
      return
    end
    for i, l in ipairs(levels) do
      if type(l) ~= "table" or type(l.name) ~= "string" or not is_num(l.fraction) or
          l.fraction < 0 or l.fraction > 1 then
        report(path, string.format("'%s' level %d needs a name and a fraction from 0 to 1", path, i))
        return
      end
      if i > 1 and not (l.fraction < levels[i - 1].fraction) then
        report(path, string.format("'%s' must go from the best level to the worst", path))
      end
    end
  end

  local weights = type(ind.weights) == "table" and ind.weights or {}
  local cw = type(city.indicators) == "table" and type(city.indicators.weights) == "table" and
    city.indicators.weights or {}
  local tree = ind.tree
  if type(tree) ~= "table" then
    report("indicators", "'indicators.tree' is missing: without it no station can be evaluated")
  else
    for _, d in ipairs(sorted(tree)) do
      local dim, node = d.key, d.node
      local path = "indicators.tree." .. dim
      if weights[dim] == nil then
        report(path, "dimension '" .. dim .. "' has no weight in indicators.weights")
      end
      if type(node.code) ~= "string" or type(node.name) ~= "string" then
        report(path, "dimension '" .. dim .. "' needs a code and a name")
      end
      local paths, sum = { path }, 0
      if type(node.indicators) ~= "table" or next(node.indicators) == nil then
        report(path .. ".indicators", "dimension '" .. dim .. "' has no indicators")
      end
      for _, i in ipairs(sorted(node.indicators)) do
        local ipath = path .. ".indicators." .. i.key
        local indic = i.node
        local icode = type(indic.code) == "string" and indic.code or ipath
        if type(indic.code) ~= "string" then
          report(ipath, "indicator '" .. ipath .. "' needs a code")
        elseif v.codes[indic.code] then
          report(ipath .. ".code", "the code " .. indic.code .. " is used twice (also by '" ..
            v.codes[indic.code] .. "')")
        else
          v.codes[indic.code] = ipath
        end
        if type(indic.name) ~= "string" then report(ipath, "indicator " .. icode .. " needs a name") end
        if not is_num(indic.points) or indic.points <= 0 then
          report(ipath .. ".points", "indicator " .. icode .. ": points must be a number above 0")
        end
        local ipaths, isum = { ipath .. ".points" }, 0
        if type(indic.items) ~= "table" or next(indic.items) == nil then
          report(ipath .. ".items", "indicator " .. icode .. " has no items")
        end
        for _, it in ipairs(sorted(indic.items)) do
          local itpath = ipath .. ".items." .. it.key
          isum = isum + check_item(v, itpath, it.node, "item", indic.code)
          ipaths[#ipaths + 1] = itpath .. ".points"
        end
        for k, it in pairs(type(indic.items) == "table" and indic.items or {}) do
          if type(it) ~= "table" then
            report(ipath .. ".items." .. tostring(k), "an item must be a table")
          end
        end
        if is_num(indic.points) and not close(isum, indic.points) then
          report(pick(p, ipaths), string.format("indicator %s has %s points but its items add " ..
            "up to %s", icode, fmt(indic.points), fmt(isum)))
        end
        sum = sum + (is_num(indic.points) and indic.points or 0)
        paths[#paths + 1] = ipath .. ".points"
        for k = 2, #ipaths do paths[#paths + 1] = ipaths[k] end
      end
      if is_num(cw[dim]) and not close(sum, cw[dim]) then
        report(pick(p, paths), string.format("dimension '%s': its indicators add up to %s " ..
          "points, not the city's weight %s (indicators.weights.%s)", dim, fmt(sum), fmt(cw[dim]), dim))
      end
    end
    for dim in pairs(weights) do
      if tree[dim] == nil then
        report("indicators.weights." .. dim, "dimension '" .. tostring(dim) ..
          "' has a weight but no indicators in indicators.tree")
      end
    end
  end

  if ind.levels ~= nil then v.check_levels("indicators.levels", ind.levels) end

  local bonus = ind.bonus
  if bonus ~= nil then
    if type(bonus) ~= "table" or not is_num(bonus.max) or bonus.max < 0 then
      report("indicators.bonus",
        "'indicators.bonus' needs max (the most bonus points, 0 or more) and items")
    else
      for _, it in ipairs(sorted(bonus.items)) do
        check_item(v, "indicators.bonus.items." .. it.key, it.node, "bonus", nil)
      end
    end
  end
  for _, it in ipairs(sorted(ind.veto)) do
    check_item(v, "indicators.veto." .. it.key, it.node, "veto", nil)
  end
  for k, it in pairs(type(ind.veto) == "table" and ind.veto or {}) do
    if type(it) ~= "table" then
      report("indicators.veto." .. tostring(k), "a veto entry must be a table")
    end
  end

  check_bands(report, "indicators.grades", ind.grades, "name")
  if ind.stars ~= nil then check_bands(report, "indicators.stars", ind.stars, "stars") end

  local aw = ind.assessor_weights
  if type(aw) ~= "table" then
    report("indicators", "'indicators.assessor_weights' is missing (e.g. self = 0.2, " ..
      "government = 0.3, third_party = 0.5)")
  else
    local sum = 0
    for a, w in pairs(aw) do
      if not ASSESSORS[a] then
        report("indicators.assessor_weights." .. tostring(a), "unknown assessor '" .. tostring(a) ..
          "' (self, government, third_party)")
      elseif not is_num(w) or w < 0 then
        report("indicators.assessor_weights." .. a,
          "the weight of " .. a .. " must be a number, 0 or more")
      else
        sum = sum + w
      end
    end
    if not close(sum, 1) then
      report(own(p, "indicators.assessor_weights", aw),
        "assessor weights add up to " .. fmt(sum) .. ", not 1")
    end
  end

  for name, a in pairs(type(ind.aggregates) == "table" and ind.aggregates or {}) do
    local path = "indicators.aggregates." .. tostring(name)
    local params = type(a) == "table" and a.params
    local bad_params = params and type(params) ~= "table"
    for k, at in pairs(type(params) == "table" and params or {}) do
      if type(k) ~= "string" or type(at) ~= "string" then bad_params = true end
    end
    if type(a) ~= "table" or type(a.sql) ~= "string" or (a.key ~= nil and type(a.key) ~= "string")
        or (a.set ~= nil and type(a.set) ~= "string") or bad_params then
      report(path, "aggregate '" .. tostring(name) .. "' needs sql (text) and, optionally, key " ..
        "(the column that tells a station's rows apart) or set (the column whose values " ..
        "make the station's set), and params (each :name the query binds to a policy path, " ..
        "such as need = \"standards.contacts_per_village\")")
    elseif a.key ~= nil and a.set ~= nil then
      report(path, "aggregate '" .. tostring(name) .. "' has both key and set: a station's " ..
        "result is either its rows by key or the set of a column's values")
    elseif params then
      lib.param_problems(p, params, report)
    end
  end

  if p ~= city and type(city.indicators) == "table" then
    for _, key in ipairs(CITY_NORMS) do
      if not deep_equal(ind[key], city.indicators[key]) then
        report(own(p, "indicators." .. key, ind[key]), "'indicators." .. key ..
          "' is the city's evaluation norm (every station of the city is graded and ranked " ..
          "on it): a county may not change it")
      end
    end
  end
end

lib.validators[#lib.validators + 1] = validate

-- ---- the plan of a phase -------------------------------------------------------

-- The assessor scores an item accepts, each with its label.
local function valid_scores(it, kind, ind)
  local out = {}
  if it.type == "computed" then return out end
  if kind == "veto" then
    return { { score = 0, label = "未发现" }, { score = 1, label = "发现" } }
  end
  if it.type == "yesno" then
    return { { score = 0, label = "否" }, { score = it.points, label = "是" } }
  end
  if it.type == "graded" then
    for _, l in ipairs(it.levels or ind.levels or {}) do
      out[#out + 1] = { score = it.points * l.fraction, label = l.name }
    end
    return out
  end
  -- parts: every combination of parts
  local parts, seen = it.parts or {}, {}
  for mask = 0, (1 << #parts) - 1 do
    local sum = 0
    for i, part in ipairs(parts) do
      if mask & (1 << (i - 1)) ~= 0 then sum = sum + part.points end
    end
    local key = fmt(sum)
    if not seen[key] then   -- the same sum may come from different parts: no label
      seen[key] = true
      out[#out + 1] = { score = sum, label = "" }
    end
  end
  table.sort(out, function(a, b) return a.score < b.score end)
  return out
end

local function flat(it, kind, dim, indic, ind)
  local assessors = {}
  for i, a in ipairs(it.assessors or {}) do assessors[i] = a end
  return {
    code = it.code, name = it.name, kind = kind, dim = dim, type = it.type,
    points = kind == "veto" and 0 or it.points, assessors = assessors, evidence = it.evidence,
    ind_code = indic and indic.code, ind_name = indic and indic.name,
    ind_points = indic and indic.points, levels = valid_scores(it, kind, ind),
  }
end

-- The plan of phase ("mid" or "final") of policy p: dimensions with their
-- county weight and points (all items, and the phase's), every item of the
-- phase flattened (tree items by code, then bonus items, then veto entries),
-- the grade and star bands and the assessor weights.
function M.plan(p, phase)
  local ind = p.indicators
  local out = { dims = {}, items = {}, grades = {}, stars = {}, weights = {},
                bonus_max = type(ind.bonus) == "table" and ind.bonus.max or 0 }
  for i, d in ipairs(sorted(ind.tree)) do
    local dim = { key = d.key, code = d.node.code, name = d.node.name,
                  weight = ind.weights[d.key] or 0, tree_points = 0, points = 0 }
    out.dims[i] = dim
    for _, indic in ipairs(sorted(d.node.indicators)) do
      for _, it in ipairs(sorted(indic.node.items)) do
        dim.tree_points = dim.tree_points + it.node.points
        if in_phase(it.node, phase) then
          dim.points = dim.points + it.node.points
          out.items[#out.items + 1] = flat(it.node, "item", i, indic.node, ind)
        end
      end
    end
  end
  for _, it in ipairs(sorted(type(ind.bonus) == "table" and ind.bonus.items)) do
    if in_phase(it.node, phase) then
      out.items[#out.items + 1] = flat(it.node, "bonus", nil, nil, ind)
    end
  end
  for _, it in ipairs(sorted(ind.veto)) do
    if in_phase(it.node, phase) then
      out.items[#out.items + 1] = flat(it.node, "veto", nil, nil, ind)
    end
  end
  for i, b in ipairs(ind.grades or {}) do out.grades[i] = { name = b.name, min = b.min } end
  for i, b in ipairs(ind.stars or {}) do out.stars[i] = { stars = b.stars, min = b.min } end
  for a, w in pairs(ind.assessor_weights or {}) do out.weights[a] = w end
  return out
end

-- ---- computed items ----------------------------------------------------------

local api   -- the sws table, fetched on first use (it is built after this module)
local function sws_api()
  api = api or helpers.env(".").sws
  return api
end

-- ctx.why of a run that keeps no explanation: nothing is formatted.
local function no_why() return "" end

-- A session is one evaluation run: its period, its stations and the results
-- of the aggregate queries (by SQL text, so that county policies that
-- inherit the city's queries share one run of each).
-- opts: year, phase, from, to, share, explain (the explanations are kept);
-- codes: the station codes to score.
function M.session(opts, codes)
  local S = { opts = opts, list = codes, codes = {}, stations = {}, results = {}, pending = {},
              queued = {}, why = opts.explain and string.format or no_why,
              computed = setmetatable({}, { __mode = "k" }),
              aggregate_lists = setmetatable({}, { __mode = "k" }) }
  S.params = { year = opts.year, phase = opts.phase, from = opts.from, to = opts.to,
               as_of = opts.to }
  local first, last
  for _, c in ipairs(codes) do
    S.codes[c] = true
    if not first or c < first then first = c end
    if not last or c > last then last = c end
  end
  -- the range of codes lets a query read only the stations evaluated
  S.params.first, S.params.last = first or "", last or ""
  local rows = sws_api().db.query([[SELECT s.*, t.code AS code, t.name AS township, t.county_code,
    t.population, t.service_objects, t.kind FROM station s JOIN township t ON t.code = s.code
    WHERE s.code BETWEEN ?1 AND ?2]], S.params.first, S.params.last)
  for _, r in ipairs(rows) do
    if S.codes[r.code] then S.stations[r.code] = r end
  end
  return S
end

-- The key of aggregate a in a session's results: its SQL and key column
-- (built once per aggregate table: every station of every chunk asks it),
-- and the values policy p gives its params, with those values (policies
-- that agree on them share one run).
local agg_ids = setmetatable({}, { __mode = "k" })
local function agg_id(a, p)
  local id = agg_ids[a]
  if not id then
    id = a.sql .. "\0" .. tostring(a.key) .. "\0" .. tostring(a.set)
    agg_ids[a] = id
  end
  if not a.params then return id end
  local values, vid = lib.params(p, a.params)
  return id .. "\0" .. vid, values
end

-- Queues the aggregate queries of policy p that the session has not run;
-- returns how many are waiting.
function M.prepare(S, p)
  local names = {}
  for name in pairs(p.indicators.aggregates or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local a = p.indicators.aggregates[name]
    local ok, id, values = pcall(agg_id, a, p)
    if not ok then error("indicators.aggregates." .. name .. ": " .. tostring(id), 0) end
    if not S.results[id] and not S.queued[id] then
      S.queued[id] = true
      local binds = S.params
      if values then
        binds = {}
        for k, v in pairs(S.params) do binds[k] = v end
        for k, v in pairs(values) do binds[k] = v end
      end
      S.pending[#S.pending + 1] = { name = name, sql = a.sql, key = a.key, set = a.set, id = id,
                                    binds = binds }
    end
  end
  return #S.pending
end

-- Runs one waiting aggregate query; false when none waits. Its rows are
-- kept per station (grouped in C, sws.db.grouped): one row, or with `key`
-- a table of rows by that column, or with `set` the set of that column's
-- values.
function M.load(S)
  local a = table.remove(S.pending, 1)
  if not a then return false end
  local ok, res = pcall(sws_api().db.grouped,
    { by = "station_code", key = a.key or a.set, set = a.set ~= nil }, a.sql, a.binds)
  if not ok then
    if tostring(res):find("no column 'station_code'", 1, true) then
      error("indicators.aggregates." .. a.name .. ": the query must return a station_code column", 0)
    end
    error("indicators.aggregates." .. a.name .. ": " .. tostring(res), 0)
  end
  S.results[a.id] = res
  return true
end

-- The computed entries of policy p in the session's phase, each with its
-- place in the evaluator's plan (places: code -> place).
local function computed_items(S, p, places)
  local list = S.computed[p]
  if list then return list end
  list = {}
  local ind = p.indicators
  local function add(it, kind)
    if it.type == "computed" and in_phase(it, S.opts.phase) then
      list[#list + 1] = { it = it, kind = kind, place = places[it.code] }
    end
  end
  for _, d in ipairs(sorted(ind.tree)) do
    for _, indic in ipairs(sorted(d.node.indicators)) do
      for _, it in ipairs(sorted(indic.node.items)) do add(it.node, "item") end
    end
  end
  for _, it in ipairs(sorted(type(ind.bonus) == "table" and ind.bonus.items)) do
    add(it.node, "bonus")
  end
  for _, it in ipairs(sorted(ind.veto)) do add(it.node, "veto") end
  S.computed[p] = list
  return list
end

-- The aggregates of policy p as a list of {name, id}, made once per
-- session and policy.
local function aggregate_list(S, p)
  local list = S.aggregate_lists[p]
  if list then return list end
  list = {}
  for name, a in pairs(p.indicators.aggregates or {}) do
    list[#list + 1] = { name = name, id = (agg_id(a, p)) }
  end
  S.aggregate_lists[p] = list
  return list
end

-- ctx.data of every station: a name that is no aggregate is an error.
local NO_AGGREGATE = { __index = function(_, name)
  error("no aggregate '" .. tostring(name) .. "' in indicators.aggregates", 2)
end }

-- Runs every computed item of the station at place i of the session's
-- codes with policy p, handing each result to put(i, place, points, why,
-- error); a veto entry's points are 1 when it is triggered. Each
-- compute(station, policy, ctx) gets ctx = {year, phase, from, to, share,
-- item, data, why}, where data.<aggregate> is the station's row (or table of
-- rows) of that aggregate, {} when it has none, and why(fmt, ...) is
-- string.format when the run keeps explanations, else gives "" unformatted.
local function station(S, p, i, places, put)
  local code = S.list[i]
  local st = S.stations[code]
  if not st then error("station " .. code .. " is not part of this evaluation", 0) end
  local data = {}
  for _, a in ipairs(aggregate_list(S, p)) do
    local res = S.results[a.id]
    data[a.name] = res and res[code] or {}
  end
  setmetatable(data, NO_AGGREGATE)
  local o = S.opts
  local ctx = { year = o.year, phase = o.phase, from = o.from, to = o.to, share = o.share,
                data = data, why = S.why }
  for _, c in ipairs(computed_items(S, p, places)) do
    local it = c.it
    ctx.item = it
    S.item = it.code -- named by the host if the station's budget runs out
    local ok, v, why = pcall(it.compute, st, p, ctx)
    if not ok and (v == "not enough memory" or tostring(v):find("budget of %d+ [%a ]*exceeded")) then
      -- the station's budget is spent: its other items cannot run either
      -- (the host names the memory budget, when that was it)
      error(v, 0)
    elseif not ok then
      put(i, c.place, nil, nil, tostring(v))
    elseif c.kind ~= "veto" and not is_num(v) then
      put(i, c.place, nil, nil, "compute returned " .. tostring(v) .. " instead of points")
    else
      put(i, c.place, c.kind == "veto" and (v and 1 or 0) or v, why) -- made text if kept
    end
  end
end

-- Runs the computed items of the session's stations from place run.from
-- on, in one call: run.begin(i) before station i (the host gives it a
-- budget of its own), its policy run.policies[run.plans[i]], its entries'
-- places in the evaluator's plan run.places[run.plans[i]], and each result
-- to run.put.
function M.stations(S, run)
  local policies, places, plans, begin, put = run.policies, run.places, run.plans, run.begin,
    run.put
  for i = run.from, #S.list do
    S.item = nil
    begin(i)
    local k = plans[i]
    station(S, policies[k], i, places[k], put)
  end
end

return M
