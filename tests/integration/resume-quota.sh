#!/bin/bash
# A resume goes through the policy (docs/swap.md): project q may hold 1 GPU
# (limit=1).  Its job A is suspended by cuda-checkpoint (the stand-in
# fake-cuda-checkpoint first on PATH), its job B starts meanwhile on the
# other GPU; gpuq resume A then waits with reason LIMIT (gpuq show says
# so) instead of taking q over its limit, and A resumes, on its own GPU
# and without a restart, once B ends.
#
#   resume-quota.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
itest_init resume-quota

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }
submitted() { sed -n 's/^Submitted job \([0-9][0-9]*\).*/\1/p'; }

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

# A counting job; its name is what the stand-in takes for a CUDA process.
cat >"$T/fake-cuda-app" <<'JOB'
#!/bin/sh
echo "start $GPUQ_RESTART_COUNT"
i=0
while :; do i=$((i + 1)); echo $i; sleep 0.1; done
JOB
chmod +x "$T/fake-cuda-app"
APP=$T/fake-cuda-app
cd "$T" || exit 1

mkdir -p "$T/bin" "$T/ckpt"
cp "$HERE/fake-cuda-checkpoint" "$T/bin/cuda-checkpoint"
export FAKE_CKPT_LOG=$T/ckpt/log FAKE_CKPT_DIR=$T/ckpt
cat >"$T/gpuqd.conf" <<CONF
fake-gpus 2:H100-80GB
project q deserved=1 limit=1
project other deserved=1
CONF
PATH=$T/bin:$PATH itest_start_gpuqd -f "$T/gpuqd.conf"

# F (another project) on one GPU, A (q) on the other.
f=$(gpuq submit -p other --gpus 1 --cpus 0.1 --mem 10M -- sleep 60 | submitted)
wait_field "$f" job.state RUNNING
a=$(gpuq submit -p q --gpus 1 --cpus 0.1 --mem 10M -- "$APP" | submitted)
wait_field "$a" job.state RUNNING
ga=$(call job.show "{\"id\":$a}" job.alloc.gpus.0.index)
gpuq suspend "$a" >/dev/null || itest_fail "gpuq suspend failed"
wait_field "$a" job.state SUSPENDED
[ "$(call job.show "{\"id\":$a}" job.suspended.mechanism)" = cuda-checkpoint ] ||
	itest_fail "A was not suspended by cuda-checkpoint"

# F ends; B (q) takes the GPU F left, not A's.
gpuq cancel "$f" >/dev/null
wait_field "$f" job.state CANCELLED
b=$(gpuq submit -p q --gpus 1 --cpus 0.1 --mem 10M -- sleep 60 | submitted)
wait_field "$b" job.state RUNNING
[ "$(call job.show "{\"id\":$b}" job.alloc.gpus.0.index)" != "$ga" ] ||
	itest_fail "job $b took job $a's GPU $ga"

# A's GPU is free, but q is at its limit: the resume waits.
r=$(call job.resume "{\"id\":$a}" resumed)
[ "$r" = false ] || itest_fail "job $a resumed over its project's limit"
[ "$(call job.show "{\"id\":$a}" job.state)" = SUSPENDED ] ||
	itest_fail "job $a is not suspended"
wait_field "$a" job.wait.reason LIMIT 5
gpuq show "$a" >"$T/show"
grep -q "LIMIT" "$T/show" || itest_fail "gpuq show: $(cat "$T/show")"
sleep 1
[ "$(call job.show "{\"id\":$a}" job.state)" = SUSPENDED ] ||
	itest_fail "job $a resumed over its project's limit"
echo "ok: a resume over the project's limit waits (LIMIT)"

# B ends: A resumes on its GPU, toggled back, not restarted.
gpuq cancel "$b" >/dev/null
wait_field "$a" job.state RUNNING 20
[ "$(call job.show "{\"id\":$a}" job.alloc.gpus.0.index)" = "$ga" ] ||
	itest_fail "job $a is not on its GPU $ga"
wait_field "$a" job.swapping null 10
[ "$(grep -c start "$STATE/jobs/$a/stdout")" = 1 ] || itest_fail "job $a restarted"
[ "$(call job.show "{\"id\":$a}" job.wait)" = null ] ||
	itest_fail "job $a still has a wait: $(call job.show "{\"id\":$a}" job.wait)"
gpuq cancel "$a" >/dev/null
wait_field "$a" job.state CANCELLED
echo "ok: it resumes when the project is below its limit again"
itest_stop_gpuqd
