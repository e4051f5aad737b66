-- rules.lua — the construction standards as compliance rules (`sws check`).
--
-- Built into sws. Each rule looks at every station of the scope at once
-- (set-based queries, so a province is as cheap as a county) and reports a
-- finding per station that breaks it: what is wrong, the evidence (actual
-- against required) and the policy path whose file:line set the requirement.
-- The severity is the rule's own unless the station's policy says otherwise
-- under `rules` (or switches the rule off with false).
local helpers, policy = ...

local M = {}
local sws_api   -- the sandbox's `sws`, looked up when first needed

local function api()
  if not sws_api then sws_api = helpers.env(".").sws end
  return sws_api
end

local function q(sql, ...) return api().db.query(sql, ...) end

-- Rows of sql (over the scope) grouped by their first column.
local function by_station(sql, ...)
  local out = {}
  for _, r in ipairs(q(sql, ...)) do
    local k = r.station_code
    out[k] = out[k] or {}
    table.insert(out[k], r)
  end
  return out
end

M.SEVERITIES = { violation = 3, warning = 2, advice = 1 }

-- ---- the context of one run ------------------------------------------------

-- The scope filter used by every query: ?1 and ?2 are the first and the
-- last station code of the stations being checked (the check runs a large
-- scope in chunks of whole counties; a range keeps the queries on their
-- indexes).
local SCOPE = "%s BETWEEN ?1 AND ?2"
local function scoped(column) return string.format(SCOPE, column) end
M.scoped = scoped

