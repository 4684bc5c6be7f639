# The tmux harness for gpuq's workbench: the real gpuq in a real terminal
# (tmux), keys sent with send-keys, the screen read with capture-pane and
# compared with golden files.  Every wait polls the screen with a timeout;
# nothing sleeps blindly.  Each test has its own temp dir, gpuqd and tmux
# server, and stops them by pid / socket on exit.
#
#   tt_init NAME              temp dir $T, socket $SOCK, tmux server, trap
#   tt_daemon [ARGS]          starts gpuqd (pid $DPID), waits until it answers
#   tt_daemon_stop [SIG]      stops it by pid
#   tt_submit ARGS...         gpuq submit with a fixed, small environment
#   tt_start COLS ROWS [ARGS] runs gpuq in a tmux pane of that size
#   tt_keys KEYS...           tmux send-keys
#   tt_type TEXT              types text literally
#   tt_wait TEXT [SECS]       waits until the screen shows TEXT
#   tt_wait_re REGEX [SECS]   the same with an extended regex
#   tt_gone TEXT [SECS]       waits until TEXT is gone
#   tt_screen                 the screen, normalized (volatile fields masked)
#   tt_golden NAME            compares tt_screen with golden/NAME.txt
#                             (GPUQ_UPDATE_GOLDEN=1 writes it instead)
#   tt_stop                   ends the terminal (a new one for tt_start)
#   tt_resize COLS ROWS       resizes the terminal
#   tt_fail MESSAGE           prints the screen and the logs, exits 1

TT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

tt_init() {
	TT_NAME=$1
	# A fixed-length temp dir name, so paths normalize to one width.
	T=$(mktemp -d /tmp/gpuq-tui-XXXXXXXX)
	SOCK=$T/s.sock
	TS_BASE=gpuq-tui-$$-$TT_NAME
	TT_N=0
	TS=$TS_BASE-0
	TT_ALL=$TS
	DPID=""
	mkdir -p "$T/home" "$T/work"
	printf 'set -g status off\nset -g escape-time 0\n' >"$T/tmux.conf"
	trap tt_cleanup EXIT
	trap 'exit 130' INT TERM
	command -v tmux >/dev/null || { echo "SKIP: no tmux"; exit 77; }
	TT_USER=$(id -un)
}

