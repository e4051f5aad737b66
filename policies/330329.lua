-- policies/330329.lua — 泰顺县.
--
-- 泰顺县 follows the city policy (policies/default.lua) as it is. To change a
-- value, write it below with the same name and nesting as in default.lua, e.g.
--   standards = { min_training_hours = 48 },
-- then run `sws policy check 330329`. `sws policy show 330329 --explain` prints
-- every value in force and the file and line that set it.
return sws.policy.extend("default", {
  name = "330329",
  version = "2021.1",
})
