#!/bin/sh
# Installs what is missing, builds with warnings as errors, runs every test
# (all ctest labels but bench), and the fuzz smoke runs when clang is here.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
BUILD=${BUILD:-build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGPUQ_WERROR=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
ctest -j"$(nproc)" -LE bench --output-on-failure --timeout 600
