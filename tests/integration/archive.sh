#!/bin/bash
# Ended jobs out of memory (docs/internals/daemon.md, "Archived jobs"):
# with keep-finished 5, twenty finished jobs leave fifteen in the store
# only, and everything that names them still works: gpuq show, gpuq ls
# --all (in id order, paged across memory and archive), gpuq logs, an
# --afterok dependency on an archived job, a cancel's refusal, a requeue
# that brings one back.  A restart loads only the live and recent jobs,
# and the fair-share usage is the same before archiving, after it, and
# after a restart over the archive.
#
#   archive.sh GPUQD GPUQ GQCALL
set -u
GPUQD=$1 GPUQ_BIN=$2 GQCALL=$3
. "$(dirname "$0")/lib.sh"
itest_init archive

N=20
gpuq() { "$GPUQ_BIN" -S "$SOCK" "$@"; }
call() { "$GQCALL" -S "$SOCK" "$@"; }

# wait_stat FIELD VALUE: until server.stats has it (10 s).
wait_stat() {
	local i=0 v
	while [ $i -lt 200 ]; do
		v=$(call server.stats '{}' "$1")
		[ "$v" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	itest_fail "server.stats $1 is '$v', not '$2'"
}

wait_state() {
	local i=0 v
	while [ $i -lt 200 ]; do
		v=$(call job.show "{\"id\":$1}" job.state)
		[ "$v" = "$2" ] && return 0
		i=$((i + 1))
		sleep 0.05
	done
	itest_fail "job $1 is '$v', not '$2'"
}

# Each project's usage and share, one "name gpus share" line each.
standing() {
	local i n
	n=$(call project.list '{}' projects | grep -o '"name"' | wc -l)
	for i in $(seq 0 $((n - 1))); do
		call project.list '{}' "projects.$i.name" \
			"projects.$i.usage.gpus" "projects.$i.share" | paste -sd' '
	done | grep -E '^(nlp|vision) ' | sort
}

# same_standing A B: the same projects, figures within 0.1% (the usage
# decays a little between the two readings).
same_standing() {
	paste -d' ' "$1" "$2" | awk '
		function off(a, b) { return a == b ? 0 : (a > b ? a - b : b - a) / (a > b ? a : b) }
		$1 != $4 || off($2, $5) > 0.001 || off($3, $6) > 0.001 { bad = 1 }
		$2 <= 0 { bad = 1 }
		END { exit bad }' ||
		itest_fail "fair share differs: $(cat "$1") / $(cat "$2")"
	[ "$(wc -l <"$1")" = 2 ] || itest_fail "standing: $(cat "$1")"
}

mkdir -p "$T/work"
cd "$T/work" || exit 1

# Twenty short jobs that hold a tenth of a GPU for a second, with nothing
# archived yet.
itest_start_gpuqd --fake-gpus 2:H100-80GB -o keep-finished=1000
for i in $(seq 1 $N); do
	p=vision
	[ $((i % 2)) = 0 ] && p=nlp
	gpuq submit --project $p --gpus 0.1 --cpus 0.1 --mem 10M \
		-- sh -c "echo out-$i; sleep 1" >/dev/null ||
		itest_fail "submit $i"
done
wait_stat jobs.COMPLETED $N
standing >"$T/before"
call usage.report '{}' total.jobs total.alloc_gpu_h | paste -sd' ' >"$T/report"
itest_stop_gpuqd TERM

# wait_log TEXT: until the daemon's log has it (5 s).
wait_log() {
	local i=0
	until grep -q "$1" "$T/gpuqd.log"; do
		i=$((i + 1))
		[ $i -lt 100 ] || itest_fail "no \"$1\" in the log"
		sleep 0.05
	done
}

# keep-finished 5: the first tick after the start archives fifteen.
itest_start_gpuqd --fake-gpus 2:H100-80GB -o keep-finished=5
wait_log "archived 15 ended jobs; 5 jobs in memory, 15 archived"
standing >"$T/archived"
same_standing "$T/before" "$T/archived"
wait_stat jobs.COMPLETED $N
[ "$(call usage.report '{}' total.jobs total.alloc_gpu_h | paste -sd' ')" = \
	"$(cat "$T/report")" ] || itest_fail "usage.report: $(cat "$T/report") / $(
	call usage.report '{}' total.jobs total.alloc_gpu_h | paste -sd' ')"
