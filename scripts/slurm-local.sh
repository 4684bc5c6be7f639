#!/bin/sh
# A single-node Slurm on this machine for tests and benchmarks, everything
# under one directory: its own munged (own socket), slurmctld and slurmd on
# free ports (10000-32767), and 8 GPUs that exist only on paper
# (gres gpu:8, shard:32).  Needs root and the Debian packages slurmctld,
# slurmd, slurm-client and munge.
#
#   scripts/slurm-local.sh start DIR   start it; prints the line to use it:
#                                      export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh stop DIR    stop what start started (by pid)
#   scripts/slurm-local.sh restart-ctld DIR
#                                      stop slurmctld if it runs, start it
#                                      again on its saved state (jobs kept)
#
# The node declares at least 16 CPUs whatever the machine has
# (SlurmdParameters=config_overrides), so that tests can run several
# one-CPU jobs at once.  SLURM_LOCAL_EXTRA, when set, is appended to
# slurm.conf (another partition, a shorter MinJobAge).
#
# Several may run at once in different directories.  See
# /work/shared/design/TESTING.md ("Slurm").
set -eu

die() { echo "slurm-local: $*" >&2; exit 1; }

# A TCP port from 10000 to 32767 (below the kernel's ephemeral range, so
# no outgoing connection holds it) that no socket uses now.
free_port() {
	while :; do
		p=$((10000 + $(od -An -N2 -tu2 /dev/urandom) % 22768))
		ss -Htan "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}

# Waits up to $2 seconds for command $1 to succeed (each try at most 5 s).
wait_for() {
	end=$(($(date +%s) + $2))
	until timeout 5 sh -c "$1" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

start_munge() {
	[ -r /etc/munge/munge.key ] || mungekey -c 2>/dev/null ||
		die "no munge key and mungekey -c failed"
	/usr/sbin/munged -f --socket="$D/munge.sock" \
		--pid-file="$D/munged.pid" --log-file="$D/munged.log" \
		--seed-file="$D/munged.seed" --key-file=/etc/munge/munge.key ||
		die "munged did not start (see $D/munged.log)"
	wait_for "munge -S $D/munge.sock -n | unmunge -S $D/munge.sock" 5 ||
		die "munged does not answer"
}

write_conf() {
	host=$(hostname -s)
	mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
	cpus=$(nproc)
	[ "$cpus" -ge 16 ] || cpus=16
	mkdir -p "$D/ctld" "$D/spool"
	for i in 0 1 2 3 4 5 6 7; do : >"$D/gpu$i"; done
	cat >"$D/slurm.conf" <<EOF2
ClusterName=gpuqlocal
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$D/munge.sock
CredType=cred/munge
StateSaveLocation=$D/ctld
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
GresTypes=gpu,shard
ReturnToService=2
DefMemPerCPU=256
MaxJobCount=200000
SlurmdParameters=config_overrides
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem Gres=gpu:8,shard:32 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
${SLURM_LOCAL_EXTRA:-}
EOF2
	cat >"$D/gres.conf" <<EOF2
NodeName=$host Name=gpu File=$D/gpu[0-7]
NodeName=$host Name=shard Count=32
EOF2
}

# Starts slurmctld; on a port taken meanwhile, tries again with new ports.
start_ctld() {
	for try in 1 2 3; do
		write_conf
		rm -f "$D/slurmctld.pid"
		/usr/sbin/slurmctld -i ||
			fail "slurmctld did not start (see $D/slurmctld.log)"
		wait_for "scontrol ping | grep -q UP" 15 && return 0
		grep -q 'Address already in use' "$D/slurmctld.log" ||
			fail "slurmctld does not answer: $(tail -n 3 "$D/slurmctld.log")"
		stop_pidfile "$D/slurmctld.pid"
		mv "$D/slurmctld.log" "$D/slurmctld.log.$try"
	done
	fail "slurmctld found no free port"
}

start() {
	[ "$(id -u)" = 0 ] || die "must run as root"
	mkdir -p "$D"
	D=$(cd "$D" && pwd)
	export SLURM_CONF="$D/slurm.conf"
	start_munge
	start_ctld
	/usr/sbin/slurmd || fail "slurmd did not start (see $D/slurmd.log)"
	wait_for "sinfo -h -o %T | grep -qx idle" 30 ||
		fail "the node did not become idle: $(timeout 5 sinfo 2>&1)"
	echo "export SLURM_CONF=$D/slurm.conf"
}

# Stops what was started, then dies.
fail() {
	stop
	die "$*"
}

# Stops the daemon whose pid is in file $1, waiting up to 10 s.
stop_pidfile() {
	[ -s "$1" ] || return 0
	pid=$(cat "$1")
	kill -TERM "$pid" 2>/dev/null || return 0
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] || { kill -KILL "$pid" 2>/dev/null; break; }
		sleep 0.1
	done
}

# Stops slurmctld (if it runs) and starts it again on its saved state.
restart_ctld() {
	[ -f "$D/slurm.conf" ] || die "no Slurm in $D"
	D=$(cd "$D" && pwd)
	export SLURM_CONF="$D/slurm.conf"
	stop_pidfile "$D/slurmctld.pid"
	rm -f "$D/slurmctld.pid"
	/usr/sbin/slurmctld || die "slurmctld did not start again"
	wait_for "scontrol ping | grep -q UP" 30 ||
		die "slurmctld does not answer after a restart"
}

stop() {
	[ -d "$D" ] || return 0
	# Jobs outlive slurmd (slurmstepd holds them): end them first.
	if [ -s "$D/slurmctld.pid" ] && [ -f "$D/slurm.conf" ]; then
		export SLURM_CONF="$D/slurm.conf"
		ids=$(timeout 10 squeue -h -o %i 2>/dev/null | tr '\n' ' ')
		[ -z "$ids" ] || timeout 10 scancel $ids 2>/dev/null
		[ -z "$ids" ] || sleep 1
	fi
	stop_pidfile "$D/slurmd.pid"
	stop_pidfile "$D/slurmctld.pid"
	stop_pidfile "$D/munged.pid"
}

[ $# -eq 2 ] || die "usage: slurm-local.sh start|stop|restart-ctld DIR"
D=$2
case "$1" in
start) start ;;
stop) stop ;;
restart-ctld) restart_ctld ;;
*) die "usage: slurm-local.sh start|stop|restart-ctld DIR" ;;
esac
