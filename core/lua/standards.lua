-- standards.lua — one judgment per standard of the guideline.
--
-- Built into sws. Each standard (area, rooms, staffing, training, …) is
-- judged here once, by a function that both the compliance rule of
-- `sws check` (core/lua/rules.lua) and the computed item of the evaluation
-- (policies/default.lua, through sws.standards) call on the same facts, so
-- the check and the evaluation cannot disagree on the same data.
--
-- A judgment is a table:
--   met      true when the standard is met
--   score    the share met, 0 to 1 (what the evaluation scores)
--   message  what is wrong (or, when met, what was found), for an administrator
--   actual, required   the evidence, as text, to its real precision
--   path     the policy key that set the requirement (for file:line)
--
-- Hours are compared in whole minutes: every record is rounded to the
-- nearest minute where it is read (SQL `round(hours * 60)`), so 8.2 + 23.9 +
-- 7.9 hours are exactly 2400 minutes = 40 h. Shares are compared in integers
-- too (community minutes × 10000 against the share in basis points × total).
local _ = ...   -- (helpers, policy library): the judgments need neither

local M = {}

-- ---- helpers -----------------------------------------------------------------

-- The kinds of `required` (a list) that `have` (a set) lacks, in order. The
-- one "which required kinds are missing" of sws: rules, guards and
-- computed items all call it.
function M.missing(required, have)
  local out = {}
  for _, k in ipairs(required or {}) do
    if not have[k] then out[#out + 1] = k end
  end
  return out
end

-- A number as it was recorded: integers without a decimal point, others to
-- their real precision ("99.9", never a rounded "100").
function M.num(x)
  if x == nil then return "?" end
  if math.type(x) == "integer" or x == math.floor(x) then return string.format("%d", math.floor(x)) end
  return (string.format("%.6f", x):gsub("0+$", ""):gsub("%.$", ""))
end
local num = M.num

-- Whole minutes as hours: 2400 → "40", 2399 → "39.98" (a fraction of k/60
-- hours, 1 ≤ k ≤ 59, never rounds to a whole number at two decimals).
function M.hours(minutes)
  if minutes % 60 == 0 then return string.format("%d", minutes // 60) end
  return (string.format("%.2f", minutes / 60):gsub("0$", ""))
end

-- A list of codes or names for a message.
local function list(t, sep) return table.concat(t, sep or ", ") end

-- A judgment's texts are made when first read, by texts() (message,
-- actual, required): a check reads them only where a standard is not met,
-- and an evaluation's ranking never. tostring(j) is its message, so a
-- computed item may return the judgment itself as its explanation.
local TEXTS = {}   -- the private key of the function that makes them
local JUDGMENT = {
  __index = function(j, k)
    local texts = rawget(j, TEXTS)
    if not texts or (k ~= "message" and k ~= "actual" and k ~= "required") then return nil end
    j[TEXTS] = nil
    local message, actual, required = texts()
    j.message = message
    j.actual = actual ~= nil and tostring(actual) or nil
    j.required = required ~= nil and tostring(required) or nil
    return rawget(j, k)
  end,
  __tostring = function(j) return j.message end,
}

local function lazy(met, score, path, texts)
  return setmetatable({ met = met, score = score, path = path, [TEXTS] = texts }, JUDGMENT)
end

local function judgment(met, score, message, actual, required, path)
  return setmetatable({ met = met, score = score, message = message,
    actual = actual ~= nil and tostring(actual) or nil,
    required = required ~= nil and tostring(required) or nil, path = path }, JUDGMENT)
end

-- The share `good` of `n`, 0 when there is nothing to count.
local function share(good, n) return n > 0 and good / n or 0 end

-- ---- facilities --------------------------------------------------------------

-- 面积不少于100平方米. The station's recorded floor area, else the sum of its
-- rooms' areas (rooms_m2, nil when no room has an area).
function M.area(p, st, rooms_m2)
  local need = p.standards.min_area_m2
  local area, from = st.area_m2, "recorded floor area"
  if area == nil and rooms_m2 ~= nil then area, from = rooms_m2, "sum of its rooms' areas" end
  if area == nil then
    return lazy(false, 0, "standards.min_area_m2", function()
      return "the station has no recorded area (neither a floor area nor room areas)", "no area",
        ">= " .. num(need) .. " m²"
    end)
  end
  local met = area >= need
  return lazy(met, met and 1 or 0, "standards.min_area_m2", function()
    local msg = met and string.format("area %s m² (at least %s m²; %s)", num(area), num(need), from)
      or string.format("area %s m² is below %s m² (%s)", num(area), num(need), from)
    return msg, num(area) .. " m² (" .. from .. ")", ">= " .. num(need) .. " m²"
  end)
end

-- Every kind listed under standards.<key> is on file (have: a set of kinds).
-- what: "rooms", "facilities", "rules or databases".
local key_paths = setmetatable({}, { __index = function(t, key)
  t[key] = "standards." .. key
  return t[key]
end })

function M.kinds(p, key, have, what)
  local required = p.standards[key] or {}
  local missing = M.missing(required, have)
  local n = #required
  return lazy(#missing == 0, n > 0 and (n - #missing) / n or 1, key_paths[key], function()
    return #missing > 0 and ("missing " .. what .. ": " .. list(missing))
        or string.format("all %d %s", n, what),
      #missing > 0 and #missing .. " missing" or n .. " of " .. n, "all of standards." .. key
  end)
end

-- 标牌 64 cm × 45 cm.
function M.sign(p, st)
  local s = p.standards
  local w, h = st.sign_width_cm, st.sign_height_cm
  local met = w ~= nil and h ~= nil and w >= s.sign_width_cm and h >= s.sign_height_cm
  return lazy(met, met and 1 or 0, "standards.sign_width_cm", function()
    local actual = w and h and string.format("%s × %s cm", num(w), num(h)) or "no sign recorded"
    local required = string.format("%s × %s cm", num(s.sign_width_cm), num(s.sign_height_cm))
    return met and ("sign " .. actual) or
      ("the sign \"×××社会工作站\" is " .. actual .. "; it must be at least " .. required),
      actual, required
  end)
end

-- ---- staff -------------------------------------------------------------------

-- The staffing formula a county may switch on (the city's default is the
-- flat minimum): min_resident_workers, plus one for every 40,000 residents
-- and one for every 1,000 service objects, never more than 8.
function M.staffing_by_population(t, p)
  local floor = p and p.standards.min_resident_workers or 3
  local n = floor + (t.population or 0) // 40000 + (t.service_objects or 0) // 1000
  return math.max(floor, math.min(8, n))
end

-- The minimum of resident workers for township st: the policy's
-- staffing(st, p), never below min_resident_workers nor above 8 (至少要配备3-8名).
function M.staffing_need(p, st)
  local floor = p.standards.min_resident_workers
  local need = p.staffing and p.staffing(st, p) or floor
  return math.min(8, math.max(floor, need))
end

-- 每个社会工作站至少要配备3-8名: n resident workers employed on the as-of
-- date; more than the minimum is never a violation.
function M.staffing(p, st, n)
  local need = M.staffing_need(p, st)
  local met = n >= need
  return lazy(met, math.min(1, share(n, need)), "staffing", function()
    return string.format(
      "%d resident social workers employed on the day; the township (population %s, %s service objects) needs at least %d",
      n, st.population or "?", st.service_objects or "?", need), n, ">= " .. need
  end)
end

-- 45周岁以下: workers = {{code, birth_date}}; age on as_of.
function M.age(p, workers, as_of, age_of)
  local max, codes, ages = p.standards.max_age, {}, {}
  for _, w in ipairs(workers) do
    if w.birth_date then
      local age = age_of(w.birth_date, as_of)
      if age > max then codes[#codes + 1], ages[#codes + 1] = w.code, age end
    end
  end
  return lazy(#codes == 0, share(#workers - #codes, #workers), "standards.max_age", function()
    local old = {}
    for i, code in ipairs(codes) do old[i] = code .. " (" .. ages[i] .. ")" end
    return #old > 0 and ("resident workers older than " .. max .. " on " .. as_of .. ": " .. list(old))
        or ("every resident worker is " .. max .. " or younger"),
      #old .. " over age", "<= " .. max
  end)
end

-- The set of the values of list t, built once per list (policies do not
-- change once loaded): the judgments ask it once per worker or village.
local sets = setmetatable({}, { __mode = "k" })
local function set_of(t)
  if t == nil then return {} end
  local s = sets[t]
  if not s then
    s = {}
    for _, v in ipairs(t) do s[v] = true end
    sets[t] = s
  end
  return s
end

-- Whether qualification q is a social-work degree or the certificate (the
-- policy's accepted_qualifications): "qualified" everywhere in sws.
function M.qualified(p, q) return set_of(p.standards.accepted_qualifications)[q] == true end

-- Whether qualification q is the national certificate (standards.certificates).
function M.certified(p, q) return set_of(p.standards.certificates)[q] == true end

-- 社工专业学历或全国社工职业资格证书: workers = {{code, qualification}}.
function M.qualification(p, workers)
  local nbad = 0
  for _, w in ipairs(workers) do
    if not M.qualified(p, w.qualification) then nbad = nbad + 1 end
  end
  local n = #workers
  return lazy(nbad == 0 and n > 0, share(n - nbad, n), "standards.accepted_qualifications",
    function()
      local bad = {}
      for _, w in ipairs(workers) do
        if not M.qualified(p, w.qualification) then bad[#bad + 1] = w.code .. " (" .. tostring(w.qualification) .. ")" end
      end
      return n == 0 and "no resident social workers" or #bad > 0 and
          ("resident workers without an accepted degree or certificate: " .. list(bad)) or
          string.format("%d of %d resident workers hold an accepted degree or certificate", n, n),
        #bad .. " unqualified", "degree or certificate"
    end)
end

-- 每年不少于40课时: workers = {{code, training_min}} (whole minutes in the
-- period); part = the part of the year judged (1, or 0.5 at mid-term).
function M.training(p, workers, part)
  local s = p.standards
  local class = s.class_hour_minutes or 60
  local need = math.floor(s.min_training_hours * class * (part or 1) + 0.5)   -- minutes
  local nshort = 0
  for _, w in ipairs(workers) do
    if (w.training_min or 0) < need then nshort = nshort + 1 end
  end
  local n = #workers
  return lazy(nshort == 0 and n > 0, share(n - nshort, n), "standards.min_training_hours", function()
    local short = {}
    for _, w in ipairs(workers) do
      local m = w.training_min or 0
      if m < need then
        short[#short + 1] = string.format("%s (%s 课时)", w.code, M.hours(m * 60 // class))
      end
    end
    local unit = class == 60 and "1 课时 = 1 hour" or ("1 课时 = " .. class .. " minutes")
    local required = ">= " .. num(s.min_training_hours * (part or 1)) .. " 课时 (" .. unit .. ")"
    return n == 0 and "no resident social workers" or #short > 0 and
        string.format("resident workers with fewer than %s training 课时 (%s): %s",
          num(s.min_training_hours * (part or 1)), unit, list(short)) or
        string.format("%d of %d resident workers trained at least %s 课时 (%s)", n, n,
          num(s.min_training_hours * (part or 1)), unit),
      #short .. " short", required
  end)
end

-- 60%以上工作时数在社区: workers = {{code, total_min, community_min}} in the
-- period; a worker with no working-time records is a finding, not a pass.
function M.community_time(p, workers)
  local want = p.standards.min_community_share
  local bp = math.floor(want * 10000 + 0.5)        -- basis points
  local bad, n = 0, #workers
  for _, w in ipairs(workers) do
    local total, comm = w.total_min or 0, w.community_min or 0
    if total <= 0 or comm * 10000 < bp * total then bad = bad + 1 end
  end
  return lazy(bad == 0 and n > 0, share(n - bad, n), "standards.min_community_share", function()
    local low, none = {}, {}
    for _, w in ipairs(workers) do
      local total, comm = w.total_min or 0, w.community_min or 0
      if total <= 0 then
        none[#none + 1] = w.code
      elseif comm * 10000 < bp * total then
        low[#low + 1] = string.format("%s (%s of %s h, %s%%)", w.code, M.hours(comm), M.hours(total),
          num(math.floor(comm * 10000 / total) / 100))
      end
    end
    local parts = {}
    if #low > 0 then parts[#parts + 1] = "below the community share: " .. list(low) end
    if #none > 0 then parts[#parts + 1] = "no working-time records: " .. list(none) end
    return n == 0 and "no resident social workers" or bad > 0 and ("resident workers " .. list(parts, "; ")) or
        string.format("%d of %d resident workers spent at least %s%% of their hours in villages", n, n,
          num(want * 100)),
      #low .. " below, " .. #none .. " without records", string.format(">= %s%%", num(want * 100))
  end)
end

-- 每个社区(村)至少有一名定点联系的社会工作专业人员. The facts are counted
-- in SQL, with the policy's values bound (CONTACTS_PARAMS): a village's
-- contacts count when they are current on :to, their worker is employed
-- then, and the worker's qualification is one of :accepted; a village is
-- short with fewer than :need of them. One row per station, the villages
-- read from indexes alone and each village's contacts, with their workers'
-- dates and qualification, from one range of village_contact_worker (kept
-- with every write; policies/tests/standards_test.lua): villages
-- (how many), and short, a line per village short of contacts,
-- "code<TAB>name (count)". Only stations' villages are read (a quarter of
-- China's townships have none), stations first, in the order of their
-- codes, so that the rows come grouped.
-- (:accepted is the policy's list as text, its items between newlines,
-- split by the recursive `accepted`: read once per run, not per contact.)
-- The compliance rule and the evaluation's aggregate both run it.
M.CONTACTS_SQL = [[WITH RECURSIVE accepted(q, rest) AS (
    SELECT NULL, substr(:accepted, 2)
    UNION ALL SELECT substr(rest, 1, instr(rest, char(10)) - 1),
      substr(rest, instr(rest, char(10)) + 1) FROM accepted WHERE rest <> '')
  SELECT station_code, count(*) AS villages,
    group_concat(iif(good < :need, code || char(9) || name || ' (' || good || ')', NULL),
      char(10)) AS short
  FROM (SELECT s.code AS station_code, v.code, v.name,
          (SELECT count(*) FROM village_contact_worker c
           WHERE c.village_code = v.code
             AND (c.since IS NULL OR c.since <= :to) AND (c.until IS NULL OR c.until > :to)
             AND (c.hired IS NULL OR c.hired <= :to) AND (c.left_on IS NULL OR c.left_on > :to)
             AND c.qualification IN (SELECT q FROM accepted)) AS good
        FROM station s CROSS JOIN village v ON v.township_code = s.code
        WHERE s.code BETWEEN :first AND :last)
  GROUP BY station_code]]

-- The policy's values CONTACTS_SQL binds, by the path that sets each.
M.CONTACTS_PARAMS = { need = "standards.contacts_per_village",
                      accepted = "standards.accepted_qualifications" }

-- A station's row of CONTACTS_SQL ({} or nil: no villages on file) judged
-- for policy p; the villages short of contacts are listed in the order of
-- their codes.
function M.contacts(p, facts)
  if facts and facts[1] ~= nil then
    error("sws.standards.contacts takes a station's row of sws.standards.CONTACTS_SQL " ..
      "(villages, short), not a list of villages", 2)
  end
  local need = p.standards.contacts_per_village
  local n = facts and facts.villages or 0
  local lines = facts and facts.short or ""
  local nshort, at = 0, lines ~= "" and 1 or nil   -- a line per village short
  while at do
    nshort = nshort + 1
    at = string.find(lines, "\n", at, true)
    at = at and at + 1
  end
  return lazy(nshort == 0 and n > 0, share(n - nshort, n), "standards.contacts_per_village", function()
    local short, sorted = {}, true
    for code, text in string.gmatch(lines, "([^\t\n]*)\t([^\n]*)") do
      local last = short[#short]
      if last and last.code > code then sorted = false end
      short[#short + 1] = { code = code, text = text }
    end
    if not sorted then table.sort(short, function(a, b) return a.code < b.code end) end
    for i, v in ipairs(short) do short[i] = v.text end
    return n == 0 and "no villages or communities on file" or #short > 0 and string.format(
        "villages or communities without %d current qualified contact worker%s: %s", need,
        need > 1 and "s" or "", list(short, "、")) or
        string.format("%d of %d villages and communities have a contact social worker", n, n),
      #short .. " of " .. n .. " without", need .. " each"
  end)
end

-- 社区社会工作室 ≥ 1 full- or part-time worker: rooms = {{village, name, workers}}.
function M.community_rooms(p, rooms)
  local need = p.standards.min_room_workers or 1
  local empty = {}
  for _, r in ipairs(rooms) do
    if (r.workers or 0) < need then empty[#empty + 1] = r.name end
  end
  return lazy(#empty == 0, share(#rooms - #empty, #rooms) + (#rooms == 0 and 1 or 0),
    "standards.min_room_workers", function()
      return #empty > 0 and ("community social work rooms without a worker: " .. list(empty, "、")) or
          string.format("%d community rooms staffed", #rooms),
        #empty .. " without", ">= " .. need .. " worker each"
    end)
end

-- How each resident worker was engaged (standards.engagement_routes:
-- the contracted agency or the township); an unknown route is a finding.
function M.engagement(p, workers)
  local ok, nbad = set_of(p.standards.engagement_routes), 0
  for _, w in ipairs(workers) do
    if not ok[w.engaged_by] then nbad = nbad + 1 end
  end
  return lazy(nbad == 0, share(#workers - nbad, #workers), "standards.engagement_routes", function()
    local bad = {}
    for _, w in ipairs(workers) do
      if not ok[w.engaged_by] then bad[#bad + 1] = w.code .. " (" .. tostring(w.engaged_by or "unknown") .. ")" end
    end
    return #bad > 0 and ("resident workers engaged by an unknown route: " .. list(bad)) or "every route known",
      #bad .. " unknown", list(p.standards.engagement_routes or {}, " or ")
  end)
end

-- 3+3+2. f = {pairs = {{mentor, mentor_qualification, mentor_role, assistant,
-- start_date}}, qualified = resident workers with a degree or the
-- certificate on the day}; as_of and add_years(date, n). Early closing of a
-- pair does not end the obligation: the transition is counted from its start.
function M.transition_332(p, f, as_of, add_years)
  local s = p.standards
  local years = s.transition_years
  local m = s.model_332 or { mentors = 3, assistants = 3 }
  local ended, mentors, assistants, uncert, problems = {}, {}, {}, {}, {}
  local nm, na = 0, 0
  for _, r in ipairs(f.pairs) do
    if add_years(r.start_date, years) <= as_of then ended[#ended + 1] = r.assistant end
    if not mentors[r.mentor] then
      mentors[r.mentor] = true; nm = nm + 1
      if r.mentor_role ~= "mentor" or not M.certified(p, r.mentor_qualification) then
        uncert[#uncert + 1] = r.mentor .. " (" .. tostring(r.mentor_qualification) .. ")"
      end
    end
    if not assistants[r.assistant] then assistants[r.assistant] = true; na = na + 1 end
  end
  if #f.pairs == 0 then return judgment(true, 1, "no 3+3+2 mentoring", nil, nil, "standards.transition_years") end
  local need = s.min_resident_workers
  local late = #ended > 0 and (f.qualified or 0) < need
  local few = nm < m.mentors or na < m.assistants
  local met = not late and #uncert == 0 and not few
  return lazy(met, met and 1 or 0, "standards.transition_years", function()
    table.sort(ended)
    if late then
      problems[#problems + 1] = string.format(
        "the %d-year transition of %s has ended, but only %d resident workers hold a degree or the certificate (%d needed)",
        years, list(ended), f.qualified or 0, need)
    end
    if #uncert > 0 then
      problems[#problems + 1] = "mentors who are not seconded certified social workers: " .. list(uncert)
    end
    if few then
      problems[#problems + 1] = string.format("%d mentors and %d assistants; the 3+3+2 model needs %d and %d",
        nm, na, m.mentors, m.assistants)
    end
    return #problems > 0 and list(problems, "; ") or "3+3+2 in order",
      string.format("%d mentors, %d assistants, %d qualified", nm, na, f.qualified or 0),
      string.format("%d certified mentors, %d assistants; %d qualified after %d years", m.mentors,
        m.assistants, need, years)
  end)
end

-- 经费: the guideline classifies money as construction, operation,
-- personnel and evaluation; it does not ask for all four every year.
-- year_set: categories with a budget in the year; ever_set: categories
-- with a budget in any year up to it. standards.annual_funding are due
-- every year, standards.one_off_funding once (construction is one-off).
function M.funding(p, year, year_set, ever_set)
  local s = p.standards
  local annual = M.missing(s.annual_funding, year_set)
  local once = M.missing(s.one_off_funding, ever_set)
  local n = #(s.annual_funding or {}) + #(s.one_off_funding or {})
  local bad = #annual + #once
  return lazy(bad == 0, n > 0 and (n - bad) / n or 1,
    bad > 0 and #annual > 0 and "standards.annual_funding" or "standards.one_off_funding", function()
      local parts = {}
      if #annual > 0 then parts[#parts + 1] = "no " .. year .. " budget for " .. list(annual) end
      if #once > 0 then parts[#parts + 1] = "no budget in any year up to " .. year .. " for " .. list(once) end
      return bad > 0 and list(parts, "; ") or string.format("%d of %d budget lines", n, n),
        bad .. " missing", "every year: " .. list(s.annual_funding or {}) .. "; once: " ..
          list(s.one_off_funding or {})
    end)
end

-- 福彩公益金 only for facility construction and equipment: rows =
-- {{year, category, budget}} of welfare-lottery money.
function M.welfare_lottery(p, rows)
  local ok, bad = set_of(p.standards.welfare_lottery_categories), {}
  for _, r in ipairs(rows) do
    if not ok[r.category] then bad[#bad + 1] = string.format("%s %s %s yuan", r.year, r.category, num(r.budget)) end
  end
  return judgment(#bad == 0, #bad == 0 and 1 or 0,
    #bad > 0 and ("welfare-lottery money (福彩公益金) budgeted outside construction and equipment: " .. list(bad))
      or "welfare-lottery money only for construction", #bad .. " lines",
    list(p.standards.welfare_lottery_categories or {}) .. " only", "standards.welfare_lottery_categories")
end

-- 每年11月30日前…汇总报市民政局: the county's report on `year`, judged on
-- as_of. row: its county_report row or nil. status: "delivered" (on file by
-- as_of), "due" (not yet, the due date has not passed) or "overdue".
function M.county_report(p, year, as_of, row)
  local due = (row and row.due_date) or string.format("%d-%s", year, p.annual_report.due)
  local delivered = row and row.delivered_as_of and row.delivered_as_of <= as_of
  local status = delivered and "delivered" or as_of > due and "overdue" or "due"
  local msg = delivered and string.format("the %d report was delivered on %s (due %s)", year,
      row.delivered_as_of, due)
    or status == "overdue" and string.format("the %d annual report to the city was due on %s " ..
      "and is not recorded as delivered (sws import county_reports)", year, due)
    or string.format("the %d annual report to the city is due on %s", year, due)
  local j = judgment(status ~= "overdue", delivered and 1 or 0, msg,
    delivered and ("delivered " .. row.delivered_as_of) or "not delivered", "by " .. due,
    "annual_report.due")
  j.status, j.due = status, due
  return j
end

-- The public functions: the policies' computed items call them through
-- sws.standards (pure judgments of the facts they are given).
M.public = {}
for k, v in pairs(M) do if type(v) == "function" then M.public[k] = v end end
M.public.CONTACTS_SQL, M.public.CONTACTS_PARAMS = M.CONTACTS_SQL, M.CONTACTS_PARAMS

return M
