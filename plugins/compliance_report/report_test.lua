-- Tests of the compliance_report plugin on the test's own database.
local F = require "tests.fixtures"  -- policies/tests/fixtures.lua

test("a snapshot stores the findings per county, and a later one shows the change", function()
  F.full_station("330303001", { area = 99 })
  F.full_station("330304001")
  local report = sws.plugin("compliance_report")
  assert_eq(report.snapshot("2022-12-31"), 2)
  local rows = sws.db.query([[SELECT county, violations, warnings FROM plugin_compliance_report_runs
      WHERE day = '2022-12-31' ORDER BY county]])
  assert_eq(rows[1].county, "330303")
  assert_eq(rows[1].violations, 1)
  assert_eq(rows[2].violations, 0)
  -- the station is enlarged; the next snapshot has no violation left
  sws.db.exec("UPDATE station SET area_m2 = 120 WHERE code = '330303001'")
  report.snapshot("2022-12-30")
  local later = sws.db.query([[SELECT violations FROM plugin_compliance_report_runs
      WHERE day = '2022-12-30' AND county = '330303']])[1]
  assert_eq(later.violations, 0)
end)
