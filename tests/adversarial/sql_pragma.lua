-- expect: not allowed
sws.db.exec("PRAGMA foreign_keys = OFF")
