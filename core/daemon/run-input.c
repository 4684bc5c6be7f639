/*
 * What the policy and the quota views read, built from the daemon's state:
 * the free capacity, the waiting and running jobs, the projects, and the
 * usage that decays (kept from finished runs; running ones are counted by
 * whoever reads it, up to now).
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"

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
	free(ri->free_c.nodes);
	memset(ri, 0, sizeof(*ri));
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
			run_usage_add(d, j,
			    j->end_time < now ? j->end_time : now);
	}
}

/* Sets this node's pool and labels from the configuration. */
static void
run_input_node(struct daemon *d)
{
	struct node *nd;

	if (d->cluster.nnodes == 0)
		return;
	nd = &d->cluster.nodes[0];
	snprintf(nd->pool, sizeof(nd->pool), "%s",
	    d->cfg.node_pool != NULL ? d->cfg.node_pool : "");
	snprintf(nd->labels, sizeof(nd->labels), "%s",
	    d->cfg.node_labels != NULL ? d->cfg.node_labels : "");
}

void
run_projects_apply(struct daemon *d, int64_t now)
{
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
