-- policies/default.lua — the city policy of Wenzhou (温州市乡镇(街道)社会工作站建设指引, 2021).
--
-- Every county policy (policies/<county code>.lua) starts from this file and
-- changes only what it names; `sws policy show COUNTY --explain` prints the
-- result with the file and line that set each value. `bounds` at the end says
-- how far a county may move each value. In the guideline's usage 以上, 以下 and
-- 不少于 include the number itself: "45岁以下" allows 45, "60%以上" allows 60 %.
-- Each standard is judged by one function of sws.standards, which the
-- compliance rules of `sws check` call too: a guard, a rule and a computed
-- item cannot disagree on the same data.
local std = sws.standards

-- The kinds station `code` has on file in table `tbl` (a set).
local function kinds_of(tbl, code)
  local have = {}
  for r in sws.db.rows("SELECT kind FROM " .. tbl .. " WHERE station_code = ?", code) do
    have[r.kind] = true
  end
  return have
end

-- The rows of a keyed aggregate (a table by key) as a list in key order,
-- made once per table: a station's items ask for the same rows several times.
-- The cache is a weak table, made when first needed: the rows of a finished
-- chunk are collected with it.
local sorted
local function sorted_rows(t)
  sorted = sorted or setmetatable({}, { __mode = "k" })
  local out = sorted[t]
  if out then return out end
  local keys = {}
  out = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  for i, k in ipairs(keys) do out[i] = t[k] end
  sorted[t] = out
  return out
end

-- The construction plan of station code drafted by as_of, or nil and why.
local function plan_on_file(code, as_of)
  local plan = sws.db.query("SELECT * FROM station_plan WHERE station_code = ?", code)[1]
  if not plan or plan.drafted_on > as_of then
    return nil, "no construction plan (建设方案) of this station is on file (import it with " ..
      "`sws import plans`)"
  end
  return plan
end

-- Returns true, or false and the judgment's message (for a guard).
local function guard(j)
  if j.met then return true end
  return false, j.message
end

