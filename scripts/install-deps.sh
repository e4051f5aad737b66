#!/bin/sh
# Installs what sws needs to build and test on Debian 12. Run it as root, or
# as a user who may use sudo: it then asks sudo for root itself.
set -eu
if [ "$(id -u)" != 0 ]; then
    exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config \
    liblua5.4-dev lua5.4 libsqlite3-dev sqlite3 libev-dev libpcre2-dev \
    libcjson-dev libcsv-dev libmimalloc-dev libcmocka-dev valgrind lua-check clang-format git \
    chromium chromium-driver python3-selenium fonts-wqy-microhei python3-croniter clang libclang-rt-14-dev >/dev/null
echo "sws: dependencies installed"
