-- policies/330382.lua — 乐清市.
--
-- 乐清市 follows the city policy (policies/default.lua) as it is. To change a
-- value, write it below with the same name and nesting as in default.lua, e.g.
--   standards = { min_training_hours = 48 },
-- then run `sws policy check 330382`. `sws policy show 330382 --explain` prints
-- every value in force and the file and line that set it.
return sws.policy.extend("default", {
  name = "330382",
  version = "2021.1",
})