function M.context(opts)
  local ctx = { county = opts.county, station = opts.station, year = opts.year,
                as_of = opts.as_of, first = opts.first, last = opts.last, findings = {},
                policies = {} }
  ctx.stations = q([[SELECT s.*, t.name AS township, t.county_code, t.population,
      t.service_objects, t.kind FROM station s JOIN township t ON t.code = s.code
      WHERE ]] .. scoped("s.code") .. " ORDER BY s.code", ctx.first, ctx.last)
  -- A county without a policy file has the city's; a county whose file
  -- fails to load is reported (ctx.broken: county, error) and its stations
  -- are left out, never judged by the city's policy instead.
  ctx.broken = {}
  local kept = {}
  for _, s in ipairs(ctx.stations) do
    local county = s.code:sub(1, 6)
    if ctx.policies[county] == nil then
      local ok, loaded = pcall(policy.load, county)
      if ok then
        ctx.policies[county] = loaded
      elseif tostring(loaded):find("no policy file ", 1, true) then
        ctx.policies[county] = policy.load("default")
      else
        ctx.policies[county] = false
        ctx.broken[#ctx.broken + 1] = { county = county, error = tostring(loaded) }
      end
    end
    if ctx.policies[county] then kept[#kept + 1] = s end
  end
  ctx.stations = kept
  ctx.by_code = {}
  for _, s in ipairs(ctx.stations) do ctx.by_code[s.code] = s end

  function ctx.policy(code)
    local county = code:sub(1, 6)
    local p = ctx.policies[county]
    if p == false then error("the policy of county " .. county .. " did not load", 0) end
    if not p then
      local ok, loaded = pcall(policy.load, county)
      p = ok and loaded or policy.load("default")
      ctx.policies[county] = p
    end
    return p
  end

  -- Runs sql over the scope (?1 first, ?2 last station code, then the extra values).
  function ctx.query(sql, ...) return q(sql, ctx.first, ctx.last, ...) end
  function ctx.grouped(sql, ...) return by_station(sql, ctx.first, ctx.last, ...) end

  -- Records a finding of the running rule (ctx.rule) for station `code`.
  -- f = {message, actual, required, path, county}
  function ctx.find(code, f)
    local rule = ctx.rule
    local p = ctx.policy(code or f.county)
    local sev = rule.severity            -- plugin rules bring their own default
    local cfg = p.rules and p.rules[rule.id]
    if cfg == false then return end          -- switched off by the policy
    if type(cfg) == "string" then sev = cfg end
    local file, line = policy.where(p, f.path or ("rules." .. rule.id))
    local st = code and ctx.by_code[code]
    ctx.findings[#ctx.findings + 1] = {
      rule = rule.id, severity = sev, station = code, name = st and st.name,
      county = f.county or (code and code:sub(1, 6)), message = f.message,
      actual = f.actual ~= nil and tostring(f.actual) or nil,
      required = f.required ~= nil and tostring(f.required) or nil,
      layer = string.format("%s:%d", file, line),
    }
  end
  return ctx
end

-- ---- the rules -------------------------------------------------------------

local function missing_of(required, have)
  local missing = {}
  for _, k in ipairs(required) do
    if not have[k] then missing[#missing + 1] = k end
  end
  return missing
end

local function get(t, path)
  for part in path:gmatch("[^.]+") do t = t[part] end
  return t
end

-- A rule that every kind the policy lists under `path` is on file for the
-- station in table `tbl` (rooms, facilities, rules and databases).
local function requires_all(id, tbl, where, path, what, required)
  return { id = id, severity = "violation", doc = "every entry of " .. path,
    run = function(ctx)
      local have = ctx.grouped("SELECT station_code, kind FROM " .. tbl .. " WHERE " .. where ..
        scoped("station_code"))
      for _, s in ipairs(ctx.stations) do
        local set = {}
        for _, r in ipairs(have[s.code] or {}) do set[r.kind] = true end
        local missing = missing_of(get(ctx.policy(s.code), path), set)
        if #missing > 0 then
          ctx.find(s.code, { message = "missing " .. what .. ": " .. table.concat(missing, ", "),
            actual = #missing .. " missing", required = required, path = path })
        end
      end
    end }
end

-- Every rule: id, severity (used when the policy's `rules` does not name
-- the rule), what it checks, and run(ctx).
M.builtin = {
  { id = "area", severity = "violation", doc = "floor area of at least standards.min_area_m2",
    run = function(ctx)
      for _, s in ipairs(ctx.stations) do
        local need = ctx.policy(s.code).standards.min_area_m2
        if (s.area_m2 or 0) < need then
          ctx.find(s.code, { message = string.format("the station has %s m²; it needs %d m² or more",
              s.area_m2 and string.format("%g", s.area_m2) or "no recorded area", need),
            actual = string.format("%g", s.area_m2 or 0), required = ">= " .. need,
            path = "standards.min_area_m2" })
        end
      end
    end },

  requires_all("rooms", "station_room", "", "standards.required_rooms", "rooms",
    "all required rooms"),

  requires_all("facilities", "station_facility", "quantity > 0 AND ", "standards.required_facilities",
    "facilities", "all required facilities"),

  { id = "sign", severity = "warning", doc = "the station sign of 64 cm × 45 cm",
    run = function(ctx)
      for _, s in ipairs(ctx.stations) do
        local st = ctx.policy(s.code).standards
        local w, h = s.sign_width_cm, s.sign_height_cm
        if not w or not h or w < st.sign_width_cm or h < st.sign_height_cm then
          ctx.find(s.code, { message = "the sign \"×××社会工作站\" is not the required size",
            actual = w and h and string.format("%g × %g cm", w, h) or "no sign recorded",
            required = string.format("%d × %d cm", st.sign_width_cm, st.sign_height_cm),
            path = "standards.sign_width_cm" })
        end
      end
    end },

  requires_all("institutions", "station_institution", "", "standards.required_institutions",
    "rules or databases", "all required rules and databases"),

  { id = "staffing", severity = "violation",
    doc = "resident workers between the policy's minimum and maximum for the township",
    run = function(ctx)
      local n = {}
      for _, r in ipairs(ctx.query([[SELECT station_code, count(*) AS n FROM worker
          WHERE role = 'resident' AND left_on IS NULL AND ]] .. scoped("station_code") ..
          " GROUP BY station_code")) do n[r.station_code] = r.n end
      for _, s in ipairs(ctx.stations) do
        local p = ctx.policy(s.code)
        local have = n[s.code] or 0
        local need = math.max(p.standards.min_resident_workers, p.staffing(s))
        local max = p.standards.max_resident_workers
        if have < need or have > max then
          ctx.find(s.code, { message = string.format(
              "%d resident social workers; the township (population %s, %s service objects) needs %d to %d",
              have, s.population or "?", s.service_objects or "?", need, max),
            actual = have, required = need .. "-" .. max, path = "staffing" })
        end
      end
    end },

  { id = "worker_age", severity = "warning", doc = "resident workers aged standards.max_age or younger",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT station_code, code, birth_date FROM worker
          WHERE role = 'resident' AND left_on IS NULL AND birth_date IS NOT NULL AND ]] ..
          scoped("station_code"))
      for code, ws in pairs(rows) do
        local max = ctx.policy(code).standards.max_age
        local old = {}
        for _, w in ipairs(ws) do
          local age = api().date.age(w.birth_date, ctx.as_of)
          if age > max then old[#old + 1] = w.code .. " (" .. age .. ")" end
        end
        if #old > 0 then
          ctx.find(code, { message = "resident workers older than " .. max .. ": " ..
              table.concat(old, ", "), actual = #old .. " over age", required = "<= " .. max,
            path = "standards.max_age" })
        end
      end
    end },

  { id = "qualification", severity = "violation",
    doc = "resident workers with a social-work degree or the national certificate",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT station_code, code, qualification FROM worker
          WHERE role = 'resident' AND left_on IS NULL AND ]] .. scoped("station_code"))
      for code, ws in pairs(rows) do
        local ok = {}
        for _, q2 in ipairs(ctx.policy(code).standards.accepted_qualifications) do ok[q2] = true end
        local bad = {}
        for _, w in ipairs(ws) do
          if not ok[w.qualification] then bad[#bad + 1] = w.code .. " (" .. w.qualification .. ")" end
        end
        if #bad > 0 then
          ctx.find(code, { message = "resident workers without an accepted qualification: " ..
              table.concat(bad, ", "), actual = #bad .. " unqualified",
            required = "degree or certificate", path = "standards.accepted_qualifications" })
        end
      end
    end },

  { id = "training_hours", severity = "warning",
    doc = "each resident worker trained standards.min_training_hours hours in the year",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT w.station_code, w.code,
          coalesce((SELECT sum(hours) FROM training t WHERE t.worker_code = w.code
            AND t.date BETWEEN ?3 || '-01-01' AND ?3 || '-12-31'), 0) AS hours
          FROM worker w WHERE w.role = 'resident' AND w.left_on IS NULL AND ]] ..
          scoped("w.station_code"), tostring(ctx.year))
      for code, ws in pairs(rows) do
        local min = ctx.policy(code).standards.min_training_hours
        local short = {}
        for _, w in ipairs(ws) do
          if w.hours < min then short[#short + 1] = string.format("%s (%g h)", w.code, w.hours) end
        end
        if #short > 0 then
          ctx.find(code, { message = string.format("resident workers with fewer than %d training hours in %d: %s",
              min, ctx.year, table.concat(short, ", ")), actual = #short .. " short",
            required = ">= " .. min .. " h", path = "standards.min_training_hours" })
        end
      end
    end },

  { id = "community_time", severity = "warning",
    doc = "resident workers spend standards.min_community_share of their hours in communities",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT w.station_code, w.code, sum(t.total_hours) AS total,
          sum(t.community_hours) AS community FROM worktime t JOIN worker w ON w.code = t.worker_code
          WHERE w.role = 'resident' AND t.month BETWEEN ?3 || '-01' AND ?3 || '-12' AND ]] ..
          scoped("w.station_code") .. " GROUP BY w.code", tostring(ctx.year))
      for code, ws in pairs(rows) do
        local min = ctx.policy(code).standards.min_community_share
        local low = {}
        for _, w in ipairs(ws) do
          local share = w.total > 0 and w.community / w.total or 0
          if share < min then low[#low + 1] = string.format("%s (%.1f%%)", w.code, share * 100) end
        end
        if #low > 0 then
          ctx.find(code, { message = "resident workers below the community share: " ..
              table.concat(low, ", "), actual = #low .. " below",
            required = string.format(">= %g%%", min * 100), path = "standards.min_community_share" })
        end
      end
    end },

  { id = "village_contacts", severity = "violation",
    doc = "a designated contact worker for every village and community",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT v.township_code AS station_code, v.code, v.name
          FROM village v LEFT JOIN village_contact c ON c.village_code = v.code
          WHERE c.village_code IS NULL AND ]] .. scoped("v.township_code"))
      for code, vs in pairs(rows) do
        if ctx.by_code[code] then
          local names = {}
          for _, v in ipairs(vs) do names[#names + 1] = v.name end
          ctx.find(code, { message = "villages or communities without a contact worker: " ..
              table.concat(names, "、"), actual = #vs .. " without", required = "1 each",
            path = "standards.contacts_per_village" })
        end
      end
    end },

  { id = "hub", severity = "violation", doc = "standards.hubs_per_county hub station per county",
    run = function(ctx)
      local rows = ctx.query([[SELECT t.county_code AS county, sum(s.is_hub) AS hubs, count(*) AS n
          FROM station s JOIN township t ON t.code = s.code
          WHERE t.county_code BETWEEN substr(?1, 1, 6) AND substr(?2, 1, 6)
          GROUP BY t.county_code]])
      for _, r in ipairs(rows) do
        local want = ctx.policy(r.county .. "000").standards.hubs_per_county
        if r.hubs ~= want then
          ctx.find(nil, { county = r.county, message = string.format(
              "the county has %d hub stations (总站); it should have %d", r.hubs, want),
            actual = r.hubs, required = want, path = "standards.hubs_per_county" })
        end
      end
    end },

  { id = "transition_332", severity = "violation",
    doc = "3+3+2: when the transition of standards.transition_years ends, professional staff",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT a.station_code, m.assistant_code, m.start_date
          FROM mentoring m JOIN worker a ON a.code = m.assistant_code
          WHERE m.end_date IS NULL AND ]] .. scoped("a.station_code"))
      local pro = {}
      for _, r in ipairs(ctx.query([[SELECT station_code, count(*) AS n FROM worker
          WHERE role = 'resident' AND left_on IS NULL AND qualification IN
          ('assistant_social_worker', 'social_worker', 'senior_social_worker') AND ]] ..
          scoped("station_code") .. " GROUP BY station_code")) do pro[r.station_code] = r.n end
      for code, ms in pairs(rows) do
        local p = ctx.policy(code)
        local years = p.standards.transition_years
        local ended = {}
        for _, m in ipairs(ms) do
          if api().date.add_years(m.start_date, years) <= ctx.as_of then ended[#ended + 1] = m.assistant_code end
        end
        local need = p.standards.min_resident_workers
        if #ended > 0 and (pro[code] or 0) < need then
          ctx.find(code, { message = string.format(
              "the %d-year transition of %s has ended, but the station has %d certified resident workers",
              years, table.concat(ended, ", "), pro[code] or 0),
            actual = pro[code] or 0, required = ">= " .. need .. " certified",
            path = "standards.transition_years" })
        end
      end
    end },

  { id = "chores", severity = "warning",
    doc = "no township administrative chores recorded as services (chore_patterns)",
    run = function(ctx)
      -- each record was judged against its county's chore_patterns when it
      -- was stored (core/chores.c); the few chores have their own index
      for _, r in ipairs(ctx.query([[SELECT station_code, count(*) AS n,
          min(description) AS example FROM service_record INDEXED BY service_record_chore
          WHERE chore <> '' AND ]] .. scoped("station_code") .. [[
          AND date BETWEEN ?3 || '-01-01' AND ?3 || '-12-31' GROUP BY station_code]],
          tostring(ctx.year))) do
        ctx.find(r.station_code, { message = string.format(
            "%d service records look like township administrative chores, e.g. \"%s\"",
            r.n, r.example), actual = r.n, required = 0, path = "chore_patterns" })
      end
    end },

  { id = "funding", severity = "violation",
    doc = "a budget in every category of standards.required_funding for the year",
    run = function(ctx)
      local have = ctx.grouped([[SELECT DISTINCT station_code, category FROM funding
          WHERE year = ?3 AND budget > 0 AND ]] .. scoped("station_code"), ctx.year)
      for _, s in ipairs(ctx.stations) do
        local set = {}
        for _, r in ipairs(have[s.code] or {}) do set[r.category] = true end
        local missing = missing_of(ctx.policy(s.code).standards.required_funding, set)
        if #missing > 0 then
          ctx.find(s.code, { message = string.format("no %d budget for: %s", ctx.year,
              table.concat(missing, ", ")), actual = #missing .. " missing",
            required = "all categories", path = "standards.required_funding" })
        end
      end
    end },

  { id = "needs_no_station", severity = "advice",
    doc = "farms, reserves and development zones need no station",
    run = function(ctx)
      for _, s in ipairs(ctx.stations) do
        if s.kind == "special" then
          ctx.find(s.code, { message = "this township code is a farm, reserve or zone, which " ..
              "needs no station", actual = s.township, required = "none", path = "rules.needs_no_station" })
        end
      end
    end },
}

-- Validates a policy's `rules` section: known ids (built-in or "plugin:" ids
-- are taken on trust), known severities, and the city's floors.
policy.validators[#policy.validators + 1] = function(p, city, report)
  local known = {}
  for _, r in ipairs(M.builtin) do known[r.id] = r end
  for id, v in pairs(p.rules or {}) do
    local path = "rules." .. tostring(id)
    if v ~= false and not M.SEVERITIES[v] then
      report(path, "rule '" .. tostring(id) .. "': severity must be violation, warning, advice or false")
    end
    local floor = city.bounds and city.bounds[path] and city.bounds[path].floor
    if floor and (v == false or (M.SEVERITIES[v] or 0) < M.SEVERITIES[floor]) then
      report(path, string.format("rule '%s' may not be set below %s (city bounds)", id, floor))
    end
  end
end

return M
