#!/bin/bash
# Sweep figures on the synthetic trainer (examples/train-synthetic.py),
# through a real gpuqd on simulated GPUs.  Prints figures; never fails on
# them (docs/sweeps.md has a copy).
#
#  1. Hyperband against running every trial to the end: the same 27-point
#     grid twice, GPU time spent (trial steps x step time x GPUs, and the
#     daemon's own gpu_seconds) and the best val_loss found.
#  2. Bayes (TPE) against random search at an equal trial budget: the best
#     val_loss found, mean and spread over several seeds.
#
#   bench-sweep.sh GPUQD GPUQ GQCALL
#   SEEDS=5 BUDGET=30 STEP=0.05 (environment) change the sizes.
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../integration/lib.sh"
. "$HERE/../integration/sweep-lib.sh"
itest_init bench-sweep
sweep_init
SEEDS=${SEEDS:-5}
BUDGET=${BUDGET:-30}
STEP=${STEP:-0.05}

echo "bench-sweep: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr)"
itest_start_gpuqd --fake-gpus 8:H100-80GB
mkdir -p "$T/proj"
cd "$T/proj" || exit 1
N=0

# run FILE NAME: runs a sweep to its end; prints its sweep.show answer.
run() {
	"$GPUQ_BIN" -S "$SOCK" sweep create "$1" --name "$2" >/dev/null ||
		itest_fail "sweep create $1"
	N=$((N + 1))
	sweep_wait "$N" done 600
	sweep_json "$N"
}

grid() {
	cat <<EOF
program: $TRAINER
method: grid
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {values: [0.0001, 0.0003, 0.001, 0.002, 0.003, 0.005, 0.01, 0.03, 0.1]}
  batch_size: {values: [32, 64, 128]}
  sleep: {value: $STEP}
parallel: 8
resources: {gpus: 1, cpus: 0.1, mem: 64M}
EOF
	[ "$1" = hyperband ] &&
		echo "early_terminate: {type: hyperband, min_iter: 3, eta: 3}"
}

grid full >full.yaml
grid hyperband >hb.yaml
t0=$(date +%s.%N)
run full.yaml full >full.json
t1=$(date +%s.%N)
run hb.yaml hyperband >hb.json
t2=$(date +%s.%N)
python3 - full.json hb.json "$STEP" "$t0" "$t1" "$t2" <<'PY'
import json, sys
step = float(sys.argv[3])
t0, t1, t2 = map(float, sys.argv[4:7])
def fig(path):
    r = json.load(open(path))
    steps = sum(x["step"] or 0 for x in r["trials"])
    stopped = sum(1 for x in r["trials"] if x["state"] == "STOPPED")
    return r["sweep"]["best"]["value"], steps, r["sweep"]["gpu_seconds"], stopped
bf, sf, gf, _ = fig(sys.argv[1])
bh, sh, gh, st = fig(sys.argv[2])
print("bench-sweep: grid of 27 trials x 27 steps (%.2fs a step, 1 GPU each), "
      "8 GPUs" % step)
print("bench-sweep: every trial to the end: best val_loss %.4f, %d trial-steps "
      "= %.4f GPU-hours (daemon: %d GPU-s), wall %.1fs"
      % (bf, sf, sf * step / 3600, gf, t1 - t0))
print("bench-sweep: hyperband (min_iter 3, eta 3): best val_loss %.4f, %d "
      "trial-steps = %.4f GPU-hours (daemon: %d GPU-s), wall %.1fs, "
      "%d of 27 trials stopped early"
      % (bh, sh, sh * step / 3600, gh, t2 - t1, st))
print("bench-sweep: hyperband spent %.0f%% of the GPU time (%.2fx less) for a "
      "best val_loss %+.2f%% from the full grid's"
      % (100.0 * sh / sf, sf / sh, 100.0 * (bh - bf) / bf))
PY

search() {
	cat <<EOF
program: $TRAINER
method: $1
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {distribution: log_uniform_values, min: 0.00001, max: 1.0}
  batch_size: {values: [16, 32, 64, 128, 256]}
  dropout: {min: 0.0, max: 0.6}
  sleep: {value: 0}
trials: $BUDGET
parallel: 4
seed: $2
resources: {cpus: 0.1, mem: 64M}
EOF
}

: >search.txt
for seed in $(seq 1 "$SEEDS"); do
	for m in random bayes; do
		search $m "$seed" >s.yaml
		run s.yaml "$m-$seed" >s.json
		python3 -c '
import json, sys
r = json.load(sys.stdin)
print(sys.argv[1], sys.argv[2], r["sweep"]["best"]["value"])' "$m" "$seed" \
			<s.json >>search.txt
	done
done
best=$(python3 "$TRAINER" --final --lr=0.0031622776601683794 --batch_size=64 --dropout=0.2)
python3 - search.txt "$BUDGET" "$SEEDS" "$best" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
budget, seeds, best = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
print("bench-sweep: search of lr (log 1e-5..1), batch_size (5 values), dropout "
      "(0..0.6); %d trials each, 4 at once; optimum %.4f" % (budget, best))
for m in ("random", "bayes"):
    v = [float(r[2]) for r in rows if r[0] == m]
    print("bench-sweep: %-6s best val_loss mean %.4f (gap to optimum %.4f), "
          "min %.4f, max %.4f over %d seeds"
          % (m, statistics.mean(v), statistics.mean(v) - best, min(v), max(v),
             len(v)))
PY
