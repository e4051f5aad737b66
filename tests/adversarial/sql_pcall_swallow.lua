-- expect: instruction budget
-- A script that catches the interrupted query still fails with the budget's message.
for _ = 1, 3 do
  pcall(sws.db.query, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) " ..
                      "SELECT max(x) FROM c")
end
error("the interrupted query was swallowed")
