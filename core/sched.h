/*
 * Scheduling: given the cluster, the queue and now, a plan.
 *
 * A policy is a pure function.  It reads the jobs, never changes them, and
 * writes decisions into the plan; the daemon carries them out.  Policies
 * are listed in one table (sched.c).
 */
#ifndef GPUQ_SCHED_H
#define GPUQ_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

/* Why a job waits (SCHEDULING.md). */
enum wait_reason {
	WAIT_NONE,
	WAIT_RESOURCES,  /* not enough free capacity now */
	WAIT_FRAGMENTED, /* enough in total, but not on one GPU/node */
	WAIT_PRIORITY,   /* others are ahead */
	WAIT_QUOTA,
	WAIT_LIMIT,
	WAIT_GANG,
	WAIT_HELD,
	WAIT_DEPENDENCY,
	WAIT_POOL,
	WAIT_NREASONS
};

const char *sched_reason_name(enum wait_reason r);

/*
 * START: run the job on alloc (and, for a gang, the other nodes' allocs).
 * PREEMPT: swap the running job out (signal, grace, requeue) to make room
 * for another job.
 */
enum decision_kind { DECIDE_START, DECIDE_PREEMPT };

/* Why a job is swapped out (SCHEDULING.md). */
enum preempt_why {
	PREEMPT_NONE,
	PREEMPT_RECLAIM,  /* its project borrowed what another deserves */
	PREEMPT_PRIORITY, /* a higher class of its own project needs room */
};

const char *sched_preempt_name(enum preempt_why w);

struct decision {
	enum decision_kind kind;
	int64_t job_id;
	struct alloc alloc;
	enum preempt_why why; /* PREEMPT */
	int64_t for_job;      /* PREEMPT: the job it makes room for */
	struct alloc *gang;   /* START of a gang: the other nodes (owned) */
	int32_t ngang;
};

/*
 * What would start a waiting job now, or when it may start: structured,
 * so that text is made only for those who ask (sched_hint_text).
 */
enum hint_kind {
	HINT_NONE,
	HINT_SMALLER,  /* value: the GPUs (milli) that would start now */
	HINT_SHORTER,  /* value: a time limit (s) that would start now */
	HINT_POOL,     /* text: a pool with room now ("" : any pool) */
	HINT_FREES,    /* value: seconds until its pool frees enough */
	HINT_LIMIT,    /* value of value2 (milli), text: a department or "" */
	HINT_QUOTA,    /* value held, value2 deserved; text as LIMIT */
	HINT_SWAP,     /* job: the job swapping out for it; value: s */
	HINT_PREEMPTS, /* value: jobs being swapped out for it */
	HINT_NODES,    /* value: nodes that could hold a part now */
	HINT_HELD,
	HINT_DEPENDENCY,
	HINT_PIN, /* text: the node of its pin; job_id: a holder or 0 */
};

struct sched_hint {
	enum hint_kind kind;
	int64_t value;
	int64_t value2;
	int64_t job_id;
	char text[64]; /* a pool or department name */
};

/* A waiting job's standing after a plan. */
struct waiting {
	int64_t job_id;
	enum wait_reason reason;
	int32_t position; /* 1 is next; 0 not in line (held) */
	int64_t eta;      /* estimated start (epoch s); 0 unknown */
	int32_t reserved; /* holds a reservation from eta on */
	struct sched_hint hint;
};

/* How safe a running job is from being swapped out. */
enum risk_level {
	RISK_NONE,      /* not preemptible (or interactive) */
	RISK_PROTECTED, /* inside its minimum runtime until `until` */
	RISK_IN_QUOTA,  /* its project is within its deserved quota */
	RISK_BORROWED,  /* runs on borrowed capacity: reclaimable */
	RISK_STOPPING,  /* being stopped or swapped out now */
	RISK_NLEVELS
};

const char *sched_risk_name(enum risk_level r);

struct risk {
	int64_t job_id;
	enum risk_level level;
	int64_t until; /* PROTECTED: when protection ends */
};

struct plan {
	struct decision *decisions; /* owned */
	size_t ndecisions, cap_decisions;
	struct waiting *waiting; /* owned */
	size_t nwaiting, cap_waiting;
	struct risk *risks; /* owned: one per running job */
	size_t nrisks, cap_risks;
};

