-- A county policy with three mistakes, for the tests of `sws policy check`.
return sws.policy.extend("default", {
  name = "339999",
  version = "2024.1",
  standards = {
    min_trainig_hours = 48,
  },
  indicators = {
    weights = { services = 40, staffing = 10 },
  },
  workflow = {
    stages = {
      orphan = { label = "无入口", next = { "operating" } },
    },
  },
})
