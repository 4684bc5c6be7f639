#!/bin/bash
# Sweeps through the gpuq CLI against a real gpuqd on four simulated GPUs:
# a grid runs as real jobs (names, environment, the job's "sweep" link);
# Hyperband stops the losing trials early and the best trial it keeps is
# the grid's true best within 2%; trials that report on stdout ("@gpuq "
# lines, a malformed one counted as dropped); a dry run; a bad sweep file
# is refused with its line numbers; a command that cannot run stops its
# sweep after five failures; pause and resume; another user can
# neither pause nor stop my sweep; `gpuq sweep from-job`.
#
#   sweep.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sweep-lib.sh"
itest_init sweep
sweep_init

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

# expect_rc CODE COMMAND...: runs a gpuq command, checks its exit status.
expect_rc() {
	local want=$1 rc
	shift
	gpuq "$@" >"$T/out" 2>"$T/err"
	rc=$?
	[ "$rc" = "$want" ] ||
		itest_fail "gpuq $* exited $rc, not $want: $(cat "$T/err")"
}

itest_start_gpuqd --fake-gpus 4:H100-80GB
mkdir -p "$T/proj"
cd "$T/proj" || exit 1

cat >grid.yaml <<EOF
name: grid
program: $TRAINER
method: grid
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {values: [0.0001, 0.001, 0.01, 0.1]}
  batch_size: {values: [32, 64, 128]}
  sleep: {value: 0.04}
early_terminate: {type: hyperband, min_iter: 3, eta: 3}
parallel: 4
resources: {gpus: 1, cpus: 0.1, mem: 64M, time: 5m}
EOF

# The dry run lists the twelve trials and the most they could cost.
expect_rc 0 sweep create grid.yaml --dry-run
n=$(grep -c -- "--batch_size=" "$T/out")
[ "$n" = 12 ] || itest_fail "the dry run lists $n trials, not 12: $(cat "$T/out")"
grep -q "12 trials, 4 at once; at most 1.00 GPU-hours" "$T/out" ||
	itest_fail "the dry run's summary: $(tail -n 1 "$T/out")"
[ "$(call sweep.list '{}' total)" = 0 ] || itest_fail "the dry run stored a sweep"

expect_rc 0 sweep create grid.yaml
grep -q "^Created sweep 1 (grid): grid, 12 trials, 4 at once" "$T/out" ||
	itest_fail "create said: $(cat "$T/out")"
SWEEP=1
sweep_wait 1 done 50
expect_rc 0 sweep show 1
cat "$T/out"

# Every trial was a job of this sweep, with its environment and link.
sweep_py '
import json, sys
r = json.load(sys.stdin)
t = r["trials"]
assert len(t) == 12, len(t)
assert sorted(x["trial"] for x in t) == list(range(1, 13))
assert len({x["job"] for x in t}) == 12
for x in t:
    print(x["trial"], x["job"])
' >"$T/trials" || itest_fail "sweep.show: $(sweep_json 1)"
while read -r trial job; do
	call job.show "{\"id\":$job}" >"$T/job" || itest_fail "no job $job"
	python3 - "$T/job" "$trial" "$job" <<'PY' || itest_fail "job $job: $(cat "$T/job")"
import json, sys
j = json.load(open(sys.argv[1]))["job"]
trial, job = int(sys.argv[2]), int(sys.argv[3])
assert j["name"] == "grid-t%d" % trial, j["name"]
assert j["sweep"] == {"id": 1, "trial": trial}, j.get("sweep")
assert j["env"]["GPUQ_SWEEP_ID"] == "1"
assert j["env"]["GPUQ_TRIAL"] == str(trial)
assert j["env"]["GPUQ_METRICS_FILE"].endswith("/jobs/%d/metrics.jsonl" % job)
assert j["argv"][0] == "python3" and "--lr=" in " ".join(j["argv"])
assert j["state"] in ("COMPLETED", "CANCELLED"), j["state"]
PY
done <"$T/trials"
echo "12 trials ran as jobs grid-t1..grid-t12"

# The grid's true best, from the trainer's own formula.
true_best=$(for lr in 0.0001 0.001 0.01 0.1; do for bs in 32 64 128; do
	python3 "$TRAINER" --final --lr=$lr --batch_size=$bs; done; done |
	sort -g | head -n 1)
