/*
 * The TUI's copy of the daemon's state, built from a snapshot (job.list
 * pages, cluster.status) plus events (job.state).  Pure: JSON in, tables
 * out; no clock (times come in as arguments), no I/O.
 *
 * Jobs are kept compact (no JSON) so that 100,000 of them stay small; the
 * detail view asks the daemon for the full record when it opens.  Nothing
 * the daemon sends is trusted: a field of the wrong type reads as absent,
 * and a job without a valid id is ignored.
 */
#ifndef GPUQ_REPLICA_H
#define GPUQ_REPLICA_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define REPLICA_HIST       512  /* samples of history per GPU */
#define REPLICA_MAX_EVENTS 5000 /* lines the Events view keeps */
#define REPLICA_MAX_GPUS   4096 /* GPUs accepted from cluster.status */
#define REPLICA_MAX_JOBGPU 64   /* GPUs listed for one job */
#define REPLICA_TEXT_MAX   512  /* bytes kept of a name, command, reason */
#define REPLICA_MAX_DEPS   16   /* after / afterok ids kept for one job */

enum rstate {
	RSTATE_RUNNING,
	RSTATE_PENDING,
	RSTATE_SUSPENDED,
	RSTATE_COMPLETED,
	RSTATE_FAILED,
	RSTATE_CANCELLED,
	RSTATE_TIMEOUT,
	RSTATE_UNKNOWN,
	RSTATE_N
};

struct rjob_gpu {
	int32_t index;
	int32_t milli; /* share of this GPU, 1000 = whole */
};

/* A job this one waits for (after / afterok). */
struct rjob_dep {
	int64_t id;
	int ok; /* afterok: it must complete; else it must only end */
};

struct rjob {
	int64_t id;
	const char *user, *project, *cls, *node, *wait_reason; /* interned */
	char *name, *cmd, *reason;                             /* owned */
	enum rstate state;
	int32_t gpus_milli, cpus_milli, priority, attempt, position;
	int64_t gpu_mem_mb, mem_mb, time_limit_s;
	int64_t submit_time, start_time, end_time;
	int32_t exit_code;   /* INT32_MIN: none */
	int32_t exit_signal; /* 0: none */
	int preemptible;
	int32_t ngpus;
	struct rjob_gpu *gpus; /* owned, ngpus */
	/* Lifecycle (docs/PROTOCOL.md's job object); absent reads as 0. */
	const char *susp_mech;   /* interned: "stop", "signal", ... or NULL */
	int64_t susp_since;      /* suspended since (seconds), or 0 */
	const char *swap_op;     /* interned: "suspend", "resume" under way */
	int64_t pinned_for;      /* pending to start in place of this job */
	const char *enforcement; /* interned: "enforced", ... or NULL */
	int64_t idle_since;      /* idle since (seconds), or 0: not idle */
	int32_t idle_util;       /* its utilization while idle, or -1 */
	int held;                /* held: starts only when released */
	int32_t sweep_id, sweep_trial; /* 0 when not a sweep's trial */
	int32_t ndeps;
	struct rjob_dep *deps; /* owned, ndeps */
	size_t slot;           /* index in replica.all */
	unsigned gen;          /* sync generation that last touched it */
};

struct rgpu_job {
	int64_t id;
	const char *user; /* interned */
	int32_t milli;
};

struct rgpu {
	const char *node; /* interned */
	int32_t index;
	char *model, *uuid;
	int64_t mem_mb, alloc_mem_mb, mem_used_mb;
	int32_t alloc_milli, util_pct, temp_c, power_w;
	int32_t njobs;
	struct rgpu_job *jobs; /* owned, njobs */
	/* History, oldest first: hist_len samples ending at hist_head. */
	uint8_t util_hist[REPLICA_HIST], mem_hist[REPLICA_HIST];
	size_t hist_len, hist_head;
	int64_t idle_since; /* the earliest idle job on it, or 0 */
};

struct rnode {
	const char *name; /* interned */
	int32_t cpus_milli, cpus_alloc_milli;
	int64_t mem_mb, mem_alloc_mb;
	size_t first_gpu, ngpus; /* a range of replica.gpus */
};

enum revent_level { REVENT_INFO, REVENT_WARN, REVENT_ERROR };

