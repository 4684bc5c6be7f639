/*
 * The first policy: first come, first served, greedy.
 *
 * Pending jobs are taken in submit order (then id).  Each one that fits the
 * capacity left is started; one that does not fit waits and does not block
 * the jobs behind it.  There are no reservations, so a big job can be
 * overtaken forever by a stream of small ones: this is the foundation the
 * full policy engine (quotas, fair share, backfill with reservations)
 * replaces.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sched-place.h"
#include "core/sched-quick.h"
#include "core/sched.h"

static int
sched_fifo_cmp(const void *pa, const void *pb)
{
	const struct job_core *a = *(const struct job_core *const *)pa;
	const struct job_core *b = *(const struct job_core *const *)pb;

	if (a->submit_time != b->submit_time)
		return a->submit_time < b->submit_time ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

/* A private copy of the cluster the plan can take resources from. */
static void
sched_fifo_copy(const struct cluster *from, struct cluster *to)
{
	to->nnodes = from->nnodes;
	to->nodes = NULL;
	if (from->nnodes == 0)
		return;
	to->nodes = xreallocarray(NULL, from->nnodes, sizeof(*to->nodes));
	memcpy(to->nodes, from->nodes, from->nnodes * sizeof(*to->nodes));
}

/* Job j: started on c (taken from it) or waiting. */
static void
sched_fifo_one(const struct sched_placer *pl, struct cluster *c,
    const struct job_core *j, int32_t *position, struct plan *out)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	enum wait_reason why;
	int32_t n, i;

	if (j->pin != NULL) {
		if (!sched_place_pin_free(c, j->pin)) {
			plan_add_waiting(out, j->id, WAIT_RESOURCES,
			    ++*position);
			return;
		}
		a[0] = *j->pin;
		n = 1;
	} else if (!sched_place_job(pl, c, &j->req, a, &n, &why)) {
		plan_add_waiting(out, j->id, why, ++*position);
		return;
	}
	for (i = 0; i < n; i++)
		cluster_take(c, &a[i]);
	plan_add_gang(out, j->id, a, n);
}

/*
 * Jobs not in the PENDING state are ignored.  Waiting jobs get their
 * position among the jobs still waiting, in submit order.
 */
int
sched_fifo_plan(const struct sched_input *in, struct plan *out)
{
	const struct job_core **order;
	struct sched_placer pl;
	struct cluster c;
	int32_t position = 0;
	size_t i;

	if (in->quick != NULL)
		sched_quick_reset(in->quick); /* every plan is a full one */
	if (in->npending == 0)
		return 0;
	order = xreallocarray(NULL, in->npending, sizeof(*order));
	memcpy(order, in->pending, in->npending * sizeof(*order));
	qsort(order, in->npending, sizeof(*order), sched_fifo_cmp);
	sched_fifo_copy(in->cluster, &c);
	sched_place_init(&pl, in);
	for (i = 0; i < in->npending; i++)
		if (order[i]->state == JOB_PENDING)
			sched_fifo_one(&pl, &c, order[i], &position, out);
	sched_place_done(&pl);
	cluster_done(&c);
	free(order);
	return 0;
}
