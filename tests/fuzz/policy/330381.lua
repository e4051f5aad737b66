-- policies/330381.lua — 瑞安市 (Rui'an).
--
-- Starts from the city policy (policies/default.lua). Rui'an adds one stage to
-- the construction procedure: after the expert review, the construction plan
-- is put up for public notice (方案公示) for at least 7 days before building
-- may start.
return sws.policy.extend("default", {
  name = "330381",
  version = "2022.1",

  workflow = {
    stages = {
      -- reviewed now leads to the public notice instead of straight to building
      reviewed = { label = "专家论证通过", next = { "public_notice" } },
      public_notice = { label = "方案公示", next = { "building" }, days = 7 },
    },
    enter = {
      -- building needs the city's check plus a notice period that has run its course
      building = { "one_plan", "notice_served" },
    },
  },

  guards = {
    -- The notice was posted at least `days` days before building starts.
    notice_served = function(st, p, t)
      local posted = sws.db.query([[SELECT max(time) AS day FROM workflow_event
        WHERE station_code = ? AND to_stage = 'public_notice']], st.code)[1].day
      if not posted then return false, "the plan was never put up for public notice" end
      local days = p.workflow.stages.public_notice.days
      local served = sws.date.diff_days(posted:sub(1, 10), t.as_of)
      if served < days then
        return false, string.format("the public notice has run %d of %d days", served, days)
      end
      return true
    end,
    -- one_plan of the city looks for the expert review; it still applies.
  },
})
