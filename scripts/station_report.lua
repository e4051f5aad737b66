-- station_report.lua: an admin script (`sws run scripts/station_report.lua CODE`)
-- printing one station's facilities, staff and service figures.
local code = ...
if not code then
  print("usage: sws run scripts/station_report.lua STATION_CODE")
  return 2
end
local st = sws.db.query([[SELECT s.name, s.area_m2, s.is_hub, t.name AS township, c.name AS county
  FROM station s JOIN township t ON t.code = s.code JOIN county c ON c.code = t.county_code
  WHERE s.code = ?]], code)[1]
if not st then
  print("no station " .. code)
  return 1
end
print(string.format("%s（%s %s）%s", st.name, st.county, st.township, st.is_hub == 1 and "· 总站" or ""))
print(string.format("  area: %s m²", st.area_m2 or "?"))
local rooms = sws.db.query("SELECT count(*) AS n FROM station_room WHERE station_code = ?", code)[1].n
print(string.format("  rooms: %d", rooms))
for r in sws.db.rows([[SELECT role, count(*) AS n FROM worker WHERE station_code = ? AND left_on IS NULL
    GROUP BY role ORDER BY role]], code) do
  print(string.format("  workers (%s): %d", r.role, r.n))
end
local s = sws.db.query([[SELECT count(*) AS n, coalesce(sum(hours), 0) AS hours FROM service_record
  WHERE station_code = ?]], code)[1]
print(string.format("  service records: %d, %.1f hours", s.n, s.hours))
return 0
