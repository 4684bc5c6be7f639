#!/bin/bash
# The slurm executor's figures, against a local single-node Slurm started
# for the run (scripts/slurm-local.sh).  Prints figures; never fails on
# time.  Needs root and the Slurm packages (else it says so and exits 0).
#
# 1. Admission: N jobs submitted to gpuqd (8 clients) until every one has
#    its Slurm job id, against raw sbatch of N jobs in the same run,
#    sequential and 8 at a time.  Both sides submit into a partition that
#    is DOWN, so the jobs stay queued and only the submit path is measured
#    (as bench-submit.sh does with sbatch -H).
# 2. Latency: LAT_N short jobs run for real; for each, the delay from
#    slurmctld marking it done (its log: "_job_complete: JobId=N done") to
#    gpuqd recording the end (its log: "job X COMPLETED"; the job.state
#    event goes out in the same loop turn).  Once per poll interval in
#    POLLS.
#
#   bench-slurm.sh GPUQD LOADGEN GQCALL
#   N=400 LAT_N=120 POLLS="1s 250ms" (environment) change the sizes.
set -u
GPUQD=$(readlink -f "$1") LOADGEN=$(readlink -f "$2") GQCALL=$(readlink -f "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
N=${N:-400}
LAT_N=${LAT_N:-120}
POLLS=${POLLS:-1s 250ms}

if [ "$(id -u)" != 0 ] || ! command -v sbatch >/dev/null ||
	[ ! -x /usr/sbin/slurmctld ]; then
	echo "bench-slurm: needs root and Slurm (slurmctld slurmd slurm-client munge): not measured"
	exit 0
fi
itest_init bench-slurm
SLURM_T=$T/slurm
bench_cleanup() {
	sh "$HERE/../../scripts/slurm-local.sh" stop "$SLURM_T" >/dev/null 2>&1
	itest_cleanup
}
trap bench_cleanup EXIT
export SLURM_LOCAL_EXTRA="PartitionName=bench Nodes=$(hostname -s) State=DOWN"
sh "$HERE/../../scripts/slurm-local.sh" start "$SLURM_T" >/dev/null ||
	{ echo "bench-slurm: local Slurm did not start"; exit 0; }
export SLURM_CONF=$SLURM_T/slurm.conf
cd "$T" || exit 1

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ids() { find "$STATE/slurm" -name 'slurm-*.id' 2>/dev/null | wc -l; }

echo "bench-slurm: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), slurm $(sbatch -V | awk '{ print $2 }')"

# 1. Admission.
STATE=$T/state-admit
itest_start_gpuqd --executor slurm -o slurm-partition=bench
t0=$(now)
out=$("$LOADGEN" -S "$SOCK" -c 8 -n $((N / 8)) -k a- --cpus 0.01 --mem-mb 1)
t1=$(now)
while [ "$(ids)" -lt "$N" ]; do
	[ "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { print (b - a > 600) }')" = 0 ] ||
		itest_fail "only $(ids) of $N jobs reached Slurm in 10 minutes"
	sleep 0.05
done
t2=$(now)
R_SUB=$(rate "$N" "$t0" "$t1")
R_GQ=$(rate "$N" "$t0" "$t2")
echo "gpuqd: $N jobs acknowledged at $R_SUB/s (${out#loadgen: })"
echo "gpuqd: $N jobs in Slurm (each with its Slurm id) at $R_GQ jobs/s"
itest_stop_gpuqd TERM
scancel -p bench >/dev/null 2>&1

sb() { sbatch -Q -p bench -o /dev/null --wrap true >/dev/null; }
export -f sb
t0=$(now)
for i in $(seq 1 "$N"); do sb || itest_fail "sbatch failed"; done
R_SEQ=$(rate "$N" "$t0" "$(now)")
t0=$(now)
seq 1 "$N" | xargs -P 8 -I{} bash -c sb || itest_fail "sbatch failed"
R_PAR=$(rate "$N" "$t0" "$(now)")
scancel -p bench >/dev/null 2>&1
echo "sbatch, sequential: $R_SEQ jobs/s; 8 in parallel: $R_PAR jobs/s"
echo "ratio gpuq (submit to in Slurm) / sbatch sequential: $(ratio "$R_GQ" "$R_SEQ")"
echo "ratio gpuq (submit to in Slurm) / sbatch 8 parallel: $(ratio "$R_GQ" "$R_PAR")"

# 2. Latency: slurmctld's "done" to gpuqd's "COMPLETED", in ms.
# secs LINE-TIME: seconds since midnight of "...THH:MM:SS.mmm...".
latency() {
	local job sid
	for d in "$STATE"/slurm/*; do
		job=${d##*/}
		sid=$(cat "$d"/slurm-1.id 2>/dev/null) || continue
		a=$(grep -m1 "_job_complete: JobId=$sid done" "$SLURM_T/slurmctld.log" |
			sed 's/^\[[0-9-]*T\([0-9:.]*\)\].*/\1/')
		b=$(grep -m1 "gpuqd\[info\]: job $job COMPLETED" "$T/gpuqd.log" |
			sed 's/^[0-9-]*T\([0-9:.]*\)Z.*/\1/')
		[ -n "$a" ] && [ -n "$b" ] && echo "$a $b"
	done | awk '{ split($1, x, ":"); split($2, y, ":");
		d = (y[1] * 3600 + y[2] * 60 + y[3]) - (x[1] * 3600 + x[2] * 60 + x[3]);
		if (d < -43200) d += 86400; printf "%d\n", d * 1000 }' | sort -n
}

pct() { awk -v p="$1" '{ v[NR] = $1 } END { i = int(NR * p + 0.999); if (i < 1) i = 1; print v[i] }'; }

for poll in $POLLS; do
	STATE=$T/state-lat-$poll
	: >"$T/gpuqd.log"
	itest_start_gpuqd --executor slurm -o slurm-poll-interval="$poll"
	for i in $(seq 1 "$LAT_N"); do
		"$GQCALL" -S "$SOCK" job.submit "{\"argv\":[\"sleep\",\"0.$((RANDOM % 9 + 1))\"],
			\"workdir\":\"/tmp\",\"cpus\":1,\"mem_mb\":16,\"key\":\"l$poll-$i\"}" \
			job.id >/dev/null || itest_fail "submit failed"
	done
	i=0
	while [ "$(grep -c 'COMPLETED$' "$T/gpuqd.log")" -lt "$LAT_N" ]; do
		i=$((i + 1))
		[ $i -lt 6000 ] || itest_fail "the latency jobs did not all complete"
		sleep 0.1
	done
	latency >"$T/lat"
	echo "latency, poll $poll: $(wc -l <"$T/lat") jobs; Slurm done -> gpuq COMPLETED: p50 $(pct 0.5 <"$T/lat") ms, p99 $(pct 0.99 <"$T/lat") ms, max $(tail -n 1 "$T/lat") ms"
	itest_stop_gpuqd TERM
done
exit 0
