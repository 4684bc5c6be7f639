/*
 * gpuqd: the daemon that hosts the scheduling core.  One libuv loop; the
 * only place on the server side that touches it.
 *
 * A loop turn: connections read requests and run verbs, which change the
 * in-memory state and write to the store inside the turn's transaction;
 * just before the loop sleeps (uv_prepare) the scheduler plans, the
 * transaction commits, replies go out, then events, then the actions that
 * must follow the commit (starting jobs).  See docs/internals/daemon.md.
 */
#ifndef GPUQ_DAEMON_H
#define GPUQ_DAEMON_H

#include <stdint.h>
#include <sys/types.h>

#include <jansson.h>
#include <uv.h>

#include "core/base/buf.h"
#include "core/exec/exec.h"
#include "core/gpu/gpu.h"
#include "core/job.h"
#include "core/model.h"
#include "core/sched.h"
#include "core/store/store.h"
#include "remote/frame.h"

#include "core/daemon/config.h"

#define DAEMON_MAX_PROTO_ERRORS 100
#define DAEMON_MAX_WRITE_QUEUE  (64 * 1024 * 1024)
#define DAEMON_MAX_FOLLOWS      64
#define DAEMON_IDEM_KEEP_S      (7 * 24 * 3600)
#define PROTO_MAX_ID_PARAM      ((INT64_C(1) << 53) - 1)

struct daemon;
struct jobs_archive;
struct run_swap;
struct run_quick;
struct sweepd;
struct telemetry;

/* A job.logs follow on one connection. */
struct follow {
	int64_t job_id;
	int stderr_stream;
	int64_t offset;
};

/* One client connection.  Freed in its close callback. */
struct conn {
	uv_pipe_t pipe;
	struct daemon *d;
	struct conn *next, *prev;
	uint64_t serial;
	uid_t uid;
	gid_t gid;
	pid_t pid;
	char user[MODEL_MAX_USER];
	int admin;
	int hello_done;
	int closing;
	int proto_errors;
	struct frame_reader fr;
	json_t *replies; /* encoded replies waiting for the commit */
	int subscribed;
	int64_t replay_since; /* events to replay after the reply, or -1 */
	json_t *sub_filter;   /* array of event names, or NULL for all */
	struct follow follows[DAEMON_MAX_FOLLOWS];
	int nfollows;
};

/* Daemon-side state of a running job (job->rt). */
struct jobrt {
	uv_poll_t poll; /* on the supervisor's pidfd */
	int pidfd;
	struct daemon *d;
	int64_t job_id;
	int watching;
};

/* An action to carry out once the turn's transaction is committed. */
enum after_kind { AFTER_START, AFTER_CANCEL, AFTER_PREEMPT, AFTER_SWAP };

struct after {
	enum after_kind kind;
	int64_t job_id;
};

struct daemon {
	uv_loop_t *loop;
	struct config cfg;
	char *config_path;
	uv_pipe_t listener;
	uv_prepare_t prepare;
	uv_idle_t idle;
	uv_timer_t tick;
	uv_signal_t sigterm, sigint, sighup;
	int stopping;

	struct store *store;
	struct exec_ctx xctx;
	const struct executor *exec;
	const struct sched_policy *policy;
	struct gpu_inventory inv;
	char **gpu_ids;         /* owned: UUIDs, for CUDA_VISIBLE_DEVICES */
	struct cluster cluster; /* capacity; free fields unused */
	char host[64];

	struct job **jobs; /* all jobs, sorted by id; owned */
	size_t njobs, cap_jobs;
	struct job **active; /* PENDING and RUNNING jobs; borrowed */
	size_t nactive, cap_active;
	int64_t next_job_id;
	int sched_dirty;

	struct after *after; /* post-commit actions */
	size_t nafter, cap_after;

	struct conn *conns;
	size_t nconns;
	uint64_t conn_serial;

	/* Events: seq, and a ring of the latest encoded ones. */
	int64_t event_seq;
	int64_t event_seq_stored;
	struct evslot *ring;
	size_t ring_cap, ring_len, ring_head;
	json_t *pending_events; /* this turn's events, in order */

	int64_t start_time;
	uint64_t requests, commits;
	int64_t last_prune;
	/*
	 * Options from the command line as "name=value" (borrowed from
	 * argv): they override the config file, on SIGHUP too.
	 */
	const char **cmdline_opts;
	size_t ncmdline_opts;
	/* Usage that decays (fair share): finished runs, from the store. */
	struct usage_book usage;
	int64_t last_plan;       /* when the scheduler last planned */
	struct run_swap *swap;   /* suspend and resume (run-swap.c) */
	struct sweepd *sweepd;   /* sweeps and their trials (sweepd.c) */
	struct telemetry *tel;   /* GPU telemetry (telemetry.c) */
	struct run_quick *quick; /* incremental planning (run-input.c) */
	/* Ended jobs out of memory (jobs-archive.c). */
	struct jobs_archive *archive;
};

