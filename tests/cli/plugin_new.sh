#!/usr/bin/env bash
# A county's first plugin: `sws plugin new` writes one that loads and passes
# its test; with it (and a rule of its own that finds something at every
# station) added to a copy of the share folder, the shipped tests (`sws test`,
# `sws policy test`) stay green; its rule's findings point at its file; `sws
# test` filters by name, writes TAP and JUnit XML, and names the plugin
# behind a finding a failed test did not expect.
set -eu
. "$(dirname "$0")/testlib.bash"

src="$SWS_HOME"
H="$W/home"
mkdir -p "$H/tests"
cp -r "$src/policies" "$src/plugins" "$src/data" "$H/"
cp -r "$src/tests/lua" "$H/tests/"
export SWS_HOME="$H"

# ---- the template -----------------------------------------------------------
run 0 "$SWS" plugin new county_extra
has "$W/out" "wrote $H/plugins/county_extra/: manifest.lua, init.lua" "try it: sws test $H/plugins/county_extra"
for f in manifest.lua init.lua county_extra_test.lua; do
    [ -s "$H/plugins/county_extra/$f" ] || fail "plugin new wrote no $f"
done
has "$H/plugins/county_extra/init.lua" 'sws.on("import.completed"' 'sws.rule("county_extra_address"' \
    'sws.command("county_extra"'
run 1 "$SWS" plugin new county_extra
has "$W/err" "county_extra exists already: choose another name"
run 2 "$SWS" plugin new County-Extra
has "$W/err" "plugin name 'County-Extra': a plugin name begins with a letter a-z"
run 2 "$SWS" plugin new
run 2 "$SWS" plugin new x --county 330302
has "$W/err" "new takes no option '--county'"
mkdir elsewhere
run 0 "$SWS" plugin new other --dir elsewhere
has "$W/out" "wrote elsewhere/other/" "sws loads plugins from $H/plugins"
[ -s elsewhere/other/other_test.lua ] || fail "--dir: no test written"
run 0 "$SWS" --db p.db init
run 0 "$SWS" --db p.db plugin list
grep -qE '^county_extra +0\.1\.0 +loaded ' "$W/out" || { cat "$W/out"; fail "the new plugin is not loaded"; }

# its own test passes as written
run 0 "$SWS" test "$H/plugins/county_extra"
has "$W/out" "ok   the event handler counts the rows each import stored" \
    "ok   the rule finds the station without an address, and points at the plugin" \
    "ok   the command's list: the stations without an address" "3 passed, 0 failed"

# ---- a county rule that finds something at every station ----------------------
sed -i 's/^return M$//' "$H/plugins/county_extra/init.lua"
cat >> "$H/plugins/county_extra/init.lua" <<'LUA'
-- the county's own standard, judged at every station
sws.rule("county_extra_everywhere", function(ctx)
  for _, st in ipairs(ctx.stations) do
    ctx.find(st.code, { message = "judged by the county's own standard" })
  end
end, { severity = "advice" })

return M
LUA
line=$(grep -n 'sws.rule("county_extra_everywhere"' "$H/plugins/county_extra/init.lua" | cut -d: -f1)
rule_line=$(grep -n 'sws.rule("county_extra_address"' "$H/plugins/county_extra/init.lua" | cut -d: -f1)

# the shipped tests stay green with it
run 0 "$SWS" test
has "$W/out" "county_extra_test.lua" "0 failed"
run 0 "$SWS" policy test "$H/policies/tests"
has "$W/out" "rules_test.lua" "0 failed"
lacks "$W/out" "FAIL"
# the policy tests do not exercise the plugin's address rule (its own test does): said so
has "$W/out" "never exercised: rule 'county_extra_address'"
lacks "$W/out" "never exercised: rule 'county_extra_everywhere'"

# its findings point at its file and line, and name it
run 0 "$SWS" --db p.db import counties "$SWS_TEST_DATA/wenzhou_counties.csv"
printf 'code,name,county_code\n330302001,五马街道,330302\n330302002,松台街道,330302\n' > t.csv
run 0 "$SWS" --db p.db import townships t.csv
printf 'code,name,address\n330302001,五马街道社会工作站,解放街1号\n330302002,松台街道社会工作站,\n' > s.csv
run 0 "$SWS" --db p.db import stations s.csv
run 3 "$SWS" --db p.db check --county 330302 --year 2022 --format json
python3 - "$W/out" "$line" "$rule_line" <<'PY' || fail "plugin findings in check --format json"
import json, sys
d = json.load(open(sys.argv[1]))
mine = [f for f in d["findings"] if f.get("plugin") == "county_extra"]
every = sorted(f["station"] for f in mine if f["rule"] == "county_extra_everywhere")
assert every == ["330302001", "330302002"], mine
assert all(f["layer"] == "plugins/county_extra/init.lua:" + sys.argv[2]
           for f in mine if f["rule"] == "county_extra_everywhere"), mine
