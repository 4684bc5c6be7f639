/*
 * The default policy: quotas, fair share, backfill with reservations and
 * preemption (SCHEDULING.md; docs/scheduling.md explains it for admins).
 *
 * Admission order, recomputed as jobs are admitted: a project's next job
 * goes first when it fits the project's deserved quota (then by class,
 * priority, submit time); the other projects' next jobs follow by lowest
 * weighted dominant share (usage that decays, plus what is held now).
 * Inside a project: class, priority, the user's own standing among the
 * project's users, submit time.  Each job in that order starts if it fits
 * without delaying a reservation; the first blocked ones get reservations,
 * may claim room that stopping jobs free, or swap out victims.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

#define FS_SCAN 64 /* queued jobs looked past for one inside the quota */

/* The binary heap. */

static void
sched_fairshare_heap_swap(struct fs_heap *h, int32_t i, int32_t j)
{
	int32_t t = h->items[i];

	h->items[i] = h->items[j];
	h->items[j] = t;
	h->pos[h->items[i]] = i;
	h->pos[h->items[j]] = j;
}

static void
sched_fairshare_heap_up(struct fs_heap *h, int32_t i)
{
	while (i > 0 && h->less(h->ctx, h->items[i], h->items[(i - 1) / 2])) {
		sched_fairshare_heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
sched_fairshare_heap_down(struct fs_heap *h, int32_t i)
{
	int32_t l, r, m;

	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < h->n && h->less(h->ctx, h->items[l], h->items[m]))
			m = l;
		if (r < h->n && h->less(h->ctx, h->items[r], h->items[m]))
			m = r;
		if (m == i)
			return;
		sched_fairshare_heap_swap(h, i, m);
		i = m;
	}
}

int
sched_fairshare_heap_push(struct fs_heap *h, int32_t id)
{
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 8;
		h->items =
		    xreallocarray(h->items, (size_t)h->cap, sizeof(*h->items));
	}
	h->items[h->n] = id;
	h->pos[id] = h->n;
	sched_fairshare_heap_up(h, h->n++);
	return 0;
}

void
sched_fairshare_heap_update(struct fs_heap *h, int32_t id)
{
	int32_t i = h->pos[id];

	if (i < 0)
		return;
	sched_fairshare_heap_up(h, i);
	sched_fairshare_heap_down(h, h->pos[id]);
}

void
sched_fairshare_heap_remove(struct fs_heap *h, int32_t id)
{
	int32_t i = h->pos[id];

	if (i < 0)
		return;
	h->pos[id] = -1;
	if (i == --h->n)
		return;
	h->items[i] = h->items[h->n];
	h->pos[h->items[i]] = i;
	sched_fairshare_heap_up(h, i);
	sched_fairshare_heap_down(h, h->pos[h->items[i]]);
}

/* Orders. */

/* A job's place in its user's queue, packed for sorting. */
struct fs_qkey {
	int32_t pinned, rank, prio, idx;
	int64_t submit, id;
};

/*
 * A user's queue: pinned jobs (resumes) first, then class, priority,
 * submit time, id.
 */
