-- reports: the documents people read — coverage of the city's targets, the
-- county's annual report to the city, a station's scorecard, volunteer
-- hours — built from templates (templates/<kind>.lua) and rendered as HTML,
-- Markdown, CSV or JSON.
--
-- A county changes its reports without recompiling: counties/<code>.lua
-- returns { <kind> = { sections = { <id> = function(ctx) … end | false },
-- add = { { after = "<id>", id = "<new>", build = function(ctx) … end } } } }.
-- A plugin does the same through sws.plugin("reports"): add(kind, template),
-- override(kind, id, fn), extend(kind, id, fn, after). docs/reports.md.
local sws = require "sws"
local model = require "model"
local data = require "data"
local html = require "html"
local text = require "text"

local templates = {}   -- kind -> template {description, title, check, prepare, sections}
local overrides = {}   -- kind -> {id -> fn|false}
local extras = {}      -- kind -> {{after, id, build}}

local M = {}

-- Adds a report kind (or replaces one): template = {description, check(opts)
-- -> error or nil, prepare(ctx), sections = {{id = "…", build = fn(ctx) ->
-- section or nil}, …}}.
function M.add(kind, template)
  assert(type(template) == "table" and type(template.sections) == "table",
    "reports.add: a template is a table with sections")
  templates[kind] = template
end

-- Replaces section `id` of report `kind` by fn(ctx) (false removes it).
function M.override(kind, id, fn)
  overrides[kind] = overrides[kind] or {}
  overrides[kind][id] = fn
end

-- Adds section `id`, built by fn(ctx), after section `after` (at the end when nil).
function M.extend(kind, id, fn, after)
  extras[kind] = extras[kind] or {}
  table.insert(extras[kind], { id = id, build = fn, after = after })
end

-- The report kinds and what each is, sorted by name.
function M.kinds()
  local t = {}
  for k, tpl in pairs(templates) do t[#t + 1] = { kind = k, description = tpl.description } end
  table.sort(t, function(a, b) return a.kind < b.kind end)
  return t
end

for _, kind in ipairs({ "coverage", "annual", "station", "volunteers" }) do
  M.add(kind, require("templates." .. kind))
end

-- The county's own changes (counties/<code>.lua), or nil.
local function county_changes(county)
  if not county then return nil end
  local ok, t = pcall(require, "counties." .. county)
  if ok then return t end
  if tostring(t):find("not found in the project's", 1, true) then return nil end
  error(t, 0)
end

-- The section builders of `kind` for `county`, in order, with the plugin's
-- and the county's overrides and additions applied.
local function plan(kind, county)
  local list = {}
  for _, s in ipairs(templates[kind].sections) do list[#list + 1] = { id = s.id, build = s.build } end
  local function apply(over, add)
    for id, fn in pairs(over or {}) do
      for i = #list, 1, -1 do
        if list[i].id == id then
          if fn then list[i].build = fn else table.remove(list, i) end
        end
      end
    end
    for _, e in ipairs(add or {}) do
      local at = #list + 1
      for i, s in ipairs(list) do if s.id == e.after then at = i + 1 end end
      table.insert(list, at, { id = e.id, build = e.build })
    end
  end
  apply(overrides[kind], extras[kind])
  local c = county_changes(county)
  if c and c[kind] then apply(c[kind].sections, c[kind].add) end
  return list
end

-- Builds the document model of report `kind` (see model.lua).
function M.build(kind, opts)
  local tpl = templates[kind]
  if not tpl then
    local names = {}
    for _, k in ipairs(M.kinds()) do names[#names + 1] = k.kind end
    error(string.format("no report '%s' (reports: %s)", kind, table.concat(names, ", ")), 0)
  end
  opts = opts or {}
  data.begin_batch(opts.batch)
  local as_of = opts.as_of or sws.date.today()
  local county = opts.county or (opts.station and opts.station:sub(1, 6))
  local ctx = { opts = opts, kind = kind, data = data, model = model, as_of = as_of,
    year = opts.year or sws.date.year(as_of), county = county, station = opts.station,
    reveal = opts.reveal and true or false }
  ctx.sensitive_age = county and sws.policy.get(county, "privacy.sensitive_age") or 14
  local why = tpl.check and tpl.check(ctx)
  if why then error(why, 0) end
  local doc = { kind = kind, masked = not ctx.reveal, sections = {},
    scope = { county = county, station = opts.station, year = ctx.year, as_of = as_of } }
  ctx.doc = doc
  if tpl.prepare then tpl.prepare(ctx) end
  local steps = plan(kind, county)
  for i, step in ipairs(steps) do
    sws.log.progress("report " .. kind, i - 1, #steps)
    local sec = step.build(ctx)
    if sec then
      sec.id = sec.id or step.id
      doc.sections[#doc.sections + 1] = sec
    end
  end
  sws.log.progress("report " .. kind, #steps, #steps)
  sws.log.progress()
  return doc
end

local FORMATS = { html = html.render, md = text.md, csv = text.csv, json = text.json }

-- The document of report `kind` as text in opts.format (html, md, csv or
-- json; default html). opts: county, station, year, from, to, as_of,
-- reveal, batch (reports rendered with the same batch value share the
-- city's evaluation; a new value, or none, starts afresh). This is what
-- `sws report` and the 30 November job call.
function M.render(kind, opts)
  opts = opts or {}
  local fmt = FORMATS[opts.format or "html"]
  if not fmt then error("unknown format '" .. tostring(opts.format) .. "' (html, md, csv, json)", 0) end
  return fmt(M.build(kind, opts))
end

M.csv_cell = text.csv_cell

return M
