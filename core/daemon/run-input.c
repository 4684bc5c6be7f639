/*
 * What the policy and the quota views read, built from the daemon's state:
 * the free capacity, the waiting and running jobs, the projects, and the
 * usage that decays (kept from finished runs; running ones are counted by
 * whoever reads it, up to now).
 *
 * Incremental planning (core/sched-quick.h): every change to a job passes
 * through jobs_changed, which tells run_input_changed.  If since the last
 * plan the only changes are new waiting jobs (ids above the last plan's)
 * and the jobs that plan started (unchanged since), the capacity and the
 * configuration are the same, and the last full plan is less than
 * RUN_QUICK_S old, only the new jobs are decided, against what that plan
 * left.  Anything else (a job ending, a cancel, a hold or release, an
 * update, a swap, a lost GPU, a reload) makes the next plan a full one.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/run-swap.h"
#include "core/sched-quick.h"

#define RUN_QUICK_S 1 /* a full plan at least this often while jobs come */

/* A job started by the last plans, as it was then (open addressing). */
struct run_recent {
	int64_t id; /* 0: empty */
	uint64_t fp;
};

/* What the last plan saw, and what it left for the quick path. */
struct run_quick {
	struct sched_quick q;
	struct sched_scratch scratch; /* full plans' memory, reused */
	int64_t full_at;              /* the last full plan */
	int64_t max_id;               /* jobs above are new since */
	uint64_t cluster_fp;
	int changed;  /* something besides new jobs changed since */
	int applying; /* a plan is being carried out: its own changes */
	int waiting;  /* quick decisions left jobs waiting: a full plan due */
	struct run_recent *recent; /* jobs started since the full plan */
	size_t nrecent, cap_recent;
};

static struct run_quick *
run_input_quick_state(struct daemon *d)
{
	if (d->quick == NULL) {
		d->quick = xcalloc(1, sizeof(*d->quick));
		sched_quick_init(&d->quick->q);
		sched_scratch_init(&d->quick->scratch);
	}
	return d->quick;
}

/*
 * Suspended jobs that asked to resume, as PENDING jobs pinned to the
 * GPUs they left, appended to ri->pending at np; returns the new count.
 */
static size_t
run_input_resumes(struct daemon *d, struct run_input *ri, size_t np)
{
	struct job_core *c;
	struct job *j;
	size_t i;

	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		if (!run_swap_resumable(d, j))
			continue;
		ri->resumes = xreallocarray(ri->resumes, ri->nresumes + 1,
		    sizeof(*ri->resumes));
		c = &ri->resumes[ri->nresumes++];
		*c = j->core;
		c->state = JOB_PENDING;
		c->pin = j->life->left;
		c->flags &= ~(uint32_t)(JOB_F_HELD | JOB_F_DEPENDENCY);
		c->start_time = 0;
		c->stopping = 0;
	}
	for (i = 0; i < ri->nresumes; i++)
		ri->pending[np++] = &ri->resumes[i];
	return np;
}

void
run_input_build(struct daemon *d, int64_t now, const struct job *extra,
    struct run_input *ri)
{
	struct job *j;
	size_t i, np = 0, nr = 0;

	memset(ri, 0, sizeof(*ri));
	ri->pending = xreallocarray(NULL, d->nactive + 2, sizeof(*ri->pending));
	ri->running = xreallocarray(NULL, d->nactive + 1, sizeof(*ri->running));
	ri->free_c.nnodes = d->cluster.nnodes;
	ri->free_c.nodes =
	    xreallocarray(NULL, d->cluster.nnodes + 1, sizeof(struct node));
	memcpy(ri->free_c.nodes, d->cluster.nodes,
	    d->cluster.nnodes * sizeof(struct node));
	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		if (j->core.state == JOB_PENDING) {
			ri->pending[np++] = &j->core;
		} else if (j->core.state == JOB_RUNNING) {
			j->core.start_time = j->start_time;
			j->core.stopping = j->end_intent != 0;
			ri->running[nr++] = &j->core;
			cluster_take(&ri->free_c, &j->core.alloc);
		}
	}
	if (extra != NULL)
		ri->pending[np++] = &extra->core;
	else {
		np = run_input_resumes(d, ri, np);
		/* The real plan (not a dry run): it feeds the quick path. */
		ri->in.quick = &run_input_quick_state(d)->q;
		sched_quick_reset(ri->in.quick); /* until the plan refills it */
		ri->in.scratch = &d->quick->scratch;
	}
	ri->in.cluster = &ri->free_c;
	ri->in.pending = ri->pending;
	ri->in.npending = np;
	ri->in.running = ri->running;
	ri->in.nrunning = nr;
	ri->in.now = now;
	ri->in.projects = &d->cfg.projects;
	ri->in.usage = &d->usage;
}

