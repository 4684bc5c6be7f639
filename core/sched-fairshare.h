/*
 * The fairshare policy's working state, shared by its files:
 * sched-fairshare.c (the plan: setting up, deciding one job; the views),
 * sched-fairshare-load.c (reading the input), sched-fairshare-order.c
 * (the admission order), sched-fairshare-heap.c (its heaps),
 * sched-fairshare-shape.c (the memo of request shapes),
 * sched-fairshare-hint.c (waiting jobs' hints), sched-reserve.c
 * (reservations, backfill, estimated starts), sched-preempt.c (swap-out
 * victims and preemption risk), sched-pin.c (pinned jobs) and
 * sched-quick.c (what a quick plan keeps).  Internal to the pure core.
 */
#ifndef GPUQ_SCHED_FAIRSHARE_H
#define GPUQ_SCHED_FAIRSHARE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/project.h"
#include "core/sched-place.h"
#include "core/sched.h"

#define FS_NEVER INT64_MAX /* a time that never comes */

/* Scratch slots (sched_scratch) the policy keeps its big arrays in. */
enum fs_slot {
	FS_SLOT_NOW,
	FS_SLOT_LNG,
	FS_SLOT_STOP,
	FS_SLOT_JOBS,
	FS_SLOT_SORTED,
	FS_SLOT_ORDER,
	FS_SLOT_WAIT,
	FS_SLOT_FUTURE,
	FS_SLOT_FUTURE_SLOT,
};

/* A waiting job. */
struct fs_job {
	const struct job_core *j;
	const struct req *req; /* j's, or a copy with the defaults filled */
	int32_t pidx, uidx;    /* ledger indices */
	int32_t rank;          /* its class's rank */
	int64_t milli;         /* GPUs it needs, all nodes together */
	int64_t dur;           /* time limit, or the default; 0: unknown */
	int32_t next;          /* next job of its user's queue, or -1 */
	int32_t prio;          /* copies of j's, kept close for the order */
	uint32_t flags;
	int64_t submit, id;
	int32_t pinned; /* it has a pin: it goes first in its queue */
	int32_t shape;  /* index into the shapes */
	int32_t cpus;   /* req's, with the defaults */
	int64_t mem;
};

/* A running job. */
struct fs_run {
	const struct job_core *j;
	int32_t pidx, uidx, rank;
	int64_t milli; /* GPUs held, all nodes together */
	int64_t end;   /* expected end, or FS_NEVER */
	int victim;    /* swapped out by this plan */
};

/* Where an event's allocations are. */
enum fs_src { FS_SRC_RUN, FS_SRC_STARTED, FS_SRC_RESV };

/* A release of resources at a time: a run's end, a reservation's end. */
struct fs_event {
	int64_t t;
	enum fs_src src;
	const struct alloc *p; /* FS_SRC_RUN: borrowed from the input */
	size_t idx;            /* FS_SRC_STARTED, FS_SRC_RESV: index */
	int32_t n;
	int32_t run; /* the run it ends, or -1 */
};

/* A reservation: the job starts at t on allocs (a shadow). */
struct fs_resv {
	int32_t job;
	int64_t t;
	struct alloc allocs[MODEL_MAX_GANG_NODES];
	int32_t n;
};

/*
 * Requests that failed on a view, by CPUs and memory: one asking for at
 * least as much of both (same GPUs, same where) fails too, and keeps
 * failing, since the views only shrink during a plan.
 */
#define FS_FRONT 32

struct fs_front {
	int32_t n;
	int32_t cpus[FS_FRONT];
	int64_t mem[FS_FRONT];
	enum wait_reason why[FS_FRONT];
};

/*
 * What is known of one shape of request during a plan (a memo): its GPUs
 * and where it may run, whatever its CPUs and memory.  Index stable; a
 * pointer valid until a shape not seen before is looked up.
 */
struct fs_shape {
	struct req r; /* the first request seen of this shape */
	uint64_t hash;
	struct fs_front now, lng, stop; /* failures on each view */
	uint64_t stop_gen;              /* the stop view's generation, +1 */
	uint64_t fits_gen; /* generation it was seen to fit now, +1 */
	int32_t fits_cpus; /* ... with these CPUs and memory */
	int64_t fits_mem;
	uint64_t smaller_gen; /* generation of smaller, +1 */
	int64_t smaller;      /* GPUs (milli) that would fit now */
	int eta_done;
	int64_t eta_fit; /* first fit in the future view, or 0 */
	/* The last failed search for victims: for whom, at what state. */
	int32_t pfail_pidx, pfail_rank, pfail_inq;
	uint64_t pfail_gen; /* +1 */
};

/* Did a request of these CPUs and memory fail on that view?  Its why. */
int sched_fairshare_front_fails(const struct fs_front *f, int32_t cpus,
    int64_t mem, enum wait_reason *why);
void sched_fairshare_front_add(struct fs_front *f, int32_t cpus, int64_t mem,
    enum wait_reason why);

