#!/bin/bash
# kill -9 gpuqd while a thousand submits are in flight from several
# clients, three times over at random moments (the second time SIGTERM),
# restarting it on the same state dir each time.  A twin client sends some
# of the same keys at the same time.  Then: every acknowledged job exists
# with its key, each key gives its job back, and no job ran twice (each
# run appends its id to a marker file).
#
#   crash.sh GPUQD LOADGEN CRASHCHECK GQCALL
set -u
GPUQD=$1 LOADGEN=$2 CHECK=$3 GQCALL=$4
. "$(dirname "$0")/lib.sh"
itest_init crash

ROUNDS=${CRASH_ROUNDS:-3}
CLIENTS=6
PER_CLIENT=170
CMD="echo \$GPUQ_JOB_ID \$GPUQ_RESTART_COUNT >> $T/ran"
ACKED=$T/acked
lost_rounds=0

acked() { if [ -f "$ACKED" ]; then wc -l <"$ACKED"; else echo 0; fi; }

for r in $(seq 1 "$ROUNDS"); do
	itest_start_gpuqd
	"$LOADGEN" -S "$SOCK" -c $CLIENTS -n $PER_CLIENT -k "r$r" \
		-o "$ACKED" --cmd "$CMD" >"$T/loadgen.$r" 2>&1 &
	LPID=$!
	# A twin retrying the first two clients' keys at the same time: each
	# key must still make one job.
	"$LOADGEN" -S "$SOCK" -c 2 -n $PER_CLIENT -k "r$r" \
		-o "$ACKED" --cmd "$CMD" >"$T/twin.$r" 2>&1 &
	TPID=$!
	ITEST_PIDS="$LPID $TPID"
	# Kill at a random point of the round: once 50 to 850 more submits
	# are acknowledged (of 1360), whatever the machine's speed.
	goal=$(( $(acked) + 50 + RANDOM % 800 ))
	while [ "$(acked)" -lt "$goal" ] && kill -0 "$LPID" 2>/dev/null; do
		sleep 0.01
	done
	# Round 2 stops it politely (SIGTERM): the same must hold.
	sig=KILL
	[ "$r" = 2 ] && sig=TERM
	itest_stop_gpuqd $sig
	wait "$LPID" "$TPID"
	ITEST_PIDS=""
	echo "round $r: SIG$sig to gpuqd; $(cat "$T/loadgen.$r")"
	grep -q ' 0 lost' "$T/loadgen.$r" || lost_rounds=$((lost_rounds + 1))
done

[ -s "$ACKED" ] || itest_fail "no submit was acknowledged"
[ "$lost_rounds" -gt 0 ] ||
	itest_fail "every round finished before the kill: nothing was in flight"

itest_start_gpuqd
"$CHECK" -S "$SOCK" -a "$ACKED" -m "$T/ran" -t 150 --cmd "$CMD" ||
	itest_fail "crash invariants broken"
grep -c 'adopted\|requeued\|never started' "$T/gpuqd.log" |
	sed 's/^/recovery log lines: /'
itest_stop_gpuqd TERM
echo "PASS"
