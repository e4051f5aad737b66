#!/bin/bash
# include_cycles.sh — builds the module graph of core/ from its #include lines
# and fails on any cycle, or on a function defined outside its header's module.
#
# A module is a header's name without ".h"; a header named <module>_internal.h
# is private to its module. A .c file belongs to the module of the first
# project header it includes: its own interface (evaluate.c, eval_lua.c and
# eval_report.c implement evaluate.h; every cmd_*.c implements a command of
# cli.h; every lapi_*.c a module of lapi.h). Each further `#include "x.h"` is
# an edge from the file's module to module x, and `tsort` orders the modules
# or names a cycle. So that the first include cannot hide a call the wrong
# way, every sws_* function a header declares must be defined in a .c file of
# that header's module.
set -u
core=${1:-"$(dirname "$0")/../../core"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

# One pass over every file: edges, declarations and definitions.
awk -v edges="$work/edges" -v why="$work/why" -v decl="$work/declared" -v defn="$work/defined" '
function base(p) { sub(/.*\//, "", p); return p }
function mod(n) { sub(/\.[ch]$/, "", n); sub(/_internal$/, "", n); return n }
function check() { if (file != "" && module == "") { print file ": includes no project header" > "/dev/stderr"; bad = 1 } }
FNR == 1 {
    check()
    file = base(FILENAME); is_h = file ~ /\.h$/
    module = is_h ? mod(file) : ""
    if (is_h) print module, module > edges
}
/^#include "[^"]*\.h"/ {
    inc = $2; gsub(/"/, "", inc); inc = mod(inc)
    if (module == "") { module = inc; print module, module > edges; next }
    if (inc != module) { print module, inc > edges; printf "  %s -> %s (%s)\n", module, inc, file > why }
}
/^[A-Za-z]/ && !/^(static|typedef|struct|enum|extern|#)/ && !/;[[:space:]]*$/ && !is_h {
    if (match($0, /[^A-Za-z0-9_]sws_[a-z0-9_]+\(/) && index(substr($0, 1, RSTART), "(") == 0)
        print substr($0, RSTART + 1, RLENGTH - 2), module, file > defn
}
/^[A-Za-z]/ && !/^typedef/ && is_h {
    if (match($0, /[^A-Za-z0-9_]sws_[a-z0-9_]+\(/) && index(substr($0, 1, RSTART), "(") == 0 &&
        index(substr($0, 1, RSTART), ";") == 0)
        print substr($0, RSTART + 1, RLENGTH - 2), module > decl
}
END { check(); exit bad }
' "$core"/*.c "$core"/*.h || status=1
touch "$work/why" "$work/declared" "$work/defined"

misplaced=$(awk 'NR == FNR { decl[$1] = $2; next }
    ($1 in decl) && decl[$1] != $2 {
        printf "  %s is declared in %s.h but defined in %s (module %s)\n", $1, decl[$1], $3, $2 }' \
    "$work/declared" "$work/defined")
if [ -n "$misplaced" ]; then
    echo "functions defined outside their header's module:"
    echo "$misplaced"
    status=1
fi

if ! order=$(tsort "$work/edges" 2>"$work/err"); then
    echo "include cycle among the modules of core/ (tsort names the modules in it):"
    grep -v 'input contains a loop' "$work/err" | sed 's/^tsort: //' | sort -u | tr '\n' ' '
    echo
    echo "the edges (module -> included module (file)):"
    cat "$work/why"
    status=1
elif [ "$status" = 0 ]; then
    echo "no include cycle; $(wc -l <"$work/defined") sws_* functions defined in their modules;" \
        "modules, each above those it includes:"
    printf '%s\n' "$order" | tr '\n' ' '
    echo
fi
exit "$status"
