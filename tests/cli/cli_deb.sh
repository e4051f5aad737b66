#!/bin/bash
# cli_deb.sh — `cpack -G DEB` builds a Debian package with the right
# dependencies and the installed files (no tests); unpacked anywhere, its
# sws runs from its own /usr tree. With SWS_TEST_DEB_INSTALL=1 (CI, as root,
# on a throwaway machine) the package is also installed with `dpkg -i`, the
# demo is run from /usr/bin/sws and the package is removed again; without it
# the machine is left alone. Skipped (exit 77) where dpkg-deb or cpack is
# missing.
set -eu
. "$(dirname "$0")/testlib.bash"
: "${SWS_BUILD_DIR:?set SWS_BUILD_DIR to the build tree}"

command -v dpkg-deb >/dev/null && command -v cpack >/dev/null || {
    echo "skipped: needs dpkg-deb and cpack"
    exit 77
}
cpack -G DEB -B "$W/pkg" --config "$SWS_BUILD_DIR/CPackConfig.cmake" >"$W/cpack.log" 2>&1 \
    || { cat "$W/cpack.log"; fail "cpack failed"; }
deb=$(ls "$W"/pkg/sws_*.deb)
[ -f "$deb" ] || fail "no package built"

dpkg-deb -I "$deb" >"$W/info"
has "$W/info" "Package: sws" "Depends: liblua5.4-0" "libsqlite3-0" "libev4" "libpcre2-8-0" \
    "libcjson1" "libcsv3"
dpkg-deb -c "$deb" >"$W/list"
has "$W/list" "./usr/bin/sws" "./usr/share/sws/policies/default.lua" \
    "./usr/share/sws/plugins/volunteer_ledger/init.lua" "./usr/share/sws/data/wenzhou_townships.csv" \
    "./usr/share/man/man1/sws.1" "./usr/share/bash-completion/completions/sws" \
    "./usr/share/doc/sws/README.md"
lacks "$W/list" "_test.lua" "policies/tests"

# unpacked into a folder, the package's sws uses the package's share folder
dpkg-deb -x "$deb" "$W/root"
env -u SWS_HOME "$W/root/usr/bin/sws" --version >"$W/out"
has "$W/out" "share folder: $W/root/usr/share/sws"
cd "$W"
env -u SWS_HOME "$W/root/usr/bin/sws" policy check >"$W/out" 2>&1 || { cat "$W/out"; fail "policy check"; }
has "$W/out" "default.lua" "ok"

if [ "${SWS_TEST_DEB_INSTALL:-0}" = 1 ]; then
    [ "$(id -u)" = 0 ] || fail "SWS_TEST_DEB_INSTALL=1 needs root"
    dpkg -i "$deb" >"$W/dpkg.log" 2>&1 || { cat "$W/dpkg.log"; fail "dpkg -i failed"; }
    env -u SWS_HOME /usr/bin/sws --db "$W/demo.db" demo --out "$W/dd" >"$W/out" 2>"$W/err" \
        || { cat "$W/err"; dpkg -r sws >/dev/null; fail "demo from the installed package"; }
    has "$W/out" "synthetic data for 186 stations"
    env -u SWS_HOME /usr/bin/sws --version >"$W/out"
    has "$W/out" "share folder: /usr/share/sws"
    dpkg -r sws >/dev/null
else
    echo "dpkg -i not tried (set SWS_TEST_DEB_INSTALL=1 on a throwaway machine, as root)"
fi
echo "ok"
