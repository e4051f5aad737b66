-- data.lua — the questions the reports ask the database. Each is one
-- set-based query over the scope (a county, or every county when nil), so a
-- province costs little more than a county. The coverage of the city's
-- targets comes only from sws.coverage (the same figures as `sws check`).
local sws = require "sws"

local M = {}

local function q(sql, ...) return sws.db.query(sql, ...) end

-- Rows of sql keyed by the value of column `key`.
local function keyed(rows, key)
  local t = {}
  for _, r in ipairs(rows) do t[r[key]] = r end
  return t
end
M.keyed = keyed

function M.county(code)
  return q("SELECT code, name FROM county WHERE code = ?", code)[1]
end

function M.counties(code)
  return q("SELECT code, name FROM county WHERE ?1 IS NULL OR code = ?1 ORDER BY code", code)
end

-- The workflow stages as the reports group them (the city's stages; a
-- county's own extra stages count as "other").
M.STAGES = {
  { key = "not_started", label = "未启动" }, { key = "proposed", label = "提出需求" },
  { key = "approved", label = "审核同意" }, { key = "planning", label = "方案论证" },
  { key = "building", label = "启动建设" }, { key = "accepted", label = "建成验收" },
  { key = "operating", label = "运营服务" }, { key = "other", label = "其他阶段" },
}
M.STAGE_GROUP = { [""] = "not_started", proposed = "proposed", approved = "approved",
  planned = "planning", reviewed = "planning", building = "building", accepted = "accepted",
  operating = "operating", midterm = "operating", final_evaluation = "operating" }

-- Coverage of the city's targets on as_of (sws.coverage: the rules' one
-- computation, per administering unit — a county or an industrial zone)
-- and, per unit, stations by workflow stage, hubs, community rooms and
-- townships that need no station.
function M.coverage(county, as_of)
  local cov = sws.coverage(county, as_of)
  local stages, hubs = {}, {}
  for _, r in ipairs(q([[SELECT t.unit_code AS code, coalesce(w.stage, '') AS stage,
      count(*) AS n, sum(s.is_hub) AS hubs FROM station s JOIN township t ON t.code = s.code
    LEFT JOIN workflow_instance w ON w.station_code = s.code
    WHERE ?1 IS NULL OR t.unit_code = ?1 GROUP BY 1, 2]], county)) do
    local group = M.STAGE_GROUP[r.stage] or "other"
    stages[r.code] = stages[r.code] or {}
    stages[r.code][group] = (stages[r.code][group] or 0) + r.n
    hubs[r.code] = (hubs[r.code] or 0) + r.hubs
  end
  local rooms = keyed(q([[SELECT t.unit_code AS code, count(DISTINCT w.village_code) AS rooms
    FROM worker w JOIN township t ON t.code = w.station_code
    WHERE w.role = 'room' AND w.village_code IS NOT NULL AND w.left_on IS NULL
      AND (?1 IS NULL OR t.unit_code = ?1) GROUP BY 1]], county), "code")
  local special = keyed(q([[SELECT unit_code AS code, count(*) AS n FROM township
    WHERE kind = 'special' AND (?1 IS NULL OR unit_code = ?1) GROUP BY 1]], county), "code")
  for _, c in ipairs(cov.counties) do
    local st, r, sp = stages[c.code] or {}, rooms[c.code] or {}, special[c.code] or {}
    c.by_stage = {}
    for _, g in ipairs(M.STAGES) do c.by_stage[g.key] = st[g.key] or 0 end
    c.hubs = hubs[c.code] or 0
    c.community_rooms = r.rooms or 0
    c.no_station_needed = sp.n or 0
  end
  return cov
end

-- Every township of the scope with the stage of its station (for the grid).
function M.township_stages(county)
  return q([[SELECT t.code, t.name, t.unit_code AS county_code, t.kind,
      s.code IS NOT NULL AS has_station, w.stage FROM township t
    LEFT JOIN station s ON s.code = t.code
    LEFT JOIN workflow_instance w ON w.station_code = t.code
    WHERE ?1 IS NULL OR t.unit_code = ?1 ORDER BY t.code]], county)
end

function M.no_station_needed(county)
  return q([[SELECT t.code, t.name, c.name AS county_name FROM township t
    JOIN county c ON c.code = t.unit_code
    WHERE t.kind = 'special' AND (?1 IS NULL OR t.unit_code = ?1) ORDER BY t.code]], county)
end

-- Stations of a county with the township's population and service objects.
function M.stations(county)
  return q([[SELECT s.code, s.name, s.is_hub, s.opened, t.population, t.service_objects,
      w.stage FROM station s JOIN township t ON t.code = s.code
    LEFT JOIN workflow_instance w ON w.station_code = s.code
    WHERE s.code IN (SELECT code FROM township WHERE unit_code = ?) ORDER BY s.code]], county)
end

-- Workers and training per station in `year`.
function M.staffing(county, year)
  return keyed(q([[SELECT w.station_code AS code,
      sum(w.role = 'resident') AS resident,
      sum(w.role = 'resident' AND w.qualification <> 'none') AS qualified,
      sum(w.role = 'assistant') AS assistants, sum(w.role = 'room') AS room_workers,
      sum(w.role = 'resident' AND coalesce(t.hours, 0) >= ?3) AS trained,
      sum(CASE WHEN w.role = 'resident' THEN coalesce(t.hours, 0) END) AS training_hours
    FROM worker w LEFT JOIN (SELECT worker_code, sum(hours) AS hours FROM training
        WHERE date BETWEEN ?2 || '-01-01' AND ?2 || '-12-31' GROUP BY worker_code) t
      ON t.worker_code = w.code
    WHERE w.station_code IN (SELECT code FROM township WHERE unit_code = ?1) AND (w.left_on IS NULL OR w.left_on > ?2 || '-12-31')
    GROUP BY w.station_code]], county, tostring(year), M.min_training(county)), "code")