sweep_py '
import json, sys
r = json.load(sys.stdin)
t, s = r["trials"], r["sweep"]
best, truth = s["best"]["value"], float(sys.argv[1])
stopped = [x for x in t if x["state"] == "STOPPED"]
done = [x for x in t if x["state"] == "COMPLETED"]
print("best %.4f (trial %d), true best %.4f; %d stopped early, %d ran "
      "to the end; %d of %d steps run" % (best, s["best"]["trial"], truth,
      len(stopped), len(done), sum(x["step"] for x in t), 12 * 27))
assert abs(best - truth) <= 0.02 * truth, "best is not the true best"
assert t[0]["best"] == best and t[0]["state"] == "COMPLETED"
assert len(stopped) >= 4, "hyperband stopped too few"
for x in stopped:
    assert x["stopped_early"].startswith("hyperband: "), x
    # A trial may be judged at the last rung before its process exits.
    assert x["step"] <= 27, x
    assert x["best"] > best
for x in done:
    assert x["step"] == 27 and x["points"] == 27 and x["dropped"] == 0, x
assert s["counts"]["stopped"] == len(stopped)
' "$true_best" || itest_fail "hyperband: $(sweep_json 1)"
job=$(sweep_py '
import json, sys
print([x for x in json.load(sys.stdin)["trials"] if x["state"] == "STOPPED"][0]["job"])')
reason=$(call job.show "{\"id\":$job}" job.reason)
case "$reason" in
"stopped early: hyperband: "*) ;;
*) itest_fail "stopped trial's job $job has reason: $reason" ;;
esac
echo "stopped trial's job $job: $reason"

# Trials reporting on stdout: "@gpuq " lines, a malformed one dropped.
cat >stdout.yaml <<'EOF'
command: [sh, -c, 'echo "@gpuq {\"step\": 1, \"acc\": $0}"; echo "@gpuq {nonsense"; echo "just a log line"; echo "@gpuq {\"step\": 2, \"acc\": 0.9, \"loss\": 0.1}"', "${x}"]
method: grid
metric: {name: acc, goal: maximize}
parameters:
  x: {values: [0.25, 0.5]}
parallel: 2
resources: {cpus: 0.1, mem: 64M}
EOF
expect_rc 0 sweep create stdout.yaml --name out
SWEEP=2
sweep_wait 2 done 20
sweep_py '
import json, sys
t = json.load(sys.stdin)["trials"]
assert len(t) == 2
for x in t:
    assert x["state"] == "COMPLETED", x
    assert x["points"] == 2 and x["dropped"] == 1 and x["step"] == 2, x
    assert x["best"] == 0.9 and x["metrics"] == {"acc": 0.9, "loss": 0.1}, x
' || itest_fail "stdout metrics: $(sweep_json 2)"
echo "stdout metrics: 2 points a trial, 1 malformed line dropped"

# A bad sweep file: every error, each with its line.
cat >bad.yaml <<'EOF'
program: train.py
method: grid
metric: {name: loss, goal: minimize}
parameters:
  lr: {min: 0.1, max: 0.01}
  batch_size: {valuez: [32, 64]}
parallel: 2
EOF
expect_rc 1 sweep create bad.yaml
grep -q "^bad.yaml:5: parameters.lr: " "$T/err" ||
	itest_fail "no line 5 error: $(cat "$T/err")"
grep -q "^bad.yaml:6: parameters.batch_size" "$T/err" ||
	itest_fail "no line 6 error: $(cat "$T/err")"
printf '{"program": "t.py",\n "method": "sideways"}\n' >bad.json
expect_rc 1 sweep create bad.json
grep -q "^bad.json:2: method: " "$T/err" ||
	itest_fail "no line 2 error in JSON: $(cat "$T/err")"
[ "$(call sweep.list '{}' total)" = 2 ] || itest_fail "a bad file made a sweep"
echo "bad files refused with line numbers"

# A command that cannot run stops its sweep after five failures in a
# row, not after its whole budget.
cat >broken.yaml <<'EOF'
program: no-such-script.py
method: random
metric: {name: loss, goal: minimize}
parameters:
  lr: {min: 0.1, max: 1.0}
