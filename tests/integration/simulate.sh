#!/bin/bash
# gpuqd simulate on the real traces in ../shared/traces (never copied into
# the repository): the FGD experiment on openb_pod_list_default with one
# seed must print well-formed JSON with every strategy's alloc_at_100 and
# alloc_at_130, alloc_at_130 above 85% (the published floor is best fit at
# 93%), and FGD+ ahead of best fit; the Philly replay must complete all
# 1,000 jobs.  No timing is checked.  Skips (77) when the traces are absent.
#
#   simulate.sh GPUQD TRACES
set -u
GPUQD=$1 TRACES=$2
OPENB=$TRACES/alibaba-gpu-v2023
PHILLY=$TRACES/philly-sample

if [ ! -f "$OPENB/csv/openb_pod_list_default.csv" ]; then
	echo "skip: no openb trace under $TRACES"
	exit 77
fi
if ! command -v python3 > /dev/null; then
	echo "skip: python3 is needed to read the JSON"
	exit 77
fi
out=$("$GPUQD" simulate fgd --trace-dir "$OPENB" \
	--workload openb_pod_list_default --seeds 42 --json) || {
	echo "FAIL: gpuqd simulate fgd exited $?"
	exit 1
}
printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["experiment"] == "fgd", d
assert d["workload"] == "openb_pod_list_default"
assert d["gpus"] == 6212 and d["nodes"] == 1213, (d["gpus"], d["nodes"])
assert d["seeds"] == [42]
s = {x["name"]: x for x in d["strategies"]}
for name in ("fgd+", "fgd-k8s", "fgd", "bestfit", "random"):
	x = s[name]
	for k in ("alloc_at_100", "alloc_at_130"):
		assert 0 < x[k] <= 100, (name, k, x[k])
	assert x["alloc_at_130"] > 85, (name, x["alloc_at_130"])
	assert x["curve"]["50"] > 45, (name, x["curve"])
assert s["fgd"]["published_at_130"] == 95.39, s["fgd"]
assert s["fgd+"]["alloc_at_130"] > s["bestfit"]["alloc_at_130"], s
assert d["alloc_at_130"] == s["fgd+"]["alloc_at_130"]
print("fgd: alloc_at_130", {k: v["alloc_at_130"] for k, v in s.items()})
' || { echo "FAIL: bad fgd output: $out"; exit 1; }

text=$("$GPUQD" simulate fgd --trace-dir "$OPENB" --seeds 42 \
	--strategies bestfit) || exit 1
printf '%s\n' "$text" | grep -q '^  130% ' || {
	echo "FAIL: no 130% row: $text"
	exit 1
}

if [ -f "$PHILLY/philly_sample1000.csv" ]; then
	out=$("$GPUQD" simulate replay --trace-dir "$PHILLY" --json) || exit 1
	printf '%s\n' "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["experiment"] == "replay" and d["trace"] == "philly", d
assert d["jobs"] == 1000 and d["rejected"] == 0, d
assert 0 < d["alloc_mean"] <= 100 and 0 < d["jain"] <= 1, d
assert d["wait_s"]["p50"] <= d["wait_s"]["p99"], d
print("replay:", d["jobs"], "jobs, jain", d["jain"])
' || { echo "FAIL: bad replay output: $out"; exit 1; }
fi
echo "simulate: ok"
