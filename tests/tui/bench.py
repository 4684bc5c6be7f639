#!/usr/bin/env python3
"""Figures for the workbench (a benchmark: it prints, it never fails on time).

    bench.py GPUQ [--jobs 100000] [--rate 0.01] [--secs 10]

Runs gpuq in a pseudo-terminal (200x50) against a stand-in daemon on a
Unix socket that holds JOBS jobs and changes RATE of them per second
(job.state events), and prints:
  - time until the first screen shows every job (the snapshot),
  - bytes gpuq writes to the terminal per second while jobs change,
    and while nothing changes,
  - keystroke-to-screen latency (a key written to the terminal until
    gpuq's answer arrives), and gpuq's own figures: frame time, key to
    doupdate, memory (GPUQ_TUI_STATS).
The stand-in speaks the real protocol (hello, events.subscribe, job.list
pages, cluster.status, job.show); it is not gpuqd because gpuqd cannot
hold 100,000 live jobs on a laptop-sized machine.
"""
import argparse
import fcntl
import json
import os
import pty
import random
import select
import shutil
import socket
import struct
import sys
import tempfile
import termios
import threading
import time

STATES = ("PENDING", "RUNNING")


class Daemon:
    def __init__(self, path, njobs, rate):
        self.path = path
        self.rate = rate
        self.seq = 0
        self.lock = threading.Lock()
        self.conn = None
        self.subscribed = False
        self.paused = False
        self.sent = 0
        self.jobs = {}
        rnd = random.Random(1)
        for i in range(1, njobs + 1):
            self.jobs[i] = self.make(i, "RUNNING" if rnd.random() < 0.3
                                     else "PENDING", rnd)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)

    @staticmethod
    def make(i, state, rnd):
        j = {"id": i, "name": "train-%d" % i, "user": "user%02d" % (i % 50),
             "project": "proj%d" % (i % 7), "class": "train", "priority": 0,
             "preemptible": True, "state": state, "submit_time": 1700000000,
             "start_time": 0, "end_time": 0,
             "request": {"gpus": 0.5, "gpu_mem_mb": 0, "cpus": 1.0,
                         "mem_mb": 4096, "time_limit_s": 0},
             "alloc": None, "argv": ["python", "train.py", "--seed",
                                     str(i)],
             "workdir": "/home/u", "exit_code": None, "exit_signal": None,
             "reason": None, "attempt": 1, "wait": None}
        Daemon.place(j, rnd)
        return j

    @staticmethod
    def place(j, rnd):
        if j["state"] == "RUNNING":
            j["start_time"] = 1700000100
            j["alloc"] = {"node": "n%02d" % rnd.randrange(8), "cpus": 1.0,
                          "mem_mb": 4096, "gpus": [{"index": rnd.randrange(8),
                                                    "uuid": "", "share": 0.5,
                                                    "mem_mb": 40000}]}
            j["wait"] = None
        else:
            j["start_time"] = 0
            j["alloc"] = None
            j["wait"] = {"reason": "RESOURCES", "position": j["id"]}

    def send(self, obj):
        data = (json.dumps(obj, separators=(",", ":")) + "\n").encode()
        with self.lock:
            if self.conn is None:
                return
            try:
                self.conn.sendall(data)
            except OSError:
                self.conn = None

    def status(self):
        rnd = random.Random()
        nodes = []
        for n in range(8):
            gpus = [{"index": g, "uuid": "GPU-%d-%d" % (n, g),
                     "name": "H100", "model": "H100-80GB", "mem_mb": 81559,
                     "alloc": 1.0, "alloc_mem_mb": 81559,
                     "util_pct": rnd.randrange(101),
                     "mem_used_mb": rnd.randrange(81559), "temp_c": 50,
                     "power_w": 300, "jobs": []} for g in range(8)]
            nodes.append({"name": "n%02d" % n, "cpus": 64.0,
                          "cpus_alloc": 32.0, "mem_mb": 512000,
                          "mem_alloc_mb": 100000, "gpus": gpus})
        return {"host": "bench", "executor": "bench", "gpu_source": "bench",
                "nodes": nodes, "totals": {}}

    def job_list(self, p):
        after = p.get("after", 0)
        limit = p.get("limit", 1000)
        st = p.get("state")
        if isinstance(st, str):
            st = [st]
        out = []
        total = 0
        last = None
        for i in range(after + 1, len(self.jobs) + 1):
            j = self.jobs[i]
            if st is not None and j["state"] not in st:
                continue
            total += 1
            if len(out) < limit:
                out.append(j)
                last = i
        return {"jobs": out, "total": total,
                "next": last if total > limit else None}

    def handle(self, msg):
        if "hello" in msg:
            return
        verb, p, rid = msg.get("verb"), msg.get("params", {}), msg.get("id")
        if verb == "events.subscribe":
            self.subscribed = True
            res = {"seq": self.seq}
        elif verb == "job.list":
            res = self.job_list(p)
        elif verb == "cluster.status":
            res = self.status()
        elif verb == "job.show":
            j = dict(self.jobs.get(p.get("id"), {}))
            j.update({"env": {}, "history": [], "logs": {}})
            res = {"job": j}
        else:
            self.send({"id": rid, "error": {"code": "ENOSYS",
                                            "message": verb}})
            return
        self.send({"id": rid, "result": res})

    def serve(self):
        conn, _ = self.sock.accept()
        with self.lock:
            self.conn = conn
        self.send({"hello": {"proto": 1, "version": "0.1.0",
                             "software": "gpuqd-bench", "user": "user00",
                             "host": "bench",
                             "verbs": ["hello", "job.list", "job.show",
                                       "cluster.status",
                                       "events.subscribe"]}})
        buf = b""
        while True:
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line:
                    self.handle(json.loads(line))

    def churn(self):
        rnd = random.Random(2)
        n = len(self.jobs)
        per_tick = max(1, int(n * self.rate / 10))
        while True:
            time.sleep(0.1)
            if not self.subscribed or self.paused:
                continue
            for _ in range(per_tick):
                j = self.jobs[rnd.randrange(1, n + 1)]
                j["state"] = STATES[j["state"] == "PENDING"]
                Daemon.place(j, rnd)
                self.seq += 1
                self.send({"event": "job.state", "seq": self.seq,
                           "data": {"job": j}})
                self.sent += 1


