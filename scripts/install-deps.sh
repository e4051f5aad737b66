#!/bin/sh
# Installs what sws needs to build and test on Debian 12 (run as root or with sudo).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    build-essential cmake pkg-config \
    liblua5.4-dev lua5.4 libsqlite3-dev sqlite3 libev-dev libpcre2-dev \
    libcjson-dev libcsv-dev libcmocka-dev valgrind lua-check clang-format git clang libclang-rt-14-dev >/dev/null
echo "sws: dependencies installed"
