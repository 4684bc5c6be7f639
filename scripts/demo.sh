#!/bin/sh
# The README's first command: installs what is missing, builds, starts a
# personal gpuqd on simulated GPUs, submits a few sample jobs and shows
# them.  Ctrl-C leaves; everything it started is stopped on the way out.
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target gpuqd gpuq >/dev/null
GPUQD=$TOP/build/core/daemon/gpuqd
GPUQ=$TOP/build/tui/gpuq

T=$(mktemp -d /tmp/gpuq-demo.XXXXXX)
export GPUQ_SOCKET="$T/gpuqd.sock"
DPID=""
cleanup() {
	trap - EXIT INT TERM
	if [ -n "$DPID" ]; then
		"$GPUQ" sweep stop 1 >/dev/null 2>&1 || true
		ids=$("$GPUQ" ls --json 2>/dev/null |
			grep -o '"id": *[0-9]*' | grep -o '[0-9]*' || true)
		[ -n "$ids" ] && "$GPUQ" cancel $ids >/dev/null 2>&1 || true
		sleep 1
		kill "$DPID" 2>/dev/null || true
		wait "$DPID" 2>/dev/null || true
	fi
	rm -rf "$T"
	echo "gpuq demo: stopped gpuqd and its jobs; removed $T"
}
trap cleanup EXIT INT TERM

"$GPUQD" -S "$GPUQ_SOCKET" --state-dir "$T/state" \
	--fake-gpus 8:H100-80GB -o kill-grace=2s 2>"$T/gpuqd.log" &
DPID=$!
i=0
until [ -S "$GPUQ_SOCKET" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$T/gpuqd.log"; exit 1; }
	sleep 0.1
done

cd "$T"
# Small CPU and memory requests, so that on a laptop the GPUs, not the
# cores, decide what runs.
SMALL="--cpus 0.25 --mem 1G"
"$GPUQ" submit $SMALL --gpus 0.5 --name share-half -- sh -c \
	'echo "GPU $CUDA_VISIBLE_DEVICES share $GPUQ_GPU_FRACTION (${GPUQ_GPU_MEM_LIMIT_MB} MiB)"; sleep 600'
"$GPUQ" submit $SMALL --gpus 0.25 --name share-quarter -- sh -c \
	'echo "GPU $CUDA_VISIBLE_DEVICES share $GPUQ_GPU_FRACTION"; sleep 600'
"$GPUQ" submit $SMALL --gpus 1 --name train-progress -- sh -c \
	'for e in $(seq 1 300); do echo "epoch $e/300 loss 0.$((1000 - e * 3))"; sleep 2; done'
"$GPUQ" submit $SMALL --gpus 4 --name four-gpus -- sleep 600
"$GPUQ" submit $SMALL --gpus 4 --name waits-for-gpus -- sleep 600
"$GPUQ" submit --name cpu-only --cpus 0.25 --mem 256M -- sh -c 'echo done on the CPU'
# A hyperparameter sweep of a synthetic trainer (examples/sweep.yaml):
# Bayesian search, Hyperband stopping losers early; the Sweeps view (S).
"$GPUQ" sweep create "$TOP/examples/sweep.yaml" >/dev/null

if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
	echo "gpuq demo: daemon on $GPUQ_SOCKET; opening the workbench"
	echo "(? lists the keys, q quits; from another shell:"
	echo "  GPUQ_SOCKET=$GPUQ_SOCKET $GPUQ ls)"
	sleep 2
	"$GPUQ" || true
else
	sleep 2
	"$GPUQ" status
	"$GPUQ" ls --all
	"$GPUQ" logs 1
	"$GPUQ" sweep ls
fi