tt_cleanup() {
	local s
	trap - EXIT
	for s in $TT_ALL; do
		tmux -L "$s" kill-server 2>/dev/null
	done
	if [ -n "$DPID" ]; then
		kill -9 "$DPID" 2>/dev/null
		wait "$DPID" 2>/dev/null
	fi
	# The daemon's job supervisors carry the state dir in their argv;
	# each stops its job on SIGTERM.  Wait for them: they write there.
	for p in $(pgrep -f -- "supervise $T/" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null
	done
	for p in $(seq 1 50); do
		pgrep -f -- "supervise $T/" >/dev/null || break
		sleep 0.1
	done
	rm -rf "$T"
}

tt_fail() {
	echo "FAIL ($TT_NAME): $*"
	echo "--- screen ---"
	tmux -L "$TS" capture-pane -p -t tt 2>/dev/null
	echo "--- gpuqd log (tail) ---"
	tail -n 20 "$T/gpuqd.log" 2>/dev/null
	echo "--- gpuq stderr ---"
	cat "$T/gpuq.err" 2>/dev/null
	exit 1
}

tt_daemon() {
	"$GPUQD" -S "$SOCK" --state-dir "$T/state" --fake-gpus 8:H100-80GB \
	    -o node-name=node01 "$@" 2>>"$T/gpuqd.log" &
	DPID=$!
	tt_until 20 "$GPUQ" -S "$SOCK" status ||
		tt_fail "gpuqd did not come up"
}

tt_daemon_stop() {
	kill -"${1:-TERM}" "$DPID" 2>/dev/null
	wait "$DPID" 2>/dev/null
	DPID=""
}

# Runs a command until it succeeds, for at most SECS seconds.
tt_until() {
	local secs=$1 i
	shift
	for i in $(seq 1 $((secs * 10))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

tt_submit() {
	(cd "$T/work" && env -i PATH=/usr/bin:/bin HOME="$T/home" \
	    LANG=C.UTF-8 "$GPUQ" -S "$SOCK" submit "$@") >/dev/null ||
		tt_fail "submit $* failed"
}

tt_start() {
	local cols=$1 rows=$2
	shift 2
	tmux -L "$TS" -f "$T/tmux.conf" new-session -d -s tt -x "$cols" \
	    -y "$rows" -c "$T/work" \
	    "env -i PATH=/usr/bin:/bin HOME=$T/home LANG=C.UTF-8 TZ=UTC \
	     TERM=tmux-256color ${GPUQ_TEST_ENV:-} ${TT_ENV:-} $GPUQ -S $SOCK $* \
	     2>>$T/gpuq.err; \
	     echo GPUQ-EXIT=\$?; sleep 600" ||
		tt_fail "tmux did not start"
}

tt_keys() {
	tmux -L "$TS" send-keys -t tt "$@"
}

tt_type() {
	tmux -L "$TS" send-keys -t tt -l "$1"
}

tt_raw() {
	tmux -L "$TS" capture-pane -p -t tt "$@"
}

tt_wait() {
	local i n=$((${2:-10} * 20))
	for i in $(seq 1 $n); do
		tt_raw | grep -qF -- "$1" && return 0
		sleep 0.05
	done
	tt_fail "timed out waiting for: $1"
}

tt_wait_re() {
	local i n=$((${2:-10} * 20))
	for i in $(seq 1 $n); do
		tt_raw | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	tt_fail "timed out waiting for /$1/"
}

tt_gone() {
	local i n=$((${2:-10} * 20))
	for i in $(seq 1 $n); do
		tt_raw | grep -qF -- "$1" || return 0
		sleep 0.05
	done
	tt_fail "still on screen: $1"
}

# Ends this terminal; the next tt_start gets a new tmux server.
tt_stop() {
	tmux -L "$TS" kill-server 2>/dev/null
	TT_N=$((TT_N + 1))
	TS=$TS_BASE-$TT_N
	TT_ALL="$TT_ALL $TS"
}

tt_resize() {
	tmux -L "$TS" resize-window -t tt -x "$1" -y "$2"
}

# Masks what changes from run to run, keeping every column in place.
tt_normalize() {
	perl -CSD -Mutf8 -pe '
		BEGIN { $u = shift @ARGV; $t = shift @ARGV; }
		s/\Q$t\E/"\/tmp\/gpuq-tui-XXXXXXXX"/ge;
		s/\b\Q$u\E\b( +)/"U" . (" " x (length($u) + length($1) - 1))/ge;
		s/\b\Q$u\E\b/U/g;
		s/ {2,}U@/  U@/g;
		s/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/YYYY-MM-DD hh:mm:ss/g;
		s/\b\d\d:\d\d:\d\d\b/hh:mm:ss/g;
		# Durations: in table columns (after 2+ spaces) keep the width;
		# in running text the length of "9m59s" against "10m00s" would
		# move what follows, so they become one T.
		s/( {2,})(\d+(?:s|m\d\ds|h\d\dm|d\d\dh))(?=[\s:,.;)]|$)/(" " x (length($1) + length($2) - 1)) . "T"/ge;
		s/\b\d+(?:s|m\d\ds|h\d\dm|d\d\dh)(?=[\s:,.;)]|$)/T/g;
		s/\[([| ]*)(\d+%|\d+\/\d+G)\]/"[" . ("~" x (length($1) + length($2))) . "]"/ge;
		s/( *)\b(\d{1,3})%(?=\s|$)/(" " x (length($1) + length($2) - 1)) . "P%"/ge;
		s/( *)\b(\d+)C\b/(" " x (length($1) + length($2) - 1)) . "tC"/ge;
		s/( *)\b(\d+)W\b/(" " x (length($1) + length($2) - 1)) . "pW"/ge;
		s/GPU-[0-9a-f-]{36}/"GPU-" . ("x" x 36)/ge;
		s/[\x{2800}-\x{28ff}]//g;
		# A cut word: where the cut falls moves with what was masked.
		s/\S*\x{2026}$/\x{2026}/;
		s/[ \t]+$//;
	' "$TT_USER" "$T"
}

tt_screen() {
	tt_raw | tt_normalize
}

tt_golden() {
	local want=$TT_DIR/golden/$1.txt
	if [ "${GPUQ_UPDATE_GOLDEN:-0}" = 1 ]; then
		tt_screen >"$want"
		return 0
	fi
	[ -f "$want" ] || tt_fail "no golden file $want (GPUQ_UPDATE_GOLDEN=1 makes it)"
	if ! tt_screen | diff -u "$want" - >"$T/diff"; then
		cat "$T/diff"
		tt_fail "screen differs from golden/$1.txt"
	fi
}
