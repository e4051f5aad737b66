-- bench/evaluate, SQL-only baseline of the compliance totals: for every
-- rule of `sws check`, the number of findings, computed by plain SQL with
-- the city policy's values written in (no Lua, no messages, no layers):
-- hours in whole minutes, workers and contacts on the as-of date.
-- :year and :as_of are set by the caller with .parameter.
WITH
st AS (SELECT s.*, t.population, t.service_objects, t.kind, t.county_code, t.unit_code
       FROM station s JOIN township t ON t.code = s.code),
-- resident workers employed on the as-of date
res AS (SELECT * FROM worker WHERE role = 'resident' AND (hired IS NULL OR hired <= :as_of)
        AND (left_on IS NULL OR left_on > :as_of)),
quals(q) AS (VALUES ('sw_degree'), ('related_degree'), ('assistant_social_worker'),
             ('social_worker'), ('senior_social_worker')),
counts(rule, n) AS (
  SELECT 'area', count(*) FROM st WHERE coalesce(area_m2, (SELECT sum(area_m2) FROM station_room r
    WHERE r.station_code = st.code), 0) < 100
  UNION ALL SELECT 'rooms', count(*) FROM st WHERE (SELECT count(*) FROM station_room r
    WHERE r.station_code = st.code AND r.kind IN ('office', 'social_work', 'case', 'group_activity',
    'multi_function', 'archive', 'reception', 'display')) < 8
  UNION ALL SELECT 'facilities', count(*) FROM st WHERE (SELECT count(*) FROM station_facility f
    WHERE f.station_code = st.code AND f.quantity > 0 AND f.kind IN ('service_window',
    'wall_posting', 'public_toilet', 'complaint_box', 'hotline', 'fire_safety', 'anti_theft',
    'escape_route', 'anti_slip_sign', 'safety_check', 'desk', 'computer', 'printer',
    'file_cabinet', 'sign_indoor', 'sign_outdoor', 'direction_sign', 'uniform', 'badge')) < 19
  UNION ALL SELECT 'sign', count(*) FROM st WHERE sign_width_cm IS NULL OR sign_height_cm IS NULL
    OR sign_width_cm < 64 OR sign_height_cm < 45
  UNION ALL SELECT 'institutions', count(*) FROM st WHERE (SELECT count(*) FROM station_institution i
    WHERE i.station_code = st.code AND i.kind IN ('org_chart', 'operating_procedure', 'post_rules',
    'finance_rules', 'training_rules', 'volunteer_rules', 'archive_rules', 'asset_rules',
    'volunteer_db', 'client_db')) < 10
  UNION ALL SELECT 'staffing', count(*) FROM st
    WHERE (SELECT count(*) FROM res WHERE res.station_code = st.code) < 3
  UNION ALL SELECT 'worker_age', count(DISTINCT station_code) FROM res WHERE birth_date IS NOT NULL
    AND (CAST(strftime('%Y', :as_of) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER)
         - (strftime('%m-%d', :as_of) < strftime('%m-%d', birth_date))) > 45
  UNION ALL SELECT 'qualification', count(DISTINCT station_code) FROM res
    WHERE qualification NOT IN (SELECT q FROM quals)
  UNION ALL SELECT 'training_hours', count(DISTINCT station_code) FROM res WHERE coalesce((SELECT
    sum(CAST(round(hours * 60) AS INTEGER)) FROM training t WHERE t.worker_code = res.code
    AND t.date BETWEEN :year || '-01-01' AND :year || '-12-31'), 0) < 2400
  UNION ALL SELECT 'community_time', count(DISTINCT station_code) FROM (SELECT res.station_code,
      (SELECT sum(CAST(round(total_hours * 60) AS INTEGER)) FROM worktime t
        WHERE t.worker_code = res.code AND t.month LIKE :year || '-%') AS total,
      (SELECT sum(CAST(round(community_hours * 60) AS INTEGER)) FROM worktime t
        WHERE t.worker_code = res.code AND t.month LIKE :year || '-%') AS comm FROM res)
    WHERE coalesce(total, 0) <= 0 OR comm * 10000 < 6000 * total
  UNION ALL SELECT 'village_contacts', count(DISTINCT v.township_code) FROM village v
    JOIN station s ON s.code = v.township_code
    WHERE NOT EXISTS (SELECT 1 FROM village_contact c JOIN res ON res.code = c.worker_code
      WHERE c.village_code = v.code AND (c.since IS NULL OR c.since <= :as_of)
      AND (c.until IS NULL OR c.until > :as_of) AND res.qualification IN (SELECT q FROM quals))
  UNION ALL SELECT 'community_rooms', count(DISTINCT v.township_code) FROM community_room r
    JOIN village v ON v.code = r.village_code JOIN station s ON s.code = v.township_code
    WHERE (r.opened IS NULL OR r.opened <= :as_of) AND NOT EXISTS (SELECT 1 FROM worker w
      WHERE w.village_code = r.village_code AND w.role = 'room' AND (w.hired IS NULL OR
      w.hired <= :as_of) AND (w.left_on IS NULL OR w.left_on > :as_of))
  UNION ALL SELECT 'engagement', count(DISTINCT station_code) FROM res
    WHERE engaged_by IS NULL OR engaged_by NOT IN ('agency', 'township')
  UNION ALL SELECT 'hub', count(*) FROM (SELECT unit_code FROM st GROUP BY unit_code
    HAVING sum(is_hub) <> 1)
  UNION ALL SELECT 'transition_332', count(*) FROM (SELECT a.station_code,
      count(DISTINCT m.mentor_code) AS mentors, count(DISTINCT m.assistant_code) AS assistants,
      max(date(m.start_date, '+2 years') <= :as_of) AS ended,
      max(mw.role <> 'mentor' OR mw.qualification NOT IN ('assistant_social_worker',
        'social_worker', 'senior_social_worker')) AS uncertified,
      (SELECT count(*) FROM res WHERE res.station_code = a.station_code
        AND res.qualification IN (SELECT q FROM quals)) AS qualified
    FROM mentoring m JOIN worker a ON a.code = m.assistant_code
    JOIN worker mw ON mw.code = m.mentor_code WHERE m.start_date <= :as_of
    GROUP BY a.station_code)
    WHERE (ended AND qualified < 3) OR uncertified OR mentors < 3 OR assistants < 3
  UNION ALL SELECT 'chores', count(DISTINCT station_code) FROM service_record
    WHERE date BETWEEN :year || '-01-01' AND :year || '-12-31' AND (description LIKE '%迎检%'
    OR description LIKE '%台账%' OR description LIKE '%统计报表%' OR description LIKE '%中心工作会议%'
    OR description LIKE '%会议记录%' OR description LIKE '%材料整理%')
  UNION ALL SELECT 'funding', count(*) FROM st WHERE
    (SELECT count(DISTINCT category) FROM funding f WHERE f.station_code = st.code
      AND f.year = :year AND f.budget > 0 AND f.category IN ('operation', 'personnel')) < 2
    OR NOT EXISTS (SELECT 1 FROM funding f WHERE f.station_code = st.code AND f.year <= :year
      AND f.budget > 0 AND f.category = 'construction')
  UNION ALL SELECT 'welfare_lottery', count(DISTINCT station_code) FROM funding
    WHERE source = 'welfare_lottery' AND year = :year AND budget > 0 AND category <> 'construction'
  UNION ALL SELECT 'county_report', count(*) FROM county c WHERE :as_of > :year || '-11-30'
    AND NOT EXISTS (SELECT 1 FROM county_report r WHERE r.county_code = c.code AND r.year = :year
      AND r.delivered_as_of <= :as_of)
  UNION ALL SELECT 'needs_no_station', count(*) FROM st WHERE kind = 'special')
SELECT rule, n FROM counts WHERE n > 0 ORDER BY rule;
