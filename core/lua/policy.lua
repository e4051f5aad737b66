-- policy.lua — loading, inheriting and validating county policies.
--
-- Built into sws (embedded at build time) and run by the host as trusted code.
-- A policy file returns sws.policy.define{…} (the city) or
-- sws.policy.extend("default", {…}) (a county). Merge rules: tables of
-- named keys merge key by key; lists (1..n) replace; functions and plain
-- values override; `false` in place of an inherited table removes it. Every effective value remembers the file and line that
-- set it: the source of each file is scanned for `key =` at each nesting
-- level of its table constructors.
local helpers = ...   -- C: read(name_or_path) -> src, shown, dir; env(dir) -> table

local M = {}
local meta = setmetatable({}, { __mode = "k" })   -- policy -> {prov, layers, name, file}
local cache = {}                                  -- name -> policy
local loading = {}                                -- stack of {file, lines} being run

-- ---- source scanning: path -> line --------------------------------------

local openers = { ["function"] = 1, ["if"] = 1, ["do"] = 1, ["repeat"] = 1 }
local closers = { ["end"] = 1, ["until"] = 1 }

-- Returns {["a.b.c"] = line} for the keys of the policy table in src (the
-- first table constructor after the chunk's `return`, so that tables a
-- file builds before it do not count) and of the tables nested in it (list
-- items count as "#").
local function scan_lines(src)
  local lines, line, i, n = {}, 1, 1, #src
  local stack, done = {}, false   -- keys of the open table constructors (root first)
  local returned = false          -- past the chunk's top-level `return`
  local code_depth, pending_key = 0, nil
  local function record(key)
    local path = {}
    for k = 2, #stack do path[#path + 1] = stack[k] end
    path[#path + 1] = key
    local full = table.concat(path, ".")
    lines[full] = lines[full] or line
    pending_key = key
  end
  while i <= n do
    -- on to the next character that can matter (spaces, digits and
    -- operators change nothing)
    i = src:find("[\n%-\"'%[{}%a_,;]", i)
    if not i then break end
    local c = src:sub(i, i)
    if c == "\n" then
      line = line + 1; i = i + 1
    elseif src:sub(i, i + 1) == "--" then
      local eq = src:match("^%-%-%[(=*)%[", i)
      if eq then
        local close = src:find("]" .. eq .. "]", i, true) or n
        for _ in src:sub(i, close):gmatch("\n") do line = line + 1 end
        i = close + #eq + 2
      else
        i = src:find("\n", i, true) or n + 1
      end
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n and src:sub(j, j) ~= c do
        if src:sub(j, j) == "\\" then j = j + 1 end
        j = j + 1
      end
      i = j + 1
    elseif src:match("^%[=*%[", i) then
      local eq = src:match("^%[(=*)%[", i)
      local close = src:find("]" .. eq .. "]", i, true) or n
      for _ in src:sub(i, close):gmatch("\n") do line = line + 1 end
      i = close + #eq + 2
    elseif c == "{" then
      if code_depth == 0 and returned and not done then stack[#stack + 1] = pending_key or "#" end
      pending_key = nil
      i = i + 1
    elseif c == "}" then
      if code_depth == 0 and #stack > 0 then
        stack[#stack] = nil
        done = #stack == 0
      end
      pending_key = nil
      i = i + 1
    elseif c:match("[%a_]") then
      local word = src:match("^[%a_][%w_]*", i)
      local after = i + #word
      if word == "return" and code_depth == 0 then
        returned = true
      elseif openers[word] then
        code_depth = code_depth + 1
      elseif closers[word] and code_depth > 0 then
        code_depth = code_depth - 1
      elseif #stack > 0 and code_depth == 0 and src:match("^%s*=[^=]", after) then
        record(word)
      end
      i = after
    elseif c == "[" and #stack > 0 and code_depth == 0 and src:match('^%[%s*["\']', i) then
      local _, key, rest = src:match('^%[%s*(["\'])(.-)%1%s*%]()', i)
      if key and src:match("^%s*=[^=]", rest) then
        record(key)
        i = rest
      else
        i = i + 1
      end
    else
      if c == "," or c == ";" then pending_key = nil end
      i = i + 1
    end
  end
  return lines
end

-- ---- merging -------------------------------------------------------------

local function is_list(t)
  if type(t) ~= "table" then return false end
  local n = #t
  if n == 0 then return next(t) == nil end
  for k in pairs(t) do
    if math.type(k) ~= "integer" or k < 1 or k > n then return false end
  end
  return true
end
M.is_list = is_list

local function is_map(t) return type(t) == "table" and not is_list(t) end

local function copy(v)
  if type(v) ~= "table" then return v end
  local out = {}
  for k, x in pairs(v) do out[k] = copy(x) end
  return out
end

-- Records the provenance of every leaf of `t` under `prefix`.
local function mark(prov, t, prefix, file, lines)
  for k, v in pairs(t) do
    local path = prefix .. tostring(k)
    if is_map(v) and next(v) ~= nil then
      prov[path] = prov[path] or { file = file, line = lines[path] or 0 }
      mark(prov, v, path .. ".", file, lines)
    else
      -- a list or value replaces whatever the base had below this path
      -- (only a path the base set can have anything below it)
      if prov[path] then
        local below = path .. "."
        for p in pairs(prov) do
          if p:sub(1, #below) == below then prov[p] = nil end
        end
      end
      prov[path] = { file = file, line = lines[path] or lines[prefix:sub(1, -2)] or 0 }
    end
  end
end

local function merge(into, over)
  for k, v in pairs(over) do
    if v == false and type(into[k]) == "table" then
      into[k] = nil          -- false removes an inherited entry (a stage, say)
    elseif is_map(v) and is_map(into[k]) then
      merge(into[k], v)
    else
      into[k] = copy(v)
    end
  end
end

local function current()
  local top = loading[#loading]
  if not top then error("sws.policy.define/extend are for policy files", 3) end
  return top
end

-- sws.policy.define(t): the root of a policy chain (the city policy).
function M.define(t)
  if type(t) ~= "table" then error("sws.policy.define expects a table", 2) end
  local cur = current()
  local prov = {}
  mark(prov, t, "", cur.file, cur.lines)
  meta[t] = { prov = prov, layers = { { file = cur.file, overrides = t } }, name = t.name }
  return t
end

-- sws.policy.extend(base, overrides): `base` is a policy name ("default") or table.
function M.extend(base, overrides)
  if type(overrides) ~= "table" then error("sws.policy.extend expects (base, table)", 2) end
  local cur = current()
  local b = type(base) == "string" and M.load(base) or base
  local bm = meta[b]
  if not bm then error("sws.policy.extend: the base is not a policy", 2) end
  local result = copy(b)
  merge(result, overrides)
  local prov = {}
  for k, v in pairs(bm.prov) do prov[k] = v end
  mark(prov, overrides, "", cur.file, cur.lines)
  local layers = {}
  for i, l in ipairs(bm.layers) do layers[i] = l end
  layers[#layers + 1] = { file = cur.file, overrides = overrides }
  meta[result] = { prov = prov, layers = layers, name = overrides.name or bm.name, base = b }
  return result
end

-- Loads policy NAME ("default", "330302") or a file path; cached by name.
function M.load(name)
  if cache[name] then return cache[name] end
  -- a base named by a policy file resolves inside policies/ and plugins/ only,
  -- and its syntax errors do not quote it
  local nested = #loading > 0
  local src, shown, dir = helpers.read(name, nested)
  for _, l in ipairs(loading) do
    if l.file == shown then error("policy " .. shown .. " extends itself", 0) end
  end
  local chunk, err = load(src, "@" .. shown, "t", helpers.env(dir))
  if not chunk then error(nested and helpers.quiet(err) or err, 0) end
  loading[#loading + 1] = { file = shown, lines = scan_lines(src) }
  local ok, p = pcall(chunk)
  loading[#loading] = nil
  if not ok then error(p, 0) end
  if type(p) ~= "table" or not meta[p] then
    error(shown .. ": a policy file returns sws.policy.define{…} or sws.policy.extend(…)", 0)
  end
  meta[p].file = shown
  cache[name] = p
  return p
end

function M.forget(name) cache[name] = nil end

-- The file and line that set PATH in policy p ("?" when unknown).
function M.where(p, path)
  local m = meta[p]
  local pr = m and m.prov[path]
  while not pr and path:find("%.") do
    path = path:match("^(.*)%.[^.]*$")
    pr = m and m.prov[path]
  end
  if not pr then return (m and m.file or "?"), 0 end
  return pr.file, pr.line
end

function M.name(p) return meta[p] and meta[p].name or "?" end
-- The files of p's layers, the city's first (for the content hash of a policy).
function M.files(p)
  local out = {}
  for i, l in ipairs(meta[p] and meta[p].layers or {}) do out[i] = l.file end
  return out
end
function M.file(p) return meta[p] and meta[p].file or "?" end

-- ---- validation ------------------------------------------------------------

-- Keys under these paths are open: a county may add its own entries.
local OPEN = { ["workflow.stages"] = true, ["workflow.enter"] = true,
               ["workflow.deadlines"] = true, ["guards"] = true, ["rules"] = true,
               -- evaluation: a county may add indicators to a dimension (their
               -- points must still add up: docs/evaluation.md), bonus items,
               -- veto entries and the aggregate queries its computed items need
               ["indicators.tree.facilities.indicators"] = true,
               ["indicators.tree.institutions.indicators"] = true,
               ["indicators.tree.staffing.indicators"] = true,
               ["indicators.tree.services.indicators"] = true,
               ["indicators.tree.governance.indicators"] = true,
               ["indicators.tree.funds.indicators"] = true,
               ["indicators.tree.party_building.indicators"] = true,
               ["indicators.bonus.items"] = true, ["indicators.veto"] = true,
               ["indicators.aggregates"] = true }

local function distance(a, b)
  local d = {}
  for i = 0, #a do d[i] = { [0] = i } end
  for j = 0, #b do d[0][j] = j end
  for i = 1, #a do
    for j = 1, #b do
      local cost = a:sub(i, i) == b:sub(j, j) and 0 or 1
      d[i][j] = math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
    end
  end
  return d[#a][#b]
end

local function suggest(key, known)
  local best, bd = nil, math.huge
  for k in pairs(known) do
    if type(k) == "string" then
      local dd = distance(key, k)
      if dd < bd then best, bd = k, dd end
    end
  end
  if best and bd <= math.max(2, #key // 3) then return " (did you mean '" .. best .. "'?)" end
  return ""
end

local function type_name(v)
  if is_list(v) then return "list" end
  return type(v)
end

-- Checks the keys and types of `over` against the city's `ref`.
local function check_shape(errs, p, over, ref, prefix)
  for k, v in pairs(over) do
    local path = prefix .. tostring(k)
    local parent = prefix:sub(1, -2)
    if ref[k] == nil then
      if not OPEN[parent] then
        local f, l = M.where(p, path)
        errs[#errs + 1] = { file = f, line = l, msg = "unknown key '" .. path .. "'" ..
          (type(k) == "string" and suggest(k, ref) or "") }
      end
    elseif v == false and type(ref[k]) == "table" then
      -- removes the inherited entry
    elseif type_name(v) ~= type_name(ref[k]) and not (is_list(v) and next(v) == nil) then
      local f, l = M.where(p, path)
      errs[#errs + 1] = { file = f, line = l, msg = string.format(
        "'%s' must be a %s, not a %s", path, type_name(ref[k]), type_name(v)) }
    elseif is_map(v) and is_map(ref[k]) then
      check_shape(errs, p, v, ref[k], path .. ".")
    end
  end
end

local function get(t, path)
  for part in path:gmatch("[^.]+") do
    if type(t) ~= "table" then return nil end
    t = t[part]
  end
  return t
end

-- The value policy p gives a query's parameter `name` at path, as it is
-- bound; or nil and what is wrong with it (`sws policy check` reports the
-- same, M.param_problems).
local function bound_value(p, path, name)
  local v = get(p, path)
  if type(v) == "table" then
    local items = {}
    for i, x in ipairs(v) do
      if (type(x) ~= "string" and type(x) ~= "number") or tostring(x):find("\n", 1, true) then
        return nil, string.format("%s: item %d is not a single line of text or a number " ..
          "(a query binds the list as :%s)", path, i, name)
      end
      items[i] = tostring(x)
    end
    return #items > 0 and "\n" .. table.concat(items, "\n") .. "\n" or "\n"
  elseif type(v) ~= "number" and type(v) ~= "string" then
    return nil, string.format("%s is %s, not a number, a text or a list (a query binds " ..
      "it as :%s)", path, type_name(v), name)
  end
  return v
end

-- The values of policy p that a query binds: spec maps a parameter's name
-- to the policy path that sets it ({need = "standards.contacts_per_village"}).
-- Numbers and text are bound as they are; a list as its items each between
-- newlines ("\nsw_degree\nsocial_worker\n"; json_each would be simpler,
-- but SQLite's authorizer sees a table-valued function's first use as a
-- write to sqlite_master, which a policy may not do: see
-- standards.CONTACTS_SQL for the split in SQL). Returns the values and a
-- text that is the same for the same values (policies that agree share one
-- run of the query); made once per policy and spec.
local param_cache = setmetatable({}, { __mode = "k" })
function M.params(p, spec)
  local by_spec = param_cache[p]
  if not by_spec then
    by_spec = setmetatable({}, { __mode = "k" })
    param_cache[p] = by_spec
  end
  local hit = by_spec[spec]
  if hit then return hit.values, hit.id end
  local names, values, parts = {}, {}, {}
  for name in pairs(spec) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local path = spec[name]
    local v, problem = bound_value(p, path, name)
    if problem then
      local file, line = M.where(p, path)
      error(string.format("%s:%d: %s", file, line, problem), 0)
    end
    values[name] = v
    parts[#parts + 1] = name .. "=" .. tostring(v)
  end
  hit = { values = values, id = table.concat(parts, "\0") }
  by_spec[spec] = hit
  return hit.values, hit.id
end

-- What M.params would refuse in policy p for spec, as report(path, msg)
-- calls: `sws policy check` finds it before a run does. set_only: values
-- the policy leaves out are not reported (a rule's run names them).
function M.param_problems(p, spec, report, set_only)
  for name, path in pairs(spec) do
    if not set_only or get(p, path) ~= nil then
      local _, problem = bound_value(p, path, name)
      if problem then report(path, problem) end
    end
  end
end

local function check_bounds(errs, p, city)
  for pattern, b in pairs(city.bounds or {}) do
    local paths = {}
    if pattern:sub(-2) == ".*" then
      local parent = pattern:sub(1, -3)
      for k in pairs(get(p, parent) or {}) do paths[#paths + 1] = parent .. "." .. k end
    else
      paths[1] = pattern
    end
    for _, path in ipairs(paths) do
      local v, cv = get(p, path), get(city, path)
      local f, l = M.where(p, path)
      local function bad(why)
        errs[#errs + 1] = { file = f, line = l, msg = string.format(
          "'%s' = %s is outside the city's bounds: %s", path, tostring(v), why) }
      end
      if type(v) == "number" then
        if b.min and v < b.min then bad("at least " .. b.min)
        elseif b.max and v > b.max then bad("at most " .. b.max)
        elseif b.shift and type(cv) == "number" and math.abs(v - cv) > b.shift then
          bad(string.format("within %s of the city's %s", b.shift, cv))
        end
      end
    end
  end
end

-- The core's cron parser (core/cron.c): the one `sws cron next` and the
-- daemon use.
local function valid_cron(expr)
  return helpers.cron(expr)
end
M.valid_cron = valid_cron

-- The schedule: each entry names a job and either a cron expression or a
-- one-off time `at`; the optional keys say what the daemon does with missed
-- runs (catch_up, window_days, cap), overlaps, failures (retries, backoff)
-- and how long a run may take (timeout, seconds).
local catch_ups = { skip = true, latest = true, all = true }
local overlaps = { skip = true, queue = true }
local function check_schedule(errs, p)
  local f, l = M.where(p, "schedule")
  if p.timezone ~= nil and (type(p.timezone) ~= "string" or not p.timezone:match("^[%w_+-]+/?[%w_+/-]*$")) then
    local tf, tl = M.where(p, "timezone")
    errs[#errs + 1] = { file = tf, line = tl, msg = "timezone '" .. tostring(p.timezone) ..
      "' is not a zone name such as Asia/Shanghai" }
  end
  for i, s in ipairs(p.schedule or {}) do
    local function bad(msg)
      errs[#errs + 1] = { file = f, line = l, msg = "schedule entry " .. i .. ": " .. msg }
    end
    if type(s) ~= "table" then
      bad("must be a table { job = ..., cron = ... }")
    else
      if type(s.job) ~= "string" or s.job == "" then bad("needs a job name (job = \"...\")") end
      if s.at ~= nil then
        if s.cron ~= nil then bad("has both cron and at: give one") end
        if not helpers.cron_time(s.at) then
          bad("at '" .. tostring(s.at) .. "' is not a time YYYY-MM-DD HH:MM")
        end
      else
        local ok, why = valid_cron(s.cron)
        if not ok then bad("invalid cron '" .. tostring(s.cron) .. "': " .. why) end
      end
      if s.catch_up ~= nil and not catch_ups[s.catch_up] then
        bad("catch_up '" .. tostring(s.catch_up) .. "' is not skip, latest or all")
      end
      if s.overlap ~= nil and not overlaps[s.overlap] then
        bad("overlap '" .. tostring(s.overlap) .. "' is not skip or queue")
      end
      for _, k in ipairs({ "window_days", "cap", "retries", "backoff", "timeout" }) do
        local v = s[k]
        if v ~= nil and (math.type(v) ~= "integer" or v < 0 or (k ~= "retries" and v == 0)) then
          bad(k .. " = " .. tostring(v) .. " must be a whole number" ..
            (k == "retries" and " (0 or more)" or " above 0"))
        end
      end
      if s.each_county ~= nil and type(s.each_county) ~= "boolean" then
        bad("each_county must be true or false")
      end
    end
  end
end

local function check_workflow(errs, p)
  local wf = p.workflow or {}
  local stages = wf.stages or {}
  local function err(path, msg)
    local f, l = M.where(p, path)
    errs[#errs + 1] = { file = f, line = l, msg = msg }
  end
  if not stages[wf.initial] then
    err("workflow.initial", "the initial stage '" .. tostring(wf.initial) .. "' is not a stage")
  end
  for name, st in pairs(stages) do
    for _, to in ipairs(st.next or {}) do
      if not stages[to] then
        err("workflow.stages." .. name .. ".next",
          "stage '" .. name .. "' moves to unknown stage '" .. tostring(to) .. "'" ..
          suggest(tostring(to), stages))
      end
    end
    if #(st.next or {}) == 0 and not st.terminal then
      err("workflow.stages." .. name, "stage '" .. name .. "' is a dead end: it has no next " ..
        "stage (mark it terminal = true if it ends the workflow)")
    end
  end
  local seen, queue = { [wf.initial or ""] = true }, { wf.initial }
  while #queue > 0 do
    local s = table.remove(queue)
    for _, to in ipairs((stages[s] or {}).next or {}) do
      if not seen[to] then seen[to] = true; queue[#queue + 1] = to end
    end
  end
  for name in pairs(stages) do
    if not seen[name] then
      err("workflow.stages." .. name, "stage '" .. name .. "' is unreachable from '" ..
        tostring(wf.initial) .. "'")
    end
  end
  for stage, names in pairs(wf.enter or {}) do
    if not stages[stage] then
      err("workflow.enter." .. stage, "guards are set for unknown stage '" .. stage .. "'")
    end
    for _, g in ipairs(names) do
      if type((p.guards or {})[g]) ~= "function" then
        err("workflow.enter." .. stage, "missing guard function '" .. tostring(g) ..
          "' (define it under guards)" .. suggest(tostring(g), p.guards or {}))
      end
    end
  end
  for stage in pairs(wf.deadlines or {}) do
    if not stages[stage] then
      err("workflow.deadlines." .. stage, "deadlines are set for unknown stage '" .. stage .. "'")
    end
  end
end

-- More checks, added by the other built-in modules (core/lua/*.lua):
-- each is function(p, city, report) where report(path, msg) records a
-- problem at the file and line that set `path`.
M.validators = {}

-- Where policy p's own file changed a key of the table t at PATH: the file
-- and the first such line, so that a sum the change broke is reported where
-- the county made it, not where the city set the table; else where PATH was set.
local function where_changed(p, path, t)
  local own, line = M.file(p), nil
  for k in pairs(t) do
    local f, l = M.where(p, path .. "." .. tostring(k))
    if f == own and l > 0 and (not line or l < line) then line = l end
  end
  if line then return own, line end
  return M.where(p, path)
end

-- Returns the list of problems of policy p: {file, line, msg}, sorted.
function M.validate(p)
  local errs = {}
  local function report(path, msg)
    local f, l = M.where(p, path)
    errs[#errs + 1] = { file = f, line = l, msg = msg }
  end
  for _, check in ipairs(M.validators) do check(p, M.load("default"), report) end
  local city = M.load("default")
  for i, layer in ipairs(meta[p].layers) do
    if i > 1 then check_shape(errs, p, layer.overrides, city, "") end
  end
  if type(p.name) ~= "string" or type(p.version) ~= "string" then
    errs[#errs + 1] = { file = M.file(p), line = 0, msg = "a policy needs a name and a version (strings)" }
  end
  check_bounds(errs, p, city)
  check_workflow(errs, p)
  check_schedule(errs, p)
  local sum, weights = 0, (p.indicators or {}).weights or {}
  for _, w in pairs(weights) do sum = sum + w end
  if math.abs(sum - 100) > 1e-9 then
    local f, l = where_changed(p, "indicators.weights", weights)
    errs[#errs + 1] = { file = f, line = l, msg = "indicator weights add up to " .. sum ..
      ", not 100" }
  end
  table.sort(errs, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    if a.line ~= b.line then return a.line < b.line end
    return a.msg < b.msg
  end)
  -- a value several queries bind is named once
  local out = {}
  for _, e in ipairs(errs) do
    local last = out[#out]
    if not (last and last.file == e.file and last.line == e.line and last.msg == e.msg) then
      out[#out + 1] = e
    end
  end
  return out
end

-- Every effective leaf value of p with the file and line that set it.
function M.explain(p)
  local out = {}
  local function walk(t, prefix)
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do
      local v, path = t[k], prefix .. tostring(k)
      if is_map(v) and next(v) ~= nil and path ~= "bounds" then
        walk(v, path .. ".")
      else
        local shown
        if is_list(v) then
          local parts = {}
          for _, x in ipairs(v) do
            parts[#parts + 1] = type(x) == "table" and "{…}" or tostring(x)
          end
          shown = "{" .. table.concat(parts, ", ") .. "}"
        elseif type(v) == "string" then
          shown = string.format("%q", v)
        elseif type(v) == "table" then
          shown = "{…}"
        elseif type(v) == "function" then
          shown = "function"
        else
          shown = tostring(v)
        end
        local f, l = M.where(p, path)
        out[#out + 1] = { path = path, value = shown, file = f, line = l }
      end
    end
  end
  walk(p, "")
  return out
end

return M
