#!/bin/bash
# include_cycles.sh — builds the module graph of core/ from its #include lines
# and fails on any cycle, or on a function defined outside its header's module.
#
# A module is a header's name without ".h". A .c file belongs to the module of
# the first project header it includes: its own interface (evaluate.c,
# eval_lua.c and eval_report.c implement evaluate.h; every cmd_*.c implements
# a command of cli.h; every lapi_*.c a module of lapi.h). Each further
# `#include "x.h"` is an edge from the file's module to module x, and `tsort`
# orders the modules or names a cycle. So that the first include cannot hide
# a call the wrong way, every sws_* function a header declares must be
# defined in a .c file of that header's module.
set -u
core=${1:-"$(dirname "$0")/../../core"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

module_of() { sed -n 's/^#include "\([^"]*\)\.h".*/\1/p' "$1" | head -n 1; }

for f in "$core"/*.c "$core"/*.h; do
    name=$(basename "$f")
    case $name in
    *.h) module=${name%.h} ;;
    *.c) module=$(module_of "$f") ;;
    esac
    if [ -z "$module" ]; then
        echo "$name: includes no project header (a .c file includes its own header first)"
        status=1
        continue
    fi
    printf '%s %s\n' "$module" "$module" >>"$work/edges"
    for inc in $(sed -n 's/^#include "\([^"]*\)\.h".*/\1/p' "$f"); do
        [ "$inc" = "$module" ] && continue
        printf '%s %s\n' "$module" "$inc" >>"$work/edges"
        printf '  %s -> %s (%s)\n' "$module" "$inc" "$name" >>"$work/why"
    done
done

# Functions: declared in which header, defined in which module.
for h in "$core"/*.h; do
    m=$(basename "$h" .h)
    grep -v '^typedef' "$h" |
        sed -nE "s/^[A-Za-z][^;(]*[^A-Za-z0-9_](sws_[a-z0-9_]+)\(.*/\1 $m/p"
done | sort -u >"$work/declared"
for c in "$core"/*.c; do
    m=$(module_of "$c")
    grep -E '^[A-Za-z]' "$c" | grep -vE '^(static|typedef|struct|enum|extern)' |
        grep -vE ';[[:space:]]*$' | sed -nE 's/^[^;(]*[^A-Za-z0-9_](sws_[a-z0-9_]+)\(.*/\1/p' |
        while read -r fn; do printf '%s %s %s\n' "$fn" "$m" "$(basename "$c")"; done
done >"$work/defined"
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
    echo "no include cycle; modules, each above those it includes:"
    printf '%s\n' "$order" | tr '\n' ' '
    echo
fi
exit "$status"
