-- The reports people read: coverage, the county's annual report to the city,
-- a station's scorecard and volunteer hours, as HTML, Markdown, CSV or JSON.
-- Data only.
return {
  name = "reports",
  version = "1.0.0",
  api = 1,
  requires = {},
  counties = "*",
  description = "coverage, annual, station and volunteer reports (sws report); render(kind, opts)",
}
