#!/bin/sh
# sweep.create at its size limits (SWEEP_MAX_FILE, SWEEP_MAX_VALUES,
# SWEEP_MAX_NODES in core/sweep/sweep.h): a file of exactly 1 MiB is read,
# one byte more is ETOOBIG, and a list past a limit is refused with the
# limit named; the daemon keeps serving.  The transcript is generated
# (its lines are too long to keep in the tree) and played by the runner
# against a gpuqd whose protocol lines may be 4 MiB, so the file limit,
# not the line limit, is what is hit.
#
#   sweep-size.sh RUNNER GPUQD
set -eu

runner=$1
gpuqd=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/gpuq-sweep-size.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM

cat >"$T/gpuqd" <<EOF
#!/bin/sh
exec "$gpuqd" -o max-line=4M "\$@"
EOF
chmod +x "$T/gpuqd"

python3 - "$T/size.t" <<'PY'
import json, sys

MAX_FILE = 1024 * 1024
HEAD = ("command: [/bin/echo, '${t}']\nmethod: grid\nparameters:\n"
        "  t: {values: [1]}\nresources: {gpus: 0.5, cpus: 0.1, mem: 10M}\n")


def padded(size):
    """A valid sweep file of exactly size bytes: HEAD and a comment."""
    pad = size - len(HEAD) - 3
    return HEAD + "# " + "x" * pad + "\n"


def req(i, verb, params):
    return "> " + json.dumps({"id": i, "verb": verb, "params": params},
                             separators=(",", ":"))


def err(i, code, msg):
    return "< " + json.dumps({"id": i, "error": {"code": code,
                                                 "message": msg}},
                             separators=(",", ":"))


def values(n):
    return ("method: grid\nparameters:\n  t: {values: [" +
            ",".join(["1"] * n) + "]}\n")


ok, big = padded(MAX_FILE), padded(MAX_FILE + 1)
assert len(ok) == MAX_FILE and len(big) == MAX_FILE + 1
lines = [
    "# Exactly the limit: read, and the dry run lists its one trial.",
    req(1, "sweep.create", {"file": ok, "workdir": "/tmp",
                            "dry_run": True}),
    '< {"id":1,"result":{"dry_run":true,"listed":1,"trials":[{"trial":1,'
    '"params":{"t":1},"argv":["/bin/echo","1"]}],"...":"*"}}',
    "# One byte over: refused before it is parsed.",
    req(2, "sweep.create", {"file": big, "workdir": "/tmp",
                            "dry_run": True}),
    err(2, "ETOOBIG", '"file" is over 1 MiB'),
    "# A parameter with more values than a file may list.",
    req(3, "sweep.create", {"file": values(10001), "workdir": "/tmp"}),
    '< {"id":3,"error":{"code":"EINVAL","message":"sweep.yaml:3: parameters.t: more than 10000 values"}}',
    "# More scalars, maps and lists than a file may hold.",
    req(4, "sweep.create", {"file": values(100001), "workdir": "/tmp"}),
    '< {"id":4,"error":{"code":"EINVAL","message":"sweep.yaml:3: more than 100000 nodes"}}',
    "# Still serving; nothing was made.",
    req(5, "sweep.list", {}),
    '< {"id":5,"result":{"sweeps":[],"total":0}}',
    req(6, "job.list", {"all": True}),
    '< {"id":6,"result":{"jobs":[],"total":0,"next":null}}',
]
with open(sys.argv[1], "w") as f:
    f.write("\n".join(lines) + "\n")
PY

"$runner" "$T/gpuqd" "$T/size.t"
