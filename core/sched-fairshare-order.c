/*
 * The fairshare policy's admission order (sched-fairshare.c has the plan
 * that walks it).  Each user's waiting jobs form a queue: pinned jobs
 * first, then class, priority, submit time.  A project orders its users
 * by their next jobs' class and priority, then the user's own share; the
 * projects go by whether their next job fits the deserved quota, then
 * (over quota) the weighted dominant shares of their departments from the
 * top and their own, then class, priority and age.  Keys are recomputed
 * as jobs are admitted and shares change.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

#define FS_SCAN 64 /* queued jobs looked past for one inside the quota */

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
sched_fairshare_order_cmp_qkey(const void *pa, const void *pb)
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
sched_fairshare_order_user_less(void *ctx, int32_t ua, int32_t ub)
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
static void
sched_fairshare_order_ukey(struct fs_state *st, int32_t u)
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
sched_fairshare_order_share_cmp(const struct fs_pkey *a,
    const struct fs_pkey *b)
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
sched_fairshare_order_pkey_cmp(const struct fs_pkey *a, const struct fs_pkey *b)
{
	int c;

	if (a->tier != b->tier)
		return a->tier < b->tier ? -1 : 1;
	if (a->tier == 1 && (c = sched_fairshare_order_share_cmp(a, b)) != 0)
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
sched_fairshare_order_project_less(void *ctx, int32_t pa, int32_t pb)
{
	struct fs_state *st = ctx;

	return sched_fairshare_order_pkey_cmp(&st->pkeys[pa], &st->pkeys[pb]) <
	    0;
}

/*
 * Project p's next job: its first user's next job, unless that one is
 * past the project's deserved quota while a later one of the same queue
 * (among the next FS_SCAN) fits it: jobs inside the quota go first.
 * *prev gets the job before it in the queue, or -1.
 */
static int32_t
sched_fairshare_order_pick(struct fs_state *st, int32_t p, int32_t *prev)
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
sched_fairshare_order_chain(struct fs_state *st, int32_t p, struct fs_pkey *k)
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
sched_fairshare_order_pkey(struct fs_state *st, int32_t p, struct fs_pkey *k)
{
	int32_t prev;
	const struct fs_job *h =
	    &st->jobs[sched_fairshare_order_pick(st, p, &prev)];

	memset(k, 0, sizeof(*k));
	k->tier = project_ledger_in_quota(&st->l, p, h->milli) ? 0 : 1;
	k->share = project_ledger_share(&st->l, p);
	sched_fairshare_order_chain(st, p, k);
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
	sched_fairshare_order_ukey(st, u);
	sched_fairshare_heap_update(&st->uheap[p], u);
}

void
sched_fairshare_rekey(struct fs_state *st, int32_t p)
{
	if (st->ppos[p] < 0 || st->uheap[p].n == 0 ||
	    st->uhead[st->uheap[p].items[0]] < 0)
		return; /* its queue is being advanced: re-keyed after */
	sched_fairshare_order_pkey(st, p, &st->pkeys[p]);
	sched_fairshare_heap_update(&st->pheap, p);
}

/*
 * Sorts the keys of the jobs by user (a counting sort), then each user's
 * part by queue order: packed keys, so that 100,000 jobs sort in cache.
 */
static void
sched_fairshare_order_sort(struct fs_state *st, struct fs_qkey *keys)
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
		    sched_fairshare_order_cmp_qkey);
	free(at);
}

/*
 * Puts the jobs in queue order (each user's jobs together, in order) and
 * links each user's queue; both arrays are kept between plans.
 */
static void
sched_fairshare_order_queues(struct fs_state *st)
{
	size_t i, size = (st->njobs + 1) * sizeof(struct fs_qkey);
	struct fs_qkey *keys;
	struct fs_job *sorted;

	st->nprojects = st->l.nprojects;
	st->nusers = st->l.nusers;
	keys = sched_scratch_take(st->in->scratch, FS_SLOT_ORDER, size);
	sched_fairshare_order_sort(st, keys);
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
sched_fairshare_order_heaps(struct fs_state *st)
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
		h->less = sched_fairshare_order_user_less;
		h->ctx = st;
		st->ppos[i] = -1;
	}
	st->pheap.pos = st->ppos;
	st->pheap.less = sched_fairshare_order_project_less;
	st->pheap.ctx = st;
	st->ukeys = xcalloc(st->nusers + 1, sizeof(*st->ukeys));
	for (i = 0; i < st->nusers; i++) {
		st->upos[i] = -1;
		sched_fairshare_order_ukey(st, (int32_t)i);
		if (st->uhead[i] >= 0)
			sched_fairshare_heap_push(&st->uheap[st->l.users[i]
			                                         .project_idx],
			    (int32_t)i);
	}
	for (i = 0; i < st->nprojects; i++) {
		if (st->uheap[i].n == 0)
			continue;
		sched_fairshare_order_pkey(st, (int32_t)i, &st->pkeys[i]);
		sched_fairshare_heap_push(&st->pheap, (int32_t)i);
	}
}

void
sched_fairshare_order_init(struct fs_state *st)
{
	sched_fairshare_order_queues(st);
	sched_fairshare_order_heaps(st);
}

void
sched_fairshare_order_done(struct fs_state *st)
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
}

int32_t
sched_fairshare_order_next(struct fs_state *st, int32_t *pp, int32_t *up)
{
	struct fs_pkey fresh;
	int32_t p, u, k, prev;

	while (st->pheap.n > 0) {
		p = st->pheap.items[0];
		sched_fairshare_order_pkey(st, p, &fresh);
		if (sched_fairshare_order_pkey_cmp(&fresh, &st->pkeys[p]) !=
		    0) {
			st->pkeys[p] = fresh;
			sched_fairshare_heap_update(&st->pheap, p);
			continue;
		}
		u = st->uheap[p].items[0];
		k = sched_fairshare_order_pick(st, p, &prev);
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

void
sched_fairshare_order_advance(struct fs_state *st, int32_t p, int32_t u)
{
	if (st->uhead[u] < 0) {
		sched_fairshare_heap_remove(&st->uheap[p], u);
	} else {
		sched_fairshare_order_ukey(st, u);
		sched_fairshare_heap_update(&st->uheap[p], u);
	}
	if (st->uheap[p].n == 0)
		sched_fairshare_heap_remove(&st->pheap, p);
	else
		sched_fairshare_rekey(st, p);
}
