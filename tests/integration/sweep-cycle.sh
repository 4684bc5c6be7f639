#!/bin/bash
# A stopped trial's GPU goes to the next trial within one scheduling
# cycle.  One simulated GPU, one trial at a time, each trial a whole GPU:
# trials 1 and 2 are good, trial 3 is bad and Hyperband stops it at its
# first rung.  The events must show trial 4 queued in the turn that
# stopped trial 3 (before trial 3's job has even exited), and trial 4
# started as the very next job event after trial 3's job ended: no plan in
# between.
#
#   sweep-cycle.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sweep-lib.sh"
itest_init sweep-cycle
sweep_init

itest_start_gpuqd --fake-gpus 1:H100-80GB
sweep_events_start
mkdir -p "$T/proj"
cd "$T/proj" || exit 1
cat >cycle.yaml <<EOF
program: $TRAINER
method: grid
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {values: [0.01, 0.003, 0.0001, 0.001]}
  sleep: {value: 0.08}
early_terminate: {type: hyperband, min_iter: 3, eta: 3}
parallel: 1
resources: {gpus: 1, cpus: 0.1, mem: 64M}
EOF
"$GPUQ_BIN" -S "$SOCK" sweep create cycle.yaml --name cycle >"$T/out" ||
	itest_fail "create: $(cat "$T/out")"
SWEEP=1
sweep_wait 1 done 40
sleep 0.3

python3 - "$T/events.jsonl" <<'PY' || itest_fail "events: $(cat "$T/events.jsonl" | cut -c1-300)"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.startswith('{"event"')]
def job_events(job):
    return [(e["seq"], e["data"]["job"]) for e in ev if e["event"] == "job.state"
            and e["data"]["job"]["id"] == job]
trials = {}
stop = None
for e in ev:
    if e["event"] != "sweep.trial":
        continue
    d = e["data"]
    trials.setdefault(d["trial"], (e["seq"], d["job"]))
    if d.get("stopped_early") and stop is None:
        stop = (e["seq"], d)
assert stop is not None, "no trial was stopped early"
t = stop[1]["trial"]
assert t == 3, "trial %d was stopped, not trial 3" % t
j2, (q3, j3) = stop[1]["job"], trials[t + 1]
ended = [s for s, j in job_events(j2) if j["state"] == "CANCELLED"]
started = [(s, j) for s, j in job_events(j3) if j["state"] == "RUNNING"]
assert ended and started, (ended, started)
c2, (r3, job3) = ended[0], started[0]
end2 = [j for s, j in job_events(j2) if s == c2][0]["end_time"]
print("trial %d (job %d) stopped at seq %d: %s" % (t, j2, stop[0],
      stop[1]["stopped_early"]))
print("trial %d (job %d) queued at seq %d; job %d ended at seq %d; "
      "job %d started at seq %d (%ds later)" % (t + 1, j3, q3, j2, c2, j3,
      r3, job3["start_time"] - end2))
assert stop[0] <= q3 < c2, "the next trial was not queued in the stopping turn"
between = [e for e in ev if c2 < e["seq"] < r3 and e["event"] == "job.state"]
assert not between, "job events between the end and the start: %s" % between
assert job3["start_time"] - end2 <= 1
PY
echo PASS
