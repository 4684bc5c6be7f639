# A cut link: the TUI's session over libssh2 loses its connection in the
# middle of a stream (the connection's sshd processes killed while a
# keyed submit is in flight), reconnects with backoff, resumes the event
# stream from its last seq, and the retried submit happens once.  Then a
# silent link (sshd stopped, nothing closes) is noticed within 15 s.
. "$(dirname "$0")/lib.sh"
ssh_init reconnect "$@"
ssh_sshd A
ssh_known A
ssh_config test A
ssh_gpuqd

"$DRIVE" cut -F "$T/ssh_config" -H test -S "$SOCK" -L "$SOCK" \
	-D "$DPID" -P "$A_PID" >"$T/cut.out" 2>"$T/cut.log" ||
	ssh_fail "cut: $(cat "$T/cut.out" "$T/cut.log")"
cat "$T/cut.out"
kill -0 "$DPID" || ssh_fail "gpuqd died"
# Once more from the outside: one cut-job.
n=$("$GPUQ" -S "$SOCK" ls -a --json | grep -o '"name":"cut-job"' | wc -l)
[ "$n" = 1 ] || ssh_fail "$n jobs named cut-job"

"$DRIVE" dead -F "$T/ssh_config" -H test -S "$SOCK" -L "$SOCK" \
	-P "$A_PID" >"$T/dead.out" 2>"$T/dead.log" ||
	ssh_fail "dead: $(cat "$T/dead.out" "$T/dead.log")"
cat "$T/dead.out"
echo "PASS: ssh reconnect"