struct revent {
	int64_t seq;  /* the daemon's seq, or 0 for the TUI's own lines */
	int64_t time; /* seconds since the epoch */
	enum revent_level level;
	int64_t job; /* the job it is about, or 0 */
	char *text;  /* owned */
};

struct replica_pool {
	char **slot;
	size_t cap, used;
};

struct replica {
	/* Jobs: a dense array and an id hash (linear probing). */
	struct rjob **all;
	size_t njobs, cap;
	struct rjob **tab;
	size_t tabcap;
	unsigned gen;      /* bumped on every change to jobs */
	unsigned sgen;     /* bumped when jobs come or go */
	unsigned sync_gen; /* the snapshot being taken */
	int syncing;
	int synced;  /* a full snapshot was taken once */
	int64_t seq; /* the latest event seq applied */
	size_t counts[RSTATE_N];
	/* GPUs and nodes from cluster.status. */
	struct rnode *nodes;
	size_t nnodes;
	struct rgpu *gpus;
	size_t ngpus;
	int have_status;
	unsigned gpu_gen;
	/* The daemon sends samples (gpu.sample, gpu.history): cluster.status
	 * no longer adds one of its own. */
	int live_samples;
	char *host, *executor, *gpu_source;
	/* Events, a ring. */
	struct revent *ev;
	size_t ev_len, ev_head;
	unsigned ev_gen;
	struct replica_pool pool;
};

void replica_init(struct replica *r);
void replica_done(struct replica *r);

const char *replica_state_name(enum rstate s);
/* "R", "PD", "CD", "F", "CA", "TO", "?": the short state code. */
const char *replica_state_code(enum rstate s);
enum rstate replica_state_parse(const char *s);
int replica_state_final(enum rstate s);

/* The job with this id (borrowed), or NULL. */
struct rjob *replica_job(const struct replica *r, int64_t id);

/*
 * Applies a job object (a job.list entry or a job.state event's job).
 * Returns 1 when it was applied, 0 when it was ignored (no valid id).
 * When old is not NULL it gets the state the job had before, or -1 for a
 * job not seen before.
 */
int replica_job_apply(struct replica *r, const json_t *job, int *old);

/*
 * A snapshot: begin, apply each page of job.list, end.  At the end, active
 * jobs that neither the snapshot nor an event touched meanwhile are gone
 * from the daemon's active set and are dropped.
 */
void replica_sync_begin(struct replica *r);
/* Applies one job.list result; returns how many jobs it held. */
size_t replica_sync_page(struct replica *r, const json_t *result);
void replica_sync_end(struct replica *r);

/*
 * Applies an event (name, seq, data as the daemon sent them) at time now:
 * job.state updates a job and adds a line to the event list; other events
 * only add a line.  Returns 1 when jobs changed.
 */
int replica_event(struct replica *r, const char *name, int64_t seq,
    const json_t *data, int64_t now);

/* Applies a cluster.status result: GPUs, nodes, one history sample. */
void replica_status(struct replica *r, const json_t *result);

/* Adds a line of the TUI's own to the event list (printf format). */
void replica_note(struct replica *r, int64_t now, enum revent_level level,
    int64_t job, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The i-th event, oldest first (borrowed), or NULL. */
const struct revent *replica_event_at(const struct replica *r, size_t i);

/* The i-th history sample of g, oldest first. */
int replica_hist(const struct rgpu *g, int mem, size_t i);

/* Average utilization of the GPUs a job holds, or -1 when unknown. */
int replica_job_util(const struct replica *r, const struct rjob *j);

/*
 * What a suspension mechanism means for the user: "stopped, GPU memory
 * kept" for "stop", "checkpointed to host" for "cuda-checkpoint", ...
 * Returns a static string ("suspended" for one gpuq does not know).
 */
const char *replica_life_susp_text(const char *mech);

/*
 * The jobs j still waits for: "12 (afterok), 13 (after)": dependencies
 * whose job is not known to have ended (for afterok: completed).  Writes
 * "" when none is left.  Returns how many are listed.
 */
int replica_life_deps_text(const struct replica *r, const struct rjob *j,
    char *out, size_t n);

/*
 * Applies a gpu.history result (samples of each GPU, oldest first): the
 * GPUs' history graphs start from it.  Returns how many GPUs it filled.
 */
size_t replica_gpu_history(struct replica *r, const json_t *result);

/* Interns a string: the same pointer for equal strings, freed at done. */
const char *replica_intern(struct replica *r, const char *s);

#endif
