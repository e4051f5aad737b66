-- The volunteer hours ledger of "社工+志愿者": who served how long, and the
-- credit (星级) their hours earn. Data only: sws reads this before init.lua.
return {
  name = "volunteer_ledger",
  version = "1.0.0",
  api = 1,
  requires = {},
  counties = "*",
  tables = {"hours"},
  description = "volunteer hours ledger and star credit (社工+志愿者)",
}
