#!/bin/sh
# A single-node Slurm on this machine for tests and benchmarks, everything
# under one directory: its own munged (own socket), slurmctld and slurmd on
# free ports above 10000, and 8 GPUs that exist only on paper
# (gres gpu:8, shard:32).  Needs root and the Debian packages slurmctld,
# slurmd, slurm-client and munge.
#
#   scripts/slurm-local.sh start DIR   start it; prints the line to use it:
#                                      export SLURM_CONF=DIR/slurm.conf
#   scripts/slurm-local.sh stop DIR    stop what start started (by pid)
#
# Several may run at once in different directories.  See
# /work/shared/design/TESTING.md ("Slurm").
set -eu

die() { echo "slurm-local: $*" >&2; exit 1; }

# A TCP port above 10000 that nothing listens on.
free_port() {
	while :; do
		p=$((10000 + $(od -An -N2 -tu2 /dev/urandom) % 50000))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}

# Waits up to $2 tenths of a second for command $1 to succeed.
wait_for() {
	i=0
	until sh -c "$1" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt "$2" ] || return 1
		sleep 0.1
	done
}

start_munge() {
	[ -r /etc/munge/munge.key ] || mungekey -c 2>/dev/null ||
		die "no munge key and mungekey -c failed"
	/usr/sbin/munged -f --socket="$D/munge.sock" \
		--pid-file="$D/munged.pid" --log-file="$D/munged.log" \
		--seed-file="$D/munged.seed" --key-file=/etc/munge/munge.key ||
		die "munged did not start (see $D/munged.log)"
	wait_for "munge -S $D/munge.sock -n | unmunge -S $D/munge.sock" 50 ||
		die "munged does not answer"
}

write_conf() {
	host=$(hostname -s)
	mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
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
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem Gres=gpu:8,shard:32 State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF2
	cat >"$D/gres.conf" <<EOF2
NodeName=$host Name=gpu File=$D/gpu[0-7]
NodeName=$host Name=shard Count=32
EOF2
}

start() {
	[ "$(id -u)" = 0 ] || die "must run as root"
	mkdir -p "$D"
	D=$(cd "$D" && pwd)
	start_munge
	write_conf
	export SLURM_CONF="$D/slurm.conf"
	/usr/sbin/slurmctld -i || die "slurmctld did not start (see $D/slurmctld.log)"
	/usr/sbin/slurmd || die "slurmd did not start (see $D/slurmd.log)"
	wait_for "sinfo -h -o %T | grep -qx idle" 300 ||
		die "the node did not become idle: $(sinfo 2>&1)"
	echo "export SLURM_CONF=$D/slurm.conf"
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

stop() {
	[ -d "$D" ] || return 0
	stop_pidfile "$D/slurmd.pid"
	stop_pidfile "$D/slurmctld.pid"
	stop_pidfile "$D/munged.pid"
}

[ $# -eq 2 ] || die "usage: slurm-local.sh start|stop DIR"
D=$2
case "$1" in
start) start ;;
stop) stop ;;
*) die "usage: slurm-local.sh start|stop DIR" ;;
esac