static int
sched_fairshare_cmp_qkey(const void *pa, const void *pb)
{
	const struct fs_qkey *a = pa, *b = pb;

	if (a->pinned != b->pinned)
		return a->pinned > b->pinned ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio > b->prio ? -1 : 1;
	if (a->submit != b->submit)
		return a->submit < b->submit ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Users of a project: their next jobs' class, the user's share, age. */
static int
sched_fairshare_user_less(void *ctx, int32_t ua, int32_t ub)
{
	const struct fs_state *st = ctx;
	const struct fs_ukey *a = &st->ukeys[ua], *b = &st->ukeys[ub];

	if (a->pinned != b->pinned)
		return a->pinned > b->pinned;
	if (a->rank != b->rank)
		return a->rank > b->rank;
	if (a->prio != b->prio)
		return a->prio > b->prio;
	if (a->share != b->share)
		return a->share < b->share;
	if (a->submit != b->submit)
		return a->submit < b->submit;
	return a->id < b->id;
}

/* Refreshes user u's key from its next job and its share. */
void
sched_fairshare_ukey(struct fs_state *st, int32_t u)
{
	const struct fs_job *h;
	struct fs_ukey *k = &st->ukeys[u];

	if (st->uhead[u] < 0)
		return;
	h = &st->jobs[st->uhead[u]];
	k->pinned = h->pinned;
	k->rank = h->rank;
	k->prio = h->prio;
	k->share = project_ledger_user_share(&st->l, u);
	k->submit = h->submit;
	k->id = h->id;
}

/*
 * Over quota: at the first level where the departments of a and b
 * differ, the lower weighted share (a department's, or the project's when
 * it has no department left there) goes first; then the projects' own.
 */
static int
sched_fairshare_share_cmp(const struct fs_pkey *a, const struct fs_pkey *b)
{
	double sa, sb;
	int32_t i;

	for (i = 0; i < a->nchain && i < b->nchain && a->dept[i] == b->dept[i];
	     i++)
		;
	sa = i < a->nchain ? a->dshare[i] : a->share;
	sb = i < b->nchain ? b->dshare[i] : b->share;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (a->share != b->share)
		return a->share < b->share ? -1 : 1;
	return 0;
}

static int
sched_fairshare_pkey_cmp(const struct fs_pkey *a, const struct fs_pkey *b)
{
	int c;

	if (a->tier != b->tier)
		return a->tier < b->tier ? -1 : 1;
	if (a->tier == 1 && (c = sched_fairshare_share_cmp(a, b)) != 0)
		return c;
	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio > b->prio ? -1 : 1;
	if (a->submit != b->submit)
		return a->submit < b->submit ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

static int
sched_fairshare_project_less(void *ctx, int32_t pa, int32_t pb)
{
	struct fs_state *st = ctx;

	return sched_fairshare_pkey_cmp(&st->pkeys[pa], &st->pkeys[pb]) < 0;
}

/*
 * Project p's next job: its first user's next job, unless that one is
 * past the project's deserved quota while a later one of the same queue
 * (among the next FS_SCAN) fits it: jobs inside the quota go first.
 * *prev gets the job before it in the queue, or -1.
 */
static int32_t
sched_fairshare_pick(struct fs_state *st, int32_t p, int32_t *prev)
{
	int32_t k = st->uhead[st->uheap[p].items[0]], at, before, n;
	const struct ledger_project *lp = &st->l.projects[p];

	*prev = -1;
	if (project_ledger_in_quota(&st->l, p, st->jobs[k].milli) ||
	    lp->held.gpus >= lp->deserved_milli)
		return k;
	for (before = k, at = st->jobs[k].next, n = 0; at >= 0 && n < FS_SCAN;
	     before = at, at = st->jobs[at].next, n++)
		if (project_ledger_in_quota(&st->l, p, st->jobs[at].milli)) {
			*prev = before;
			return at;
		}
	return k;
}

/* Project p's departments from the top, with their shares now. */
static void
sched_fairshare_chain(struct fs_state *st, int32_t p, struct fs_pkey *k)
{
	int32_t up[FS_DEPTH * 4], n = 0, d, i;

	for (d = st->l.projects[p].dept_idx; d >= 0 && n < FS_DEPTH * 4;
	     d = st->l.depts[d].parent_idx)
		up[n++] = d;
	for (i = 0; i < n && i < FS_DEPTH; i++) {
		k->dept[i] = up[n - 1 - i];
		k->dshare[i] = project_ledger_dept_share(&st->l, k->dept[i]);
	}
	k->nchain = i;
}

/* The key project p has now (its heap of users is not empty). */
static void
sched_fairshare_pkey(struct fs_state *st, int32_t p, struct fs_pkey *k)
{
	int32_t prev;
	const struct fs_job *h = &st->jobs[sched_fairshare_pick(st, p, &prev)];

	memset(k, 0, sizeof(*k));
	k->tier = project_ledger_in_quota(&st->l, p, h->milli) ? 0 : 1;
	k->share = project_ledger_share(&st->l, p);
	sched_fairshare_chain(st, p, k);
	k->rank = h->rank;
	k->prio = h->prio;
	k->submit = h->submit;
	k->id = h->id;
}

void
sched_fairshare_user_changed(struct fs_state *st, int32_t u)
{
	int32_t p = st->l.users[u].project_idx;

	if (st->uhead[u] < 0 || st->upos[u] < 0)
		return;
	sched_fairshare_ukey(st, u);
	sched_fairshare_heap_update(&st->uheap[p], u);
}

void
sched_fairshare_rekey(struct fs_state *st, int32_t p)
{
	if (st->ppos[p] < 0 || st->uheap[p].n == 0 ||
	    st->uhead[st->uheap[p].items[0]] < 0)
		return; /* its queue is being advanced: re-keyed after */
	sched_fairshare_pkey(st, p, &st->pkeys[p]);
	sched_fairshare_heap_update(&st->pheap, p);
}

/* Shapes: a memo of what is known about requests of one shape. */

static uint64_t
sched_fairshare_hash_str(uint64_t h, const char *s)
{
	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (h ^ 0xff) * 1099511628211ULL;
}

static uint64_t
sched_fairshare_hash_req(const struct req *r)
{
	uint64_t h = 1469598103934665603ULL;
	int64_t v[6];
	int i;

	v[0] = r->gpus_milli;
	v[1] = r->gpu_mem_mb;
	v[2] = model_req_nodes(r);
	v[3] = v[4] = v[5] = 0;
	for (i = 0; i < 6; i++)
		h = (h ^ (uint64_t)v[i]) * 1099511628211ULL;
	h = sched_fairshare_hash_str(h, r->pool);
	h = sched_fairshare_hash_str(h, r->labels);
	return sched_fairshare_hash_str(h, r->gpu_model);
}

static int
sched_fairshare_same_req(const struct req *a, const struct req *b)
{
	return a->gpus_milli == b->gpus_milli &&
	    a->gpu_mem_mb == b->gpu_mem_mb &&
	    model_req_nodes(a) == model_req_nodes(b) &&
	    strcmp(a->pool, b->pool) == 0 &&
	    strcmp(a->labels, b->labels) == 0 &&
	    strcmp(a->gpu_model, b->gpu_model) == 0;
}

static void
sched_fairshare_shash_grow(struct fs_state *st)
{
	size_t i, k;

	free(st->shash);
	st->cap_shash = st->cap_shash ? st->cap_shash * 2 : 256;
	st->shash = xcalloc(st->cap_shash, sizeof(*st->shash));
	for (i = 0; i < st->nshapes; i++) {
		k = st->shapes[i].hash & (st->cap_shash - 1);
		while (st->shash[k] != 0)
			k = (k + 1) & (st->cap_shash - 1);
		st->shash[k] = (int32_t)i + 1;
	}
}

int32_t
sched_fairshare_shape_id(struct fs_state *st, const struct req *r)
{
	uint64_t h = sched_fairshare_hash_req(r);
	struct fs_shape *s;
	size_t k;

	if ((st->nshapes + 1) * 2 > st->cap_shash)
		sched_fairshare_shash_grow(st);
	k = h & (st->cap_shash - 1);
	while (st->shash[k] != 0) {
		s = &st->shapes[st->shash[k] - 1];
		if (s->hash == h && sched_fairshare_same_req(&s->r, r))
			return st->shash[k] - 1;
		k = (k + 1) & (st->cap_shash - 1);
	}
	if (st->nshapes == st->cap_shapes) {
		st->cap_shapes = st->cap_shapes ? st->cap_shapes * 2 : 64;
		st->shapes = xreallocarray(st->shapes, st->cap_shapes,
		    sizeof(*st->shapes));
	}
	s = &st->shapes[st->nshapes];
	memset(s, 0, sizeof(*s));
	s->hash = h;
	s->r = *r;
	st->shash[k] = (int32_t)++st->nshapes;
	return (int32_t)st->nshapes - 1;
}

int
sched_fairshare_front_fails(const struct fs_front *f, int32_t cpus, int64_t mem,
    enum wait_reason *why)
{
	int32_t i;

	for (i = 0; i < f->n; i++)
		if (f->cpus[i] <= cpus && f->mem[i] <= mem) {
			*why = f->why[i];
			return 1;
		}
	return 0;
}

void
sched_fairshare_front_add(struct fs_front *f, int32_t cpus, int64_t mem,
    enum wait_reason why)
{
	int32_t i, k = 0;

	for (i = 0; i < f->n; i++) {
		if (f->cpus[i] <= cpus && f->mem[i] <= mem)
			return; /* already known */
		if (cpus <= f->cpus[i] && mem <= f->mem[i])
			continue; /* the new point covers it */
		f->cpus[k] = f->cpus[i];
		f->mem[k] = f->mem[i];
		f->why[k++] = f->why[i];
	}
	f->n = k;
	if (f->n == FS_FRONT)
		return;
	f->cpus[f->n] = cpus;
	f->mem[f->n] = mem;
	f->why[f->n++] = why;
}

/* Views. */

int
sched_fairshare_place_on(const struct fs_state *st, const struct cluster *c,
    int32_t n, const struct req *r, struct alloc *a)
{
	return sched_place_on(&st->pl, c, n, r, a);
}

void
sched_fairshare_apply(struct fs_state *st, struct cluster *c,
    const struct alloc *a, int32_t n, int sign)
{
	int32_t i;

	for (i = 0; i < n; i++) {
		if (sign < 0)
			cluster_take(c, &a[i]);
		else
			cluster_give(c, &a[i]);
	}
	sched_place_touch(&st->pl, c, a, n);
}

void
sched_fairshare_take(struct fs_state *st, const struct alloc *a, int32_t n)
{
	sched_fairshare_apply(st, &st->now_c, a, n, -1);
	if (st->have_lng)
		sched_fairshare_apply(st, &st->lng, a, n, -1);
	if (st->have_stop)
		sched_fairshare_apply(st, &st->stop, a, n, -1);
}

static void sched_fairshare_copy(struct fs_state *st, int slot,
    const struct cluster *from, struct cluster *to);

struct cluster *
sched_fairshare_lng(struct fs_state *st)
{
	if (!st->have_lng) {
		sched_fairshare_copy(st, FS_SLOT_LNG, &st->now_c, &st->lng);
		st->have_lng = 1;
	}
	return &st->lng;
}

struct cluster *
sched_fairshare_stop(struct fs_state *st)
{
	const struct job_core *j;
	size_t i;

	if (st->have_stop)
		return &st->stop;
	sched_fairshare_copy(st, FS_SLOT_STOP,
	    st->have_lng ? &st->lng : &st->now_c, &st->stop);
	st->have_stop = 1;
	for (i = 0; i < st->nruns; i++) {
		j = st->runs[i].j;
		if (!j->stopping && !st->runs[i].victim)
			continue;
		sched_fairshare_apply(st, &st->stop, &j->alloc, 1, 1);
		if (j->gang != NULL)
			sched_fairshare_apply(st, &st->stop, j->gang, j->ngang,
			    1);
	}
	return &st->stop;
}

/*
 * Copies a node's fields and its GPUs, not the unused GPU slots (most of
 * a struct node when nodes have 8 GPUs of 64 possible).
 */
void
sched_fairshare_node_copy(struct node *to, const struct node *from)
{
	int32_t n = from->ngpus > 0 ? from->ngpus : 0;

	memcpy(to, from, offsetof(struct node, gpus) + n * sizeof(struct gpu));
	memcpy(&to->cpus_milli, &from->cpus_milli,
	    sizeof(struct node) - offsetof(struct node, cpus_milli));
}

/* A view: from's nodes into memory kept from the last plan. */
static void
sched_fairshare_copy(struct fs_state *st, int slot, const struct cluster *from,
    struct cluster *to)
{
	size_t i;

	to->nnodes = from->nnodes;
	to->nodes = sched_scratch_take(st->in->scratch, slot,
	    (from->nnodes + 1) * sizeof(*to->nodes));
	for (i = 0; i < from->nnodes; i++)
		sched_fairshare_node_copy(&to->nodes[i], &from->nodes[i]);
	sched_place_track(&st->pl, to);
}

static void
sched_fairshare_uncopy(struct fs_state *st, int slot, struct cluster *c)
{
	sched_place_untrack(&st->pl, c);
	sched_scratch_give(st->in->scratch, slot, c->nodes,
	    (c->nnodes + 1) * sizeof(*c->nodes));
	c->nodes = NULL;
	c->nnodes = 0;
}

/* Setting up. */

int64_t
sched_fairshare_need(const struct req *r, int64_t gpu_mem_mb)
{
	int64_t m = model_req_milli_on(r, gpu_mem_mb);

	if (m > MODEL_GPU_MILLI && r->gpus_milli == 0)
		m = MODEL_GPU_MILLI;
	return m * model_req_nodes(r);
}

int64_t
sched_fairshare_alloc_milli(const struct alloc *a, int32_t n,
    struct ledger_amount *amt)
{
	int32_t i, g;

	memset(amt, 0, sizeof(*amt));
	for (i = 0; i < n; i++) {
		for (g = 0; g < a[i].ngpus; g++)
			amt->gpus += a[i].gpus[g].milli;
		amt->cpus += a[i].cpus_milli;
		amt->mem += a[i].mem_mb;
	}
	return amt->gpus;
}

/* What a job's allocs hold; gang parts included. */
static void
sched_fairshare_held(const struct job_core *j, struct ledger_amount *amt)
{
	struct ledger_amount more;

	sched_fairshare_alloc_milli(&j->alloc, 1, amt);
	if (j->gang != NULL && j->ngang > 0) {
		sched_fairshare_alloc_milli(j->gang, j->ngang, &more);
		amt->gpus += more.gpus;
		amt->cpus += more.cpus;
		amt->mem += more.mem;
	}
}

static void
sched_fairshare_add_run(struct fs_state *st, const struct job_core *j)
{
	struct fs_run *r = &st->runs[st->nruns++];
	struct ledger_amount amt;

	memset(r, 0, sizeof(*r));
	r->j = j;
	r->pidx = project_ledger_project(&st->l, j->project);
	r->uidx = project_ledger_user(&st->l, r->pidx, j->user);
	r->rank = st->pp->class_rank[j->cls];
	sched_fairshare_held(j, &amt);
	r->milli = amt.gpus;
	project_ledger_hold(&st->l, r->uidx, &amt, 1);
	project_ledger_running(&st->l, r->uidx, &amt, j->start_time);
	if (j->stopping)
		r->end = st->now + st->pp->swap_time_s;
	else if (j->req.time_limit_s > 0)
		r->end = j->start_time + j->req.time_limit_s;
	else
		r->end = FS_NEVER;
	if (r->end < st->now)
		r->end = st->now;
	sched_reserve_event(st, r->end, &j->alloc, 1, (int32_t)st->nruns - 1);
	if (j->gang != NULL && j->ngang > 0)
		sched_reserve_event(st, r->end, j->gang, j->ngang,
		    (int32_t)st->nruns - 1);
	st->any_stopping |= j->stopping != 0;
	if (r->end != FS_NEVER && r->end > st->now)
		st->work_ahead += (double)r->milli * (double)(r->end - st->now);
}

int64_t
sched_fairshare_max_gpu_mem(const struct cluster *c)
{
	int64_t m = 0;
	size_t i;
	int32_t g;

	for (i = 0; i < c->nnodes; i++)
		for (g = 0; g < c->nodes[i].ngpus; g++)
			if (c->nodes[i].gpus[g].mem_mb > m)
				m = c->nodes[i].gpus[g].mem_mb;
	return m;
}

static void
sched_fairshare_add_job(struct fs_state *st, const struct job_core *j,
    int64_t gpu_mem)
{
	struct fs_job *k = &st->jobs[st->njobs++];
	const struct projects *cfg = st->cfg;
	struct req r = j->req;

	memset(k, 0, sizeof(*k));
	k->j = j;
	k->req = &j->req;
	if (r.cpus_milli == 0 || r.mem_mb == 0) {
		model_req_defaults(&r);
		st->fixed[st->nfixed] = r;
		k->req = &st->fixed[st->nfixed++];
	}
	k->cpus = k->req->cpus_milli;
	k->mem = k->req->mem_mb;
	k->shape = sched_fairshare_shape_id(st, k->req);
	k->pidx = project_ledger_project(&st->l, j->project);
	k->uidx = project_ledger_user(&st->l, k->pidx, j->user);
	k->rank = st->pp->class_rank[j->cls];
	k->milli = sched_fairshare_need(&r, gpu_mem);
	k->dur = j->req.time_limit_s;
	if (k->dur == 0 && (size_t)k->pidx < cfg->nlist &&
	    cfg->list[k->pidx].default_time_s > 0)
		k->dur = cfg->list[k->pidx].default_time_s;
	if (k->dur == 0)
		k->dur = st->pp->default_time_s;
	k->next = -1;
	k->prio = j->priority;
	k->flags = j->flags;
	k->pinned = j->pin != NULL;
	k->submit = j->submit_time;
	k->id = j->id;
	project_ledger_pending(&st->l, k->uidx, k->milli);
}

static int
sched_fairshare_cmp_id(const void *pa, const void *pb)
{
	const struct job_core *a = *(const struct job_core *const *)pa;
	const struct job_core *b = *(const struct job_core *const *)pb;

	return a->id < b->id ? -1 : a->id > b->id;
}

/*
 * Running jobs in id order, so that releases at the same time and
 * victims of the same standing are met in an order the input cannot
 * change.
 */
static const struct job_core **
sched_fairshare_sorted(const struct job_core *const *v, size_t n)
{
	const struct job_core **s = xreallocarray(NULL, n + 1, sizeof(*s));

	if (n > 0)
		memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), sched_fairshare_cmp_id);
	return s;
}

