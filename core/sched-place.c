/*
 * Placement for the policies: a job's node (or a gang's nodes) through
 * the strategies of core/place*.c, and the request mix FGD needs, made
 * once per plan from the pending and running jobs as a bounded histogram
 * of request kinds (GPUs per GPU, GPU memory, CPUs in powers of two, GPU
 * models).  Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/project.h"
#include "core/sched-place.h"

#define SCHED_PLACE_COVERAGE 0.95 /* FGD keeps the kinds making up this */
#define SCHED_PLACE_SEED     0x9e3779b97f4a7c15ULL

/* One kind of the histogram: a canonical request and how many. */
struct sched_place_kind {
	struct req r;
	uint64_t hash;
	double n;
};

struct sched_place_hist {
	struct sched_place_kind kinds[SCHED_PLACE_KINDS];
	int32_t slot[2 * SCHED_PLACE_KINDS]; /* indices + 1; 0 empty */
	int32_t nkinds;
};

/* CPUs to the nearest power of two, in whole CPUs (milli). */
static int32_t
sched_place_cpus(int32_t milli)
{
	int32_t p = 1000;

	while (p < milli && p < (1 << 20))
		p *= 2;
	if (p > 1000 && milli - p / 2 < p - milli)
		p /= 2;
	return p;
}

