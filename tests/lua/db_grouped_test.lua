-- sws.db.grouped: rows grouped in C by a column, the same rows as sws.db.query.

local ROWS = [[SELECT 'a' AS station_code, 'desk' AS kind, 2 AS n
  UNION ALL SELECT 'a', 'sign', NULL UNION ALL SELECT 'b', 'desk', 5
  UNION ALL SELECT NULL, 'desk', 9 UNION ALL SELECT 'b', NULL, 7]]

test("grouped keeps a station's last row by default and leaves NULL groups out", function()
  local t = sws.db.grouped({ by = "station_code" }, ROWS)
  assert_eq(t.a, { station_code = "a", kind = "sign" })
  assert_eq(t.b.n, 7)
  local groups = 0
  for _ in pairs(t) do groups = groups + 1 end
  assert_eq(groups, 2)
end)

test("grouped with list keeps every row of a group in the query's order", function()
  local t = sws.db.grouped({ by = "station_code", list = true }, ROWS)
  assert_eq(#t.a, 2)
  assert_eq(t.a[1], { station_code = "a", kind = "desk", n = 2 })
  assert_eq(t.a[2].kind, "sign")
  assert_eq(#t.b, 2)
  assert_eq(t.b[2].kind, nil)
end)

test("grouped with key gives each group's rows by that column, NULL keys left out", function()
  local t = sws.db.grouped({ by = "station_code", key = "kind" }, ROWS)
  assert_eq(t.a.desk.n, 2)
  assert_eq(t.a.sign.n, nil)
  assert_eq(t.b, { desk = { station_code = "b", kind = "desk", n = 5 } })
end)

test("grouped with a set gives the values of the key column", function()
  local t = sws.db.grouped({ by = "station_code", key = "kind", set = true }, ROWS)
  assert_eq(t, { a = { desk = true, sign = true }, b = { desk = true } })
end)

test("grouped binds parameters like query and agrees with it", function()
  local by_query = {}
  for _, r in ipairs(sws.db.query("SELECT type, name FROM sqlite_master WHERE name <> ?", "x")) do
    by_query[r.name] = r
  end
  assert_eq(sws.db.grouped({ by = "name" }, "SELECT type, name FROM sqlite_master WHERE name <> ?", "x"),
    by_query)
  local named = sws.db.grouped({ by = "k" }, "SELECT :x AS k, :y AS v", { x = "a", y = 7 })
  assert_eq(named.a.v, 7)
end)

test("grouped refuses a column the query lacks and a bad spec", function()
  local ok, err = pcall(sws.db.grouped, { by = "station" }, ROWS)
  assert_eq(ok, false)
  assert_true(tostring(err):find("no column 'station'", 1, true) ~= nil, tostring(err))
  ok, err = pcall(sws.db.grouped, { by = "station_code", key = "nope" }, ROWS)
  assert_true(not ok and tostring(err):find("no column 'nope'", 1, true) ~= nil, tostring(err))
  ok, err = pcall(sws.db.grouped, { by = "station_code", set = true }, ROWS)
  assert_true(not ok and tostring(err):find("spec.set needs spec.key", 1, true) ~= nil, tostring(err))
  ok, err = pcall(sws.db.grouped, { by = "station_code", key = "kind", list = true }, ROWS)
  assert_true(not ok and tostring(err):find("exclude each other", 1, true) ~= nil, tostring(err))
  ok, err = pcall(sws.db.grouped, {}, ROWS)
  assert_true(not ok and tostring(err):find("spec.by", 1, true) ~= nil, tostring(err))
end)

-- Rows of one group usually come in a run, and the run reuses its group;
-- a group that comes back after another, a value too long to remember,
-- a number equal to a text and a NULL between two rows of a run still land
-- where sws.db.query says.
test("grouped puts rows in their groups whatever the order of the groups", function()
  local long = string.rep("长", 30) -- 90 bytes
  local sql = [[SELECT 'a' AS g, 1 AS n UNION ALL SELECT 'a', 2 UNION ALL SELECT 'b', 3
    UNION ALL SELECT 'a', 4 UNION ALL SELECT ?1, 5 UNION ALL SELECT ?1, 6
    UNION ALL SELECT 7, 7 UNION ALL SELECT '7', 8 UNION ALL SELECT 'b', 9
    UNION ALL SELECT NULL, 10 UNION ALL SELECT 'b', 11]]
  local t = sws.db.grouped({ by = "g", list = true }, sql, long)
  local want = {}
  for _, r in ipairs(sws.db.query(sql, long)) do
    if r.g ~= nil then
      want[r.g] = want[r.g] or {}
      want[r.g][#want[r.g] + 1] = r
    end
  end
  assert_eq(t, want)
  assert_eq(#t.a, 3)
  assert_eq(#t[long], 2)
  assert_eq(t[7][1].n, 7)
  assert_eq(t["7"][1].n, 8)
  assert_eq(#t.b, 3)
  local sets = sws.db.grouped({ by = "g", key = "n", set = true }, sql, long)
  assert_eq(sets.a, { [1] = true, [2] = true, [4] = true })
  assert_eq(sets.b, { [3] = true, [9] = true, [11] = true })
end)
