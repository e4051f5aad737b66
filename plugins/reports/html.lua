-- html.lua — a report as one self-contained HTML file: inline CSS and SVG,
-- no script and nothing fetched, laid out for A4 paper, Chinese set with
-- the CJK fonts a Chinese desktop has. Tables are <table id="table-<section>">,
-- charts <svg id="chart-…">, sections <section id="section-<section>">.
local svg = require "svg"
local model = require "model"

local esc = svg.esc

local CSS = [[
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0; color: #1d1d1f; background: #fff;
  font: 10.5pt/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", "Noto Sans SC", sans-serif; text-align: justify;
  line-break: strict; word-break: normal; overflow-wrap: anywhere; }
header { border-bottom: 2px solid #2f6db5; margin-bottom: 6mm; }
h1 { font-size: 18pt; margin: 0 0 2mm; letter-spacing: .04em; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-left: 3mm; border-left: 4px solid #2f6db5;
  break-after: avoid; }
.subtitle, .meta { color: #555; margin: 0 0 2mm; }
.privacy { font-size: 9pt; color: #6b4b00; background: #fff7e0; padding: 2mm 3mm; }
.figures { display: flex; flex-wrap: wrap; gap: 2mm; margin: 2mm 0; padding: 0; list-style: none; }
.figures li { flex: 1 1 38mm; border: 1px solid #d8e2f0; border-radius: 2mm; padding: 2mm 3mm; }
.figures b { display: block; font-size: 14pt; color: #2f6db5; font-variant-numeric: tabular-nums; }
.figures span { font-size: 9pt; color: #555; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 3mm; font-size: 9pt; }
th, td { border: 1px solid #cfd6df; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eef3fa; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td:first-child { white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
svg.chart { width: 100%; height: auto; display: block; margin: 2mm 0; break-inside: avoid; }
.note { font-size: 9pt; color: #555; }
footer { margin-top: 8mm; border-top: 1px solid #ccc; font-size: 8.5pt; color: #777; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; }
  section { break-inside: auto; } }
]]

local M = {}

local function table_html(out, sec)
  if #sec.columns == 0 then return end
  out[#out + 1] = string.format('<table id="table-%s"><thead><tr>', esc(sec.id))
  for _, c in ipairs(sec.columns) do out[#out + 1] = "<th>" .. esc(c.label) .. "</th>" end
  out[#out + 1] = "</tr></thead><tbody>"
  for _, r in ipairs(sec.rows) do
    out[#out + 1] = "<tr>"
    for _, c in ipairs(sec.columns) do
      local numeric = c.type ~= "text"
      out[#out + 1] = string.format("<td%s>%s</td>", numeric and ' class="n"' or "",
        esc(model.show(r[c.key], c.type)))
    end
    out[#out + 1] = "</tr>"
  end
  if #sec.rows == 0 then
    out[#out + 1] = string.format('<tr><td colspan="%d">（无）</td></tr>', #sec.columns)
  end
  out[#out + 1] = "</tbody></table>"
end

function M.render(doc)
  local out = { '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    "<title>", esc(doc.title), "</title>\n<style>", CSS, "</style>\n</head>\n<body>\n",
    '<header><h1 id="report-title">', esc(doc.title), "</h1>" }
  if doc.subtitle then out[#out + 1] = '<p class="subtitle">' .. esc(doc.subtitle) .. "</p>" end
  if not (doc.subtitle or ""):find(doc.scope.as_of, 1, true) then
    out[#out + 1] = string.format('<p class="meta">数据截至 %s</p>', esc(doc.scope.as_of))
  end
  out[#out + 1] = '<p class="privacy">' .. esc(doc.masked
    and "个人信息已脱敏：身份证号仅显示前6位和后4位，手机号显示前3位和后4位，姓名、住址部分隐去；"
      .. "未满14周岁者及未取得同意的服务对象只计数、不列明。"
    or "本报告含未脱敏的姓名和住址（已记入访问日志），请按敏感个人信息妥善保管。") .. "</p>"
  out[#out + 1] = "</header>\n"
  for _, sec in ipairs(doc.sections) do
    out[#out + 1] = string.format('<section id="section-%s">\n<h2>%s</h2>\n', esc(sec.id),
      esc(sec.title))
    if sec.intro then out[#out + 1] = "<p>" .. esc(sec.intro) .. "</p>" end
    if #sec.figures > 0 then
      out[#out + 1] = '<ul class="figures">'
      for _, f in ipairs(sec.figures) do
        out[#out + 1] = string.format("<li><b>%s%s</b><span>%s</span></li>",
          esc(model.show(f.value, math.type(f.value) == "float" and "num" or nil)),
          esc(f.unit or ""), esc(f.label))
      end
      out[#out + 1] = "</ul>"
    end
    for _, ch in ipairs(sec.charts or {}) do out[#out + 1] = svg[ch.type](ch) end
    table_html(out, sec)
    for _, n in ipairs(sec.notes) do out[#out + 1] = '<p class="note">' .. esc(n) .. "</p>" end
    out[#out + 1] = "</section>\n"
  end
  out[#out + 1] = string.format("<footer>%s · %s</footer>\n</body>\n</html>\n", esc(doc.title),
    esc(doc.footer or "由 sws 依据数据库生成"))
  return table.concat(out)
end

return M
