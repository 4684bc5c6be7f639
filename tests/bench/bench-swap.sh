#!/bin/bash
# Swap-out and swap-in latency of one running job (docs/swap.md): a plain
# stop (SIGSTOP / SIGCONT), and cuda-checkpoint played by the stand-in
# tests/integration/fake-cuda-checkpoint (a shell script: three runs of it
# per CUDA process and direction, so the figure is gpuq's machinery plus
# process spawns, not a GPU's memory copy).  Measured from a client:
# job.suspend until the job.state event SUSPENDED, job.resume until the
# event that the processes run again.  Prints p50 and p99 over ROUNDS.
#
#   bench-swap.sh GPUQD GQCALL BENCH_SWAP [ROUNDS]
set -u
GPUQD=$1 GQCALL=$2 BENCH=$3 ROUNDS=${4:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
itest_init bench-swap

call() { "$GQCALL" -S "$SOCK" "$@"; }

cat >"$T/fake-cuda-app" <<'JOB'
#!/bin/sh
echo ready
while :; do sleep 0.1; done
JOB
chmod +x "$T/fake-cuda-app"
mkdir -p "$T/bin" "$T/ckpt"
cp "$HERE/../integration/fake-cuda-checkpoint" "$T/bin/cuda-checkpoint"
export FAKE_CKPT_DIR=$T/ckpt

# pct FILE KIND P: the P-th percentile of the KIND lines.
pct() {
	awk -v k="$2" '$1 == k { print $2 }' "$1" | sort -n |
		awk -v p="$3" '{ v[NR] = $1 } END {
			i = int((NR * p + 99) / 100); if (i < 1) i = 1; print v[i] }'
}

# measure NAME [gpuqd options]
measure() {
	local name=$1 id pid i=0
	shift
	rm -rf "$STATE"
	PATH=$T/bin:$PATH itest_start_gpuqd --fake-gpus 1:H100-80GB "$@"
	id=$(call job.submit "{\"argv\":[\"$T/fake-cuda-app\"],\"workdir\":\"/tmp\",
		\"gpus\":1,\"cpus\":0.1,\"mem_mb\":10,\"kill_grace_s\":1}" job.id)
	until grep -q ready "$STATE/jobs/$id/stdout" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || itest_fail "the job did not start"
		sleep 0.05
	done
	pid=$(pgrep -f -- "$T/fake-cuda-app" | head -n 1)
	"$BENCH" "$SOCK" "$id" "$pid" "$ROUNDS" >"$T/$name.txt" ||
		itest_fail "bench-swap failed for $name"
	printf '%-28s out p50 %4s ms  p99 %4s ms   in p50 %4s ms  p99 %4s ms\n' \
		"$name" "$(pct "$T/$name.txt" out 50)" "$(pct "$T/$name.txt" out 99)" \
		"$(pct "$T/$name.txt" in 50)" "$(pct "$T/$name.txt" in 99)"
	call job.cancel "{\"id\":$id}" >/dev/null
	itest_stop_gpuqd
}

echo "bench-swap: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d" " -f1-3 /proc/loadavg), $(uname -sr), $ROUNDS rounds"
measure "plain stop" -o cuda-checkpoint=none
measure "cuda-checkpoint (stand-in)"