static void
sched_fairshare_load(struct fs_state *st)
{
	const struct sched_input *in = st->in;
	int64_t gpu_mem = sched_fairshare_max_gpu_mem(in->cluster);
	const struct job_core **v;
	size_t i;

	v = sched_fairshare_sorted(in->running, in->nrunning);
	st->runs = xcalloc(in->nrunning + 1, sizeof(*st->runs));
	for (i = 0; i < in->nrunning; i++)
		if (v[i]->state == JOB_RUNNING)
			sched_fairshare_add_run(st, v[i]);
	free(v);
	/* Waiting jobs' order is set by their queues, ties going by id. */
	st->jobs = sched_scratch_take(in->scratch, FS_SLOT_JOBS,
	    (in->npending + 1) * sizeof(*st->jobs));
	for (i = 0; i < in->npending; i++)
		if (in->pending[i]->req.cpus_milli == 0 ||
		    in->pending[i]->req.mem_mb == 0)
			st->nfixed++;
	st->fixed = xreallocarray(NULL, st->nfixed + 1, sizeof(*st->fixed));
	st->nfixed = 0;
	for (i = 0; i < in->npending; i++)
		if (in->pending[i]->state == JOB_PENDING)
			sched_fairshare_add_job(st, in->pending[i], gpu_mem);
}

