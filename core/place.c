/*
 * Placement: the strategy table, the entry point and the helpers every
 * strategy shares (constraints, GPU shares, GPUs that sit together, why a
 * request waits).  Pure: no I/O, no clock; randomness only from a state
 * the caller passes in.
 */
#include <string.h>
#include <sys/types.h>

#include "core/base/error.h"
#include "core/place.h"

static int place_whole_free(const struct gpu *g, const struct req *r);

static const struct place_strategy place_table[] = {
	{ "fgd+",
	    "FGD in steps of 0.1 GPU, ties to the tightest GPU, then "
	    "first fit (the default)",
	    place_fgdplus_find },
	{ "fgd", "fragmentation gradient descent (Weng et al., ATC'23)",
	    place_fgd_find },
	{ "fgd-k8s",
	    "FGD scored as the FGD artifact's Kubernetes plugin "
	    "does (coarse scores)",
	    place_fgdk8s_find },
	{ "bestfit", "the node and GPU left with the least free capacity",
	    place_bestfit_find },
	{ "spread", "the node and GPU left with the most free capacity",
	    place_spread_find },
	{ "random", "a node and GPU drawn at random among those that fit",
	    place_random_find },
};

#define PLACE_NSTRATEGIES (sizeof(place_table) / sizeof(place_table[0]))

const struct place_strategy *
place_strategy_find(const char *name)
{
	size_t i;

	for (i = 0; i < PLACE_NSTRATEGIES; i++)
		if (strcmp(place_table[i].name, name) == 0)
			return &place_table[i];
	return NULL;
}

const struct place_strategy *
place_strategy_default(void)
{
	return &place_table[0];
}

const struct place_strategy *
place_strategies(size_t *n)
{
	*n = PLACE_NSTRATEGIES;
	return place_table;
}

int
place_node_ok(const struct node *nd, const struct req *r)
{
	if (nd->free_cpus_milli < r->cpus_milli || nd->free_mem_mb < r->mem_mb)
		return 0;
	if (r->pool[0] != '\0' && strcmp(r->pool, nd->pool) != 0)
		return 0;
	return r->labels[0] == '\0' || model_node_labels_ok(nd, r);
}

int32_t
place_req_whole(const struct req *r)
{
	return r->gpus_milli >= MODEL_GPU_MILLI ?
	    r->gpus_milli / MODEL_GPU_MILLI :
	    0;
}

int
place_req_gpu(const struct req *r)
{
	return r->gpus_milli > 0 || r->gpu_mem_mb > 0;
}

/* The GPU memory a share of milli on g stands for. */
static int64_t
place_share_mem(const struct gpu *g, const struct req *r, int32_t milli)
{
	if (r->gpu_mem_mb > 0)
		return r->gpu_mem_mb;
	return (int64_t)milli * g->mem_mb / MODEL_GPU_MILLI;
}

int32_t
place_gpu_need(const struct gpu *g, const struct req *r)
{
	int32_t milli;

	if (r->gpu_model[0] != '\0' &&
	    !model_gpu_model_ok(r->gpu_model, g->model))
		return 0;
	if (r->gpus_milli >= MODEL_GPU_MILLI)
		return place_whole_free(g, r) ? MODEL_GPU_MILLI : 0;
	milli = model_req_milli_on(r, g->mem_mb);
	if (milli <= 0 || milli > MODEL_GPU_MILLI || milli > g->free_milli)
		return 0;
	return place_share_mem(g, r, milli) <= g->free_mem_mb ? milli : 0;
}

int32_t
place_gpus_fit(const struct node *nd, const struct req *r)
{
	int32_t g, n = 0;

	for (g = 0; g < nd->ngpus; g++)
		n += place_gpu_need(&nd->gpus[g], r) > 0;
	return n;
}

void
place_alloc_gpu(struct alloc *a, const struct node *nd, int32_t g,
    const struct req *r)
{
	const struct gpu *gp = &nd->gpus[g];
	int32_t milli;

	if (a->ngpus >= MODEL_MAX_JOB_GPUS)
		return;
	if (r->gpus_milli >= MODEL_GPU_MILLI) {
		milli = MODEL_GPU_MILLI;
		a->gpus[a->ngpus].mem_mb = gp->mem_mb;
	} else {
		milli = model_req_milli_on(r, gp->mem_mb);
		a->gpus[a->ngpus].mem_mb = place_share_mem(gp, r, milli);
	}
	a->gpus[a->ngpus].gpu = g;
	a->gpus[a->ngpus].milli = milli;
	a->ngpus++;
}

