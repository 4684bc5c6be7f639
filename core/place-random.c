/*
 * Random: a node drawn uniformly among those that can take the request,
 * and on it a GPU drawn among those with room (whole GPUs still take an
 * aligned block).  The FGD paper's lowest baseline.  Pure: the generator's
 * state is the caller's (place_ctx.rng); without one the first candidate
 * is taken.
 */
#include "core/place.h"

/* The n-th node (from 0) that can take r. */
static size_t
place_random_nth(const struct cluster *c, const struct req *r, size_t n)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		if (place_node_fits(&c->nodes[i], r) && n-- == 0)
			return i;
	return 0;
}

/* A GPU of nd with room for r's share, drawn at random. */
static int32_t
place_random_gpu(const struct node *nd, const struct req *r, uint64_t *rng)
{
	int32_t g, n = place_gpus_fit(nd, r);
	uint64_t k = rng != NULL ? place_rng_below(rng, (uint64_t)n) : 0;

	for (g = 0; g < nd->ngpus; g++)
		if (place_gpu_need(&nd->gpus[g], r) > 0 && k-- == 0)
			return g;
	return -1;
}

int
place_random_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why)
{
	size_t i, n = 0;
	int32_t g;

	for (i = 0; i < c->nnodes; i++)
		n += place_node_fits(&c->nodes[i], r);
	if (n == 0) {
		*why = place_why(c, r);
		return 0;
	}
	i = place_random_nth(c, r,
	    ctx->rng != NULL ? (size_t)place_rng_below(ctx->rng, n) : 0);
	a->node = (int32_t)i;
	if (place_req_whole(r) > 0)
		place_pick_whole(&c->nodes[i], place_req_whole(r), r, a);
	else if (place_req_gpu(r) &&
	    (g = place_random_gpu(&c->nodes[i], r, ctx->rng)) >= 0)
		place_alloc_gpu(a, &c->nodes[i], g, r);
	return 1;
}
