# Shared by the slurm*.sh tests (sourced after lib.sh): a single-node
# Slurm of their own (scripts/slurm-local.sh) under $T/slurm, stopped by
# the trap, and helpers to follow a job in gpuq and in Slurm.
#
#   slurm_init NAME     skips (77) unless root with the Slurm packages;
#                       makes $T, starts Slurm, exports SLURM_CONF
#   call VERB [JSON [FIELD...]]     gqcall on this test's daemon
#   submit KEY JSON-MEMBERS         job.submit; prints the job's id
#   wait_state ID STATE [SECONDS]   until gpuq says STATE
#   slurm_ids ID                    Slurm job ids of gpuq job ID (any state)
#   slurm_state ID                  Slurm's state of the newest of them
#   wait_slurm ID STATE [SECONDS]   until Slurm says STATE
#   wait_log ID PATTERN             until the job's stdout has PATTERN
#                                   (Slurm says RUNNING a little before
#                                   the batch script starts)

SLURM_LOCAL=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts" && pwd)/slurm-local.sh

slurm_skip() {
	echo "SKIP: $*"
	exit 77
}

slurm_cleanup() {
	[ -n "${SLURM_T:-}" ] && sh "$SLURM_LOCAL" stop "$SLURM_T" >/dev/null 2>&1
	itest_cleanup
}

slurm_init() {
	local p
	[ "$(id -u)" = 0 ] || slurm_skip "the Slurm tests start slurmctld and need root"
	for p in sbatch squeue scontrol scancel slurmctld slurmd munged; do
		command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] ||
			slurm_skip "$p is missing (Debian: slurmctld slurmd slurm-client munge)"
	done
	itest_init "$1"
	trap slurm_cleanup EXIT
	SLURM_T=$T/slurm
	sh "$SLURM_LOCAL" start "$SLURM_T" >"$T/slurm-start.log" 2>&1 ||
		itest_fail "Slurm did not start: $(tail -n 3 "$T/slurm-start.log")"
	export SLURM_CONF=$SLURM_T/slurm.conf
	echo "Slurm up: $(sinfo -h -N -o '%N %c CPUs %G %T' | head -n 1)"
}

call() { "$GQCALL" -S "$SOCK" "$@"; }

# submit KEY MEMBERS: MEMBERS is the rest of the JSON object after argv.
submit() {
	call job.submit "{\"key\":\"$1\",\"workdir\":\"/tmp\",\"cpus\":0.1,
		\"mem_mb\":16,$2}" job.id
}

wait_state() {
	local i=0 s=""
	while [ $i -lt $((${3:-30} * 10)) ]; do
		s=$(call job.show "{\"id\":$1}" job.state)
		[ "$s" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "job $1 is $s, not $2"
}

field() { call job.show "{\"id\":$1}" "job.$2"; }

slurm_ids() {
	squeue -h -t all -o '%i|%k' | awk -F'|' -v id="$1" \
		'{ n = split($2, f, ":"); if (f[1] == "gpuq" && f[n - 1] == id) print $1 }' |
		sort -n
}

slurm_state() {
	local sid
	sid=$(slurm_ids "$1" | tail -n 1)
	[ -n "$sid" ] || return 0
	squeue -h -t all -j "$sid" -o %T 2>/dev/null
}

wait_slurm() {
	local i=0 s=""
	while [ $i -lt $((${3:-30} * 10)) ]; do
		s=$(slurm_state "$1")
		[ "$s" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "job $1 is $s in Slurm, not $2"
}

wait_log() {
	local i=0
	until call job.logs "{\"id\":$1}" data | grep -q -- "$2"; do
		i=$((i + 1))
		[ $i -lt 300 ] ||
			itest_fail "job $1 logs: $(call job.logs "{\"id\":$1}" data)"
		sleep 0.1
	done
}
