/*
 * The hints of waiting jobs (struct sched_hint): what would let a job
 * start now (a pool, fewer GPUs, more nodes), the quota or limit that
 * binds it, else when room frees up.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/sched-fairshare.h"

/* The largest GPU amount of r's kind that one node could give now. */
static int64_t
sched_fairshare_hint_smaller(const struct cluster *c, const struct req *r)
{
	const struct node *nd;
	int64_t best = 0, whole;
	size_t i;
	int32_t g;

	for (i = 0; i < c->nnodes; i++) {
		nd = &c->nodes[i];
		if (!place_node_ok(nd, r) || !sched_node_where(nd, r))
			continue;
		whole = 0;
		for (g = 0; g < nd->ngpus; g++) {
			if (nd->gpus[g].free_milli >= MODEL_GPU_MILLI &&
			    nd->gpus[g].free_mem_mb >= nd->gpus[g].mem_mb)
				whole += MODEL_GPU_MILLI;
			else if (r->gpus_milli < MODEL_GPU_MILLI &&
			    nd->gpus[g].free_milli > best)
				best = nd->gpus[g].free_milli;
		}
		if (r->gpus_milli >= MODEL_GPU_MILLI && whole > best)
			best = whole;
		if (r->gpus_milli < MODEL_GPU_MILLI && whole > 0)
			best = best > MODEL_GPU_MILLI ? best : MODEL_GPU_MILLI;
	}
	return best;
}

/* A pool where r would fit now ("" when only dropping more would do). */
static void
sched_fairshare_hint_pool(struct fs_state *st, const struct req *r,
    struct sched_hint *h)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	enum wait_reason w2;
	struct req any = *r;
	int32_t n;

	h->kind = HINT_POOL;
	any.pool[0] = '\0';
	if (sched_place_job(&st->pl, &st->now_c, &any, a, &n, &w2))
		snprintf(h->text, sizeof(h->text), "%s",
		    st->now_c.nodes[a[0].node].pool);
}

/*
 * The hint of a job blocked for capacity: what would start now.  The
 * amount is worked out once per shape (with the first job's CPUs and
 * memory).
 */
static void
sched_fairshare_hint_room(struct fs_state *st, int32_t k, struct waiting *w)
{
	const struct req *r = st->jobs[k].req;
	struct fs_shape *s = FS_SHAPE(st, k);

	if (w->reason == WAIT_POOL) {
		sched_fairshare_hint_pool(st, r, &w->hint);
		return;
	}
	if (model_req_nodes(r) > 1)
		return;
	if (s->smaller_gen == 0) {
		s->smaller = sched_fairshare_hint_smaller(&st->now_c, r);
		s->smaller_gen = 1;
	}
	if (s->smaller > 0 &&
	    (r->gpus_milli > s->smaller ||
	        (r->gpus_milli == 0 && r->gpu_mem_mb > 0))) {
		w->hint.kind = HINT_SMALLER;
		w->hint.value = s->smaller;
	}
}

void
sched_fairshare_hint_quota(struct fs_state *st, const struct fs_job *job,
    int is_limit, struct sched_hint *h)
{
	int32_t who;

	who = project_ledger_binding(&st->l, job->pidx, job->milli, is_limit,
	    &h->value, &h->value2);
	h->kind = is_limit ? HINT_LIMIT : HINT_QUOTA;
	if (who >= 0)
		snprintf(h->text, sizeof(h->text), "%s",
		    st->cfg->depts[who].name);
}

void
sched_fairshare_hint_nodes(struct fs_state *st, const struct req *r,
    struct sched_hint *h)
{
	struct alloc a;
	int64_t k = 0;
	size_t i;

	for (i = 0; i < st->now_c.nnodes; i++)
		k +=
		    sched_fairshare_place_on(st, &st->now_c, (int32_t)i, r, &a);
	h->kind = HINT_NODES;
	h->value = k;
	h->value2 = model_req_nodes(r);
}

void
sched_fairshare_hint_all(struct fs_state *st)
{
	struct waiting *w;
	size_t i;

	for (i = 0; i < st->out->nwaiting; i++) {
		w = &st->out->waiting[i];
		if (w->hint.kind != HINT_NONE)
			continue;
		if (!w->reserved &&
		    (w->reason == WAIT_RESOURCES ||
		        w->reason == WAIT_FRAGMENTED ||
		        w->reason == WAIT_POOL)) {
			sched_fairshare_hint_room(st, st->wait_job[i], w);
		}
		if (w->hint.kind == HINT_NONE && w->eta > st->now) {
			w->hint.kind = HINT_FREES;
			w->hint.value = w->eta - st->now;
		}
	}
}
