/*
 * Placement as the policies use it: the strategies of core/place*.c
 * behind one call for a whole job (one node, or a gang's nodes), with the
 * request mix FGD measures against built once per plan from the jobs the
 * cluster sees (docs/placement.md).  Pure.
 */
#ifndef GPUQ_SCHED_PLACE_H
#define GPUQ_SCHED_PLACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/place.h"
#include "core/sched.h"

/* Distinct request kinds the per-plan mix counts, at most. */
#define SCHED_PLACE_KINDS 256
/* Requests looked at for the mix, about; more are sampled by id. */
#define SCHED_PLACE_SAMPLE 8192

/* Views of the cluster a placer keeps an index of, at most. */
#define SCHED_PLACE_VIEWS 4

/*
 * A plan's placement: the strategy for GPU shares, the one for whole
 * GPUs and CPU-only jobs, the mix, the state of random, and indexes of
 * the views the policy places on most (kept up to date by the policy
 * through sched_place_touch) with memos of FGD's measure.
 */
struct sched_placer {
	const struct place_strategy *share; /* borrowed (the table's) */
	const struct place_strategy *whole;
	struct place_mix mix;
	struct place_ctx ctx; /* points into this struct */
	uint64_t rng;
	struct place_index index[SCHED_PLACE_VIEWS];
	struct place_memo *memo; /* owned */
};

/*
 * Sets up placement for a plan over in: the strategies of the projects'
 * parameters (the defaults without projects) and the mix of the pending
 * and running jobs' requests.  Free with sched_place_done.
 */
void sched_place_init(struct sched_placer *pl, const struct sched_input *in);
void sched_place_done(struct sched_placer *pl);
/*
 * Counts the requests of jobs v[0..n) into a bounded histogram and makes
 * pl's mix from it (exposed for tests and for sched-quick.c).
 */
void sched_place_mix(struct sched_placer *pl, const struct job_core *const *v,
    size_t n, const struct job_core *const *w, size_t nw);
/*
 * Keeps an index of c (a view the caller places on often and changes
 * only with sched_place_touch) until sched_place_untrack or done.
 */
void sched_place_track(struct sched_placer *pl, const struct cluster *c);
void sched_place_untrack(struct sched_placer *pl, const struct cluster *c);
/* c changed on the nodes of a[0..n): the index of c follows. */
void sched_place_touch(struct sched_placer *pl, const struct cluster *c,
    const struct alloc *a, int32_t n);
/*
 * Places r on node n of c alone (a->node = n); 1 when it fits there.
 */
int sched_place_on(const struct sched_placer *pl, const struct cluster *c,
    int32_t n, const struct req *r, struct alloc *a);
/*
 * A job's whole placement: one node, or a gang's nodes (distinct, all at
 * once).  allocs has room for MODEL_MAX_GANG_NODES.  Returns 1 when it
 * fits (*n allocs filled), 0 when not (why set: GANG when some but not
 * enough nodes could take a part now).  The one place policies call
 * placement from.
 */
int sched_place_job(const struct sched_placer *pl, const struct cluster *c,
    const struct req *r, struct alloc *allocs, int32_t *n,
    enum wait_reason *why);
/*
 * A pinned job's placement: allocs[0] is pin itself when all of it is
 * free on c; a gang's other parts go on other nodes as usual.  Returns 1
 * (*n allocs), or 0 with why (RESOURCES: the pin is not free).
 */
int sched_place_pinned(const struct sched_placer *pl, const struct cluster *c,
    const struct req *r, const struct alloc *pin, struct alloc *allocs,
    int32_t *n, enum wait_reason *why);
/*
 * A pinned job (job_core.pin): 1 when all of pin is free on c (its GPUs'
 * shares and memory, the CPUs and memory of its node); the alloc is then
 * pin itself.
 */
int sched_place_pin_free(const struct cluster *c, const struct alloc *pin);

#endif
