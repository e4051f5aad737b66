-- import_rules: vetoes imported rows that break the patterns of rules.lua.
-- The import then lists the row with this plugin's message, like any other
-- bad row, and stores nothing unless --skip-bad was given.
local sws = require "sws"
local rules = require "import_rules.rules"

-- The county of a row: the first 6 digits of its station (or own) code.
local function county_of(row)
  local code = row.station or row.code or ""
  return code:sub(1, 6)
end

local function check(rule, value)
  if rule.must and not sws.re.test(value, rule.must) then return false end
  if rule.must_not and sws.re.test(value, rule.must_not) then return false end
  return true
end

sws.on("import.before_row", function(ev)
  for _, scope in ipairs({ "*", county_of(ev.row) }) do
    local by_kind = rules[scope] and rules[scope][ev.kind]
    for _, rule in ipairs(by_kind or {}) do
      local value = ev.row[rule.column]
      if value and not check(rule, value) then
        return false, string.format("column '%s' \"%s\": %s (rule of %s in plugins/import_rules/rules.lua)",
          rule.column, value, rule.message, scope == "*" and "the city" or "county " .. scope)
      end
    end
  end
  return true
end)
