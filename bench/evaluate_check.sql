-- bench/evaluate, SQL-only baseline of the compliance totals: for every
-- rule of `sws check`, the number of findings, computed by plain SQL with
-- the city policy's values written in (no Lua, no messages, no layers).
-- :year and :as_of are set by the caller with .parameter.
WITH
st AS (SELECT s.*, t.population, t.service_objects, t.kind, t.county_code
       FROM station s JOIN township t ON t.code = s.code),
res AS (SELECT * FROM worker WHERE role = 'resident' AND left_on IS NULL),
counts(rule, n) AS (
  SELECT 'area', count(*) FROM st WHERE coalesce(area_m2, 0) < 100
  UNION ALL SELECT 'rooms', count(*) FROM st WHERE (SELECT count(*) FROM station_room r
    WHERE r.station_code = st.code AND r.kind IN ('social_work', 'case', 'group_activity',
    'multi_function', 'archive', 'reception', 'display')) < 7
  UNION ALL SELECT 'facilities', count(*) FROM st WHERE (SELECT count(*) FROM station_facility f
    WHERE f.station_code = st.code AND f.quantity > 0 AND f.kind IN ('service_window',
    'wall_posting', 'public_toilet', 'complaint_box', 'hotline', 'fire_safety', 'anti_theft',
    'escape_route', 'anti_slip_sign', 'safety_check', 'desk', 'computer', 'printer',
    'file_cabinet', 'sign_indoor', 'sign_outdoor', 'direction_sign')) < 17
  UNION ALL SELECT 'sign', count(*) FROM st WHERE sign_width_cm IS NULL OR sign_height_cm IS NULL
    OR sign_width_cm < 64 OR sign_height_cm < 45
  UNION ALL SELECT 'institutions', count(*) FROM st WHERE (SELECT count(*) FROM station_institution i
    WHERE i.station_code = st.code AND i.kind IN ('org_chart', 'operating_procedure', 'post_rules',
    'finance_rules', 'training_rules', 'volunteer_rules', 'archive_rules', 'asset_rules',
    'volunteer_db', 'client_db')) < 10
  UNION ALL SELECT 'staffing', count(*) FROM (SELECT st.code,
      (SELECT count(*) FROM res WHERE res.station_code = st.code) AS have,
      max(3, min(8, 3 + coalesce(population, 0) / 40000 + coalesce(service_objects, 0) / 1000)) AS need
      FROM st) WHERE have < need OR have > 8
  UNION ALL SELECT 'worker_age', count(DISTINCT station_code) FROM res WHERE birth_date IS NOT NULL
    AND (CAST(strftime('%Y', :as_of) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER)
         - (strftime('%m-%d', :as_of) < strftime('%m-%d', birth_date))) > 45
  UNION ALL SELECT 'qualification', count(DISTINCT station_code) FROM res WHERE qualification NOT IN
    ('sw_degree', 'related_degree', 'assistant_social_worker', 'social_worker', 'senior_social_worker')
  UNION ALL SELECT 'training_hours', count(DISTINCT station_code) FROM res WHERE coalesce((SELECT
    sum(hours) FROM training t WHERE t.worker_code = res.code
    AND t.date BETWEEN :year || '-01-01' AND :year || '-12-31'), 0) < 40
  UNION ALL SELECT 'community_time', count(DISTINCT station_code) FROM (SELECT w.station_code,
      sum(t.community_hours) * 1.0 / sum(t.total_hours) AS share FROM worktime t
      JOIN worker w ON w.code = t.worker_code WHERE w.role = 'resident' AND t.month LIKE :year || '-%'
      GROUP BY w.code) WHERE share < 0.6
  UNION ALL SELECT 'village_contacts', count(DISTINCT v.township_code) FROM village v
    JOIN station s ON s.code = v.township_code
    WHERE NOT EXISTS (SELECT 1 FROM village_contact c WHERE c.village_code = v.code)
  UNION ALL SELECT 'hub', count(*) FROM (SELECT county_code FROM st GROUP BY county_code
    HAVING sum(is_hub) <> 1)
  UNION ALL SELECT 'transition_332', count(DISTINCT a.station_code) FROM mentoring m
    JOIN worker a ON a.code = m.assistant_code
    WHERE m.end_date IS NULL AND date(m.start_date, '+2 years') <= :as_of
    AND (SELECT count(*) FROM res WHERE res.station_code = a.station_code AND res.qualification IN
      ('assistant_social_worker', 'social_worker', 'senior_social_worker')) < 3
  UNION ALL SELECT 'chores', count(DISTINCT station_code) FROM service_record
    WHERE date BETWEEN :year || '-01-01' AND :year || '-12-31' AND (description LIKE '%迎检%'
    OR description LIKE '%台账%' OR description LIKE '%统计报表%' OR description LIKE '%中心工作会议%'
    OR description LIKE '%会议记录%' OR description LIKE '%材料整理%')
  UNION ALL SELECT 'funding', count(*) FROM st WHERE (SELECT count(DISTINCT category) FROM funding f
    WHERE f.station_code = st.code AND f.year = :year AND f.budget > 0) < 4
  UNION ALL SELECT 'needs_no_station', count(*) FROM st WHERE kind = 'special')
SELECT rule, n FROM counts WHERE n > 0 ORDER BY rule;
