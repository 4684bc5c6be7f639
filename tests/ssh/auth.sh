# Authentication: a real ssh-agent, a key file with a passphrase (asked
# through GPUQ_ASKPASS), a wrong key refused before the daemon is reached,
# and an RSA key on libssh2 1.10 refused with a message naming the way out.
. "$(dirname "$0")/lib.sh"
ssh_init auth "$@"
ssh_keys wrongkey
ssh_keys agentkey
ssh_keys rsakey rsa
ssh-keygen -q -t ed25519 -N 'open sesame' -C gpuq-test -f "$T/passkey"
ssh_sshd A
cat "$T/userkey.pub" "$T/agentkey.pub" "$T/rsakey.pub" "$T/passkey.pub" \
	>"$T/authorized_keys"
ssh_known A
ssh_config test A
ssh_config agent A "  IdentitiesOnly no" /nonexistent
ssh_config wrong A "" "$T/wrongkey"
ssh_config rsa A "" "$T/rsakey"
ssh_config pass A "" "$T/passkey"
ssh_gpuqd
gq -H test ls >/dev/null || ssh_fail "key auth"

# The agent: only it holds agentkey.
eval "$(ssh-agent -s)" >/dev/null
SSH_CLEANUP_EXTRA="kill $SSH_AGENT_PID 2>/dev/null"
ssh-add -q "$T/agentkey" || ssh_fail "ssh-add"
out=$(gq --verbose -H agent ls 2>&1) || ssh_fail "agent auth: $out"
echo "$out" | grep -q "authenticated (agent key" ||
	ssh_fail "not authenticated by the agent: $out"
# IdentitiesOnly keeps the agent out: then nothing is left to try.
ssh_expect_fail "permission denied" gq -H wrong ls
before=$(grep -c "Accepted publickey" "$A_LOG")

# A wrong key: refused, with what was tried; the daemon never hears of it.
conns=$("$GPUQ" -S "$SOCK" status --json 2>/dev/null | grep -o '"requests":[0-9]*')
ssh_expect_fail "permission denied" gq -H wrong ls
echo "$LAST_OUT" | grep -q "$T/wrongkey" || ssh_fail "tried keys: $LAST_OUT"
[ "$(grep -c "Accepted publickey" "$A_LOG")" = "$before" ] ||
	ssh_fail "sshd accepted a key it should not have"
kill "$SSH_AGENT_PID"
unset SSH_AUTH_SOCK SSH_AGENT_PID

# A passphrase, from GPUQ_ASKPASS (the terminal prompt's stand-in); a
# wrong one is asked again, then the key is given up.
cat >"$T/askpass" <<EOF2
#!/bin/sh
echo "\$1" >>"$T/asked"
echo 'open sesame'
EOF2
cat >"$T/askpass-wrong" <<EOF2
#!/bin/sh
echo "\$1" >>"$T/asked-wrong"
echo 'not it'
EOF2
chmod +x "$T/askpass" "$T/askpass-wrong"
GPUQ_ASKPASS=$T/askpass gq -H pass ls >/dev/null || ssh_fail "passphrase"
grep -q "passphrase for $T/passkey" "$T/asked" || ssh_fail "not asked"
GPUQ_ASKPASS=$T/askpass-wrong ssh_expect_fail "permission denied" gq -H pass ls
n=$(grep -c passphrase "$T/asked-wrong")
[ "$n" = 3 ] ||
	ssh_fail "a wrong passphrase should be asked 3 times, not $n: $LAST_OUT"
# No way to ask: the key is skipped, not tried with an empty passphrase.
ssh_expect_fail "permission denied" env GPUQ_ASKPASS=/bin/false \
	"$GPUQ" --ssh-config "$T/ssh_config" -S "$SOCK" -H pass ls

# RSA: libssh2 before 1.11 signs only with SHA-1, which OpenSSH refuses.
if out=$(gq -H rsa ls 2>&1); then
	echo "note: RSA worked (libssh2 1.11 or later)"
else
	echo "$out" | grep -q "ed25519" && echo "$out" | grep -q -- "--ssh-command" ||
		ssh_fail "the RSA failure names no way out: $out"
fi
echo "PASS: ssh auth"
