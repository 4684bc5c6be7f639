/*
 * The fairshare policy reads its input: running jobs (what they hold,
 * when they end, their part of the ledger) and waiting jobs (what they
 * need, their requests with the defaults filled, their shapes).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/sched-fairshare.h"

/* What a job's allocs hold; gang parts included. */
static void
sched_fairshare_load_held(const struct job_core *j, struct ledger_amount *amt)
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
sched_fairshare_load_run(struct fs_state *st, const struct job_core *j)
{
	struct fs_run *r = &st->runs[st->nruns++];
	struct ledger_amount amt;

	memset(r, 0, sizeof(*r));
	r->j = j;
	r->pidx = project_ledger_project(&st->l, j->project);
	r->uidx = project_ledger_user(&st->l, r->pidx, j->user);
	r->rank = st->pp->class_rank[j->cls];
	sched_fairshare_load_held(j, &amt);
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

static void
sched_fairshare_load_job(struct fs_state *st, const struct job_core *j,
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
sched_fairshare_load_cmp_id(const void *pa, const void *pb)
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
sched_fairshare_load_sorted(const struct job_core *const *v, size_t n)
{
	const struct job_core **s = xreallocarray(NULL, n + 1, sizeof(*s));

	if (n > 0)
		memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), sched_fairshare_load_cmp_id);
	return s;
}

void
sched_fairshare_load(struct fs_state *st)
{
	const struct sched_input *in = st->in;
	int64_t gpu_mem = sched_fairshare_max_gpu_mem(in->cluster);
	const struct job_core **v;
	size_t i;

	v = sched_fairshare_load_sorted(in->running, in->nrunning);
	st->runs = xcalloc(in->nrunning + 1, sizeof(*st->runs));
	for (i = 0; i < in->nrunning; i++)
		if (v[i]->state == JOB_RUNNING)
			sched_fairshare_load_run(st, v[i]);
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
			sched_fairshare_load_job(st, in->pending[i], gpu_mem);
}