addr = [f for f in mine if f["rule"] == "county_extra_address"]
assert [(f["station"], f["severity"], f["layer"]) for f in addr] == \
    [("330302002", "advice", "plugins/county_extra/init.lua:" + sys.argv[3])], addr
# the shipped plugin's rule points at its own file too; the core's at the policy
vol = [f for f in d["findings"] if f["rule"] == "volunteer_service"]
assert vol and all(f["plugin"] == "volunteer_ledger" and
                   f["layer"].startswith("plugins/volunteer_ledger/init.lua:") for f in vol), vol
assert all("plugin" not in f and f["layer"].startswith("policies/")
           for f in d["findings"] if f["rule"] in ("staffing", "rooms")), d["findings"]
PY
run 3 "$SWS" --db p.db county_extra 330302
has "$W/out" "330302002  松台街道社会工作站" "1 station without an address"
# a county policy that sets the rule's severity is where its findings point
cat > "$H/policies/330302.lua" <<'LUA'
return sws.policy.extend("default", {
  name = "330302", version = "test.1",
  rules = { county_extra_address = "warning" },
})
LUA
run 3 "$SWS" --db p.db check --station 330302002 --year 2022 --format json
python3 - "$W/out" <<'PY' || fail "a policy's severity of a plugin rule"
import json, sys
f = [f for f in json.load(open(sys.argv[1]))["findings"] if f["rule"] == "county_extra_address"]
assert [(x["severity"], x["layer"]) for x in f] == [("warning", "policies/330302.lua:3")], f
PY
cp "$src/policies/330302.lua" "$H/policies/330302.lua"

# ---- a test that does not expect the finding names the plugin ------------------
cat > "$H/plugins/county_extra/strict_test.lua" <<'LUA'
test("a station with an address has no finding at all", function()
  fixture.import("counties", "code,name\n330302,鹿城区\n")
  fixture.import("townships", "code,name,county_code\n330302001,五马街道,330302\n")
  fixture.import("stations", "code,name,address\n330302001,五马街道社会工作站,解放街1号\n")
  local rules = {}
  for _, f in ipairs(sws.check{ station = "330302001", year = 2022, as_of = "2022-12-31" }.findings) do
    if f.plugin == "county_extra" then rules[#rules + 1] = f.rule end
  end
  assert_eq(rules, {})
end)
LUA
run 1 "$SWS" test "$H/plugins/county_extra/strict_test.lua"
has "$W/out" "FAIL a station with an address has no finding at all" \
    "tables differ in 1 key:" "[1]: expected nil, got \"county_extra_everywhere\"" \
    "finding of a plugin rule: rule 'county_extra_everywhere' of plugin county_extra (plugins/county_extra/init.lua:$line) at 330302001: judged by the county's own standard" \
    "0 passed, 1 failed"

# ---- the name filter, TAP and JUnit XML ------------------------------------------
run 0 "$SWS" test "$H/plugins/county_extra/county_extra_test.lua" address
has "$W/out" "ok   the rule finds the station without an address" "ok   the command's list: the stations without an address" "2 passed, 0 failed"
lacks "$W/out" "event handler"
run 0 "$SWS" test "counts the rows"
has "$W/out" "county_extra_test.lua" "1 passed, 0 failed"
run 1 "$SWS" test "$H/plugins/county_extra/county_extra_test.lua" no_such_test
has "$W/err" "no test name contains no_such_test"
run 1 "$SWS" test "$H/plugins/county_extra" --format tap
has "$W/out" "TAP version 13" "ok 1 - $H/plugins/county_extra/county_extra_test.lua: the event handler counts" \
    "not ok 4 - $H/plugins/county_extra/strict_test.lua: a station with an address has no finding at all" \
    "  message: |" "1..4"
run 1 "$SWS" test "$H/plugins/county_extra" --format junit
python3 - "$W/out" "$H" <<'PY' || fail "JUnit XML"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "1", root.attrib
suites = {s.get("name"): s for s in root.findall("testsuite")}
base = sys.argv[2] + "/plugins/county_extra/"
assert suites[base + "county_extra_test.lua"].get("failures") == "0"
strict = suites[base + "strict_test.lua"]
case = strict.find("testcase")
assert case.get("name") == "a station with an address has no finding at all", case.attrib
failure = case.find("failure")
assert "tables differ in 1 key" in failure.text and "plugin county_extra" in failure.text, failure.text
assert "\n" not in failure.get("message"), failure.get("message")
PY
run 2 "$SWS" test --format xml
has "$W/err" "--format is text, tap or junit, not 'xml'"
echo "a new plugin loads, passes its test, and leaves the shipped tests green"
