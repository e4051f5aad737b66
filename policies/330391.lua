-- policies/330391.lua — 浙南产业集聚区 (the Zhenan industrial cluster), an
-- administering unit that is not an NBS county: it administers 海城, 沙城,
-- 天河 and 星海街道, which NBS files under 龙湾区 (330303). 330391 is a code
-- sws assigns (NBS does not use 3303 9x); see data/wenzhou_zones.csv and
-- docs/checks.md for the source of the township list.
--
-- It starts from the city policy and, like a county, may tighten it within
-- the city's bounds; its stations are checked, evaluated and ranked as its own.
return sws.policy.extend("default", {
  name = "330391",
  version = "2022.1",
})
