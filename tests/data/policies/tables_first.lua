-- A county policy that builds tables of its own before the policy table:
-- its mistakes are still named by their own lines.
local extra_rooms = { "activity", "counselling" }
local limits = { hours = { low = 40 } }
return sws.policy.extend("default", {
  name = "339998",
  version = "2024.1",
  standards = {
    min_trainig_hours = limits.hours.low + 8,
    required_rooms = extra_rooms,
  },
})
