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
	WAIT_RESOURCES,	 /* not enough free capacity now */
	WAIT_FRAGMENTED, /* enough in total, but not on one GPU/node */
	WAIT_PRIORITY,	 /* others are ahead */
	WAIT_QUOTA,
	WAIT_LIMIT,
	WAIT_GANG,
	WAIT_HELD,
	WAIT_DEPENDENCY,
	WAIT_POOL,
	WAIT_NREASONS
};

const char *sched_reason_name(enum wait_reason r);

enum decision_kind { DECIDE_START };

struct decision {
	enum decision_kind kind;
	int64_t job_id;
	struct alloc alloc;
};

/* A waiting job's standing after a plan. */
struct waiting {
	int64_t job_id;
	enum wait_reason reason;
	int32_t position;	/* 1 is next */
};

struct plan {
	struct decision *decisions;	/* owned */
	size_t ndecisions, cap_decisions;
	struct waiting *waiting;	/* owned */
	size_t nwaiting, cap_waiting;
};

void plan_init(struct plan *p);
void plan_done(struct plan *p);
void plan_reset(struct plan *p);
void plan_add_start(struct plan *p, int64_t job_id, const struct alloc *a);
void plan_add_waiting(struct plan *p, int64_t job_id, enum wait_reason r,
    int32_t position);

/*
 * The input of a plan: the cluster with what running jobs hold already
 * taken out, and the jobs waiting, in no particular order.
 */
struct sched_input {
	const struct cluster *cluster;
	const struct job_core *const *pending;	/* borrowed */
	size_t npending;
	int64_t now;
};

struct sched_policy {
	const char *name;
	const char *summary;
	/* Fills plan (already reset).  Returns 0 or a GQ_E* code. */
	int (*plan)(const struct sched_input *in, struct plan *out);
};

/* The policies, one file each (sched-<name>.c), listed in sched.c. */
int sched_fifo_plan(const struct sched_input *in, struct plan *out);

/* The policy of that name, or NULL. */
const struct sched_policy *sched_policy_find(const char *name);
/* The policy used when the configuration names none. */
const struct sched_policy *sched_policy_default(void);

/*
 * Placement helper shared by policies: finds room for r on the cluster
 * (best fit for fractions, fewest free GPUs left broken for whole GPUs) and
 * fills a.  Returns 1 when it fits, 0 when not (reason set).
 */
int sched_place(const struct cluster *c, const struct req *r,
    struct alloc *a, enum wait_reason *reason);

#endif
