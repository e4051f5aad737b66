#!/usr/bin/env bash
# volunteer_year (each volunteer's service per year under the volunteer's
# station, kept by triggers) stays equal to the volunteer service records:
# after imports, a kill -9 during an import, corrections by a script and
# edits in the sqlite3 shell (a volunteer moving station, records of a
# volunteer not on file). Plain SQL recomputes it, `sws doctor` finds and
# repairs a difference made behind its back, and a whole year's evaluation
# reads it.
set -eu
. "$(dirname "$0")/testlib.bash"

# volunteer_year recomputed by plain SQL must equal the kept rows, row by row
same_as_sql() {
    kept_agrees x.db "$1" volunteer_year "SELECT station_code, year, volunteer_code, ms, services
        FROM volunteer_year ORDER BY volunteer_code, year" \
        "SELECT v.station_code, substr(s.date, 1, 4), s.volunteer_code,
        sum(CAST(round(s.hours * 3600000) AS INTEGER)), count(*)
        FROM volunteer_service s JOIN volunteer v ON v.code = s.volunteer_code
        GROUP BY s.volunteer_code, substr(s.date, 1, 4) ORDER BY 3, 2"
}

# rows V Y: volunteer V's kept rows in year Y
rows() {
    sqlite3 x.db "SELECT count(*) FROM volunteer_year WHERE volunteer_code = '$1' AND year = $2"
}

load_wenzhou_units x.db 1000 stations volunteers
eq "$(sqlite3 x.db 'SELECT count(*) FROM volunteer_year')" 0 "volunteer-years before any service"

# 1. a kill -9 in the middle of an import of volunteer service: all or nothing
import_killed x.db volunteer_service gen/volunteer_service.csv 0.3
same_as_sql "after kill -9"

# 2. the import
[ "$(sqlite3 x.db 'SELECT count(*) FROM volunteer_service')" != 0 ] ||
    run 0 "$SWS" --db x.db --no-plugins import volunteer_service gen/volunteer_service.csv
eq "$(sqlite3 x.db 'SELECT sum(services) FROM volunteer_year')" \
   "$(($(wc -l < gen/volunteer_service.csv) - 1))" "services counted after the import"
[ "$(sqlite3 x.db 'SELECT count(*) FROM volunteer_year')" -gt 100 ] || fail "too few volunteer-years"
same_as_sql "after the import"

# 3. a script's corrections: re-dated into another year, moved to another
#    volunteer, changed hours, deleted, added
v1=$(sqlite3 x.db "SELECT volunteer_code FROM volunteer_service ORDER BY id LIMIT 1")
v2=$(sqlite3 x.db "SELECT code FROM volunteer WHERE code <> '$v1' ORDER BY code DESC LIMIT 1")
cat > fix.lua <<LUA
local first = sws.db.query("SELECT min(id) AS id FROM volunteer_service")[1].id
sws.db.exec("UPDATE volunteer_service SET date = '2021-03-04', hours = 2.25 WHERE id = ?", first)
sws.db.exec("UPDATE volunteer_service SET volunteer_code = ? WHERE id = ?", "$v2", first + 1)
sws.db.exec("UPDATE volunteer_service SET hours = 7.95 WHERE id = ?", first + 2)
sws.db.exec("DELETE FROM volunteer_service WHERE id BETWEEN ? AND ?", first + 3, first + 9)
sws.db.exec("INSERT INTO volunteer_service(volunteer_code, date, hours, activity) VALUES(?, '2023-05-06', 0.35, 'x')", "$v1")
LUA
run 0 "$SWS" --db x.db run fix.lua
same_as_sql "after a script's corrections"
eq "$(rows "$v1" 2021)" 1 "the service moved to 2021"
eq "$(sqlite3 x.db "SELECT ms, services FROM volunteer_year WHERE volunteer_code = '$v1' AND year = 2023")" \
   "1260000|1" "0.35 hours in 2023"

# 4. edits in the sqlite3 shell: hours, dates and volunteers changed, every
#    record of a volunteer-year deleted, a volunteer moving station (to one
#    open by mid-year, evaluated in both phases below)
st=$(sqlite3 x.db "SELECT code FROM station WHERE code <> (SELECT station_code FROM volunteer
                   WHERE code = '$v2') AND opened <= '2022-06-30' ORDER BY code LIMIT 1")