static uint64_t
sched_place_hash(const struct req *r)
{
	uint64_t h = 1469598103934665603ULL;
	const char *s;

	h = (h ^ (uint64_t)r->gpus_milli) * 1099511628211ULL;
	h = (h ^ (uint64_t)r->gpu_mem_mb) * 1099511628211ULL;
	h = (h ^ (uint64_t)r->cpus_milli) * 1099511628211ULL;
	for (s = r->gpu_model; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The kind a request counts as. */
static void
sched_place_canon(const struct req *from, struct req *r)
{
	memset(r, 0, sizeof(*r));
	r->gpus_milli = from->gpus_milli;
	if (from->gpus_milli == 0 && from->gpu_mem_mb > 0)
		r->gpu_mem_mb = (from->gpu_mem_mb + 1023) / 1024 * 1024;
	r->cpus_milli =
	    sched_place_cpus(from->cpus_milli > 0 ? from->cpus_milli : 1000);
	memcpy(r->gpu_model, from->gpu_model, sizeof(r->gpu_model));
}

static int
sched_place_same(const struct req *a, const struct req *b)
{
	return a->gpus_milli == b->gpus_milli &&
	    a->gpu_mem_mb == b->gpu_mem_mb && a->cpus_milli == b->cpus_milli &&
	    strcmp(a->gpu_model, b->gpu_model) == 0;
}

/* Counts one request; kinds past the bound are left out. */
static void
sched_place_count(struct sched_place_hist *h, const struct req *from)
{
	struct sched_place_kind *k;
	struct req r;
	uint64_t hv;
	size_t i;

	if (from->gpus_milli <= 0 && from->gpu_mem_mb <= 0)
		return; /* CPU-only jobs leave GPUs alone */
	sched_place_canon(from, &r);
	hv = sched_place_hash(&r);
	for (i = hv & (2 * SCHED_PLACE_KINDS - 1); h->slot[i] != 0;
	     i = (i + 1) & (2 * SCHED_PLACE_KINDS - 1)) {
		k = &h->kinds[h->slot[i] - 1];
		if (k->hash == hv && sched_place_same(&k->r, &r)) {
			k->n += 1;
			return;
		}
	}
	if (h->nkinds == SCHED_PLACE_KINDS)
		return;
	k = &h->kinds[h->nkinds];
	k->r = r;
	k->hash = hv;
	k->n = 1;
	h->slot[i] = ++h->nkinds;
}

/* A deterministic sample: every job when few, else one in `every`. */
static int
sched_place_sampled(int64_t id, uint64_t every)
{
	uint64_t z = (uint64_t)id * 0x9e3779b97f4a7c15ULL;

	return every <= 1 || (z >> 32) % every == 0;
}

static void
sched_place_count_all(struct sched_place_hist *h,
    const struct job_core *const *v, size_t n)
{
	uint64_t every = n / SCHED_PLACE_SAMPLE + 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (sched_place_sampled(v[i]->id, every))
			sched_place_count(h, &v[i]->req);
}

void
sched_place_mix(struct sched_placer *pl, const struct job_core *const *v,
    size_t n, const struct job_core *const *w, size_t nw)
{
	struct sched_place_hist *h = xcalloc(1, sizeof(*h));
	int32_t i;

	place_mix_done(&pl->mix);
	place_mix_init(&pl->mix, 0);
	sched_place_count_all(h, v, n);
	sched_place_count_all(h, w, nw);
	for (i = 0; i < h->nkinds; i++)
		place_mix_add(&pl->mix, &h->kinds[i].r, h->kinds[i].n);
	place_mix_finish(&pl->mix, SCHED_PLACE_COVERAGE);
	free(h);
}

void
sched_place_init(struct sched_placer *pl, const struct sched_input *in)
{
	const struct policy_params *pp =
	    in->projects != NULL ? &in->projects->params : NULL;

	memset(pl, 0, sizeof(*pl));
	place_mix_init(&pl->mix, 0);
	pl->share = pp != NULL && pp->place_share != NULL ?
	    pp->place_share :
	    place_strategy_default();
	pl->whole = pp != NULL && pp->place_whole != NULL ?
	    pp->place_whole :
	    place_strategy_find("bestfit");
	pl->rng = SCHED_PLACE_SEED ^ (uint64_t)in->now;
	pl->ctx.mix = &pl->mix;
	pl->ctx.rng = &pl->rng;
	pl->memo = place_memo_new();
	pl->ctx.memo = pl->memo;
	if (strncmp(pl->share->name, "fgd", 3) == 0)
		sched_place_mix(pl, in->pending, in->npending, in->running,
		    in->nrunning);
}

void
sched_place_done(struct sched_placer *pl)
{
	int i;

	for (i = 0; i < SCHED_PLACE_VIEWS; i++)
		place_index_done(&pl->index[i]);
	place_memo_free(pl->memo);
	place_mix_done(&pl->mix);
	pl->memo = NULL;
}

static struct place_index *
sched_place_index_of(struct sched_placer *pl, const struct cluster *c)
{
	int i;

	for (i = 0; i < SCHED_PLACE_VIEWS; i++)
		if (pl->index[i].sum != NULL && pl->index[i].c == c)
			return &pl->index[i];
	return NULL;
}

void
sched_place_track(struct sched_placer *pl, const struct cluster *c)
{
	int i;

	sched_place_untrack(pl, c);
	for (i = 0; i < SCHED_PLACE_VIEWS; i++)
		if (pl->index[i].sum == NULL) {
			place_index_init(&pl->index[i], c);
			return;
		}
}

void
sched_place_untrack(struct sched_placer *pl, const struct cluster *c)
{
	struct place_index *x = sched_place_index_of(pl, c);

	if (x != NULL)
		place_index_done(x);
}

void
sched_place_touch(struct sched_placer *pl, const struct cluster *c,
    const struct alloc *a, int32_t n)
{
	struct place_index *x = sched_place_index_of(pl, c);
	int32_t i;

	for (i = 0; x != NULL && i < n; i++)
		place_index_touch(x, a[i].node);
}

/* The strategy for r: shares by one, whole GPUs and CPU-only by other. */
static const struct place_strategy *
sched_place_for(const struct sched_placer *pl, const struct req *r)
{
	if (r->gpus_milli >= MODEL_GPU_MILLI ||
	    (r->gpus_milli == 0 && r->gpu_mem_mb == 0))
		return pl->whole;
	return pl->share;
}

/* One node's part of r: 1 placed, 0 not (why). */
static int
sched_place_one(const struct sched_placer *pl, const struct cluster *c,
    const struct req *r, struct alloc *a, enum wait_reason *why)
{
	struct place_ctx ctx = pl->ctx;
	int rc, i;

	for (i = 0; i < SCHED_PLACE_VIEWS; i++)
		if (pl->index[i].sum != NULL && pl->index[i].c == c)
			ctx.index = &pl->index[i];
	rc = place_find(sched_place_for(pl, r), c, r, &ctx, a, why);

	if (rc < 0) {
		*why = WAIT_RESOURCES;
		return 0;
	}
	return rc;
}

int
sched_place_on(const struct sched_placer *pl, const struct cluster *c,
    int32_t n, const struct req *r, struct alloc *a)
{
	struct cluster one;
	enum wait_reason why;

	if (!place_node_fits(&c->nodes[n], r) ||
	    !model_gpu_model_ok(r->gpu_model,
	        c->nodes[n].ngpus > 0 ? c->nodes[n].gpus[0].model : ""))
		return 0;
	one.nodes = &c->nodes[n];
	one.nnodes = 1;
	if (!sched_place_one(pl, &one, r, a, &why))
		return 0;
	a->node = n;
	return 1;
}

/* One node's candidate for a gang: whole-free GPUs it would have left. */
struct sched_gang_cand {
	int32_t left;
	int32_t node;
};

static int
sched_place_gang_cmp(const void *pa, const void *pb)
{
	const struct sched_gang_cand *a = pa, *b = pb;

	if (a->left != b->left)
		return a->left < b->left ? -1 : 1;
	return a->node < b->node ? -1 : a->node > b->node;
}

static int32_t
sched_place_whole_free(const struct node *nd)
{
	int32_t g, n = 0;

	for (g = 0; g < nd->ngpus; g++)
		n += nd->gpus[g].free_milli >= MODEL_GPU_MILLI &&
		    nd->gpus[g].free_mem_mb >= nd->gpus[g].mem_mb;
	return n;
}

/*
 * A gang: the nodes that would be left with the fewest whole-free GPUs
 * (bin-packing, keeping whole nodes for the next gang; the most with
 * spread), distinct, all at once.
 */
static int
sched_place_gang(const struct sched_placer *pl, const struct cluster *c,
    const struct req *r, int32_t skip, int32_t want, struct alloc *allocs,
    int32_t *n, enum wait_reason *why)
{
	struct sched_gang_cand *cand;
	int32_t k = 0, i, sign;
	struct alloc a;

	sign = strcmp(sched_place_for(pl, r)->name, "spread") == 0 ? -1 : 1;
	cand = xreallocarray(NULL, c->nnodes + 1, sizeof(*cand));
	for (i = 0; (size_t)i < c->nnodes; i++) {
		if (i == skip || !sched_place_on(pl, c, i, r, &a))
			continue;
		cand[k].left =
		    sign * (sched_place_whole_free(&c->nodes[i]) - a.ngpus);
		cand[k++].node = i;
	}
	if (k < want) {
		free(cand);
		if (k > 0)
			*why = WAIT_GANG;
		else
			(void)sched_place_one(pl, c, r, &a, why);
		return 0;
	}
	qsort(cand, (size_t)k, sizeof(*cand), sched_place_gang_cmp);
	for (i = 0; i < want; i++)
		(void)sched_place_on(pl, c, cand[i].node, r, &allocs[i]);
	*n = want;
	free(cand);
	return 1;
}

int
sched_place_job(const struct sched_placer *pl, const struct cluster *c,
    const struct req *r, struct alloc *allocs, int32_t *n,
    enum wait_reason *why)
{
	*n = 0;
	*why = WAIT_RESOURCES;
	if (model_req_nodes(r) > MODEL_MAX_GANG_NODES)
		return 0;
	if (model_req_nodes(r) > 1)
		return sched_place_gang(pl, c, r, -1, model_req_nodes(r),
		    allocs, n, why);
	if (!sched_place_one(pl, c, r, &allocs[0], why))
		return 0;
	*n = 1;
	return 1;
}

int
sched_place_pinned(const struct sched_placer *pl, const struct cluster *c,
    const struct req *r, const struct alloc *pin, struct alloc *allocs,
    int32_t *n, enum wait_reason *why)
{
	int32_t m = 0;

	*n = 0;
	*why = WAIT_RESOURCES;
	if (!sched_place_pin_free(c, pin) ||
	    model_req_nodes(r) > MODEL_MAX_GANG_NODES)
		return 0;
	allocs[0] = *pin;
	if (model_req_nodes(r) > 1 &&
	    !sched_place_gang(pl, c, r, pin->node, model_req_nodes(r) - 1,
	        allocs + 1, &m, why))
		return 0;
	*n = m + 1;
	return 1;
}

int
sched_place_pin_free(const struct cluster *c, const struct alloc *pin)
{
	const struct node *nd;
	const struct gpu *g;
	int32_t i;

	if (pin->node < 0 || (size_t)pin->node >= c->nnodes)
		return 0;
	nd = &c->nodes[pin->node];
	if (nd->free_cpus_milli < pin->cpus_milli ||
	    nd->free_mem_mb < pin->mem_mb)
		return 0;
	for (i = 0; i < pin->ngpus; i++) {
		if (pin->gpus[i].gpu < 0 || pin->gpus[i].gpu >= nd->ngpus)
			return 0;
		g = &nd->gpus[pin->gpus[i].gpu];
		if (g->free_milli < pin->gpus[i].milli ||
		    g->free_mem_mb < pin->gpus[i].mem_mb)
			return 0;
	}
	return 1;
}
