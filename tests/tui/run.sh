#!/bin/bash
# Runs one TUI test case: run.sh CASE GPUQ GPUQD.  The cases are below;
# tests/tui/CMakeLists.txt registers each with ctest (label tui).
set -u
CASE=$1
GPUQ=$2
GPUQD=$3
. "$(dirname "$0")/lib.sh"

# Waits until `gpuq show ID` says STATE.
tt_state() {
	tt_until "${3:-20}" sh -c "'$GPUQ' -S '$SOCK' show $1 | grep -q '$2'" ||
		tt_fail "job $1 never became $2"
}

# Jobs in every state, made one after another so the order is fixed:
# 1 COMPLETED, 2 FAILED, 3 and 4 RUNNING, 5 and 6 PENDING, 7 CANCELLED.
tt_scenario() {
	tt_daemon
	tt_submit --gpus 0 --name quick -- true
	tt_state 1 COMPLETED
	tt_submit --gpus 0 --name failer -- sh -c 'exit 3'
	tt_state 2 FAILED
	tt_submit --gpus 0.5 --name trainer -- sleep 600
	tt_state 3 RUNNING
	tt_submit --gpus 2 --project vision --name '日本語 eval' -- sh -c \
	    'echo epoch 1; for i in 1 2 3; do printf "\rstep %d/3" $i; done; echo; printf "loss \033[31m0.25\033[0m\n"; echo done; sleep 600'
	tt_state 4 RUNNING
	tt_submit --gpus 8 --name big -- sleep 100
	tt_submit --gpus 1 --name waiter -- sleep 100
	tt_submit --gpus 1 --name cancelme -- sleep 100
	"$GPUQ" -S "$SOCK" cancel 7 >/dev/null || tt_fail "cancel 7"
	tt_state 7 CANCELLED
	tt_until 10 sh -c "'$GPUQ' -S '$SOCK' ls | grep -q 'RESOURCES #2'" ||
		tt_fail "the queue never settled"
	tt_until 10 sh -c "'$GPUQ' -S '$SOCK' logs 4 | grep -q done" ||
		tt_fail "job 4 wrote no log"
}

# Every view, golden at one size.
tt_views() {
	local size=$1
	tt_scenario
	tt_start ${size/x/ }
	tt_wait "$TT_USER@node01"
	tt_wait "big"
	tt_wait "cancelme"
	tt_golden "jobs-$size"
	tt_keys 2
	tt_wait "Mine:"
	tt_golden "mine-$size"
	tt_keys 3
	tt_wait "allocated 2.5 of 8"
	tt_golden "gpus-$size"
	tt_keys 4
	tt_wait "Nodes: 1"
	tt_golden "nodes-$size"
	tt_keys 5
	tt_wait_re "not available from this daemon yet|^name "
	# The daemon's project.list (if it has one) ranks equal shares in no
	# fixed order: the table is checked, not compared.
	if tt_raw | grep -q "^name "; then
		tt_wait "vision"
		tt_wait "default"
	else
		tt_golden "projects-missing-$size"
	fi
	tt_keys 6
	tt_wait "no sweep.list verb"
	tt_golden "sweeps-$size"
	tt_keys 1 g j j j Enter
	tt_wait "Job 4:"
	tt_wait "History"
	tt_golden "job-$size"
	tt_keys l
	tt_wait "step 3/3"
	tt_wait "done"
	tt_golden "logs-$size"
	tt_keys q
	tt_wait "Job 4:"
	tt_keys q
	tt_wait "Jobs:"
	tt_keys '?'
	tt_wait "from the live key map"
	tt_golden "help-$size"
	tt_keys q
	tt_gone "from the live key map"
	tt_keys 7
	"$GPUQ" -S "$SOCK" cancel 6 >/dev/null || tt_fail "cancel 6"
	tt_wait "PENDING -> CANCELLED"
	tt_golden "events-$size"
}

case_views_80x24() {
	tt_views 80x24
}

case_views_200x50() {
	tt_views 200x50
}

# A small queue: 1 trainer and 2 eval RUNNING, 3 big PENDING.
tt_small() {
	tt_daemon
	tt_submit --gpus 0.5 --name trainer -- sleep 600
	tt_state 1 RUNNING
	tt_submit --gpus 2 --project vision --name '日本語 eval' -- sleep 600
	tt_state 2 RUNNING
	tt_submit --gpus 8 --name big -- sleep 100
	tt_start "${1:-100}" "${2:-30}" "${3:-}"
	tt_wait "$TT_USER@node01"
	tt_wait "big"
}

# A round trip on gpuq's own connection (i: job.show of the selected
# job): a request sent before it has been answered when it returns.
tt_sync() {
	tt_keys i
	tt_wait '"argv"'
	tt_keys q
	tt_gone '"argv"'
}

