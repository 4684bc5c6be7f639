#!/bin/bash
# Runs one TUI test case: run.sh CASE GPUQ GPUQD.  The cases are below;
# tests/tui/CMakeLists.txt registers each with ctest (label tui).
set -u
CASE=$1
GPUQ=$2
GPUQD=$3
. "$(dirname "$0")/lib.sh"

# Waits until `gpuq show ID` says STATE.
tt_state() {
	tt_until "${3:-20}" sh -c "'$GPUQ' -S '$SOCK' show $1 | grep -q '$2'" ||
		tt_fail "job $1 never became $2"
}

# Jobs in every state, made one after another so the order is fixed:
# 1 COMPLETED, 2 FAILED, 3 and 4 RUNNING, 5 and 6 PENDING, 7 CANCELLED.
tt_scenario() {
	tt_daemon
	tt_submit --gpus 0 --name quick -- true
	tt_state 1 COMPLETED
	tt_submit --gpus 0 --name failer -- sh -c 'exit 3'
	tt_state 2 FAILED
	tt_submit --gpus 0.5 --name trainer -- sleep 600
	tt_state 3 RUNNING
	tt_submit --gpus 2 --project vision --name '日本語 eval' -- sh -c \
	    'echo epoch 1; for i in 1 2 3; do printf "\rstep %d/3" $i; done; echo; printf "loss \033[31m0.25\033[0m\n"; echo done; sleep 600'
	tt_state 4 RUNNING
	tt_submit --gpus 8 --name big -- sleep 100
	tt_submit --gpus 1 --name waiter -- sleep 100
	tt_submit --gpus 1 --name cancelme -- sleep 100
	"$GPUQ" -S "$SOCK" cancel 7 >/dev/null || tt_fail "cancel 7"
	tt_state 7 CANCELLED
	tt_until 10 sh -c "'$GPUQ' -S '$SOCK' ls | grep -q 'RESOURCES #2'" ||
		tt_fail "the queue never settled"
	tt_until 10 sh -c "'$GPUQ' -S '$SOCK' logs 4 | grep -q done" ||
		tt_fail "job 4 wrote no log"
}

# Every view, golden at one size.
tt_views() {
	local size=$1
	tt_scenario
	tt_start ${size/x/ }
	tt_wait "$TT_USER@node01"
	tt_wait "big"
	tt_wait "cancelme"
	tt_golden "jobs-$size"
	tt_keys 2
	tt_wait "Mine:"
	tt_golden "mine-$size"
	tt_keys 3
	tt_wait "allocated 2.5 of 8"
	tt_golden "gpus-$size"
	tt_keys 4
	tt_wait "Nodes: 1"
	tt_golden "nodes-$size"
	tt_keys 5
	tt_wait_re "not available from this daemon yet|^name "
	# The daemon's project.list (if it has one) ranks equal shares in no
	# fixed order: the table is checked, not compared.
	if tt_raw | grep -q "^name "; then
		tt_wait "vision"
		tt_wait "default"
	else
		tt_golden "projects-missing-$size"
	fi
	tt_keys 6
	tt_wait_re "no sweep.list verb|No sweeps yet"
	tt_golden "sweeps-$size"
	tt_keys 1 g j j j Enter
	tt_wait "Job 4:"
	tt_wait "History"
	tt_golden "job-$size"
	tt_keys l
	tt_wait "step 3/3"
	tt_wait "done"
	tt_golden "logs-$size"
	tt_keys q
	tt_wait "Job 4:"
	tt_keys q
	tt_wait "Jobs:"
	tt_keys '?'
	tt_wait "from the live key map"
	tt_golden "help-$size"
	tt_keys q
	tt_gone "from the live key map"
	tt_keys 7
	"$GPUQ" -S "$SOCK" cancel 6 >/dev/null || tt_fail "cancel 6"
	tt_wait "PENDING -> CANCELLED"
	tt_golden "events-$size"
}

case_views_80x24() {
	tt_views 80x24
}

case_views_200x50() {
	tt_views 200x50
}

# One request on the daemon's socket, for what gpuq's CLI has no flag for
# yet (job.submit's afterok); prints the reply.
tt_rpc() {
	python3 -c '
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile("rwb")
f.readline()
f.write(b"{\"hello\": {\"proto\": 1}}\n")
f.write((json.dumps({"id": 1, "verb": sys.argv[2],
    "params": json.loads(sys.argv[3])}) + "\n").encode())
f.flush()
print(f.readline().decode().strip())
' "$SOCK" "$1" "$2"
}