/* True when GPU g is whole free and of a model r accepts. */
static int
place_whole_free(const struct gpu *g, const struct req *r)
{
	return g->free_milli >= MODEL_GPU_MILLI &&
	    g->free_mem_mb >= g->mem_mb &&
	    (r->gpu_model[0] == '\0' ||
	        model_gpu_model_ok(r->gpu_model, g->model));
}

/* Whole GPUs free for r in [from, to) of nd. */
static int32_t
place_free_in(const struct node *nd, const struct req *r, int32_t from,
    int32_t to)
{
	int32_t g, n = 0;

	if (to > nd->ngpus)
		to = nd->ngpus;
	for (g = from; g < to; g++)
		n += place_whole_free(&nd->gpus[g], r);
	return n;
}

/*
 * The aligned block of size b (a power of two, at least k) with k free
 * GPUs whose enclosing block of 2b has the fewest free GPUs: the buddy
 * rule, which keeps large blocks whole.  -1 when there is none.
 */
static int32_t
place_aligned_block(const struct node *nd, const struct req *r, int32_t k,
    int32_t b)
{
	int32_t s, f, best = -1, best_free = 0;

	for (s = 0; s + b <= nd->ngpus; s += b) {
		if (place_free_in(nd, r, s, s + b) < k)
			continue;
		f = place_free_in(nd, r, s - s % (2 * b),
		    s - s % (2 * b) + 2 * b);
		if (best < 0 || f < best_free) {
			best = s;
			best_free = f;
		}
	}
	return best;
}

/* The lowest start of k whole-free GPUs in a row, or -1. */
static int32_t
place_run(const struct node *nd, const struct req *r, int32_t k)
{
	int32_t g, run = 0;

	for (g = 0; g < nd->ngpus; g++) {
		run = place_free_in(nd, r, g, g + 1) ? run + 1 : 0;
		if (run == k)
			return g - k + 1;
	}
	return -1;
}

void
place_pick_whole(const struct node *nd, int32_t k, const struct req *r,
    struct alloc *a)
{
	int32_t b = 1, start, g, want = a->ngpus + k;

	while (b < k)
		b *= 2;
	start = place_aligned_block(nd, r, k, b);
	if (start < 0)
		start = place_run(nd, r, k);
	if (start < 0)
		start = 0;
	for (g = start; g < nd->ngpus && a->ngpus < want; g++)
		if (place_free_in(nd, r, g, g + 1))
			place_alloc_gpu(a, nd, g, r);
	for (g = 0; g < start && a->ngpus < want; g++)
		if (place_free_in(nd, r, g, g + 1))
			place_alloc_gpu(a, nd, g, r);
}

int32_t
place_share_gpu(const struct node *nd, const struct req *r, int tight)
{
	int32_t g, need, left, best = -1, best_left = 0, buddy;

	for (g = 0; g < nd->ngpus; g++) {
		if ((need = place_gpu_need(&nd->gpus[g], r)) == 0)
			continue;
		left = nd->gpus[g].free_milli - need;
		if (best < 0 || (tight ? left < best_left : left > best_left)) {
			best = g;
			best_left = left;
		}
	}
	if (best < 0 || !place_whole_free(&nd->gpus[best], r))
		return best;
	buddy = place_aligned_block(nd, r, 1, 1);
	if (buddy >= 0 && place_gpu_need(&nd->gpus[buddy], r) > 0)
		return buddy;
	return best;
}

int
place_node_fits(const struct node *nd, const struct req *r)
{
	int32_t k;

	if (!place_node_ok(nd, r))
		return 0;
	if (!place_req_gpu(r))
		return 1;
	k = place_req_whole(r);
	return place_gpus_fit(nd, r) >= (k > 0 ? k : 1);
}

void
place_cluster_scale(const struct cluster *c, double *cpus, double *gpus)
{
	size_t i;

	*cpus = 1;
	*gpus = 1;
	for (i = 0; i < c->nnodes; i++) {
		if (c->nodes[i].cpus_milli > *cpus)
			*cpus = c->nodes[i].cpus_milli;
		if (c->nodes[i].ngpus * (double)MODEL_GPU_MILLI > *gpus)
			*gpus = c->nodes[i].ngpus * (double)MODEL_GPU_MILLI;
	}
}

double
place_node_left(const struct node *nd, const struct req *r, double cpus,
    double gpus)
{
	double free_gpu = 0;
	int32_t g;

	for (g = 0; g < nd->ngpus; g++)
		if (nd->gpus[g].free_milli > 0)
			free_gpu += nd->gpus[g].free_milli;
	return 0.5 * (nd->free_cpus_milli - r->cpus_milli) / cpus +
	    0.5 * (free_gpu - r->gpus_milli) / gpus;
}

