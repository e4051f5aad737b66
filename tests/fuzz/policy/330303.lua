-- policies/330303.lua — 龙湾区.
--
-- 龙湾区 follows the city policy (policies/default.lua) as it is. To change a
-- value, write it below with the same name and nesting as in default.lua, e.g.
--   standards = { min_training_hours = 48 },
-- then run `sws policy check 330303`. `sws policy show 330303 --explain` prints
-- every value in force and the file and line that set it.
return sws.policy.extend("default", {
  name = "330303",
  version = "2021.1",
})