# Lifecycle: a queue that fills the 8 GPUs of a 2-core machine (CPUs
# 0.1 each): 1 trainer 0.5, 2 eval 2 (it saves and exits on TERM, so a
# swap can free its GPUs), 3 fill 5, all RUNNING; 4 big 8 and 5 small 1
# PENDING.
tt_life() {
	tt_daemon
	tt_submit --cpus 0.1 --gpus 0.5 --name trainer -- sleep 600
	tt_state 1 RUNNING
	tt_submit --cpus 0.1 --gpus 2 --project vision --name eval \
	    --checkpoint-signal TERM -- sleep 600
	tt_state 2 RUNNING
	tt_submit --cpus 0.1 --gpus 5 --name fill -- sleep 600
	tt_state 3 RUNNING
	tt_submit --cpus 0.1 --gpus 8 --name big -- sleep 100
	tt_submit --cpus 0.1 --gpus 1 --name small -- sleep 100
	tt_start "${1:-120}" "${2:-30}" "${3:-}"
	tt_wait "$TT_USER@node01"
	tt_wait "small"
}

# The line of job ID on the screen.
tt_row() {
	tt_raw | grep -E "^ +$1 "
}

# Z suspends (after a dialog that names the job, Cancel focused), R
# resumes; the state, how it was suspended and the share's enforcement
# label show in Jobs and in Job.
case_life() {
	tt_life 120 30
	tt_row 1 | grep -q "0.5 adv" || tt_fail "no enforcement label"
	tt_keys g Z
	tt_wait "Suspend 1 job?"
	tt_wait "job 1  trainer"
	tt_wait "[> Cancel <]"
	tt_keys Enter
	tt_gone "Suspend 1 job?"
	tt_untouched 1 RUNNING
	tt_keys Z
	tt_wait "Suspend 1 job?"
	tt_keys y
	tt_wait "◐ SUSPENDED"
	tt_wait "node01:0 stopped"
	tt_wait "suspended 1"
	tt_state 1 SUSPENDED
	# Z on a job that is not running: nothing to ask (and a status line
	# that stays put for the golden screen).
	tt_keys Z
	tt_wait "Suspend: no running job among the 1 chosen"
	tt_golden "life-suspended"
	tt_keys Enter
	tt_wait "Job 1: trainer"
	tt_wait "stopped, GPU memory kept (stop)"
	tt_wait "enforcement advisory"
	tt_keys q
	tt_wait "Jobs:"
	tt_keys R
	tt_wait "Resume 1 job?"
	tt_keys y
	tt_state 1 RUNNING
	tt_wait_re "^ +1 ● RUNNING"
	tt_gone "suspended 1"
}

# H holds a pending job and U releases it; marks apply to all.
case_hold() {
	tt_life 120 30
	tt_keys G H
	tt_wait "Hold 1 job?"
	tt_wait "job 5  small"
	tt_keys y
	tt_wait_re "^.? +5 .*HELD"
	tt_until 10 sh -c "'$GPUQ' -S '$SOCK' show --json 5 | grep -q '\"held\":true'" ||
		tt_fail "job 5 is not held"
	tt_keys k Space Space
	tt_wait "marked:2"
	tt_keys H
	tt_wait "Hold 1 job?"
	tt_wait "job 4  big"
	tt_wait "(1 marked job left out: not pending, not held)"
	tt_keys y
	tt_wait_re "^.? +4 .*HELD"
	tt_keys U
	tt_wait "Release 2 jobs?"
	tt_keys y
	tt_gone "HELD"
	# A job that waits for another: the dependency is named.
	tt_rpc job.submit "{\"argv\": [\"true\"], \"gpus\": 1, \"cpus\": 0.1, \"workdir\": \"$T/work\", \"env\": {}, \"name\": \"dep\", \"afterok\": [1]}" |
		grep -q '"result"' || tt_fail "submit afterok"
	tt_wait "waits for 1 (afterok)"
	tt_keys G Enter
	tt_wait "Job 6: dep"
	tt_wait "depends on  1 (afterok, RUNNING)"
	# x: a new priority, asked first.
	tt_keys q
	tt_wait "Jobs:"
	tt_keys 'C-\'
	tt_gone "marked:"
	tt_keys x
	tt_wait "Priority, time limit..."
	tt_keys G k Enter
	tt_wait "Update 1 job"
	tt_type "7"
	tt_keys Tab Tab Tab Enter
	tt_wait "Update these jobs?"
	tt_wait "New: priority 7"
	tt_keys y
	tt_wait "job 6 updated"
	"$GPUQ" -S "$SOCK" show --json 6 | grep -q '"priority":7' ||
		tt_fail "priority not 7"
	"$GPUQ" -S "$SOCK" show --json 5 | grep -q '"held":true' &&
		tt_fail "job 5 is still held"
	true
}

