# Shared by the sweep integration scripts (sourced after lib.sh):
#
#   sweep_init                 skips (77) without python3; sets $TRAINER
#   sweep_events_start         records every event into $T/events.jsonl
#   sweep_wait ID STATE [S]    waits until sweep ID is in STATE
#   sweep_json ID              prints sweep.show's answer (one line)
#   sweep_py CODE [ARGS...]    runs python3 CODE with the sweep.show
#                              answer of $SWEEP on stdin

sweep_init() {
	command -v python3 >/dev/null || {
		echo "SKIP: python3 runs the synthetic trainer"
		exit 77
	}
	TRAINER=$(cd "$(dirname "$0")/../../examples" && pwd)/train-synthetic.py
	[ -f "$TRAINER" ] || itest_fail "no $TRAINER"
}

# A subscriber on its own connection: one event a line, seq order.  It
# runs in a subshell, so the trap's kill is not reported as a job's death.
sweep_events_start() {
	cat >"$T/sub.py" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
f = s.makefile("rwb", buffering=0)
f.readline()
f.write(b'{"hello":{"proto":1,"version":"0","software":"test","verbs":[]}}\n')
f.write(b'{"id":1,"verb":"events.subscribe","params":{}}\n')
out = open(sys.argv[2], "w")
for line in f:
    out.write(line.decode())
    out.flush()
PY
	(python3 "$T/sub.py" "$SOCK" "$T/events.jsonl" </dev/null \
		>/dev/null 2>&1 &
	echo $! >"$T/sub.pid")
	ITEST_PIDS="$ITEST_PIDS $(cat "$T/sub.pid")"
	local i=0
	while [ ! -s "$T/events.jsonl" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

sweep_json() { "$GQCALL" -S "$SOCK" sweep.show "{\"id\":$1}"; }

sweep_wait() {
	local i=0 s
	while [ $i -lt $((${3:-40} * 10)) ]; do
		s=$("$GQCALL" -S "$SOCK" sweep.show "{\"id\":$1}" sweep.state)
		[ "$s" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	itest_fail "sweep $1 is $s, not $2"
}

sweep_py() {
	local code=$1
	shift
	sweep_json "$SWEEP" | python3 -c "$code" "$@"
}
