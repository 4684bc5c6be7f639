/*
 * Scheduling: the policy table, plans, and placement shared by policies.
 * Pure: no I/O, no clock.  docs/internals/scheduling-fifo.md explains the
 * placement rules.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched.h"

static const struct sched_policy sched_policies[] = {
	{ "fifo", "first come, first served; greedy, no reservations",
	    sched_fifo_plan },
};

#define SCHED_NPOLICIES (sizeof(sched_policies) / sizeof(sched_policies[0]))

static const char *const sched_reason_names[WAIT_NREASONS] = {
	"NONE",
	"RESOURCES",
	"FRAGMENTED",
	"PRIORITY",
	"QUOTA",
	"LIMIT",
	"GANG",
	"HELD",
	"DEPENDENCY",
	"POOL",
};

const char *
sched_reason_name(enum wait_reason r)
{
	if ((int)r < 0 || r >= WAIT_NREASONS)
		return "NONE";
	return sched_reason_names[r];
}

const struct sched_policy *
sched_policy_find(const char *name)
{
	size_t i;

	for (i = 0; i < SCHED_NPOLICIES; i++)
		if (strcmp(sched_policies[i].name, name) == 0)
			return &sched_policies[i];
	return NULL;
}

const struct sched_policy *
sched_policy_default(void)
{
	return &sched_policies[0];
}

void
plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void
plan_done(struct plan *p)
{
	free(p->decisions);
	free(p->waiting);
	plan_init(p);
}

void
plan_reset(struct plan *p)
{
	p->ndecisions = 0;
	p->nwaiting = 0;
}

void
plan_add_start(struct plan *p, int64_t job_id, const struct alloc *a)
{
	struct decision *d;

	if (p->ndecisions == p->cap_decisions) {
		p->cap_decisions = p->cap_decisions ? p->cap_decisions * 2 : 16;
		p->decisions = xreallocarray(p->decisions, p->cap_decisions,
		    sizeof(*p->decisions));
	}
	d = &p->decisions[p->ndecisions++];
	memset(d, 0, sizeof(*d));
	d->kind = DECIDE_START;
	d->job_id = job_id;
	d->alloc = *a;
}

void
plan_add_waiting(struct plan *p, int64_t job_id, enum wait_reason r,
    int32_t position)
{
	struct waiting *w;

	if (p->nwaiting == p->cap_waiting) {
		p->cap_waiting = p->cap_waiting ? p->cap_waiting * 2 : 16;
		p->waiting = xreallocarray(p->waiting, p->cap_waiting,
		    sizeof(*p->waiting));
	}
	w = &p->waiting[p->nwaiting++];
	w->job_id = job_id;
	w->reason = r;
	w->position = position;
}

/* True when nd has the CPUs and host memory r asks for free. */
static int
sched_node_room(const struct node *nd, const struct req *r)
{
	return nd->free_cpus_milli >= r->cpus_milli &&
	    nd->free_mem_mb >= r->mem_mb;
}

static int
sched_gpu_whole_free(const struct gpu *g)
{
	return g->free_milli >= MODEL_GPU_MILLI && g->free_mem_mb >= g->mem_mb;
}

static int32_t
sched_node_whole_free(const struct node *nd)
{
	int32_t g, n = 0;

	for (g = 0; g < nd->ngpus; g++)
		n += sched_gpu_whole_free(&nd->gpus[g]);
	return n;
}

/* Free GPU capacity, in milli-GPUs, on the nodes with room for r. */
static int64_t
sched_free_milli(const struct cluster *c, const struct req *r)
{
	int64_t sum = 0;
	size_t i;
	int32_t g;

	for (i = 0; i < c->nnodes; i++) {
		if (!sched_node_room(&c->nodes[i], r))
			continue;
		for (g = 0; g < c->nodes[i].ngpus; g++)
			if (c->nodes[i].gpus[g].free_milli > 0)
				sum += c->nodes[i].gpus[g].free_milli;
	}
	return sum;
}

