-- compliance_report: runs the compliance check for the jobs the policy
-- schedules, keeps the results in its own tables, and shows the trend.
local sws = require "sws"

local function ensure_tables()
  sws.db.exec([[CREATE TABLE IF NOT EXISTS plugin_compliance_report_runs(
    day TEXT NOT NULL, county TEXT NOT NULL, stations INTEGER NOT NULL,
    violations INTEGER NOT NULL, warnings INTEGER NOT NULL, advice INTEGER NOT NULL,
    PRIMARY KEY(day, county))]])
end

-- Checks every station as of `day` and stores the counts per county;
-- returns the number of counties stored.
local function snapshot(day)
  day = day or sws.date.today()
  ensure_tables()
  local result = sws.check{ year = sws.date.year(day), as_of = day }
  local per = {}
  -- per administering unit (a county, or an industrial zone), as the findings are
  for _, st in ipairs(sws.db.query([[SELECT t.unit_code AS county, count(*) AS n
      FROM station s JOIN township t ON t.code = s.code GROUP BY t.unit_code]])) do
    per[st.county] = { stations = st.n, violation = 0, warning = 0, advice = 0 }
  end
  for _, f in ipairs(result.findings) do
    local c = per[f.county]
    if c then c[f.severity] = c[f.severity] + 1 end
  end
  local n = 0
  sws.db.transaction(function()
    for county, c in pairs(per) do
      sws.db.exec([[INSERT INTO plugin_compliance_report_runs VALUES(?, ?, ?, ?, ?, ?)
          ON CONFLICT(day, county) DO UPDATE SET stations = excluded.stations,
          violations = excluded.violations, warnings = excluded.warnings, advice = excluded.advice]],
        day, county, c.stations, c.violation, c.warning, c.advice)
      n = n + 1
    end
  end)
  sws.log.info("compliance snapshot of %s: %d %s in %d %s", day, #result.findings,
    sws.text.plural(#result.findings, "finding", "findings"), n, sws.text.plural(n, "county", "counties"))
  return n
end

sws.job("weekly_compliance", function() snapshot() end)
-- The annual summary is the snapshot of the day the job runs (15 November in
-- the city's schedule), ahead of the 30 November deadline.
sws.job("annual_summary", function() snapshot() end)

sws.command("compliance-trend", "violations and warnings per county, snapshot by snapshot",
  function(args)
    ensure_tables()
    local rows = sws.db.query([[SELECT r.day, r.county, c.name, r.stations, r.violations, r.warnings
        FROM plugin_compliance_report_runs r LEFT JOIN county c ON c.code = r.county
        WHERE ? IS NULL OR r.county = ? ORDER BY r.county, r.day]], args[1], args[1])
    if #rows == 0 then
      print("no snapshot yet: run `sws job run weekly_compliance`")
      return 3
    end
    print(string.format("%-10s %-8s %-10s %8s %10s %8s", "day", "county", "name", "stations",
      "violations", "warnings"))
    for _, r in ipairs(rows) do
      print(string.format("%-10s %-8s %-10s %8d %10d %8d", r.day, r.county, r.name or "",
        r.stations, r.violations, r.warnings))
    end
    return 0
  end)

return { snapshot = snapshot }
