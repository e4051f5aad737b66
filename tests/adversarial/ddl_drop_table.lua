-- expect: may not change the core schema
-- Admin scripts write rows, but the schema belongs to the migrations.
sws.db.exec("DROP TABLE service_record")
