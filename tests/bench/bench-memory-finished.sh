#!/bin/bash
# gpuqd's memory with a long history: RSS empty, with FINISHED (1,000,000)
# finished jobs in the store, and with WAITING (100,000) jobs queued on
# top; how long a start takes to load the store, how long a restart takes
# with both, and the store's size.  Prints figures; never fails on time.
#
# The finished jobs are written straight into the store by bench-fill
# (the daemon's own store_job_put, before the daemon starts): running a
# million jobs through the daemon would take hours and measure the
# executor, not the memory.  The waiting jobs go through the protocol as
# in bench-memory.sh: one simulated GPU held by a first job that may not
# be preempted, every queued job asks for a whole GPU.
#
#   bench-memory-finished.sh GPUQD LOADGEN GQCALL BENCH-FILL
#   FINISHED=1000000 WAITING=100000 CLIENTS=16 KEEP=... (environment)
#   KEEP sets keep-finished (empty: the daemon's default).
set -u
GPUQD=$1 LOADGEN=$2 GQCALL=$3 FILL=$4
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
itest_init bench-memory-finished
FINISHED=${FINISHED:-1000000}
WAITING=${WAITING:-100000}
CLIENTS=${CLIENTS:-16}
KEEP=${KEEP:-}
OPTS=(--fake-gpus 1:H100-80GB)
[ -n "$KEEP" ] && OPTS+=(-o "keep-finished=$KEEP")

now() { date +%s.%N; }
stat_of() { "$GQCALL" -S "$SOCK" server.stats '{}' "$@" | paste -sd' '; }
vmrss() { awk '/^VmRSS/ { print $2 }' "/proc/$DPID/status"; }
report() {
	echo "$1: rss_kb $(stat_of rss_kb), VmRSS $(vmrss) KiB," \
		"jobs $(stat_of jobs.PENDING jobs.RUNNING jobs.COMPLETED jobs.FAILED |
			awk '{ print $1 " pending, " $2 " running, " $3 + $4 " finished" }')"
}
loaded() {
	grep 'jobs in memory (' "$T/gpuqd.log" | tail -n 1 |
		sed 's/^.*gpuqd\[info\]: /  /'
	grep 'ready:' "$T/gpuqd.log" | tail -n 1 | sed 's/^.*gpuqd\[info\]: /  /'
}
# As itest_start_gpuqd, waiting longer: loading a million jobs takes a while.
start_gpuqd() {
	"$GPUQD" -S "$SOCK" --state-dir "$STATE" "${OPTS[@]}" 2>>"$T/gpuqd.log" &
	DPID=$!
	"$GQCALL" -S "$SOCK" -w 600 server.stats >/dev/null ||
		itest_fail "gpuqd did not come up"
}
start_timed() {
	local t0 t1
	t0=$(now)
	start_gpuqd
	t1=$(now)
	awk -v a="$t0" -v b="$t1" -v w="$1" \
		'BEGIN { printf "%s: %.2f s from exec to the first answer\n", w, b - a }'
	loaded
}
# How long listing takes: the first page of every job (archive and
# memory), one of finished jobs deep in the archive, the count of
# finished jobs a TUI asks for at start.
list_time() {
	local t0 t1 t2 t3
	t0=$(now)
	"$GQCALL" -S "$SOCK" job.list '{"all":true}' total >/dev/null
	t1=$(now)
	"$GQCALL" -S "$SOCK" job.list \
		'{"state":["COMPLETED","FAILED"],"after":500000}' total >/dev/null
	t2=$(now)
	"$GQCALL" -S "$SOCK" job.list \
		'{"state":["COMPLETED","FAILED","CANCELLED","TIMEOUT"],"limit":1}' \
		total >/dev/null
	t3=$(now)
	awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
		printf "job.list: first page of all %.0f ms, finished after id 500000 %.0f ms, finished count %.0f ms\n",
			(b - a) * 1000, (c - b) * 1000, (d - c) * 1000 }'
}
store_size() {
	echo "store: $(du -k "$STATE/gpuq.db" | cut -f1) KiB gpuq.db," \
		"$(du -k "$STATE/gpuq.db-wal" 2>/dev/null | cut -f1) KiB WAL"
}

echo "bench-memory-finished: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores," \
	"$(uname -sr), ${KEEP:+keep-finished $KEEP, }$FINISHED finished, $WAITING waiting"
itest_start_gpuqd "${OPTS[@]}"
"$GQCALL" -S "$SOCK" job.submit '{"argv":["sleep","3600"],"workdir":"/",
	"gpus":1,"cpus":0.01,"mem_mb":1,"name":"holder",
	"preemptible":false}' job.id >/dev/null ||
	itest_fail "cannot submit the job that holds the GPU"
report "empty"
itest_stop_gpuqd TERM

t0=$(now)
"$FILL" -n "$FINISHED" "$STATE/gpuq.db" 2>/dev/null ||
	itest_fail "bench-fill failed"
t1=$(now)
awk -v a="$t0" -v b="$t1" -v n="$FINISHED" \
	'BEGIN { printf "bench-fill: %d finished jobs written in %.1f s\n", n, b - a }'
store_size
# The rows bench-fill wrote are not archived: the first start loads them
# all and archives what keep-finished does not keep, as the first start
# after an upgrade from a gpuqd without archiving would.
t0=$(now)
start_timed "first start over $FINISHED finished (none archived yet)"
report "first start"
sleep 3
itest_stop_gpuqd TERM
t1=$(now)
grep 'archived .* ended jobs' "$T/gpuqd.log" | tail -n 1 | sed 's/^.*gpuqd\[info\]: /  /'
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "first start to its stop: %.1f s\n", b - a }'
store_size

start_timed "restart over $FINISHED finished"
report "finished"

per=$((WAITING / CLIENTS))
t0=$(now)
out=$("$LOADGEN" -S "$SOCK" -c "$CLIENTS" -n "$per" -k "w-" --gpus 1)
t1=$(now)
echo "waiting: $(echo "$out" | sed 's/^loadgen: //')"
awk -v n="$((per * CLIENTS))" -v a="$t0" -v b="$t1" \
	'BEGIN { printf "submitted %d jobs in %.1f s (%.0f submits/s)\n", n, b - a, n / (b - a) }'
report "finished + waiting"
list_time
store_size

itest_stop_gpuqd TERM
start_timed "restart"
report "after restart"
list_time
itest_stop_gpuqd TERM
store_size