# W on a running job: a menu of my pending jobs (those that fit first),
# then a dialog naming both; the out job saves itself on TERM and is
# requeued, the in job starts on its GPUs.
case_swap() {
	tt_life 120 30
	tt_keys g j W
	tt_wait "Swap job 2 out for which job?"
	tt_wait "5  small  1 GPU, fits"
	tt_wait "4  big  needs 8 GPU, it holds 2"
	tt_keys Enter
	tt_wait "Swap job 2 for job 5?"
	tt_wait "[> Cancel <]"
	tt_keys y
	tt_state 5 RUNNING
	tt_wait_re "^ +5 ● RUNNING"
	tt_wait_re "^ +2 .*(requeued|SUSPENDED|swaps)"
}

# A runs `gpuq attach` with the terminal and comes back when it ends.
case_attach() {
	TT_ENV="SHELL=/bin/sh" tt_life 120 30
	tt_keys g A
	tt_wait "attaching to job 1"
	tt_type 'echo in-job-$GPUQ_JOB_ID'
	tt_keys Enter
	tt_wait "in-job-1"
	tt_type "exit"
	tt_keys Enter
	tt_wait "back from job 1"
	tt_wait "trainer"
	tt_gone "in-job-1"
}

# A trainer for sweeps: loss = lr * 10 / step for steps 1..4 (@gpuq lines).
tt_trainer() {
	cat >"$T/work/train.sh" <<'EOF2'
lr=0.1
for a; do case $a in --lr=*) lr=${a#--lr=} ;; esac; done
for s in 1 2 3 4; do
	echo "@gpuq {\"step\": $s, \"loss\": $(awk -v l="$lr" -v s="$s" 'BEGIN { printf "%g", l * 10 / s }')}"
	sleep 0.2
done
EOF2
	cat >"$T/work/lrs.yaml" <<'EOF2'
name: lrs
command: [sh, train.sh, "${args}"]
method: grid
metric: {name: loss, goal: minimize}
parameters:
  lr: {values: [0.1, 0.01, 0.001]}
  opt: {value: adam}
parallel: 3
resources: {gpus: 0.25, cpus: 0.1}
EOF2
	cat >"$T/work/slow.yaml" <<'EOF2'
name: slow
command: [sh, -c, "sleep 600", sh, "${args}"]
method: grid
metric: {name: loss, goal: minimize}
parameters:
  x: {values: [1, 2, 3]}
parallel: 1
resources: {gpus: 0.25, cpus: 0.1}
EOF2
}

# The Sweeps view lists sweeps live; Enter shows the trials: parameters
# as columns, metric, best marked, curves; Z R C pause, resume and stop
# (each asks first).
case_sweeps() {
	tt_daemon
	tt_trainer
	"$GPUQ" -S "$SOCK" sweep create "$T/work/lrs.yaml" >/dev/null ||
		tt_fail "sweep create"
	tt_start 120 30
	tt_wait "$TT_USER@node01"
	tt_keys 6
	tt_wait_re "lrs .*grid"
	tt_keys Enter
	tt_wait "Sweep 1: lrs"
	tt_wait "opt"
	tt_wait "3/3 done" 30
	tt_wait_re "★ +3 .*0.0025"
	tt_wait "loss↓"
	# Each trial's curve (braille, masked in the golden screen).
	[ "$(tt_raw | perl -CSD -ne '$n++ if /^.? +[123] +[123] .*[\x{2801}-\x{28ff}]/; END { print $n + 0 }')" -eq 3 ] ||
		tt_fail "not a curve for each trial"
	tt_golden "sweep-trials"
	tt_keys Enter
	tt_wait "trial 3 of sweep 1"
	tt_keys q
	tt_wait "Sweep 1: lrs"
	tt_keys q
	tt_wait "Sweeps: 1"
	(cd "$T/work" && env -i PATH=/usr/bin:/bin HOME="$T/home" \
	    LANG=C.UTF-8 "$GPUQ" -S "$SOCK" sweep create slow.yaml) \
	    >/dev/null || tt_fail "sweep create slow"
	tt_wait "slow"
	tt_keys G Z
	tt_wait "Pause sweep 2?"
	tt_wait "sweep 2  slow"
	tt_keys Enter
	tt_gone "Pause sweep 2?"
	tt_keys Z
	tt_wait "Pause sweep 2?"
	tt_keys y
	tt_wait_re "slow .*paused"
	tt_keys R
	tt_wait "Resume sweep 2?"
	tt_keys y
	tt_wait_re "slow .*running"
	tt_keys Enter
	tt_wait "Sweep 2: slow"
	tt_keys C
	tt_wait "Stop sweep 2?"
	tt_keys y
	tt_wait "Sweep 2: slow ($TT_USER)  grid, stopped"
	"$GPUQ" -S "$SOCK" sweep ls | grep -q stopped || tt_fail "not stopped"
}

