#!/bin/bash
# Durable submits per second: gpuqd (sync full) with 1, 8 and 64 clients
# over persistent connections, and one `gpuq submit` process per job; then,
# where Slurm is installed and we are root, sbatch against a local
# single-node Slurm on the same machine, and the ratios.  Prints figures;
# never fails on time.
#
# Each measurement starts a fresh daemon with an empty queue.  The jobs
# never start during the run: the daemon has one simulated GPU,
# a first job holds it (not preemptible: the fair-share policy may preempt
# a job after min-runtime), and every benchmark job asks for a whole GPU, so
# the queue only grows and what is measured is the submit path (parse,
# commit with fsync, reply), not process spawning.
#
#   bench-submit.sh GPUQD LOADGEN GQCALL [GPUQ]
#   TOTAL=2000 SBATCH_N=200 (environment) change the sizes.
set -u
GPUQD=$1 LOADGEN=$2 GQCALL=$3 GPUQ_BIN=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
itest_init bench-submit
TOTAL=${TOTAL:-2000}
SBATCH_N=${SBATCH_N:-200}
SLURM_DIR=""

bench_cleanup() {
	[ -n "$SLURM_DIR" ] && sh "$HERE/../../scripts/slurm-local.sh" stop "$SLURM_DIR"
	itest_cleanup
}
trap bench_cleanup EXIT

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

echo "bench-submit: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr)"
echo "bench-submit: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "bench-submit: state dir on $(df -P "$T" | awk 'NR == 2 { print $1 }'), temp dir $T"

# A fresh daemon and state dir for each measurement, so every one starts
# from the same empty queue: the previous daemon and its holder job stop.
fresh() {
	if [ -n "$DPID" ]; then
		itest_stop_gpuqd TERM
		itest_stop_jobs
	fi
	STATE=$T/state-$1
	itest_start_gpuqd --fake-gpus 1:H100-80GB
	"$GQCALL" -S "$SOCK" job.submit '{"argv":["sleep","600"],"workdir":"/",
		"gpus":1,"cpus":0.01,"mem_mb":1,"name":"holder",
		"preemptible":false}' job.state >/dev/null ||
		itest_fail "cannot submit the job that holds the GPU"
}

declare -A R
commits() { "$GQCALL" -S "$SOCK" server.stats '{}' commits; }
for c in 1 8 64; do
	fresh "$c"
	c0=$(commits)
	out=$("$LOADGEN" -S "$SOCK" -c "$c" -n $((TOTAL / c)) -k "b$c-" --gpus 1)
	echo "gpuqd, $c client(s): ${out#loadgen: }, $(($(commits) - c0)) commits"
	R[$c]=$(echo "$out" | sed -n 's/.* \([0-9.]*\) submits\/s$/\1/p')
done
echo "gpuqd: $("$GQCALL" -S "$SOCK" server.stats '{}' commits rss_kb | paste -sd' ' |
	awk '{ printf "%d commits, rss %d KiB", $1, $2 }')"

if [ -n "$GPUQ_BIN" ]; then
	fresh cli
	t0=$(now)
	for i in $(seq 1 "$SBATCH_N"); do
		"$GPUQ_BIN" -S "$SOCK" submit --gpus 1 -c 0.01 -m 1 \
			-n "cli$i" -- true >/dev/null || itest_fail "gpuq submit failed"
	done
	R[cli]=$(rate "$SBATCH_N" "$t0" "$(now)")
	echo "gpuqd, gpuq submit (one process per job), sequential: ${R[cli]} submits/s"
fi
itest_stop_gpuqd TERM
itest_stop_jobs

if ! command -v slurmctld >/dev/null || [ "$(id -u)" != 0 ]; then
	echo "bench-submit: no Slurm here (or not root): sbatch not measured"
	exit 0
fi
SLURM_DIR=$T/slurm
eval "$(sh "$HERE/../../scripts/slurm-local.sh" start "$SLURM_DIR")" ||
	{ echo "bench-submit: local Slurm did not start"; exit 0; }
cd "$T" || exit 1
# Held jobs (-H): like the gpuq jobs above they stay queued, so both
# sides measure the submit path alone.
sb() { sbatch -Q -H -o /dev/null --wrap true; }
t0=$(now)
for i in $(seq 1 "$SBATCH_N"); do sb || itest_fail "sbatch failed"; done
R[sseq]=$(rate "$SBATCH_N" "$t0" "$(now)")
export -f sb
t0=$(now)
seq 1 "$SBATCH_N" | xargs -P 8 -I{} bash -c sb || itest_fail "sbatch failed"
R[spar]=$(rate "$SBATCH_N" "$t0" "$(now)")
echo "slurm $(sbatch -V | awk '{ print $2 }'), sbatch sequential: ${R[sseq]} submits/s"
echo "slurm, sbatch 8 in parallel: ${R[spar]} submits/s"
echo "ratio gpuqd 1 client / sbatch sequential: $(ratio "${R[1]}" "${R[sseq]}")"
echo "ratio gpuqd 8 clients / sbatch 8 parallel: $(ratio "${R[8]}" "${R[spar]}")"
[ -n "${R[cli]:-}" ] &&
	echo "ratio gpuq submit / sbatch, both sequential, one process each: $(ratio "${R[cli]}" "${R[sseq]}")"
exit 0
