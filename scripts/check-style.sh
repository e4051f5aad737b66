#!/bin/sh
# Checks the style of the sources with the field's tools, without rewriting
# anything: luacheck (Debian's lua-check, settings in .luacheckrc) over every
# Lua file, and clang-format (.clang-format) over the C files it fully agrees
# with, listed in scripts/clang-format-files.txt. The hand-wrapped long calls
# of the other files are a layout clang-format cannot reproduce; see
# docs/design.md, "Style checks". Exit status 1 on any finding.
set -eu
cd "$(dirname "$0")/.."
for tool in luacheck clang-format; do
    command -v "$tool" >/dev/null || { echo "check-style: $tool is missing (scripts/install-deps.sh)"; exit 1; }
done
status=0
luacheck --quiet --codes . || status=1
# shellcheck disable=SC2046
clang-format --dry-run -Werror $(grep -v '^#' scripts/clang-format-files.txt) || status=1
[ "$status" = 0 ] && echo "check-style: luacheck and clang-format found nothing"
exit "$status"
