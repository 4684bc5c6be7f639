#!/bin/bash
# Fair-share usage of suspended jobs (docs/swap.md, "Usage"): a job that
# is suspended and then cancelled, and one that is suspended, resumed and
# then ends, are charged their run time only, both while the daemon runs
# and after a restart rebuilds the usage from the store
# (run_swap_usage_span).
#
#   usage-suspend.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GQCALL=$3
. "$(dirname "$0")/lib.sh"
itest_init usage-suspend

call() { "$GQCALL" -S "$SOCK" "$@"; }

# wait_state ID STATE
wait_state() {
	local i=0 v
	while [ $i -lt 400 ]; do
		v=$(call job.show "{\"id\":$1}" job.state)
		[ "$v" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	itest_fail "job $1 is '$v', not '$2'"
}

# submit PROJECT SCRIPT: prints the new job's id.
submit() {
	call job.submit "{\"argv\":[\"/bin/sh\",\"-c\",\"$2\"],\"workdir\":\"/tmp\",\"project\":\"$1\",\"gpus\":1,\"cpus\":0.1,\"mem_mb\":10,\"kill_grace_s\":1}" job.id
}

# One "name gpus" line for each of the projects cut and resumed.
standing() {
	local i n
	n=$(call project.list '{}' projects | grep -o '"name"' | wc -l)
	for i in $(seq 0 $((n - 1))); do
		call project.list '{}' "projects.$i.name" \
			"projects.$i.usage.gpus" | paste -sd' '
	done | grep -E '^(cut|resumed) ' | sort
}

itest_start_gpuqd --fake-gpus 2:H100-80GB
# cut: runs 4 s, suspended 5 s, cancelled: 4 s of use.
a=$(submit cut "sleep 300")
# resumed: runs 4 s, suspended 5 s, runs 4 s more: 8 s of use.
b=$(submit resumed "i=0; while [ \$i -lt 80 ]; do sleep 0.1; i=\$((i+1)); done")
wait_state "$a" RUNNING
wait_state "$b" RUNNING
sleep 4
for j in "$a" "$b"; do
	[ "$(call job.suspend "{\"id\":$j}" job.id)" = "$j" ] ||
		itest_fail "suspend $j"
done
wait_state "$a" SUSPENDED
wait_state "$b" SUSPENDED
sleep 5
call job.cancel "{\"id\":$a}" >/dev/null || itest_fail "cancel $a"
call job.resume "{\"id\":$b}" >/dev/null || itest_fail "resume $b"
wait_state "$a" CANCELLED
wait_state "$b" COMPLETED
standing >"$T/live"
[ "$(wc -l <"$T/live")" = 2 ] || itest_fail "standing: $(cat "$T/live")"

itest_stop_gpuqd TERM
itest_start_gpuqd --fake-gpus 2:H100-80GB
standing >"$T/rebuilt"
echo "live:    $(paste -sd' ' "$T/live")"
echo "rebuilt: $(paste -sd' ' "$T/rebuilt")"
# The same usage within 20%, or within about 2.4 s of use (a third of
# resumed's 8 s): the store keeps whole seconds, so each of a run's ends
# may move by up to a second, a lot on a 4 s run on a loaded machine.
same_usage() {
	paste -d' ' "$T/live" "$1" | awk '
	function abs(x) { return x < 0 ? -x : x }
	{ n[NR] = $1; m[NR] = $3; a[NR] = $2; b[NR] = $4 }
	$1 == "resumed" { unit = $2 / 8 }
	END {
		for (i = 1; i <= NR; i++) {
			d = abs(a[i] - b[i]); big = a[i] > b[i] ? a[i] : b[i]
			if (n[i] != m[i] || a[i] <= 0 ||
			    (d > 0.20 * big && d > 2.4 * unit))
				exit 1
		}
	}'
}
same_usage "$T/rebuilt" ||
	itest_fail "the rebuilt usage differs from the live one"

# Archived (out of memory, into the usage book), then a restart that
# reads the book: the same again.
itest_stop_gpuqd TERM
itest_start_gpuqd --fake-gpus 2:H100-80GB -o keep-finished=0
i=0
until grep -q "0 jobs in memory, 2 archived" "$T/gpuqd.log"; do
	i=$((i + 1))
	[ $i -lt 100 ] || itest_fail "the two jobs were not archived"
	sleep 0.1
done
# The book is read back at the next start.
itest_stop_gpuqd TERM
itest_start_gpuqd --fake-gpus 2:H100-80GB -o keep-finished=0
grep -q ": 0 jobs in memory (0 ended), 2 ended ones archived" "$T/gpuqd.log" ||
	itest_fail "not loaded from the archive: $(grep 'jobs in memory' "$T/gpuqd.log")"
standing >"$T/archived"
echo "archived: $(paste -sd' ' "$T/archived")"
same_usage "$T/archived" ||
	itest_fail "the archived usage differs from the live one"
awk '$1 == "cut" { c = $2 } $1 == "resumed" { r = $2 }
	END { exit !(c > 0 && c < 0.8 * r) }' "$T/rebuilt" ||
	itest_fail "cut was charged its suspended time: $(cat "$T/rebuilt")"
echo PASS