# The job must still be in state STATE, with no cancel asked for.
tt_untouched() {
	tt_sync
	"$GPUQ" -S "$SOCK" show "$1" >"$T/show" || tt_fail "show $1"
	grep -q "$2" "$T/show" || tt_fail "job $1 is not $2"
	grep -qi cancel "$T/show" && tt_fail "job $1 was cancelled"
	true
}

# The line number of the first screen line that has TEXT.
tt_line() {
	tt_raw | grep -nF -- "$1" | head -1 | cut -d: -f1
}

case_filter() {
	tt_small
	tt_keys /
	tt_type vision
	tt_wait "filter: vision"
	tt_gone "trainer"
	tt_wait "日本語 eval"
	tt_keys Enter
	tt_wait "/ filter"
	tt_wait "filter: vision"
	tt_keys Escape
	tt_wait "trainer"
	tt_gone "filter: vision"
	tt_keys /
	tt_type '!vision'
	tt_keys Enter
	tt_wait "filter: !vision"
	tt_gone "日本語 eval"
	tt_wait "trainer"
	tt_keys /
	tt_keys C-u
	tt_type 's:pend'
	tt_wait "1 shown of 3"
	tt_keys Escape
	tt_wait "3 shown of 3"
}

case_sort() {
	tt_small
	tt_keys :
	tt_type "sort name"
	tt_keys Enter
	tt_wait "sort name"
	[ "$(tt_line big)" -lt "$(tt_line trainer)" ] || tt_fail "not by name"
	tt_keys I
	tt_wait "sort name desc"
	[ "$(tt_line big)" -gt "$(tt_line trainer)" ] || tt_fail "not reversed"
	tt_keys '>'
	tt_wait "sorted by state"
	tt_wait "STATE▼"
}

case_submit() {
	tt_small
	tt_keys s
	tt_wait "Submit a job"
	tt_type "sleep 321"
	tt_keys Tab
	tt_type "formjob"
	tt_keys Tab Tab
	tt_type "abc"
	tt_keys BTab BTab BTab BTab
	tt_wait "[> Preview <]"
	tt_keys Enter
	tt_wait "GPUs: a number like 2 or 0.5"
	tt_keys C-u
	tt_type "0.25"
	tt_keys BTab BTab BTab BTab
	tt_keys Enter
	tt_wait "Submit this job?"
	tt_wait "runs      sleep 321"
	tt_wait "[> Cancel <]"
	tt_keys Tab Enter
	tt_wait_re "submitted job [0-9]+"
	tt_wait "formjob"
	"$GPUQ" -S "$SOCK" ls | grep -q formjob || tt_fail "not in gpuq ls"
}

case_submit_esc() {
	tt_small
	tt_keys s
	tt_wait "Submit a job"
	tt_type "sleep 777 q j C"
	tt_keys BTab Enter
	tt_wait "Submit this job?"
	tt_keys Enter
	tt_gone "Submit this job?"
	tt_keys s
	tt_wait "Submit a job"
	tt_keys Escape
	tt_gone "Submit a job"
	tt_sync
	"$GPUQ" -S "$SOCK" show 4 >/dev/null 2>&1 && tt_fail "it was submitted"
	true
}

case_cancel() {
	tt_small
	tt_keys g C
	tt_wait "Cancel 1 job?"
	tt_wait "job 1  trainer"
	tt_wait "[> Cancel <]"
	tt_keys Enter
	tt_gone "Cancel 1 job?"
	tt_untouched 1 RUNNING
	tt_keys C
	tt_wait "Cancel 1 job?"
	tt_keys y
	tt_wait_re "CANCELLED +U|CANCELLED +$TT_USER"
	tt_state 1 CANCELLED
}

case_cancel_esc() {
	tt_small
	tt_keys g j Space j Space
	tt_wait "marked:2"
	tt_keys C
	tt_wait "Cancel 2 jobs?"
	tt_wait "job 2  日本語 eval"
	tt_wait "job 3  big"
	tt_keys Escape
	tt_gone "Cancel 2 jobs?"
	tt_keys x
	tt_wait "Cancel             (C)"
	tt_wait "daemon has no job.suspend"
	tt_keys Escape
	tt_gone "daemon has no job.suspend"
	tt_untouched 2 RUNNING
	tt_untouched 3 PENDING
}

case_help() {
	tt_small
	tt_keys '?'
	tt_wait "from the live key map"
	tt_wait "Cancel (asks first, Cancel focused)"
	tt_keys G
	tt_wait "Not bound"
	tt_wait "job.cancel-now"
	tt_keys q
	tt_gone "from the live key map"
	tt_keys 7 '?'
	tt_wait "Help: Events"
	tt_keys Escape
	tt_gone "Help: Events"
}