class Term:
    """gpuq on the slave side of a pty; the master's bytes are counted."""

    def __init__(self, argv, env, cols, rows):
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", rows, cols, 0, 0))
            os.execve(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.lock = threading.Lock()
        self.total = 0
        self.text = b""
        self.last_byte = 0.0
        threading.Thread(target=self.reader, daemon=True).start()

    def reader(self):
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.total += len(data)
                self.last_byte = time.monotonic()
                self.text = (self.text + data)[-200000:]

    def wait_for(self, needle, secs):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            with self.lock:
                if needle in self.text:
                    return True
            time.sleep(0.01)
        return False

    def key(self, k):
        os.write(self.fd, k)


def rate(term, secs):
    with term.lock:
        start = term.total
    time.sleep(secs)
    with term.lock:
        return (term.total - start) / secs


def latency(term, n):
    out = []
    for i in range(n):
        time.sleep(0.15)  # let the screen settle
        with term.lock:
            before = term.total
        t0 = time.monotonic()
        term.key(b"j" if i % 2 == 0 else b"k")
        while True:
            with term.lock:
                if term.total > before:
                    break
            if time.monotonic() - t0 > 2:
                break
            time.sleep(0.0005)
        out.append((time.monotonic() - t0) * 1000)
    out.sort()
    return out[len(out) // 2], out[int(len(out) * 0.95)], out[-1]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gpuq")
    ap.add_argument("--jobs", type=int, default=100000)
    ap.add_argument("--rate", type=float, default=0.01)
    ap.add_argument("--secs", type=float, default=10)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gpuq-tui-bench-")
    sock, stats = os.path.join(tmp, "s.sock"), os.path.join(tmp, "stats")
    d = Daemon(sock, a.jobs, a.rate)
    threading.Thread(target=d.serve, daemon=True).start()
    threading.Thread(target=d.churn, daemon=True).start()
    env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "LANG": "C.UTF-8",
           "TERM": "xterm-256color", "GPUQ_TUI_STATS": stats, "TZ": "UTC"}
    t0 = time.monotonic()
    term = Term([a.gpuq, "-S", sock], env, 200, 50)
    if not term.wait_for(b"shown of %d" % a.jobs, 120):
        print("gpuq never showed the jobs", file=sys.stderr)
        sys.exit(1)
    first = time.monotonic() - t0
    time.sleep(1)
    busy = rate(term, a.secs)
    sent = d.sent
    d.paused = True
    time.sleep(1)
    idle = rate(term, 3)
    p50, p95, pmax = latency(term, 40)
    term.key(b"Q")
    os.waitpid(term.pid, 0)
    figures = dict(l.split() for l in open(stats))
    shutil.rmtree(tmp, ignore_errors=True)
    print("gpuq workbench, %d jobs, %.1f%% change per second, 200x50, "
          "%d cores" % (a.jobs, a.rate * 100, os.cpu_count()))
    print("  first screen with every job   %.2f s" % first)
    print("  bytes to the terminal         %.0f B/s while %d jobs/s change"
          % (busy, a.jobs * a.rate))
    print("                                %.0f B/s while nothing changes"
          % idle)
    print("  events sent                   %d" % sent)
    print("  keystroke to screen           p50 %.2f ms, p95 %.2f ms, "
          "max %.2f ms" % (p50, p95, pmax))
    print("  frame time (gpuq)             avg %s ms, max %s ms over %s "
          "frames" % (figures["frame_ms_avg"], figures["frame_ms_max"],
                      figures["frames"]))
    print("  key to doupdate (gpuq)        avg %s ms, max %s ms" %
          (figures["key_ms_avg"], figures["key_ms_max"]))
    print("  memory (gpuq)                 rss %s kB, peak %s kB" %
          (figures["rss_kb"], figures["rss_peak_kb"]))


if __name__ == "__main__":
    main()