end

function M.min_training(county)
  return sws.policy.get(county, "standards.min_training_hours") or 40
end

-- Service records of `year` by domain and method, and per station.
function M.services(county, year)
  return q([[SELECT domain, method, count(*) AS records, sum(hours) AS hours,
      sum(coalesce(participants, 0)) AS participants FROM service_record
    WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1) AND date BETWEEN ?2 || '-01-01' AND ?2 || '-12-31'
    GROUP BY domain, method ORDER BY domain, method]], county, tostring(year))
end

function M.service_totals(county, year)
  return q([[SELECT count(*) AS records, coalesce(sum(hours), 0) AS hours FROM service_record
    WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1) AND date BETWEEN ?2 || '-01-01' AND ?2 || '-12-31']],
    county, tostring(year))[1]
end

-- Five-society linkage per station: organisations, volunteers, hours, charity.
function M.linkage(county, year)
  local y = tostring(year)
  local orgs = keyed(q([[SELECT station_code AS code, count(*) AS n FROM community_org
    WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1) AND (registered IS NULL OR registered <= ?2 || '-12-31')
    GROUP BY 1]], county, y), "code")
  local vols = keyed(q([[SELECT v.station_code AS code, count(DISTINCT v.code) AS registered,
      count(DISTINCT s.volunteer_code) AS served, coalesce(sum(s.hours), 0) AS hours
    FROM volunteer v LEFT JOIN volunteer_service s ON s.volunteer_code = v.code
      AND s.date BETWEEN ?2 || '-01-01' AND ?2 || '-12-31'
    WHERE v.station_code IN (SELECT code FROM township WHERE unit_code = ?1) GROUP BY 1]], county, y), "code")
  local charity = keyed(q([[SELECT station_code AS code, count(*) AS n,
      coalesce(sum(amount), 0) AS amount FROM charity_resource
    WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?1) AND (year IS NULL OR year = ?2) GROUP BY 1]],
    county, year), "code")
  return orgs, vols, charity
end

-- Funding of `year` by category: budget and spent.
function M.funding(county, year)
  return q([[SELECT category, sum(budget) AS budget, sum(spent) AS spent FROM funding
    WHERE station_code IN (SELECT code FROM township WHERE unit_code = ?) AND year = ? GROUP BY category ORDER BY category]],
    county, year)
end

-- Service objects of a county or station as counts only: by category,
-- consent, minors and under-`sensitive` (ages on `on`).
function M.client_counts(county, station, on, sensitive)
  return q([[SELECT category, consent,
      CASE WHEN age IS NULL THEN 'unknown' WHEN age < ?4 THEN 'sensitive'
           WHEN age < 18 THEN 'minor' ELSE 'adult' END AS age_group,
      count(*) AS n FROM (SELECT category, consent,
        CASE WHEN birth_date IS NOT NULL THEN
          CAST(strftime('%Y', ?3) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER)
          - (strftime('%m-%d', ?3) < strftime('%m-%d', birth_date))
        WHEN birth_year IS NOT NULL THEN CAST(strftime('%Y', ?3) AS INTEGER) - birth_year - 1
        END AS age
      FROM client WHERE deactivated_on IS NULL
        AND (?1 IS NULL OR station_code IN (SELECT code FROM township WHERE unit_code = ?1)) AND (?2 IS NULL OR station_code = ?2))
    GROUP BY 1, 2, 3]], county, station, on, sensitive)
end

-- Service objects of a station that may be listed: consent on file (oral,
-- written or guardian), not deactivated, personal fields not cleared.
function M.listable_clients(station)
  return q([[SELECT code, category, name, address, id_masked, phone_masked, birth_date,
      birth_year, consent, consent_date, closed_on FROM client
    WHERE station_code = ? AND deactivated_on IS NULL AND cleared_on IS NULL
      AND consent IN ('oral', 'written', 'guardian') ORDER BY code]], station)
end

-- Volunteer service between two dates: per volunteer (with team and station).
function M.volunteer_hours(county, station, from, to)
  return q([[SELECT v.code, v.name, v.team, v.station_code, st.name AS station_name,
      count(s.id) AS services, sum(s.hours) AS hours
    FROM volunteer v JOIN volunteer_service s ON s.volunteer_code = v.code
    JOIN station st ON st.code = v.station_code
    WHERE s.date BETWEEN ?3 AND ?4 AND (?1 IS NULL OR v.station_code IN (SELECT code FROM township WHERE unit_code = ?1))
      AND (?2 IS NULL OR v.station_code = ?2)
    GROUP BY v.code ORDER BY hours DESC, v.code]], county, station, from, to)
end

-- The evaluation of every station of the county's city (sws.eval.scores), or
-- nil and the reason. Kept for the reports of one batch (M.begin_batch), so
-- that the annual reports of a city's counties score the city once.
local eval_cache, eval_batch = {}, nil

function M.begin_batch(batch)
  if batch == nil or batch ~= eval_batch then eval_cache = {} end
  eval_batch = batch
end

function M.city_scores(county, year, phase, upto)
  local key = table.concat({ county:sub(1, 4), year, phase, upto or "" }, "|")
  local hit = eval_cache[key]
  if not hit then
    local ok, res = pcall(sws.eval.scores, county, year, phase, upto)
    hit = ok and { res = res } or { err = tostring(res) }
    eval_cache[key] = hit
  end
  return hit.res, hit.err
end

function M.audit_trail(station)
  return q([[SELECT time, actor, action, from_stage, to_stage, reason, policy_version
    FROM workflow_event WHERE station_code = ? ORDER BY id]], station)
end

return M