void
place_fill(const struct cluster *c, size_t n, const struct req *r, int tight,
    struct alloc *a)
{
	const struct node *nd = &c->nodes[n];
	int32_t g;

	a->node = (int32_t)n;
	if (place_req_whole(r) > 0)
		place_pick_whole(nd, place_req_whole(r), r, a);
	else if (place_req_gpu(r) && (g = place_share_gpu(nd, r, tight)) >= 0)
		place_alloc_gpu(a, nd, g, r);
}

/*
 * Free capacity of GPU g that r could use, in milli-GPUs: for a share,
 * the lesser of its free share and the share its free memory stands for,
 * none when r's share could never fit it.
 */
static int64_t
place_gpu_usable(const struct gpu *g, const struct req *r)
{
	int64_t f = g->free_milli > 0 ? g->free_milli : 0, m;
	int32_t need;

	if (r->gpus_milli >= MODEL_GPU_MILLI || f == 0)
		return f;
	need = model_req_milli_on(r, g->mem_mb);
	if (need <= 0 || need > MODEL_GPU_MILLI || g->mem_mb <= 0)
		return 0;
	m = g->free_mem_mb * MODEL_GPU_MILLI / g->mem_mb;
	return m < f ? m : f;
}

/* Free milli-GPUs r could use on nd, counting splits across GPUs. */
static int64_t
place_free_for(const struct node *nd, const struct req *r, int constrained)
{
	int64_t sum = 0;
	int32_t g;

	for (g = 0; g < nd->ngpus; g++) {
		if (constrained &&
		    !model_gpu_model_ok(r->gpu_model, nd->gpus[g].model))
			continue;
		sum += place_gpu_usable(&nd->gpus[g], r);
	}
	return sum;
}

enum wait_reason
place_why(const struct cluster *c, const struct req *r)
{
	struct req any = *r;
	int64_t need, ok = 0, all = 0, cpu = 0, mem = 0;
	size_t i;

	any.pool[0] = '\0';
	any.labels[0] = '\0';
	need = r->gpus_milli > 0 ? r->gpus_milli : 1;
	for (i = 0; i < c->nnodes; i++) {
		cpu += c->nodes[i].free_cpus_milli;
		mem += c->nodes[i].free_mem_mb;
		if (!place_node_ok(&c->nodes[i], &any))
			continue;
		all += place_free_for(&c->nodes[i], r, 0);
		if (place_node_ok(&c->nodes[i], r))
			ok += place_free_for(&c->nodes[i], r, 1);
	}
	if (!place_req_gpu(r))
		return cpu >= r->cpus_milli && mem >= r->mem_mb ?
		    WAIT_FRAGMENTED :
		    WAIT_RESOURCES;
	if (ok >= need)
		return WAIT_FRAGMENTED;
	return all >= need ? WAIT_POOL : WAIT_RESOURCES;
}

/*
 * place_why from the summaries: for requests without pool, labels, GPU
 * model or GPU memory, where the summaries hold all it reads.  -1 when
 * they cannot tell.
 */
static int
place_why_sums(const struct place_ctx *ctx, const struct cluster *c,
    const struct req *r)
{
	const struct place_sum *s;
	int64_t need, ok = 0, cpu = 0, mem = 0;
	size_t i;

	if (place_index_sum(ctx, c, 0) == NULL || r->pool[0] != '\0' ||
	    r->labels[0] != '\0' || r->gpu_model[0] != '\0' ||
	    (r->gpu_mem_mb > 0 && r->gpus_milli < MODEL_GPU_MILLI))
		return -1;
	need = r->gpus_milli > 0 ? r->gpus_milli : 1;
	for (i = 0; i < c->nnodes; i++) {
		s = &ctx->index->sum[i];
		cpu += s->cpus;
		mem += s->mem;
		if (s->cpus >= r->cpus_milli && s->mem >= r->mem_mb)
			ok += place_req_whole(r) > 0 ? s->total : s->usable;
	}
	if (!place_req_gpu(r))
		return cpu >= r->cpus_milli && mem >= r->mem_mb ?
		    WAIT_FRAGMENTED :
		    WAIT_RESOURCES;
	return ok >= need ? WAIT_FRAGMENTED : WAIT_RESOURCES;
}

