-- policies/330324.lua — 永嘉县 (Yongjia County).
--
-- Starts from the city policy (policies/default.lua). Yongjia builds its
-- stations on "社工+志愿者": before a station starts operating it must have
-- at least 10 volunteers who have each served 2 hours or more. The volunteer
-- figures come from the volunteer_ledger plugin.
return sws.policy.extend("default", {
  name = "330324",
  version = "2023.2",

  workflow = {
    enter = {
      operating = { "staffing", "institutions", "volunteers_ready" },
    },
  },

  guards = {
    volunteers_ready = function(st)
      local ledger = sws.plugin("volunteer_ledger")
      if not ledger then return false, "the volunteer_ledger plugin is not loaded" end
      local n = ledger.active_volunteers(st.code, 2)
      if n < 10 then
        return false, string.format("%d active volunteers (2 hours or more); 10 are needed", n)
      end
      return true
    end,
  },
})
