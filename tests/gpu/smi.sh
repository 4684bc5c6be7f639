#!/bin/bash
# No NVML library but an nvidia-smi program (a stand-in script first on
# PATH): the "auto" probe falls back to it.  The inventory and MIG mode
# come from its CSV, samples from its -lms loop; a share on a MIG GPU is
# enforced, one on a plain GPU advisory (nvidia-smi tells no per-process
# memory) until an MPS control daemon appears, then enforced with the MPS
# limits in its environment.  A GPU that nvidia-smi calls lost is left
# out, and the sampling child goes away with the daemon.
#
#   smi.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/../integration/lib.sh"
itest_init gpu-smi

gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

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
wait_state() { wait_field job.show "{\"id\":$1}" job.state "$2"; }

mkdir -p "$T/bin" "$T/mps"
cat >"$T/bin/nvidia-smi" <<'EOF'
#!/bin/bash
# A stand-in: --query-gpu=FIELDS --format=csv,noheader,nounits [-lms MS]
q="" ms=""
while [ $# -gt 0 ]; do
	case $1 in
	--query-gpu=*) q=${1#--query-gpu=} ;;
	-lms) ms=$2; shift ;;
	esac
	shift
done
out() {
	case $q in
	index,uuid,*)
		echo "0, GPU-5a1e0000-0000-4000-8000-000000000000, NVIDIA A100-SXM4-40GB, 40960, Disabled"
		echo "1, GPU-5a1e0000-0000-4000-8000-000000000001, NVIDIA A30, 24576, Enabled" ;;
	index,utilization.gpu,*) cat "$SMI_DATA" ;;
	*) echo "unexpected query $q" >&2; exit 2 ;;
	esac
}
if [ -z "$ms" ]; then out; exit 0; fi
while :; do out; sleep "$(awk "BEGIN { print $ms / 1000 }")"; done
EOF
chmod 755 "$T/bin/nvidia-smi"
printf '0, 77, 1234, 50, 200.5\n1, 3, 10, 35, [N/A]\n' >"$T/data"
export SMI_DATA=$T/data PATH=$T/bin:$PATH
cat >"$T/gpuqd.conf" <<EOF
gpu-sample-interval 1s
nvml-lib $T/no-such-libnvidia-ml.so.1
mps-pipe-dir $T/mps
EOF
itest_start_gpuqd -f "$T/gpuqd.conf"

gpuq status >"$T/status" || itest_fail "gpuq status failed"
cat "$T/status"
grep -q "gpus from nvidia-smi" "$T/status" || itest_fail "not from nvidia-smi"
grep -q "A100-40GB" "$T/status" || itest_fail "no A100-40GB"
grep -q "A30-24GB" "$T/status" || itest_fail "no A30-24GB"
[ "$(call cluster.status '{}' nodes.0.gpus.1.mig)" = true ] ||
	itest_fail "GPU 1's MIG mode was not seen"
wait_field cluster.status '{}' nodes.0.gpus.0.util_pct 77
wait_field cluster.status '{}' nodes.0.gpus.0.power_w 201
[ "$(call cluster.status '{}' nodes.0.gpus.1.power_w)" = null ] ||
	itest_fail "an unknown power draw is not null"

submit() { # submit MODEL
	call job.submit "{\"argv\":[\"sh\",\"-c\",\"env >$T/env.\$GPUQ_JOB_ID; exec sleep 300\"],
		\"workdir\":\"$T\",\"gpus\":0.5,\"gpu_model\":\"$1\",
		\"cpus\":0.1,\"mem_mb\":10,\"kill_grace_s\":1}" job.id
}
[ "$(submit A30)" = 1 ] || itest_fail "submit 1"
[ "$(submit A100)" = 2 ] || itest_fail "submit 2"
wait_state 1 RUNNING
wait_state 2 RUNNING
wait_field job.show '{"id":1}' job.enforcement enforced
wait_field job.show '{"id":2}' job.enforcement advisory

# An MPS control daemon appears (its control pipe): the next share is
# enforced by MPS limits.
mkfifo "$T/mps/control"
[ "$(submit A100)" = 3 ] || itest_fail "submit 3"
wait_state 3 RUNNING
wait_field job.show '{"id":3}' job.enforcement enforced
i=0
while [ ! -s "$T/env.3" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -qx CUDA_MPS_ACTIVE_THREAD_PERCENTAGE=50 "$T/env.3" ||
	itest_fail "no MPS thread limit: $(grep MPS "$T/env.3")"
grep -qx CUDA_MPS_PINNED_DEVICE_MEM_LIMIT=0=20480MB "$T/env.3" ||
	itest_fail "no MPS memory limit: $(grep MPS "$T/env.3")"
grep -qx "CUDA_MPS_PIPE_DIRECTORY=$T/mps" "$T/env.3" ||
	itest_fail "no MPS pipe directory"
grep -q CUDA_MPS "$T/env.2" && itest_fail "job 2 got MPS limits without MPS"

# nvidia-smi says GPU 1 is lost.
printf '0, 77, 1234, 50, 200.5\n1, [GPU is lost], [GPU is lost], [GPU is lost], [GPU is lost]\n' >"$T/data"
wait_field cluster.status '{}' nodes.0.gpus.1.state lost
for j in 1 2 3; do call job.cancel "{\"id\":$j}" >/dev/null; done
wait_state 3 CANCELLED
[ "$(submit A30)" = 4 ] || itest_fail "submit 4"
sleep 2
[ "$(call job.show '{"id":4}' job.state)" = PENDING ] ||
	itest_fail "a job started on the lost GPU"

# The sampling child goes with the daemon.
itest_wait_proc "$T/bin/nvidia-smi" yes || itest_fail "no sampling child"
itest_stop_gpuqd
itest_wait_proc "$T/bin/nvidia-smi" no ||
	itest_fail "nvidia-smi outlived the daemon"
echo "PASS"
