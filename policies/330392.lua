-- policies/330392.lua — 瓯江口产业集聚区 (the Oujiangkou industrial cluster),
-- an administering unit that is not an NBS county: it administers 灵昆 and
-- 昆鹏街道, which NBS files under 洞头区 (330305). 330392 is a code sws
-- assigns (NBS does not use 3303 9x); see data/wenzhou_zones.csv and
-- docs/checks.md for the source of the township list.
--
-- It starts from the city policy and, like a county, may tighten it within
-- the city's bounds; its stations are checked, evaluated and ranked as its own.
return sws.policy.extend("default", {
  name = "330392",
  version = "2022.1",
})
