-- bench/report, SQL-only baseline of the coverage report: per county of the
-- whole database, the townships that need a station, stations built, by
-- workflow stage, operating, operating in 2021, hubs, community rooms and the
-- units that need no station, with the province's totals (window functions),
-- and the township grid's rows.
WITH st AS (
  SELECT substr(s.code, 1, 6) AS county, s.is_hub, w.stage FROM station s
  LEFT JOIN workflow_instance w ON w.station_code = s.code),
ev AS (
  SELECT substr(station_code, 1, 6) AS county, count(DISTINCT station_code) AS n
  FROM workflow_event WHERE to_stage = 'operating' AND time < '2022-01-01' GROUP BY 1),
rooms AS (
  SELECT substr(station_code, 1, 6) AS county, count(DISTINCT village_code) AS n FROM worker
  WHERE role = 'room' AND village_code IS NOT NULL AND left_on IS NULL GROUP BY 1),
tw AS (
  SELECT county_code AS county, count(*) FILTER (WHERE kind <> 'special') AS need,
    count(*) FILTER (WHERE kind = 'special') AS special FROM township GROUP BY 1),
per AS (
  SELECT c.code, c.name, coalesce(tw.need, 0) AS need, count(st.county) AS built,
    count(*) FILTER (WHERE st.county IS NOT NULL AND st.stage IS NULL) AS not_started,
    count(*) FILTER (WHERE st.stage = 'proposed') AS proposed,
    count(*) FILTER (WHERE st.stage = 'approved') AS approved,
    count(*) FILTER (WHERE st.stage IN ('planned', 'reviewed')) AS planning,
    count(*) FILTER (WHERE st.stage = 'building') AS building,
    count(*) FILTER (WHERE st.stage = 'accepted') AS accepted,
    count(*) FILTER (WHERE st.stage IN ('operating', 'midterm', 'final_evaluation')) AS operating,
    coalesce(sum(st.is_hub), 0) AS hubs, coalesce(ev.n, 0) AS operating_2021,
    coalesce(rooms.n, 0) AS rooms, coalesce(tw.special, 0) AS special
  FROM county c LEFT JOIN st ON st.county = c.code LEFT JOIN tw ON tw.county = c.code
  LEFT JOIN ev ON ev.county = c.code LEFT JOIN rooms ON rooms.county = c.code
  GROUP BY c.code)
SELECT code, name, need, built, not_started, proposed, approved, planning, building, accepted,
  operating, hubs, operating_2021, rooms, special,
  round(100.0 * operating / nullif(need, 0), 1) AS coverage,
  sum(need) OVER () AS total_need, sum(built) OVER () AS total_built,
  sum(operating) OVER () AS total_operating, sum(operating_2021) OVER () AS total_2021
FROM per ORDER BY code;

SELECT t.code, t.name, t.county_code, t.kind, s.code IS NOT NULL, w.stage FROM township t
LEFT JOIN station s ON s.code = t.code LEFT JOIN workflow_instance w ON w.station_code = t.code
ORDER BY t.code;
SELECT t.code, t.name, c.name FROM township t JOIN county c ON c.code = t.county_code
WHERE t.kind = 'special' ORDER BY t.code;
