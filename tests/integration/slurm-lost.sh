#!/bin/bash
# A job that ends while gpuqd is away, and that Slurm then forgets
# (MinJobAge=2, no accounting, as the test Slurm has): after the restart
# gpuq cannot know how it ended, and says so instead of guessing; a job
# still running is adopted as usual.
#
#   slurm-lost.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm-lib.sh"
export SLURM_LOCAL_EXTRA="MinJobAge=2"
slurm_init slurm-lost
itest_start_gpuqd --executor slurm

# Job a ends only once gpuqd is gone (the file "go"), so that gpuqd cannot
# have seen it end however slow the machine is.
a=$(submit short "\"argv\":[\"sh\",\"-c\",\"echo up; while [ ! -e $T/go ]; do sleep 0.1; done; exit 3\"]")
b=$(submit long '"argv":["sh","-c","echo up; sleep 300"]')
wait_log "$a" up
wait_log "$b" up
sid=$(cat "$STATE/slurm/$a/slurm-1.id")
itest_stop_gpuqd KILL
touch "$T/go"
i=0
while squeue -h -t all -j "$sid" >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 120 ] || itest_fail "Slurm keeps job $sid"
	sleep 0.5
done
echo "gpuqd killed; Slurm forgot job $sid after $((i / 2)) s"
itest_start_gpuqd --executor slurm
wait_state "$a" FAILED
case "$(field "$a" reason)" in
"lost: Slurm no longer knows job $sid"*) echo "job $a: $(field "$a" reason)" ;;
*) itest_fail "job $a reason: $(field "$a" reason)" ;;
esac
[ "$(field "$b" state)" = RUNNING ] || itest_fail "job $b is $(field "$b" state)"
call job.cancel "{\"id\":$b}" >/dev/null
wait_state "$b" CANCELLED
echo "job $b: adopted, then cancelled"
echo "slurm-lost: OK"