echo "ok: fifteen archived; usage, share and usage.report unchanged"

# Archived jobs read from the store.
gpuq show 1 >"$T/show" || itest_fail "gpuq show 1"
grep -q "COMPLETED" "$T/show" || itest_fail "show 1: $(cat "$T/show")"
grep -q "echo out-1" "$T/show" || itest_fail "show 1: $(cat "$T/show")"
[ "$(call job.show '{"id":1}' job.history.0.state)" = PENDING ] ||
	itest_fail "show 1: no history"
gpuq logs 1 | grep -qx "out-1" || itest_fail "gpuq logs 1"
[ "$(gpuq ls --all | awk 'NR > 1 { print $1 }' | paste -sd,)" = \
	"$(seq -s, 1 $N)" ] || itest_fail "ls --all: $(gpuq ls --all)"
call job.show '{"id":99}' 2>/dev/null | grep -qx ENOENT ||
	itest_fail "job 99 found"
echo "ok: show, logs and ls --all read archived jobs"

# Paging by 3 across the archive (ids 1-15) and memory (16-20).
after=0 ids=""
while :; do
	r=$(call job.list "{\"all\":true,\"limit\":3,\"after\":$after}" \
		jobs.0.id jobs.1.id jobs.2.id next total | paste -sd' ')
	set -- $r
	[ "$after" = 0 ] && { [ "$5" = $N ] || itest_fail "total: $r"; }
	ids="$ids $1 $2 $3"
	[ "$4" = null ] && break
	after=$4
done
[ "$(echo $ids | tr ' ' ,)" = "$(seq -s, 1 $N),null" ] ||
	[ "$(echo $ids | tr ' ' ,)" = "$(seq -s, 1 $N)" ] ||
	itest_fail "pages: $ids"
[ "$(call job.list '{"state":"COMPLETED","limit":1,"after":10}' total)" = \
	$((N - 10)) ] || itest_fail "total after 10"
[ "$(call job.list '{"all":true,"project":"nlp","limit":1}' total jobs.0.id |
	paste -sd' ')" = "10 2" ] || itest_fail "project filter"
[ "$(call job.list '{"all":true,"user":"nobody-here"}' total)" = 0 ] ||
	itest_fail "user filter"
echo "ok: job.list pages and filters over memory and archive"

# A dependency on an archived job, a refused cancel.
call job.cancel '{"id":2}' 2>"$T/err" | grep -qx ESTATE ||
	itest_fail "cancel of an archived job"
grep -q "already ended (COMPLETED)" "$T/err" || itest_fail "cancel: $(cat "$T/err")"
d=$(gpuq submit --afterok 1 --cpus 0.1 --mem 10M -- true |
	sed -n 's/^Submitted job \([0-9]*\).*/\1/p')
[ -n "$d" ] || itest_fail "afterok an archived job refused"
wait_state "$d" COMPLETED
# The cancel and the dependency brought 1 and 2 back; 21 ended: three go.
wait_log "5 jobs in memory, 16 archived"
echo "ok: afterok an archived job starts; cancel refused as before"

# A restart loads the live and recent jobs only; the usage is rebuilt
# from them and the archive.
itest_stop_gpuqd TERM
itest_start_gpuqd --fake-gpus 2:H100-80GB -o keep-finished=5
grep "jobs in memory" "$T/gpuqd.log" | tail -n 1 |
	grep -q ": 5 jobs in memory (5 ended), 16 ended ones archived" ||
	itest_fail "restart loaded: $(grep 'jobs in memory' "$T/gpuqd.log" | tail -n 1)"
standing >"$T/restarted"
same_standing "$T/before" "$T/restarted"
wait_stat jobs.COMPLETED $((N + 1))
gpuq show 3 | grep -q "echo out-3" || itest_fail "show 3 after the restart"
echo "ok: a restart loads live and recent jobs; usage and share unchanged"

# A requeue brings an archived job back; it runs again under its id.
gpuq requeue 4 >/dev/null || itest_fail "requeue 4"
wait_state 4 COMPLETED
[ "$(call job.show '{"id":4}' job.attempt)" = 2 ] || itest_fail "attempt"
[ "$(gpuq logs 4 | grep -c out-4)" -ge 1 ] || itest_fail "logs 4"
echo "ok: a requeue brings an archived job back"
itest_stop_gpuqd TERM
echo "PASS"
