#!/bin/bash
# cli_install.sh — `cmake --install` to a temporary prefix puts the binary,
# the shared Lua and data (without tests), the docs, the man page and the
# bash completion under it; the installed sws finds PREFIX/share/sws from
# its own location (the prefix may be moved) and never reads the source or
# build tree: as root, both are hidden (tmpfs mounted over them in a private
# mount namespace) while the installed sws runs the demo.
set -eu
. "$(dirname "$0")/testlib.bash"
: "${SWS_BUILD_DIR:?set SWS_BUILD_DIR to the build tree}"

cmake --install "$SWS_BUILD_DIR" --prefix "$W/prefix" >"$W/install.log"
P="$W/prefix"
for f in bin/sws share/sws/policies/default.lua share/sws/policies/330302.lua \
         share/sws/plugins/volunteer_ledger/init.lua share/sws/data/wenzhou_townships.csv \
         share/sws/scripts/station_report.lua share/man/man1/sws.1 \
         share/bash-completion/completions/sws share/doc/sws/README.md share/doc/sws/import.md; do
    [ -e "$P/$f" ] || fail "not installed: $f"
done
# tests and fixtures are not installed
found=$(cd "$P" && find . -name '*_test.lua' -o -path '*/policies/tests*' -o -path '*/tests/*')
eq "$found" "" "tests installed"

# the prefix can move: the binary finds its share folder from where it is
mv "$P" "$W/moved"
P="$W/moved"
mkdir "$W/run" && cd "$W/run"
env -u SWS_HOME "$P/bin/sws" --version >"$W/out"
has "$W/out" "share folder: $P/share/sws"
# SWS_HOME still wins when set
SWS_HOME=/nowhere "$P/bin/sws" --version >"$W/out"
has "$W/out" "share folder: /nowhere"

# the man page: one section per command, from the same text as --help
man_page="$P/share/man/man1/sws.1"
has "$man_page" ".TH SWS 1" "SWS_HOME" ".SH COMMANDS"
for c in $("$P/bin/sws" help | sed -n 's/^  \([a-z][a-z_-]*\)  .*/\1/p'); do
    has "$man_page" ".SS sws $c"
done
"$P/bin/sws" check --help >"$W/help"
has "$man_page" "$(sed -n 3p "$W/help" | sed 's/-/\\-/g')"

# bash completion: commands, subcommands, options, import kinds, counties
completions_of() { # complete WORD… : the completions of the last word
    (
        PATH="$P/bin:$PATH"
        # shellcheck disable=SC1090,SC1091
        . "$P/share/bash-completion/completions/sws"
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        unset SWS_HOME
        _sws
        printf '%s\n' "${COMPREPLY[@]}"
    )
}
eq "$(completions_of sws ch | tr '\n' ' ')" "check " "completion of a command"
eq "$(completions_of sws workflow st | tr '\n' ' ')" "start status " "completion of a subcommand"
completions_of sws check --y >"$W/c" && has "$W/c" "--year"
completions_of sws import wor >"$W/c" && has "$W/c" "workers" "worktime"
completions_of sws import workers w.csv --sk >"$W/c" && has "$W/c" "--skip-bad"
completions_of sws check --county 33030 >"$W/c" && has "$W/c" "330302" "330303"
completions_of sws --d >"$W/c" && has "$W/c" "--db"
eq "$(completions_of sws plugin n | tr '\n' ' ')" "new " "completion of plugin new"
completions_of sws test --format t >"$W/c" && has "$W/c" "tap" "text"
completions_of sws eval explain 330302006 --f >"$W/c" && has "$W/c" "--format"

# the demo from the installed files alone
hide_trees() { # runs the command with the source and build trees hidden (as root)
    if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
        unshare -m sh -c 'mount -t tmpfs none "$1" && { [ ! -d "$2" ] ||
                          mount -t tmpfs none "$2"; } && shift 2 && exec "$@"' \
            sh "$(cd "$SWS_HOME" && pwd -P)" "$(cd "$SWS_BUILD_DIR" && pwd -P)" "$@"
    else
        echo "not root: the source and build trees stay visible (the share folder is still checked)" >&2
        "$@"
    fi
}
hide_trees env -u SWS_HOME "$P/bin/sws" --db "$W/run/demo.db" demo --out "$W/run/dd" \
    >"$W/out" 2>"$W/err" || { cat "$W/err"; fail "the installed demo failed"; }
has "$W/out" "Database: $W/run/demo.db" "synthetic data for 186 stations"
hide_trees env -u SWS_HOME "$P/bin/sws" --db "$W/run/demo.db" policy show 330302 --explain \
    >"$W/out" 2>&1 || { cat "$W/out"; fail "policy show from the installed files"; }
has "$W/out" "min_area_m2"
hide_trees ls "$SWS_HOME" "$SWS_BUILD_DIR" >"$W/out" 2>&1 || true
if [ "$(id -u)" = 0 ]; then lacks "$W/out" "CMakeLists.txt" "CMakeCache.txt"; fi
echo "ok"
