-- svg.lua — inline SVG charts for the HTML reports: no script, no network,
-- sized in viewBox units so that they scale to the A4 column. Each chart is
-- an <svg id="chart-…" role="img"> with a <title>, so a reader and a test
-- can find it.
local M = {}

M.PALETTE = { "#2f6db5", "#e07b39", "#3c9d5d", "#c23b3b", "#8a5fb8", "#7a7a7a", "#d4a017",
  "#1b9aaa" }

local function esc(s)
  return (tostring(s):gsub("[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;" }))
end
M.esc = esc

local function num(n) return string.format("%.1f", n) end

-- A "nice" upper bound of the axis for a maximum value.
local function nice_max(v)
  if v <= 0 then return 1 end
  local p = 10 ^ math.floor(math.log(v, 10))
  for _, m in ipairs({ 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 }) do
    if m * p >= v then return m * p end
  end
  return 10 * p
end

local function open(id, w, h, title)
  return { string.format('<svg id="%s" class="chart" role="img" viewBox="0 0 %d %d" '
    .. 'xmlns="http://www.w3.org/2000/svg" font-size="11"><title>%s</title>', esc(id), w, h,
    esc(title)) }
end

local function legend(out, series, x, y)
  for i, s in ipairs(series) do
    local lx = x + (i - 1) * 110
    out[#out + 1] = string.format('<rect x="%s" y="%s" width="10" height="10" fill="%s"/>'
      .. '<text x="%s" y="%s">%s</text>', num(lx), num(y), s.color or M.PALETTE[i], num(lx + 14),
      num(y + 9), esc(s.name))
  end
end

-- Vertical bars: categories along x, one bar per series (grouped) or one
-- stacked bar; `line` = {value or {per category}, name} draws a target mark.
-- spec = {id, title, categories = {…}, series = {{name, values = {…}, color}},
--         stacked = bool, line = {values = {…} | value = n, name}, unit}
function M.bars(spec)
  local n, ns = #spec.categories, #spec.series
  local w, h, left, bottom, top = 720, 300, 44, 70, 28
  local plot_w, plot_h = w - left - 10, h - top - bottom
  local maxv = 0
  for c = 1, n do
    local sum = 0
    for _, s in ipairs(spec.series) do
      local v = s.values[c] or 0
      if spec.stacked then sum = sum + v else maxv = math.max(maxv, v) end
    end
    maxv = math.max(maxv, sum)
    if spec.line then
      maxv = math.max(maxv, spec.line.value or (spec.line.values[c] or 0))
    end
  end
  maxv = nice_max(maxv)
  local out = open(spec.id, w, h, spec.title)
  for k = 0, 4 do
    local y = top + plot_h - plot_h * k / 4
    out[#out + 1] = string.format('<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="#ddd"/>'
      .. '<text x="%d" y="%s" text-anchor="end" fill="#555">%s</text>', left, w - 10, num(y),
      num(y), left - 4, num(y + 4), esc(M.short(maxv * k / 4)))
  end
  local slot = plot_w / math.max(n, 1)
  local bw = spec.stacked and slot * 0.7 or slot * 0.8 / ns
  for c = 1, n do
    local x0 = left + (c - 1) * slot + slot * (spec.stacked and 0.15 or 0.1)
    local base = 0
    for i, s in ipairs(spec.series) do
      local v = s.values[c] or 0
      local bh = plot_h * v / maxv
      local x = spec.stacked and x0 or x0 + (i - 1) * bw
      local y = top + plot_h - bh - (spec.stacked and plot_h * base / maxv or 0)
      out[#out + 1] = string.format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s">'
        .. '<title>%s %s: %s</title></rect>', num(x), num(y), num(math.max(bw - 1, 1)), num(bh),
        s.color or M.PALETTE[i], esc(spec.categories[c]), esc(s.name), esc(M.short(v)))
      if spec.stacked then base = base + v end
    end
    if spec.line then
      local v = spec.line.value or spec.line.values[c]
      if v then
        local y = top + plot_h - plot_h * v / maxv
        out[#out + 1] = string.format('<line class="target" x1="%s" x2="%s" y1="%s" y2="%s" '
          .. 'stroke="#c23b3b" stroke-width="2"/>', num(x0 - 2), num(x0 + slot * 0.8 + 2),
          num(y), num(y))
      end
    end
    local lx = left + (c - 0.5) * slot
    out[#out + 1] = string.format('<text x="%s" y="%s" text-anchor="end" transform="rotate(-40 %s %s)">'
      .. '%s</text>', num(lx), num(top + plot_h + 14), num(lx), num(top + plot_h + 14),
      esc(spec.categories[c]))
  end
  local items = {}
  for i, s in ipairs(spec.series) do items[i] = { name = s.name, color = s.color or M.PALETTE[i] } end
  if spec.line then items[#items + 1] = { name = spec.line.name, color = "#c23b3b" } end
  legend(out, items, left, 8)
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

-- Horizontal stacked bars: one row per category, segments per series.
-- spec = {id, title, categories, series = {{name, values, color}}}
function M.hbars(spec)
  local n = #spec.categories
  local w, left, top, rowh = 720, 150, 30, 20
  local h = top + n * rowh + 10
  local maxv = 0
  for c = 1, n do
    local sum = 0
    for _, s in ipairs(spec.series) do sum = sum + (s.values[c] or 0) end
    maxv = math.max(maxv, sum)
  end
  maxv = nice_max(maxv)
  local plot_w = w - left - 60
  local out = open(spec.id, w, h, spec.title)
  for c = 1, n do
    local y, x = top + (c - 1) * rowh, left
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end">%s</text>', left - 6,
      num(y + 13), esc(spec.categories[c]))
    local sum = 0
    for i, s in ipairs(spec.series) do
      local v = s.values[c] or 0
      local bw = plot_w * v / maxv
      out[#out + 1] = string.format('<rect x="%s" y="%s" width="%s" height="%d" fill="%s">'
        .. '<title>%s %s: %s</title></rect>', num(x), num(y + 2), num(bw), rowh - 5,
        s.color or M.PALETTE[i], esc(spec.categories[c]), esc(s.name), esc(M.short(v)))
      x, sum = x + bw, sum + v
    end
    out[#out + 1] = string.format('<text x="%s" y="%s" fill="#555">%s</text>', num(x + 4),
      num(y + 13), esc(M.short(sum)))
  end
  legend(out, spec.series, left, 8)
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