case_readonly() {
	tt_small 100 30 --readonly
	tt_wait "READ-ONLY"
	tt_keys C
	tt_wait "C does nothing here"
	tt_keys x
	tt_wait "x does nothing here"
	tt_keys '?'
	tt_wait "from the live key map"
	tt_raw | grep -q "Cancel (asks" && tt_fail "help lists cancel"
	tt_keys q
	tt_gone "from the live key map"
	tt_untouched 1 RUNNING
}

case_resize() {
	tt_small 100 30
	tt_keys g C
	tt_wait "Cancel 1 job?"
	tt_resize 60 20
	tt_wait "Cancel 1 job?"
	tt_resize 30 8
	tt_wait "Terminal too small: 30x8"
	tt_resize 80 24
	tt_wait "Cancel 1 job?"
	tt_gone "too small"
	tt_resize 200 50
	tt_wait "Cancel 1 job?"
	tt_keys Escape
	tt_gone "Cancel 1 job?"
	tt_untouched 1 RUNNING
}

# Colour SGR codes (30-37, 90-97, 38;5;N) in the pane's escapes.
tt_colours() {
	tt_raw -e | grep -cP '\e\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;[0-9]+)(?:;[0-9;]*)?m'
}

case_nocolor() {
	tt_small
	[ "$(tt_colours)" -gt 0 ] || tt_fail "the default theme has no colour"
	tt_stop
	TT_ENV="NO_COLOR=1" tt_start 100 30
	tt_wait "trainer"
	[ "$(tt_colours)" -eq 0 ] || tt_fail "colour with NO_COLOR"
	tt_raw -e | grep -q $'\e\\[[0-9;]*7m' || tt_fail "no reverse video"
	tt_wait "● RUNNING"
}

case_monochrome() {
	tt_small 100 30 "--theme monochrome"
	[ "$(tt_colours)" -eq 0 ] || tt_fail "colour in monochrome"
	tt_keys :
	tt_type "theme okabe-ito"
	tt_keys Enter
	tt_wait "theme okabe-ito"
	[ "$(tt_colours)" -gt 0 ] || tt_fail "no colour after :theme"
	tt_keys :
	tt_type "theme nosuch"
	tt_keys Enter
	tt_wait "no theme called nosuch"
}

case_reconnect() {
	tt_small
	tt_daemon_stop KILL
	tt_wait "DISCONNECTED"
	tt_wait "disconnected, retrying in"
	tt_daemon
	tt_wait "$TT_USER@node01" 15
	tt_wait "trainer"
	tt_keys 7
	tt_wait "again"
}

case_suspend() {
	tt_daemon
	tmux -L "$TS" -f "$T/tmux.conf" new-session -d -s tt -x 100 -y 30 \
	    "env -i PATH=/usr/bin:/bin HOME=$T/home LANG=C.UTF-8 TERM=tmux-256color PS1='tt$ ' bash --norc -i"
	tt_wait 'tt$'
	tt_type "$GPUQ -S $SOCK"
	tt_keys Enter
	tt_wait "$TT_USER@node01"
	tt_keys C-z
	tt_wait "Stopped"
	tt_type "fg"
	tt_keys Enter
	tt_wait "$TT_USER@node01"
	tt_wait "? help"
	tt_keys Q
	tt_gone "? help"
	tt_type 'stty -a | grep -o " icanon\| echo " | tr -d "\n"; echo :END'
	tt_keys Enter
	tt_wait " icanon echo :END"
}

# Kills gpuq with sig; the terminal must be as it was.
tt_kill_check() {
	local sig=$1 pane pid tty
	pane=$(tmux -L "$TS" display -p -t tt '#{pane_pid}')
	tt_until 5 pgrep -P "$pane" -x gpuq || tt_fail "no gpuq under $pane"
	pid=$(pgrep -P "$pane" -x gpuq)
	kill -"$sig" "$pid"
	tt_wait "GPUQ-EXIT="
	tty=$(tmux -L "$TS" display -p -t tt '#{pane_tty}')
	stty -F "$tty" -a | grep -qw -- -icanon && tt_fail "-icanon after $sig"
	stty -F "$tty" -a | grep -qw -- -echo && tt_fail "-echo after $sig"
	tt_stop
}

case_restore() {
	tt_small
	tt_kill_check TERM
	tt_start 100 30
	tt_wait "trainer"
	tt_kill_check SEGV
	tt_start 100 30
	tt_wait "trainer"
	tt_keys q
	tt_wait "Quit gpuq?"
	tt_keys y
	tt_wait "GPUQ-EXIT=0"
}

