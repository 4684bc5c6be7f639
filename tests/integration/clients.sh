#!/bin/bash
# A thousand clients at once, and clients that leave mid-request: the
# daemon answers them all, keeps serving, and survives (manyclients.c
# holds the assertions).
#
#   clients.sh GPUQD MANYCLIENTS GQCALL
set -u
GPUQD=$1 MANY=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
itest_init clients

# The daemon raises its own descriptor limit to the hard limit; make room.
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 1100 ] ||
	{ echo "SKIP: ulimit -n is $(ulimit -n)"; exit 77; }
itest_start_gpuqd
"$MANY" -S "$SOCK" -n 1000 || itest_fail "manyclients"
kill -0 "$DPID" 2>/dev/null || itest_fail "gpuqd died"
"$GQCALL" -S "$SOCK" server.stats '{}' requests connections ||
	itest_fail "gpuqd no longer answers"
itest_stop_gpuqd TERM
echo "PASS"
