#!/bin/bash
# A sweep of another user's under a root gpuqd: its trials run as nobody,
# who cannot enter the daemon's state directory, yet they write
# $GPUQ_METRICS_FILE (the supervisor hands it over as /dev/fd/N) and every
# point reaches the sweep.  Skipped (77) unless root with setpriv.
#
#   metrics-fd.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GQCALL=$3
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sweep-lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
	echo "SKIP: needs root and setpriv"
	exit 77
fi
itest_init metrics-fd
sweep_init
[ -x /usr/bin/python3 ] || { echo "SKIP: no /usr/bin/python3"; exit 77; }
chmod 711 "$T"
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$GQCALL" -S "$SOCK" "$@"
}

call_user() { "$GQCALL" -S "$SOCK" job.show "{\"id\":$1}" job.user; }

itest_start_gpuqd --fake-gpus 2:H100-80GB
# The trials' workdir is nobody's; the daemon's state is root's alone.
mkdir -p "$T/work"
chown nobody "$T/work"
ls -ld "$STATE" | grep -q "^drwx------ .* root " ||
	itest_fail "the state directory is not root's alone: $(ls -ld "$STATE")"

python3 - "$TRAINER" "$T/work" >"$T/create.json" <<'PY'
import json, sys
spec = """program: %s
method: grid
metric: {name: val_loss, goal: minimize}
parameters:
  lr: {values: [0.001, 0.01]}
  steps: {value: 5}
  sleep: {value: 0.02}
parallel: 2
resources: {cpus: 0.1, mem: 64M}
""" % sys.argv[1]
print(json.dumps({"file": spec, "name": "asnobody", "workdir": sys.argv[2],
                  "env": {"PATH": "/usr/bin:/bin"}}))
PY
as_nobody sweep.create "$(cat "$T/create.json")" sweep.id >"$T/id" ||
	itest_fail "nobody's sweep.create: $(cat "$T/id")"
SWEEP=$(cat "$T/id")
sweep_wait "$SWEEP" done 30
sweep_py '
import json, sys
r = json.load(sys.stdin)
t = r["trials"]
assert len(t) == 2, t
for x in t:
    assert x["state"] == "COMPLETED", x
    assert x["points"] == 5 and x["step"] == 5 and x["dropped"] == 0, x
    print(x["job"])
' >"$T/jobs" || itest_fail "trials: $(sweep_json "$SWEEP")"
for job in $(cat "$T/jobs"); do
	[ "$(call_user "$job")" = nobody ] || itest_fail "job $job ran as $(call_user "$job")"
	f=$STATE/jobs/$job/metrics.jsonl
	[ "$(wc -l <"$f")" = 5 ] || itest_fail "$f: $(cat "$f")"
	grep -q "Permission denied" "$STATE/jobs/$job/stderr" &&
		itest_fail "job $job: $(cat "$STATE/jobs/$job/stderr")"
done
echo "nobody's trials wrote their metrics through /dev/fd: 2 trials, 5 points each"
echo PASS
