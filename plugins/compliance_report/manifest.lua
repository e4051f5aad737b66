-- The jobs the city policy schedules (policies/default.lua, `schedule`):
-- a weekly compliance snapshot per county and the annual summary that
-- counties send to the city by 30 November. Data only.
return {
  name = "compliance_report",
  version = "1.0.0",
  api = 1,
  requires = {},
  counties = "*",
  tables = {"runs"},
  description = "weekly compliance snapshots and the annual county summary (jobs of the schedule)",
}
