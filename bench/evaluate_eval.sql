-- bench/evaluate, SQL-only baseline of the evaluation: the data every
-- computed indicator of policies/default.lua (indicators.aggregates) is
-- scored from, read by plain SQL over the whole scope, without Lua scoring,
-- explanations or assessor scores. Parameters :from, :to, :year, :first and
-- :last are set by the caller with .parameter.
SELECT count(*) FROM (SELECT station_code, kind FROM station_room);
SELECT count(*) FROM (SELECT station_code, kind FROM station_facility WHERE quantity > 0);
SELECT count(*) FROM (SELECT station_code, kind FROM station_institution
                      WHERE adopted IS NULL OR adopted <= :to);
SELECT count(*) FROM (SELECT v.township_code AS station_code, count(*) AS villages,
  count(c.worker_code) AS with_contact FROM village v
  LEFT JOIN village_contact c ON c.village_code = v.code GROUP BY v.township_code);
SELECT count(*), sum(training_hours), sum(community_hours) FROM (SELECT w.station_code, w.code,
  (SELECT sum(t.hours) FROM training t WHERE t.worker_code = w.code
     AND t.date BETWEEN :from AND :to) AS training_hours,
  (SELECT sum(m.total_hours) FROM worktime m WHERE m.worker_code = w.code
     AND m.month BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)) AS total_hours,
  (SELECT sum(m.community_hours) FROM worktime m WHERE m.worker_code = w.code
     AND m.month BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)) AS community_hours
  FROM worker w WHERE w.role = 'resident' AND (w.hired IS NULL OR w.hired <= :to)
  AND (w.left_on IS NULL OR w.left_on > :to));
SELECT count(*), sum(records) FROM (SELECT station_code, count(*) AS records,
  group_concat(DISTINCT domain) AS domains,
  count(*) FILTER (WHERE method = 'case') AS case_work,
  count(*) FILTER (WHERE method = 'group') AS group_work,
  count(*) FILTER (WHERE domain = 'party_building') AS party_building
  FROM service_record WHERE station_code BETWEEN :first AND :last
  AND date BETWEEN :from AND :to GROUP BY station_code);
SELECT count(*) FROM (SELECT station_code, count(*) AS clients FROM client GROUP BY station_code);
SELECT count(*), sum(hours) FROM (SELECT v.station_code, count(DISTINCT v.code) AS active,
  sum(s.hours) AS hours FROM volunteer v JOIN volunteer_service s ON s.volunteer_code = v.code
  WHERE s.date BETWEEN :from AND :to GROUP BY v.station_code);
SELECT count(*) FROM (SELECT station_code, count(*) AS orgs FROM community_org
  WHERE registered IS NULL OR registered <= :to GROUP BY station_code);
SELECT count(*) FROM (SELECT station_code, count(*) AS resources, sum(amount) AS amount
  FROM charity_resource WHERE year = :year GROUP BY station_code);
SELECT count(*) FROM (SELECT station_code, category, sum(budget) AS budget, sum(spent) AS spent
  FROM funding WHERE year = :year GROUP BY station_code, category);