# S on a finished job: the form loads it as the template (a dry run), the
# preview says what would run; nothing runs until Launch.
case_sweepform() {
	tt_daemon
	tt_trainer
	tt_submit --cpus 0.1 --gpus 0.25 --name tmpl -- sh train.sh --lr=0.01
	tt_state 1 COMPLETED
	tt_start 120 30
	tt_wait "tmpl"
	tt_keys g S
	tt_wait "Launch a sweep"
	tt_wait "Loaded: 1 parameter"
	tt_wait "lr: uniform 0.005 .. 0.02"
	tt_keys BTab
	tt_wait "[> Preview <]"
	tt_keys Enter
	tt_wait "Launch this sweep?"
	tt_wait "GPU-hours not bounded"
	tt_wait "each      0.25 GPU"
	tt_wait_re "runs      sh train.sh --lr=0\.0"
	tt_wait "[> Cancel <]"
	tt_keys Enter
	tt_gone "Launch this sweep?"
	tt_sync
	"$GPUQ" -S "$SOCK" sweep ls | grep -q tmpl && tt_fail "it was launched"
	tt_keys S
	tt_wait "Loaded: 1 parameter"
	# Trials: 2, time per trial: 1h; a bad parameter line first.
	tt_keys Tab Tab Tab Tab Tab Tab C-u
	tt_type "2"
	tt_keys Tab Tab Tab C-u
	tt_type "1h"
	tt_keys Tab Tab Tab
	tt_type "oops"
	tt_keys Tab Tab Tab Tab Tab Tab
	tt_wait "[> Preview <]"
	tt_keys Enter
	tt_wait "a parameter is NAME: VALUES"
	tt_keys C-u Tab Tab Tab Tab Tab Tab
	tt_wait "[> Preview <]"
	tt_keys Enter
	tt_wait "Launch this sweep?"
	tt_wait "2 trials"
	tt_wait "GPU-hours at most 0.5"
	tt_keys y
	tt_wait "sweep 1 started"
	tt_wait "Sweep 1: tmpl"
	"$GPUQ" -S "$SOCK" sweep ls | grep -q tmpl || tt_fail "not launched"
}

# A daemon of the first protocol: none of the lifecycle, GPU history or
# sweep verbs.  A stand-in (real gpuqd has them all now) that answers
# hello, events.subscribe, job.list, job.show and cluster.status with one
# running job.  gpuq must say what is missing, never pretend.
tt_old_daemon() {
	command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
	python3 -c '
import json, socket, sys, threading
JOB = {"id": 1, "user": sys.argv[2], "project": "default", "name": "old",
    "state": "RUNNING", "class": "train", "priority": 0, "attempt": 1,
    "submit_time": 1, "start_time": 1, "argv": ["sleep", "600"],
    "request": {"gpus": 1, "cpus": 1, "mem_mb": 1024},
    "alloc": {"node": "node01", "gpus": [{"index": 0, "share": 1}]}}
VERBS = ["hello", "job.submit", "job.list", "job.show", "job.cancel",
    "job.logs", "cluster.status", "events.subscribe", "server.ping"]
def answer(verb):
    if verb == "job.list":
        return {"jobs": [JOB], "total": 1, "next": None}
    if verb == "job.show":
        return {"job": JOB}
    if verb == "cluster.status":
        return {"host": "node01", "nodes": [{"name": "node01", "gpus":
            [{"index": 0, "model": "H100", "mem_mb": 81920, "alloc": 1,
              "util_pct": 50, "jobs": [{"id": 1, "user": "u", "share": 1}]}]}]}
    return {}
def serve(c):
    f = c.makefile("rwb")
    f.write((json.dumps({"hello": {"proto": 1, "software": "gpuqd",
        "version": "0.0.1", "verbs": VERBS, "user": sys.argv[2],
        "host": "node01"}}) + "\n").encode()); f.flush()
    for line in f:
        m = json.loads(line)
        if "id" not in m:
            continue
        f.write((json.dumps({"id": m["id"], "result": answer(m["verb"])})
            + "\n").encode()); f.flush()
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
' "$T/old.sock" "$TT_USER" &
	DPID=$!
	tt_until 10 test -S "$T/old.sock" || tt_fail "no stand-in socket"
	SOCK=$T/old.sock
}

