/*
 * An index over a cluster's nodes and memos of FGD's measure, so that a
 * policy placing thousands of jobs on a thousand nodes in one plan reads
 * a small summary per node instead of the node, and measures each node
 * state once per request shape (on a cluster of identical machines, most
 * nodes are in one of a few states).  Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/place.h"

#define PLACE_MEMO_SLOTS 16384 /* a power of two */
#define PLACE_FNV        1099511628211ULL

struct place_memo_entry {
	uint64_t state, req; /* req 0: empty */
	double score, tie;
	int32_t gpu;
	int32_t found;
};

struct place_memo {
	struct place_memo_entry e[PLACE_MEMO_SLOTS];
};

static uint64_t
place_index_mix(uint64_t h, uint64_t v)
{
	return (h ^ v) * PLACE_FNV;
}

static uint64_t
place_index_str(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = place_index_mix(h, (unsigned char)*s);
	return place_index_mix(h, 0xff);
}

/* What does not change about node n: its GPUs' models and sizes, where. */
static uint64_t
place_index_fixed(const struct node *nd)
{
	uint64_t h = 1469598103934665603ULL;
	int32_t g;

	h = place_index_mix(h, (uint64_t)nd->ngpus);
	for (g = 0; g < nd->ngpus; g++) {
		if (g == 0 ||
		    strcmp(nd->gpus[g].model, nd->gpus[g - 1].model) != 0)
			h = place_index_str(h, nd->gpus[g].model);
		h = place_index_mix(h, (uint64_t)nd->gpus[g].mem_mb);
	}
	h = place_index_str(h, nd->pool);
	return place_index_str(h, nd->labels);
}

static void
place_index_sum_of(const struct node *nd, struct place_sum *s)
{
	const struct gpu *g;
	uint64_t h = s->fixed;
	int32_t i, f;

	s->cpus = nd->free_cpus_milli;
	s->mem = nd->free_mem_mb;
	s->whole = s->max_share = s->total = s->usable = 0;
	h = place_index_mix(h, (uint64_t)(uint32_t)nd->free_cpus_milli);
	h = place_index_mix(h, (uint64_t)nd->free_mem_mb);
	for (i = 0; i < nd->ngpus; i++) {
		g = &nd->gpus[i];
		f = g->free_milli > 0 ? g->free_milli : 0;
		s->total += f;
		if (g->mem_mb > 0)
			s->usable +=
			    g->free_mem_mb * MODEL_GPU_MILLI / g->mem_mb < f ?
			    (int32_t)(g->free_mem_mb * MODEL_GPU_MILLI /
			        g->mem_mb) :
			    f;
		if (f > s->max_share)
			s->max_share = f;
		if (f >= MODEL_GPU_MILLI && g->free_mem_mb >= g->mem_mb)
			s->whole++;
		h = place_index_mix(h, (uint64_t)(uint32_t)g->free_milli);
		h = place_index_mix(h, (uint64_t)g->free_mem_mb);
	}
	s->hash = h;
}

void
place_index_init(struct place_index *x, const struct cluster *c)
{
	size_t i;

	x->c = c;
	x->n = c->nnodes;
	x->sum = xcalloc(c->nnodes + 1, sizeof(*x->sum));
	place_cluster_scale(c, &x->cpus, &x->gpus);
	for (i = 0; i < c->nnodes; i++) {
		x->sum[i].fixed = place_index_fixed(&c->nodes[i]);
		place_index_sum_of(&c->nodes[i], &x->sum[i]);
	}
}

void
place_index_done(struct place_index *x)
{
	free(x->sum);
	memset(x, 0, sizeof(*x));
}

void
place_index_touch(struct place_index *x, int32_t n)
{
	if (x->sum == NULL || n < 0 || (size_t)n >= x->n)
		return;
	place_index_sum_of(&x->c->nodes[n], &x->sum[n]);
}

const struct place_sum *
place_index_sum(const struct place_ctx *ctx, const struct cluster *c, size_t n)
{
	if (ctx == NULL || ctx->index == NULL || ctx->index->c != c ||
	    n >= ctx->index->n)
		return NULL;
	return &ctx->index->sum[n];
}

int
place_index_may_fit(const struct place_ctx *ctx, const struct cluster *c,
    size_t n, const struct req *r)
{
	const struct place_sum *s = place_index_sum(ctx, c, n);
	int32_t k;

	if (s == NULL)
		return 1;
	if (s->cpus < r->cpus_milli || s->mem < r->mem_mb)
		return 0;
	if ((k = place_req_whole(r)) > 0)
		return s->whole >= k;
	if (r->gpus_milli > 0)
		return s->max_share >= r->gpus_milli;
	return !place_req_gpu(r) || s->max_share > 0;
}

struct place_memo *
place_memo_new(void)
{
	return xcalloc(1, sizeof(struct place_memo));
}

void
place_memo_free(struct place_memo *m)
{
	free(m);
}

uint64_t
place_memo_req(const struct req *r, int mode)
{
	uint64_t h = 1469598103934665603ULL;

	h = place_index_mix(h, (uint64_t)mode);
	h = place_index_mix(h, (uint64_t)(uint32_t)r->gpus_milli);
	h = place_index_mix(h, (uint64_t)r->gpu_mem_mb);
	h = place_index_mix(h, (uint64_t)(uint32_t)r->cpus_milli);
	h = place_index_mix(h, (uint64_t)r->mem_mb);
	h = place_index_str(h, r->gpu_model);
	h = place_index_str(h, r->pool);
	h = place_index_str(h, r->labels);
	return h | 1; /* never 0, the empty mark */
}

static size_t
place_memo_slot(uint64_t state, uint64_t req)
{
	uint64_t h = (state ^ (req * 0x9e3779b97f4a7c15ULL)) >> 17;

	return (size_t)(h & (PLACE_MEMO_SLOTS - 1));
}

int
place_memo_get(const struct place_memo *m, uint64_t state, uint64_t req,
    int *found, double *score, double *tie, int32_t *gpu)
{
	const struct place_memo_entry *e;

	if (m == NULL)
		return 0;
	e = &m->e[place_memo_slot(state, req)];
	if (e->req != req || e->state != state)
		return 0;
	*found = e->found;
	*score = e->score;
	*tie = e->tie;
	*gpu = e->gpu;
	return 1;
}

void
place_memo_put(struct place_memo *m, uint64_t state, uint64_t req, int found,
    double score, double tie, int32_t gpu)
{
	struct place_memo_entry *e;

	if (m == NULL)
		return;
	e = &m->e[place_memo_slot(state, req)];
	e->state = state;
	e->req = req;
	e->found = found;
	e->score = score;
	e->tie = tie;
	e->gpu = gpu;
}
