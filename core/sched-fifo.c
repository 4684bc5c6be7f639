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

/*
 * Jobs not in the PENDING state are ignored.  Waiting jobs get their
 * position among the jobs still waiting, in submit order.
 */
int
sched_fifo_plan(const struct sched_input *in, struct plan *out)
{
	const struct job_core **order;
	struct cluster c;
	struct alloc a;
	enum wait_reason why;
	int32_t position = 0;
	size_t i;

	if (in->npending == 0)
		return 0;
	order = xreallocarray(NULL, in->npending, sizeof(*order));
	memcpy(order, in->pending, in->npending * sizeof(*order));
	qsort(order, in->npending, sizeof(*order), sched_fifo_cmp);
	sched_fifo_copy(in->cluster, &c);
	for (i = 0; i < in->npending; i++) {
		if (order[i]->state != JOB_PENDING)
			continue;
		if (sched_place(&c, &order[i]->req, &a, &why)) {
			cluster_take(&c, &a);
			plan_add_start(out, order[i]->id, &a);
		} else
			plan_add_waiting(out, order[i]->id, why, ++position);
	}
	cluster_done(&c);
	free(order);
	return 0;
}
