-- expect: instruction budget
-- A huge sort through sws.db is stopped within the caller's budget.
sws.db.query("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100000000) " ..
             "SELECT x FROM c ORDER BY random() LIMIT 1")
