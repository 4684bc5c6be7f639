#!/bin/bash
# Faults around Slurm jobs.  gpuqd is killed (-9) while jobs run: those
# that end while it is down get their right end (FAILED 7, COMPLETED 0)
# from Slurm, the one still running is adopted and can be cancelled.
# gpuqd is killed again and again in the middle of a burst of submits:
# every job still runs exactly once (one "ran" line each).  slurmctld is
# stopped while gpuqd runs: gpuqd keeps answering at once, a job submitted
# meanwhile waits, no job is marked lost, and once slurmctld is back every
# job ends as it should.  A Slurm job left by an sbatch under way when
# gpuqd was killed is cancelled after the restart.
#
#   slurm-restart.sh GPUQD GQCALL
set -u
GPUQD=$1 GQCALL=$2
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm-lib.sh"
slurm_init slurm-restart
start() { itest_start_gpuqd --executor slurm; }
start

# expect ID STATE CODE
expect() {
	wait_state "$1" "$2" 40
	[ "$(field "$1" exit_code)" = "$3" ] ||
		itest_fail "job $1: exit code $(field "$1" exit_code), not $3"
	[ "$(slurm_ids "$1" | wc -l)" = 1 ] ||
		itest_fail "job $1 has Slurm jobs $(slurm_ids "$1" | tr '\n' ' ')"
}

# 1. Killed while jobs run.
a=$(submit fail '"argv":["sh","-c","echo up; sleep 3; exit 7"],"gpus":1')
b=$(submit ok '"argv":["sh","-c","echo up; sleep 3"],"gpus":0.25')
c=$(submit long '"argv":["sh","-c","echo up; sleep 300"],"gpus":1')
for j in $a $b $c; do wait_log "$j" up; done
itest_stop_gpuqd KILL
echo "gpuqd killed; jobs $a $b $c run in Slurm"
i=0
until [ "$(slurm_state "$a")" = FAILED ] && [ "$(slurm_state "$b")" = COMPLETED ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || itest_fail "jobs $a $b did not end: $(squeue -t all)"
	sleep 0.1
done
start
expect "$a" FAILED 7
expect "$b" COMPLETED 0
[ "$(field "$c" state)" = RUNNING ] || itest_fail "job $c is $(field "$c" state)"
grep -q "job $c adopted (slurm job $(slurm_ids "$c"))" "$T/gpuqd.log" ||
	itest_fail "job $c was not adopted: $(grep adopted "$T/gpuqd.log")"
call job.cancel "{\"id\":$c}" >/dev/null
wait_state "$c" CANCELLED
echo "after the restart: $a FAILED 7, $b COMPLETED 0, $c adopted and cancelled"

# 2. Killed in the middle of submits, three times.
ids=""
for round in 1 2 3; do
	for k in 1 2 3 4; do
		ids="$ids $(submit "burst$round-$k" '"argv":["sh","-c","echo ran $GPUQ_JOB_ID"],"gpus":0.25')"
	done
	sleep 0.$((RANDOM % 4))
	itest_stop_gpuqd KILL
	start
done
for j in $ids; do
	wait_state "$j" COMPLETED 60
	n=$(call job.logs "{\"id\":$j}" data | grep -c "^ran $j$")
	[ "$n" = 1 ] || itest_fail "job $j ran $n times"
done
echo "12 jobs submitted around three kills: each ran once ($(ls "$STATE"/slurm/*/claim-* | wc -l) claims)"

# 3. slurmctld goes away while gpuqd runs.
x=$(submit during '"argv":["sh","-c","echo up; sleep 4; exit 3"],"gpus":1')
wait_log "$x" up
kill "$(cat "$SLURM_T/slurmctld.pid")"
while kill -0 "$(cat "$SLURM_T/slurmctld.pid" 2>/dev/null)" 2>/dev/null; do
	sleep 0.1
done
t0=$(date +%s%N)
y=$(submit away '"argv":["sh","-c","echo ran"],"gpus":1')
call server.stats >/dev/null
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt 2000 ] || itest_fail "gpuqd took $ms ms to answer while slurmctld was down"
echo "slurmctld down: gpuqd answered a submit and a stats call in $ms ms"
sleep 8
[ "$(field "$x" state)" = RUNNING ] || itest_fail "job $x is $(field "$x" state) while slurmctld is down"
[ "$(field "$y" state)" = RUNNING ] || itest_fail "job $y is $(field "$y" state) while slurmctld is down"
sh "$SLURM_LOCAL" restart-ctld "$SLURM_T" || itest_fail "slurmctld did not come back"
expect "$x" FAILED 3
expect "$y" COMPLETED 0
# Slurm's commands wait and retry a while themselves: a short outage may
# only make them slow.  Either way nothing is lost.
grep "slurm: .*answering" "$T/gpuqd.log" | sed 's/^/  gpuqd: /'
echo "slurmctld back: $x FAILED 3, $y COMPLETED 0"
# 4. Killed while an sbatch is under way: the Slurm job it made (held
# here, so that it waits) is a stray once the attempt is rescinded, and
# the restarted gpuqd cancels it.  An sbatch wrapper makes the window wide:
# while $T/slow exists it submits with --hold, then waits for gpuqd to die
# without answering.
mkdir -p "$T/bin"
cat >"$T/bin/sbatch" <<EOF
#!/bin/sh
if [ -e "$T/slow" ]; then
	$(command -v sbatch) --hold "\$@" >/dev/null || exit 1
	while kill -0 \$PPID 2>/dev/null; do sleep 0.1; done
	exit 1
fi
exec $(command -v sbatch) "\$@"
EOF
chmod 755 "$T/bin/sbatch"
itest_stop_gpuqd
PATH=$T/bin:$PATH
start
touch "$T/slow"
s=$(submit stray '"argv":["sh","-c","echo ran $GPUQ_RESTART_COUNT"],"gpus":1')
i=0
until [ -n "$(slurm_ids "$s")" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || itest_fail "job $s did not reach Slurm"
	sleep 0.1
done
stray=$(slurm_ids "$s")
itest_stop_gpuqd KILL
rm -f "$T/slow"
[ "$(squeue -h -j "$stray" -o %T)" = PENDING ] ||
	itest_fail "Slurm job $stray is $(squeue -h -j "$stray" -o %T)"
start
wait_state "$s" COMPLETED 40
[ "$(call job.logs "{\"id\":$s}" data)" = "ran 1" ] ||
	itest_fail "job $s logs: $(call job.logs "{\"id\":$s}" data)"
i=0
until [ "$(squeue -h -t all -j "$stray" -o %T)" = CANCELLED ]; do
	i=$((i + 1))
	[ $i -lt 100 ] ||
		itest_fail "stray Slurm job $stray is $(squeue -h -t all -j "$stray" -o '%T %r')"
	sleep 0.1
done
grep -q "cancelled Slurm job $stray, a stray of attempt 1 of job $s" "$T/gpuqd.log" ||
	itest_fail "no word of the stray in the log"
echo "job $s: its stray Slurm job $stray (attempt 1) cancelled; attempt 2 ran"
echo "slurm-restart: OK"
