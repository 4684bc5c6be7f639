# Shared by the integration scripts: a temp dir, a gpuqd in it, and a trap
# that stops by pid everything the script started.
#
#   itest_init NAME          makes $T, sets $SOCK, $STATE, installs the trap
#   itest_start_gpuqd ARGS   starts gpuqd (pid in $DPID), waits for it
#   itest_stop_gpuqd [SIG]   signals $DPID (TERM by default), waits for it
#   itest_fail MESSAGE       prints, shows the daemon log tail, exits 1
#   itest_wait_proc PAT [no] waits for a process matching PAT (or none)

itest_init() {
	T=$(mktemp -d "/tmp/gpuq-$1.XXXXXX")
	SOCK=$T/gpuqd.sock
	STATE=$T/state
	DPID=""
	ITEST_PIDS=""
	trap itest_cleanup EXIT
	trap 'exit 130' INT TERM
}

# Supervisors of this test's jobs carry the state dir in their argv; a
# SIGTERM makes each stop its job's process group and exit.
itest_stop_jobs() {
	local p
	for p in $(pgrep -f -- "supervise $STATE/" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null
	done
}

itest_cleanup() {
	local p
	trap - EXIT
	for p in $ITEST_PIDS $DPID; do
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	itest_stop_jobs
	sleep 0.2
	rm -rf "$T"
}

itest_fail() {
	echo "FAIL: $*"
	if [ -f "$T/gpuqd.log" ]; then
		echo "--- gpuqd log (tail) ---"
		tail -n 30 "$T/gpuqd.log"
	fi
	exit 1
}

itest_start_gpuqd() {
	"$GPUQD" -S "$SOCK" --state-dir "$STATE" "$@" 2>>"$T/gpuqd.log" &
	DPID=$!
	"$GQCALL" -S "$SOCK" -w 20 server.stats >/dev/null ||
		itest_fail "gpuqd did not come up"
}

itest_stop_gpuqd() {
	kill -"${1:-TERM}" "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=""
}

# itest_wait_proc PATTERN [yes|no]: waits up to 10 s until a process whose
# command line matches PATTERN exists (yes) or no longer does (no).
itest_wait_proc() {
	local i=0
	while :; do
		if pgrep -f -- "$1" >/dev/null; then
			[ "${2:-yes}" = yes ] && return 0
		else
			[ "${2:-yes}" = no ] && return 0
		fi
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}
