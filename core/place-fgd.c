/*
 * FGD: fragmentation gradient descent (Weng et al., ATC'23).
 *
 * For every node and GPU that could take the request, FGD measures how
 * much the node's expected fragmentation against the workload's mix
 * (place-frag.c) grows if the request went there, and picks the least
 * growth.  Three variants share the search:
 *   fgd      the measure exactly; ties to the first node in cluster order
 *            and the lowest GPU;
 *   fgd-k8s  as the artifact's Kubernetes plugin scores it: the growth
 *            through int(100 sigmoid(-growth / 1000)), so growths within
 *            some 40 milli-GPUs tie; a tie goes to the first node in
 *            cluster order (which reproduces the published figures; a tie
 *            drawn at random does much worse, docs/placement.md);
 *   fgd+     gpuq's default: the growth in steps of a tenth of a GPU, a
 *            tie to the GPU left with the least free capacity, then to the
 *            first node in cluster order (first fit keeps load together).
 * Pure: the mix comes in the context.
 */
#include <math.h>
#include <string.h>

#include "core/place-int.h"

#define PLACE_FGD_EPS  1e-7
#define PLACE_FGD_STEP 100.0 /* fgd+: growths this close tie, milli */

enum place_fgd_mode { PLACE_FGD_EXACT, PLACE_FGD_K8S, PLACE_FGD_PLUS };

/* The best candidate so far: lowest score, then lowest tie. */
struct place_fgd_best {
	double score;
	double tie;
	size_t node;
	int32_t gpu; /* the GPU for a share, else -1 */
	int found;
};

/* What a candidate is worth: lower is better. */
static double
place_fgd_score(enum place_fgd_mode mode, double delta)
{
	if (mode == PLACE_FGD_PLUS)
		return floor(delta / PLACE_FGD_STEP);
	if (mode == PLACE_FGD_K8S)
		return -floor(100.0 / (1.0 + exp(delta / 1000.0)));
	return delta;
}

/* Among equal scores (fgd+): the GPU left with the least free capacity. */
static double
place_fgd_tie(enum place_fgd_mode mode, const struct place_view *after,
    int32_t gpu)
{
	if (mode != PLACE_FGD_PLUS || gpu < 0)
		return 0;
	return (double)after->free[gpu];
}

/* True when (score, tie) beats b; equal counts as not better. */
static int
place_fgd_better(const struct place_fgd_best *b, double score, double tie)
{
	if (!b->found || score < b->score - PLACE_FGD_EPS)
		return 1;
	return fabs(score - b->score) <= PLACE_FGD_EPS &&
	    tie < b->tie - PLACE_FGD_EPS;
}

/* Offers a node's best candidate: an equal one leaves the earlier node. */
static void
place_fgd_offer(struct place_fgd_best *b, const struct place_fgd_best *nb)
{
	if (nb->found && place_fgd_better(b, nb->score, nb->tie))
		*b = *nb;
}

/* Notes candidate (node i, GPU g) in the node's best nb. */
static void
place_fgd_note(struct place_fgd_best *nb, enum place_fgd_mode mode,
    double delta, const struct place_view *after, size_t i, int32_t g)
{
	double score = place_fgd_score(mode, delta);
	double tie = place_fgd_tie(mode, after, g);

	if (!place_fgd_better(nb, score, tie))
		return;
	nb->found = 1;
	nb->score = score;
	nb->tie = tie;
	nb->node = i;
	nb->gpu = g;
}

/* True when GPU g of v was measured already through an identical GPU. */
static int
place_fgd_seen(const struct place_view *v, const struct node *nd,
    const struct req *r, int32_t g)
{
	int32_t i;

	for (i = 0; i < g; i++)
		if (v->free[i] == v->free[g] && v->bit[i] == v->bit[g] &&
		    v->gpu_mem[i] == v->gpu_mem[g] &&
		    place_gpu_need(&nd->gpus[i], r) > 0)
			return 1;
	return 0;
}

/* Every GPU of the node that could take the share. */
static void
place_fgd_share(const struct node *nd, size_t i, const struct req *r,
    const struct place_mix *m, enum place_fgd_mode mode,
    struct place_fgd_best *nb)
{
	struct place_view v;
	double f0, d;
	int32_t g, need, saved;

	place_view_of(nd, m, &v);
	f0 = place_frag_view(&v, m);
	for (g = 0; g < nd->ngpus; g++) {
		if ((need = place_gpu_need(&nd->gpus[g], r)) == 0 ||
		    place_fgd_seen(&v, nd, r, g))
			continue;
		saved = v.free[g];
		place_view_take(&v, g, need, r->cpus_milli, r->mem_mb);
		d = place_frag_view(&v, m) - f0;
		place_fgd_note(nb, mode, d, &v, i, g);
		v.total += saved - v.free[g];
		v.free[g] = saved;
		v.cpus_milli += r->cpus_milli;
		v.mem_mb += r->mem_mb;
	}
}

/* Whole GPUs (picked as place_pick_whole does) or none. */
static void
place_fgd_other(const struct node *nd, size_t i, const struct req *r,
    const struct place_mix *m, enum place_fgd_mode mode,
    struct place_fgd_best *nb)
{
	struct place_view v;
	struct alloc a;
	double f0;
	int32_t k;

