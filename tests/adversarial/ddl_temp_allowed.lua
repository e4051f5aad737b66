-- expect: TEMP tables work
-- A TEMP table is the script's own scratch space and stays allowed; rows may be written.
sws.db.exec("CREATE TEMP TABLE scratch(x)")
sws.db.exec("INSERT INTO scratch VALUES(1)")
assert(sws.db.query("SELECT count(*) AS n FROM scratch")[1].n == 1)
error("TEMP tables work")
