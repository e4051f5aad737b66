-- A small city policy for the tests of `sws eval` (tests/cli/eval.sh copies
-- it as default.lua of a scratch SWS_HOME). Item A1.1 earns the station's
-- area / 10 points (at most 80), so a test sets a total to the tenth of a
-- point through the area: 599 m² → 59.9, 600 m² → 60.
return sws.policy.define {
  name = "default",
  version = "test.1",
  standards = { min_area_m2 = 100 },
  workflow = { initial = "operating", stages = { operating = { label = "运营服务", terminal = true } } },
  indicators = {
    weights = { services = 90, funds = 10 },
    aggregates = {
      size = { sql = "SELECT code AS station_code, area_m2 FROM station" },
    },
    levels = {
      { name = "优", fraction = 1 }, { name = "良", fraction = 0.8 },
      { name = "中", fraction = 0.6 }, { name = "差", fraction = 0 },
    },
    tree = {
      services = { code = "A", name = "服务成效", indicators = {
        measured = { code = "A1", name = "面积折分", points = 80, items = {
          area = { code = "A1.1", name = "面积每10平方米1分", points = 80, type = "computed",
            phases = { "mid", "final" },
            compute = function(st, p, ctx)
              local a = ctx.data.size.area_m2 or 0
              return math.min(80, a / 10), string.format("area %g m² / 10", a)
            end },
        } },
        assessed = { code = "A2", name = "服务质量", points = 10, items = {
          quality = { code = "A2.1", name = "服务过程规范", points = 10, type = "graded",
            phases = { "mid", "final" }, assessors = { "self", "government", "third_party" },
            evidence = "抽查服务记录" },
        } },
      } },
      funds = { code = "B", name = "经费管理", indicators = {
        money = { code = "B1", name = "经费", points = 10, items = {
          budget = { code = "B1.1", name = "预算到位", points = 6, type = "yesno",
            phases = { "final" }, assessors = { "government" }, evidence = "预算文件" },
          books = { code = "B1.2", name = "账目规范", points = 4, type = "parts",
            phases = { "mid", "final" }, assessors = { "government", "third_party" },
            evidence = "账目和审计意见",
            parts = { { name = "票据齐全", points = 1.5 }, { name = "审计无问题", points = 2.5 } } },
        } },
      } },
    },
    bonus = { max = 2, items = {
      brand = { code = "H1", name = "品牌项目", points = 3, type = "yesno", phases = { "final" },
        assessors = { "government" }, evidence = "品牌认定文件" },
    } },
    veto = {
      misuse = { code = "V1", name = "挪用专项资金", type = "yesno", phases = { "mid", "final" },
        assessors = { "government" }, evidence = "审计报告" },
      tiny = { code = "V2", name = "站点面积不足10平方米", type = "computed", phases = { "final" },
        compute = function(st, p, ctx)
          local a = ctx.data.size.area_m2 or 0
          return a < 10, string.format("area %g m²", a)
        end },
    },
    grades = {
      { name = "优秀", min = 90 }, { name = "良好", min = 80 },
      { name = "合格", min = 60 }, { name = "不合格", min = 0 },
    },
    stars = {
      { stars = 5, min = 95 }, { stars = 4, min = 90 }, { stars = 3, min = 80 },
      { stars = 2, min = 70 }, { stars = 1, min = 60 },
    },
    assessor_weights = { self = 0.2, government = 0.3, third_party = 0.5 },
  },
  bounds = { ["indicators.weights.*"] = { shift = 10 } },
}
