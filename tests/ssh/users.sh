# Identity over SSH: the daemon sees the SSH login user.  Two local Unix
# users reach the same gpuqd through the same sshd; the second cannot
# cancel the first's job, and can cancel its own.  Needs root (it makes a
# throwaway user and removes it); skipped otherwise.
. "$(dirname "$0")/lib.sh"
ssh_init users "$@"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root for a second user"; exit 77; }
command -v useradd >/dev/null || { echo "SKIP: no useradd"; exit 77; }
U=gqssh$$
useradd -M -d "$T" -s /bin/sh "$U" 2>"$T/useradd.log" ||
	{ echo "SKIP: useradd: $(cat "$T/useradd.log")"; exit 77; }
SSH_CLEANUP_EXTRA="pkill -KILL -u $U 2>/dev/null; userdel $U 2>/dev/null"
# Not locked (sshd without PAM refuses locked accounts), no password.
usermod -p '*' "$U"
# A build tree under a private directory is out of the second user's reach:
# it runs a copy of gpuqd from the test's own (world-readable) directory.
if ! su -s /bin/sh "$U" -c "test -x '$GPUQD'"; then
	mkdir -p "$T/bin" && cp "$GPUQD" "$T/bin/gpuqd" &&
		chmod 755 "$T/bin" "$T/bin/gpuqd" && GPUQD=$T/bin/gpuqd
fi
su -s /bin/sh "$U" -c "test -x '$GPUQD'" ||
	{ echo "SKIP: $U cannot run $GPUQD"; exit 77; }
ssh_sshd A
ssh_known A
ssh_config first A
ssh_config second A "  User $U"
ssh_gpuqd

out=$(gq -H first submit --name firsts -- /bin/sleep 300) ||
	ssh_fail "first submit: $out"
out=$(gq -H second submit --workdir "$T" --name seconds -- /bin/sleep 300) ||
	ssh_fail "second submit: $out"
owner() { "$GPUQ" -S "$SOCK" ls -a | awk -v id="$1" '$1 == id { print $2 }'; }
[ "$(owner 1)" = "$ME" ] || ssh_fail "job 1 is $(owner 1)'s, not $ME's"
[ "$(owner 2)" = "$U" ] || ssh_fail "job 2 is $(owner 2)'s, not $U's"

# The second user cannot cancel the first's job over SSH.
ssh_expect_fail "permission denied\|EPERM\|not yours\|may not" \
	gq -H second cancel 1
"$GPUQ" -S "$SOCK" show 1 | grep -q RUNNING || ssh_fail "job 1 changed"
# ... but can cancel its own.
gq -H second cancel 2 >/dev/null || ssh_fail "the second user's own cancel"
for _ in $(seq 50); do
	"$GPUQ" -S "$SOCK" show 2 | grep -q CANCELLED && break
	sleep 0.1
done
"$GPUQ" -S "$SOCK" show 2 | grep -q CANCELLED || ssh_fail "job 2 not cancelled"
gq -H first cancel 1 >/dev/null || ssh_fail "the first user's own cancel"

# Keyboard-interactive (a site's password or one-time code), through PAM:
# the prompt goes to GPUQ_ASKPASS; a wrong answer is refused.
if [ -f /etc/pam.d/sshd ] && command -v chpasswd >/dev/null; then
	echo "$U:Kbd-Secret-42" | chpasswd
	ssh_sshd K "KbdInteractiveAuthentication yes
UsePAM yes"
	sed -i '/^UsePAM no$/d; /^KbdInteractiveAuthentication no$/d' \
		"$T/sshd-K.conf"
	kill "$K_PID"
	wait "$K_PID" 2>/dev/null
	/usr/sbin/sshd -D -f "$T/sshd-K.conf" -E "$K_LOG" &
	K_PID=$!
	SSH_PIDS="$SSH_PIDS $K_PID"
	for _ in $(seq 100); do
		ss -Hltn "sport = :$K_PORT" | grep -q . && break
		sleep 0.05
	done
	ssh_known K
	ssh_config kbd K "  User $U" /nonexistent
	printf '#!/bin/sh\necho "$1" >>%s/kbd-asked\necho Kbd-Secret-42\n' \
		"$T" >"$T/kbd-ok"
	printf '#!/bin/sh\necho wrong\n' >"$T/kbd-wrong"
	chmod +x "$T/kbd-ok" "$T/kbd-wrong"
	out=$(GPUQ_ASKPASS=$T/kbd-ok gq --verbose -H kbd ls 2>&1) ||
		ssh_fail "keyboard-interactive: $out"
	echo "$out" | grep -q "authenticated (keyboard-interactive)" ||
		ssh_fail "not keyboard-interactive: $out"
	grep -qi "password" "$T/kbd-asked" || ssh_fail "the prompt: $(cat "$T/kbd-asked")"
	GPUQ_ASKPASS=$T/kbd-wrong ssh_expect_fail "permission denied" \
		gq -H kbd ls
else
	echo "note: no PAM for sshd: keyboard-interactive not tested"
fi
echo "PASS: ssh users"
