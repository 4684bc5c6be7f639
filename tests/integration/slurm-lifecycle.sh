#!/bin/bash
# The life of Slurm jobs under gpuq: suspend and resume (scontrol suspend
# and resume: the job's output stops and goes on), requeue (the job gets
# the signal, ends, and runs again as a new Slurm job with
# GPUQ_RESTART_COUNT=1), a job scancel'ed behind gpuq's back ends
# CANCELLED with a reason saying so, and quotas hold across Slurm jobs: a
# project limited to 2 GPUs never has 3 jobs running in Slurm.
#
#   slurm-lifecycle.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm-lib.sh"
slurm_init slurm-lifecycle
cat >"$T/gpuqd.conf" <<EOF
project default
project small deserved=2 limit=2
EOF
itest_start_gpuqd --executor slurm -f "$T/gpuqd.conf"

# lines ID: how many lines of output the job has written so far.
lines() { call job.logs "{\"id\":$1}" data | grep -c tick; }

# Suspend and resume.
s=$(submit suspend '"argv":["sh","-c","i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done"],"gpus":1')
wait_slurm "$s" RUNNING
wait_log "$s" "tick 2"
call job.suspend "{\"id\":$s}" >/dev/null || itest_fail "suspend refused"
wait_state "$s" SUSPENDED
wait_slurm "$s" SUSPENDED
a=$(lines "$s")
sleep 2
b=$(lines "$s")
[ "$a" = "$b" ] || itest_fail "job $s wrote $a then $b lines while suspended"
call job.resume "{\"id\":$s}" >/dev/null || itest_fail "resume refused"
wait_state "$s" RUNNING
wait_slurm "$s" RUNNING
sleep 2
c=$(lines "$s")
[ "$c" -gt "$b" ] || itest_fail "job $s wrote nothing after resume ($b, $c)"
echo "job $s: suspended in Slurm at $b lines, resumed, now $c"
call job.cancel "{\"id\":$s}" >/dev/null
wait_state "$s" CANCELLED

# Requeue: the signal, the end, a new Slurm job for the next attempt.
r=$(submit requeue '"argv":["sh","-c","echo run $GPUQ_RESTART_COUNT; trap \"echo saving; exit 0\" TERM; while :; do sleep 0.2; done"],"gpus":1,"kill_grace_s":5')
wait_slurm "$r" RUNNING
wait_log "$r" "run 0"
call job.requeue "{\"id\":$r}" >/dev/null || itest_fail "requeue refused"
i=0
until [ "$(slurm_ids "$r" | wc -l)" = 2 ] && [ "$(slurm_state "$r")" = RUNNING ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || itest_fail "job $r did not run again: $(squeue -t all)"
	sleep 0.1
done
[ "$(field "$r" attempt)" = 2 ] || itest_fail "job $r attempt $(field "$r" attempt)"
wait_log "$r" "run 1"
[ "$(call job.logs "{\"id\":$r}" data)" = "$(printf 'run 0\nsaving\nrun 1')" ] ||
	itest_fail "job $r logs: $(call job.logs "{\"id\":$r}" data)"
echo "job $r: requeued; Slurm jobs $(slurm_ids "$r" | tr '\n' ' ')"
call job.cancel "{\"id\":$r}" >/dev/null
wait_state "$r" CANCELLED

# scancel from outside gpuq.
x=$(submit outside '"argv":["sleep","300"],"gpus":1')
wait_slurm "$x" RUNNING
scancel "$(slurm_ids "$x")"
wait_state "$x" CANCELLED
case "$(field "$x" reason)" in
"cancelled in Slurm"*) echo "job $x: $(field "$x" reason)" ;;
*) itest_fail "job $x reason: $(field "$x" reason)" ;;
esac

# Quotas: project small may hold 2 GPUs; the third job waits in gpuq.
for k in 1 2 3; do
	q[$k]=$(submit "quota$k" '"argv":["sleep","300"],"gpus":1,"project":"small"')
done
wait_slurm "${q[1]}" RUNNING
wait_slurm "${q[2]}" RUNNING
sleep 3
[ "$(field "${q[3]}" state)" = PENDING ] ||
	itest_fail "job ${q[3]} is $(field "${q[3]}" state) past its project's limit"
[ -z "$(slurm_ids "${q[3]}")" ] || itest_fail "job ${q[3]} reached Slurm"
n=$(squeue -h -t R,PD -o %k | grep -c '^gpuq:')
[ "$n" = 2 ] || itest_fail "$n gpuq jobs in Slurm, not 2"
echo "project small: 2 jobs run in Slurm, job ${q[3]} waits in gpuq ($(field "${q[3]}" wait))"
call job.cancel "{\"id\":${q[1]}}" >/dev/null
wait_slurm "${q[3]}" RUNNING
echo "job ${q[3]} runs once job ${q[1]} ended"
echo "slurm-lifecycle: OK"