return sws.policy.define {
  name = "default",
  version = "2021.1",

  -- 建设标准: the construction standards.
  standards = {
    min_area_m2 = 100,                 -- 面积不少于100平方米
    required_rooms = {                 -- 功能室
      "office", "social_work", "case", "group_activity", "multi_function", "archive",
      "reception", "display",
    },
    required_facilities = {            -- 服务窗口, 制度上墙, 安全设施, 办公设备, 工作服和工作牌
      "service_window", "wall_posting", "public_toilet", "complaint_box", "hotline",
      "fire_safety", "anti_theft", "escape_route", "anti_slip_sign", "safety_check",
      "desk", "computer", "printer", "file_cabinet", "sign_indoor", "sign_outdoor",
      "direction_sign", "uniform", "badge",
    },
    sign_width_cm = 64,                -- 标牌 64 cm × 45 cm
    sign_height_cm = 45,
    required_institutions = {          -- 制度: 组织架构, 运行流程, 岗位/财务/培训/志愿者/档案/资产, 两库
      "org_chart", "operating_procedure", "post_rules", "finance_rules", "training_rules",
      "volunteer_rules", "archive_rules", "asset_rules", "volunteer_db", "client_db",
    },
    min_resident_workers = 3,          -- 至少要配备3-8名: a minimum, never a maximum
    max_age = 45,                      -- 45周岁以下
    accepted_qualifications = {        -- 社工专业(相关专业)学历 或 全国社工职业资格证书
      "sw_degree", "related_degree", "assistant_social_worker", "social_worker",
      "senior_social_worker",
    },
    certificates = {                   -- 全国社工职业资格证书 (the certificate alone)
      "assistant_social_worker", "social_worker", "senior_social_worker",
    },
    min_training_hours = 40,           -- 每年培训不少于40课时
    class_hour_minutes = 60,           -- 1 课时 = 60 minutes
    min_community_share = 0.60,        -- 60%以上工作时数在村(社区)
    contacts_per_village = 1,          -- 每个村(社区)至少1名定点联系社工 (degree or certificate)
    min_room_workers = 1,              -- 社区社会工作室至少1名专兼职社工
    engagement_routes = { "agency", "township" },  -- 承接机构或乡镇(街道)聘用
    hubs_per_county = 1,               -- 每个县(市、区)1个总站
    transition_years = 2,              -- "3+3+2": 两年过渡期满须配备专职社工
    model_332 = { mentors = 3, assistants = 3 },   -- 3名持证社工选派 + 3名本土社工助理
    -- 经费 is classified as construction, operation, personnel and
    -- evaluation; a budget line is due every year only for these:
    annual_funding = { "operation", "personnel" },
    one_off_funding = { "construction" },          -- on file in some year up to the year checked
    welfare_lottery_categories = { "construction" }, -- 福彩公益金: facility construction and equipment only
  },

  -- The minimum of resident workers of a township (3 to 8, a county sets it
  -- from its own factors). The city's is the flat minimum; a county may
  -- switch on the population/client formula with
  --   staffing = sws.standards.staffing_by_population
  -- (min_resident_workers, +1 per 40,000 residents, +1 per 1,000 service
  -- objects, at most 8).
  staffing = function(t, p)
    return p and p.standards.min_resident_workers or 3
  end,

  -- The city's targets (2021年建成80个, 2022年全覆盖), read by the coverage
  -- figures of `sws check`: by each date, so many stations operating ("all":
  -- every township that needs one). operating_stages are the workflow stages
  -- that count as operating; a county whose workflow lacks one of them must
  -- name its own (`sws policy check` refuses an unknown stage).
  coverage = {
    targets = {
      { by = "2021-12-31", operating = 80 },
      { by = "2022-12-31", operating = "all" },
    },
    operating_stages = { "operating", "midterm", "final_evaluation" },
  },

  -- 每年11月30日前…汇总报市民政局: each county's annual report to the city,
  -- due on this day (MM-DD) of the year reported on; the daemon's
  -- county_report job delivers it (the `annual` report of `sws report`) in
  -- this format: html, md, csv or json.
  annual_report = { due = "11-30", format = "html" },

  -- 服务内容 "1+5+N+X".
  service_domains = {
    "party_building", "social_assistance", "child_protection", "elderly_care", "emergency",
    "migrant", "community_correction", "civil_affairs", "community_governance", "volunteer",
    "charity", "org_cultivation",
  },

  -- 行政性事务不得列入服务内容: service texts that match one of these (PCRE2)
  -- are township chores, not services.
  chore_patterns = { "迎检", "台账", "统计报表", "中心工作会议", "会议记录", "材料整理" },

  -- 建设程序: needs proposal → city approval → plan → expert review → launch →
  -- acceptance → operating, then each year mid-term and final evaluation.
  workflow = {
    initial = "proposed",
    stages = {
      -- role: who may enter the stage (city, county, township, expert,
      -- assessor); an advance in another role is refused (`--role`).
      proposed = { label = "提出需求", next = { "approved" }, role = "county" },
      approved = { label = "市级审核同意", next = { "planned" }, role = "city" },
      planned = { label = "制定方案", next = { "reviewed" }, role = "county" },
      reviewed = { label = "专家论证通过", next = { "building" }, role = "expert" },
      building = { label = "启动建设", next = { "accepted" }, role = "township" },
      accepted = { label = "建成验收", next = { "operating" }, role = "county" },
      operating = { label = "运营服务", next = { "midterm" }, role = "township" },
      midterm = { label = "中期评估", next = { "final_evaluation" }, role = "assessor" },
      final_evaluation = { label = "终期评估", next = { "operating" }, role = "assessor" },
    },
    -- Guards that must pass before a station enters a stage (names of `guards`).
    enter = {
      approved = { "needs_station" },
      reviewed = { "plan_drafted" },
      building = { "one_plan" },
      accepted = { "area", "rooms", "sign" },
      operating = { "staffing", "institutions" },
    },
    -- Deadlines a stage opens, in months from the day it is entered.
    deadlines = {
      operating = {
        { what = "mid-term evaluation (中期评估)", months = 6, met_by = "midterm" },
        { what = "final evaluation (终期评估)", months = 12, met_by = "final_evaluation" },
      },
    },
  },

  -- Guard functions: each gets the station (a row of station joined with its
  -- township), the effective policy and the transition, and returns true, or
  -- false and one or more reasons.
  guards = {
    needs_station = function(st)
      if st.kind == "special" then
        return false, "township " .. st.code .. " is a farm, reserve or zone and needs no station"
      end
      return true
    end,
    plan_drafted = function(st, p, tr)
      local plan, why = plan_on_file(st.code, tr.as_of)
      return plan ~= nil, why
    end,
    one_plan = function(st, p, tr)
      -- 一站一方案, 专家论证: the station's own plan and its expert review are
      -- on file before building starts.
      local plan, why = plan_on_file(st.code, tr.as_of)
      if not plan then return false, why end
      if not plan.reviewed_on or plan.reviewed_on > tr.as_of then
        return false, "the construction plan \"" .. plan.title .. "\" has no expert review " ..
          "(专家论证) on file by " .. tr.as_of
      end
      return true
    end,
    area = function(st, p)
      local rooms = sws.db.query([[SELECT sum(area_m2) AS m2 FROM station_room
        WHERE station_code = ? AND area_m2 IS NOT NULL]], st.code)[1].m2
      return guard(std.area(p, st, rooms))
    end,
    rooms = function(st, p)
      return guard(std.kinds(p, "required_rooms", kinds_of("station_room", st.code), "rooms"))
    end,
    sign = function(st, p) return guard(std.sign(p, st)) end,
    staffing = function(st, p, tr)
      local n = sws.db.query([[SELECT count(*) AS n FROM worker WHERE station_code = ?
        AND role = 'resident' AND (hired IS NULL OR hired <= ?2)
        AND (left_on IS NULL OR left_on > ?2)]], st.code, tr.as_of)[1].n
      return guard(std.staffing(p, st, n))
    end,
    institutions = function(st, p)
      return guard(std.kinds(p, "required_institutions", kinds_of("station_institution", st.code),
        "rules or databases"))
    end,
  },

  -- The severity of each compliance rule of `sws check` (violation, warning,
  -- advice), or false to switch a rule off. `sws check --help` lists the rules.
  rules = {
    area = "violation", rooms = "violation", facilities = "violation", sign = "warning",
    institutions = "violation", staffing = "violation", worker_age = "warning",
    qualification = "violation", training_hours = "warning", community_time = "warning",
    village_contacts = "violation", community_rooms = "warning", engagement = "warning",
    hub = "violation", transition_332 = "violation", chores = "warning", funding = "violation",
    welfare_lottery = "violation", needs_no_station = "advice", county_report = "warning",
  },

  -- Personal data (个人信息保护法, sensitive personal information): the personal
  -- fields of a closed case are cleared this many years after it closed
  -- (`sws privacy retention`); people younger than `sensitive_age` are shown
  -- only as counts in reports. (The access log of unmasked output keeps its
  -- rows at least six months: the database refuses to delete younger ones.)
  privacy = {
    retention_years = 3,
    sensitive_age = 14,
  },

  -- The time zone the daemon (sws serve) reads every schedule in.
  timezone = "Asia/Shanghai",

  -- Scheduled jobs (cron: minute hour day-of-month month day-of-week, or a
  -- one-off `at = "YYYY-MM-DD HH:MM"`), run by `sws serve`. Optional per
  -- entry: each_county (one run per county, as that county), catch_up
  -- (skip | latest | all, default latest), window_days (default 7), cap
  -- (most catch-up runs, default 10), overlap (skip | queue), retries and
  -- backoff (seconds, doubled each retry), timeout (seconds of wall clock).
  schedule = {
    { cron = "0 8 * * 1", job = "weekly_compliance" },
    { cron = "0 9 15 11 *", job = "annual_summary" },
    -- 每年11月30日前，各县（市、区）将年度评估情况汇总报市民政局: a reminder
    -- on 15 November, and the county's annual report written and recorded
    -- as delivered on 30 November.
    { cron = "0 9 15 11 *", job = "county_report_reminder", each_county = true },
    { cron = "0 9 30 11 *", job = "county_report", each_county = true, retries = 3,
      backoff = 600, timeout = 300 },
  },

  -- Evaluation (监测评估): the indicator system of the mid-term and final
  -- evaluation of each service year; docs/evaluation.md explains every field.
  -- Modelled on published station scorecards: seven dimensions worth 100
  -- points, bonus points for innovation on top, and veto items (一票否决).
  indicators = {
    -- The points of each dimension out of 100. A county may move each by at
    -- most 5 points (bounds below); its earned points are then scaled by
    -- county weight / tree points, so the tree itself stays the city's.
    weights = {
      facilities = 15, institutions = 10, staffing = 20, services = 30,
      governance = 10, funds = 10, party_building = 5,
    },

    -- Named aggregate queries, run once per chunk of stations evaluated
    -- (never once per station): :year, :phase, :from and :to (the period
    -- evaluated), :first and :last (the lowest and highest station code of
    -- the chunk) are bound; each query keeps to `station_code BETWEEN :first
    -- AND :last`, so that it reads only the chunk's rows. A row per station,
    -- or with `key` a table of rows by that column, or with `set` the set of
    -- that column's values ({kind = true}); computed items read them as
    -- ctx.data.<name>.
    aggregates = {
      rooms = { sql = [[SELECT station_code, kind, area_m2 FROM station_room
                        WHERE station_code BETWEEN :first AND :last]], key = "kind" },
      facilities = { sql = [[SELECT station_code, kind FROM station_facility WHERE quantity > 0
                             AND station_code BETWEEN :first AND :last]], set = "kind" },
      institutions = { sql = [[SELECT station_code, kind FROM station_institution
                               WHERE (adopted IS NULL OR adopted <= :to)
                                 AND station_code BETWEEN :first AND :last]], set = "kind" },
      -- per station its villages and those short of qualified contacts
      -- current on :to, with the policy's contacts_per_village and
      -- accepted_qualifications bound (the one query of the standard, which
      -- the check's village_contacts rule runs too)
      contacts = { sql = std.CONTACTS_SQL, params = std.CONTACTS_PARAMS },
      -- resident workers employed on :to; hours in whole minutes, for a
      -- whole year from worker_year (kept with every write), else from
      -- the records of the period
      residents = { sql = [[SELECT w.station_code, w.code, w.qualification,
          CASE WHEN y.worker_code IS NOT NULL THEN iif(y.training_rows > 0, y.training_min, NULL)
            WHEN :from <> :year || '-01-01' OR :to <> :year || '-12-31' THEN
            (SELECT sum(CAST(round(t.hours * 60) AS INTEGER)) FROM training t
             WHERE t.worker_code = w.code AND t.date BETWEEN :from AND :to) END AS training_min,
          CASE WHEN y.worker_code IS NOT NULL THEN iif(y.worktime_rows > 0, y.total_min, NULL)
            WHEN :from <> :year || '-01-01' OR :to <> :year || '-12-31' THEN
            (SELECT sum(CAST(round(m.total_hours * 60) AS INTEGER)) FROM worktime m
             WHERE m.worker_code = w.code
             AND m.month BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)) END AS total_min,
          CASE WHEN y.worker_code IS NOT NULL THEN iif(y.worktime_rows > 0, y.community_min, NULL)
            WHEN :from <> :year || '-01-01' OR :to <> :year || '-12-31' THEN
            (SELECT sum(CAST(round(m.community_hours * 60) AS INTEGER)) FROM worktime m
             WHERE m.worker_code = w.code
             AND m.month BETWEEN substr(:from, 1, 7) AND substr(:to, 1, 7)) END AS community_min
        FROM worker w LEFT JOIN worker_year y ON y.worker_code = w.code AND y.year = :year
          AND :from = :year || '-01-01' AND :to = :year || '-12-31'
        WHERE w.role = 'resident' AND (w.hired IS NULL OR w.hired <= :to)
          AND (w.left_on IS NULL OR w.left_on > :to)
          AND w.station_code BETWEEN :first AND :last]], key = "code" },
      -- the service records, read from their counts (kept with every
      -- write): for a whole year one row per station (service_year); else
      -- the whole months of the period (service_month, summed per station
      -- first, so that a station's months do not pass through the union one
      -- by one), plus the records of a month the period ends inside. The
      -- community-work count is what is left after case and group work.
      services = { sql = [[SELECT station_code, records,
          rtrim(iif(party_building > 0, 'party_building,', '') ||
            iif(social_assistance > 0, 'social_assistance,', '') ||
            iif(child_protection > 0, 'child_protection,', '') ||
            iif(elderly_care > 0, 'elderly_care,', '') ||
            iif(emergency > 0, 'emergency,', '') || iif(migrant > 0, 'migrant,', '') ||
            iif(community_correction > 0, 'community_correction,', '') ||
            iif(civil_affairs > 0, 'civil_affairs,', '') ||
            iif(community_governance > 0, 'community_governance,', '') ||
            iif(volunteer > 0, 'volunteer,', '') || iif(charity > 0, 'charity,', '') ||
            iif(org_cultivation > 0, 'org_cultivation,', ''), ',') AS domains,
          case_work, group_work, party_building
        FROM service_year WHERE :from = :year || '-01-01' AND :to = :year || '-12-31'
          AND station_code BETWEEN :first AND :last AND year = :year
        UNION ALL
        SELECT station_code, sum(records) AS records,
          rtrim(iif(sum(party_building) > 0, 'party_building,', '') ||
            iif(sum(social_assistance) > 0, 'social_assistance,', '') ||
            iif(sum(child_protection) > 0, 'child_protection,', '') ||
            iif(sum(elderly_care) > 0, 'elderly_care,', '') ||
            iif(sum(emergency) > 0, 'emergency,', '') || iif(sum(migrant) > 0, 'migrant,', '') ||
            iif(sum(community_correction) > 0, 'community_correction,', '') ||
            iif(sum(civil_affairs) > 0, 'civil_affairs,', '') ||
            iif(sum(community_governance) > 0, 'community_governance,', '') ||
            iif(sum(volunteer) > 0, 'volunteer,', '') || iif(sum(charity) > 0, 'charity,', '') ||
            iif(sum(org_cultivation) > 0, 'org_cultivation,', ''), ',') AS domains,
          sum(case_work) AS case_work, sum(group_work) AS group_work,
          sum(party_building) AS party_building
        FROM (SELECT station_code, sum(records) AS records, sum(case_work) AS case_work,
                sum(group_work) AS group_work, sum(party_building) AS party_building,
                sum(social_assistance) AS social_assistance,
                sum(child_protection) AS child_protection, sum(elderly_care) AS elderly_care,
                sum(emergency) AS emergency, sum(migrant) AS migrant,
                sum(community_correction) AS community_correction,
                sum(civil_affairs) AS civil_affairs,
                sum(community_governance) AS community_governance, sum(volunteer) AS volunteer,
                sum(charity) AS charity, sum(org_cultivation) AS org_cultivation
              FROM service_month
              WHERE (:from <> :year || '-01-01' OR :to <> :year || '-12-31')
                AND station_code BETWEEN :first AND :last AND month BETWEEN substr(:from, 1, 7)
                AND substr(date(:to, '+1 day', 'start of month', '-1 day'), 1, 7)
              GROUP BY station_code
              UNION ALL
              SELECT r.station_code, 1, r.method = 'case', r.method = 'group',
                r.domain = 'party_building', r.domain = 'social_assistance',
                r.domain = 'child_protection', r.domain = 'elderly_care', r.domain = 'emergency',
                r.domain = 'migrant', r.domain = 'community_correction',
                r.domain = 'civil_affairs', r.domain = 'community_governance',
                r.domain = 'volunteer', r.domain = 'charity', r.domain = 'org_cultivation'
              FROM station s CROSS JOIN service_record r ON r.station_code = s.code
              WHERE (:from <> :year || '-01-01' OR :to <> :year || '-12-31')
                AND s.code BETWEEN :first AND :last
                AND r.date BETWEEN max(:from, date(:to, '+1 day', 'start of month')) AND :to)
        GROUP BY station_code]] },
      -- the service objects on file, counted per station (kept with every write)
      clients = { sql = [[SELECT station_code, clients FROM station_clients
                          WHERE station_code BETWEEN :first AND :last]] },
      -- the volunteers who served in the period and their hours: for a
      -- whole year from volunteer_year (kept with every write), else from
      -- the records of the period
      volunteers = { sql = [[SELECT station_code, count(*) AS active,
          sum(ms) / 3600000.0 AS hours FROM volunteer_year
        WHERE :from = :year || '-01-01' AND :to = :year || '-12-31'
          AND station_code BETWEEN :first AND :last AND year = :year
        GROUP BY station_code
        UNION ALL
        SELECT v.station_code, count(DISTINCT v.code) AS active,
          sum(s.hours) AS hours FROM volunteer v JOIN volunteer_service s ON s.volunteer_code = v.code
        WHERE (:from <> :year || '-01-01' OR :to <> :year || '-12-31')
          AND s.date BETWEEN :from AND :to AND v.station_code BETWEEN :first AND :last
        GROUP BY v.station_code]] },
      orgs = { sql = [[SELECT station_code, count(*) AS orgs FROM community_org
                       WHERE (registered IS NULL OR registered <= :to)
                         AND station_code BETWEEN :first AND :last GROUP BY station_code]] },
      charity = { sql = [[SELECT station_code, count(*) AS resources, sum(amount) AS amount
                          FROM charity_resource WHERE year = :year
                            AND station_code BETWEEN :first AND :last GROUP BY station_code]] },
      -- the year's budget lines per category, summed over their sources
      -- (the year as a range, and grouped by it: rows then group in the
      -- order of the index, where `year = :year` would have them sorted)
      funding = { sql = [[SELECT station_code, category, sum(budget) AS budget, sum(spent) AS spent
                          FROM funding WHERE year BETWEEN :year AND :year
                            AND station_code BETWEEN :first AND :last
                          GROUP BY station_code, year, category]],
                  key = "category" },
      -- the categories budgeted in any year up to :year (construction is
      -- one-off); a set, so a category of several years is named again
      funding_ever = { sql = [[SELECT station_code, category FROM funding
                               WHERE year <= :year AND budget > 0
                                 AND station_code BETWEEN :first AND :last]],
                       set = "category" },
    },

    -- The levels of a graded item: the assessor gives points × fraction.
    levels = {
      { name = "优", fraction = 1 }, { name = "良", fraction = 0.8 },
      { name = "中", fraction = 0.6 }, { name = "差", fraction = 0 },
    },

    -- dimension → indicators → items. Each item: code, name, points, type
    -- (yesno, parts, graded: scored by its assessors; computed: from the
    -- data by compute(station, policy, ctx) → points, explanation), phases,
    -- and for scored items the assessors and the evidence they must see.
    -- The mid-term evaluation covers services, basic finances and progress;
    -- the final one adds service results and the full financial evaluation.
    tree = {
      facilities = { code = "A", name = "阵地建设", indicators = {
        space = { code = "A1", name = "场地与功能室", points = 8, items = {
          area = { code = "A1.1", name = "站点面积达标", points = 3, type = "computed",
            phases = { "mid", "final" }, evidence = "站点登记面积 (或功能室面积之和)",
            compute = function(st, p, ctx)
              local rooms
              for _, r in pairs(ctx.data.rooms) do
                if r.area_m2 then rooms = (rooms or 0) + r.area_m2 end
              end
              local j = std.area(p, st, rooms)
              return ctx.item.points * j.score, j
            end },
          rooms = { code = "A1.2", name = "功能室设置齐全", points = 3, type = "computed",
            phases = { "mid", "final" }, evidence = "功能室登记",
            compute = function(st, p, ctx)
              local j = std.kinds(p, "required_rooms", ctx.data.rooms, "rooms")
              return ctx.item.points * j.score, j
            end },
          sign = { code = "A1.3", name = "标牌与指示标识规范", points = 2, type = "computed",
            phases = { "mid", "final" }, evidence = "标牌尺寸, 室内外标牌与指示牌登记",
            compute = function(st, p, ctx)
              local size = (st.sign_width_cm or 0) >= p.standards.sign_width_cm
                and (st.sign_height_cm or 0) >= p.standards.sign_height_cm
              local have, signs = ctx.data.facilities, 0
              for _, kind in ipairs({ "sign_indoor", "sign_outdoor", "direction_sign" }) do
                if have[kind] then signs = signs + 1 end
              end
              local half = ctx.item.points / 2
              return (size and half or 0) + half * signs / 3, ctx.why(
                "sign %g × %g cm (%s %d × %d cm); %d of 3 signs (indoor, outdoor, direction)",
                st.sign_width_cm or 0, st.sign_height_cm or 0, size and "meets" or "below",
                p.standards.sign_width_cm, p.standards.sign_height_cm, signs)
            end },
        } },
        equipment = { code = "A2", name = "设施设备与安全", points = 7, items = {
          facilities = { code = "A2.1", name = "服务与办公设施齐备", points = 4, type = "computed",
            phases = { "mid", "final" }, evidence = "设施设备登记",
            compute = function(st, p, ctx)
              local j = std.kinds(p, "required_facilities", ctx.data.facilities,
                "facilities or equipment")
              return ctx.item.points * j.score, j
            end },
          safety = { code = "A2.2", name = "安全管理", points = 3, type = "parts",
            phases = { "mid", "final" }, assessors = { "government", "third_party" },
            evidence = "现场查看消防、防盗、逃生设施; 安全检查和培训记录; 保险单",
            parts = {
              { name = "消防、防盗、逃生设施完好", points = 1 },
              { name = "定期安全检查和安全培训", points = 1 },
              { name = "防滑标识、公众责任险", points = 1 },
            } },
        } },
      } },

      institutions = { code = "B", name = "制度建设", indicators = {
        rules = { code = "B1", name = "制度健全", points = 6, items = {
          adopted = { code = "B1.1", name = "管理制度与两库建立", points = 4, type = "computed",
            phases = { "mid", "final" }, evidence = "制度登记",
            compute = function(st, p, ctx)
              local j = std.kinds(p, "required_institutions", ctx.data.institutions,
                "rules or databases")
              return ctx.item.points * j.score, j
            end },
          posted = { code = "B1.2", name = "组织架构、人员、服务、流程、职责上墙", points = 2,
            type = "yesno", phases = { "mid", "final" },
            assessors = { "self", "government", "third_party" }, evidence = "现场查看上墙公示" },
        } },
        practice = { code = "B2", name = "制度执行", points = 4, items = {
          archives = { code = "B2.1", name = "服务档案规范完整", points = 2, type = "graded",
            phases = { "mid", "final" }, assessors = { "government", "third_party" },
            evidence = "抽查服务档案、志愿者库和服务对象库" },
          contacts = { code = "B2.2", name = "村(社区)联系社工全覆盖", points = 2, type = "computed",
            phases = { "mid", "final" }, evidence = "联系社工登记",
            compute = function(st, p, ctx)
              local j = std.contacts(p, ctx.data.contacts)
              return ctx.item.points * j.score, j
            end },
        } },
      } },

      staffing = { code = "C", name = "队伍建设", indicators = {
        staff = { code = "C1", name = "人员配备", points = 8, items = {
          residents = { code = "C1.1", name = "驻站社工配备到位", points = 5, type = "computed",
            phases = { "mid", "final" }, evidence = "社工登记",
            compute = function(st, p, ctx)
              local n = 0
              for _ in pairs(ctx.data.residents) do n = n + 1 end
              local j = std.staffing(p, st, n)
              return ctx.item.points * j.score, j
            end },
          qualified = { code = "C1.2", name = "社工持证或专业学历", points = 3, type = "computed",
            phases = { "mid", "final" }, evidence = "社工学历和资格证书",
            compute = function(st, p, ctx)
              local j = std.qualification(p, sorted_rows(ctx.data.residents))
              return ctx.item.points * j.score, j
            end },
        } },
        growth = { code = "C2", name = "专业成长", points = 7, items = {
          training = { code = "C2.1", name = "年度培训课时达标", points = 4, type = "computed",
            phases = { "mid", "final" }, evidence = "培训记录",
            compute = function(st, p, ctx)
              local j = std.training(p, sorted_rows(ctx.data.residents), ctx.share)
              return ctx.item.points * j.score, j
            end },
          supervision = { code = "C2.2", name = "专业督导与传帮带", points = 3, type = "graded",
            phases = { "mid", "final" }, assessors = { "government", "third_party" },
            evidence = "督导记录、继续教育和\"3+3+2\"带教记录" },
        } },
        field = { code = "C3", name = "驻村服务", points = 5, items = {
          community = { code = "C3.1", name = "在村(社区)工作时间达标", points = 5, type = "computed",
            phases = { "mid", "final" }, evidence = "工时记录",
            compute = function(st, p, ctx)
              local j = std.community_time(p, sorted_rows(ctx.data.residents))
              return ctx.item.points * j.score, j
            end },
        } },
      } },

      services = { code = "D", name = "服务成效", indicators = {
        coverage = { code = "D1", name = "服务覆盖", points = 12, items = {
          domains = { code = "D1.1", name = "\"1+5+N+X\"服务领域覆盖", points = 6, type = "computed",
            phases = { "mid", "final" }, evidence = "服务记录",
            compute = function(st, p, ctx)
              local served = {}
              for d in string.gmatch(ctx.data.services.domains or "", "[^,]+") do served[d] = true end
              local n, missing = #p.service_domains, std.missing(p.service_domains, served)
              return ctx.item.points * (n - #missing) / n, ctx.why("%d of %d service domains%s",
                n - #missing, n, #missing > 0 and "; none in " .. table.concat(missing, ", ") or "")
            end },
          volume = { code = "D1.2", name = "服务量达标", points = 6, type = "computed",
            phases = { "mid", "final" }, evidence = "服务记录", per_worker = 40,
            compute = function(st, p, ctx)
              local workers = 0
              for _ in pairs(ctx.data.residents) do workers = workers + 1 end
              local need = ctx.item.per_worker * math.max(workers, p.standards.min_resident_workers)
                * ctx.share
              local n = ctx.data.services.records or 0
              return ctx.item.points * math.min(1, n / need), ctx.why(
                "%d service records; %g expected (%d a year per resident worker)", n, need,
                ctx.item.per_worker)
            end },
        } },
        methods = { code = "D2", name = "专业方法", points = 10, items = {
          methods = { code = "D2.1", name = "个案、小组、社区工作方法运用", points = 4,
            type = "computed", phases = { "mid", "final" }, evidence = "服务记录",
            per_year = { case_work = 12, group_work = 4, community_work = 2 },
            compute = function(st, p, ctx)
              local s, per = ctx.data.services, ctx.item.per_year
              local case, group = s.case_work or 0, s.group_work or 0
              local community = (s.records or 0) - case - group
              local need_case, need_group, need_community = per.case_work * ctx.share,
                per.group_work * ctx.share, per.community_work * ctx.share
              local met = (case >= need_case and 1 or 0) + (group >= need_group and 1 or 0)
                + (community >= need_community and 1 or 0)
              return ctx.item.points * met / 3, ctx.why(
                "case_work %d of %g, group_work %d of %g, community_work %d of %g",
                case, need_case, group, need_group, community, need_community)
            end },
          clients = { code = "D2.2", name = "服务对象建档", points = 3, type = "computed",
            phases = { "mid", "final" }, evidence = "服务对象库", target = 20,
            compute = function(st, p, ctx)
              local n = ctx.data.clients.clients or 0
              return ctx.item.points * math.min(1, n / ctx.item.target), ctx.why(
                "%d service objects on file (%d expected)", n, ctx.item.target)
            end },
          quality = { code = "D2.3", name = "服务过程规范", points = 3, type = "graded",
            phases = { "mid", "final" }, assessors = { "self", "government", "third_party" },
            evidence = "抽查个案、小组、社区活动记录" },
        } },
        results = { code = "D3", name = "服务成效", points = 8, items = {
          satisfaction = { code = "D3.1", name = "服务对象满意度", points = 4, type = "graded",
            phases = { "final" }, assessors = { "third_party" },
            evidence = "第三方回访或满意度调查报告" },
          outcomes = { code = "D3.2", name = "服务成效与典型案例", points = 4, type = "graded",
            phases = { "final" }, assessors = { "government", "third_party" },
            evidence = "年度服务总结、典型案例" },
        } },
      } },

      governance = { code = "E", name = "五社联动", indicators = {
        volunteers = { code = "E1", name = "社工+志愿者", points = 4, items = {
          active = { code = "E1.1", name = "志愿者队伍活跃", points = 2, type = "computed",
            phases = { "mid", "final" }, evidence = "志愿者库与服务记录", target = 10,
            compute = function(st, p, ctx)
              local n = ctx.data.volunteers.active or 0
              return ctx.item.points * math.min(1, n / ctx.item.target), ctx.why(
                "%d volunteers served in the period (%d expected)", n, ctx.item.target)
            end },
          hours = { code = "E1.2", name = "志愿服务时长", points = 2, type = "computed",
            phases = { "mid", "final" }, evidence = "志愿服务记录", per_year = 50,
            compute = function(st, p, ctx)
              local h, need = ctx.data.volunteers.hours or 0, ctx.item.per_year * ctx.share
              return ctx.item.points * math.min(1, h / need), ctx.why(
                "%g volunteer hours (%g expected)", h, need)
            end },
        } },
        society = { code = "E2", name = "社会组织与慈善资源", points = 6, items = {
          orgs = { code = "E2.1", name = "培育社区社会组织", points = 3, type = "computed",
            phases = { "mid", "final" }, evidence = "社区社会组织登记", target = 3,
            compute = function(st, p, ctx)
              local n = ctx.data.orgs.orgs or 0
              return ctx.item.points * math.min(1, n / ctx.item.target), ctx.why(
                "%d community organisations (%d expected)", n, ctx.item.target)
            end },
          charity = { code = "E2.2", name = "链接慈善资源", points = 3, type = "computed",
            phases = { "mid", "final" }, evidence = "慈善资源登记", target = 2,
            compute = function(st, p, ctx)
              local c = ctx.data.charity
              local n = c.resources or 0
              return ctx.item.points * math.min(1, n / ctx.item.target), ctx.why(
                "%d charity resources in %d worth %.0f yuan (%d expected)", n, ctx.year,
                c.amount or 0, ctx.item.target)
            end },
        } },
      } },

      funds = { code = "F", name = "经费管理", indicators = {
        budget = { code = "F1", name = "经费保障", points = 4, items = {
          categories = { code = "F1.1", name = "运营、人员经费逐年纳入预算, 建设经费到位", points = 4,
            type = "computed", phases = { "mid", "final" }, evidence = "经费预算",
            compute = function(st, p, ctx)
              local year_set = {}
              for c, r in pairs(ctx.data.funding) do
                if (r.budget or 0) > 0 then year_set[c] = true end
              end
              local j = std.funding(p, ctx.year, year_set, ctx.data.funding_ever)
              return ctx.item.points * j.score, j
            end },
        } },
        spending = { code = "F2", name = "经费使用", points = 6, items = {
          execution = { code = "F2.1", name = "预算执行率", points = 3, type = "computed",
            phases = { "final" }, evidence = "经费预算与支出",
            compute = function(st, p, ctx)
              local budget, spent = 0, 0
              for _, r in pairs(ctx.data.funding) do
                budget, spent = budget + (r.budget or 0), spent + (r.spent or 0)
              end
              if budget <= 0 then return 0, ctx.why("no budget on file for %d", ctx.year) end
              local rate = spent / budget
              if rate > 1.1 then
                return 0, ctx.why("spent %.0f of %.0f yuan (%.1f %%): more than 10 %% over budget",
                  spent, budget, rate * 100)
              end
              return ctx.item.points * math.min(1, rate / 0.9),
                ctx.why("spent %.0f of %.0f yuan (%.1f %%); 90 %% earns full points", spent, budget,
                  rate * 100)
            end },
          compliance = { code = "F2.2", name = "财务管理规范", points = 3, type = "graded",
            phases = { "final" }, assessors = { "government", "third_party" },
            evidence = "财务账目、票据、资金使用凭证和审计意见" },
        } },
      } },

      party_building = { code = "G", name = "党建引领", indicators = {
        services = { code = "G1", name = "党建引领服务", points = 2, items = {
          activities = { code = "G1.1", name = "党建引领服务活动", points = 2, type = "computed",
            phases = { "mid", "final" }, evidence = "服务记录 (党建引领)", per_year = 4,
            compute = function(st, p, ctx)
              local n, need = ctx.data.services.party_building or 0, ctx.item.per_year * ctx.share
              return ctx.item.points * math.min(1, n / need), ctx.why(
                "%d party-building services (%g expected)", n, need)
            end },
        } },
        organisation = { code = "G2", name = "党组织建设", points = 3, items = {
          organisation = { code = "G2.1", name = "党组织和党员作用", points = 3, type = "parts",
            phases = { "mid", "final" }, assessors = { "self", "government" },
            evidence = "党组织或党员服务队设立文件、活动记录",
            parts = {
              { name = "建立党组织或党员服务队", points = 1 },
              { name = "开展组织、思想、服务\"三引领\"活动", points = 1 },
              { name = "党员社工亮身份、作表率", points = 1 },
            } },
        } },
      } },
    },

    -- Bonus points (加分项) on top of the 100, at most `max` in all.
    bonus = {
      max = 5,
      items = {
        innovation = { code = "H1", name = "服务创新与品牌项目", points = 3, type = "graded",
          phases = { "final" }, assessors = { "government", "third_party" },
          evidence = "创新项目材料、品牌项目认定" },
        honours = { code = "H2", name = "表彰与经验推广", points = 2, type = "parts",
          phases = { "final" }, assessors = { "government" }, evidence = "表彰文件、媒体报道",
          parts = {
            { name = "获市级以上表彰", points = 1 },
            { name = "经验获市级以上媒体报道或推广", points = 1 },
          } },
      },
    },

    -- Veto items (一票否决): one that is found fails the evaluation whatever
    -- the score. Scored entries: each assessor gives 1 (found) or 0.
    veto = {
      misuse = { code = "V1", name = "挪用、截留或虚报冒领专项资金", type = "yesno",
        phases = { "mid", "final" }, assessors = { "government", "third_party" },
        evidence = "财务检查、审计报告" },
      overspent = { code = "V2", name = "经费支出超出预算10%以上", type = "computed",
        phases = { "final" }, evidence = "经费预算与支出",
        compute = function(st, p, ctx)
          local budget, spent = 0, 0
          for _, r in pairs(ctx.data.funding) do
            budget, spent = budget + (r.budget or 0), spent + (r.spent or 0)
          end
          if spent > budget * 1.1 then
            return true, ctx.why("spent %.0f yuan, more than 110 %% of the budget %.0f",
              spent, budget)
          end
          return false, ctx.why("spent %.0f of %.0f yuan", spent, budget)
        end },
      accident = { code = "V3", name = "发生重大安全责任事故或造成恶劣社会影响", type = "yesno",
        phases = { "mid", "final" }, assessors = { "government" },
        evidence = "事故报告、舆情通报" },
    },

    -- Grade bands, highest first (a total reaching `min` earns the grade).
    grades = {
      { name = "优秀", min = 90 }, { name = "良好", min = 80 },
      { name = "合格", min = 60 }, { name = "不合格", min = 0 },
    },
    stars = {
      { stars = 5, min = 95 }, { stars = 4, min = 90 }, { stars = 3, min = 80 },
      { stars = 2, min = 70 }, { stars = 1, min = 60 },
    },

    -- How the scores of an item's assessors combine: a weighted mean over
    -- the assessors the item lists (re-weighted over those who scored it).
    assessor_weights = { self = 0.2, government = 0.3, third_party = 0.5 },
  },

  -- How far a county may move each value. min/max: the value's own limits;
  -- shift: at most this many points away from the city's value.
  bounds = {
    ["standards.min_area_m2"] = { min = 100 },
    ["standards.min_resident_workers"] = { min = 3, max = 8 },
    ["standards.max_age"] = { min = 35, max = 45 },
    ["standards.min_training_hours"] = { min = 40 },
    ["standards.class_hour_minutes"] = { min = 45, max = 60 },   -- a 课时 is 45 to 60 minutes
    ["standards.min_community_share"] = { min = 0.60, max = 1 },
    ["standards.contacts_per_village"] = { min = 1 },
    ["standards.hubs_per_county"] = { min = 1, max = 1 },
    ["standards.transition_years"] = { min = 1, max = 2 },
    ["standards.sign_width_cm"] = { min = 64 },
    ["standards.sign_height_cm"] = { min = 45 },
    ["privacy.retention_years"] = { min = 1, max = 10 },
    ["privacy.sensitive_age"] = { min = 14, max = 18 },
    ["indicators.weights.*"] = { shift = 5 },
    ["indicators.bonus.max"] = { max = 5 },    -- a county may lower the bonus, not raise it
    -- rules a county may not switch off or soften below this severity
    ["rules.area"] = { floor = "violation" },
    ["rules.staffing"] = { floor = "violation" },
    ["rules.qualification"] = { floor = "violation" },
    ["rules.village_contacts"] = { floor = "violation" },
    ["rules.hub"] = { floor = "violation" },
    ["rules.transition_332"] = { floor = "violation" },
    ["rules.chores"] = { floor = "warning" },
  },
}