/*
 * Sorts the keys of the jobs by user (a counting sort), then each user's
 * part by queue order: packed keys, so that 100,000 jobs sort in cache.
 */
static void
sched_fairshare_sort(struct fs_state *st, struct fs_qkey *keys)
{
	int32_t *at = xcalloc(st->nusers + 1, sizeof(*at)), u;
	const struct fs_job *j;
	size_t i;

	for (i = 0; i < st->njobs; i++)
		at[st->jobs[i].uidx + 1]++;
	for (i = 1; i <= st->nusers; i++)
		at[i] += at[i - 1];
	for (i = 0; i < st->njobs; i++) {
		j = &st->jobs[i];
		keys[at[j->uidx]++] = (struct fs_qkey){ j->pinned, j->rank,
			j->prio, (int32_t)i, j->submit, j->id };
	}
	for (u = (int32_t)st->nusers - 1; u > 0; u--)
		at[u] = at[u - 1];
	at[0] = 0;
	for (u = 0; (size_t)u < st->nusers; u++)
		qsort(keys + at[u], (size_t)(at[u + 1] - at[u]), sizeof(*keys),
		    sched_fairshare_cmp_qkey);
	free(at);
}

/*
 * Puts the jobs in queue order (each user's jobs together, in order) and
 * links each user's queue; both arrays are kept between plans.
 */