	place_view_of(nd, m, &v);
	f0 = place_frag_view(&v, m);
	memset(&a, 0, sizeof(a));
	if ((k = place_req_whole(r)) > 0)
		place_pick_whole(nd, k, r, &a);
	place_view_take(&v, -1, 0, r->cpus_milli, r->mem_mb);
	for (k = 0; k < a.ngpus; k++)
		place_view_take(&v, a.gpus[k].gpu, a.gpus[k].milli, 0, 0);
	place_fgd_note(nb, mode, place_frag_view(&v, m) - f0, &v, i, -1);
}

/* Fills a from the best candidate. */
static void
place_fgd_fill(const struct cluster *c, const struct req *r,
    const struct place_fgd_best *b, struct alloc *a)
{
	const struct node *nd = &c->nodes[b->node];
	struct alloc one;
	int32_t g = b->gpu;

	a->node = (int32_t)b->node;
	if (place_req_whole(r) > 0) {
		place_pick_whole(nd, place_req_whole(r), r, a);
		return;
	}
	if (g < 0)
		return;
	if (nd->gpus[g].free_milli >= MODEL_GPU_MILLI) {
		/* Whole free GPUs tie: keep the busy one's neighbour. */
		memset(&one, 0, sizeof(one));
		place_pick_whole(nd, 1, r, &one);
		if (one.ngpus == 1 &&
		    place_gpu_need(&nd->gpus[one.gpus[0].gpu], r) > 0 &&
		    nd->gpus[one.gpus[0].gpu].mem_mb == nd->gpus[g].mem_mb)
			g = one.gpus[0].gpu;
	}
	place_alloc_gpu(a, nd, g, r);
}

/* Node i's best candidate for r, measured (found 0: it does not fit). */
static void
place_fgd_node(const struct cluster *c, size_t i, const struct req *r,
    const struct place_mix *m, enum place_fgd_mode mode,
    struct place_fgd_best *nb)
{
	memset(nb, 0, sizeof(*nb));
	if (!place_node_fits(&c->nodes[i], r))
		return;
	if (place_req_gpu(r) && place_req_whole(r) == 0)
		place_fgd_share(&c->nodes[i], i, r, m, mode, nb);
	else
		place_fgd_other(&c->nodes[i], i, r, m, mode, nb);
}

/*
 * Node i's candidate, from the memo when a node in the same state was
 * measured for the same request (the index gives the state).
 */
static void
place_fgd_memo_node(const struct cluster *c, size_t i, const struct req *r,
    const struct place_ctx *ctx, enum place_fgd_mode mode, uint64_t rq,
    struct place_fgd_best *nb)
{
	const struct place_sum *s = place_index_sum(ctx, c, i);
	int found;

	if (s != NULL && ctx->memo != NULL &&
	    place_memo_get(ctx->memo, s->hash, rq, &found, &nb->score, &nb->tie,
	        &nb->gpu)) {
		nb->found = found;
		nb->node = i;
		return;
	}
	place_fgd_node(c, i, r, ctx->mix, mode, nb);
	if (s != NULL)
		place_memo_put(ctx->memo, s->hash, rq, nb->found, nb->score,
		    nb->tie, nb->gpu);
}

/* The best candidate over the cluster; the index skips what cannot fit. */
static void
place_fgd_search(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, enum place_fgd_mode mode,
    struct place_fgd_best *b)
{
	struct place_fgd_best nb;
	uint64_t rq = ctx->memo != NULL ? place_memo_req(r, (int)mode) : 0;
	size_t i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < c->nnodes; i++) {
		if (!place_index_may_fit(ctx, c, i, r))
			continue;
		place_fgd_memo_node(c, i, r, ctx, mode, rq, &nb);
		place_fgd_offer(b, &nb);
	}
}

/* The search; best fit when there is no mix. */
static int
place_fgd_run(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, enum place_fgd_mode mode, struct alloc *a,
    enum wait_reason *why)
{
	struct place_ctx plain;
	struct place_fgd_best b;

	if (ctx->mix == NULL || ctx->mix->ntypes == 0)
		return place_bestfit_find(c, r, ctx, a, why);
	place_fgd_search(c, r, ctx, mode, &b);
	if (b.found && !place_node_fits(&c->nodes[b.node], r)) {
		/* A stale index or memo: measure every node instead. */
		plain = *ctx;
		plain.index = NULL;
		plain.memo = NULL;
		place_fgd_search(c, r, &plain, mode, &b);
	}
	if (!b.found) {
		*why = place_why_ctx(ctx, c, r);
		return 0;
	}
	place_fgd_fill(c, r, &b, a);
	return 1;
}

int
place_fgd_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why)
{
	return place_fgd_run(c, r, ctx, PLACE_FGD_EXACT, a, why);
}

int
place_fgdk8s_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why)
{
	return place_fgd_run(c, r, ctx, PLACE_FGD_K8S, a, why);
}

int
place_fgdplus_find(const struct cluster *c, const struct req *r,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why)
{
	return place_fgd_run(c, r, ctx, PLACE_FGD_PLUS, a, why);
}