trials: 50
parallel: 2
resources: {cpus: 0.1, mem: 64M}
EOF
expect_rc 0 sweep create broken.yaml --name broken
SWEEP=3
sweep_wait 3 stopped 30
reason=$(call sweep.show '{"id":3}' sweep.reason)
started=$(call sweep.show '{"id":3}' sweep.started)
case "$reason" in
"5 trials in a row failed without reporting loss"*) ;;
*) itest_fail "broken sweep's reason: $reason" ;;
esac
[ "$started" -le 7 ] || itest_fail "the broken sweep started $started trials"
echo "a broken command stopped its sweep after $started trials: $reason"

# Pause: no new trial; resume: the next one starts.
cat >slow.yaml <<EOF
program: $TRAINER
method: random
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {distribution: log_uniform_values, min: 0.0001, max: 0.1}
  steps: {value: 30}
  sleep: {value: 0.1}
trials: 3
parallel: 1
resources: {gpus: 0.5, cpus: 0.1, mem: 64M}
EOF
expect_rc 0 sweep create slow.yaml --name slow
SWEEP=4
expect_rc 0 sweep pause 4
grep -q "Sweep 4 is paused" "$T/out" || itest_fail "pause: $(cat "$T/out")"
j1=$(call sweep.show '{"id":4}' trials.0.job)
i=0
while [ "$(call job.show "{\"id\":$j1}" job.state)" != COMPLETED ]; do
	i=$((i + 1))
	[ $i -lt 150 ] || itest_fail "trial 1 of sweep 4 did not end"
	sleep 0.1
done
sleep 0.6
[ "$(call sweep.show '{"id":4}' sweep.started)" = 1 ] ||
	itest_fail "a paused sweep started a trial"
expect_rc 0 sweep resume 4
[ "$(call sweep.show '{"id":4}' sweep.started)" = 2 ] ||
	itest_fail "resume did not start trial 2 in its own transaction"
echo "pause held trial 2 back; resume started it"

# Another user may look but not change: EPERM, and the sweep runs on.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 711 "$T"
	as_nobody() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
			"$GQCALL" -S "$SOCK" "$@"
	}
	for verb in sweep.stop sweep.pause; do
		got=$(as_nobody "$verb" '{"id":4}' 2>"$T/err")
		[ "$got" = EPERM ] || itest_fail "nobody's $verb: $got $(cat "$T/err")"
		grep -q "sweep 4 belongs to root" "$T/err" ||
			itest_fail "nobody's $verb said: $(cat "$T/err")"
	done
	[ "$(as_nobody sweep.show '{"id":4}' sweep.state)" = running ] ||
		itest_fail "nobody cannot look at sweep 4"
	echo "nobody may look at sweep 4 but neither stop nor pause it"
else
	echo "SKIP (not root): another user's sweep.stop"
fi
[ "$(call sweep.show '{"id":4}' sweep.state)" = running ] ||
	itest_fail "sweep 4 is no longer running"

# The owner stops it: its running trial is cancelled.
j2=$(call sweep.show '{"id":4}' trials.0.job)
[ "$(call job.show "{\"id\":$j2}" job.state)" = RUNNING ] ||
	j2=$(call sweep.show '{"id":4}' trials.1.job)
expect_rc 0 sweep stop 4
grep -q "Sweep 4 is stopped" "$T/out" || itest_fail "stop: $(cat "$T/out")"
i=0
while [ "$(call job.show "{\"id\":$j2}" job.state)" != CANCELLED ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || itest_fail "sweep 4's trial job $j2 was not cancelled"
	sleep 0.1
done
# (A job stopped before its process even started says so instead.)
case "$(call job.show "{\"id\":$j2}" job.reason)" in
"sweep stopped by $(id -un)" | "cancelled before it started") ;;
*) itest_fail "job $j2's reason: $(call job.show "{\"id\":$j2}" job.reason)" ;;
esac
expect_rc 1 sweep pause 4
echo "stop cancelled job $j2"

# ls and from-job.
expect_rc 0 sweep ls
grep -q "^1 *grid *[a-z]* *done *grid *12/12" "$T/out" ||
	itest_fail "sweep ls: $(cat "$T/out")"
expect_rc 0 sweep from-job "$j1" -o "$T/from.yaml"
grep -q "^parameters:" "$T/from.yaml" || itest_fail "from-job: $(cat "$T/from.yaml")"
grep -q "lr:" "$T/from.yaml" || itest_fail "from-job lost --lr"
expect_rc 0 sweep create "$T/from.yaml" --dry-run
echo "from-job wrote a sweep file that parses"
echo PASS