case_command() {
	tt_small
	tt_keys :
	tt_type "th"
	tt_keys Tab
	tt_type "ok"
	tt_keys Tab Enter
	tt_wait "theme okabe-ito"
	tt_keys :
	tt_type "jobs u:nobody"
	tt_keys Enter
	tt_wait "No job matches the filter."
	tt_keys :
	tt_type "bogus"
	tt_keys Enter
	tt_wait "no command :bogus"
	tt_keys :
	tt_type "gpus"
	tt_keys Enter
	tt_wait "allocated 2.5 of 8"
}

case_logs() {
	tt_daemon
	tt_submit --gpus 0 --name bars -- sh -c \
	    'echo begin; for i in 1 2 3 4 5; do printf "\r[%-5s] %d%%" $(printf "%${i}s" | tr " " "#") $((i*20)); sleep 0.2; done; echo; echo needle here; echo end; sleep 600'
	tt_state 1 RUNNING
	tt_start 100 30
	tt_wait "bars"
	tt_keys l
	tt_wait "[#####] 100%"
	tt_wait "end"
	[ "$(tt_raw | grep -c '%')" -eq 1 ] || tt_fail "progress not on one line"
	tt_keys /
	tt_type "needle"
	tt_keys Enter
	tt_wait "search: needle"
	tt_keys k
	tt_wait "paused (G to follow)"
	tt_keys G
	tt_wait "following"
	tt_keys o
	tt_wait "stderr"
}

case_keys() {
	"$GPUQ" --keys | grep -qE "^jobs +C +job.cancel" || tt_fail "--keys"
	"$GPUQ" --readonly --keys | grep -q job.cancel && tt_fail "readonly"
	printf 'bind Ctrl-K job.cancel-now\nbind x help\nbind x quit\n' \
	    >"$T/bad.conf"
	"$GPUQ" --config "$T/bad.conf" --keys >"$T/keys" 2>"$T/err" &&
		tt_fail "a collision passed"
	grep -q "x is already bound to help" "$T/err" || tt_fail "no collision"
	grep -qE "^jobs +Ctrl-K +job.cancel-now" "$T/keys" || tt_fail "bind"
	true
}

# -H runs the system ssh; a stand-in ssh on PATH runs the bridge here.
case_ssh() {
	mkdir -p "$T/bin"
	cat >"$T/bin/ssh" <<EOF2
#!/bin/sh
echo "\$*" >>"$T/ssh-args"
[ "\$4" = nohost ] && { echo "ssh: Could not resolve hostname nohost" >&2; exit 255; }
exec "$GPUQD" bridge -S "$SOCK"
EOF2
	chmod +x "$T/bin/ssh"
	tt_daemon
	tt_submit --gpus 0.5 --name trainer -- sleep 600
	tt_state 1 RUNNING
	TT_ENV="PATH=$T/bin:/usr/bin:/bin" tt_start 100 30 --ssh-command -H cluster01
	tt_wait "$TT_USER@node01"
	tt_wait "trainer"
	grep -q -- "-T -o BatchMode=yes cluster01 gpuqd bridge" "$T/ssh-args" ||
		tt_fail "ssh args: $(cat "$T/ssh-args")"
	tt_daemon_stop KILL
	tt_wait "DISCONNECTED"
	tt_daemon
	tt_wait "$TT_USER@node01" 15
	tt_stop
	TT_ENV="PATH=$T/bin:/usr/bin:/bin" tt_start 160 30 --ssh-command -H nohost
	tt_wait "Could not resolve hostname nohost"
	tt_wait "DISCONNECTED"
}

# docs/tui.md's key table is `gpuq --keys` with no gpuq.conf.
case_docs() {
	local doc=$TT_DIR/../../docs/tui.md
	HOME=$T/home XDG_CONFIG_HOME= "$GPUQ" --keys >"$T/keys" ||
		tt_fail "--keys failed"
	sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$doc" |
		sed '1,2d;$d' | sed '$d' >"$T/doc-keys"
	diff -u "$T/doc-keys" "$T/keys" ||
		tt_fail "docs/tui.md's key table is not gpuq --keys: update it"
}

# Something that is not gpuqd on the socket: said so, never a crash.
case_notgpuqd() {
	command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
while True:
    c, _ = s.accept()
    c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\x00\xff garbage\n")
    while c.recv(4096):
        pass
    c.close()
' "$T/fake.sock" &
	DPID=$!
	tt_until 10 test -S "$T/fake.sock" || tt_fail "no fake socket"
	SOCK=$T/fake.sock tt_start 120 30
	tt_wait "not gpuqd"
	tt_wait "DISCONNECTED"
	tt_keys 7
	tt_wait "Events"
	tt_keys Q
	tt_wait "GPUQ-EXIT=0"
}

tt_init "$CASE"
"case_${CASE//-/_}"
