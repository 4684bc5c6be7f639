#!/bin/bash
# Preemption through the real daemon and real processes.  Project b borrows
# both GPUs; project a, inside its deserved quota, reclaims one: the
# youngest of b's jobs gets its checkpoint signal (USR1), saves, exits, and
# goes back to PENDING; when the GPU frees again it restarts and sees
# GPUQ_RESTART_COUNT=1.  On the way: the plan's wait and risk in job.show,
# project.list, a SIGHUP that changes quotas without losing a job, and a
# config with a cycle of departments refused with its file and line.
#
#   preempt.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
itest_init preempt

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

cat >"$T/job.sh" <<'JOB'
#!/bin/sh
echo "start $GPUQ_RESTART_COUNT"
trap 'echo checkpoint; exit 0' USR1
while :; do sleep 0.1; done
JOB
chmod +x "$T/job.sh"

conf() {
	cat >"$T/gpuqd.conf" <<CONF
fake-gpus 2:H100-80GB
project a deserved=1
project b deserved=$1
policy-param half-life=1d min-runtime=1s swap-time=2s
CONF
}

submit() {
	call job.submit "{\"argv\":[\"$T/job.sh\"],\"workdir\":\"/tmp\",
		\"project\":\"$1\",\"gpus\":1,\"cpus\":0.1,\"mem_mb\":10,
		\"checkpoint_signal\":\"USR1\",\"kill_grace_s\":5}" job.id
}

# A bad configuration: gpuqd -t names the file and the line.
printf 'department x parent=y\ndepartment y parent=x\n' >"$T/bad.conf"
out=$("$GPUQD" -t -f "$T/bad.conf" 2>&1) && itest_fail "a cycle was accepted"
case $out in
*bad.conf:1:*cycle*) ;;
*) itest_fail "unclear error for a cycle: $out" ;;
esac

conf 1
itest_start_gpuqd -f "$T/gpuqd.conf"
[ "$(submit b)" = 1 ] || itest_fail "submit 1"
wait_field 1 job.state RUNNING
sleep 1
[ "$(submit b)" = 2 ] || itest_fail "submit 2"
wait_field 2 job.state RUNNING
wait_field 2 job.risk.level borrowed 10
sleep 1.2

# a is inside its quota: job 2 (the younger) is swapped out for job 3.
[ "$(submit a)" = 3 ] || itest_fail "submit 3"
wait_field 2 job.state PENDING
wait_field 2 job.preemptions 1
wait_field 3 job.state RUNNING
[ "$(call job.show '{"id":1}' job.state)" = RUNNING ] ||
	itest_fail "job 1 (b's deserved GPU) was touched"
grep -q checkpoint "$STATE/jobs/2/stdout" ||
	itest_fail "job 2 did not get its checkpoint signal"
[ "$(call job.show '{"id":2}' job.wait.reason)" = QUOTA ] ||
	itest_fail "job 2 should wait past b's quota"
[ "$(call project.list '{}' projects.1.borrowed)" = 0.0 ] ||
	itest_fail "b still borrows"

# SIGHUP with b's quota raised: nothing is lost, the new quota shows.
conf 2
kill -HUP "$DPID"
i=0
while [ "$(call project.list '{}' projects.1.deserved)" != 2.0 ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || itest_fail "reload did not take the new quota"
	sleep 0.1
done
for id in 1 3; do
	[ "$(call job.show "{\"id\":$id}" job.state)" = RUNNING ] ||
		itest_fail "job $id lost on reload"
done

# When a GPU frees, job 2 starts again and knows it is a restart.
call job.cancel '{"id":3}' >/dev/null
wait_field 2 job.state RUNNING
i=0
until grep -q "start 1" "$STATE/jobs/2/stdout"; do
	i=$((i + 1))
	[ $i -lt 50 ] || itest_fail "job 2 did not restart with count 1"
	sleep 0.1
done
call job.cancel '{"id":1}' >/dev/null
call job.cancel '{"id":2}' >/dev/null
wait_field 2 job.state CANCELLED
echo "ok: reclaim, checkpoint signal, requeue, restart count, reload"
