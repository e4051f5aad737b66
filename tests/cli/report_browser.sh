#!/usr/bin/env bash
# The annual HTML report of a county opened from disk in headless Chromium
# (Debian's chromium, chromium-driver and python3-selenium; no network):
# its charts and tables are found by id and drawn, the console has no error,
# nothing is fetched, and a full-page screenshot is saved into the test
# output ($SWS_TEST_OUTPUT, else the build folder), its path printed.
set -eu
. "$(dirname "$0")/testlib.bash"

for tool in /usr/bin/chromium /usr/bin/chromedriver /usr/bin/python3; do
    [ -x "$tool" ] || fail "$tool is missing: run scripts/install-deps.sh"
done
/usr/bin/python3 -c 'import selenium' || fail "python3-selenium is missing: run scripts/install-deps.sh"

head -1 "$SWS_HOME/data/wenzhou_townships.csv" > townships.csv
grep '^330303' "$SWS_HOME/data/wenzhou_townships.csv" >> townships.csv
run 0 "$SWS" generate --townships townships.csv --out gen --year 2022
run 0 "$SWS" --db x.db init
run 0 "$SWS" --db x.db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
for kind in townships villages stations rooms facilities institutions workers trainings \
            worktime contacts mentoring volunteers volunteer_service orgs charity clients \
            services funding; do
    run 0 "$SWS" --db x.db import $kind gen/$kind.csv
done
run 0 "$SWS" --db x.db report annual --county 330303 --year 2022 --as-of 2022-12-31 \
    --format html --out annual-330303.html

OUT=${SWS_TEST_OUTPUT:-$W}
mkdir -p "$OUT"
shot="$OUT/annual-330303-2022.png"
rm -f "$shot"
HOME="$W" run 0 /usr/bin/python3 "$SWS_HOME/tests/browser/annual_report.py" annual-330303.html "$shot"
cat "$W/out"
[ -s "$shot" ] || fail "no screenshot at $shot"
grep -qE "^screenshot: .* \(1240x[0-9]+ px\)$" "$W/out" || fail "screenshot size not reported"
echo "report_browser: ok"
