#!/bin/bash
# A sweep carries on across daemon restarts: gpuqd is killed with SIGKILL
# and later stopped with SIGTERM while trials run, and restarted each
# time.  Afterwards every trial number 1..8 exists once with one job; each
# trial ran once (its metrics file has each step once) and every point it
# reported was stored once; there are no other jobs.
#
#   sweep-restart.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sweep-lib.sh"
itest_init sweep-restart
sweep_init

call() { "$GQCALL" -S "$SOCK" "$@"; }

# wait_started N: until the sweep has created N trials.
wait_started() {
	local i=0
	while [ "$(call sweep.show '{"id":1}' sweep.started)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || itest_fail "sweep 1 never started $1 trials"
		sleep 0.1
	done
}

itest_start_gpuqd --fake-gpus 2:H100-80GB
mkdir -p "$T/proj"
cd "$T/proj" || exit 1
cat >restart.yaml <<EOF
program: $TRAINER
method: random
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  batch_size: {values: [32, 64, 128]}
  steps: {value: 16}
  sleep: {value: 0.1}
trials: 8
parallel: 3
seed: 7
resources: {gpus: 0.5, cpus: 0.1, mem: 64M}
EOF
"$GPUQ_BIN" -S "$SOCK" sweep create restart.yaml --name rs >"$T/out" ||
	itest_fail "create: $(cat "$T/out")"
SWEEP=1

wait_started 2
sleep 0.7
itest_stop_gpuqd KILL
echo "gpuqd killed (SIGKILL) with $(pgrep -fc -- "supervise $STATE/") trials running"
sleep 1
itest_start_gpuqd --fake-gpus 2:H100-80GB
wait_started 5
sleep 0.5
itest_stop_gpuqd TERM
echo "gpuqd stopped (SIGTERM)"
sleep 0.5
itest_start_gpuqd --fake-gpus 2:H100-80GB
sweep_wait 1 done 45

sweep_json 1 >"$T/sweep.json"
call job.list '{"all":true}' >"$T/jobs.json"
python3 - "$T/sweep.json" "$T/jobs.json" "$STATE" <<'PY' ||
import json, sys
r = json.load(open(sys.argv[1]))
jobs = json.load(open(sys.argv[2]))["jobs"]
t = r["trials"]
assert r["sweep"]["state"] == "done" and r["sweep"]["started"] == 8
assert sorted(x["trial"] for x in t) == list(range(1, 9)), "trials lost or doubled"
assert len({x["job"] for x in t}) == 8
assert len(jobs) == 8, "%d jobs, not 8" % len(jobs)
names = sorted(j["name"] for j in jobs)
assert names == sorted("rs-t%d" % i for i in range(1, 9)), names
for x in t:
    assert x["state"] == "COMPLETED", x
    steps = [json.loads(l)["step"] for l in
             open("%s/jobs/%d/metrics.jsonl" % (sys.argv[3], x["job"]))]
    assert steps == list(range(1, 17)), "trial %d ran %s" % (x["trial"], steps)
    assert x["step"] == 16 and x["points"] == 16, x
print("8 trials, each ran once; points stored once; seed %d" % r["sweep"]["seed"])
PY
	itest_fail "after the restarts: $(cat "$T/sweep.json")"
echo PASS
