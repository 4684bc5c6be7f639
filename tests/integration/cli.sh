#!/bin/bash
# The gpuq CLI against a real gpuqd on four simulated GPUs: a fractional
# job learns its GPU and share from its environment, ls --json, cancel,
# logs, and the documented exit codes (0 done, 1 refused or unreachable,
# 2 bad usage).
#
#   cli.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
itest_init cli
MARK=gpuq-cli-$$-$RANDOM

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

wait_state() {
	local i=0 s
	while [ $i -lt 200 ]; do
		s=$(call job.show "{\"id\":$1}" job.state)
		[ "$s" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "job $1 is $s, not $2"
}

# expect_rc CODE COMMAND...: runs a gpuq command, checks its exit status.
expect_rc() {
	local want=$1 rc
	shift
	gpuq "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = "$want" ] ||
		itest_fail "gpuq $* exited $rc, not $want: $(cat "$T/err")"
}

submitted_id() { sed -n 's/^Submitted job \([0-9][0-9]*\).*/\1/p' "$T/out"; }

itest_start_gpuqd --fake-gpus 4:H100-80GB

# A half GPU: the job sees one GPU's UUID and its share.
cd "$T" || exit 1
expect_rc 0 submit --gpus 0.5 -- sh -c 'echo $CUDA_VISIBLE_DEVICES $GPUQ_GPU_FRACTION'
a=$(submitted_id)
[ -n "$a" ] || itest_fail "submit printed no job id: $(cat "$T/out")"
wait_state "$a" COMPLETED
expect_rc 0 logs "$a"
uuids=$(call cluster.status '{}' nodes.0.gpus.0.uuid nodes.0.gpus.1.uuid \
	nodes.0.gpus.2.uuid nodes.0.gpus.3.uuid)
read -r uuid share <"$T/out"
echo "job $a saw: $uuid $share"
case "$uuid" in GPU-*) ;; *) itest_fail "no GPU UUID in the log: $uuid" ;; esac
echo "$uuids" | grep -qx -- "$uuid" || itest_fail "$uuid is not a GPU of the node"
[ "$share" = 0.5 ] || itest_fail "GPUQ_GPU_FRACTION is $share, not 0.5"

# ls --json: finished jobs only with --all.
expect_rc 0 ls --json --all
grep -q "\"id\":$a," "$T/out" || itest_fail "ls --json --all lacks job $a"
expect_rc 0 ls --json
grep -q "\"id\":$a," "$T/out" && itest_fail "ls --json lists finished job $a"

# Cancel a running job: CANCELLED, and its process is gone.
expect_rc 0 submit --gpus 1 --name sleeper -- sh -c 'sleep 600' "$MARK"
b=$(submitted_id)
wait_state "$b" RUNNING
expect_rc 0 ls --json
grep -q "\"id\":$b," "$T/out" || itest_fail "ls --json lacks running job $b"
grep -q '"RUNNING"' "$T/out" || itest_fail "ls --json shows no RUNNING job"
itest_wait_proc "$MARK" yes || itest_fail "job $b has no process"
expect_rc 0 cancel "$b"
wait_state "$b" CANCELLED
expect_rc 0 show "$b"
grep -q CANCELLED "$T/out" || itest_fail "gpuq show $b does not say CANCELLED"
itest_wait_proc "$MARK" no || itest_fail "cancelled job $b still runs"
echo "job $b cancelled"

# Exit codes.
expect_rc 2 submit --no-such-option -- true
expect_rc 2 submit
expect_rc 2 submit --gpus 1.5 -- true        # a bad value, refused locally
expect_rc 1 submit --gpus 8 -- true          # ENOFIT from the daemon
grep -q ENOFIT\\\|fit "$T/err" || itest_fail "no ENOFIT reason: $(cat "$T/err")"
expect_rc 1 cancel "$a"                      # already COMPLETED
expect_rc 1 cancel 99999
expect_rc 1 show 99999
"$GPUQ_BIN" -S "$T/no-such.sock" ls >/dev/null 2>&1
[ $? = 1 ] || itest_fail "gpuq against no daemon should exit 1"
echo "exit codes ok"

itest_stop_gpuqd TERM
echo "PASS"
