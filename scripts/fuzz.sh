#!/bin/sh
# scripts/fuzz.sh [SECONDS] [TARGET…]: builds the libFuzzer targets of tests/fuzz
# with clang (ASan + UBSan, coverage) in build-fuzz/, then runs each for SECONDS
# (default 60) on one core, starting from its seeds in tests/fuzz/<name>/ and the
# corpus it grew before (build-fuzz/corpus/<name>/). Prints each target's run time,
# executions and executions per second; a crash stops with exit 1, leaving the
# input in build-fuzz/crashes/ (turn it into a seed and a regression test).
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-csv policy json re}
command -v clang >/dev/null || { echo "fuzz: clang is not installed (scripts/install-deps.sh)" >&2; exit 1; }
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWS_FUZZ=ON >/dev/null
cmake --build build-fuzz -j 2 >/dev/null
mkdir -p build-fuzz/crashes
status=0
for t in $targets; do
    corpus=build-fuzz/corpus/$t
    mkdir -p "$corpus"
    log=build-fuzz/fuzz_$t.log
    # -rss_limit_mb: the sandbox's own memory budget is 32-64 MiB per input
    if SWS_HOME=$PWD build-fuzz/tests/fuzz/fuzz_$t "$corpus" "tests/fuzz/$t" \
           -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=30 \
           -artifact_prefix=build-fuzz/crashes/"$t"- >"$log" 2>&1; then
        result=ok
    else
        result="CRASH (see $log and build-fuzz/crashes/)"
        status=1
    fi
    awk -v t="$t" -v r="$result" '
        /stat::number_of_executed_units/ { n = $2 }
        /stat::average_exec_per_sec/ { rate = $2 }
        END { printf "fuzz %-7s %s s, %d executions, %d exec/s: %s\n", t, s, n, rate, r }
    ' s="$secs" "$log"
done
exit $status
