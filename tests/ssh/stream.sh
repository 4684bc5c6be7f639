# 10,000 events through one SSH channel, in order and without a gap: the
# CLI's client over libssh2 subscribes while 50 local clients submit
# 10,000 jobs (each one job.state event).
. "$(dirname "$0")/lib.sh"
ssh_init stream "$@"
ssh_sshd A
ssh_known A
ssh_config test A
ssh_gpuqd

"$DRIVE" stream -F "$T/ssh_config" -H test -S "$SOCK" -L "$SOCK" \
	-n 10000 -r "$T/ready" >"$T/stream.out" 2>"$T/stream.log" &
drive=$!
SSH_PIDS="$SSH_PIDS $drive"
for _ in $(seq 200); do
	[ -f "$T/ready" ] && break
	sleep 0.05
done
[ -f "$T/ready" ] || ssh_fail "the stream did not subscribe"
"$LOADGEN" -S "$SOCK" -c 50 -n 200 --gpus 4 --cmd 'sleep 600' \
	>"$T/loadgen.log" 2>&1 || ssh_fail "loadgen: $(cat "$T/loadgen.log")"
wait "$drive" || ssh_fail "stream: $(cat "$T/stream.out" "$T/stream.log")"
cat "$T/stream.out"
grep -q "10000 events" "$T/stream.out" || ssh_fail "not 10000 events"
echo "PASS: ssh stream"
