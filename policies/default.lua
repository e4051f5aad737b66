-- policies/default.lua — the city policy of Wenzhou (温州市乡镇(街道)社会工作站建设指引, 2021).
--
-- Every county policy (policies/<county code>.lua) starts from this file and
-- changes only what it names; `sws policy show COUNTY --explain` prints the
-- result with the file and line that set each value. `bounds` at the end says
-- how far a county may move each value. In the guideline's usage 以上, 以下 and
-- 不少于 include the number itself: "45岁以下" allows 45, "60%以上" allows 60 %.
return sws.policy.define {
  name = "default",
  version = "2021.1",

  -- 建设标准: the construction standards.
  standards = {
    min_area_m2 = 100,                 -- 面积不少于100平方米
    required_rooms = {                 -- 功能室
      "social_work", "case", "group_activity", "multi_function", "archive",
      "reception", "display",
    },
    required_facilities = {            -- 服务窗口, 制度上墙, 安全设施, 办公设备
      "service_window", "wall_posting", "public_toilet", "complaint_box", "hotline",
      "fire_safety", "anti_theft", "escape_route", "anti_slip_sign", "safety_check",
      "desk", "computer", "printer", "file_cabinet", "sign_indoor", "sign_outdoor",
      "direction_sign",
    },
    sign_width_cm = 64,                -- 标牌 64 cm × 45 cm
    sign_height_cm = 45,
    required_institutions = {          -- 制度: 组织架构, 运行流程, 岗位/财务/培训/志愿者/档案/资产, 两库
      "org_chart", "operating_procedure", "post_rules", "finance_rules", "training_rules",
      "volunteer_rules", "archive_rules", "asset_rules", "volunteer_db", "client_db",
    },
    min_resident_workers = 3,          -- 驻站社工3-8名
    max_resident_workers = 8,
    max_age = 45,                      -- 45周岁以下
    accepted_qualifications = {        -- 社工专业(相关专业)学历 或 全国社工职业资格证书
      "sw_degree", "related_degree", "assistant_social_worker", "social_worker",
      "senior_social_worker",
    },
    min_training_hours = 40,           -- 每年培训不少于40学时
    min_community_share = 0.60,        -- 60%以上工作时间在村(社区)
    contacts_per_village = 1,          -- 每个村(社区)至少1名联系社工
    hubs_per_county = 1,               -- 每个县(市、区)1个总站
    transition_years = 2,              -- "3+3+2": 两年过渡期后须有专业社工
    required_funding = { "construction", "operation", "personnel", "evaluation" },
  },

  -- How many resident workers a township needs: 3, plus one for every 40,000
  -- residents and one for every 1,000 service objects, never more than 8.
  staffing = function(t)
    local n = 3 + (t.population or 0) // 40000 + (t.service_objects or 0) // 1000
    return math.max(3, math.min(8, n))
  end,

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
      proposed = { label = "提出需求", next = { "approved" } },
      approved = { label = "市级审核同意", next = { "planned" } },
      planned = { label = "制定方案", next = { "reviewed" } },
      reviewed = { label = "专家论证通过", next = { "building" } },
      building = { label = "启动建设", next = { "accepted" } },
      accepted = { label = "建成验收", next = { "operating" } },
      operating = { label = "运营服务", next = { "midterm" } },
      midterm = { label = "中期评估", next = { "final_evaluation" } },
      final_evaluation = { label = "终期评估", next = { "operating" } },
    },
    -- Guards that must pass before a station enters a stage (names of `guards`).
    enter = {
      approved = { "needs_station" },
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
    one_plan = function(st)
      -- 一站一方案: the station's own plan is on file — its station record with
      -- a name and an address — before building starts.
      if not st.name or not st.address then
        return false, "no construction plan of this station is on file (import its station " ..
          "record with name and address)"
      end
      return true
    end,
    area = function(st, p)
      local area = st.area_m2 or 0
      if area < p.standards.min_area_m2 then
        return false, string.format("area %.0f m² is below %d m²", area, p.standards.min_area_m2)
      end
      return true
    end,
    rooms = function(st, p)
      local have, missing = {}, {}
      for r in sws.db.rows("SELECT kind FROM station_room WHERE station_code = ?", st.code) do
        have[r.kind] = true
      end
      for _, kind in ipairs(p.standards.required_rooms) do
        if not have[kind] then missing[#missing + 1] = kind end
      end
      if #missing > 0 then return false, "missing rooms: " .. table.concat(missing, ", ") end
      return true
    end,
    sign = function(st, p)
      if (st.sign_width_cm or 0) < p.standards.sign_width_cm
          or (st.sign_height_cm or 0) < p.standards.sign_height_cm then
        return false, string.format("the sign is %s × %s cm; it must be %d × %d cm",
          st.sign_width_cm and string.format("%g", st.sign_width_cm) or "?",
          st.sign_height_cm and string.format("%g", st.sign_height_cm) or "?",
          p.standards.sign_width_cm, p.standards.sign_height_cm)
      end
      return true
    end,
    staffing = function(st, p)
      local n = sws.db.query([[SELECT count(*) AS n FROM worker WHERE station_code = ?
        AND role = 'resident' AND left_on IS NULL]], st.code)[1].n
      local need = p.staffing(st)
      if n < need then
        return false, string.format("%d resident social workers; the township needs %d", n, need)
      end
      return true
    end,
    institutions = function(st, p)
      local have, missing = {}, {}
      for r in sws.db.rows("SELECT kind FROM station_institution WHERE station_code = ?", st.code) do
        have[r.kind] = true
      end
      for _, kind in ipairs(p.standards.required_institutions) do
        if not have[kind] then missing[#missing + 1] = kind end
      end
      if #missing > 0 then return false, "missing rules or databases: " .. table.concat(missing, ", ") end
      return true
    end,
  },

  -- The severity of each compliance rule of `sws check` (violation, warning,
  -- advice), or false to switch a rule off. `sws check --help` lists the rules.
  rules = {
    area = "violation", rooms = "violation", facilities = "violation", sign = "warning",
    institutions = "violation", staffing = "violation", worker_age = "warning",
    qualification = "violation", training_hours = "warning", community_time = "warning",
    village_contacts = "violation", hub = "violation", transition_332 = "violation",
    chores = "warning", funding = "violation", needs_no_station = "advice",
  },

  -- Scheduled jobs (cron: minute hour day-of-month month day-of-week).
  schedule = {
    { cron = "0 8 * * 1", job = "weekly_compliance" },
    { cron = "0 9 15 11 *", job = "annual_summary" },  -- county reports are due by 30 November
  },

  -- Evaluation: the weight of each dimension (points out of 100).
  indicators = {
    weights = {
      facilities = 15, institutions = 10, staffing = 20, services = 30,
      governance = 10, funds = 10, party_building = 5,
    },
  },

  -- How far a county may move each value. min/max: the value's own limits;
  -- shift: at most this many points away from the city's value.
  bounds = {
    ["standards.min_area_m2"] = { min = 100 },
    ["standards.min_resident_workers"] = { min = 3, max = 8 },
    ["standards.max_resident_workers"] = { min = 3, max = 8 },
    ["standards.max_age"] = { min = 35, max = 45 },
    ["standards.min_training_hours"] = { min = 40 },
    ["standards.min_community_share"] = { min = 0.60, max = 1 },
    ["standards.contacts_per_village"] = { min = 1 },
    ["standards.hubs_per_county"] = { min = 1, max = 1 },
    ["standards.transition_years"] = { min = 1, max = 2 },
    ["standards.sign_width_cm"] = { min = 64 },
    ["standards.sign_height_cm"] = { min = 45 },
    ["indicators.weights.*"] = { shift = 5 },
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
