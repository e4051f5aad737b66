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

-- Rows of sql (over the scope) grouped by station: {code = {row, ...}}.
local function by_station(sql, ...)
  return api().db.grouped({ by = "station_code", list = true }, sql, ...)
end

-- The values of `column` per station: {code = {value = true}}.
local function sets_by_station(column, sql, ...)
  return api().db.grouped({ by = "station_code", key = column, set = true }, sql, ...)
end

M.SEVERITIES = { violation = 3, warning = 2, advice = 1 }

-- The effective policy of county code: its file, else (no file) the city's;
-- a file that fails to load raises its error.
local function ctx_policy(county)
  local ok, loaded = pcall(policy.load, county)
  if ok then return loaded end
  if tostring(loaded):find("no policy file ", 1, true) then return policy.load("default") end
  error(loaded, 0)
end

-- ---- the context of one run ------------------------------------------------

-- The scope filter used by every query: ?1 and ?2 are the first and the
-- last station code of the stations being checked (the check runs a large
-- scope in chunks of whole NBS counties; a range keeps the queries on their
-- indexes). The range may hold stations of another administering unit (an
-- industrial zone's townships lie inside an NBS county): ctx.stations keeps
-- only those in scope, and ctx.find drops findings outside it.
local SCOPE = "%s BETWEEN ?1 AND ?2"
local function scoped(column) return string.format(SCOPE, column) end
M.scoped = scoped

function M.context(opts)
  local ctx = { county = opts.county, station = opts.station, year = opts.year,
                as_of = opts.as_of, first = opts.first, last = opts.last, findings = {},
                policies = {}, first_chunk = opts.first_chunk ~= false,
                -- shared by the chunks of one run in this process: first and
                -- last, the run's station range, and what a rule reads once
                run = opts.run or { first = opts.first, last = opts.last } }
  ctx.stations = q([[SELECT s.*, t.name AS township, t.county_code, t.unit_code, t.population,
      t.service_objects, t.kind FROM station s JOIN township t ON t.code = s.code
      WHERE ]] .. scoped("s.code") .. " ORDER BY s.code", ctx.first, ctx.last)
  -- Stations in scope (the unit, the station). A unit without a policy file
  -- has the city's; a unit whose file fails to load is reported (ctx.broken:
  -- county, error) and its stations are left out, never judged by the city's
  -- policy instead.
  ctx.broken = {}
  local in_scope = {}
  for _, s in ipairs(ctx.stations) do
    if (not ctx.county or s.unit_code == ctx.county) and (not ctx.station or s.code == ctx.station)
    then
      local unit = s.unit_code or s.code:sub(1, 6)
      if ctx.policies[unit] == nil then
        local ok, loaded = pcall(ctx_policy, unit)
        ctx.policies[unit] = ok and loaded or false
        if not ok then ctx.broken[#ctx.broken + 1] = { county = unit, error = tostring(loaded) } end
      end
      if ctx.policies[unit] then in_scope[#in_scope + 1] = s end
    end
  end
  ctx.stations = in_scope
  ctx.by_code = {}
  for _, s in ipairs(ctx.stations) do ctx.by_code[s.code] = s end

  -- the administering unit of a township (its county, or a zone): those of
  -- the chunk's range read at once, any other when first asked
  local units = {}
  local known, n = api().db.columns("SELECT code, unit_code FROM township WHERE code BETWEEN ?1 AND ?2",
    ctx.first, ctx.last)
  for i = 1, n do units[known.code[i]] = known.unit_code[i] or false end
  function ctx.unit(code)
    local unit = units[code]
    if unit == nil then
      local r = q("SELECT unit_code FROM township WHERE code = ?", code)[1]
      unit = r and r.unit_code or false
      units[code] = unit
    end
    return unit or code:sub(1, 6)
  end

  -- The effective policy of a station's (or a unit's) administering unit.
  function ctx.policy(code)
    local county = #code == 9 and ctx.unit(code) or code:sub(1, 6)
    local p = ctx.policies[county]
    if p == false then error("the policy of county " .. county .. " did not load", 0) end
    if not p then
      p = ctx_policy(county)
      ctx.policies[county] = p
    end
    return p
  end

  -- Runs sql over the scope (?1 first, ?2 last station code, then the extra values).
  function ctx.query(sql, ...) return q(sql, ctx.first, ctx.last, ...) end
  function ctx.grouped(sql, ...) return by_station(sql, ctx.first, ctx.last, ...) end
  -- The same, column by column (sws.db.columns): lists and the row count.
  function ctx.columns(sql, ...) return api().db.columns(sql, ctx.first, ctx.last, ...) end

  -- Records a finding of the running rule (ctx.rule) for station `code`.
  -- f = {message, actual, required, path, county}
  function ctx.find(code, f)
    -- outside the scope: a station the range holds but ctx.stations left out,
    -- or another unit's county-level finding
    if code and not ctx.by_code[code] then return end
    local unit = f.county or (code and ctx.unit(code))
    if not code and ctx.county and unit ~= ctx.county then return end
    if not code and ctx.station and unit ~= ctx.unit(ctx.station) then return end
    local rule = ctx.rule
    local p = ctx.policy(code or f.county)
    local sev = rule.severity            -- plugin rules bring their own default
    local cfg = p.rules and p.rules[rule.id]
    if cfg == false then return end          -- switched off by the policy
    if type(cfg) == "string" then sev = cfg end
    -- a plugin rule's finding points at the plugin's sws.rule call, unless
    -- the policy set its severity or the finding names a policy path
    local layer = rule.where
    if not layer or cfg ~= nil or f.path then
      layer = string.format("%s:%d", policy.where(p, f.path or ("rules." .. rule.id)))
    end
    local st = code and ctx.by_code[code]
    ctx.findings[#ctx.findings + 1] = {
      rule = rule.id, severity = sev, station = code, name = st and st.name,
      county = f.county or (code and ctx.unit(code)), message = f.message,
      actual = f.actual ~= nil and tostring(f.actual) or nil,
      required = f.required ~= nil and tostring(f.required) or nil,
      layer = layer, plugin = rule.owner,
    }
  end
  return ctx
end

-- What a rule of a plugin whose manifest lists counties sees of ctx: the
-- stations of those administering units only (ctx.stations, ctx.by_code,
-- ctx.grouped), and ctx.find drops a finding for any other station or unit.
-- `counties` is a set {code = true}. The view is a copy of ctx's fields, not
-- a window onto ctx: the plugin cannot reach the unfiltered lists or add to
-- ctx.findings but through find.
function M.view(ctx, counties)
  local v = {}
  for k, val in pairs(ctx) do
    if k ~= "findings" then v[k] = val end
  end
  v.stations, v.by_code = {}, {}
  for _, s in ipairs(ctx.stations) do
    if counties[s.unit_code or s.code:sub(1, 6)] then
      v.stations[#v.stations + 1] = s
      v.by_code[s.code] = s
    end
  end
  function v.grouped(sql, ...)
    local out = {}
    for code, rows in pairs(ctx.grouped(sql, ...)) do
      if v.by_code[code] then out[code] = rows end
    end
    return out
  end
  function v.find(code, f)
    if code then
      if not v.by_code[code] then return end
    elseif not (f and f.county and counties[f.county]) then
      return
    end
    return ctx.find(code, f)
  end
  return v
end

-- ---- the rules -------------------------------------------------------------
--
-- Each rule gathers the facts of every station of the scope with one
-- set-based query, then asks the standard's one judgment
-- (core/lua/standards.lua, shared with the evaluation's computed items)
-- and records a finding where it is not met. The queries are the rules'
-- data sources; the judgments are the guideline.

local function S() return policy.modules.standards end

-- Workers employed on the as-of date (?3): hired on or before it, not yet left.
local EMPLOYED = "(w.hired IS NULL OR w.hired <= ?3) AND (w.left_on IS NULL OR w.left_on > ?3)"
M.EMPLOYED = EMPLOYED

-- Records a finding for judgment j at station code unless it is met.
local function judge(ctx, code, j)
  if not j.met then
    ctx.find(code, { message = j.message, actual = j.actual, required = j.required, path = j.path })
  end
end

-- Calls fn(code, list) for each station of the scope that has rows in
-- `rows` (by station, from ctx.grouped), in code order: the stations of the
-- range that are not in scope, or whose county's policy did not load, are
-- left out.
local function each_station(ctx, rows, fn)
  for _, s in ipairs(ctx.stations) do
    local list = rows[s.code]
    if list then fn(s.code, list) end
  end
end

-- A rule that every kind standards.<key> lists is on file in table tbl.
local function requires_all(id, tbl, where, key, what)
  return { id = id, severity = "violation", doc = "every entry of standards." .. key,
    run = function(ctx)
      local sets = sets_by_station("kind", "SELECT station_code, kind FROM " .. tbl .. " WHERE " ..
        where .. scoped("station_code"), ctx.first, ctx.last)
      for _, s in ipairs(ctx.stations) do
        judge(ctx, s.code, S().kinds(ctx.policy(s.code), key, sets[s.code] or {}, what))
      end
    end }
end

-- The resident workers of the scope employed on the as-of date, grouped by
-- station, each with every column a rule reads: code, birth_date,
-- qualification, engaged_by, and the year's whole minutes of training
-- (training_min), of work (total_min) and of work in communities
-- (community_min), read from worker_year (kept with every write to
-- training and worktime): one row per worker, never the records. The
-- totals are nil for a worker without working-time records that year.
-- One query per check context, shared by the rules; by station, then code,
-- the order of the worker_station index, so that nothing is sorted.
local RESIDENTS = "SELECT w.station_code, w.code, w.birth_date, w.qualification, w.engaged_by, " ..
  [[coalesce(y.training_min, 0) AS training_min,
    iif(y.worktime_rows > 0, y.total_min, NULL) AS total_min,
    iif(y.worktime_rows > 0, y.community_min, NULL) AS community_min
  FROM worker w LEFT JOIN worker_year y ON y.worker_code = w.code AND y.year = CAST(?4 AS INTEGER)
  WHERE w.role = 'resident' AND ]] .. EMPLOYED .. " AND " ..
  scoped("w.station_code") .. " ORDER BY w.station_code, w.code"
local resident_cache = setmetatable({}, { __mode = "k" })
local function residents(ctx)
  local rows = resident_cache[ctx]
  if not rows then
    rows = ctx.grouped(RESIDENTS, ctx.as_of, tostring(ctx.year))
    resident_cache[ctx] = rows
  end
  return rows
end

-- Every rule: id, severity (used when the policy's `rules` does not name
-- the rule), what it checks, and run(ctx).
M.builtin = {
  { id = "area", severity = "violation",
    doc = "floor area (else the sum of the rooms' areas) of at least standards.min_area_m2",
    run = function(ctx)
      local rooms = {}
      local sums, n = ctx.columns([[SELECT station_code, sum(area_m2) AS m2 FROM station_room
          WHERE area_m2 IS NOT NULL AND ]] .. scoped("station_code") .. " GROUP BY station_code")
      for i = 1, n do rooms[sums.station_code[i]] = sums.m2[i] end
      for _, s in ipairs(ctx.stations) do
        judge(ctx, s.code, S().area(ctx.policy(s.code), s, rooms[s.code]))
      end
    end },

  requires_all("rooms", "station_room", "", "required_rooms", "rooms"),

  requires_all("facilities", "station_facility", "quantity > 0 AND ", "required_facilities",
    "facilities or equipment"),

  { id = "sign", severity = "warning", doc = "the station sign of 64 cm × 45 cm",
    run = function(ctx)
      for _, s in ipairs(ctx.stations) do judge(ctx, s.code, S().sign(ctx.policy(s.code), s)) end
    end },

  requires_all("institutions", "station_institution", "", "required_institutions",
    "rules or databases"),

  { id = "staffing", severity = "violation",
    doc = "at least the policy's minimum of resident workers employed on the as-of date (never a maximum)",
    run = function(ctx)
      local rows = residents(ctx)
      for _, s in ipairs(ctx.stations) do
        judge(ctx, s.code, S().staffing(ctx.policy(s.code), s, #(rows[s.code] or {})))
      end
    end },

  { id = "worker_age", severity = "warning", doc = "resident workers aged standards.max_age or younger",
    run = function(ctx)
      each_station(ctx, residents(ctx), function(code, ws)
        judge(ctx, code, S().age(ctx.policy(code), ws, ctx.as_of, api().date.age))
      end)
    end },

  { id = "qualification", severity = "violation",
    doc = "resident workers with a social-work degree or the national certificate",
    run = function(ctx)
      each_station(ctx, residents(ctx), function(code, ws)
        judge(ctx, code, S().qualification(ctx.policy(code), ws))
      end)
    end },

  { id = "training_hours", severity = "warning",
    doc = "each resident worker trained standards.min_training_hours 课时 in the year (whole minutes)",
    run = function(ctx)
      each_station(ctx, residents(ctx), function(code, ws)
        judge(ctx, code, S().training(ctx.policy(code), ws, 1))
      end)
    end },

  { id = "community_time", severity = "warning",
    doc = "resident workers spend standards.min_community_share of their hours in communities",
    run = function(ctx)
      each_station(ctx, residents(ctx), function(code, ws)
        judge(ctx, code, S().community_time(ctx.policy(code), ws))
      end)
    end },

  { id = "village_contacts", severity = "violation",
    doc = "standards.contacts_per_village current, qualified contact workers for every village and community",
    run = function(ctx)
      -- one query per set of the policy's values among the scope's stations
      -- (counties may differ), each judging that set's stations
      local runs, order = {}, {}
      for _, s in ipairs(ctx.stations) do
        local values, id = policy.params(ctx.policy(s.code), S().CONTACTS_PARAMS)
        if not runs[id] then
          runs[id] = { values = values, stations = {} }
          order[#order + 1] = id
        end
        local list = runs[id].stations
        list[#list + 1] = s.code
      end
      for _, id in ipairs(order) do
        local run, params = runs[id], { to = ctx.as_of, first = ctx.first, last = ctx.last }
        for k, v in pairs(run.values) do params[k] = v end
        local rows = api().db.grouped({ by = "station_code" }, S().CONTACTS_SQL, params)
        for _, code in ipairs(run.stations) do
          if rows[code] then judge(ctx, code, S().contacts(ctx.policy(code), rows[code])) end
        end
      end
    end },

  { id = "community_rooms", severity = "warning",
    doc = "each community social work room (社区社会工作室) has standards.min_room_workers workers",
    run = function(ctx)
      local rows = ctx.grouped([[SELECT v.township_code AS station_code, r.village_code AS village,
          r.name, (SELECT count(*) FROM worker w WHERE w.village_code = r.village_code
            AND w.role = 'room' AND ]] .. EMPLOYED .. [[) AS workers
          FROM community_room r JOIN village v ON v.code = r.village_code
          WHERE (r.opened IS NULL OR r.opened <= ?3) AND ]] .. scoped("v.township_code") ..
          " ORDER BY r.village_code", ctx.as_of)
      each_station(ctx, rows, function(code, rs)
        judge(ctx, code, S().community_rooms(ctx.policy(code), rs))
      end)
    end },

  { id = "engagement", severity = "warning",
    doc = "how each resident worker was engaged (standards.engagement_routes) is on file",
    run = function(ctx)
      each_station(ctx, residents(ctx), function(code, ws)
        judge(ctx, code, S().engagement(ctx.policy(code), ws))
      end)
    end },

  { id = "hub", severity = "violation", doc = "standards.hubs_per_county hub station per county",
    run = function(ctx)
      local rows = ctx.query([[SELECT t.unit_code AS county, sum(s.is_hub) AS hubs, count(*) AS n
          FROM station s JOIN township t ON t.code = s.code
          WHERE t.county_code BETWEEN substr(?1, 1, 6) AND substr(?2, 1, 6)
          GROUP BY t.unit_code]])
      for _, r in ipairs(rows) do
        -- a unit whose policy did not load is reported, not judged
        local want = ctx.policies[r.county] ~= false and ctx.policy(r.county).standards.hubs_per_county
        if want and r.hubs ~= want then
          ctx.find(nil, { county = r.county, message = string.format(
              "the county has %d hub stations (总站); it should have %d", r.hubs, want),
            actual = r.hubs, required = want, path = "standards.hubs_per_county" })
        end
      end
    end },

  { id = "transition_332", severity = "violation",
    doc = "3+3+2: certified seconded mentors and local assistants; qualified staff when the transition ends",
    run = function(ctx)
      -- the pairs of the whole run, read in the first chunk each process
      -- checks: the query passes over every pair (the chunk of an
      -- assistant is known only once the pair is read), so once per chunk
      -- was that many passes
      local pairs_of = ctx.run.mentoring
      if not pairs_of then
        pairs_of = by_station([[SELECT a.station_code, m.mentor_code AS mentor,
            mw.qualification AS mentor_qualification, mw.role AS mentor_role,
            m.assistant_code AS assistant, m.start_date FROM mentoring m
            JOIN worker a ON a.code = m.assistant_code JOIN worker mw ON mw.code = m.mentor_code
            WHERE m.start_date <= ?3 AND ]] .. scoped("a.station_code") ..
            " ORDER BY a.station_code, m.mentor_code, m.assistant_code",
          ctx.run.first, ctx.run.last, ctx.as_of)
        ctx.run.mentoring = pairs_of
      end
      local quals = residents(ctx)
      each_station(ctx, pairs_of, function(code, ps)
        local p, n = ctx.policy(code), 0
        for _, w in ipairs(quals[code] or {}) do
          if S().qualified(p, w.qualification) then n = n + 1 end
        end
        judge(ctx, code, S().transition_332(p, { pairs = ps, qualified = n }, ctx.as_of,
          api().date.add_years))
      end)
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
    doc = "standards.annual_funding budgeted every year, standards.one_off_funding once",
    run = function(ctx)
      -- the categories budgeted this year, and in any year up to it
      local function budgeted(years)
        return sets_by_station("category", "SELECT station_code, category FROM funding WHERE " ..
          years .. " AND budget > 0 AND " .. scoped("station_code"), ctx.first, ctx.last, ctx.year)
      end
      local this_year, ever = budgeted("year = ?3"), budgeted("year <= ?3")
      for _, s in ipairs(ctx.stations) do
        judge(ctx, s.code, S().funding(ctx.policy(s.code), ctx.year, this_year[s.code] or {},
          ever[s.code] or {}))
      end
    end },

  { id = "welfare_lottery", severity = "violation",
    doc = "welfare-lottery money (福彩公益金) only for standards.welfare_lottery_categories",
    run = function(ctx)
      -- the year as a range: in the index's order, without a sort
      local rows = ctx.grouped([[SELECT station_code, year, category, budget FROM funding
          WHERE source = 'welfare_lottery' AND year BETWEEN ?3 AND ?3 AND budget > 0 AND ]] ..
          scoped("station_code") .. " ORDER BY station_code, year, category", ctx.year)
      each_station(ctx, rows, function(code, fs)
        judge(ctx, code, S().welfare_lottery(ctx.policy(code), fs))
      end)
    end },

  { id = "county_report", severity = "warning",
    doc = "each county's annual report to the city, due by annual_report.due of the year",
    run = function(ctx)
      -- every county of the scope at once: judged in the first chunk only
      if not ctx.first_chunk then return end
      for _, r in ipairs(M.county_reports(ctx)) do
        if not r.met then
          ctx.find(nil, { county = r.county, message = r.message, actual = r.actual,
            required = r.required, path = r.path })
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

-- ---- the counties' annual reports ------------------------------------------

-- The annual report of --year of every county of the scope (opts: county,
-- station, year, as_of): a judgment each, with county, status and due. A
-- county whose policy fails to load raises its error, or with opts.broken
-- (a check's context) is added to that list and left out.
local function unit_of(opts)
  if opts.county then return opts.county end
  if not opts.station then return nil end
  local r = q("SELECT unit_code FROM township WHERE code = ?", opts.station)[1]
  return r and r.unit_code or opts.station:sub(1, 6)
end

function M.county_reports(opts)
  local county = unit_of(opts)
  local rows = q([[SELECT c.code, r.due_date, r.delivered_as_of FROM county c
      LEFT JOIN county_report r ON r.county_code = c.code AND r.year = ?2
      WHERE ?1 IS NULL OR c.code = ?1 ORDER BY c.code]], county, opts.year)
  local out = {}
  for _, r in ipairs(rows) do
    local ok, p = pcall(ctx_policy, r.code)
    if not ok and not opts.broken then error(p, 0) end
    if ok then
      local j = S().county_report(p, opts.year, opts.as_of, r.due_date and r or nil)
      j.county = r.code
      out[#out + 1] = j
    else -- a check's context: the county is reported as broken, not judged
      opts.broken[#opts.broken + 1] = { county = r.code, error = tostring(p) }
    end
  end
  return out
end

-- The text line and the JSON of the reports' states.
function M.county_reports_summary(opts)
  local list, n, due = M.county_reports(opts), { delivered = 0, due = 0, overdue = 0 }, nil
  local json = {}
  for _, r in ipairs(list) do
    n[r.status] = n[r.status] + 1
    due = due or r.due
    json[#json + 1] = { county = r.county, year = opts.year, due_date = r.due, status = r.status }
  end
  local text = string.format("county annual reports %d (due %s): %d delivered, %d overdue, %d due",
    opts.year, due or "-", n.delivered, n.overdue, n.due)
  return api().json.encode(api().json.array(json)), text
end

-- ---- coverage of the city's targets -----------------------------------------

-- The stage names that count as operating under policy p
-- (coverage.operating_stages), as a set; an error names a stage its
-- workflow does not have, so a county that renames a stage cannot silently
-- lose its coverage.
function M.operating_stages(p)
  local set, stages = {}, (p.workflow or {}).stages or {}
  local list = (p.coverage or {}).operating_stages or {}
  for _, name in ipairs(list) do
    if not stages[name] then
      local file, line = policy.where(p, "coverage.operating_stages")
      error(string.format("%s:%d: coverage.operating_stages names the stage '%s', which the " ..
        "workflow of policy %s does not have", file, line, name, policy.name(p)), 0)
    end
    set[name] = true
  end
  return set
end

-- n with its noun in agreement: "1 station", "2 stations".
local function count_of(n, noun) return string.format("%d %s", n, api().text.plural(n, noun, noun .. "s")) end

-- The stations needed, built and operating per administering unit (a
-- county, or an industrial zone: township.unit_code), and the city's
-- targets (coverage.targets of the city policy). opts: county (a unit
-- code), station, as_of. "Operating on a day" is read from the audit
-- trail's effective dates: the last stage a station entered on or before
-- that day is one of its unit's policy's operating stages
-- (coverage.operating_stages). Farm, reserve and zone codes count neither as
-- needed nor as built. For one unit (--county, or a --station's unit) each
-- target is the unit's share of the city's: the city's figure times the
-- unit's townships that need a station over the city's, rounded up ("all":
-- every township of the unit). Returns the JSON text (docs/checks.md) and
-- the text line of `sws check`; the one computation of these figures, for
-- `sws check`, sws.coverage, the reports and the demo.
function M.coverage(opts)
  local city = policy.load("default")
  local targets = (city.coverage or {}).targets or {}
  local county = unit_of(opts)
  local as_of = opts.as_of
  local days = { as_of }
  for _, t in ipairs(targets) do days[#days + 1] = t.by < as_of and t.by or as_of end
  local counties = q([[SELECT c.code, c.name,
      (SELECT count(*) FROM township t WHERE t.unit_code = c.code AND t.kind <> 'special') AS need,
      (SELECT count(*) FROM station s JOIN township t ON t.code = s.code
        WHERE t.unit_code = c.code AND t.kind <> 'special') AS built
    FROM county c WHERE ?1 IS NULL OR c.code = ?1 ORDER BY c.code]], county)
  -- the stage of every station on each day
  local on = {}
  for i, day in ipairs(days) do
    on[i] = {}
    for _, r in ipairs(q([[SELECT station_code, unit_code, to_stage FROM (SELECT e.station_code,
        t.unit_code, e.to_stage,
        row_number() OVER (PARTITION BY e.station_code ORDER BY e.time DESC, e.id DESC) AS rn
        FROM workflow_event e JOIN township t ON t.code = e.station_code
        WHERE e.time <= ?1 AND e.to_stage IS NOT NULL AND t.kind <> 'special'
          AND (?2 IS NULL OR t.unit_code = ?2)) WHERE rn = 1]], day, county)) do
      on[i][r.station_code] = { unit = r.unit_code, stage = r.to_stage }
    end
  end
  local arr = api().json.array
  local out = { counties = arr({}), total = { need_station = 0, built = 0, operating = 0 },
                targets = {}, by_date = arr({}), as_of = as_of }
  local function key(t) return "operating_in_" .. t.by:sub(1, 4) end
  for _, t in ipairs(targets) do out.total[key(t)] = 0 end
  -- the operating stations of each unit on each day, by its policy's stages
  local stages_of, operating = {}, {}
  for i in ipairs(days) do
    operating[i] = {}
    for _, st in pairs(on[i]) do
      local stages = stages_of[st.unit]
      if not stages then
        stages = M.operating_stages(ctx_policy(st.unit))
        stages_of[st.unit] = stages
      end
      if stages[st.stage] then operating[i][st.unit] = (operating[i][st.unit] or 0) + 1 end
    end
  end
  for _, c in ipairs(counties) do
    if not stages_of[c.code] then stages_of[c.code] = M.operating_stages(ctx_policy(c.code)) end
    local row = { code = c.code, name = c.name, need_station = c.need, built = c.built }
    row.operating = operating[1][c.code] or 0
    for k, t in ipairs(targets) do row[key(t)] = operating[k + 1][c.code] or 0 end
    out.counties[#out.counties + 1] = row
    for f, v in pairs(row) do
      if type(v) == "number" then out.total[f] = (out.total[f] or 0) + v end
    end
  end
  -- the stages that count as operating (the unit's policy, else the city's), for the reports
  local shown = county and ctx_policy(county) or city
  local stage_defs = (shown.workflow or {}).stages or {}
  M.operating_stages(shown) -- an unknown stage is an error
  out.operating_stages = arr({})
  for _, name in ipairs((shown.coverage or {}).operating_stages or {}) do
    local def = stage_defs[name]
    out.operating_stages[#out.operating_stages + 1] =
      { name = name, label = type(def) == "table" and def.label or name }
  end
  local need = out.total.need_station
  local city_need = need
  if county then
    city_need = q("SELECT count(*) AS n FROM township WHERE kind <> 'special'")[1].n
    out.city_need_station = city_need
  end
  local parts = {}
  for _, t in ipairs(targets) do
    local city_want = t.operating == "all" and city_need or t.operating
    local want = city_want
    if county then
      want = t.operating == "all" and need
        or (city_need > 0 and (city_want * need + city_need - 1) // city_need or 0)
    end
    local have = out.total[key(t)]
    local met = have >= want and want > 0
    out.targets[key(t)] = want
    out.targets["met_" .. t.by:sub(1, 4)] = met
    out.by_date[#out.by_date + 1] = { by = t.by, key = key(t), all = t.operating == "all",
      required = want, city_required = city_want, actual = have, met = met,
      due = t.by <= as_of }
    parts[#parts + 1] = string.format("%d of %s operating by %s%s", have,
      count_of(want, "station"), t.by, met and " (met)" or t.by > as_of and " (not yet due)"
      or " (not met)")
  end
  local name = county and #out.counties == 1 and out.counties[1].name
  local text = string.format("%s: %s built for the %s that need%s one, %d operating on %s; " ..
    "%s: %s", county and ("coverage of " .. county .. (name and " " .. name or "")) or "coverage",
    count_of(out.total.built, "station"), count_of(need, "township"), need == 1 and "s" or "",
    out.total.operating, as_of, county and "its share of the city targets" or "city targets",
    #parts > 0 and table.concat(parts, "; ") or "none")
  return api().json.encode(out), text
end

-- Validates a policy's `rules` section: known ids (built-in or "plugin:" ids
-- are taken on trust), known severities, and the city's floors.
policy.validators[#policy.validators + 1] = function(p, city, report)
  local stages = (p.workflow or {}).stages or {}
  local roles = { city = true, county = true, township = true, expert = true, assessor = true }
  for name, st in pairs(stages) do
    if type(st) == "table" and st.role ~= nil and not roles[st.role] then
      report("workflow.stages." .. name .. ".role", string.format("stage '%s': role '%s' is not " ..
        "one of city, county, township, expert, assessor", name, tostring(st.role)))
    end
  end
  for _, name in ipairs((p.coverage or {}).operating_stages or {}) do
    if not stages[name] then
      report("coverage.operating_stages", string.format("coverage.operating_stages names the " ..
        "stage '%s', which this policy's workflow does not have (rename it here too)", name))
    end
  end
  local format = (p.annual_report or {}).format
  if format ~= nil and not ({ html = true, md = true, csv = true, json = true })[format] then
    report("annual_report.format", string.format("annual_report.format '%s' is not html, md, " ..
      "csv or json", tostring(format)))
  end
  -- the values the village_contacts rule binds, as its query would refuse them (a
  -- policy for the evaluation alone may leave them out: the rule's run names them)
  if (p.rules or {}).village_contacts ~= false then
    policy.param_problems(p, S().CONTACTS_PARAMS, report, true)
  end
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