void plan_init(struct plan *p);
void plan_done(struct plan *p);
void plan_reset(struct plan *p);
void plan_add_start(struct plan *p, int64_t job_id, const struct alloc *a);
void plan_add_waiting(struct plan *p, int64_t job_id, enum wait_reason r,
    int32_t position);
/* Appends a copy of w. */
void plan_add_wait(struct plan *p, const struct waiting *w);
/* A gang's start: allocs[0] on the first node, n allocs in all. */
void plan_add_gang(struct plan *p, int64_t job_id, const struct alloc *allocs,
    int32_t n);
void plan_add_preempt(struct plan *p, int64_t job_id, int64_t for_job,
    enum preempt_why why, const struct alloc *a);
void plan_add_risk(struct plan *p, int64_t job_id, enum risk_level level,
    int64_t until);
/* The entry of that job, or NULL (a linear search). */
const struct waiting *plan_find_waiting(const struct plan *p, int64_t id);
const struct decision *plan_find_start(const struct plan *p, int64_t id);
/*
 * Writes a waiting job's hint as a sentence ("0.5 GPU would start now"),
 * "" when it has none.  now is the plan's time.  Returns out.
 */
char *sched_hint_text(const struct waiting *w, int64_t now, char *out,
    size_t n);
/* Writes a running job's risk as a sentence.  Returns out. */
char *sched_risk_text(const struct risk *r, int64_t now, char *out, size_t n);

/*
 * The input of a plan: the cluster with what running jobs hold already
 * taken out, and the jobs waiting, in no particular order.
 */
struct projects;
struct usage_book;
struct sched_quick;

/*
 * Memory a policy may keep from one plan to the next (the caller's, may
 * be absent): a plan's big arrays are reused instead of being faulted in
 * afresh each time, which with 100,000 jobs was half a plan's time.
 */
#define SCHED_SCRATCH_SLOTS 16

struct sched_scratch {
	void *p[SCHED_SCRATCH_SLOTS]; /* owned */
	size_t size[SCHED_SCRATCH_SLOTS];
};

void sched_scratch_init(struct sched_scratch *s);
void sched_scratch_done(struct sched_scratch *s);
/*
 * At least size bytes for slot (new to the caller until given back):
 * the slot's memory when it is big enough (contents undefined), else
 * fresh.  s may be NULL.
 */
void *sched_scratch_take(struct sched_scratch *s, int slot, size_t size);
/* Gives p (size bytes) back to slot for the next plan; steals p. */
void sched_scratch_give(struct sched_scratch *s, int slot, void *p,
    size_t size);

struct sched_input {
	const struct cluster *cluster;
	const struct job_core *const *pending; /* borrowed */
	size_t npending;
	int64_t now;
	/* For policies with quotas and preemption (may be empty). */
	const struct job_core *const *running; /* borrowed: RUNNING jobs */
	size_t nrunning;
	const struct projects *projects; /* borrowed, or NULL */
	const struct usage_book *usage;  /* borrowed, or NULL */
	struct sched_scratch *scratch;   /* borrowed, or NULL */
	/*
	 * Out, or NULL: what deciding new jobs quickly needs from this
	 * plan (sched-quick.h); left invalid by policies that cannot.
	 */
	struct sched_quick *quick;
};

struct sched_policy {
	const char *name;
	const char *summary;
	/* Fills plan (already reset).  Returns 0 or a GQ_E* code. */
	int (*plan)(const struct sched_input *in, struct plan *out);
};

/* The policies, one file each (sched-<name>.c), listed in sched.c. */
int sched_fifo_plan(const struct sched_input *in, struct plan *out);
int sched_fairshare_plan(const struct sched_input *in, struct plan *out);

/* The policy of that name, or NULL. */
const struct sched_policy *sched_policy_find(const char *name);
/* The policy used when the configuration names none. */
const struct sched_policy *sched_policy_default(void);

/*
 * True when nd is in r's pool, of its GPU model, with its labels (its
 * free capacity not looked at).  Placement itself is sched-place.h's.
 */
int sched_node_where(const struct node *nd, const struct req *r);

#endif