static void
sched_fairshare_queues(struct fs_state *st)
{
	size_t i, size = (st->njobs + 1) * sizeof(struct fs_qkey);
	struct fs_qkey *keys;
	struct fs_job *sorted;

	st->nprojects = st->l.nprojects;
	st->nusers = st->l.nusers;
	keys = sched_scratch_take(st->in->scratch, FS_SLOT_ORDER, size);
	sched_fairshare_sort(st, keys);
	sorted = sched_scratch_take(st->in->scratch, FS_SLOT_SORTED,
	    (st->in->npending + 1) * sizeof(*sorted));
	for (i = 0; i < st->njobs; i++)
		sorted[i] = st->jobs[keys[i].idx];
	sched_scratch_give(st->in->scratch, FS_SLOT_ORDER, keys, size);
	sched_scratch_give(st->in->scratch, FS_SLOT_JOBS, st->jobs,
	    (st->in->npending + 1) * sizeof(*st->jobs));
	st->jobs = sorted;
	st->uhead = xreallocarray(NULL, st->nusers + 1, sizeof(*st->uhead));
	for (i = 0; i < st->nusers; i++)
		st->uhead[i] = -1;
	for (i = st->njobs; i-- > 0;) {
		st->jobs[i].next = st->uhead[st->jobs[i].uidx];
		st->uhead[st->jobs[i].uidx] = (int32_t)i;
	}
}

