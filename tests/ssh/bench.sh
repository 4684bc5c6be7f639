# Figures for docs/ssh.md (label bench; never a pass/fail on time):
# request round trips over SSH and on the local socket (p50, p99), events
# per second through one channel (live and replayed), and bytes on the
# wire per idle minute (heartbeat only, and the TUI's default refresh).
. "$(dirname "$0")/lib.sh"
ssh_init bench "$@"
ssh_sshd A
ssh_known A
ssh_config test A
ssh_gpuqd
drive() { "$DRIVE" "$@" -F "$T/ssh_config" -H test -S "$SOCK" -L "$SOCK"; }
echo "machine: $(nproc) cores, $(uname -r), libssh2 $(grep -o 'LIBSSH2_VERSION "[^"]*"' /usr/include/libssh2.h | cut -d'"' -f2), $(ssh -V 2>&1)"

drive rtt -n 5000 || ssh_fail "rtt"

# Live: as fast as 50 local clients submit.
drive stream -n 10000 -r "$T/ready" >"$T/live.out" &
p=$!
for _ in $(seq 200); do [ -f "$T/ready" ] && break; sleep 0.05; done
"$LOADGEN" -S "$SOCK" -c 50 -n 200 --gpus 4 --cmd 'sleep 600' >/dev/null
wait $p || ssh_fail "live stream"
sed 's/^stream:/events, live:/' "$T/live.out"
# Replayed from the daemon's ring: as fast as the channel carries them.
drive stream -n 10000 -s 0 | sed 's/^stream:/events, replayed:/' ||
	ssh_fail "replay"

# Idle bytes: the TCP payload both ways (SSH packets), from ss.
wire() {
	local l
	l=$(ss -tinH state established "( dport = :$A_PORT )")
	echo "$(echo "$l" | grep -o 'bytes_sent:[0-9]*' | cut -d: -f2)" \
		"$(echo "$l" | grep -o 'bytes_received:[0-9]*' | cut -d: -f2)" \
		"$(echo "$l" | grep -o 'segs_out:[0-9]*' | cut -d: -f2)" \
		"$(echo "$l" | grep -o 'segs_in:[0-9]*' | cut -d: -f2)"
}
idle() {
	local secs=$1 poll=$2 label=$3 a b p
	rm -f "$T/ready"
	drive idle -n "$secs" -p "$poll" -r "$T/ready" >"$T/idle.out" &
	p=$!
	for _ in $(seq 200); do [ -f "$T/ready" ] && break; sleep 0.05; done
	sleep 1
	read -r -a a <<<"$(wire)"
	sleep $((secs - 2))
	read -r -a b <<<"$(wire)"
	wait $p
	echo "idle, $label: $(( (b[0] - a[0] + b[1] - a[1]) * 60 / (secs - 2) )) bytes per minute on the wire (TCP payload, both ways) in $(( (b[2] - a[2] + b[3] - a[3]) * 60 / (secs - 2) )) segments; $(cat "$T/idle.out")"
}
idle 62 0 "heartbeat only"
idle 32 2000 "TUI default (cluster.status every 2 s)"
echo "PASS: ssh bench"
