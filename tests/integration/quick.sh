#!/bin/bash
# Incremental planning through the real daemon (docs/scheduling.md, "How
# often it plans"): new jobs arriving right after a full plan are decided
# on the quick path (logged at debug level), start where they fit (two
# halves packed on one GPU by the default placement), or wait with the
# reason a full plan gives; a job ending frees its GPU for the next one
# through a full plan.
#
#   quick.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
itest_init quick

call() { "$GQCALL" -S "$SOCK" "$@"; }

# wait_field ID FIELD VALUE [SECONDS]
wait_field() {
	local i=0 v
	while [ $i -lt $((${4:-20} * 10)) ]; do
		v=$(call job.show "{\"id\":$1}" "$2")
		[ "$v" = "$3" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "job $1: $2 is '$v', not '$3'"
}

submit() {
	call job.submit "{\"argv\":[\"sleep\",\"60\"],\"workdir\":\"/tmp\",
		\"gpus\":$1,\"cpus\":0.01,\"mem_mb\":1,
		\"time_limit_s\":600}" job.id
}

cat >"$T/gpuqd.conf" <<CONF
fake-gpus 4:H100-80GB
log-level debug
placement fgd+ whole=bestfit
policy-param half-life=0
CONF
itest_start_gpuqd -f "$T/gpuqd.conf"

# Six jobs in a burst: three whole GPUs and two halves fill the four
# GPUs; the sixth waits.
for g in 1 1 1 0.5 0.5 1; do
	submit "$g" >/dev/null || itest_fail "submit"
done
for id in 1 2 3 4 5; do
	wait_field "$id" job.state RUNNING
done
[ "$(call job.show '{"id":4}' job.alloc.gpus.0.index)" = \
	"$(call job.show '{"id":5}' job.alloc.gpus.0.index)" ] ||
	itest_fail "the two halves were not packed on one GPU"
wait_field 6 job.wait.reason RESOURCES
grep -q "decided on the quick path" "$T/gpuqd.log" ||
	itest_fail "no job was decided on the quick path"

# A full plan follows the quick decisions within seconds: job 6 gets a
# reservation from it (the quick path makes none) and keeps its reason.
wait_field 6 job.wait.reserved true 10
wait_field 6 job.wait.reason RESOURCES

# Capacity freed: a full plan starts job 6 on the GPU job 1 held.
call job.cancel '{"id":1}' >/dev/null
wait_field 6 job.state RUNNING
for id in 2 3 4 5 6; do
	call job.cancel "{\"id\":$id}" >/dev/null
done
wait_field 6 job.state CANCELLED
echo "ok: quick path, packing, full plan after, capacity freed"
