-- expect: read%-only
sws.db.query = nil