struct evslot {
	int64_t seq;
	char name[48];
	char *line; /* owned, encoded with its newline */
	size_t len;
};

/* server.c */
int daemon_run(struct daemon *d);
int64_t daemon_now(void);
/* Keeps the loop from sleeping until the next turn has run. */
void daemon_kick(struct daemon *d);

/* conn.c */
void conn_accept(struct daemon *d);
void conn_send_line(struct conn *c, const char *line, size_t len);
void conn_send_json(struct conn *c, json_t *msg);
void conn_close(struct conn *c, const char *why);
void conn_flush_replies(struct conn *c);

/* verbs.c */
struct verb_ctx {
	struct daemon *d;
	struct conn *c;
	int64_t id;
	json_t *params; /* borrowed; "key" already removed */
	int64_t now;
};

/* A verb's result: 0 and *result (new), or a GQ_E* code and *cause. */
typedef int verb_fn(struct verb_ctx *v, json_t **result, char **cause);

struct verb {
	const char *name;
	int mutating;
	verb_fn *fn;
};

void verbs_dispatch(struct conn *c, int64_t id, const char *verb,
    json_t *params);
json_t *verbs_names(void);

/* params.c: strict checks of what a client sent. */
int params_allow(json_t *params, const char *const *names, char **cause);
int params_int(json_t *params, const char *name, int64_t min, int64_t max,
    int64_t def, int64_t *out, char **cause);
int params_bool(json_t *params, const char *name, int def, int *out,
    char **cause);
int params_str(json_t *params, const char *name, size_t maxlen, const char *def,
    const char **out, char **cause);
int params_job(struct verb_ctx *v, struct job **out, char **cause);
int params_may_change(struct verb_ctx *v, const struct job *j, char **cause);
int params_may_read(struct verb_ctx *v, const struct job *j, char **cause);

/* jobs.c: the job table and its state changes. */
struct job *jobs_find(struct daemon *d, int64_t id);
void jobs_add(struct daemon *d, struct job *j);
/* Persists j and its new state, records history, emits job.state. */
void jobs_changed(struct daemon *d, struct job *j, int64_t now,
    int state_changed);
void jobs_set_state(struct daemon *d, struct job *j, enum job_state s,
    int64_t now, const char *reason);
void jobs_load(struct daemon *d);
void jobs_count(struct daemon *d, size_t counts[JOB_NSTATES]);
/* Index of the first job with id > after. */
size_t jobs_lower_bound(struct daemon *d, int64_t after);

/*
 * jobs-archive.c: finished jobs leave memory once they are not among the
 * keep-finished most recent; their rows stay in the store, archived
 * (docs/internals/daemon.md, "Archived jobs").
 */
/* Loads the jobs not archived (add steals each), the archive's state. */
void jobs_archive_load(struct daemon *d, int (*add)(struct job *j, void *d));
void jobs_archive_free(struct daemon *d);
/* Each tick: archives what keep-finished no longer keeps. */
void jobs_archive_tick(struct daemon *d, int64_t now);
/*
 * The job with this id: from memory, else brought back from the archive
 * into memory (it is then kept like a job that just ended).  NULL when
 * there is no such job.  Borrowed.
 */
struct job *jobs_archive_fetch(struct daemon *d, int64_t id);
/*
 * A look at a job: from memory, else a copy read from the archive that
 * lives until the next call.  NULL when unknown.  Borrowed; read only.
 */
struct job *jobs_archive_peek(struct daemon *d, int64_t id);
/* params_job for verbs that only read: archived jobs stay archived. */
int jobs_archive_param(struct verb_ctx *v, struct job **out, char **cause);
/*
 * Whether job id has ended, from memory or the store: 1 (ended, its state
 * in *out), 0 (not yet: its state in *out), or GQ_ENOENT.
 */
int jobs_final_state(struct daemon *d, int64_t id, enum job_state *out);
/* Adds the archived jobs to counts by state. */
void jobs_archive_count(struct daemon *d, size_t counts[JOB_NSTATES]);
/* Archived jobs in all. */
int64_t jobs_archive_total(struct daemon *d);
/* run_usage_rebuild's end: adds the archived runs' decayed usage. */
void jobs_archive_usage(struct daemon *d, int64_t now);
/* job.submit: brings back the archived jobs "after"/"afterok" name. */
int jobs_archive_deps(struct daemon *d, json_t *params);
/*
 * Calls cb for each archived job that ran and ended at or after since;
 * only its accounting fields are set (store_archive_runs).
 */
