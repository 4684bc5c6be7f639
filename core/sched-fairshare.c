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
 *
 * This file has the plan: setting up, deciding one job, the loop; and the
 * views and measures the policy's files share.  The rest is in
 * sched-fairshare-*.c (the list is in sched-fairshare.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

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

/* Measures the policy's files share. */

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

/* Setting up. */

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
	sched_fairshare_order_init(st);
	sched_preempt_index(st);
}

static void
sched_fairshare_done(struct fs_state *st)
{
	sched_fairshare_order_done(st);
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

static void
sched_fairshare_eta(struct fs_state *st, int32_t k, struct waiting *w)
{
	if (w->eta == 0)
		w->eta = sched_reserve_eta(st, k);
}

/* A job that does not fit now: claims, victims, reservation. */
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
	if (w.reason == WAIT_GANG)
		sched_fairshare_hint_nodes(st, st->jobs[k].req, &w.hint);
	if (st->jobs[k].pinned && rc == 0)
		sched_pin_hint(st, k, &w);
	sched_fairshare_blocked(st, k, &w);
	if (st->jobs[k].dur > 0)
		st->work_ahead += (double)st->jobs[k].milli * st->jobs[k].dur;
	sched_fairshare_add_wait(st, k, &w);
}

/* The plan. */

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
	while ((k = sched_fairshare_order_next(&st, &p, &u)) >= 0) {
		sched_fairshare_consider(&st, k);
		sched_fairshare_order_advance(&st, p, u);
	}
	sched_fairshare_hint_all(&st);
	sched_preempt_risks(&st);
	if (in->quick != NULL)
		sched_quick_keep(&st, in->quick);
	sched_fairshare_done(&st);
	if (in->projects == NULL)
		project_done(&own);
	return 0;
}
