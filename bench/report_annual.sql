-- bench/report, SQL-only baseline of the annual reports: the figures of
-- every section of `sws report annual`, for every county between :first and
-- :last (township code prefixes) at once, by plain SQL (joins, GROUP BY and
-- window functions), without evaluation scoring, templates or rendering.
-- The evaluation's and the check's inputs are read by
-- bench/evaluate_eval.sql and bench/evaluate_check.sql, run beside this file.
-- Parameters :year, :from, :to, :as_of, :first, :last come from the caller.

-- stations and their stage, per county
SELECT substr(s.code, 1, 6) AS county, count(*) AS stations,
  count(*) FILTER (WHERE w.stage IN ('operating', 'midterm', 'final_evaluation')) AS operating
FROM station s LEFT JOIN workflow_instance w ON w.station_code = s.code
WHERE s.code BETWEEN :first AND :last GROUP BY 1 ORDER BY 1;

-- staffing and training per station
SELECT w.station_code, sum(w.role = 'resident') AS resident,
  sum(w.role = 'resident' AND w.qualification <> 'none') AS qualified,
  sum(w.role = 'assistant') AS assistants, sum(w.role = 'room') AS room_workers,
  sum(w.role = 'resident' AND coalesce(t.hours, 0) >= 40) AS trained,
  sum(CASE WHEN w.role = 'resident' THEN coalesce(t.hours, 0) END) AS training_hours
FROM worker w LEFT JOIN (SELECT worker_code, sum(hours) AS hours FROM training
    WHERE date BETWEEN :from AND :to GROUP BY worker_code) t ON t.worker_code = w.code
WHERE w.station_code BETWEEN :first AND :last AND (w.left_on IS NULL OR w.left_on > :to)
GROUP BY w.station_code;

-- services by county, domain and method, this year and last
SELECT substr(station_code, 1, 6) AS county, substr(date, 1, 4) AS year, domain, method,
  count(*) AS records, sum(hours) AS hours, sum(coalesce(participants, 0)) AS participants
FROM service_record WHERE station_code BETWEEN :first AND :last
  AND date BETWEEN (:year - 1) || '-01-01' AND :to
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;

-- five-society linkage per station
SELECT station_code, count(*) FROM community_org
WHERE station_code BETWEEN :first AND :last AND (registered IS NULL OR registered <= :to)
GROUP BY 1;
SELECT v.station_code, count(DISTINCT v.code) AS registered,
  count(DISTINCT s.volunteer_code) AS served, coalesce(sum(s.hours), 0) AS hours
FROM volunteer v LEFT JOIN volunteer_service s ON s.volunteer_code = v.code
  AND s.date BETWEEN :from AND :to
WHERE v.station_code BETWEEN :first AND :last GROUP BY 1;
SELECT station_code, count(*), coalesce(sum(amount), 0) FROM charity_resource
WHERE station_code BETWEEN :first AND :last AND (year IS NULL OR year = :year) GROUP BY 1;

-- funding by county, year and category, with the execution rate
SELECT substr(station_code, 1, 6) AS county, year, category, sum(budget), sum(spent),
  round(100.0 * sum(spent) / nullif(sum(budget), 0), 1) AS rate
FROM funding WHERE station_code BETWEEN :first AND :last AND year IN (:year - 1, :year)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- service objects by county, consent and age group (ages from the birth date)
SELECT county, consent, CASE WHEN age IS NULL THEN 'unknown' WHEN age < 14 THEN 'sensitive'
    WHEN age < 18 THEN 'minor' ELSE 'adult' END AS age_group, count(*)
FROM (SELECT substr(station_code, 1, 6) AS county, consent,
    CASE WHEN birth_date IS NOT NULL THEN
      CAST(strftime('%Y', :as_of) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER)
      - (strftime('%m-%d', :as_of) < strftime('%m-%d', birth_date))
    WHEN birth_year IS NOT NULL THEN CAST(strftime('%Y', :as_of) AS INTEGER) - birth_year - 1 END AS age
  FROM client WHERE deactivated_on IS NULL AND station_code BETWEEN :first AND :last)
GROUP BY 1, 2, 3;