void
run_input_done(struct run_input *ri)
{
	free(ri->pending);
	free(ri->running);
	free(ri->resumes);
	free(ri->free_c.nodes);
	memset(ri, 0, sizeof(*ri));
}

static uint64_t
run_input_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h * 0xbf58476d1ce4e5b9ULL;
}

/* What of a job the policy reads and a verb may change. */
static uint64_t
run_input_job_fp(const struct job *j)
{
	const struct job_core *c = &j->core;
	uint64_t h = (uint64_t)c->id;

	h = run_input_mix(h, (uint64_t)c->state);
	h = run_input_mix(h, (uint64_t)c->flags);
	h = run_input_mix(h, (uint64_t)(uint32_t)c->priority);
	h = run_input_mix(h, (uint64_t)c->cls << 8 | (uint64_t)c->preemptible);
	h = run_input_mix(h, (uint64_t)j->end_intent);
	h = run_input_mix(h, (uint64_t)j->start_time);
	h = run_input_mix(h, (uint64_t)c->req.time_limit_s);
	h = run_input_mix(h, (uint64_t)c->req.gpus_milli);
	h = run_input_mix(h, (uint64_t)c->req.gpu_mem_mb);
	h = run_input_mix(h, (uint64_t)c->req.cpus_milli);
	h = run_input_mix(h, (uint64_t)c->req.mem_mb);
	h = run_input_mix(h, (uint64_t)(uintptr_t)c->pin);
	return run_input_mix(h,
	    (uint64_t)c->alloc.node << 8 | (uint64_t)c->alloc.ngpus);
}

/* The capacity the daemon plans with, lost GPUs and all. */
static uint64_t
run_input_cluster_fp(const struct daemon *d)
{
	const struct node *nd;
	uint64_t h = d->cluster.nnodes;
	size_t i;
	int32_t g;

	for (i = 0; i < d->cluster.nnodes; i++) {
		nd = &d->cluster.nodes[i];
		h = run_input_mix(h,
		    (uint64_t)nd->cpus_milli << 32 ^
		        (uint64_t)nd->free_cpus_milli);
		h = run_input_mix(h,
		    (uint64_t)nd->mem_mb ^ (uint64_t)nd->free_mem_mb << 20);
		for (g = 0; g < nd->ngpus; g++)
			h = run_input_mix(h,
			    (uint64_t)nd->gpus[g].free_milli << 40 ^
			        (uint64_t)nd->gpus[g].free_mem_mb);
	}
	return h;
}

/* The slot of id in the recent table, or where it would go. */
static struct run_recent *
run_input_recent_slot(struct run_quick *rq, int64_t id)
{
	size_t i = (size_t)((uint64_t)id * 0x9e3779b97f4a7c15ULL >> 20) &
	    (rq->cap_recent - 1);

	while (rq->recent[i].id != 0 && rq->recent[i].id != id)
		i = (i + 1) & (rq->cap_recent - 1);
	return &rq->recent[i];
}

static void
run_input_recent_add(struct run_quick *rq, const struct job *j)
{
	struct run_recent *old = rq->recent, *e;
	size_t i, cap = rq->cap_recent;

	if ((rq->nrecent + 1) * 2 > rq->cap_recent) {
		rq->cap_recent = cap ? cap * 2 : 256;
		rq->recent = xcalloc(rq->cap_recent, sizeof(*rq->recent));
		rq->nrecent = 0;
		for (i = 0; i < cap; i++)
			if (old[i].id != 0) {
				*run_input_recent_slot(rq, old[i].id) = old[i];
				rq->nrecent++;
			}
		free(old);
	}
	e = run_input_recent_slot(rq, j->core.id);
	rq->nrecent += e->id == 0;
	e->id = j->core.id;
	e->fp = run_input_job_fp(j);
}

