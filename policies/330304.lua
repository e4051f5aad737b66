-- policies/330304.lua — 瓯海区.
--
-- 瓯海区 follows the city policy (policies/default.lua) as it is. To change a
-- value, write it below with the same name and nesting as in default.lua, e.g.
--   standards = { min_training_hours = 48 },
-- then run `sws policy check 330304`. `sws policy show 330304 --explain` prints
-- every value in force and the file and line that set it.
return sws.policy.extend("default", {
  name = "330304",
  version = "2021.1",
})
