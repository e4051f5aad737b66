-- policies/330327.lua — 苍南县.
--
-- 苍南县 follows the city policy (policies/default.lua) as it is. To change a
-- value, write it below with the same name and nesting as in default.lua, e.g.
--   standards = { min_training_hours = 48 },
-- then run `sws policy check 330327`. `sws policy show 330327 --explain` prints
-- every value in force and the file and line that set it.
return sws.policy.extend("default", {
  name = "330327",
  version = "2021.1",
})
