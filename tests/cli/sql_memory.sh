#!/bin/bash
# sql_memory.sh — SQLite's own memory is capped (--sql-memory MiB or
# SWS_SQL_MEMORY, default 1024): a query through sws.db that needs more
# fails with a message naming the limit, and the host goes on (the next
# query of the same script runs, the error can be caught); bad values are
# refused with the accepted range.
set -eu
. "$(dirname "$0")/testlib.bash"

run 0 "$SWS" --db x.db init
# a 40 MB string built inside SQLite
cat > big.lua <<'LUA'
local ok, res = pcall(sws.db.query, [[WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL
  SELECT x + 1 FROM c WHERE x < 20000)
  SELECT length(group_concat(hex(randomblob(1000)))) AS n FROM c]])
print(ok and ("big query ran: " .. res[1].n) or ("big query failed: " .. res))
print("counties after it: " .. sws.db.query("SELECT count(*) AS n FROM county")[1].n)
LUA

run 0 "$SWS" --db x.db --sql-memory 16 run big.lua
has "$W/out" "big query failed: sws.db: the statement needs more than SQLite's memory limit of 16 MiB" \
    "--sql-memory MiB or SWS_SQL_MEMORY" "counties after it: 0"
lacks "$W/out" "big query ran"

SWS_SQL_MEMORY=16 run 0 "$SWS" --db x.db run big.lua
has "$W/out" "memory limit of 16 MiB" "counties after it: 0"

# uncaught, it stops the script with exit 1 and the same message
printf 'sws.db.query([[WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000)\n  SELECT length(group_concat(hex(randomblob(1000)))) AS n FROM c]])\n' > raw.lua
run 1 "$SWS" --db x.db --sql-memory 16 run raw.lua
has "$W/err" "SQLite's memory limit of 16 MiB"

# the default (1024 MiB) fits it; the option wins over the environment
run 0 "$SWS" --db x.db run big.lua
has "$W/out" "big query ran: 40019999"
SWS_SQL_MEMORY=16 run 0 "$SWS" --db x.db --sql-memory 512 run big.lua
has "$W/out" "big query ran: 40019999"

# strict values
for v in 0 7 1048577 16x 1.5 " 16" ""; do
    run 2 "$SWS" --db x.db --sql-memory "$v" summary
    has "$W/err" "--sql-memory \"$v\":" "from 8 to 1048576"
done
SWS_SQL_MEMORY=abc run 2 "$SWS" --db x.db summary
has "$W/err" "SWS_SQL_MEMORY \"abc\":"
run 2 "$SWS" --db x.db --sql-memory
has "$W/err" "missing value for option '--sql-memory'"
echo "sql_memory: ok"