void
run_input_changed(struct daemon *d, const struct job *j)
{
	struct run_quick *rq = d->quick;
	struct run_recent *e;

	if (rq == NULL || rq->changed || rq->applying)
		return;
	if (j->core.id > rq->max_id) {
		/* New since the last plan: fine while it waits. */
		rq->changed = j->core.state != JOB_PENDING;
		return;
	}
	if (rq->cap_recent > 0) {
		e = run_input_recent_slot(rq, j->core.id);
		if (e->id == j->core.id && e->fp == run_input_job_fp(j))
			return; /* started by a plan, and just as it was */
	}
	rq->changed = 1;
}

int
run_input_quick(struct daemon *d, int64_t now, struct plan *p)
{
	struct run_quick *rq = d->quick;
	const struct job_core **fresh;
	size_t i, n = 0;
	int ok;

	if (rq == NULL)
		return 0;
	rq->applying = 1; /* until run_input_planned */
	if (!rq->q.valid || rq->changed || now - rq->full_at >= RUN_QUICK_S ||
	    run_input_cluster_fp(d) != rq->cluster_fp)
		return 0;
	i = jobs_lower_bound(d, rq->max_id);
	fresh = xreallocarray(NULL, d->njobs - i + 1, sizeof(*fresh));
	for (; i < d->njobs; i++)
		if (d->jobs[i]->core.state == JOB_PENDING)
			fresh[n++] = &d->jobs[i]->core;
	ok = n > 0 && sched_quick_plan(&rq->q, fresh, n, now, p) == 0;
	free(fresh);
	if (ok)
		log_debug("scheduling: %zu new job%s decided on the quick "
		          "path",
		    n, n == 1 ? "" : "s");
	return ok;
}

void
run_input_planned(struct daemon *d, int64_t now, int full, const struct plan *p)
{
	struct run_quick *rq = d->quick;
	struct job *j;
	size_t i;

	if (rq == NULL)
		return;
	if (full) {
		rq->full_at = now;
		rq->waiting = 0;
		if (rq->cap_recent > 0)
			memset(rq->recent, 0,
			    rq->cap_recent * sizeof(*rq->recent));
		rq->nrecent = 0;
	} else if (p->nwaiting > 0)
		rq->waiting = 1;
	for (i = 0; i < p->ndecisions; i++)
		if (p->decisions[i].kind == DECIDE_START &&
		    (j = jobs_find(d, p->decisions[i].job_id)) != NULL)
			run_input_recent_add(rq, j);
	rq->max_id = d->next_job_id - 1;
	rq->cluster_fp = run_input_cluster_fp(d);
	rq->changed = 0;
	rq->applying = 0;
}

int
run_input_due(struct daemon *d, int64_t now)
{
	return d->quick != NULL && d->quick->waiting &&
	    now - d->quick->full_at >= RUN_QUICK_S;
}

/* What an allocation holds, for the ledger and usage. */
static void
run_input_amount(const struct alloc *a, struct ledger_amount *amt)
{
	int32_t g;

	memset(amt, 0, sizeof(*amt));
	for (g = 0; g < a->ngpus && g < MODEL_MAX_JOB_GPUS; g++)
		amt->gpus += a->gpus[g].milli;
	amt->cpus = a->cpus_milli;
	amt->mem = a->mem_mb;
}

/* GPUs (milli) a waiting job asks for, gpu-mem shares on the largest. */
static int64_t
run_input_demand(const struct daemon *d, const struct req *r)
{
	int64_t mem = 0, m;
	size_t i;
	int32_t g;

	for (i = 0; i < d->cluster.nnodes; i++)
		for (g = 0; g < d->cluster.nodes[i].ngpus; g++)
			if (d->cluster.nodes[i].gpus[g].mem_mb > mem)
				mem = d->cluster.nodes[i].gpus[g].mem_mb;
	m = model_req_milli_on(r, mem);
	if (m > MODEL_GPU_MILLI && r->gpus_milli == 0)
		m = MODEL_GPU_MILLI;
	return m * model_req_nodes(r);
}