int jobs_archive_runs(struct daemon *d, int64_t since,
    int (*cb)(const struct job *j, void *arg), void *arg);

/* jobjson.c */
json_t *jobjson_encode(struct daemon *d, const struct job *j, int detail);

/* events.c */
void events_init(struct daemon *d, size_t cap);
void events_done(struct daemon *d);
void events_emit(struct daemon *d, const char *name, json_t *data);
/* Sends this turn's events to their subscribers. */
void events_flush(struct daemon *d);
/*
 * Subscribes c.  Events after since (-1: only new ones) are replayed once
 * the reply has gone out.  0, or GQ_ESTALE when they are no longer kept.
 */
int events_subscribe(struct daemon *d, struct conn *c, int64_t since);
void events_replay(struct conn *c);

/* run.c: scheduling and the executor. */
void run_schedule(struct daemon *d, int64_t now);
void run_after_commit(struct daemon *d);
void run_queue_after(struct daemon *d, enum after_kind kind, int64_t id);
void run_check_job(struct daemon *d, struct job *j, int64_t now);
void run_recover(struct daemon *d);
void run_tick(struct daemon *d, int64_t now);
void run_cancel(struct daemon *d, struct job *j, enum job_state intent,
    int64_t now, const char *reason);
void run_unwatch(struct job *j);

/* run-preempt.c: swap-outs (a signal, a grace period, a requeue). */
void run_preempt(struct daemon *d, struct job *j, int64_t for_job,
    enum preempt_why why, int64_t now);
/* After the commit: sends the swap-out signal. */
void run_stop(struct daemon *d, struct job *j);
/* A swapped-out job ended: back to PENDING. */
void run_requeue(struct daemon *d, struct job *j, const struct exec_result *res,
    int64_t now);

/* run-swap.c: suspend, resume, swap (docs/swap.md). */
enum run_swap_kind {
	RUN_SWAP_USER,    /* job.suspend: back on job.resume */
	RUN_SWAP_VERB,    /* job.swap's OUT: back when its GPUs are free */
	RUN_SWAP_PREEMPT, /* the scheduler's preemption: back when free */
	RUN_SWAP_IDLE,    /* run_swap_out (idle GPUs): back on job.resume */
};
/* "cuda-checkpoint", "signal", "stop" or "none" (borrowed). */
const char *run_swap_mech_name(int mech);
/* Finds cuda-checkpoint (config, else PATH); at start. */
void run_swap_init(struct daemon *d);
void run_swap_done(struct daemon *d);
/*
 * The mechanism a swap-out of j would use now (enum job_swap_mech):
 * cuda-checkpoint, else its checkpoint signal, else a plain stop.  For a
 * preemption a plain stop is never used: SIGTERM and requeue instead.
 */
int run_swap_mech(struct daemon *d, const struct job *j, int preempt);
/*
 * Starts swapping out a RUNNING job with mech.  for_job: the job it makes
 * room for (0: none).  Returns 0, or GQ_ESTATE with *cause (new) when j
 * cannot be swapped out now.
 */
int run_swap_begin(struct daemon *d, struct job *j, int mech,
    enum run_swap_kind kind, int64_t for_job, const char *why, int64_t now,
    char **cause);
/*
 * Swaps out an idle job (the gpu helper's idle reclaim) with the
 * strongest mechanism there is; it comes back on job.resume.
 */
void run_swap_out(struct daemon *d, struct job *j, int64_t now,
    const char *why);
/*
 * job.resume of a SUSPENDED job: it comes back now if its GPUs are free,
 * else as soon as they are.  *waiting (new, or NULL) says for what.
 */
void run_swap_resume(struct daemon *d, struct job *j, int64_t now,
    char **waiting);
/* Each planning turn, first: pinned starts, resumes of suspended jobs. */
void run_swap_plan(struct daemon *d, int64_t now);
/* Each tick: outcomes of swap operations, suspended jobs that ended. */
void run_swap_tick(struct daemon *d, int64_t now);
/* After the commit: hands the job's swap operation to the executor. */
void run_swap_after(struct daemon *d, struct job *j);
/* Takes out of c what suspended jobs keep (host memory; GPU memory for a
 * plain stop). */
void run_swap_keep_all(struct daemon *d, struct cluster *c);
/* The free capacity now: the cluster minus running and suspended jobs'
 * holdings.  Free with cluster_done. */
void run_swap_free(struct daemon *d, struct cluster *c);
/* Seconds j has run in this attempt, suspended time left out. */
int64_t run_swap_elapsed(const struct job *j, int64_t now);
/*
 * The span a finished job's usage is counted over when it is rebuilt from
 * the store: start_time..end_time, unless it was suspended in its last
 * attempt; then its run time (suspended time left out) as one interval
 * that ends when it last ran.  *start is 0 when it never ran.
 */