static void
sched_alloc_gpu(struct alloc *a, int32_t g, int32_t milli, int64_t mem_mb)
{
	a->gpus[a->ngpus].gpu = g;
	a->gpus[a->ngpus].milli = milli;
	a->gpus[a->ngpus].mem_mb = mem_mb;
	a->ngpus++;
}

/* The lowest start of k whole-free GPUs in a row, or -1. */
static int32_t
sched_contiguous_run(const struct node *nd, int32_t k)
{
	int32_t g, run = 0;

	for (g = 0; g < nd->ngpus; g++) {
		run = sched_gpu_whole_free(&nd->gpus[g]) ? run + 1 : 0;
		if (run == k)
			return g - k + 1;
	}
	return -1;
}

/* Fills a with k whole GPUs of nd: a run if there is one, else lowest. */
static void
sched_pick_whole(const struct node *nd, int32_t k, struct alloc *a)
{
	int32_t g, start;

	start = sched_contiguous_run(nd, k);
	for (g = 0; g < nd->ngpus && a->ngpus < k; g++) {
		if (start >= 0 && g < start)
			continue;
		if (sched_gpu_whole_free(&nd->gpus[g]))
			sched_alloc_gpu(a, g, MODEL_GPU_MILLI,
			    nd->gpus[g].mem_mb);
	}
}

/*
 * Whole GPUs on one node: the node left with the fewest whole-free GPUs
 * (bin-packing keeps whole nodes free for big jobs), ties by index.
 */
static int
sched_place_whole(const struct cluster *c, const struct req *r, struct alloc *a,
    enum wait_reason *reason)
{
	int32_t k = r->gpus_milli / MODEL_GPU_MILLI, w, best_left = -1;
	size_t i, best = 0;

	for (i = 0; i < c->nnodes; i++) {
		if (!sched_node_room(&c->nodes[i], r))
			continue;
		w = sched_node_whole_free(&c->nodes[i]);
		if (w >= k && (best_left < 0 || w - k < best_left)) {
			best_left = w - k;
			best = i;
		}
	}
	if (best_left < 0) {
		*reason = sched_free_milli(c, r) >= r->gpus_milli ?
		    WAIT_FRAGMENTED :
		    WAIT_RESOURCES;
		return 0;
	}
	a->node = (int32_t)best;
	sched_pick_whole(&c->nodes[best], k, a);
	return 1;
}

/* The share r needs on g (milli and memory); 0 when it cannot fit g. */
static int
sched_share_on(const struct gpu *g, const struct req *r, int32_t *milli,
    int64_t *mem_mb)
{
	*milli = model_req_milli_on(r, g->mem_mb);
	if (*milli <= 0 || *milli > MODEL_GPU_MILLI)
		return 0;
	if (r->gpu_mem_mb > 0)
		*mem_mb = r->gpu_mem_mb;
	else
		*mem_mb = (int64_t)*milli * g->mem_mb / MODEL_GPU_MILLI;
	return *mem_mb <= g->mem_mb;
}

/*
 * How many times r would fit in the capacity left on the GPUs of nodes
 * with room, counting splits across GPUs: 1 or more means fragmented.
 */
static double
sched_share_units(const struct cluster *c, const struct req *r)
{
	const struct gpu *g;
	double u, sum = 0, um;
	int64_t mem;
	int32_t milli, j;
	size_t i;

	for (i = 0; i < c->nnodes; i++) {
		if (!sched_node_room(&c->nodes[i], r))
			continue;
		for (j = 0; j < c->nodes[i].ngpus; j++) {
			g = &c->nodes[i].gpus[j];
			if (!sched_share_on(g, r, &milli, &mem) ||
			    g->free_milli <= 0 || g->free_mem_mb <= 0)
				continue;
			u = (double)g->free_milli / milli;
			um = mem > 0 ? (double)g->free_mem_mb / mem : u;
			sum += u < um ? u : um;
		}
	}
	return sum;
}

/* Is (left, partly) a better fit than the best so far? */
static int
sched_share_better(int32_t left, int partly, int32_t best_left, int best_partly)
{
	if (best_left < 0 || left < best_left)
		return 1;
	return left == best_left && partly && !best_partly;
}

/*
 * A share of one GPU: best fit, the GPU left with the least free capacity,
 * ties to GPUs already partly used, then lower node and index.
 */
