-- expect: may not change the core schema
-- Admin scripts write rows, but the schema belongs to the migrations.
sws.db.exec("CREATE TRIGGER evil AFTER INSERT ON township BEGIN DELETE FROM county; END")
