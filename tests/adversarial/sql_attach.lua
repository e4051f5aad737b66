-- expect: not allowed
sws.db.exec("ATTACH DATABASE ? AS other", "/tmp/other.db")
