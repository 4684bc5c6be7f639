#!/bin/bash
# Jobs outlive their daemon.  Jobs run "sleep; exit 7" and "sleep; exit 0";
# gpuqd is stopped with SIGTERM (restarted while the jobs still run: they
# are adopted) and then with SIGKILL (the jobs end while it is down: their
# results are read on restart).  Each time the job processes must still be
# alive after the daemon is gone, and the jobs must end FAILED with exit
# code 7 and COMPLETED with 0.  An adopted job can still be cancelled.
#
#   restart.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
itest_init restart
MARK=gpuq-restart-$$-$RANDOM

call() { "$GQCALL" -S "$SOCK" "$@"; }

# submit NAME SHELL-CMD: prints the new job's id.
submit() {
	call job.submit "{\"argv\":[\"sh\",\"-c\",\"$2\",\"$MARK-$1\"],
		\"workdir\":\"/\",\"name\":\"$1\",\"cpus\":0.01,\"mem_mb\":1,
		\"key\":\"$MARK-$1\"}" job.id
}

# wait_state ID STATE [SECONDS]
wait_state() {
	local i=0 s
	while [ $i -lt $((${3:-20} * 10)) ]; do
		s=$(call job.show "{\"id\":$1}" job.state)
		[ "$s" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "job $1 is $s, not $2"
}

alive() { pgrep -f -- "$MARK-$1" >/dev/null; }

# RUNNING is recorded before the supervisor starts the process: wait for it.
wait_alive() {
	itest_wait_proc "$MARK-$1" yes || itest_fail "job $1 has no process"
}

expect_end() {
	local id=$1 state=$2 code=$3 got
	wait_state "$id" "$state" 20
	got=$(call job.show "{\"id\":$id}" job.exit_code)
	[ "$got" = "$code" ] ||
		itest_fail "job $id exit_code is $got, not $code"
	echo "job $id: $state, exit code $got"
}

# round SIGNAL WAIT-FOR-END
round() {
	local sig=$1 a b
	itest_start_gpuqd
	a=$(submit "fail-$sig" "sleep 4; exit 7")
	b=$(submit "ok-$sig" "sleep 4; exit 0")
	wait_state "$a" RUNNING
	wait_state "$b" RUNNING
	wait_alive "fail-$sig"
	wait_alive "ok-$sig"
	itest_stop_gpuqd "$sig"
	echo "gpuqd stopped with SIG$sig; jobs $a and $b running"
	alive "fail-$sig" && alive "ok-$sig" ||
		itest_fail "the jobs died with the daemon (SIG$sig)"
	if [ "$2" = wait ]; then
		itest_wait_proc "$MARK-fail-$sig" no &&
			itest_wait_proc "$MARK-ok-$sig" no ||
			itest_fail "the jobs did not end"
		echo "the jobs ended while gpuqd was down"
	fi
	itest_start_gpuqd
	if [ "$2" != wait ]; then
		grep -q "job $a adopted" "$T/gpuqd.log" ||
			itest_fail "job $a was not adopted"
	fi
	expect_end "$a" FAILED 7
	expect_end "$b" COMPLETED 0
}

round TERM adopt
itest_stop_gpuqd TERM
round KILL wait

# An adopted job can be cancelled.
c=$(submit long "sleep 60")
wait_state "$c" RUNNING
wait_alive long
itest_stop_gpuqd KILL
alive long || itest_fail "the long job died with the daemon"
itest_start_gpuqd
grep -q "job $c adopted" "$T/gpuqd.log" || itest_fail "job $c not adopted"
call job.cancel "{\"id\":$c,\"key\":\"$MARK-cancel\"}" >/dev/null ||
	itest_fail "cannot cancel job $c"
wait_state "$c" CANCELLED 20
itest_wait_proc "$MARK-long" no ||
	itest_fail "cancelled job $c still has a process"
echo "adopted job $c cancelled"
itest_stop_gpuqd TERM
echo "PASS"
