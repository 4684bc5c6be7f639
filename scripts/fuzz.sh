#!/bin/sh
# Runs every libFuzzer target for a while (TESTING.md, kind "fuzz").
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Configures build-fuzz/ with clang and GPUQ_FUZZ=ON, builds the targets,
# and runs each for SECONDS (default 60) on all of its corpus: the seeds in
# tests/fuzz/corpus/TARGET plus what earlier runs found, kept in
# build-fuzz/tests/fuzz/corpus-TARGET.  A crash leaves its input in
# build-fuzz/tests/fuzz/TARGET-crash-* and makes the script fail.
# Environment: BUILD (the build dir), CC (default clang), JOBS.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-fuzz}
secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-"fuzz-frame fuzz-proto fuzz-sweep"}

case $secs in
''|*[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

CC=${CC:-clang} cmake -S "$root" -B "$build" -DGPUQ_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
# shellcheck disable=SC2086
cmake --build "$build" -j "${JOBS:-2}" --target $targets

status=0
for t in $targets; do
	dir=$build/tests/fuzz
	mkdir -p "$dir/corpus-$t"
	echo "== $t: $secs s"
	if ! "$dir/$t" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$dir/$t-" \
	    "$dir/corpus-$t" "$root/tests/fuzz/corpus/$t"; then
		echo "== $t: FAILED (see $dir/$t-*)" >&2
		status=1
	fi
done
exit $status
