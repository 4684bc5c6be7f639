# Every CLI subcommand over SSH (gpuq's own libssh2 client) answers as it
# does on the local socket; the daemon sees the SSH login user; the host
# comes from -H, $GPUQ_HOST, a gpuq.conf cluster or ~/.ssh/config; the
# system ssh (--ssh-command) works as the fallback.
. "$(dirname "$0")/lib.sh"
ssh_init cli "$@"
ssh_sshd A
ssh_known A
ssh_config test A
ssh_gpuqd

# The "Done when" of the issue: ls and submit with an ed25519 key from
# the ssh config, the default remote command (gpuqd on the PATH there).
out=$(gq -H test ls) || ssh_fail "gpuq -H test ls: $out"
echo "$out" | grep -q "^ID  USER" || ssh_fail "ls: $out"
out=$(gq -H test submit --name over-ssh -- /bin/sh -c 'echo hello-ssh') ||
	ssh_fail "submit: $out"
echo "$out" | grep -q "Submitted job 1" || ssh_fail "submit: $out"
for _ in $(seq 50); do
	"$GPUQ" -S "$SOCK" show 1 | grep -q COMPLETED && break
	sleep 0.1
done
gq -H test submit --name waits --gpus 4 -- /bin/sleep 300 >/dev/null ||
	ssh_fail "second submit"
gq -H test submit --name pends --gpus 4 -- /bin/sleep 300 >/dev/null ||
	ssh_fail "third submit"

# The same answers over SSH as on the local socket.
for cmd in "ls" "ls -a" "show 1" "logs 1" "projects" "show 3" "ls --json"; do
	# shellcheck disable=SC2086
	local_out=$("$GPUQ" -S "$SOCK" $cmd 2>&1) ||
		ssh_fail "local $cmd: $local_out"
	# shellcheck disable=SC2086
	ssh_out=$(gq -H test $cmd 2>&1) || ssh_fail "ssh $cmd: $ssh_out"
	# Ages and uptimes may tick between the two.
	norm() { sed -E 's/[0-9]+(\.[0-9]+)?(s|m|h|d)\b/T/g; s/"(uptime_s|now|time)":[0-9]+/"\1":T/g'; }
	[ "$(echo "$local_out" | norm)" = "$(echo "$ssh_out" | norm)" ] ||
		ssh_fail "gpuq $cmd differs over ssh:
--- local
$local_out
--- ssh
$ssh_out"
done
gq -H test logs 1 | grep -q hello-ssh || ssh_fail "logs over ssh"
# status shows live (fake) telemetry: compare the GPUs and what holds them.
cols() { awk '{ print $1, $2, $3, $4, $5 }'; }
[ "$("$GPUQ" -S "$SOCK" status | head -n 6 | cols)" = \
	"$(gq -H test status | head -n 6 | cols)" ] ||
	ssh_fail "gpuq status differs over ssh"

# Identity: the daemon sees the SSH login user (here $ME).
gq -H test show 1 | grep -Eq "^(User|user):? +$ME" ||
	gq -H test ls -a --json | grep -q "\"user\":\"$ME\"" ||
	ssh_fail "the job's user is not $ME"

# A cancel over SSH, and watch ends when the job does.
out=$(gq -H test cancel 3) || ssh_fail "cancel: $out"
"$GPUQ" -S "$SOCK" show 3 | grep -q CANCELLED || ssh_fail "not cancelled"

# $GPUQ_HOST, and a named cluster of gpuq.conf with its own command.
GPUQ_HOST=test gq ls >/dev/null || ssh_fail "GPUQ_HOST=test"
mkdir -p "$HOME/.config/gpuq"
cat >"$HOME/.config/gpuq/gpuq.conf" <<EOF2
cluster lab test $GPUQD bridge
cluster broken test /nonexistent/gpuqd bridge
EOF2
gq -H lab ls >/dev/null || ssh_fail "the lab cluster of gpuq.conf"
ssh_expect_fail "status 127" gq -H broken ls
echo "$LAST_OUT" | grep -q -- "--remote-command" ||
	ssh_fail "no hint about --remote-command: $LAST_OUT"
gq -H broken --remote-command "$GPUQD bridge" ls >/dev/null ||
	ssh_fail "--remote-command wins over the cluster's command"

# ~/.ssh/config read by gpuq's own parser (no ssh -G), and by ssh -G.
mkdir -p "$HOME/.ssh"
cp "$T/ssh_config" "$HOME/.ssh/config"
GPUQ_SSH_RESOLVE=builtin "$GPUQ" -S "$SOCK" -H test ls >/dev/null ||
	ssh_fail "~/.ssh/config through the builtin parser"
# (ssh -G reads the password entry's home, not $HOME: -F names it.)
GPUQ_SSH_RESOLVE=openssh gq -H test ls >/dev/null ||
	ssh_fail "the config through ssh -G"

# user@host:port straight from the command line, no config at all: the
# default key and known_hosts under ~/.ssh ($HOME: the builtin parser).
export GPUQ_SSH_RESOLVE=builtin
ssh_expect_fail "not known" "$GPUQ" -S "$SOCK" --ssh-config /dev/null \
	-H "$ME@127.0.0.1:$A_PORT" ls
cp "$T/known_hosts" "$HOME/.ssh/known_hosts"
cp "$T/userkey" "$HOME/.ssh/id_ed25519"
out=$("$GPUQ" -S "$SOCK" --ssh-config /dev/null -H "$ME@127.0.0.1:$A_PORT" \
	ls 2>&1) || ssh_fail "user@host:port with the default key: $out"
unset GPUQ_SSH_RESOLVE

# The system ssh as the transport.
out=$("$GPUQ" -S "$SOCK" --ssh-command="ssh -F $T/ssh_config" -H test ls) ||
	ssh_fail "--ssh-command: $out"
echo "$out" | grep -q "^ID  USER" || ssh_fail "--ssh-command: $out"

# Bad targets are refused before anything connects.
ssh_expect_fail "not a host" gq -H "a b" ls
ssh_expect_fail "cannot connect to 127.0.0.1 port 1" gq -H "$ME@127.0.0.1:1" ls
echo "PASS: ssh cli"