-- A map-like grid: one row per group (county), one square per cell
-- (township) coloured by its class; spec = {id, title, groups = {{label,
-- cells = {{class, title}}}}, classes = {{key, label, color}}}
function M.grid(spec)
  local color, cols = {}, 30
  for _, c in ipairs(spec.classes) do color[c.key] = c.color end
  local left, top, size = 110, 30, 14
  local rows = 0
  for _, g in ipairs(spec.groups) do rows = rows + math.max(1, math.ceil(#g.cells / cols)) end
  local w, h = left + cols * size + 10, top + rows * size + #spec.groups * 4 + 10
  local out = open(spec.id, w, h, spec.title)
  local y = top
  for _, g in ipairs(spec.groups) do
    out[#out + 1] = string.format('<text x="%d" y="%s" text-anchor="end">%s</text>', left - 6,
      num(y + 11), esc(g.label))
    for i, cell in ipairs(g.cells) do
      local cx = left + ((i - 1) % cols) * size
      local cy = y + ((i - 1) // cols) * size
      out[#out + 1] = string.format('<rect x="%d" y="%s" width="%d" height="%d" fill="%s" '
        .. 'stroke="#fff"><title>%s</title></rect>', cx, num(cy), size - 1, size - 1,
        color[cell.class] or "#ccc", esc(cell.title))
    end
    y = y + math.max(1, math.ceil(#g.cells / cols)) * size + 4
  end
  for i, c in ipairs(spec.classes) do
    local lx = left + (i - 1) * 95
    out[#out + 1] = string.format('<rect x="%d" y="8" width="10" height="10" fill="%s"/>'
      .. '<text x="%d" y="17">%s</text>', lx, c.color, lx + 14, esc(c.label))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

-- A number as an axis or tooltip shows it: 12, 3.5, 1.2万.
function M.short(v)
  if v >= 100000 then return string.format("%.0f万", v / 10000) end
  if v >= 10000 then return string.format("%.1f万", v / 10000) end
  if v == math.floor(v) then return string.format("%d", v) end
  return string.format("%.1f", v)
end

return M
