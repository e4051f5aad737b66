#!/bin/sh
# Checks the style (scripts/check-style.sh: luacheck, clang-format), builds sws
# with AddressSanitizer + UndefinedBehaviorSanitizer and warnings as errors,
# then runs the whole test suite under ctest, then each libFuzzer target of
# tests/fuzz for a short time ($SWS_FUZZ_SECONDS each, default 20; 0 skips).
set -eu
cd "$(dirname "$0")/.."
scripts/check-style.sh
cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DSWS_SANITIZE=ON -DSWS_WERROR=ON >/dev/null
cmake --build build-test -j "$(nproc)"
ctest --test-dir build-test --output-on-failure -j "$(nproc)"
fuzz=${SWS_FUZZ_SECONDS:-20}
if [ "$fuzz" != 0 ]; then
    scripts/fuzz.sh "$fuzz"
fi
