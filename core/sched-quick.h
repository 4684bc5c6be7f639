/*
 * Incremental planning: deciding new jobs against what the last full plan
 * left, without planning the whole queue again (docs/scheduling.md,
 * "How often it plans").
 *
 * A full plan of the fairshare policy fills a struct sched_quick (through
 * sched_input.quick): the capacity free after its starts and claims, the
 * same minus what its reservations hold, the earliest reservation, who
 * holds what (the ledger) and the placement it used.  While nothing frees
 * capacity and nothing changes but new jobs arriving, the caller may
 * decide each new job with sched_quick_plan: it starts when it fits now
 * and cannot delay a reservation (its time limit ends before the earliest
 * one, or it fits beside them), within its project's hard limit;
 * otherwise it waits with a reason, lined up after the jobs waiting
 * already.  What this leaves out (estimated starts, reclaiming by
 * preemption, reordering the queue) waits for the next full plan, which
 * the caller makes when capacity is freed, something else changes, or
 * after a short while.  Pure.
 */
#ifndef GPUQ_SCHED_QUICK_H
#define GPUQ_SCHED_QUICK_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/project.h"
#include "core/sched-place.h"
#include "core/sched.h"

struct sched_quick {
	int valid;                  /* filled by a full plan */
	int64_t at;                 /* that plan's time */
	struct cluster now;         /* free now (owned nodes) */
	struct cluster lng;         /* free now minus reservations (owned) */
	size_t cap_nodes;           /* room in now.nodes and lng.nodes */
	int64_t t_min;              /* earliest reservation, or INT64_MAX */
	int64_t gpu_mem;            /* the largest GPU's memory */
	struct ledger l;            /* who holds what (owned) */
	struct projects own;        /* the projects when the plan had none */
	const struct projects *cfg; /* the plan's projects, or &own */
	struct sched_placer pl;     /* owned: its mix and indexes */
	int32_t position;           /* the last position handed out */
};

void sched_quick_init(struct sched_quick *q);
void sched_quick_done(struct sched_quick *q);
/* Forgets the last plan (valid becomes 0). */
void sched_quick_reset(struct sched_quick *q);
/*
 * Decides the new pending jobs fresh[0..n) at now against q, adding their
 * starts and waits to out (not reset), and updates q as they start.
 * Returns 0, or GQ_EINVAL when q holds no plan.
 */
int sched_quick_plan(struct sched_quick *q, const struct job_core *const *fresh,
    size_t n, int64_t now, struct plan *out);

#endif
