/*
 * Scheduling: the policy table, plans, and placement shared by policies.
 * Pure: no I/O, no clock.  docs/internals/scheduling-fifo.md explains the
 * placement rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/sched.h"

static const struct sched_policy sched_policies[] = {
	{ "fairshare",
	    "quotas, fair share, backfill with reservations, preemption "
	    "(the default)",
	    sched_fairshare_plan },
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

static const char *const sched_risk_names[RISK_NLEVELS] = {
	"none",
	"protected",
	"in-quota",
	"borrowed",
	"stopping",
};

const char *
sched_risk_name(enum risk_level r)
{
	if ((int)r < 0 || r >= RISK_NLEVELS)
		return "none";
	return sched_risk_names[r];
}

const char *
sched_preempt_name(enum preempt_why w)
{
	switch (w) {
	case PREEMPT_RECLAIM:
		return "reclaim";
	case PREEMPT_PRIORITY:
		return "priority";
	default:
		return "none";
	}
}

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
plan_reset(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->ndecisions; i++)
		free(p->decisions[i].gang);
	p->ndecisions = 0;
	p->nwaiting = 0;
	p->nrisks = 0;
}

void
plan_done(struct plan *p)
{
	plan_reset(p);
	free(p->decisions);
	free(p->waiting);
	free(p->risks);
	plan_init(p);
}

static struct decision *
plan_new_decision(struct plan *p, enum decision_kind kind, int64_t job_id,
    const struct alloc *a)
{
	struct decision *d;

	if (p->ndecisions == p->cap_decisions) {
		p->cap_decisions = p->cap_decisions ? p->cap_decisions * 2 : 16;
		p->decisions = xreallocarray(p->decisions, p->cap_decisions,
		    sizeof(*p->decisions));
	}
	d = &p->decisions[p->ndecisions++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->job_id = job_id;
	d->alloc = *a;
	return d;
}

void
plan_add_start(struct plan *p, int64_t job_id, const struct alloc *a)
{
	plan_new_decision(p, DECIDE_START, job_id, a);
}

void
plan_add_gang(struct plan *p, int64_t job_id, const struct alloc *allocs,
    int32_t n)
{
	struct decision *d = plan_new_decision(p, DECIDE_START, job_id, allocs);

	if (n <= 1)
		return;
	d->ngang = n - 1;
	d->gang = xreallocarray(NULL, (size_t)n - 1, sizeof(*d->gang));
	memcpy(d->gang, allocs + 1, ((size_t)n - 1) * sizeof(*d->gang));
}

void
plan_add_preempt(struct plan *p, int64_t job_id, int64_t for_job,
    enum preempt_why why, const struct alloc *a)
{
	struct decision *d = plan_new_decision(p, DECIDE_PREEMPT, job_id, a);

	d->why = why;
	d->for_job = for_job;
}

void
plan_add_wait(struct plan *p, const struct waiting *w)
{
	if (p->nwaiting == p->cap_waiting) {
		p->cap_waiting = p->cap_waiting ? p->cap_waiting * 2 : 16;
		p->waiting = xreallocarray(p->waiting, p->cap_waiting,
		    sizeof(*p->waiting));
	}
	p->waiting[p->nwaiting++] = *w;
}

void
plan_add_waiting(struct plan *p, int64_t job_id, enum wait_reason r,
    int32_t position)
{
	struct waiting w;

	memset(&w, 0, sizeof(w));
	w.job_id = job_id;
	w.reason = r;
	w.position = position;
	plan_add_wait(p, &w);
}

void
plan_add_risk(struct plan *p, int64_t job_id, enum risk_level level,
    int64_t until)
{
	struct risk *r;

	if (p->nrisks == p->cap_risks) {
		p->cap_risks = p->cap_risks ? p->cap_risks * 2 : 16;
		p->risks =
		    xreallocarray(p->risks, p->cap_risks, sizeof(*p->risks));
	}
	r = &p->risks[p->nrisks++];
	r->job_id = job_id;
	r->level = level;
	r->until = until;
}

const struct waiting *
plan_find_waiting(const struct plan *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->nwaiting; i++)
		if (p->waiting[i].job_id == id)
			return &p->waiting[i];
	return NULL;
}

const struct decision *
plan_find_start(const struct plan *p, int64_t id)
{
	size_t i;

	for (i = 0; i < p->ndecisions; i++)
		if (p->decisions[i].kind == DECIDE_START &&
		    p->decisions[i].job_id == id)
			return &p->decisions[i];
	return NULL;
}

/* True when GPU model m is one of the '|'-separated names of want. */