void
run_ledger(struct daemon *d, int64_t now, struct ledger *l)
{
	struct ledger_amount amt;
	struct job *j;
	int32_t p, u;
	size_t i;

	project_ledger_init(l, &d->cfg.projects, &d->cluster, now);
	project_ledger_usage(l, &d->usage);
	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		p = project_ledger_project(l, j->core.project);
		u = project_ledger_user(l, p, j->core.user);
		if (j->core.state == JOB_RUNNING) {
			run_input_amount(&j->core.alloc, &amt);
			project_ledger_hold(l, u, &amt, 1);
			project_ledger_running(l, u, &amt, j->start_time);
		} else if (j->core.state == JOB_PENDING)
			project_ledger_pending(l, u,
			    run_input_demand(d, &j->core.req));
	}
}

void
run_usage_add(struct daemon *d, const struct job *j, int64_t end)
{
	struct ledger_amount amt;

	if (j->start_time <= 0 || end <= j->start_time ||
	    d->usage.half_life_s <= 0)
		return;
	project_usage_advance(&d->usage, end);
	run_input_amount(&j->core.alloc, &amt);
	project_usage_add(&d->usage, j->core.project, j->core.user,
	    (double)amt.gpus, (double)amt.cpus, (double)amt.mem, j->start_time,
	    end);
}

/* A finished job's usage over its run time (run_swap_usage_span). */
static void
run_usage_rebuild_job(struct daemon *d, const struct job *j, int64_t now)
{
	struct ledger_amount amt;
	int64_t start, end;

	run_swap_usage_span(j, &start, &end);
	end = end < now ? end : now;
	if (start <= 0 || end <= start || d->usage.half_life_s <= 0)
		return;
	project_usage_advance(&d->usage, end);
	run_input_amount(&j->core.alloc, &amt);
	project_usage_add(&d->usage, j->core.project, j->core.user,
	    (double)amt.gpus, (double)amt.cpus, (double)amt.mem, start, end);
}

void
run_usage_rebuild(struct daemon *d, int64_t now)
{
	const struct job *j;
	size_t i;

	project_usage_done(&d->usage);
	project_usage_init(&d->usage, d->cfg.projects.params.half_life_s, now);
	for (i = 0; i < d->njobs; i++) {
		j = d->jobs[i];
		if (j->start_time > 0 && j->end_time >= j->start_time &&
		    model_state_final(j->core.state))
			run_usage_rebuild_job(d, j, now);
	}
	jobs_archive_usage(d, now); /* ended jobs out of memory */
}

/* Sets this node's pool and labels from the configuration. */
static void
run_input_node(struct daemon *d)
{
	struct node *nd;

	if (d->cluster.nnodes == 0 || d->exec->nodes != NULL)
		return; /* the executor's nodes have their own (slurm) */
	nd = &d->cluster.nodes[0];
	snprintf(nd->pool, sizeof(nd->pool), "%s",
	    d->cfg.node_pool != NULL ? d->cfg.node_pool : "");
	snprintf(nd->labels, sizeof(nd->labels), "%s",
	    d->cfg.node_labels != NULL ? d->cfg.node_labels : "");
}

void
run_projects_apply(struct daemon *d, int64_t now)
{
	if (d->quick != NULL)
		sched_quick_reset(&d->quick->q); /* plan afresh */
	run_input_node(d);
	if (d->usage.half_life_s != d->cfg.projects.params.half_life_s ||
	    d->usage.e == NULL)
		run_usage_rebuild(d, now);
	d->sched_dirty = 1;
	log_info("scheduling: %zu departments, %zu projects, %zu users; "
	         "half-life %llds, min-runtime %llds",
	    d->cfg.projects.ndepts, d->cfg.projects.nlist,
	    d->cfg.projects.nusers,
	    (long long)d->cfg.projects.params.half_life_s,
	    (long long)d->cfg.projects.params.min_runtime_s);
}
