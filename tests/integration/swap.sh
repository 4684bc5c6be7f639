#!/bin/bash
# Swap-outs against a real gpuqd and real processes (docs/swap.md).
#
#  1. A plain stop (no cuda-checkpoint): a counting job is suspended with
#     gpuq suspend, makes no progress while SUSPENDED (its processes are
#     stopped), says its GPU memory stays on the GPU, and continues where
#     it was after gpuq resume (no restart).  Its time limit does not run
#     while it is suspended.  A swap that would need its GPU memory is
#     refused with the reason.
#  2. The checkpoint signal: suspend sends USR1, the job saves and exits,
#     waits held; resume starts it again with GPUQ_RESTART_COUNT=1.
#  3. cuda-checkpoint (the stand-in fake-cuda-checkpoint first on PATH):
#     gpuq swap OUT IN toggles OUT's CUDA process, stops OUT, runs IN on
#     OUT's GPU; when IN ends, OUT is toggled back and continues.
#
#   swap.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init swap

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

# wait_field ID FIELD VALUE [SECONDS]
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

# The last number a counting job printed.
last() { grep -E '^[0-9]+$' "$STATE/jobs/$1/stdout" 2>/dev/null | tail -n 1; }

# Waits until job $1 has printed at least $2 numbers.
wait_count() {
	local i=0
	while [ "$(last "$1")" = "" ] || [ "$(last "$1")" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || itest_fail "job $1 did not count to $2"
		sleep 0.05
	done
}

# A counting job; its name is what the stand-in takes for a CUDA process.
cat >"$T/fake-cuda-app" <<'JOB'
#!/bin/sh
echo "start $GPUQ_RESTART_COUNT"
trap 'echo checkpoint; exit 0' USR1
i=0
while :; do i=$((i + 1)); echo $i; sleep 0.1; done
JOB
chmod +x "$T/fake-cuda-app"
APP=$T/fake-cuda-app
cd "$T" || exit 1

submitted() { sed -n 's/^Submitted job \([0-9][0-9]*\).*/\1/p'; }

# 1. A plain stop.
itest_start_gpuqd --fake-gpus 1:H100-80GB -o cuda-checkpoint=none
a=$(gpuq submit --gpus 1 --cpus 0.1 --mem 10M -t 4s -- "$APP" | submitted)
[ "$a" = 1 ] || itest_fail "submit: $a"
wait_count 1 5
sleep 2 # it has run 2 to 3 of its 4 seconds
gpuq suspend 1 >"$T/out" || itest_fail "gpuq suspend failed"
grep -q "plain stop" "$T/out" || itest_fail "suspend said: $(cat "$T/out")"
wait_field 1 job.state SUSPENDED
[ "$(call job.show '{"id":1}' job.suspended.mechanism)" = stop ] ||
	itest_fail "mechanism is not stop"
gpuq show 1 >"$T/show"
grep -q "GPU memory stays on GPU 0 (plain stop: no cuda-checkpoint, no checkpoint signal)" "$T/show" ||
	itest_fail "gpuq show does not say where the memory is: $(cat "$T/show")"
pid=$(pgrep -f -- "$APP" | head -n 1)
[ "$(awk '{print $3}' "/proc/$pid/stat")" = T ] || itest_fail "job 1 is not stopped"
n1=$(last 1)
sleep 3 # past the time limit, were it counting
n2=$(last 1)
ran=$(call job.show '{"id":1}' job.suspended.ran_s)
[ "$n1" = "$n2" ] || itest_fail "job 1 counted while suspended ($n1 -> $n2)"
[ "$(call job.show '{"id":1}' job.state)" = SUSPENDED ] ||
	itest_fail "job 1's time limit ran while it was suspended"
gpuq resume 1 >"$T/out" || itest_fail "gpuq resume failed"
grep -q "Resumed job 1" "$T/out" || itest_fail "resume said: $(cat "$T/out")"
wait_field 1 job.state RUNNING
wait_count 1 $((n2 + 3))
[ "$(grep -c start "$STATE/jobs/1/stdout")" = 1 ] || itest_fail "job 1 restarted"
# Numbers go on from where they were: no gap, no restart.
grep -E '^[0-9]+$' "$STATE/jobs/1/stdout" | awk 'NR != $1 { exit 1 }' ||
	itest_fail "job 1's count has a gap or restarted"
# Its 4 s limit ends it after 4 s of running, the suspension left out: the
# run before (ran_s) plus the run since the resume (start_time is the
# resume's).  Seconds are whole: 4 or 5.  Had the clock run on while it
# was suspended, it would have ended at once (ran_s alone); had the resume
# restarted the clock, after ran_s + 4.
wait_field 1 job.state TIMEOUT 10
st=$(call job.show '{"id":1}' job.start_time)
et=$(call job.show '{"id":1}' job.end_time)
total=$((ran + et - st))
[ "$total" -ge 4 ] && [ "$total" -le 5 ] ||
	itest_fail "job 1 ran ${ran}s + $((et - st))s: its limit did not pause while suspended"
echo "ok: plain stop, no progress while suspended, continues, limit paused (${ran}s + $((et - st))s)"

# A whole-GPU job cannot swap in beside a stopped job's GPU memory.
b=$(gpuq submit --gpus 1 --cpus 0.1 --mem 10M -- "$APP" | submitted)
c=$(gpuq submit --gpus 1 --cpus 0.1 --mem 10M -- "$APP" | submitted)
wait_field "$b" job.state RUNNING
gpuq swap "$b" "$c" 2>"$T/err" && itest_fail "a swap past GPU memory was accepted"
grep -q "plain stop" "$T/err" || itest_fail "unclear swap refusal: $(cat "$T/err")"
[ "$(call job.show "{\"id\":$b}" job.state)" = RUNNING ] ||
	itest_fail "a refused swap touched job $b"
gpuq cancel "$b" "$c" >/dev/null
wait_field "$b" job.state CANCELLED

# 2. The checkpoint signal.
d=$(gpuq submit --gpus 1 --cpus 0.1 --mem 10M --checkpoint-signal USR1 \
	--grace 5s -- "$APP" | submitted)
wait_count "$d" 3
gpuq suspend "$d" >"$T/out" || itest_fail "suspend $d"
grep -q "checkpoint signal" "$T/out" || itest_fail "suspend said: $(cat "$T/out")"
wait_field "$d" job.state PENDING
[ "$(call job.show "{\"id\":$d}" job.held)" = true ] || itest_fail "job $d not held"
[ "$(call job.show "{\"id\":$d}" job.suspended.mechanism)" = signal ] ||
	itest_fail "job $d: mechanism is not signal"
grep -q checkpoint "$STATE/jobs/$d/stdout" || itest_fail "job $d got no USR1"
sleep 0.5
[ "$(call job.show "{\"id\":$d}" job.state)" = PENDING ] ||
	itest_fail "held job $d started"
gpuq resume "$d" >/dev/null || itest_fail "resume $d"
wait_field "$d" job.state RUNNING
i=0
until grep -q "start 1" "$STATE/jobs/$d/stdout"; do
	i=$((i + 1))
	[ $i -lt 100 ] || itest_fail "job $d did not restart with GPUQ_RESTART_COUNT=1"
	sleep 0.05
done
gpuq cancel "$d" >/dev/null
wait_field "$d" job.state CANCELLED
echo "ok: checkpoint signal, requeue held, restart count 1"
itest_stop_gpuqd

# 3. cuda-checkpoint: the stand-in first on PATH.
mkdir -p "$T/bin" "$T/ckpt"
cp "$HERE/fake-cuda-checkpoint" "$T/bin/cuda-checkpoint"
export FAKE_CKPT_LOG=$T/ckpt/log FAKE_CKPT_DIR=$T/ckpt
rm -rf "$STATE"
PATH=$T/bin:$PATH itest_start_gpuqd --fake-gpus 1:H100-80GB
out=$(gpuq submit --gpus 1 --cpus 0.1 --mem 10M -- "$APP" | submitted)
in=$(gpuq submit --gpus 1 --cpus 0.1 --mem 10M -- "$APP" | submitted)
wait_count "$out" 3
[ "$(call job.show "{\"id\":$in}" job.state)" = PENDING ] || itest_fail "in runs"
opid=$(pgrep -f -- "$APP" | head -n 1)
gpuq swap "$out" "$in" >"$T/out" || itest_fail "gpuq swap failed"
grep -q "cuda-checkpoint" "$T/out" || itest_fail "swap said: $(cat "$T/out")"
wait_field "$out" job.state SUSPENDED
wait_field "$in" job.state RUNNING
[ "$(call job.show "{\"id\":$in}" job.alloc.gpus.0.index)" = 0 ] ||
	itest_fail "job $in is not on job $out's GPU"
grep -qx "toggle $opid" "$T/ckpt/log" ||
	itest_fail "cuda-checkpoint got no --toggle for $opid: $(cat "$T/ckpt/log")"
[ "$(cat "$T/ckpt/ckpt-$opid")" = checkpointed ] || itest_fail "not checkpointed"
call job.show "{\"id\":$out}" job.suspended.where | grep -q "host memory" ||
	itest_fail "where: $(call job.show "{\"id\":$out}" job.suspended.where)"
n1=$(last "$out")
sleep 1
[ "$n1" = "$(last "$out")" ] || itest_fail "job $out counted while swapped out"
# When IN ends, OUT comes back on its GPU by itself, toggled back.
gpuq cancel "$in" >/dev/null
wait_field "$out" job.state RUNNING
wait_field "$out" job.swapping null 10
[ "$(grep -cx "toggle $opid" "$T/ckpt/log")" = 2 ] ||
	itest_fail "no toggle back for $opid: $(cat "$T/ckpt/log")"
[ "$(cat "$T/ckpt/ckpt-$opid")" = running ] || itest_fail "not restored"
wait_count "$out" $((n1 + 3))
[ "$(grep -c start "$STATE/jobs/$out/stdout")" = 1 ] || itest_fail "job $out restarted"
echo "ok: cuda-checkpoint swap: in ran on out's GPU, out came back"

# A failing cuda-checkpoint falls back to a plain stop, and says why.
touch "$T/ckpt/fail"
gpuq suspend "$out" >/dev/null || itest_fail "suspend after a failure"
wait_field "$out" job.state SUSPENDED
[ "$(call job.show "{\"id\":$out}" job.suspended.mechanism)" = stop ] ||
	itest_fail "no fallback to stop"
call job.show "{\"id\":$out}" job.swap_error | grep -q "cuda-checkpoint" ||
	itest_fail "the failure is not reported"
rm -f "$T/ckpt/fail"
gpuq cancel "$out" >/dev/null
wait_field "$out" job.state CANCELLED
echo "ok: a failed cuda-checkpoint falls back to a plain stop; a suspended job cancels"
itest_stop_gpuqd

# 4. The scheduler's preemption uses cuda-checkpoint too: project b
# borrows the GPU, project a reclaims it; b's job is SUSPENDED (not
# requeued: no restart), a's job runs, and when it ends b's job is back.
rm -rf "$STATE"
: >"$T/ckpt/log"
cat >"$T/gpuqd.conf" <<CONF
fake-gpus 1:H100-80GB
project a deserved=1
project b deserved=0
policy-param half-life=1d min-runtime=1s swap-time=2s
CONF
PATH=$T/bin:$PATH itest_start_gpuqd -f "$T/gpuqd.conf"
x=$(gpuq submit -p b --gpus 1 --cpus 0.1 --mem 10M -- "$APP" | submitted)
wait_count "$x" 3
sleep 1.2 # past min-runtime
y=$(gpuq submit -p a --gpus 1 --cpus 0.1 --mem 10M -- sleep 30 | submitted)
wait_field "$x" job.state SUSPENDED 20
[ "$(call job.show "{\"id\":$x}" job.suspended.mechanism)" = cuda-checkpoint ] ||
	itest_fail "preemption did not use cuda-checkpoint"
[ "$(call job.show "{\"id\":$x}" job.suspended.for_job)" = "$y" ] ||
	itest_fail "job $x was not swapped out for job $y"
wait_field "$y" job.state RUNNING
gpuq cancel "$y" >/dev/null
wait_field "$x" job.state RUNNING 20
[ "$(grep -c start "$STATE/jobs/$x/stdout")" = 1 ] || itest_fail "job $x restarted"
[ "$(call job.show "{\"id\":$x}" job.attempt)" = 1 ] || itest_fail "a new attempt"
gpuq cancel "$x" >/dev/null
wait_field "$x" job.state CANCELLED
echo "ok: preemption by cuda-checkpoint: suspended, not restarted, back after"
