/*
 * Incremental planning (sched-quick.h): what a full plan of the fairshare
 * policy leaves behind, and new jobs decided against it.  Pure.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"
#include "core/sched-quick.h"

void
sched_quick_init(struct sched_quick *q)
{
	memset(q, 0, sizeof(*q));
	project_init(&q->own);
	q->t_min = FS_NEVER;
}

void
sched_quick_reset(struct sched_quick *q)
{
	if (q->valid) {
		project_ledger_done(&q->l);
		sched_place_done(&q->pl);
	}
	q->valid = 0;
}

void
sched_quick_done(struct sched_quick *q)
{
	sched_quick_reset(q);
	free(q->now.nodes);
	free(q->lng.nodes);
	project_done(&q->own);
	memset(q, 0, sizeof(*q));
}

/* Copies from's nodes into to, whose room q keeps between plans. */
static void
sched_quick_copy(struct sched_quick *q, const struct cluster *from,
    struct cluster *to)
{
	size_t i;
	int32_t n;

	to->nnodes = from->nnodes;
	for (i = 0; i < from->nnodes; i++) {
		/* The node and its GPUs, not the unused GPU slots. */
		n = from->nodes[i].ngpus > 0 ? from->nodes[i].ngpus : 0;
		memcpy(&to->nodes[i], &from->nodes[i],
		    offsetof(struct node, gpus) + n * sizeof(struct gpu));
		memcpy(&to->nodes[i].cpus_milli, &from->nodes[i].cpus_milli,
		    sizeof(struct node) - offsetof(struct node, cpus_milli));
	}
	(void)q;
}

static void
sched_quick_room(struct sched_quick *q, size_t nnodes)
{
	if (q->cap_nodes >= nnodes + 1)
		return;
	free(q->now.nodes);
	free(q->lng.nodes);
	q->cap_nodes = nnodes + 1;
	q->now.nodes = xreallocarray(NULL, q->cap_nodes, sizeof(struct node));
	q->lng.nodes = xreallocarray(NULL, q->cap_nodes, sizeof(struct node));
}

/* The placement of the plan, moved over: strategies, mix, memos. */
static void
sched_quick_placer(struct sched_quick *q, struct sched_placer *from)
{
	struct sched_placer *pl = &q->pl;

	memset(pl, 0, sizeof(*pl));
	pl->share = from->share;
	pl->whole = from->whole;
	pl->rng = from->rng;
	pl->mix = from->mix;
	place_mix_init(&from->mix, 0);
	pl->memo = from->memo;
	from->memo = NULL;
	from->ctx.memo = NULL;
	pl->ctx.mix = &pl->mix;
	pl->ctx.rng = &pl->rng;
	pl->ctx.memo = pl->memo;
	sched_place_track(pl, &q->now);
	sched_place_track(pl, &q->lng);
}

void
sched_quick_keep(struct fs_state *st, struct sched_quick *q)
{
	sched_quick_reset(q);
	sched_quick_room(q, st->now_c.nnodes);
	sched_quick_copy(q, &st->now_c, &q->now);
	sched_quick_copy(q, st->have_lng ? &st->lng : &st->now_c, &q->lng);
	q->at = st->now;
	q->t_min = st->t_min;
	q->gpu_mem = sched_fairshare_max_gpu_mem(&st->now_c);
	q->cfg = st->in->projects != NULL ? st->in->projects : &q->own;
	q->l = st->l;
	memset(&st->l, 0, sizeof(st->l));
	q->l.cfg = st->in->projects;
	sched_quick_placer(q, &st->pl);
	q->position = st->position;
	q->valid = 1;
}

/* Pinned first, then class, priority, submit time, id. */
static int
sched_quick_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct job_core *a = *(const struct job_core *const *)pa;
	const struct job_core *b = *(const struct job_core *const *)pb;
	const struct policy_params *pp = ctx;

	if ((a->pin != NULL) != (b->pin != NULL))
		return a->pin != NULL ? -1 : 1;
	if (pp->class_rank[a->cls] != pp->class_rank[b->cls])
		return pp->class_rank[a->cls] > pp->class_rank[b->cls] ? -1 : 1;
	if (a->priority != b->priority)
		return a->priority > b->priority ? -1 : 1;
	if (a->submit_time != b->submit_time)
		return a->submit_time < b->submit_time ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* A new job's place in the ledger, its GPUs and its time limit. */
struct sched_quick_job {
	const struct job_core *j;
	struct req r; /* with the defaults */
	int32_t pidx, uidx;
	int64_t milli, dur;
};

static void
sched_quick_job(struct sched_quick *q, const struct job_core *j,
    struct sched_quick_job *k)
{
	k->j = j;
	k->r = j->req;
	model_req_defaults(&k->r);
	k->pidx = project_ledger_project(&q->l, j->project);
	k->uidx = project_ledger_user(&q->l, k->pidx, j->user);
	k->milli = sched_fairshare_need(&k->r, q->gpu_mem);
	k->dur = j->req.time_limit_s;
	if (k->dur == 0)
		k->dur = project_default_time(q->cfg, j->project);
}

/*
 * Where job k may start now without delaying a reservation: 1 (allocs),
 * 0 (why), 2 (only by delaying one: PRIORITY).
 */