static void
sched_fairshare_heaps(struct fs_state *st)
{
	struct fs_heap *h;
	size_t i;

	st->upos = xreallocarray(NULL, st->nusers + 1, sizeof(*st->upos));
	st->ppos = xreallocarray(NULL, st->nprojects + 1, sizeof(*st->ppos));
	st->uheap = xcalloc(st->nprojects + 1, sizeof(*st->uheap));
	st->pkeys = xcalloc(st->nprojects + 1, sizeof(*st->pkeys));
	for (i = 0; i < st->nprojects; i++) {
		h = &st->uheap[i];
		h->pos = st->upos;
		h->less = sched_fairshare_user_less;
		h->ctx = st;
		st->ppos[i] = -1;
	}
	st->pheap.pos = st->ppos;
	st->pheap.less = sched_fairshare_project_less;
	st->pheap.ctx = st;
	st->ukeys = xcalloc(st->nusers + 1, sizeof(*st->ukeys));
	for (i = 0; i < st->nusers; i++) {
		st->upos[i] = -1;
		sched_fairshare_ukey(st, (int32_t)i);
		if (st->uhead[i] >= 0)
			sched_fairshare_heap_push(&st->uheap[st->l.users[i]
			                                         .project_idx],
			    (int32_t)i);
	}
	for (i = 0; i < st->nprojects; i++) {
		if (st->uheap[i].n == 0)
			continue;
		sched_fairshare_pkey(st, (int32_t)i, &st->pkeys[i]);
		sched_fairshare_heap_push(&st->pheap, (int32_t)i);
	}
}

static void
sched_fairshare_init(struct fs_state *st, const struct sched_input *in,
    struct plan *out, struct projects *own)
{
	memset(st, 0, sizeof(*st));
	st->in = in;
	st->out = out;
	if (in->projects == NULL)
		project_init(own);
	st->cfg = in->projects != NULL ? in->projects : own;
	st->pp = &st->cfg->params;
	st->now = in->now;
	st->t_min = FS_NEVER;
	st->tries_left = st->pp->preempt ? st->pp->preempt_tries : 0;
	project_ledger_init(&st->l, in->projects, in->cluster, in->now);
	if (in->projects == NULL)
		st->l.half_life_s = 0;
	project_ledger_usage(&st->l, in->usage);
	st->gpu_capacity = st->l.capacity[0];
	sched_place_init(&st->pl, in);
	sched_fairshare_copy(st, FS_SLOT_NOW, in->cluster, &st->now_c);
	sched_reserve_init(st);
	sched_fairshare_load(st);
	sched_fairshare_queues(st);
	sched_fairshare_heaps(st);
	sched_preempt_index(st);
}

static void
sched_fairshare_done(struct fs_state *st)
{
	size_t i;

	for (i = 0; i < st->nprojects; i++)
		free(st->uheap[i].items);
	free(st->uheap);
	free(st->upos);
	free(st->ukeys);
	free(st->ppos);
	free(st->pkeys);
	free(st->pheap.items);
	free(st->uhead);
	sched_scratch_give(st->in->scratch, FS_SLOT_SORTED, st->jobs,
	    (st->in->npending + 1) * sizeof(*st->jobs));
	free(st->runs);
	free(st->node_start);
	free(st->runs_at);
	free(st->shapes);
	free(st->shash);
	free(st->min_rank);
	sched_scratch_give(st->in->scratch, FS_SLOT_WAIT, st->wait_job,
	    st->cap_wait_job * sizeof(*st->wait_job));
	free(st->fixed);
	sched_reserve_done(st);
	sched_fairshare_uncopy(st, FS_SLOT_NOW, &st->now_c);
	if (st->have_lng)
		sched_fairshare_uncopy(st, FS_SLOT_LNG, &st->lng);
	if (st->have_stop)
		sched_fairshare_uncopy(st, FS_SLOT_STOP, &st->stop);
	sched_place_done(&st->pl);
	project_ledger_done(&st->l);
}

/* Deciding one job. */

/* The largest GPU amount of r's kind that one node could give now. */
static int64_t
sched_fairshare_smaller(const struct cluster *c, const struct req *r)
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

/*
 * Why r fails on the now view: POOL only when it would fit now without
 * its pool, model and labels (placement's POOL counts free capacity, not
 * whether it is on one node); RESOURCES otherwise.
 */
static enum wait_reason
sched_fairshare_why(struct fs_state *st, const struct req *r,
    enum wait_reason why)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	enum wait_reason w2;
	struct req any = *r;
	int32_t n;

	if (why != WAIT_RESOURCES && why != WAIT_POOL)
		return why;
	if (r->pool[0] == '\0' && r->labels[0] == '\0' &&
	    r->gpu_model[0] == '\0')
		return WAIT_RESOURCES;
	any.pool[0] = any.labels[0] = any.gpu_model[0] = '\0';
	if (!sched_place_job(&st->pl, &st->now_c, &any, a, &n, &w2))
		return WAIT_RESOURCES;
	return WAIT_POOL;
}

