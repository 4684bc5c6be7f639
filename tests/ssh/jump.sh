# ProxyJump: gpuq reaches the target through one and two jump hosts, each
# a real sshd, natively (direct-tcpip channels pumped through socketpairs
# on the loop); a jump host that forbids forwarding is named in the error.
. "$(dirname "$0")/lib.sh"
ssh_init jump "$@"
ssh_sshd J
ssh_sshd K
ssh_sshd B
ssh_sshd N "AllowTcpForwarding no"
for s in J K B N; do ssh_known $s; done
ssh_config jump J
ssh_config jump2 K
ssh_config nofwd N
ssh_config target B "  ProxyJump jump"
ssh_config target2 B "  ProxyJump jump,jump2"
ssh_config blocked B "  ProxyJump nofwd"
ssh_gpuqd

out=$(gq --verbose -H target ls 2>&1) || ssh_fail "through one jump: $out"
echo "$out" | grep -q "^ID  USER" || ssh_fail "through one jump: $out"
grep -q "direct_tcpip: originator.*target 127.0.0.1 port $B_PORT" "$J_LOG" ||
	ssh_fail "the jump host forwarded nothing to port $B_PORT"
grep -q "Accepted publickey" "$B_LOG" || ssh_fail "no login on the target"
echo "$out" | grep -q "$ME@127.0.0.1:$J_PORT: authenticated" ||
	ssh_fail "the jump hop did not authenticate: $out"

# A submit through the jump, seen on the local socket.
gq -H target submit --name jumped -- /bin/true >/dev/null ||
	ssh_fail "submit through the jump"
"$GPUQ" -S "$SOCK" ls -a | grep -q jumped || ssh_fail "no jumped job"

# Two jump hosts: J forwards to K, K to the target.
out=$(gq -H target2 ls 2>&1) || ssh_fail "through two jumps: $out"
grep -q "direct_tcpip: originator.*target 127.0.0.1 port $K_PORT" "$J_LOG" ||
	ssh_fail "J did not forward to K"
grep -q "direct_tcpip: originator.*target 127.0.0.1 port $B_PORT" "$K_LOG" ||
	ssh_fail "K did not forward to the target"

# A jump host that does not forward: the error names it.
ssh_expect_fail "jump host $ME@127.0.0.1:$N_PORT" gq -H blocked ls
echo "$LAST_OUT" | grep -q "forwarding" ||
	ssh_fail "the error does not say why: $LAST_OUT"

# The jump host's key is checked too.
grep -v "\[127.0.0.1\]:$J_PORT " "$T/known_hosts" >"$T/kh2"
mv "$T/kh2" "$T/known_hosts"
ssh_expect_fail "\[127.0.0.1\]:$J_PORT is not known" gq -H target ls
echo "PASS: ssh jump"
