#!/bin/bash
# gpuqd's memory with a deep queue: RSS (server.stats rss_kb and VmRSS)
# empty and with JOBS (100,000) queued jobs, the time to submit them (in
# steps, to show whether submits slow down as the queue grows), the time
# a restart takes to load them, and the store's size.  Prints figures;
# never fails on time.
#
# As in bench-submit.sh the jobs stay queued: one simulated GPU, held by a
# first job that may not be preempted, and every queued job asks for a
# whole GPU.
#
#   bench-memory.sh GPUQD LOADGEN GQCALL
#   JOBS=100000 CLIENTS=16 STEPS=10 (environment) change the sizes.
set -u
GPUQD=$1 LOADGEN=$2 GQCALL=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
itest_init bench-memory
JOBS=${JOBS:-100000}
CLIENTS=${CLIENTS:-16}
STEPS=${STEPS:-10}

now() { date +%s.%N; }
stat_of() { "$GQCALL" -S "$SOCK" server.stats '{}' "$@" | paste -sd' '; }
vmrss() { awk '/^VmRSS/ { print $2 }' "/proc/$DPID/status"; }
report() {
	echo "$1: rss_kb $(stat_of rss_kb), VmRSS $(vmrss) KiB," \
		"jobs $(stat_of jobs.PENDING jobs.RUNNING | awk '{ print $1 " pending, " $2 " running" }')"
}

echo "bench-memory: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr)"
itest_start_gpuqd --fake-gpus 1:H100-80GB
"$GQCALL" -S "$SOCK" job.submit '{"argv":["sleep","600"],"workdir":"/",
	"gpus":1,"cpus":0.01,"mem_mb":1,"name":"holder",
	"preemptible":false}' job.id >/dev/null ||
	itest_fail "cannot submit the job that holds the GPU"
report "empty"

per=$((JOBS / STEPS / CLIENTS))
t_all=$(now)
for s in $(seq 1 "$STEPS"); do
	out=$("$LOADGEN" -S "$SOCK" -c "$CLIENTS" -n "$per" -k "s$s-" --gpus 1)
	echo "step $s: $(echo "$out" | sed 's/^loadgen: //')"
done
t_end=$(now)
n=$((per * CLIENTS * STEPS))
awk -v n="$n" -v a="$t_all" -v b="$t_end" \
	'BEGIN { printf "submitted %d jobs in %.1f s (%.0f submits/s)\n", n, b - a, n / (b - a) }'
report "queued"
echo "store: $(du -k "$STATE/gpuq.db" | cut -f1) KiB gpuq.db," \
	"$(du -k "$STATE/gpuq.db-wal" 2>/dev/null | cut -f1) KiB WAL"

itest_stop_gpuqd TERM
t0=$(now)
itest_start_gpuqd --fake-gpus 1:H100-80GB
t1=$(now)
awk -v a="$t0" -v b="$t1" \
	'BEGIN { printf "restart: %.2f s from exec to the first answer\n", b - a }'
grep 'ready:' "$T/gpuqd.log" | tail -n 1 | sed 's/^.*gpuqd\[info\]: /restart: /'
report "after restart"
itest_stop_gpuqd TERM