static int
sched_quick_place(struct sched_quick *q, const struct sched_quick_job *k,
    int64_t now, struct alloc *a, int32_t *n, enum wait_reason *why)
{
	const struct alloc *pin = k->j->pin;
	int64_t end = k->dur > 0 ? now + k->dur : FS_NEVER;
	const struct cluster *c = end <= q->t_min ? &q->now : &q->lng;
	int rc;

	if (pin != NULL)
		rc = sched_place_pinned(&q->pl, c, &k->r, pin, a, n, why);
	else
		rc = sched_place_job(&q->pl, c, &k->r, a, n, why);
	if (rc || c == &q->now)
		return rc;
	if (pin != NULL)
		rc = sched_place_pinned(&q->pl, &q->now, &k->r, pin, a, n, why);
	else
		rc = sched_place_job(&q->pl, &q->now, &k->r, a, n, why);
	return rc ? 2 : 0;
}

static void
sched_quick_start(struct sched_quick *q, const struct sched_quick_job *k,
    const struct alloc *a, int32_t n, int64_t now, struct plan *out)
{
	struct ledger_amount amt;
	int32_t i;

	for (i = 0; i < n; i++) {
		cluster_take(&q->now, &a[i]);
		cluster_take(&q->lng, &a[i]);
	}
	sched_place_touch(&q->pl, &q->now, a, n);
	sched_place_touch(&q->pl, &q->lng, a, n);
	sched_fairshare_alloc_milli(a, n, &amt);
	project_ledger_hold(&q->l, k->uidx, &amt, 1);
	plan_add_gang(out, k->j->id, a, n);
	sched_fairshare_risk(out, k->j, q->cfg, &q->l, k->pidx, now);
}

/* The gate: held, dependency, hard limit.  1 when it stops the job. */
static int
sched_quick_gate(struct sched_quick *q, const struct sched_quick_job *k,
    struct waiting *w)
{
	if (k->j->flags & JOB_F_HELD) {
		w->reason = WAIT_HELD;
		w->hint.kind = HINT_HELD;
		return 1;
	}
	if (k->j->flags & JOB_F_DEPENDENCY) {
		w->reason = WAIT_DEPENDENCY;
		w->hint.kind = HINT_DEPENDENCY;
		return 1;
	}
	if (project_ledger_in_limit(&q->l, k->pidx, k->milli))
		return 0;
	w->reason = WAIT_LIMIT;
	w->position = ++q->position;
	w->hint.kind = HINT_LIMIT;
	(void)project_ledger_binding(&q->l, k->pidx, k->milli, 1,
	    &w->hint.value, &w->hint.value2);
	return 1;
}

/* Why a job that does not fit waits, as the full plan would say it. */
static void
sched_quick_why(struct sched_quick *q, const struct sched_quick_job *k, int rc,
    enum wait_reason why, int64_t now, struct waiting *w)
{
	w->position = ++q->position;
	w->reason = rc == 2 ? WAIT_PRIORITY : why;
	if (rc == 2 && q->t_min > now && q->t_min != FS_NEVER) {
		w->hint.kind = HINT_SHORTER;
		w->hint.value = q->t_min - now;
	} else if (k->j->pin != NULL) {
		w->hint.kind = HINT_PIN;
		if (k->j->pin->node >= 0 &&
		    (size_t)k->j->pin->node < q->now.nnodes)
			snprintf(w->hint.text, sizeof(w->hint.text), "%s",
			    q->now.nodes[k->j->pin->node].name);
	} else if (w->reason == WAIT_RESOURCES && q->cfg->any &&
	    !project_ledger_in_quota(&q->l, k->pidx, k->milli)) {
		w->reason = WAIT_QUOTA;
		w->hint.kind = HINT_QUOTA;
		(void)project_ledger_binding(&q->l, k->pidx, k->milli, 0,
		    &w->hint.value, &w->hint.value2);
	}
}

static void
sched_quick_one(struct sched_quick *q, const struct job_core *j, int64_t now,
    struct plan *out)
{
	struct alloc a[MODEL_MAX_GANG_NODES];
	struct sched_quick_job k;
	enum wait_reason why = WAIT_RESOURCES;
	struct waiting w;
	int32_t n = 0;
	int rc;

	memset(&w, 0, sizeof(w));
	w.job_id = j->id;
	sched_quick_job(q, j, &k);
	if (!sched_quick_gate(q, &k, &w)) {
		if ((rc = sched_quick_place(q, &k, now, a, &n, &why)) == 1) {
			sched_quick_start(q, &k, a, n, now, out);
			return;
		}
		sched_quick_why(q, &k, rc, why, now, &w);
	}
	plan_add_wait(out, &w);
}

int
sched_quick_plan(struct sched_quick *q, const struct job_core *const *fresh,
    size_t n, int64_t now, struct plan *out)
{
	struct policy_params pp;
	const struct job_core **v;
	size_t i;

	if (!q->valid)
		return GQ_EINVAL;
	q->l.cfg = q->cfg == &q->own ? NULL : q->cfg;
	v = xreallocarray(NULL, n + 1, sizeof(*v));
	if (n > 0)
		memcpy(v, fresh, n * sizeof(*v));
	pp = q->cfg->params;
	qsort_r(v, n, sizeof(*v), sched_quick_cmp, &pp);
	for (i = 0; i < n; i++)
		if (v[i]->state == JOB_PENDING)
			sched_quick_one(q, v[i], now, out);
	free(v);
	return 0;
}