static int
sched_place_share(const struct cluster *c, const struct req *r, struct alloc *a,
    enum wait_reason *reason)
{
	const struct gpu *g;
	int32_t milli, j, best_left = -1, best_gpu = 0, best_milli = 0;
	int64_t mem, best_mem = 0;
	int partly, best_partly = 0;
	size_t i, best_node = 0;

	for (i = 0; i < c->nnodes; i++) {
		if (!sched_node_room(&c->nodes[i], r))
			continue;
		for (j = 0; j < c->nodes[i].ngpus; j++) {
			g = &c->nodes[i].gpus[j];
			if (!sched_share_on(g, r, &milli, &mem) ||
			    milli > g->free_milli || mem > g->free_mem_mb)
				continue;
			partly = g->free_milli < MODEL_GPU_MILLI;
			if (!sched_share_better(g->free_milli - milli, partly,
			        best_left, best_partly))
				continue;
			best_left = g->free_milli - milli;
			best_partly = partly;
			best_node = i;
			best_gpu = j;
			best_milli = milli;
			best_mem = mem;
		}
	}
	if (best_left < 0) {
		*reason = sched_share_units(c, r) >= 1.0 ? WAIT_FRAGMENTED :
		                                           WAIT_RESOURCES;
		return 0;
	}
	a->node = (int32_t)best_node;
	sched_alloc_gpu(a, best_gpu, best_milli, best_mem);
	return 1;
}

/*
 * A CPU-only job: the node with the least free GPU capacity (GPU nodes'
 * CPUs stay for GPU jobs), then the least free CPU left, then index.
 */
static int
sched_place_cpu(const struct cluster *c, const struct req *r, struct alloc *a,
    enum wait_reason *reason)
{
	struct cluster one;
	int64_t gpu, cpu, best_gpu = -1, best_cpu = 0, sum_cpu = 0, sum_mem = 0;
	size_t i, best = 0;

	for (i = 0; i < c->nnodes; i++) {
		sum_cpu += c->nodes[i].free_cpus_milli;
		sum_mem += c->nodes[i].free_mem_mb;
		if (!sched_node_room(&c->nodes[i], r))
			continue;
		one.nodes = &c->nodes[i];
		one.nnodes = 1;
		gpu = sched_free_milli(&one, r);
		cpu = c->nodes[i].free_cpus_milli - r->cpus_milli;
		if (best_gpu < 0 || gpu < best_gpu ||
		    (gpu == best_gpu && cpu < best_cpu)) {
			best_gpu = gpu;
			best_cpu = cpu;
			best = i;
		}
	}
	if (best_gpu < 0) {
		*reason = sum_cpu >= r->cpus_milli && sum_mem >= r->mem_mb ?
		    WAIT_FRAGMENTED :
		    WAIT_RESOURCES;
		return 0;
	}
	a->node = (int32_t)best;
	return 1;
}

int
sched_place(const struct cluster *c, const struct req *req, struct alloc *a,
    enum wait_reason *reason)
{
	struct req r = *req;
	int ok;

	model_req_defaults(&r);
	memset(a, 0, sizeof(*a));
	a->node = -1;
	*reason = WAIT_RESOURCES;
	if (r.gpus_milli < 0 || r.gpu_mem_mb < 0 ||
	    r.gpus_milli > MODEL_MAX_JOB_GPUS * MODEL_GPU_MILLI ||
	    (r.gpus_milli > MODEL_GPU_MILLI &&
	        r.gpus_milli % MODEL_GPU_MILLI != 0))
		return 0;
	if (r.gpus_milli >= MODEL_GPU_MILLI)
		ok = sched_place_whole(c, &r, a, reason);
	else if (r.gpus_milli > 0 || r.gpu_mem_mb > 0)
		ok = sched_place_share(c, &r, a, reason);
	else
		ok = sched_place_cpu(c, &r, a, reason);
	if (!ok)
		return 0;
	*reason = WAIT_NONE;
	a->cpus_milli = r.cpus_milli;
	a->mem_mb = r.mem_mb;
	return 1;
}
