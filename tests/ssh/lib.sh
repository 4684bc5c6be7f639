# Shared by the SSH tests: a temp dir, sshd servers on 127.0.0.1 with
# keys made per run, a gpuqd, an ssh_config naming them, and a trap that
# stops by pid everything the script started.
#
#   ssh_init NAME "$@"       $T, $GPUQD $GPUQ $DRIVE $LOADGEN, the trap
#   ssh_keys NAME [TYPE]     makes $T/NAME (a user key, no passphrase)
#   ssh_sshd VAR [LINES]     starts an sshd; sets VAR_PORT, VAR_PID,
#                            VAR_KEY (its host key), VAR_LOG
#   ssh_known VAR            adds VAR's host key to $T/known_hosts
#   ssh_gpuqd                starts gpuqd on $SOCK (pid $DPID)
#   ssh_config HOST VAR [LINES] [KEY]  appends a Host block for VAR's sshd
#   gq ARGS                  gpuq -H with the test's ssh config
#   ssh_fail MESSAGE         prints, shows the logs, exits 1
#   ssh_expect_fail PATTERN CMD...  CMD must fail and print PATTERN

ssh_init() {
	local name=$1
	shift
	GPUQD=$1 GPUQ=$2 DRIVE=$3 LOADGEN=$4
	[ -x /usr/sbin/sshd ] || { echo "SKIP: no sshd"; exit 77; }
	if [ "$(id -u)" != 0 ] && [ ! -d /run/sshd ]; then
		echo "SKIP: /run/sshd is missing and we are not root"
		exit 77
	fi
	[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
	T=$(mktemp -d "/tmp/gpuq-ssh-$name.XXXXXX")
	chmod 755 "$T"
	SOCK=$T/gpuqd.sock
	STATE=$T/state
	ME=$(id -un)
	DPID=""
	SSH_PIDS=""
	: >"$T/ssh_config"
	: >"$T/known_hosts"
	ssh_keys userkey
	export HOME=$T/home GPUQ_HOST= SSH_AUTH_SOCK=
	mkdir -p "$HOME"
	trap ssh_cleanup EXIT
	trap 'exit 130' INT TERM
}

ssh_cleanup() {
	local p
	trap - EXIT
	for p in $SSH_PIDS $DPID; do
		kill -9 "$p" 2>/dev/null
	done
	wait 2>/dev/null
	for p in $(pgrep -f -- "supervise $STATE/" 2>/dev/null); do
		kill -TERM "$p" 2>/dev/null
	done
	[ -n "${SSH_CLEANUP_EXTRA:-}" ] && eval "$SSH_CLEANUP_EXTRA"
	sleep 0.2
	rm -rf "$T"
}

ssh_fail() {
	local f
	echo "FAIL: $*"
	for f in "$T"/*.log; do
		[ -f "$f" ] || continue
		echo "--- $(basename "$f") (tail) ---"
		tail -n 15 "$f"
	done
	exit 1
}

ssh_keys() {
	ssh-keygen -q -t "${2:-ed25519}" -N '' -C "gpuq-test" -f "$T/$1"
}

# A free TCP port on 127.0.0.1.
ssh_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || break
	done
	echo "$p"
}

ssh_sshd() {
	local var=$1 extra=${2:-} port key
	port=$(ssh_port)
	key=$T/host-$var
	ssh-keygen -q -t ed25519 -N '' -f "$key"
	cp "$T/userkey.pub" "$T/authorized_keys" 2>/dev/null || true
	chmod 644 "$T/authorized_keys"
	cat >"$T/sshd-$var.conf" <<EOF2
Port $port
ListenAddress 127.0.0.1
HostKey $key
AuthorizedKeysFile $T/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PidFile none
StrictModes no
UsePAM no
PermitRootLogin yes
SetEnv PATH=$(dirname "$GPUQD"):/usr/local/bin:/usr/bin:/bin
LogLevel DEBUG1
$extra
EOF2
	/usr/sbin/sshd -D -f "$T/sshd-$var.conf" -E "$T/sshd-$var.log" &
	eval "${var}_PID=$! ${var}_PORT=$port ${var}_KEY=$key.pub"
	eval "${var}_LOG=$T/sshd-$var.log"
	SSH_PIDS="$SSH_PIDS $!"
	for _ in $(seq 100); do
		ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
		sleep 0.05
	done
	ssh_fail "sshd $var did not listen on $port"
}

ssh_known() {
	local port key
	eval "port=\$${1}_PORT key=\$${1}_KEY"
	echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$key")" >>"$T/known_hosts"
}

# ssh_config HOST VAR [LINES] [KEY]: HOST reaches VAR's sshd as this
# user with KEY (default $T/userkey; "-" for none).  LINES come first,
# so that they win (the first value obtained wins).
ssh_config() {
	local port key=${4:-$T/userkey}
	eval "port=\$${2}_PORT"
	{
		echo "Host $1"
		[ -n "${3:-}" ] && echo "$3"
		[ "$key" != - ] && echo "  IdentityFile $key"
		cat <<EOF2
  HostName 127.0.0.1
  Port $port
  User $ME
  IdentitiesOnly yes
  UserKnownHostsFile $T/known_hosts
  GlobalKnownHostsFile /dev/null
EOF2
	} >>"$T/ssh_config"
}

ssh_gpuqd() {
	"$GPUQD" -S "$SOCK" --state-dir "$STATE" --fake-gpus 4:H100-80GB \
		"$@" 2>>"$T/gpuqd.log" &
	DPID=$!
	for _ in $(seq 100); do
		"$GPUQ" -S "$SOCK" ls >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	ssh_fail "gpuqd did not come up"
}

gq() {
	"$GPUQ" --ssh-config "$T/ssh_config" -S "$SOCK" "$@"
}

ssh_expect_fail() {
	local pat=$1 out
	shift
	if out=$("$@" 2>&1); then
		ssh_fail "should have failed: $*: $out"
	fi
	printf '%s\n' "$out" | grep -q -- "$pat" ||
		ssh_fail "no \"$pat\" in the failure of $*: $out"
	LAST_OUT=$out
}
