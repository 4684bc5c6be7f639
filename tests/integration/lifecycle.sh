#!/bin/bash
# A job's life beyond submit and cancel, through the gpuq CLI against a
# real gpuqd (docs/swap.md): dependencies (--after, --afterok, one that
# can never be met), hold and release, requeue (of a finished job and of
# a running one), update (priority, a shortened time limit that ends a
# running job as TIMEOUT), and attach (a shell in the job's environment).
#
#   lifecycle.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
itest_init lifecycle

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

wait_field() {
	local i=0 v
	while [ $i -lt $((${4:-20} * 20)) ]; do
		v=$(call job.show "{\"id\":$1}" "$2")
		[ "$v" = "$3" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	itest_fail "job $1: $2 is '$v', not '$3'"
}

submit() {
	gpuq submit --cpus 0.1 --mem 10M "$@" >"$T/out" 2>"$T/err" ||
		itest_fail "submit $*: $(cat "$T/err")"
	sed -n 's/^Submitted job \([0-9][0-9]*\).*/\1/p' "$T/out"
}

mkdir -p "$T/work"
cd "$T/work" || exit 1
itest_start_gpuqd --fake-gpus 2:H100-80GB

# --afterok: waits with reason DEPENDENCY, then runs.
touch "$T/go"
a=$(submit -- sh -c "while [ -e '$T/go' ]; do sleep 0.05; done") || exit 1
b=$(submit --afterok "$a" -- true) || exit 1
wait_field "$a" job.state RUNNING
wait_field "$b" job.wait.reason DEPENDENCY
[ "$(call job.show "{\"id\":$b}" job.afterok.0)" = "$a" ] || itest_fail "afterok"
gpuq show "$b" | grep -q "afterok *job $a" || itest_fail "gpuq show lacks afterok"
rm "$T/go"
wait_field "$a" job.state COMPLETED
wait_field "$b" job.state COMPLETED
echo "ok: afterok waits (DEPENDENCY), then runs"

# afterok on a failed job: cancelled, naming it; after runs anyway.
c=$(submit -- sh -c 'sleep 0.3; exit 3') || exit 1
d=$(submit --afterok "$c" -- true) || exit 1
e=$(submit --after "$c" -- true) || exit 1
wait_field "$c" job.state FAILED
wait_field "$d" job.state CANCELLED
call job.show "{\"id\":$d}" job.reason | grep -q "dependency never satisfied: job $c ended FAILED" ||
	itest_fail "reason: $(call job.show "{\"id\":$d}" job.reason)"
wait_field "$e" job.state COMPLETED
# Submitting afterok a job that already failed is refused.
gpuq submit --afterok "$c" -- true 2>"$T/err" && itest_fail "afterok a failed job accepted"
grep -q "already ended FAILED" "$T/err" || itest_fail "refusal: $(cat "$T/err")"
gpuq submit --after 999 -- true 2>"$T/err" && itest_fail "after a missing job accepted"
echo "ok: afterok on a failed job cancels; after runs; bad dependencies refused"

# hold and release.
f=$(submit --hold -- true) || exit 1
wait_field "$f" job.wait.reason HELD
sleep 0.3
[ "$(call job.show "{\"id\":$f}" job.state)" = PENDING ] || itest_fail "held job ran"
gpuq release "$f" >/dev/null || itest_fail "release"
wait_field "$f" job.state COMPLETED
g=$(submit --gpus 1 -- sleep 30) || exit 1
wait_field "$g" job.state RUNNING
gpuq hold "$g" 2>"$T/err" && itest_fail "a running job was held"
grep -q "only a waiting job can be held" "$T/err" || itest_fail "hold: $(cat "$T/err")"
gpuq release "$f" 2>/dev/null && itest_fail "released a job that is not held"
echo "ok: hold, release, and their refusals"

# requeue: a finished job runs again under its id, a running one too.
h=$(submit -- sh -c 'echo run $GPUQ_RESTART_COUNT') || exit 1
wait_field "$h" job.state COMPLETED
gpuq requeue "$h" >"$T/out" || itest_fail "requeue $h"
wait_field "$h" job.attempt 2
wait_field "$h" job.state COMPLETED
grep -q "run 1" "$STATE/jobs/$h/stdout" || itest_fail "no second run of $h"
gpuq requeue "$g" >"$T/out" || itest_fail "requeue $g"
grep -q Requeueing "$T/out" || itest_fail "requeue said: $(cat "$T/out")"
wait_field "$g" job.attempt 2
wait_field "$g" job.state RUNNING
[ "$(call job.show "{\"id\":$g}" job.preemptions)" = null ] ||
	itest_fail "a requeue counted as a preemption"
echo "ok: requeue of a finished and of a running job"

# update: priority; a user may shorten a time limit, not lengthen it.
gpuq update "$g" --priority 7 >/dev/null || itest_fail "update priority"
[ "$(call job.show "{\"id\":$g}" job.priority)" = 7 ] || itest_fail "priority"
gpuq update "$g" --priority 5000 2>/dev/null && [ "$(id -u)" != 0 ] &&
	itest_fail "a user set priority 5000"
i=$(submit -t 1h -- sleep 30) || exit 1
wait_field "$i" job.state RUNNING
gpuq update "$i" --time-limit 1s >/dev/null || itest_fail "shorten the limit"
wait_field "$i" job.state TIMEOUT 10
call job.show "{\"id\":$i}" job.reason | grep -q "time limit" || itest_fail "TIMEOUT reason"
echo "ok: update priority; a shortened time limit ends the job (TIMEOUT)"

# attach: a shell in the job's environment and working directory.
out=$(printf 'echo "CVD=$CUDA_VISIBLE_DEVICES RC=$GPUQ_RESTART_COUNT ID=$GPUQ_JOB_ID AT=$GPUQ_ATTACHED"; pwd; exit 0\n' |
	SHELL=/bin/sh gpuq attach "$g" 2>"$T/err")
echo "$out" | grep -q "CVD=GPU-.* RC=1 ID=$g AT=$g" ||
	itest_fail "attach env: $out / $(cat "$T/err")"
echo "$out" | grep -qx "$T/work" || itest_fail "attach workdir: $out"
gpuq attach "$f" 2>"$T/err" </dev/null && itest_fail "attached to an ended job"
grep -q "only a running job can be attached" "$T/err" || itest_fail "attach: $(cat "$T/err")"
# Over ssh, a host gpuq cannot reach: the ssh command is printed instead
# (tests/ssh/attach.sh attaches through a real sshd).
GPUQ_HOST=gpu01.invalid gpuq attach "$g" 2>"$T/err" </dev/null &&
	itest_fail "attach over libssh2 claimed success"
grep -q "ssh -t .*gpu01.invalid 'gpuq -S '.*' attach --here $g'" "$T/err" ||
	itest_fail "no ssh command printed: $(cat "$T/err")"
echo "ok: attach (env, workdir, refusals)"
gpuq cancel "$g" >/dev/null
wait_field "$g" job.state CANCELLED
