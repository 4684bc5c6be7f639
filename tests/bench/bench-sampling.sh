#!/bin/bash
# gpuqd's CPU use while it samples 64 GPUs through NVML (the fake
# libnvidia-ml.so.1 of tests/gpu, so the figure is gpuqd's own work, not
# a driver's): utime + stime of the daemon from /proc/PID/stat over
# DURATION seconds, at gpu-sample-interval 2s, in three phases:
#   idle     64 GPUs, no job
#   jobs     64 jobs, one per GPU, each GPU listing its job's process
#            (so every round ties 64 processes to their jobs via /proc)
#   baseline the same 64 jobs, sampled once an hour: the rest of gpuqd
# Prints figures; never fails on time.  docs/gpu.md has them.
#
#   bench-sampling.sh GPUQD GQCALL NVMLDIR
#   DURATION=60 (environment) changes the measuring time.
set -u
GPUQD=$1 GQCALL=$2 NVMLDIR=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
itest_init bench-sampling
DURATION=${DURATION:-60}
NGPUS=64
TCK=$(getconf CLK_TCK)

call() { "$GQCALL" -S "$SOCK" "$@"; }
ticks() { awk '{ print $14 + $15 }' "/proc/$DPID/stat"; }
# CPU time in ns of every thread, for a finer figure than clock ticks.
cpu_ns() { cat /proc/"$DPID"/task/*/schedstat | awk '{ s += $1 } END { print s }'; }
vmrss() { awk '/^VmRSS/ { print $2 }' "/proc/$DPID/status"; }

# measure LABEL EVERY: the daemon's CPU over DURATION seconds: utime +
# stime (clock ticks), and the threads' run time (schedstat, ns).
measure() {
	local t0 t1 n0 n1 w0 w1
	sleep 3 # past the start and the first rounds
	t0=$(ticks)
	n0=$(cpu_ns)
	w0=$(date +%s.%N)
	sleep "$DURATION"
	t1=$(ticks)
	n1=$(cpu_ns)
	w1=$(date +%s.%N)
	awk -v l="$1" -v d=$((t1 - t0)) -v ns=$((n1 - n0)) -v w0="$w0" \
		-v w1="$w1" -v tck="$TCK" -v rss="$(vmrss)" -v n="$NGPUS" \
		-v every="$2" 'BEGIN {
		s = d / tck; w = w1 - w0; r = ns / 1e9
		printf "%-8s %d GPUs sampled every %s, %.1f s: utime+stime " \
		    "%.2f s (%.3f%% of a core); run time %.3f s (%.3f%%, " \
		    "%.2f ms per 2 s); VmRSS %d KiB\n", l, n, every, w, s,
		    100 * s / w, r, 100 * r / w, 1000 * r / (w / 2), rss }'
}

{
	echo "gpus $NGPUS 81559 0 NVIDIA H100 80GB HBM3"
	# Utilization and memory move every round, as real GPUs do.
	echo "util * 10 35 60 85 99 70 40 20"
	echo "mem * 1000 20000 40000 60000 30000 5000"
	echo "temp * 55"
	echo "power * 400"
} >"$T/nvml"
export GPUQ_FAKE_NVML=$T/nvml
printf 'gpu-sample-interval 2s\nnvml-lib %s/libnvidia-ml.so.1\n' \
	"$NVMLDIR" >"$T/gpuqd.conf"

echo "bench-sampling: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
	"$(uname -sr), ${DURATION}s a phase"
itest_start_gpuqd -f "$T/gpuqd.conf"
[ "$(call cluster.status '{}' totals.gpus)" = $NGPUS ] ||
	itest_fail "the daemon does not see $NGPUS GPUs"
measure idle 2s

# 64 jobs, a GPU each; their pids go into the fake's process lists.
for i in $(seq 1 $NGPUS); do
	call job.submit "{\"argv\":[\"sh\",\"-c\",\"echo \$\$ >$T/pid.\$GPUQ_JOB_ID; exec sleep 3600\"],
		\"workdir\":\"/tmp\",\"gpus\":1,\"cpus\":0.001,\"mem_mb\":1,
		\"kill_grace_s\":0}" job.id >/dev/null || itest_fail "submit $i"
done
i=0
while [ "$(ls "$T"/pid.* 2>/dev/null | wc -l)" -lt $NGPUS ]; do
	i=$((i + 1))
	[ $i -lt 600 ] || itest_fail "the 64 jobs did not start"
	sleep 0.1
done
for id in $(seq 1 $NGPUS); do
	g=$(call job.show "{\"id\":$id}" job.alloc.gpus.0.index)
	echo "proc $g $(cat "$T/pid.$id") 30000"
done >>"$T/nvml"
measure jobs 2s
[ "$(call job.show '{"id":1}' job.enforcement)" = exclusive ] ||
	itest_fail "job 1 is not exclusive"

itest_stop_gpuqd
sed -i 's/^gpu-sample-interval 2s$/gpu-sample-interval 1h/' "$T/gpuqd.conf"
itest_start_gpuqd -f "$T/gpuqd.conf"
measure baseline 1h
for id in $(seq 1 $NGPUS); do
	call job.cancel "{\"id\":$id}" >/dev/null 2>&1
done
exit 0