sqlite3 x.db "UPDATE volunteer_service SET hours = hours + 0.1 WHERE id % 7 = 0;
              UPDATE volunteer_service SET date = '2020-12-31' WHERE id % 11 = 0;
              UPDATE volunteer_service SET volunteer_code = '$v1' WHERE id % 13 = 0;
              DELETE FROM volunteer_service WHERE volunteer_code = '$v1' AND date LIKE '2022-%';
              UPDATE volunteer SET station_code = '$st' WHERE code = '$v2'"
same_as_sql "after sqlite3 edits"
eq "$(rows "$v1" 2022)" 0 "a volunteer-year without records"
[ "$(rows "$v1" 2020)" -gt 0 ] || fail "the services moved to 2020 were not counted in 2020"
eq "$(sqlite3 x.db "SELECT DISTINCT station_code FROM volunteer_year WHERE volunteer_code = '$v2'")" \
   "$st" "the rows of the volunteer who moved station"

# 5. foreign keys off (the sqlite3 shell's default): a record of a volunteer
#    not on file is counted nowhere, then under the volunteer once filed, and
#    nowhere again once the volunteer's code changes
sqlite3 x.db "INSERT INTO volunteer_service(volunteer_code, date, hours) VALUES('VNOBODY', '2022-02-02', 3)"
same_as_sql "after a record of a volunteer not on file"
eq "$(rows VNOBODY 2022)" 0 "a volunteer not on file"
sqlite3 x.db "INSERT INTO volunteer(code, station_code, name) VALUES('VNOBODY', '$st', 'x')"
same_as_sql "after the volunteer was filed"
eq "$(sqlite3 x.db "SELECT station_code, ms FROM volunteer_year WHERE volunteer_code = 'VNOBODY'")" \
   "$st|10800000" "the filed volunteer's row"
sqlite3 x.db "UPDATE volunteer SET code = 'VSOMEONE' WHERE code = 'VNOBODY'"
same_as_sql "after the volunteer's code changed"
sqlite3 x.db "DELETE FROM volunteer_service WHERE volunteer_code = 'VNOBODY'; DELETE FROM volunteer WHERE code = 'VSOMEONE'"

# 6. a whole year's evaluation reads volunteer_year, the mid-term the
#    records; the doctor finds a hand-made difference and repairs it
station_of() { sqlite3 x.db "SELECT station_code FROM volunteer WHERE code = '$1'"; }
s2=$(station_of "$v2")
hours_said() {
    run 3 "$SWS" --db x.db --no-plugins eval explain "$s2" --year 2022 --phase "$1"  # scores missing
    grep -o '[0-9.]* volunteer hours' "$W/out"
}
final=$(hours_said final)
mid=$(hours_said mid)
sqlite3 x.db "UPDATE volunteer_year SET ms = ms + 36000000 WHERE volunteer_code = '$v2' AND year = 2022"
[ "$(hours_said final)" != "$final" ] || fail "the final evaluation did not read volunteer_year"
eq "$(hours_said mid)" "$mid" "the mid-term hours (read from the records)"
# one volunteer-year differs: its kept row and its recomputed row are listed
run 3 "$SWS" --db x.db --no-plugins doctor
has "$W/out" "volunteer $v2, 2022, station $s2 (kept)" "volunteer $v2, 2022, station $s2 (in the records)" \
    "1 volunteer-year of volunteer_year differs from the volunteer service records" \
    "run \`sws doctor --repair\`"
run 0 "$SWS" --db x.db --no-plugins doctor --repair
has "$W/out" "1 volunteer-year of volunteer_year differs" "recomputed from the records"
same_as_sql "after the repair of one volunteer-year"
eq "$(hours_said final)" "$final" "the final hours after the repair"

# 7. the doctor finds and repairs the differences a missing trigger leaves
sqlite3 x.db "DROP TRIGGER volunteer_service_year_remove; DELETE FROM volunteer_service WHERE id % 5 = 0"
run 3 "$SWS" --db x.db --no-plugins doctor
has "$W/out" "volunteer-years of volunteer_year differ from the volunteer service records" \
    "(kept)" "(in the records)" "… and "
run 0 "$SWS" --db x.db --no-plugins doctor --repair
same_as_sql "after the repair"
echo "volunteer_year stayed equal to the volunteer service records"