/* A pool where r would fit now ("" when only dropping more would do). */
static void
sched_fairshare_pool_hint(struct fs_state *st, const struct req *r,
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
 * Places job k now, as backfill allows.  1: placed; 0: no room (why);
 * 2: room only by delaying a reservation.
 */
static int
sched_fairshare_try(struct fs_state *st, int32_t k, struct alloc *a, int32_t *n,
    enum wait_reason *why)
{
	const struct fs_job *job = &st->jobs[k];
	int rc;

	if (sched_fairshare_front_fails(&FS_SHAPE(st, k)->now, job->cpus,
	        job->mem, why))
		return 0;
	rc = sched_reserve_place(st, k, a, n, why);
	if (rc == 0) {
		*why = sched_fairshare_why(st, job->req, *why);
		sched_fairshare_front_add(&FS_SHAPE(st, k)->now, job->cpus,
		    job->mem, *why);
	}
	return rc;
}

static void
sched_fairshare_start(struct fs_state *st, int32_t k, const struct alloc *a,
    int32_t n)
{
	struct fs_job *job = &st->jobs[k];
	struct ledger_amount amt;
	int64_t end;

	sched_fairshare_take(st, a, n);
	sched_fairshare_alloc_milli(a, n, &amt);
	project_ledger_hold(&st->l, job->uidx, &amt, 1);
	plan_add_gang(st->out, job->j->id, a, n);
	end = job->dur > 0 ? st->now + job->dur : FS_NEVER;
	sched_reserve_started(st, end, a, n);
	if (job->dur > 0)
		st->work_ahead += (double)amt.gpus * (double)job->dur;
	sched_fairshare_risk(st->out, job->j, st->cfg, &st->l, job->pidx,
	    st->now);
}

void
sched_fairshare_risk(struct plan *out, const struct job_core *j,
    const struct projects *cfg, const struct ledger *l, int32_t pidx,
    int64_t now)
{
	const struct policy_params *pp = &cfg->params;

	if (j->preemptible && j->cls != JOB_CLASS_INTERACTIVE &&
	    pp->min_runtime_s > 0)
		plan_add_risk(out, j->id, RISK_PROTECTED,
		    now + pp->min_runtime_s);
	else if (!j->preemptible || j->cls == JOB_CLASS_INTERACTIVE)
		plan_add_risk(out, j->id, RISK_NONE, 0);
	else
		plan_add_risk(out, j->id,
		    cfg->any && project_ledger_borrowed(l, pidx) > 0 ?
		        RISK_BORROWED :
		        RISK_IN_QUOTA,
		    0);
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
		sched_fairshare_pool_hint(st, r, &w->hint);
		return;
	}
	if (model_req_nodes(r) > 1)
		return;
	if (s->smaller_gen == 0) {
		s->smaller = sched_fairshare_smaller(&st->now_c, r);
		s->smaller_gen = 1;
	}
	if (s->smaller > 0 &&
	    (r->gpus_milli > s->smaller ||
	        (r->gpus_milli == 0 && r->gpu_mem_mb > 0))) {
		w->hint.kind = HINT_SMALLER;
		w->hint.value = s->smaller;
	}
}

static void
sched_fairshare_eta(struct fs_state *st, int32_t k, struct waiting *w)
{
	if (w->eta == 0)
		w->eta = sched_reserve_eta(st, k);
}

/*
 * Once every job is decided: what would start each waiting job now (on
 * what is left free), else when room frees up.
 */
static void
sched_fairshare_hints(struct fs_state *st)
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

/* A job that does not fit now: claims, victims, reservation. */
static void sched_fairshare_hint_quota(struct fs_state *st,
    const struct fs_job *job, int is_limit, struct sched_hint *h);

static void
sched_fairshare_blocked(struct fs_state *st, int32_t k, struct waiting *w)
{
	struct fs_job *job = &st->jobs[k];
	int64_t swap_job;
	int nv;

	if (w->reason == WAIT_PRIORITY)
		goto reserve;
	if (!project_ledger_in_quota(&st->l, job->pidx, job->milli) &&
	    st->cfg->any && w->reason == WAIT_RESOURCES && !job->pinned) {
		w->reason = WAIT_QUOTA;
		sched_fairshare_hint_quota(st, job, 0, &w->hint);
	}
	if (sched_preempt_claim(st, k, &swap_job)) {
		w->eta = st->now + st->pp->swap_time_s;
		w->hint.kind = HINT_SWAP;
		w->hint.job_id = swap_job;
		w->hint.value = st->pp->swap_time_s;
		return;
	}
	if ((nv = sched_preempt_try(st, k)) > 0) {
		w->eta = st->now + st->pp->swap_time_s;
		w->hint.kind = HINT_PREEMPTS;
		w->hint.value = nv;
		return;
	}
reserve:
	if ((int32_t)st->nresv < st->pp->reservations &&
	    (w->eta = sched_reserve_make(st, k)) != 0)
		w->reserved = 1;
	sched_fairshare_eta(st, k, w);
}

/* The hint of a job past a quota (is_limit 0) or a limit (1). */
static void
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

static int
sched_fairshare_gate(struct fs_state *st, int32_t k, struct waiting *w)
{
	const struct fs_job *job = &st->jobs[k];

	if (job->flags & JOB_F_HELD) {
		w->reason = WAIT_HELD;
		w->hint.kind = HINT_HELD;
		return 1;
	}
	if (job->flags & JOB_F_DEPENDENCY) {
		w->reason = WAIT_DEPENDENCY;
		w->hint.kind = HINT_DEPENDENCY;
		return 1;
	}
	if (project_ledger_in_limit(&st->l, job->pidx, job->milli))
		return 0;
	w->reason = WAIT_LIMIT;
	w->position = ++st->position;
	sched_fairshare_hint_quota(st, job, 1, &w->hint);
	sched_fairshare_eta(st, k, w);
	return 1;
}

