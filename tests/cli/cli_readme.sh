#!/bin/bash
# cli_readme.sh — the README's commands work as written: the demo of "Two
# commands", then every line of "Using it", top to bottom, each exiting 0 (or
# 3, "completed with findings", for the compliance check). The install
# script asks sudo for root only when it is not root already.
set -eu
. "$(dirname "$0")/testlib.bash"

README="$SWS_HOME/README.md"
ln -s "$SWS_HOME/data" "$W/data"
ln -s "$SWS_HOME/scripts" "$W/scripts"
ln -s "$SWS_HOME/policies" "$W/policies"

# "Two commands": no sudo in front of the install script, which elevates itself
grep -qF 'scripts/install-deps.sh && cmake -S . -B build' "$README" || fail "README: command 1"
lacks "$README" "sudo scripts/install-deps.sh"
mkdir "$W/fakebin"
chmod 0755 "$W" # the user below must reach the fake sudo
printf '#!/bin/sh\necho "sudo was asked: $*"\n' >"$W/fakebin/sudo"
chmod 0755 "$W/fakebin/sudo"
as_user() { # as_user CMD…: runs CMD as a user who is not root
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid 65534 --regid 65534 --clear-groups "$@"
    else
        "$@"
    fi
}
as_user env PATH="$W/fakebin:$PATH" sh "$SWS_HOME/scripts/install-deps.sh" >"$W/out" 2>&1 \
    || { cat "$W/out"; fail "install-deps.sh as a user"; }
has "$W/out" "sudo was asked: $SWS_HOME/scripts/install-deps.sh"

# the demo, as command 1 ends
run 0 "$SWS" --db demo.db demo
[ -f demo-data/workers.csv ] || fail "the demo wrote no demo-data/"

# "Using it", line by line
awk '/^## Using it/ { on = 1; next } /^## / { on = 0 } on && /^```sh/ { code = 1; next }
     on && /^```/ { code = 0 } on && code' "$README" >"$W/using"
[ "$(grep -c 'build/sws' "$W/using")" -ge 20 ] || fail "could not read 'Using it'"
n=0
while IFS= read -r line; do
    cmd=$(printf '%s' "$line" | sed -e 's/[[:space:]]\+#.*$//' -e "s|^build/sws|\"\$SWS\"|")
    [ -n "$cmd" ] || continue
    n=$((n + 1))
    got=0
    eval "$cmd" >"$W/out" 2>"$W/err" </dev/null || got=$?
    case $got in
    0) ;;
    3) case $line in *" check "*) ;; *) cat "$W/err"; fail "README line $n: '$line' exited 3" ;; esac ;;
    *) cat "$W/out" "$W/err"; fail "README line $n: '$line' exited $got" ;;
    esac
done <"$W/using"
eq "$n" "$(grep -c . "$W/using")" "lines run"
# what the lines did
eq "$(q city.db 'SELECT count(*) FROM worker')" "$(($(wc -l <demo-data/workers.csv) - 1))" "workers"
eq "$(wc -l <rejects.csv)" 1 "rejects of a clean file"
eq "$(q city.db "SELECT stage FROM workflow_instance WHERE station_code = '330302006'")" \
    approved "stage after the README's advance"
[ -f my-workers.csv ] || fail "no template written"
echo "ok"