/* An indexed binary heap of ids; pos[id] is its slot or -1. */
struct fs_heap {
	int32_t *items;
	int32_t n, cap;
	int32_t *pos;
	int (*less)(void *ctx, int32_t a, int32_t b);
	void *ctx;
};

/* A user's place in its project's order: its next job and its share. */
struct fs_ukey {
	int32_t pinned, rank, prio;
	double share;
	int64_t submit, id;
};

/* Departments above a project that the over-quota order compares. */
#define FS_DEPTH 8

/* A project's place in the admission order. */
struct fs_pkey {
	int tier; /* 0: its next job fits its deserved quota */
	/*
	 * Over quota, hierarchically: its departments from the top with
	 * their weighted shares, then its own share (docs/scheduling.md).
	 */
	int32_t nchain;
	int32_t dept[FS_DEPTH];
	double dshare[FS_DEPTH];
	double share;
	int32_t rank, prio;
	int64_t submit, id;
};

struct fs_state {
	const struct sched_input *in;
	struct plan *out;
	const struct projects *cfg;
	const struct policy_params *pp;
	int64_t now;
	struct ledger l;
	struct cluster now_c;    /* free now */
	struct cluster lng;      /* free now, minus what reservations hold */
	struct cluster stop;     /* free once stopping jobs are gone */
	int have_lng, have_stop; /* made on first use (else: as now_c) */
	uint64_t stop_gen;
	struct fs_job *jobs;
	size_t njobs;
	struct fs_run *runs;
	size_t nruns;
	/* Running jobs by node: runs_at[node_start[n] .. node_start[n+1]). */
	int32_t *node_start, *runs_at;
	/* Queues: per ledger user its first job; heaps of users, projects. */
	int32_t *uhead;
	struct fs_heap *uheap; /* per project: its users */
	int32_t *upos;         /* per user: slot in its project's heap */
	struct fs_ukey *ukeys; /* per user: its key, kept up to date */
	struct fs_heap pheap;
	int32_t *ppos;
	struct fs_pkey *pkeys;
	size_t nprojects, nusers; /* sizes the arrays above were made for */
	/* Reservations and releases. */
	struct fs_resv *resv;
	size_t nresv, cap_resv;
	int64_t t_min; /* earliest reservation, or FS_NEVER */
	struct fs_event *ev;
	size_t nev, cap_ev;
	int ev_sorted;
	struct req *fixed; /* requests completed with the defaults */
	size_t nfixed;
	struct alloc *started; /* allocs of jobs started by this plan */
	size_t nstarted, cap_started;
	/* Shapes: an array and a hash index into it (indices + 1). */
	struct fs_shape *shapes;
	size_t nshapes, cap_shapes;
	int32_t *shash;
	size_t cap_shash;
	int32_t eta_walks;
	/* Standing. */
	int32_t position;
	double work_ahead; /* milli-GPU seconds of jobs ahead */
	double gpu_capacity;
	int32_t tries_left;
	uint64_t npreempted; /* victims chosen so far */
	int any_stopping;    /* some capacity is being freed */
	int32_t *wait_job;   /* per plan waiting entry: its job */
	size_t cap_wait_job;
	int32_t *min_rank;      /* per project: lowest class rank of its
			      preemptible runs, or JOB_NCLASSES */
	struct sched_placer pl; /* placement: strategies and the mix */
};

/* sched-fairshare.c: the plan, and what the policy's files share. */
/* Milli-GPUs r takes, all nodes together, gpu-mem shares on the largest. */
int64_t sched_fairshare_need(const struct req *r, int64_t gpu_mem_mb);
/* What allocs hold; returns the GPUs (milli). */
int64_t sched_fairshare_alloc_milli(const struct alloc *a, int32_t n,
    struct ledger_amount *amt);
/* Copies a node and its GPUs, not its unused GPU slots. */
void sched_fairshare_node_copy(struct node *to, const struct node *from);
/* The most GPU memory of one GPU of c. */
int64_t sched_fairshare_max_gpu_mem(const struct cluster *c);
/* The risk of job j that this plan starts (project pidx of l). */
void sched_fairshare_risk(struct plan *out, const struct job_core *j,
    const struct projects *cfg, const struct ledger *l, int32_t pidx,
    int64_t now);
/* Places r on node n of c alone; 1 when it fits (a->node = n). */
int sched_fairshare_place_on(const struct fs_state *st, const struct cluster *c,
    int32_t n, const struct req *r, struct alloc *a);
/*
 * The lng view, and the stop view, made on first use: until a reservation
 * exists lng is now_c; stop is lng plus what stopping jobs hold.
 */
struct cluster *sched_fairshare_lng(struct fs_state *st);
struct cluster *sched_fairshare_stop(struct fs_state *st);
/* Takes allocs from every view made so far (a start, a claim). */
void sched_fairshare_take(struct fs_state *st, const struct alloc *a,
    int32_t n);
/* Takes a job's allocs from a view (sign -1) or gives them back (1). */
void sched_fairshare_apply(struct fs_state *st, struct cluster *c,
    const struct alloc *a, int32_t n, int sign);

/* sched-fairshare-load.c */
/*
 * Reads the input: the runs (id order; held, ledger, releases) and the
 * waiting jobs (in input order, not yet in queues).
 */