/* Nodes that could take a gang's part now. */
static int64_t
sched_fairshare_gang_parts(struct fs_state *st, const struct req *r)
{
	struct alloc a;
	int64_t k = 0;
	size_t i;

	for (i = 0; i < st->now_c.nnodes; i++)
		k +=
		    sched_fairshare_place_on(st, &st->now_c, (int32_t)i, r, &a);
	return k;
}

static void
sched_fairshare_add_wait(struct fs_state *st, int32_t k,
    const struct waiting *w)
{
	if (st->out->nwaiting >= st->cap_wait_job) {
		st->cap_wait_job =
		    st->cap_wait_job ? st->cap_wait_job * 2 : st->njobs + 16;
		st->wait_job = xreallocarray(st->wait_job, st->cap_wait_job,
		    sizeof(*st->wait_job));
	}
	st->wait_job[st->out->nwaiting] = k;
	plan_add_wait(st->out, w);
}

static void
sched_fairshare_consider(struct fs_state *st, int32_t k)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	const struct req *r = st->jobs[k].req;
	struct waiting w;
	enum wait_reason why = WAIT_RESOURCES;
	int32_t n = 0;
	int rc;

	memset(&w, 0, sizeof(w));
	w.job_id = st->jobs[k].id;
	if (sched_fairshare_gate(st, k, &w)) {
		sched_fairshare_add_wait(st, k, &w);
		return;
	}
	if (st->jobs[k].pinned)
		rc = sched_pin_try(st, k, a, &n, &why);
	else
		rc = sched_fairshare_try(st, k, a, &n, &why);
	if (rc == 1) {
		sched_fairshare_start(st, k, a, n);
		return;
	}
	w.reason = rc == 2 ? WAIT_PRIORITY : why;
	w.position = ++st->position;
	if (rc == 2 && st->t_min > st->now && st->t_min != FS_NEVER) {
		w.hint.kind = HINT_SHORTER;
		w.hint.value = st->t_min - st->now;
	}
	if (w.reason == WAIT_GANG) {
		w.hint.kind = HINT_NODES;
		w.hint.value = sched_fairshare_gang_parts(st, r);
		w.hint.value2 = model_req_nodes(r);
	}
	if (st->jobs[k].pinned && rc == 0)
		sched_pin_hint(st, k, &w);
	sched_fairshare_blocked(st, k, &w);
	if (st->jobs[k].dur > 0)
		st->work_ahead += (double)st->jobs[k].milli * st->jobs[k].dur;
	sched_fairshare_add_wait(st, k, &w);
}

/* Takes the next job in admission order; -1 when none is left. */
static int32_t
sched_fairshare_next(struct fs_state *st, int32_t *pp, int32_t *up)
{
	struct fs_pkey fresh;
	int32_t p, u, k, prev;

	while (st->pheap.n > 0) {
		p = st->pheap.items[0];
		sched_fairshare_pkey(st, p, &fresh);
		if (sched_fairshare_pkey_cmp(&fresh, &st->pkeys[p]) != 0) {
			st->pkeys[p] = fresh;
			sched_fairshare_heap_update(&st->pheap, p);
			continue;
		}
		u = st->uheap[p].items[0];
		k = sched_fairshare_pick(st, p, &prev);
		if (prev < 0)
			st->uhead[u] = st->jobs[k].next;
		else
			st->jobs[prev].next = st->jobs[k].next;
		*pp = p;
		*up = u;
		return k;
	}
	return -1;
}

/* After job k of user u in project p was decided: their new places. */
static void
sched_fairshare_advance(struct fs_state *st, int32_t p, int32_t u)
{
	if (st->uhead[u] < 0) {
		sched_fairshare_heap_remove(&st->uheap[p], u);
	} else {
		sched_fairshare_ukey(st, u);
		sched_fairshare_heap_update(&st->uheap[p], u);
	}
	if (st->uheap[p].n == 0)
		sched_fairshare_heap_remove(&st->pheap, p);
	else
		sched_fairshare_rekey(st, p);
}

int
sched_fairshare_plan(const struct sched_input *in, struct plan *out)
{
	struct projects own;
	struct fs_state st;
	int32_t k, p, u;

	sched_fairshare_init(&st, in, out, &own);
	if (out->cap_waiting < st.njobs) {
		out->cap_waiting = st.njobs;
		out->waiting = xreallocarray(out->waiting, out->cap_waiting,
		    sizeof(*out->waiting));
	}
	st.cap_wait_job = st.njobs + 1;
	st.wait_job = sched_scratch_take(in->scratch, FS_SLOT_WAIT,
	    st.cap_wait_job * sizeof(*st.wait_job));
	while ((k = sched_fairshare_next(&st, &p, &u)) >= 0) {
		sched_fairshare_consider(&st, k);
		sched_fairshare_advance(&st, p, u);
	}
	sched_fairshare_hints(&st);
	sched_preempt_risks(&st);
	if (in->quick != NULL)
		sched_quick_keep(&st, in->quick);
	sched_fairshare_done(&st);
	if (in->projects == NULL)
		project_done(&own);
	return 0;
}
