# gpuq -H host attach ID through gpuq's own SSH client (libssh2): on a
# terminal here, the shell runs on a terminal there (a PTY channel) of
# this terminal's size, follows its size changes, and its exit status is
# gpuq's; from a pipe, the far gpuq relays it as it does locally; an ended
# job is refused with the far side's message (docs/cli/gpuq-attach.md).
. "$(dirname "$0")/lib.sh"
ssh_init attach "$@"
command -v python3 >/dev/null || { echo "SKIP: python3 drives the terminal"; exit 77; }
# The far side runs `gpuq attach --here`: gpuq must be on its PATH, which
# the sshd sets to gpuqd's directory.
mkdir -p "$T/bin"
ln -s "$(cd "$(dirname "$GPUQD")" && pwd)/$(basename "$GPUQD")" "$T/bin/gpuqd"
ln -s "$(cd "$(dirname "$GPUQ")" && pwd)/$(basename "$GPUQ")" "$T/bin/gpuq"
GPUQD=$T/bin/gpuqd
ssh_sshd A
ssh_known A
ssh_config test A
ssh_gpuqd

"$GPUQ" -S "$SOCK" submit --gpus 1 -- /bin/sleep 300 >/dev/null ||
	ssh_fail "submit"
for _ in $(seq 100); do
	"$GPUQ" -S "$SOCK" show 1 | grep -q RUNNING && break
	sleep 0.1
done

# On a terminal of 30x100: the job's environment, a terminal there of the
# same size, then 40x120 after a resize, and the shell's exit status.
cat >"$T/drive.py" <<'PY'
import fcntl, os, select, struct, subprocess, sys, termios, time

master, slave = os.openpty()
def size(rows, cols):
    fcntl.ioctl(master, termios.TIOCSWINSZ,
                struct.pack("HHHH", rows, cols, 0, 0))
def ctty():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
size(30, 100)
p = subprocess.Popen(sys.argv[1:], stdin=slave, stdout=slave, stderr=slave,
                     preexec_fn=ctty)
os.close(slave)
out = b""
def expect(pat):
    global out
    end = time.time() + 20
    while pat not in out:
        if time.time() > end:
            sys.exit("no %r in %r" % (pat, out))
        if select.select([master], [], [], 0.2)[0]:
            try:
                d = os.read(master, 4096)
            except OSError:
                d = b""
            if not d:
                sys.exit("ended before %r: %r" % (pat, out))
            out += d
expect(b"attached to job 1")
os.write(master, b"echo A=$GPUQ_ATTACHED J=$GPUQ_JOB_ID T=$(tty) S=$(stty size)\r")
expect(b"S=30 100")
size(40, 120)
time.sleep(0.5)
os.write(master, b"echo R=$(stty size); exit 7\r")
expect(b"R=40 120")
rc = p.wait(timeout=20)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(0 if rc == 7 else "gpuq exited %d, not 7" % rc)
PY
out=$(python3 "$T/drive.py" "$GPUQ" --ssh-config "$T/ssh_config" -S "$SOCK" \
	-H test attach 1) || ssh_fail "attach on a terminal: $out"
echo "$out" | grep -q "A=1 J=1 T=/dev/pts/" ||
	ssh_fail "no terminal or environment there: $out"
echo "ok: a terminal there, 30x100 then 40x120, exit status 7"

# From a pipe: no terminal there, the far gpuq relays the shell.
out=$(printf 'echo "B=$GPUQ_ATTACHED"\nexit 0\n' |
	gq -H test attach 1 2>"$T/err") || ssh_fail "attach from a pipe: $out $(cat "$T/err")"
echo "$out" | grep -q "B=1$" || ssh_fail "attach from a pipe: $out"
echo "ok: attach from a pipe"

# An ended job: the far side's refusal, status 1.
"$GPUQ" -S "$SOCK" cancel 1 >/dev/null
for _ in $(seq 100); do
	"$GPUQ" -S "$SOCK" show 1 | grep -q CANCELLED && break
	sleep 0.1
done
ssh_expect_fail "only a running job can be attached" gq -H test attach 1 </dev/null
gq -H test attach 1 </dev/null >/dev/null 2>&1
[ $? = 1 ] || ssh_fail "attach to an ended job did not exit 1"
echo "ok: an ended job is refused"
echo PASS
