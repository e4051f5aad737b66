-- County-defined patterns checked on every imported row. Data only.
return {
  name = "import_rules",
  version = "1.0.0",
  api = 1,
  requires = {},
  counties = "*",
  description = "checks imported rows against county-defined patterns (rules.lua)",
}