void run_swap_usage_span(const struct job *j, int64_t *start, int64_t *end);
/* The job JSON's "suspended" and related members (jobjson.c). */
void run_swap_json(struct daemon *d, const struct job *j, json_t *o);
/* A SUSPENDED job's clean-up when it is requeued or ends. */
void run_swap_clear(struct job *j);

/* run-deps.c: after, afterok and hold. */
/* Sets JOB_F_DEPENDENCY on waiting jobs; cancels those whose afterok
 * can never be met. */
void run_deps_plan(struct daemon *d, int64_t now);
/* The job JSON's "after", "afterok" and "held" members. */
void run_deps_json(const struct job *j, json_t *o);
/*
 * Reads job.submit's "after", "afterok" and "hold" into j.  Returns 0 or
 * GQ_EINVAL / GQ_ENOENT with *cause (new).
 */
int run_deps_parse(struct daemon *d, struct job *j, json_t *params,
    char **cause);
/*
 * A verb changed waiting job j (hold, release, priority): its event shows
 * the last plan's standing, so the next plan's is sent as job.state too.
 */
void run_deps_owe(struct job *j);
/* The plan just set waiting job j's standing: sends what a verb owes. */
void run_deps_standing(struct daemon *d, struct job *j);

/* run-nodes.c: the nodes of an executor that has its own (slurm). */
/* Passes the slurm executor's settings into d->xctx. */
void run_nodes_ctx(struct daemon *d);
/* Builds d->cluster from the executor's nodes; 0 when it has none. */
int run_nodes_init(struct daemon *d);
/* Takes a changed node list in (indexes of known nodes kept). */
void run_nodes_tick(struct daemon *d, int64_t now);
/* The job JSON's member named after the executor: {id, state, reason}. */
void run_nodes_json(struct daemon *d, const struct job *j, json_t *o,
    int detail);

/* dryrun.c: job.submit's dry run: would it start, when, whom would it
 * swap out (new object; j is not kept). */
json_t *dryrun_submit(struct daemon *d, struct job *j, int64_t now);

/* run-input.c: what the policy and the quota views read. */
/*
 * The policy's input built from the daemon's state, plus extra (a job
 * tried by a dry run) when not NULL.  Free with run_input_done.
 */
struct run_input {
	struct sched_input in;
	struct cluster free_c;
	const struct job_core **pending, **running;
	/*
	 * The plan's suspended jobs that asked to resume, as PENDING jobs
	 * pinned to the GPUs they left (owned; in pending too).
	 */
	struct job_core *resumes;
	size_t nresumes;
};
void run_input_build(struct daemon *d, int64_t now, const struct job *extra,
    struct run_input *ri);
void run_input_done(struct run_input *ri);
/*
 * The quick path: when nothing but new waiting jobs changed since the
 * last plan (and the last full plan is recent), decides only those into
 * p and returns 1; else 0, and a full plan is to be made.
 */
int run_input_quick(struct daemon *d, int64_t now, struct plan *p);
/* A job changed (jobs_changed): the next plan may have to be a full one. */
void run_input_changed(struct daemon *d, const struct job *j);
/* After a plan (full or quick) was carried out: what the next compares. */
void run_input_planned(struct daemon *d, int64_t now, int full,
    const struct plan *p);
/* True when quick decisions left jobs waiting and a full plan is due. */
int run_input_due(struct daemon *d, int64_t now);
/*
 * A ledger of who holds what, who waits and the fair-share standings now
 * (project.list, project.show).  Free with project_ledger_done.
 */
void run_ledger(struct daemon *d, int64_t now, struct ledger *l);
/* Usage: rebuilt from every job in memory; a run that just ended. */
void run_usage_rebuild(struct daemon *d, int64_t now);
void run_usage_add(struct daemon *d, const struct job *j, int64_t end);
/* Applies the projects of a fresh configuration (start, SIGHUP). */
void run_projects_apply(struct daemon *d, int64_t now);

/* follow.c */
void follow_tick(struct daemon *d);
int follow_add(struct conn *c, int64_t job_id, int stderr_stream,
    int64_t offset);

/*
 * Reads part of a log file, for job.logs and follows: from offset (negative:
 * from the end) at most limit bytes.  Returns 0 or GQ_EIO; *data is valid
 * UTF-8 (new), *start where it begins, *next where the next read goes.
 * Unless final (the job has ended), a character cut by the end of what was
 * written so far is left for the next read.
 */
struct logs_chunk {
	char *data;
	int64_t start, next, size;
};
int logs_read(const char *path, int64_t offset, size_t limit, int final,
    struct logs_chunk *out);

/* bridge.c */
int bridge_main(int argc, char **argv);

#endif
