-- A county policy whose evaluation indicators are wrong, for the tests of
-- `sws policy check` and `sws eval`: an item's points changed without its
-- indicator's, an added indicator with mistakes, and a city norm changed.
return sws.policy.extend("default", {
  name = "339997",
  version = "2024.1",
  indicators = {
    weights = { services = 36, funds = 4 },
    tree = {
      services = { indicators = {
        coverage = { items = { volume = { points = 8 } } },
      } },
      governance = { indicators = {
        elderly = { code = "E3", name = "养老服务联动", points = 2, items = {
          visits = { code = "E3.1", name = "探访", points = 2, type = "computed",
            phases = { "final" } },
          meals = { code = "E4.1", name = "助餐", points = 1, type = "scored",
            phases = { "year_end" }, assessors = { "county" } },
        } },
      } },
    },
    grades = { { name = "优秀", min = 85 }, { name = "合格", min = 60 }, { name = "不合格", min = 0 } },
    assessor_weights = { self = 0.2, government = 0.3, third_party = 0.4 },
    bonus = { max = 8 },
  },
})
