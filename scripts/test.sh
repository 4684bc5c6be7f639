#!/bin/sh
# Installs what is missing, builds with warnings as errors and runs every
# test: a short smoke run of each fuzz target (built with clang and
# libFuzzer) first, then all ctest labels but bench.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
sh scripts/install-deps.sh
JOBS=$(nproc)
status=0

if command -v clang >/dev/null 2>&1; then
	FUZZ=${FUZZ_BUILD:-$TOP/build-fuzz}
	CC=clang cmake -S . -B "$FUZZ" -DGPUQ_FUZZ=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$FUZZ" -j"$JOBS" --target fuzz-frame fuzz-proto \
		fuzz-theme fuzz-conf fuzz-logbuf fuzz-rpc fuzz-ssh-config \
		fuzz-knownhosts fuzz-sweep
	(cd "$FUZZ" && ctest -L fuzz --output-on-failure) || status=1
fi

BUILD=${BUILD:-$TOP/build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGPUQ_WERROR=ON >/dev/null
cmake --build "$BUILD" -j"$JOBS"
(cd "$BUILD" && ctest -j"$JOBS" -LE bench --output-on-failure --timeout 600) ||
	status=1
exit $status