case_oldverbs() {
	tt_old_daemon
	tt_start 120 30
	tt_wait "$TT_USER@node01"
	tt_wait "old"
	tt_keys Z
	tt_wait "Suspend: not available from this daemon yet (no job.suspend verb)"
	tt_keys W
	tt_wait "Swap: not available from this daemon yet (no job.swap verb)"
	tt_keys A
	tt_wait "Attach: not available from this daemon yet (no job.attach verb)"
	tt_keys S
	tt_wait "Sweeps: not available from this daemon yet (no sweep.create verb)"
	tt_keys x
	tt_wait "Cancel             (C)"
	tt_wait "(daemon has no job.suspend)"
	tt_wait "(daemon has no job.hold)"
	tt_keys Escape
	tt_gone "(daemon has no job.hold)"
	tt_keys 6
	tt_wait "no sweep.list verb"
	tt_golden "sweeps-old"
	tt_keys 3
	tt_wait "GPUs: 1 on 1 node"
	tt_keys 7
	tt_gone "gpu.history"
}

# GPUs: the daemon's history (gpu.history, then gpu.sample) in graphs
# several rows high, and a job the daemon finds idle marked in Jobs
# (a dim "idle 3s"), in GPUs ("IDLE 3s") and in Events.
case_gpus() {
	tt_daemon -o gpu-sample-interval=1 -o idle-threshold=100 \
	    -o idle-after=1
	tt_submit --cpus 0.1 --gpus 0.5 --name trainer -- sleep 600
	tt_state 1 RUNNING
	tt_start 160 40
	tt_wait "trainer"
	tt_wait_re "node01:0 idle [0-9]" 20
	tt_keys 3
	tt_wait "allocated 0.5 of 8"
	tt_wait_re "node01:0 .*IDLE [0-9]"
	tt_keys :
	tt_type "set graph block"
	tt_keys Enter
	# Four rows a GPU: the graph goes on under node01:0's line.
	tt_until 10 sh -c "tmux -L '$TS' capture-pane -p -t tt |
	    grep -A3 '^node01:0 ' | tail -3 | grep -q '[▁▂▃▄▅▆▇█]'" ||
		tt_fail "no graph under node01:0"
	[ "$(tt_line node01:1)" -eq "$(($(tt_line node01:0) + 4))" ] ||
		tt_fail "not four rows a GPU"
	tt_keys 7
	tt_wait "idle: its GPUs do no work"
}

# A small queue: 1 trainer and 2 eval RUNNING, 3 big PENDING.
tt_small() {
	tt_daemon
	tt_submit --gpus 0.5 --name trainer -- sleep 600
	tt_state 1 RUNNING
	tt_submit --gpus 2 --project vision --name '日本語 eval' -- sleep 600
	tt_state 2 RUNNING
	tt_submit --gpus 8 --name big -- sleep 100
	tt_start "${1:-100}" "${2:-30}" "${3:-}"
	tt_wait "$TT_USER@node01"
	tt_wait "big"
}

# A round trip on gpuq's own connection (i: job.show of the selected
# job): a request sent before it has been answered when it returns.
tt_sync() {
	tt_keys i
	tt_wait '"argv"'
	tt_keys q
	tt_gone '"argv"'
}

# The job must still be in state STATE, with no cancel asked for.
tt_untouched() {
	tt_sync
	"$GPUQ" -S "$SOCK" show "$1" >"$T/show" || tt_fail "show $1"
	grep -q "$2" "$T/show" || tt_fail "job $1 is not $2"
	grep -qi cancel "$T/show" && tt_fail "job $1 was cancelled"
	true
}

# The line number of the first screen line that has TEXT.
tt_line() {
	tt_raw | grep -nF -- "$1" | head -1 | cut -d: -f1
}

