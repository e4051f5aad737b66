-- expect: one statement per call
sws.db.exec("SELECT 1; DELETE FROM county")
