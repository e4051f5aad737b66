-- model.lua — the document every report builds and every format renders:
--
--   doc = { kind, title, subtitle, scope = {county, county_name, station, year,
--           as_of, from, to}, masked, sections = { section, … } }
--   section = { id, title, intro = "text", figures = { {key, label, value, unit}, … },
--               columns = { {key, label, type = "text"|"int"|"num"|"pct"}, … },
--               rows = { {key = value}, … }, chart = { type, … }, notes = { "…" } }
--
-- Templates build sections; renderers (html.lua, text.lua) turn them into
-- documents. Numbers stay numbers in the model; formats decide how to show them.
local sws = require "sws"

local M = {}

-- A section with its table columns given as {key, label, type} triples.
function M.section(id, title, columns)
  local cols = {}
  for i, c in ipairs(columns or {}) do
    cols[i] = { key = c[1], label = c[2], type = c[3] or "text" }
  end
  return { id = id, title = title, columns = cols, rows = {}, figures = {}, notes = {} }
end

-- A key figure: `key` names it in JSON, `label` is what a reader sees.
function M.figure(sec, key, label, value, unit)
  sec.figures[#sec.figures + 1] = { key = key, label = label, value = value, unit = unit }
end

function M.note(sec, text)
  sec.notes[#sec.notes + 1] = text
end

-- n rounded to `d` decimals (a float), or nil.
function M.round(n, d)
  if n == nil then return nil end
  local m = 10 ^ (d or 2)
  return math.floor(n * m + 0.5) / m
end

-- a / b as a percentage rounded to 0.1, or nil when b is 0.
function M.pct(a, b)
  if not b or b == 0 then return nil end
  return M.round(100 * (a or 0) / b, 1)
end

-- How a value reads in a cell: integers plain, numbers with their
-- decimals, percentages with %, nil as "—".
function M.show(v, typ)
  if v == nil or v == sws.json.null then return "—" end
  if type(v) == "boolean" then return v and "是" or "否" end
  if typ == "int" and type(v) == "number" then return string.format("%d", math.floor(v + 0.5)) end
  if typ == "num" and type(v) == "number" then
    if v == math.floor(v) then return string.format("%d", v) end
    return string.format("%.2f", v):gsub("0$", "")
  end
  if typ == "pct" and type(v) == "number" then return string.format("%.1f%%", v) end
  if math.type(v) == "float" and v == math.floor(v) then return string.format("%d", v) end
  return tostring(v)
end

-- A person's name, address, age and minor status as a report may show them:
-- masked unless the reader revealed them (and the access was logged).
function M.person(opts, name, address)
  if opts.reveal then return name, address end
  return sws.mask.name(name), sws.mask.address(address)
end

-- Whole years of age on `on` from the birth date the ID number gave (else
-- the birth year, counted from 1 January), or nil.
function M.age(birth_date, birth_year, on)
  if birth_date and birth_date ~= "" and sws.date.compare(birth_date, on) <= 0 then
    return sws.date.age(birth_date, on)
  end
  if birth_year then
    local b = string.format("%04d-01-01", birth_year)
    if sws.date.compare(b, on) <= 0 then return sws.date.age(b, on) end
  end
  return nil
end

return M
