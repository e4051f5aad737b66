-- expect: instruction budget
-- An endless recursive CTE runs inside SQLite, not Lua: the progress handler stops it.
sws.db.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) " ..
             "SELECT count(*) FROM c")
