#!/bin/bash
# gpuqd --executor slurm against a real single-node Slurm (8 GPUs that
# exist on paper, 32 shards): a whole-GPU job and a half-GPU job (shards)
# run, and their states flow into gpuq (seen in squeue and in gpuq ls);
# exit codes; logs through job.logs; a command and an environment full of
# shell metacharacters reach the job word for word; cancel; a time limit;
# an unknown pool is refused at submit; a partition Slurm no longer has
# fails the job with sbatch's own words.  The jobs go to the partition
# named by slurm-partition ("doomed", deleted at the end).
#
#   slurm-basic.sh GPUQD GQCALL GPUQ
set -u
GPUQD=$1 GQCALL=$2 GPUQ_BIN=$3
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/slurm-lib.sh"
export SLURM_LOCAL_EXTRA="PartitionName=doomed Nodes=$(hostname -s) MaxTime=INFINITE State=UP"
slurm_init slurm-basic
# Jobs run as their users: "nobody" reaches its socket and slurm-dir.
chmod 711 "$T"
cp "$GQCALL" "$T/gqcall" && chmod 755 "$T/gqcall"
itest_start_gpuqd --executor slurm -o slurm-partition=doomed \
	-o slurm-dir="$T/shared" -o slurm-gpu-mem=24G

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }

# logs ID: the job's stdout through job.logs.
logs() { call job.logs "{\"id\":$1}" data; }

# The GPUs are Slurm's: the model from the gres type (untyped: "gpu"), the
# memory from slurm-gpu-mem, no telemetry (this host's GPUs are not them).
st=$(call cluster.status '{}' gpu_source nodes.0.gpus.0.model \
	nodes.0.gpus.0.mem_mb nodes.0.gpus.0.uuid nodes.0.gpus.0.util_pct | tr '\n' ' ')
[ "$st" = "slurm gpu 24576 null null " ] || itest_fail "cluster.status says $st"
gpuq status | grep -q '^GPU  MODEL  MEMORY  ALLOC  *JOBS$' ||
	itest_fail "gpuq status: $(gpuq status)"
gpuq status | grep -qE '^  *7  gpu   *24G  ' || itest_fail "gpuq status: $(gpuq status)"
echo "cluster.status: Slurm's GPUs, model gpu, 24G each, no telemetry"

# Whole GPUs: in Slurm as gres gpu:2 in partition doomed, then FAILED 4.
w=$(submit whole '"argv":["sh","-c","echo whole $GPUQ_JOB_ID $GPUQ_GPU_FRACTION $GPUQ_GPU_ENFORCEMENT; sleep 3; exit 4"],"gpus":2')
wait_slurm "$w" RUNNING
sid=$(slurm_ids "$w")
[ "$(squeue -h -j "$sid" -o '%b %P')" = "gres:gpu:2 doomed" ] ||
	itest_fail "Slurm job $sid is $(squeue -h -j "$sid" -o '%b %P')"
gpuq ls | grep -E "^ *$w .*RUNNING" >/dev/null ||
	itest_fail "gpuq ls does not show job $w running: $(gpuq ls)"
[ "$(field "$w" enforcement) $(field "$w" enforcement_via)" = "exclusive slurm gres" ] ||
	itest_fail "job $w enforcement: $(field "$w" enforcement) $(field "$w" enforcement_via)"
echo "job $w runs as Slurm job $sid with gres:gpu:2"
wait_state "$w" FAILED
[ "$(field "$w" exit_code)" = 4 ] || itest_fail "job $w: exit code $(field "$w" exit_code)"
[ "$(logs "$w")" = "whole $w 1 exclusive" ] || itest_fail "job $w logs: $(logs "$w")"
[ "$(slurm_ids "$w" | wc -l)" = 1 ] || itest_fail "job $w ran twice"
echo "job $w: FAILED with exit code 4 in gpuq, $(slurm_state "$w") in Slurm"

# A share of a GPU: shards (4 a GPU, so half a GPU is 2).
# Slurm counts shards but holds no job to one: advisory, and it says so.
h=$(submit half '"argv":["sh","-c","echo half $GPUQ_GPU_FRACTION $GPUQ_GPU_ENFORCEMENT; sleep 2"],"gpus":0.5')
wait_slurm "$h" RUNNING
[ "$(squeue -h -j "$(slurm_ids "$h")" -o %b)" = "gres:shard:2" ] ||
	itest_fail "job $h asks Slurm for $(squeue -h -j "$(slurm_ids "$h")" -o %b)"
gpuq show "$h" | grep -q '^  gpu share  advisory (slurm shard): Slurm counts' ||
	itest_fail "gpuq show $h: $(gpuq show "$h")"
wait_state "$h" COMPLETED
[ "$(logs "$h")" = "half 0.5 advisory" ] || itest_fail "job $h logs: $(logs "$h")"
echo "job $h: half a GPU as gres:shard:2, advisory (slurm shard), COMPLETED"

