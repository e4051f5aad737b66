-- text.lua — a report as Markdown, CSV or JSON.
--
-- CSV: one block per section (a title row, a header row, the rows, an empty
-- row), cells through one helper that quotes and neutralises formulas; the
-- byte-order mark for Excel and WPS is added by the core (`--no-bom`).
-- JSON: the stable shape documented in docs/reports.md (schema
-- "sws.report/1"): keys sorted, numbers as numbers, null where unknown.
local sws = require "sws"
local model = require "model"

local M = {}

-- One CSV cell: the core's (sws.csv.cell, the rule of every CSV sws writes):
-- text a spreadsheet would run as a formula gets a leading apostrophe, a cell
-- with a comma, quote or line break is quoted, numbers are written as numbers.
M.csv_cell = sws.csv.cell

local function csv_row(out, cells)
  local t = {}
  for i, c in ipairs(cells) do t[i] = M.csv_cell(c) end
  out[#out + 1] = table.concat(t, ",") .. "\r\n"
end

function M.csv(doc)
  local out = {}
  csv_row(out, { doc.title })
  csv_row(out, { "数据截至", doc.scope.as_of })
  out[#out + 1] = "\r\n"
  for _, sec in ipairs(doc.sections) do
    if #sec.columns > 0 then
      csv_row(out, { sec.title })
      local head = {}
      for i, c in ipairs(sec.columns) do head[i] = c.label end
      csv_row(out, head)
      for _, r in ipairs(sec.rows) do
        local cells = {}
        for i, c in ipairs(sec.columns) do cells[i] = r[c.key] end
        csv_row(out, cells)
      end
      out[#out + 1] = "\r\n"
    elseif #sec.figures > 0 then
      csv_row(out, { sec.title })
      for _, f in ipairs(sec.figures) do csv_row(out, { f.label, f.value, f.unit }) end
      out[#out + 1] = "\r\n"
    end
  end
  return table.concat(out)
end

local function md_cell(v, typ)
  return (model.show(v, typ):gsub("|", "\\|"):gsub("\n", " "))
end

function M.md(doc)
  local out = { "# " .. doc.title, "" }
  if doc.subtitle then out[#out + 1] = doc.subtitle; out[#out + 1] = "" end
  out[#out + 1] = "数据截至 " .. doc.scope.as_of .. (doc.masked and "（个人信息已脱敏）" or
    "（含未脱敏个人信息，已记入访问日志）")
  out[#out + 1] = ""
  for _, sec in ipairs(doc.sections) do
    out[#out + 1] = "## " .. sec.title
    out[#out + 1] = ""
    if sec.intro then out[#out + 1] = sec.intro; out[#out + 1] = "" end
    for _, f in ipairs(sec.figures) do
      out[#out + 1] = string.format("- %s：**%s%s**", f.label,
        model.show(f.value, math.type(f.value) == "float" and "num" or nil), f.unit or "")
    end
    if #sec.figures > 0 then out[#out + 1] = "" end
    if #sec.columns > 0 then
      local head, rule = {}, {}
      for i, c in ipairs(sec.columns) do
        head[i] = md_cell(c.label)
        rule[i] = c.type == "text" and "---" or "---:"
      end
      out[#out + 1] = "| " .. table.concat(head, " | ") .. " |"
      out[#out + 1] = "| " .. table.concat(rule, " | ") .. " |"
      for _, r in ipairs(sec.rows) do
        local cells = {}
        for i, c in ipairs(sec.columns) do cells[i] = md_cell(r[c.key], c.type) end
        out[#out + 1] = "| " .. table.concat(cells, " | ") .. " |"
      end
      out[#out + 1] = ""
    end
    for _, n in ipairs(sec.notes) do out[#out + 1] = "> " .. n; out[#out + 1] = "" end
  end
  return table.concat(out, "\n") .. "\n"
end

local function value(v) if v == nil then return sws.json.null end return v end

function M.json(doc)
  local sections = sws.json.array()
  for _, sec in ipairs(doc.sections) do
    local cols, rows, figs = sws.json.array(), sws.json.array(), sws.json.array()
    for i, c in ipairs(sec.columns) do cols[i] = { key = c.key, label = c.label, type = c.type } end
    for i, r in ipairs(sec.rows) do
      local row = {}
      for _, c in ipairs(sec.columns) do row[c.key] = value(r[c.key]) end
      rows[i] = row
    end
    for i, f in ipairs(sec.figures) do
      figs[i] = { key = f.key or f.label, label = f.label, value = value(f.value),
        unit = value(f.unit) }
    end
    local notes = sws.json.array()
    for i, n in ipairs(sec.notes) do notes[i] = n end
    sections[#sections + 1] = { id = sec.id, title = sec.title, columns = cols, rows = rows,
      figures = figs, notes = notes }
  end
  local s = doc.scope
  return sws.json.encode({ schema = "sws.report/1", report = doc.kind, title = doc.title,
    masked = doc.masked, scope = { county = value(s.county), county_name = value(s.county_name),
      station = value(s.station), year = value(s.year), as_of = s.as_of, from = value(s.from),
      to = value(s.to) }, sections = sections }, { indent = true }) .. "\n"
end

return M
