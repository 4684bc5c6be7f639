#!/bin/bash
# Requests that reach gpuqd in the same loop turn as its SIGTERM.  The
# turn's changes are committed on the way out, but the reply never goes
# out and the loop never runs the actions that follow a commit.  gqcall -T
# arranges this the same way every time: it stops the daemon, writes the
# request, queues SIGTERM behind it, and lets the daemon go on.
#
#  - job.cancel of a running job: after the restart, the job must end
#    CANCELLED and its process must go, and the client's retry with the
#    same key must be answered.
#  - job.submit: after the restart, a retry with the same key gives one
#    job, and that job runs exactly once.
#
#   stop-race.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
itest_init stop-race
MARK=gpuq-stop-race-$$-$RANDOM

call() { "$GQCALL" -S "$SOCK" "$@"; }

wait_state() {
	local i=0 s
	while [ $i -lt 150 ]; do
		s=$(call job.show "{\"id\":$1}" job.state)
		[ "$s" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "job $1 is $s, not $2"
}

# A cancel that lands with the SIGTERM.
itest_start_gpuqd
id=$(call job.submit "{\"argv\":[\"sh\",\"-c\",\"sleep 60\",\"$MARK\"],
	\"workdir\":\"/\",\"cpus\":0.01,\"mem_mb\":1,\"kill_grace_s\":1}" job.id)
wait_state "$id" RUNNING
itest_wait_proc "$MARK" yes || itest_fail "job $id has no process"
echo "cancel racing SIGTERM: $(call -T "$DPID" job.cancel \
	"{\"id\":$id,\"key\":\"$MARK-cancel\"}")"
wait "$DPID"
DPID=""
itest_start_gpuqd
echo "retry: $(call job.cancel "{\"id\":$id,\"key\":\"$MARK-cancel\"}" \
	job.state cancelling | paste -sd' ')"
wait_state "$id" CANCELLED
itest_wait_proc "$MARK" no || itest_fail "cancelled job $id still runs"
echo "job $id cancelled after the restart"

# A submit that lands with the SIGTERM.
SUB="{\"argv\":[\"sh\",\"-c\",\"echo \$GPUQ_JOB_ID >> $T/ran\"],
	\"workdir\":\"/\",\"cpus\":0.01,\"mem_mb\":1,\"name\":\"raced\",
	\"key\":\"$MARK-submit\"}"
echo "submit racing SIGTERM: $(call -T "$DPID" job.submit "$SUB" | cut -c1-60)"
wait "$DPID"
DPID=""
itest_start_gpuqd
sid=$(call job.submit "$SUB" job.id) || itest_fail "retried submit refused"
wait_state "$sid" COMPLETED
n=$(call job.list '{"all":true}' jobs | grep -o '"name":"raced"' | wc -l)
[ "$n" = 1 ] || itest_fail "$n jobs named raced, not 1"
runs=$(grep -cx "$sid" "$T/ran")
[ "$runs" = 1 ] || itest_fail "job $sid ran $runs times"
echo "submit: job $sid, once"
itest_stop_gpuqd TERM
echo "PASS"