case_filter() {
	tt_small
	tt_keys /
	tt_type vision
	tt_wait "filter: vision"
	tt_gone "trainer"
	tt_wait "日本語 eval"
	tt_keys Enter
	tt_wait "/ filter"
	tt_wait "filter: vision"
	tt_keys Escape
	tt_wait "trainer"
	tt_gone "filter: vision"
	tt_keys /
	tt_type '!vision'
	tt_keys Enter
	tt_wait "filter: !vision"
	tt_gone "日本語 eval"
	tt_wait "trainer"
	tt_keys /
	tt_keys C-u
	tt_type 's:pend'
	tt_wait "1 shown of 3"
	tt_keys Escape
	tt_wait "3 shown of 3"
}

case_sort() {
	tt_small
	tt_keys :
	tt_type "sort name"
	tt_keys Enter
	tt_wait "sort name"
	[ "$(tt_line big)" -lt "$(tt_line trainer)" ] || tt_fail "not by name"
	tt_keys I
	tt_wait "sort name desc"
	[ "$(tt_line big)" -gt "$(tt_line trainer)" ] || tt_fail "not reversed"
	tt_keys '>'
	tt_wait "sorted by state"
	tt_wait "STATE▼"
}

case_submit() {
	tt_small
	tt_keys s
	tt_wait "Submit a job"
	tt_type "sleep 321"
	tt_keys Tab
	tt_type "formjob"
	tt_keys Tab Tab
	tt_type "abc"
	tt_keys BTab BTab BTab BTab
	tt_wait "[> Preview <]"
	tt_keys Enter
	tt_wait "GPUs: a number like 2 or 0.5"
	tt_keys C-u
	tt_type "0.25"
	tt_keys BTab BTab BTab BTab
	tt_keys Enter
	tt_wait "Submit this job?"
	tt_wait "runs      sleep 321"
	tt_wait "[> Cancel <]"
	tt_keys Tab Enter
	tt_wait_re "submitted job [0-9]+"
	tt_wait "formjob"
	"$GPUQ" -S "$SOCK" ls | grep -q formjob || tt_fail "not in gpuq ls"
}

case_submit_esc() {
	tt_small
	tt_keys s
	tt_wait "Submit a job"
	tt_type "sleep 777 q j C"
	tt_keys BTab Enter
	tt_wait "Submit this job?"
	tt_keys Enter
	tt_gone "Submit this job?"
	tt_keys s
	tt_wait "Submit a job"
	tt_keys Escape
	tt_gone "Submit a job"
	tt_sync
	"$GPUQ" -S "$SOCK" show 4 >/dev/null 2>&1 && tt_fail "it was submitted"
	true
}

case_cancel() {
	tt_small
	tt_keys g C
	tt_wait "Cancel 1 job?"
	tt_wait "job 1  trainer"
	tt_wait "[> Cancel <]"
	tt_keys Enter
	tt_gone "Cancel 1 job?"
	tt_untouched 1 RUNNING
	tt_keys C
	tt_wait "Cancel 1 job?"
	tt_keys y
	tt_wait_re "CANCELLED +U|CANCELLED +$TT_USER"
	tt_state 1 CANCELLED
}

case_cancel_esc() {
	tt_small
	tt_keys g j Space j Space
	tt_wait "marked:2"
	tt_keys C
	tt_wait "Cancel 2 jobs?"
	tt_wait "job 2  日本語 eval"
	tt_wait "job 3  big"
	tt_keys Escape
	tt_gone "Cancel 2 jobs?"
	tt_keys x
	tt_wait "Cancel             (C)"
	tt_wait "Swap with a job... (W)"
	tt_keys Escape
	tt_gone "Swap with a job... (W)"
	tt_untouched 2 RUNNING
	tt_untouched 3 PENDING
}

case_help() {
	tt_small
	tt_keys '?'
	tt_wait "from the live key map"
	tt_wait "Cancel (asks first, Cancel focused)"
	tt_keys G
	tt_wait "Not bound"
	tt_wait "job.cancel-now"
	tt_keys q
	tt_gone "from the live key map"
	tt_keys 7 '?'
	tt_wait "Help: Events"
	tt_keys Escape
	tt_gone "Help: Events"
}

case_readonly() {
	tt_small 100 30 --readonly
	tt_wait "READ-ONLY"
	tt_keys C
	tt_wait "C does nothing here"
	tt_keys x
	tt_wait "x does nothing here"
	tt_keys '?'
	tt_wait "from the live key map"
	tt_raw | grep -q "Cancel (asks" && tt_fail "help lists cancel"
	tt_keys q
	tt_gone "from the live key map"
	tt_untouched 1 RUNNING
}

