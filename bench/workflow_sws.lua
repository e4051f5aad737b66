-- bench/workflow, sws side: every station from its start to operating
-- through sws.workflow (guards in the sandbox, audit, deadlines), following
-- each county's own stages.
-- each step is taken in the role its stage names in the shipped policies
local ROLE = { approved = "city", planned = "county", reviewed = "expert", building = "township",
  accepted = "county", operating = "township", public_notice = "county" }
local moved, refused = 0, 0
local stations = sws.db.query("SELECT code FROM station ORDER BY code")
for _, s in ipairs(stations) do
  sws.workflow.start(s.code, "bench", "2021-03-01", "county")
  local day = 0
  while sws.workflow.stage(s.code) ~= "operating" do
    day = day + 7
    local to = sws.workflow.next(s.code)[1]
    local ok = sws.workflow.advance(s.code, to, "bench",
      { as_of = sws.date.add_days("2021-03-01", day), role = ROLE[to] })
    if ok then moved = moved + 1 else refused = refused + 1; break end
  end
end
print(moved, refused, #stations)