# A job gpuq admitted that Slurm keeps PENDING (a job from outside gpuq
# holds every GPU): gpuq says RUNNING, and where it is, honestly.
blk=$(sbatch --parsable -p doomed --gres=gpu:8 -o /dev/null --wrap 'sleep 300')
i=0
until [ "$(squeue -h -j "$blk" -o %T)" = RUNNING ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || itest_fail "the blocker is $(squeue -h -j "$blk" -o %T)"
	sleep 0.1
done
p=$(submit pend '"argv":["sh","-c","echo started; sleep 2"],"gpus":1')
wait_slurm "$p" PENDING
i=0
until gpuq ls | grep -qE "^ *$p .*RUNNING .*in Slurm: PENDING \(Resources\)$"; do
	i=$((i + 1))
	[ $i -lt 100 ] || itest_fail "gpuq ls: $(gpuq ls) (squeue: $(squeue -h -j "$(slurm_ids "$p")" -o '%T %r'))"
	sleep 0.1
done
gpuq show "$p" | grep -q '^  state      RUNNING (attempt 1), in Slurm: PENDING (Resources)$' ||
	itest_fail "gpuq show $p: $(gpuq show "$p")"
gpuq show "$p" | grep -q "^  slurm      job $(slurm_ids "$p"), PENDING$" ||
	itest_fail "gpuq show $p: $(gpuq show "$p")"
echo "job $p: RUNNING in gpuq, shown as $(gpuq ls | grep -oE "in Slurm: .*" | head -n 1)"
scancel "$blk"
wait_slurm "$p" RUNNING
i=0
until gpuq ls | grep -qE "^ *$p .*RUNNING .* $(hostname -s):[0-9]+$"; do
	i=$((i + 1))
	[ $i -lt 100 ] || itest_fail "gpuq ls once it runs: $(gpuq ls)"
	sleep 0.1
done
wait_state "$p" COMPLETED
echo "job $p: started once the GPUs were free, then shown on its node"

# Metacharacters: every word arrives as it was sent.
m=$(submit meta '"argv":["printf","%s|\\n","it'"'"'s","$HOME","a  b","`id`;rm -rf /x","*","\\","-x"],
	"env":{"WEIRD":"a'"'"'b\"c$d;`e`"}')
wait_state "$m" COMPLETED
want=$(printf '%s|\n' "it's" '$HOME' 'a  b' '`id`;rm -rf /x' '*' '\' '-x')
[ "$(logs "$m")" = "$want" ] || itest_fail "job $m logs: $(logs "$m")"
e=$(submit env '"argv":["sh","-c","printf %s \"$WEIRD\""],"env":{"WEIRD":"a'"'"'b\"c$d;`e`"}')
wait_state "$e" COMPLETED
[ "$(logs "$e")" = 'a'"'"'b"c$d;`e`' ] || itest_fail "job $e logs: $(logs "$e")"
echo "jobs $m and $e: metacharacters in argv and env arrive word for word"

# Cancel a running job.
c=$(submit cancel '"argv":["sleep","300"],"gpus":1,"kill_grace_s":2')
wait_slurm "$c" RUNNING
call job.cancel "{\"id\":$c}" >/dev/null || itest_fail "cancel refused"
wait_state "$c" CANCELLED 20
case "$(field "$c" reason)" in
"cancelled by root"*) ;;
*) itest_fail "job $c reason: $(field "$c" reason)" ;;
esac
i=0
while [ "$(slurm_state "$c")" = RUNNING ] || [ "$(slurm_state "$c")" = COMPLETING ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || itest_fail "job $c still $(slurm_state "$c") in Slurm"
	sleep 0.1
done
echo "job $c: CANCELLED in gpuq, $(slurm_state "$c") in Slurm"

# A time limit.
t=$(submit limit '"argv":["sleep","300"],"gpus":1,"time_limit_s":2,"kill_grace_s":1')
wait_state "$t" TIMEOUT 30
echo "job $t: TIMEOUT after its 2 s limit"

# A job of another user runs as that user (sbatch --uid).
u=$(su -s /bin/sh nobody -c "$T/gqcall -S $SOCK job.submit '{\"key\":\"user\",
	\"argv\":[\"sh\",\"-c\",\"id -un\"],\"workdir\":\"/tmp\",\"gpus\":1,
	\"cpus\":0.1,\"mem_mb\":16}' job.id") || itest_fail "nobody cannot submit"
wait_state "$u" COMPLETED
[ "$(logs "$u")" = nobody ] || itest_fail "job $u ran as $(logs "$u")"
[ "$(stat -c %U "$T/shared/$u")" = nobody ] || itest_fail "job $u's directory"
echo "job $u: ran as nobody"

# An unknown pool: refused at once, with the reason.
out=$(call job.submit '{"key":"nopool","argv":["true"],"workdir":"/tmp","pool":"nosuch"}' 2>&1)
case "$out" in
*ENOFIT*) ;;
*) itest_fail "unknown pool gave: $out" ;;
esac
case "$out" in
*'no node is in pool "nosuch"'*) echo "unknown pool refused: $out" | tr '\n' ' '; echo ;;
*) itest_fail "unknown pool gave: $out" ;;
esac

# The partition goes away behind gpuq's back: sbatch's words say why.
scontrol delete PartitionName=doomed || itest_fail "cannot delete the partition"
r=$(submit refused '"argv":["true"],"gpus":1')
wait_state "$r" FAILED
reason=$(field "$r" reason)
case "$reason" in
*"Invalid partition name specified"*) echo "job $r: FAILED: $reason" ;;
*) itest_fail "job $r failed with \"$reason\"" ;;
esac
[ -z "$(slurm_ids "$r")" ] || itest_fail "job $r is in Slurm"
echo "slurm-basic: OK"