case_resize() {
	tt_small 100 30
	tt_keys g C
	tt_wait "Cancel 1 job?"
	tt_resize 60 20
	tt_wait "Cancel 1 job?"
	tt_resize 30 8
	tt_wait "Terminal too small: 30x8"
	tt_resize 80 24
	tt_wait "Cancel 1 job?"
	tt_gone "too small"
	tt_resize 200 50
	tt_wait "Cancel 1 job?"
	tt_keys Escape
	tt_gone "Cancel 1 job?"
	tt_untouched 1 RUNNING
}

# Colour SGR codes (30-37, 90-97, 38;5;N) in the pane's escapes.
tt_colours() {
	tt_raw -e | grep -cP '\e\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;5;[0-9]+)(?:;[0-9;]*)?m'
}

case_nocolor() {
	tt_small
	[ "$(tt_colours)" -gt 0 ] || tt_fail "the default theme has no colour"
	tt_stop
	TT_ENV="NO_COLOR=1" tt_start 100 30
	tt_wait "trainer"
	[ "$(tt_colours)" -eq 0 ] || tt_fail "colour with NO_COLOR"
	tt_raw -e | grep -q $'\e\\[[0-9;]*7m' || tt_fail "no reverse video"
	tt_wait "● RUNNING"
}

case_monochrome() {
	tt_small 100 30 "--theme monochrome"
	[ "$(tt_colours)" -eq 0 ] || tt_fail "colour in monochrome"
	tt_keys :
	tt_type "theme okabe-ito"
	tt_keys Enter
	tt_wait "theme okabe-ito"
	[ "$(tt_colours)" -gt 0 ] || tt_fail "no colour after :theme"
	tt_keys :
	tt_type "theme nosuch"
	tt_keys Enter
	tt_wait "no theme called nosuch"
}

case_reconnect() {
	tt_small
	tt_daemon_stop KILL
	tt_wait "DISCONNECTED"
	tt_wait "disconnected, retrying in"
	tt_daemon
	tt_wait "$TT_USER@node01" 15
	tt_wait "trainer"
	tt_keys 7
	tt_wait "again"
}

case_suspend() {
	tt_daemon
	tmux -L "$TS" -f "$T/tmux.conf" new-session -d -s tt -x 100 -y 30 \
	    "env -i PATH=/usr/bin:/bin HOME=$T/home LANG=C.UTF-8 TERM=tmux-256color PS1='tt$ ' bash --norc -i"
	tt_wait 'tt$'
	tt_type "$GPUQ -S $SOCK"
	tt_keys Enter
	tt_wait "$TT_USER@node01"
	tt_keys C-z
	tt_wait "Stopped"
	tt_type "fg"
	tt_keys Enter
	tt_wait "$TT_USER@node01"
	tt_wait "? help"
	tt_keys Q
	tt_gone "? help"
	tt_type 'stty -a | grep -o " icanon\| echo " | tr -d "\n"; echo :END'
	tt_keys Enter
	tt_wait " icanon echo :END"
}

# Kills gpuq with sig; the terminal must be as it was.
tt_kill_check() {
	local sig=$1 pane pid tty
	pane=$(tmux -L "$TS" display -p -t tt '#{pane_pid}')
	tt_until 5 pgrep -P "$pane" -x gpuq || tt_fail "no gpuq under $pane"
	pid=$(pgrep -P "$pane" -x gpuq)
	kill -"$sig" "$pid"
	tt_wait "GPUQ-EXIT="
	tty=$(tmux -L "$TS" display -p -t tt '#{pane_tty}')
	stty -F "$tty" -a | grep -qw -- -icanon && tt_fail "-icanon after $sig"
	stty -F "$tty" -a | grep -qw -- -echo && tt_fail "-echo after $sig"
	tt_stop
}

case_restore() {
	tt_small
	tt_kill_check TERM
	tt_start 100 30
	tt_wait "trainer"
	tt_kill_check SEGV
	tt_start 100 30
	tt_wait "trainer"
	tt_keys q
	tt_wait "Quit gpuq?"
	tt_keys y
	tt_wait "GPUQ-EXIT=0"
}

case_command() {
	tt_small
	tt_keys :
	tt_type "th"
	tt_keys Tab
	tt_type "ok"
	tt_keys Tab Enter
	tt_wait "theme okabe-ito"
	tt_keys :
	tt_type "jobs u:nobody"
	tt_keys Enter
	tt_wait "No job matches the filter."
	tt_keys :
	tt_type "bogus"
	tt_keys Enter
	tt_wait "no command :bogus"
	tt_keys :
	tt_type "gpus"
	tt_keys Enter
	tt_wait "allocated 2.5 of 8"
}