enum wait_reason
place_why_ctx(const struct place_ctx *ctx, const struct cluster *c,
    const struct req *r)
{
	int why = place_why_sums(ctx, c, r);

	return why >= 0 ? (enum wait_reason)why : place_why(c, r);
}

/* Why r is malformed: the same rules as model_req_check. */
static int
place_req_valid(const struct req *r)
{
	if (r->gpus_milli < 0 || r->gpu_mem_mb < 0 || r->cpus_milli < 0 ||
	    r->mem_mb < 0)
		return 0;
	if (r->gpus_milli > MODEL_GPU_MILLI &&
	    r->gpus_milli % MODEL_GPU_MILLI != 0)
		return 0;
	if (r->gpus_milli >= MODEL_GPU_MILLI && r->gpu_mem_mb > 0)
		return 0;
	return r->gpus_milli <= MODEL_MAX_JOB_GPUS * MODEL_GPU_MILLI;
}

int
place_find(const struct place_strategy *s, const struct cluster *c,
    const struct req *req, const struct place_ctx *ctx, struct alloc *a,
    enum wait_reason *why)
{
	static const struct place_ctx none;
	struct req r = *req;

	if (s == NULL)
		s = place_strategy_default();
	if (ctx == NULL)
		ctx = &none;
	memset(a, 0, sizeof(*a));
	a->node = -1;
	*why = WAIT_RESOURCES;
	if (!place_req_valid(&r))
		return GQ_EINVAL;
	model_req_defaults(&r);
	if (!s->find(c, &r, ctx, a, why)) {
		memset(a, 0, sizeof(*a));
		a->node = -1;
		return 0;
	}
	a->cpus_milli = r.cpus_milli;
	a->mem_mb = r.mem_mb;
	*why = WAIT_NONE;
	return 1;
}

uint64_t
place_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
place_rng_below(uint64_t *state, uint64_t n)
{
	uint64_t x, floor;

	if (n <= 1)
		return 0;
	floor = (0 - n) % n;
	do
		x = place_rng_next(state);
	while (x < floor);
	return x % n;
}

/*
 * True when a node's summary tells exactly whether r fits it: whole GPUs
 * or none, with no pool, labels or GPU model to check.
 */
static int
place_sum_exact(const struct req *r)
{
	return (place_req_whole(r) > 0 || !place_req_gpu(r)) &&
	    r->pool[0] == '\0' && r->labels[0] == '\0' &&
	    r->gpu_model[0] == '\0';
}

/* What r would leave on node i: from its summary when that is exact. */
static int
place_left_of(const struct cluster *c, size_t i, const struct req *r,
    const struct place_ctx *ctx, const double scale[2], double *left)
{
	const struct place_sum *s;

	if (!place_index_may_fit(ctx, c, i, r))
		return 0;
	s = place_index_sum(ctx, c, i);
	if (s != NULL && place_sum_exact(r)) {
		*left = 0.5 * (s->cpus - r->cpus_milli) / scale[0] +
		    0.5 * ((double)s->total - r->gpus_milli) / scale[1];
		return 1;
	}
	if (!place_node_fits(&c->nodes[i], r))
		return 0;
	*left = place_node_left(&c->nodes[i], r, scale[0], scale[1]);
	return 1;
}

/* The node left with the least (tight) or most free; -1 when none. */
static ssize_t
place_by_left_node(const struct cluster *c, const struct req *r, int tight,
    const struct place_ctx *ctx)
{
	double scale[2], left, best_left = 0;
	ssize_t best = -1;
	size_t i;

	if (ctx != NULL && ctx->index != NULL && ctx->index->c == c) {
		scale[0] = ctx->index->cpus;
		scale[1] = ctx->index->gpus;
	} else
		place_cluster_scale(c, &scale[0], &scale[1]);
	for (i = 0; i < c->nnodes; i++) {
		if (!place_left_of(c, i, r, ctx, scale, &left))
			continue;
		if (best < 0 || (tight ? left < best_left : left > best_left)) {
			best_left = left;
			best = (ssize_t)i;
		}
	}
	return best;
}

int
place_by_left(const struct cluster *c, const struct req *r, int tight,
    const struct place_ctx *ctx, struct alloc *a, enum wait_reason *why)
{
	ssize_t best = place_by_left_node(c, r, tight, ctx);

	if (best >= 0 && !place_node_fits(&c->nodes[best], r)) {
		/* A stale summary: read every node instead. */
		best = place_by_left_node(c, r, tight, NULL);
	}
	if (best < 0) {
		*why = place_why_ctx(ctx, c, r);
		return 0;
	}
	place_fill(c, (size_t)best, r, tight, a);
	return 1;
}
