# Host keys: an unknown host is refused without --accept-new-host-key and
# the file is left alone; with it, one line is appended and nothing else
# changes; a changed key is refused with both SHA256 fingerprints and no
# login; a hashed entry matches; a @revoked key is refused.
. "$(dirname "$0")/lib.sh"
ssh_init hostkey "$@"
ssh_sshd A
ssh_config test A
ssh_gpuqd
kh=$T/known_hosts
fp() { ssh-keygen -lf "$1" | cut -d' ' -f2; }

# Unknown: refused in batch mode, with the fingerprint; nothing written.
printf '# my hosts\nother.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOupASaTxYXQEcsOtkikx95hoZ0U+v+yYji8as10ytmS\nno newline at the end' >"$kh"
cp "$kh" "$T/kh.orig"
ssh_expect_fail "is not known" gq -H test ls
echo "$LAST_OUT" | grep -q "$(fp "$A_KEY")" ||
	ssh_fail "the refusal shows no fingerprint: $LAST_OUT"
echo "$LAST_OUT" | grep -q -- "--accept-new-host-key" ||
	ssh_fail "the refusal names no way out: $LAST_OUT"
cmp -s "$kh" "$T/kh.orig" || ssh_fail "known_hosts changed on a refusal"
grep -q "Accepted publickey" "$A_LOG" && ssh_fail "logged in anyway"

# Accepted with the flag: exactly one line more, the rest byte for byte.
gq --accept-new-host-key -H test ls >/dev/null || ssh_fail "accept-new"
# The last line had no newline: it gets one, then the new line.
[ "$(wc -l <"$kh")" = 4 ] || ssh_fail "not one line appended: $(cat "$kh")"
head -c "$(wc -c <"$T/kh.orig")" "$kh" | cmp -s - "$T/kh.orig" ||
	ssh_fail "the old lines changed"
tail -n 1 "$kh" | grep -q "^\[127.0.0.1\]:$A_PORT ssh-ed25519 " ||
	ssh_fail "the new line: $(tail -n 1 "$kh")"
# OpenSSH agrees with the line gpuq wrote.
ssh-keygen -F "[127.0.0.1]:$A_PORT" -f "$kh" | grep -q ssh-ed25519 ||
	ssh_fail "ssh-keygen -F does not find the new line"
gq -H test ls >/dev/null || ssh_fail "the accepted key does not match"
lines=$(wc -l <"$kh")
gq --accept-new-host-key -H test ls >/dev/null || ssh_fail "again"
[ "$(wc -l <"$kh")" = "$lines" ] || ssh_fail "a known key was added again"

# Changed: the server's key is replaced; refused loudly, no login.
cp "$A_KEY" "$T/old.pub"
logins=$(grep -c "Accepted publickey" "$A_LOG")
kill "$A_PID"
wait "$A_PID" 2>/dev/null
rm -f "${A_KEY%.pub}" "$A_KEY"
ssh-keygen -q -t ed25519 -N '' -f "${A_KEY%.pub}"
/usr/sbin/sshd -D -f "$T/sshd-A.conf" -E "$A_LOG" &
A_PID=$!
SSH_PIDS="$SSH_PIDS $A_PID"
for _ in $(seq 100); do
	ss -Hltn "sport = :$A_PORT" | grep -q . && break
	sleep 0.05
done
cp "$kh" "$T/kh.before"
ssh_expect_fail "CHANGED" gq --accept-new-host-key -H test ls
echo "$LAST_OUT" | grep -q "$(fp "$T/old.pub")" ||
	ssh_fail "the known fingerprint is missing: $LAST_OUT"
echo "$LAST_OUT" | grep -q "$(fp "$A_KEY")" ||
	ssh_fail "the offered fingerprint is missing: $LAST_OUT"
echo "$LAST_OUT" | grep -q "$kh line 4" || ssh_fail "no file:line: $LAST_OUT"
cmp -s "$kh" "$T/kh.before" || ssh_fail "known_hosts changed on a mismatch"
[ "$(grep -c "Accepted publickey" "$A_LOG")" = "$logins" ] ||
	ssh_fail "logged in despite a changed host key"

# Hashed: the entry OpenSSH writes with HashKnownHosts (ssh-keygen -H).
echo "[127.0.0.1]:$A_PORT $(cut -d' ' -f1,2 "$A_KEY")" >"$kh"
ssh-keygen -q -H -f "$kh" >/dev/null 2>&1
grep -q "^|1|" "$kh" || ssh_fail "ssh-keygen -H did not hash"
grep -q "127.0.0.1" "$kh" && ssh_fail "the hashed file names the host"
gq -H test ls >/dev/null || ssh_fail "a hashed entry did not match"

# Revoked: refused even though a plain line matches.
echo "@revoked * $(cut -d' ' -f1,2 "$A_KEY")" >>"$kh"
ssh_expect_fail "REVOKED" gq -H test ls

# HashKnownHosts yes: gpuq writes hashed lines too, and finds them again.
: >"$kh"
sed -i "s|^Host test\$|Host test\n  HashKnownHosts yes|" "$T/ssh_config"
gq --accept-new-host-key -H test ls >/dev/null || ssh_fail "hashed accept"
grep -q "^|1|" "$kh" || ssh_fail "not hashed: $(cat "$kh")"
ssh-keygen -F "[127.0.0.1]:$A_PORT" -f "$kh" | grep -q ssh-ed25519 ||
	ssh_fail "ssh-keygen -F does not find the hashed line"
gq -H test ls >/dev/null || ssh_fail "the hashed line gpuq wrote"

# StrictHostKeyChecking accept-new in the config does what the flag does.
: >"$kh"
sed -i "s|^Host test\$|Host test\n  StrictHostKeyChecking accept-new|" \
	"$T/ssh_config"
gq -H test ls >/dev/null || ssh_fail "StrictHostKeyChecking accept-new"
[ "$(wc -l <"$kh")" = 1 ] || ssh_fail "accept-new did not add the key"
echo "PASS: ssh hostkey"
