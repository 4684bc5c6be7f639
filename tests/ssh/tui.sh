# The workbench over SSH, in a real terminal (tmux): an unknown host key
# is asked about once, showing its fingerprint, and accepting it adds one
# line; a cut link shows "disconnected, retrying in N s" and comes back;
# an encrypted key's passphrase is asked in a dialog.
. "$(dirname "$0")/lib.sh"
ssh_init tui "$@"
command -v tmux >/dev/null || { echo "SKIP: no tmux"; exit 77; }
TS=gpuq-ssh-$$
SSH_CLEANUP_EXTRA="tmux -L $TS kill-server 2>/dev/null"
ssh-keygen -q -t ed25519 -N 'tui secret' -C gpuq-test -f "$T/passkey"
ssh_sshd A
cat "$T/userkey.pub" "$T/passkey.pub" >"$T/authorized_keys"
ssh_config test A
ssh_config pass A "" "$T/passkey"
ssh_gpuqd
printf 'set -g status off\n' >"$T/tmux.conf"

screen() { tmux -L "$TS" capture-pane -p -t tt; }
wait_for() {
	local i
	for i in $(seq $((${2:-10} * 10))); do
		screen | grep -q -- "$1" && return 0
		sleep 0.1
	done
	ssh_fail "no \"$1\" on the screen:
$(screen)"
}
start() {
	tmux -L "$TS" -f "$T/tmux.conf" new-session -d -s tt -x 120 -y 35 \
		"env TERM=tmux-256color LANG=C.UTF-8 HOME=$HOME $GPUQ \
		 --ssh-config $T/ssh_config -S $SOCK -H $1 2>>$T/gpuq.err; \
		 echo GPUQ-EXIT=\$?; sleep 600"
}
stop() {
	tmux -L "$TS" kill-server 2>/dev/null
	sleep 0.2
}

# An unknown host: the dialog shows the fingerprint; accepting goes on.
start test
wait_for "Unknown host key"
wait_for "$(ssh-keygen -lf "$A_KEY" | cut -d' ' -f2)"
[ -s "$T/known_hosts" ] && ssh_fail "known_hosts written before the answer"
tmux -L "$TS" send-keys -t tt y
wait_for "$ME@"
[ "$(wc -l <"$T/known_hosts")" = 1 ] || ssh_fail "not one line added"
gq -H test submit --name from-cli -- /bin/sleep 300 >/dev/null
wait_for "from-cli"

# The link is cut: the countdown, then the workbench is back by itself.
for p in $(pgrep -P "$A_PID"); do kill -9 "$p"; done
wait_for "disconnected, retrying in" 10
wait_for "$ME@" 15
wait_for "from-cli"
screen | grep -q "Unknown host key" && ssh_fail "asked about the key again"
stop

# A refused host key is not retried behind the user's back.
: >"$T/known_hosts"
start test
wait_for "Unknown host key"
tmux -L "$TS" send-keys -t tt Escape
wait_for "disconnected (r to retry): the host key"
sleep 1.5
screen | grep -q "Unknown host key" && ssh_fail "asked again without r"
stop
gq --accept-new-host-key -H test ls >/dev/null || ssh_fail "re-accept"

# A passphrase, in a dialog that does not show it.
start pass
wait_for "Passphrase"
tmux -L "$TS" send-keys -t tt -l "tui secret"
wait_for "(hidden)"
screen | grep -q "tui secret" && ssh_fail "the passphrase is shown"
tmux -L "$TS" send-keys -t tt Enter
wait_for "$ME@"
wait_for "from-cli"
stop
echo "PASS: ssh tui"