case_logs() {
	tt_daemon
	tt_submit --gpus 0 --name bars -- sh -c \
	    'echo begin; for i in 1 2 3 4 5; do printf "\r[%-5s] %d%%" $(printf "%${i}s" | tr " " "#") $((i*20)); sleep 0.2; done; echo; echo needle here; echo end; sleep 600'
	tt_state 1 RUNNING
	tt_start 100 30
	tt_wait "bars"
	tt_keys l
	tt_wait "[#####] 100%"
	tt_wait "end"
	[ "$(tt_raw | grep -c '%')" -eq 1 ] || tt_fail "progress not on one line"
	tt_keys /
	tt_type "needle"
	tt_keys Enter
	tt_wait "search: needle"
	tt_keys k
	tt_wait "paused (G to follow)"
	tt_keys G
	tt_wait "following"
	tt_keys o
	tt_wait "stderr"
}

case_keys() {
	"$GPUQ" --keys | grep -qE "^jobs +C +job.cancel" || tt_fail "--keys"
	"$GPUQ" --readonly --keys | grep -q job.cancel && tt_fail "readonly"
	printf 'bind Ctrl-K job.cancel-now\nbind x help\nbind x quit\n' \
	    >"$T/bad.conf"
	"$GPUQ" --config "$T/bad.conf" --keys >"$T/keys" 2>"$T/err" &&
		tt_fail "a collision passed"
	grep -q "x is already bound to help" "$T/err" || tt_fail "no collision"
	grep -qE "^jobs +Ctrl-K +job.cancel-now" "$T/keys" || tt_fail "bind"
	true
}

# -H runs the system ssh; a stand-in ssh on PATH runs the bridge here.
case_ssh() {
	mkdir -p "$T/bin"
	cat >"$T/bin/ssh" <<EOF2
#!/bin/sh
echo "\$*" >>"$T/ssh-args"
[ "\$4" = nohost ] && { echo "ssh: Could not resolve hostname nohost" >&2; exit 255; }
exec "$GPUQD" bridge -S "$SOCK"
EOF2
	chmod +x "$T/bin/ssh"
	tt_daemon
	tt_submit --gpus 0.5 --name trainer -- sleep 600
	tt_state 1 RUNNING
	TT_ENV="PATH=$T/bin:/usr/bin:/bin" tt_start 100 30 --ssh-command -H cluster01
	tt_wait "$TT_USER@node01"
	tt_wait "trainer"
	grep -q -- "-T -o BatchMode=yes cluster01 gpuqd bridge" "$T/ssh-args" ||
		tt_fail "ssh args: $(cat "$T/ssh-args")"
	tt_daemon_stop KILL
	tt_wait "DISCONNECTED"
	tt_daemon
	tt_wait "$TT_USER@node01" 15
	tt_stop
	TT_ENV="PATH=$T/bin:/usr/bin:/bin" tt_start 160 30 --ssh-command -H nohost
	tt_wait "Could not resolve hostname nohost"
	tt_wait "DISCONNECTED"
}

# docs/tui.md's key table is `gpuq --keys` with no gpuq.conf.
case_docs() {
	local doc=$TT_DIR/../../docs/tui.md
	HOME=$T/home XDG_CONFIG_HOME= "$GPUQ" --keys >"$T/keys" ||
		tt_fail "--keys failed"
	sed -n '/<!-- keys:begin -->/,/<!-- keys:end -->/p' "$doc" |
		sed '1,2d;$d' | sed '$d' >"$T/doc-keys"
	diff -u "$T/doc-keys" "$T/keys" ||
		tt_fail "docs/tui.md's key table is not gpuq --keys: update it"
}

# Something that is not gpuqd on the socket: said so, never a crash.
case_notgpuqd() {
	command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(8)
while True:
    c, _ = s.accept()
    c.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\x00\xff garbage\n")
    while c.recv(4096):
        pass
    c.close()
' "$T/fake.sock" &
	DPID=$!
	tt_until 10 test -S "$T/fake.sock" || tt_fail "no fake socket"
	SOCK=$T/fake.sock tt_start 120 30
	tt_wait "not gpuqd"
	tt_wait "DISCONNECTED"
	tt_keys 7
	tt_wait "Events"
	tt_keys Q
	tt_wait "GPUQ-EXIT=0"
}

tt_init "$CASE"
"case_${CASE//-/_}"
