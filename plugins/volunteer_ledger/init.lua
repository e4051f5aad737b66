-- volunteer_ledger: keeps plugin_volunteer_ledger_hours, one row per
-- volunteer and year, rebuilt whenever volunteer service hours are imported,
-- and adds `sws volunteer-ledger` to show it.
local sws = require "sws"

-- Star credit by hours in the year, as volunteer services commonly grade it.
local STARS = { {1500, 5}, {1000, 4}, {600, 3}, {300, 2}, {100, 1} }

local function stars(hours)
  for _, s in ipairs(STARS) do
    if hours >= s[1] then return s[2] end
  end
  return 0
end

local function ensure_table()
  sws.db.exec([[CREATE TABLE IF NOT EXISTS plugin_volunteer_ledger_hours(
    volunteer_code TEXT NOT NULL, year INTEGER NOT NULL, hours REAL NOT NULL,
    services INTEGER NOT NULL, stars INTEGER NOT NULL,
    PRIMARY KEY(volunteer_code, year))]])
end

-- Rebuilds the ledger from volunteer_service; returns the number of rows.
local function rebuild()
  ensure_table()
  return sws.db.transaction(function()
    sws.db.exec("DELETE FROM plugin_volunteer_ledger_hours")
    local n = 0
    for r in sws.db.rows([[SELECT volunteer_code, CAST(substr(date, 1, 4) AS INTEGER) AS year,
        sum(hours) AS hours, count(*) AS services FROM volunteer_service
        GROUP BY volunteer_code, year]]) do
      sws.db.exec("INSERT INTO plugin_volunteer_ledger_hours VALUES(?, ?, ?, ?, ?)",
        r.volunteer_code, r.year, r.hours, r.services, stars(r.hours))
      n = n + 1
    end
    return n
  end)
end

sws.on("import.completed", function(ev)
  if ev.kind == "volunteer_service" or ev.kind == "volunteers" then
    local n = rebuild()
    sws.log.info("volunteer ledger rebuilt: %d %s", n, sws.text.plural(n, "volunteer-year", "volunteer-years"))
  end
end)

sws.job("volunteer_ledger", function() rebuild() end)

-- A compliance rule for `sws check`: "社工+志愿者" means a station has
-- volunteers who actually served during the year.
sws.rule("volunteer_service", function(ctx)
  local served = {}
  for _, r in ipairs(ctx.query([[SELECT v.station_code, count(DISTINCT v.code) AS n
      FROM volunteer v JOIN volunteer_service s ON s.volunteer_code = v.code
      WHERE s.date BETWEEN ?3 || '-01-01' AND ?3 || '-12-31' AND
      v.station_code BETWEEN ?1 AND ?2
      GROUP BY v.station_code]], tostring(ctx.year))) do
    served[r.station_code] = r.n
  end
  for _, st in ipairs(ctx.stations) do
    if not served[st.code] then
      ctx.find(st.code, { message = string.format("no volunteer served in %d (社工+志愿者)", ctx.year),
        actual = 0, required = ">= 1 volunteer with service hours" })
    end
  end
end, { severity = "warning", doc = "volunteers who served during the year (社工+志愿者)" })

sws.command("volunteer-ledger", "volunteer hours and star credit per station",
  function(args)
    local station = args[1]
    if not station then
      print("usage: sws volunteer-ledger STATION [YEAR]")
      return 2
    end
    rebuild()
    local year = tonumber(args[2])
    local rows = sws.db.query([[SELECT l.volunteer_code, v.name, l.year, l.hours, l.services,
        l.stars FROM plugin_volunteer_ledger_hours l JOIN volunteer v ON v.code = l.volunteer_code
        WHERE v.station_code = ? AND (? IS NULL OR l.year = ?)
        ORDER BY l.hours DESC, l.volunteer_code]], station, year, year)
    if #rows == 0 then
      print("no volunteer hours recorded for station " .. station)
      return 3
    end
    print(string.format("%-16s %-16s %4s %8s %8s %s", "volunteer", "name", "year", "hours",
      "services", "stars"))
    for _, r in ipairs(rows) do
      print(string.format("%-16s %-16s %4d %8.1f %8d %s", r.volunteer_code, r.name, r.year,
        r.hours, r.services, string.rep("★", r.stars)))
    end
    return 0
  end)

-- Read-only questions other code may ask through sws.plugin("volunteer_ledger"):
-- policies call these from their guards, so they never write.
local function active_volunteers(station, min_hours)
  return sws.db.query([[SELECT count(*) AS n FROM (SELECT v.code FROM volunteer v
      JOIN volunteer_service s ON s.volunteer_code = v.code WHERE v.station_code = ?
      GROUP BY v.code HAVING sum(s.hours) >= ?)]], station, min_hours or 0)[1].n
end

return { stars = stars, rebuild = rebuild, active_volunteers = active_volunteers }
