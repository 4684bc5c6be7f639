#!/bin/bash
# GPUs through NVML, the fake libnvidia-ml.so.1 of tests/gpu standing in
# for the driver (found through LD_LIBRARY_PATH, as the real one would
# be): the inventory in `gpuq status`, enforcement labels, a job's GPU
# process tied to it and stopped for overrunning its share, an idle job
# noticed, a GPU lost mid-run left out of new placements, gpu.history,
# and `gpuq usage` per user and per project, kept across a restart.
#
#   nvml.sh GPUQD GPUQ GQCALL NVMLDIR
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3 NVMLDIR=$4
. "$(dirname "$0")/../integration/lib.sh"
itest_init gpu-nvml

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

# wait_field VERB PARAMS FIELD VALUE [SECONDS]
wait_field() {
	local i=0 v
	while [ $i -lt $((${5:-15} * 10)) ]; do
		v=$(call "$1" "$2" "$3" 2>/dev/null)
		[ "$v" = "$4" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "$1 $2: $3 is '$v', not '$4'"
}
wait_state() { wait_field job.show "{\"id\":$1}" job.state "$2" "${3:-15}"; }

# The GPUs: two H100s, idle; GPU 1 will fall off the bus later.
cat >"$T/nvml" <<'EOF'
gpus 2 81559 0 NVIDIA H100 80GB HBM3
util * 0
mem * 0
temp * 41
power * 90
EOF
cat >"$T/gpuqd.conf" <<'EOF'
gpu-sample-interval 1s
idle-threshold 10
idle-after 3s
gpu-mem-overrun stop
project default deserved=1
project p1 deserved=1
EOF
cat >"$T/job.sh" <<'EOF'
#!/bin/sh
echo $$ >"$1/pid.$GPUQ_JOB_ID"
env >"$1/env.$GPUQ_JOB_ID"
exec sleep 300
EOF
chmod 755 "$T/job.sh"
chmod 755 "$T"
export GPUQ_FAKE_NVML=$T/nvml
export LD_LIBRARY_PATH=$NVMLDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
itest_start_gpuqd -f "$T/gpuqd.conf"

# The inventory comes from NVML.
gpuq status >"$T/status" || itest_fail "gpuq status failed"
cat "$T/status"
grep -q "gpus from nvml" "$T/status" || itest_fail "status does not say nvml"
[ "$(grep -c 'H100-80GB' "$T/status")" = 2 ] ||
	itest_fail "status does not list two H100-80GB"
[ "$(call cluster.status '{}' gpu_source)" = nvml ] || itest_fail "source"
[ "$(call cluster.status '{}' nodes.0.gpus.1.uuid)" = \
	GPU-fa4e0000-0000-4000-8000-000000000001 ] ||
	itest_fail "GPU 1's UUID is not NVML's"
wait_field cluster.status '{}' nodes.0.gpus.0.temp_c 41

submit() { # submit GPUS [PROJECT]
	call job.submit "{\"argv\":[\"$T/job.sh\",\"$T\"],\"workdir\":\"$T\",
		\"gpus\":$1,\"cpus\":0.1,\"mem_mb\":10,\"kill_grace_s\":1
		${2:+,\"project\":\"$2\"}}" job.id
}

# A whole GPU is exclusive; half a GPU is watched through NVML.
[ "$(submit 1)" = 1 ] || itest_fail "submit 1"
wait_state 1 RUNNING
[ "$(submit 0.5 p1)" = 2 ] || itest_fail "submit 2"
wait_state 2 RUNNING
wait_field job.show '{"id":1}' job.enforcement exclusive
wait_field job.show '{"id":2}' job.enforcement monitored
i=0
while [ ! -s "$T/env.2" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -qx GPUQ_GPU_ENFORCEMENT=monitored "$T/env.2" ||
	itest_fail "job 2 was not told its enforcement"
gpuq show 2 | grep -q "gpu share.*monitored" ||
	itest_fail "gpuq show does not print the enforcement"

# Job 1 holds its GPU and sleeps: after idle-after it is idle.
wait_field job.show '{"id":1}' job.idle.util 0 15
grep -q "job 1 of .* is idle" "$T/gpuqd.log" || itest_fail "no idle log"
gpuq ls | grep -q "(idle)" || itest_fail "gpuq ls does not mark it idle"

# Job 2's process (the real pid) uses 60000 MiB of a 40779 MiB share: it
# is tied to job 2 through its supervisor's session, and stopped.
g2=$(call job.show '{"id":2}' job.alloc.gpus.0.index)
echo "proc $g2 $(cat "$T/pid.2") 60000" >>"$T/nvml"
wait_state 2 CANCELLED
call job.show '{"id":2}' job.reason | grep -q "GPU memory overrun: 60000 MiB" ||
	itest_fail "job 2's reason: $(call job.show '{"id":2}' job.reason)"

# GPU 1 falls off the bus: reported, and no new job is placed on it.
g1=$(call job.show '{"id":1}' job.alloc.gpus.0.index)
lost=$((1 - g1))
echo "lost $lost" >>"$T/nvml"
wait_field cluster.status '{}' "nodes.0.gpus.$lost.state" lost
grep -q "GPU $lost .* is lost" "$T/gpuqd.log" || itest_fail "no lost log"
gpuq status | grep -q LOST || itest_fail "gpuq status does not say LOST"
call job.cancel '{"id":1}' >/dev/null
wait_state 1 CANCELLED
[ "$(submit 1)" = 3 ] || itest_fail "submit 3"
wait_state 3 RUNNING
[ "$(call job.show '{"id":3}' job.alloc.gpus.0.index)" = "$g1" ] ||
	itest_fail "job 3 was placed on the lost GPU"
call job.cancel '{"id":3}' >/dev/null
wait_state 3 CANCELLED
[ "$(submit 2)" = 4 ] || itest_fail "submit 4"
sleep 2
[ "$(call job.show '{"id":4}' job.state)" = PENDING ] ||
	itest_fail "a two-GPU job started with one GPU lost"
call job.cancel '{"id":4}' >/dev/null
wait_state 4 CANCELLED

# gpu.history: the ring's rounds, GPU 1 lost at the end.
call gpu.history "{\"gpu\":$lost,\"since\":$(($(date +%s) - 120)),\"step\":1}" >"$T/hist" ||
	itest_fail "gpu.history failed"
grep -q '"lost"\]' "$T/hist" || itest_fail "no fields in gpu.history"
grep -Eq ',null,null,null,null,1\]\]' "$T/hist" ||
	itest_fail "gpu.history does not end lost: $(tail -c 200 "$T/hist")"

# Another user's job, when we may be another user.
other=""
if [ "$(id -u)" = 0 ]; then
	other=nobody
	runuser -u nobody -- "$GQCALL" -S "$SOCK" job.submit \
		"{\"argv\":[\"/bin/sleep\",\"2\"],\"workdir\":\"/tmp\",\"gpus\":1,
		\"cpus\":0.1,\"mem_mb\":10}" job.id >"$T/nobody-id" ||
		itest_fail "nobody could not submit"
	wait_state "$(cat "$T/nobody-id")" COMPLETED 20
fi

# Usage per user and per project; kept across a restart.
check_usage() {
	gpuq usage --since 1h >"$T/usage" || itest_fail "gpuq usage failed"
	cat "$T/usage"
	head -1 "$T/usage" | grep -q "USER *JOBS *GPU-H ALLOC" ||
		itest_fail "usage header"
	grep -Eq "^$(id -un) +3 " "$T/usage" ||
		itest_fail "usage: $(id -un) should have 3 jobs (job 4 never ran)"
	if [ -n "$other" ]; then
		grep -Eq "^nobody +1 " "$T/usage" ||
			itest_fail "usage: nobody should have 1 job"
	fi
	gpuq usage --since 1h --by project --csv >"$T/usage.csv" ||
		itest_fail "gpuq usage --csv failed"
	head -1 "$T/usage.csv" | grep -qx \
		"project,jobs,gpu_h_alloc,gpu_h_used,efficiency_pct,idle_gpu_h,no_samples" ||
		itest_fail "csv header: $(head -1 "$T/usage.csv")"
	grep -q "^p1,1," "$T/usage.csv" || itest_fail "usage: project p1"
	grep -q "^default," "$T/usage.csv" || itest_fail "usage: default"
}
check_usage
alloc=$(call usage.report '{"since":0}' total.alloc_gpu_h)
awk "BEGIN { exit !($alloc > 0) }" || itest_fail "no GPU-hours given: $alloc"
itest_stop_gpuqd
itest_start_gpuqd -f "$T/gpuqd.conf"
check_usage
[ "$(call usage.report '{"since":0}' total.alloc_gpu_h)" = "$alloc" ] ||
	itest_fail "usage changed across a restart"
echo "PASS"