int
sched_node_where(const struct node *nd, const struct req *r)
{
	if (r->pool[0] != '\0' && strcmp(r->pool, nd->pool) != 0)
		return 0;
	if (r->gpu_model[0] != '\0' &&
	    (nd->ngpus == 0 ||
	        !model_gpu_model_ok(r->gpu_model, nd->gpus[0].model)))
		return 0;
	return model_node_labels_ok(nd, r);
}

/*
 * True when nd is where r may run and has the CPUs and host memory r asks
 * for free.
 */
static int
sched_node_room(const struct node *nd, const struct req *r)
{
	return nd->free_cpus_milli >= r->cpus_milli &&
	    nd->free_mem_mb >= r->mem_mb && sched_node_where(nd, r);
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

int
sched_node_ok(const struct node *nd, const struct req *r)
{
	return sched_node_room(nd, r);
}

static int sched_share_on(const struct gpu *g, const struct req *r,
    int32_t *milli, int64_t *mem_mb);

int
sched_node_fits(const struct node *nd, const struct req *r)
{
	int32_t g, milli;
	int64_t mem;

	if (!sched_node_room(nd, r))
		return 0;
	if (r->gpus_milli >= MODEL_GPU_MILLI)
		return sched_node_whole_free(nd) >=
		    r->gpus_milli / MODEL_GPU_MILLI;
	if (r->gpus_milli == 0 && r->gpu_mem_mb == 0)
		return 1;
	for (g = 0; g < nd->ngpus; g++)
		if (sched_share_on(&nd->gpus[g], r, &milli, &mem) &&
		    milli <= nd->gpus[g].free_milli &&
		    mem <= nd->gpus[g].free_mem_mb)
			return 1;
	return 0;
}

/* One node's candidate for a gang: whole-free GPUs it would have left. */
struct sched_gang_cand {
	int32_t left;
	int32_t node;
};

static int
sched_gang_cmp(const void *pa, const void *pb)
{
	const struct sched_gang_cand *a = pa, *b = pb;

	if (a->left != b->left)
		return a->left < b->left ? -1 : 1;
	return a->node < b->node ? -1 : a->node > b->node;
}

/* Places r on node i alone; 1 when it fits there. */
static int
sched_place_on(const struct cluster *c, int32_t i, const struct req *r,
    struct alloc *a)
{
	struct cluster one;
	enum wait_reason why;

	if (!sched_node_fits(&c->nodes[i], r))
		return 0;
	one.nodes = &c->nodes[i];
	one.nnodes = 1;
	if (!sched_place(&one, r, a, &why))
		return 0;
	a->node = i;
	return 1;
}

/*
 * A gang: the nodes that would be left with the fewest whole-free GPUs
 * (bin-packing, as for one node), distinct, all at once.
 */
static int
sched_place_gang(const struct cluster *c, const struct req *r,
    struct alloc *allocs, int32_t *n, enum wait_reason *reason)
{
	struct sched_gang_cand *cand;
	int32_t k = 0, want = model_req_nodes(r), i;
	struct alloc a;

	cand = xreallocarray(NULL, c->nnodes + 1, sizeof(*cand));
	for (i = 0; (size_t)i < c->nnodes; i++) {
		if (!sched_place_on(c, i, r, &a))
			continue;
		cand[k].left = sched_node_whole_free(&c->nodes[i]) - a.ngpus;
		cand[k++].node = i;
	}
	if (k < want) {
		free(cand);
		if (k > 0)
			*reason = WAIT_GANG;
		else
			(void)sched_place(c, r, &a, reason);
		return 0;
	}
	qsort(cand, (size_t)k, sizeof(*cand), sched_gang_cmp);
	for (i = 0; i < want; i++)
		(void)sched_place_on(c, cand[i].node, r, &allocs[i]);
	*n = want;
	free(cand);
	return 1;
}

int
sched_place_job(const struct cluster *c, const struct req *r,
    struct alloc *allocs, int32_t *n, enum wait_reason *reason)
{
	*n = 0;
	if (model_req_nodes(r) > MODEL_MAX_GANG_NODES) {
		*reason = WAIT_RESOURCES;
		return 0;
	}
	if (model_req_nodes(r) > 1)
		return sched_place_gang(c, r, allocs, n, reason);
	if (!sched_place(c, r, &allocs[0], reason))
		return 0;
	*n = 1;
	return 1;
}

static char *
sched_hint_limit(const struct sched_hint *h, char *out, size_t n)
{
	char a[32], b[32];

	snprintf(out, n,
	    "its %s%s holds %s of its limit of %s GPUs: it starts when "
	    "enough of them end",
	    h->text[0] ? "department " : "project", h->text,
	    units_fmt_gpus((int32_t)h->value, a, sizeof(a)),
	    units_fmt_gpus((int32_t)h->value2, b, sizeof(b)));
	return out;
}

static char *
sched_hint_quota(const struct sched_hint *h, char *out, size_t n)
{
	char a[32], b[32];

	snprintf(out, n,
	    "its %s%s already holds %s GPUs (deserved %s): more runs only "
	    "on idle GPUs",
	    h->text[0] ? "department " : "project", h->text,
	    units_fmt_gpus((int32_t)h->value, a, sizeof(a)),
	    units_fmt_gpus((int32_t)h->value2, b, sizeof(b)));
	return out;
}

static char *
sched_hint_wait(const struct sched_hint *h, char *out, size_t n)
{
	char a[32];

	switch (h->kind) {
	case HINT_SHORTER:
		snprintf(out, n,
		    "a time limit under %s would start it now (backfill)",
		    units_fmt_duration(h->value, a, sizeof(a)));
		break;
	case HINT_FREES:
		snprintf(out, n, "enough capacity frees up in ~%s",
		    units_fmt_duration(h->value, a, sizeof(a)));
		break;
	case HINT_SWAP:
		snprintf(out, n, "job %lld is being swapped out for it (~%s)",
		    (long long)h->job_id,
		    units_fmt_duration(h->value, a, sizeof(a)));
		break;
	case HINT_PREEMPTS:
		snprintf(out, n, "swapping out %lld job%s to make room for it",
		    (long long)h->value, h->value == 1 ? "" : "s");
		break;
	default:
		out[0] = '\0';
	}
	return out;
}

char *
sched_hint_text(const struct waiting *w, int64_t now, char *out, size_t n)
{
	const struct sched_hint *h = &w->hint;
	char a[32];

	(void)now;
	switch (h->kind) {
	case HINT_SMALLER:
		snprintf(out, n, "--gpus %s would start now",
		    units_fmt_gpus((int32_t)h->value, a, sizeof(a)));
		break;
	case HINT_POOL:
		if (h->text[0] != '\0')
			snprintf(out, n, "pool %s has room now", h->text);
		else
			snprintf(out, n,
			    "it would start now without its pool, model or "
			    "labels");
		break;
	case HINT_LIMIT:
		return sched_hint_limit(h, out, n);
	case HINT_QUOTA:
		return sched_hint_quota(h, out, n);
	case HINT_NODES:
		snprintf(out, n, "%lld of the %lld nodes it needs are free now",
		    (long long)h->value, (long long)h->value2);
		break;
	case HINT_HELD:
		snprintf(out, n, "held: it starts once released");
		break;
	case HINT_DEPENDENCY:
		snprintf(out, n, "waits for the jobs it depends on");
		break;
	default:
		return sched_hint_wait(h, out, n);
	}
	return out;
}

char *
sched_risk_text(const struct risk *r, int64_t now, char *out, size_t n)
{
	char a[32];

	switch (r->level) {
	case RISK_PROTECTED:
		snprintf(out, n,
		    "inside its minimum runtime for another %s: not swapped "
		    "out before",
		    units_fmt_duration(r->until - now, a, sizeof(a)));
		break;
	case RISK_IN_QUOTA:
		snprintf(out, n,
		    "inside its project's deserved quota: only a higher class "
		    "of its own project may swap it out");
		break;
	case RISK_BORROWED:
		snprintf(out, n,
		    "runs on borrowed GPUs: swapped out if another project "
		    "needs its deserved quota back");
		break;
	case RISK_STOPPING:
		snprintf(out, n, "being stopped or swapped out now");
		break;
	default:
		snprintf(out, n, "not preemptible");
	}
	return out;
}