void sched_fairshare_load(struct fs_state *st);

/* sched-fairshare-heap.c */
int sched_fairshare_heap_push(struct fs_heap *h, int32_t id);
void sched_fairshare_heap_update(struct fs_heap *h, int32_t id);
void sched_fairshare_heap_remove(struct fs_heap *h, int32_t id);

/* sched-fairshare-order.c */
/*
 * Puts the loaded jobs in queue order (st->jobs is replaced) and builds
 * the heaps of users and projects; _done frees them and the jobs.
 */
void sched_fairshare_order_init(struct fs_state *st);
void sched_fairshare_order_done(struct fs_state *st);
/*
 * Takes the next job in admission order off its queue (its project in
 * *pp, its user in *up); -1 when none is left.
 */
int32_t sched_fairshare_order_next(struct fs_state *st, int32_t *pp,
    int32_t *up);
/* After the job of user u in project p was decided: their new places. */
void sched_fairshare_order_advance(struct fs_state *st, int32_t p, int32_t u);
/* User u's share changed (a victim of its): its place in its project. */
void sched_fairshare_user_changed(struct fs_state *st, int32_t u);
/* Re-keys project p and its place in the order. */
void sched_fairshare_rekey(struct fs_state *st, int32_t pidx);

/* sched-fairshare-shape.c */
int32_t sched_fairshare_shape_id(struct fs_state *st, const struct req *r);
#define FS_SHAPE(st, k) (&(st)->shapes[(st)->jobs[k].shape])

/* sched-fairshare-hint.c */
/* The hint of a job past a quota (is_limit 0) or a limit (1). */
void sched_fairshare_hint_quota(struct fs_state *st, const struct fs_job *job,
    int is_limit, struct sched_hint *h);
/* The hint of a gang that waits: how many nodes could take a part now. */
void sched_fairshare_hint_nodes(struct fs_state *st, const struct req *r,
    struct sched_hint *h);
/*
 * Once every job is decided: what would start each waiting job now (on
 * what is left free), else when room frees up.
 */
void sched_fairshare_hint_all(struct fs_state *st);

/* sched-reserve.c */
void sched_reserve_init(struct fs_state *st);
void sched_reserve_done(struct fs_state *st);
/* Run r (its allocs borrowed from the input) ends at t. */
void sched_reserve_event(struct fs_state *st, int64_t t,
    const struct alloc *allocs, int32_t n, int32_t run);
/* A job this plan starts (allocs copied) ends at t. */
void sched_reserve_started(struct fs_state *st, int64_t t,
    const struct alloc *allocs, int32_t n);
/* Run r now ends at t (a victim of this plan). */
void sched_reserve_move(struct fs_state *st, int32_t run, int64_t t);
/*
 * The first time r could start on the view of reservations so far (with
 * pin not NULL: exactly on pin): fills allocs, *n and returns the time,
 * or 0 when none is known.
 */
int64_t sched_reserve_find(struct fs_state *st, const struct req *r,
    const struct alloc *pin, struct alloc *allocs, int32_t *n);
/* Gives job k a reservation; returns its time or 0. */
int64_t sched_reserve_make(struct fs_state *st, int32_t k);
/* An estimated start for a waiting job without a reservation, or 0. */
int64_t sched_reserve_eta(struct fs_state *st, int32_t k);
/*
 * Backfill: places job k now without delaying any reservation.  Returns 1
 * (allocs filled), 0 (no room: why), or 2 (it fits now only by delaying a
 * reservation: PRIORITY).
 */
int sched_reserve_place(struct fs_state *st, int32_t k, struct alloc *allocs,
    int32_t *n, enum wait_reason *why);

/* sched-pin.c: jobs pinned to one allocation (job_core.pin). */
/*
 * Places pinned job k now, as backfill allows: 1 (allocs filled), 0 (its
 * pin is not free: why RESOURCES), 2 (free only by delaying a
 * reservation: why PRIORITY).
 */
int sched_pin_try(struct fs_state *st, int32_t k, struct alloc *allocs,
    int32_t *n, enum wait_reason *why);
/* The hint of a pinned job that waits: its node and who holds its pin. */
void sched_pin_hint(struct fs_state *st, int32_t k, struct waiting *w);

/* sched-quick.c: keeps what this plan leaves for sched_quick_plan. */
struct sched_quick;
void sched_quick_keep(struct fs_state *st, struct sched_quick *q);

/* sched-preempt.c */
void sched_preempt_index(struct fs_state *st);
/*
 * Seeks victims whose swap-out would let job k start; on success emits
 * PREEMPT decisions, updates the views and the ledger and returns how
 * many; 0 when no set of victims would do.
 */
int sched_preempt_try(struct fs_state *st, int32_t k);
/* Claims room that stopping jobs will free for job k: 1 when it fits. */
int sched_preempt_claim(struct fs_state *st, int32_t k, int64_t *swap_job);
/* Adds every running job's risk to the plan. */
void sched_preempt_risks(struct fs_state *st);

#endif
