#!/bin/bash
# idle-action swap: a job that holds a GPU and sleeps is noticed idle and
# swapped out through the swap path (run_swap_out, docs/swap.md): it ends
# up SUSPENDED, its GPU given back, and comes back on job.resume.
#
#   idle-swap.sh GPUQD GQCALL NVMLDIR
set -u
GPUQD=$1 GQCALL=$2 NVMLDIR=$3
. "$(dirname "$0")/../integration/lib.sh"
itest_init gpu-idle-swap

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

printf 'gpus 1 81559 0 NVIDIA H100 80GB HBM3\nutil * 0\n' >"$T/nvml"
printf 'gpu-sample-interval 1s\nidle-after 2s\nidle-action swap\n' \
	>"$T/gpuqd.conf"
export GPUQ_FAKE_NVML=$T/nvml
itest_start_gpuqd -f "$T/gpuqd.conf" --nvml-lib "$NVMLDIR/libnvidia-ml.so.1"
[ "$(call job.submit '{"argv":["sleep","300"],"workdir":"/tmp","gpus":1,
	"cpus":0.1,"mem_mb":10,"kill_grace_s":1}' job.id)" = 1 ] ||
	itest_fail "submit"
wait_state 1 RUNNING
wait_state 1 SUSPENDED
grep -q "job 1 of .* is idle" "$T/gpuqd.log" || itest_fail "no idle log"
grep -q "job 1: swap-out by .*: idle: GPU utilization 0%" "$T/gpuqd.log" ||
	itest_fail "the swap-out does not say it was for idleness"
# Busy again once resumed: it runs and is not swapped out at once.
printf 'gpus 1 81559 0 NVIDIA H100 80GB HBM3\nutil * 90\n' >"$T/nvml"
call job.resume '{"id":1}' >/dev/null || itest_fail "resume refused"
wait_state 1 RUNNING
sleep 4
[ "$(call job.show '{"id":1}' job.state)" = RUNNING ] ||
	itest_fail "a busy job was swapped out"
call job.cancel '{"id":1}' >/dev/null
wait_state 1 CANCELLED
echo PASS
