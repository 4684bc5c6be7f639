/*
 * The cluster of an executor that runs jobs on nodes of its own (slurm):
 * built from the executor's node list at start, refreshed on the tick.  A
 * node keeps its index for as long as the daemon runs, since running jobs'
 * allocations name it; a node that leaves the list stays, with nothing
 * free.  docs/slurm.md.
 */
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/daemon/daemon.h"

#define RUN_NODES_WAIT_MS 20000 /* for the first list, at start */

void
run_nodes_ctx(struct daemon *d)
{
	d->xctx.host = d->host;
	d->xctx.cluster = &d->cluster;
	d->xctx.slurm_partition = d->cfg.slurm_partition;
	d->xctx.slurm_dir = d->cfg.slurm_dir;
	d->xctx.slurm_poll_ms = d->cfg.slurm_poll_ms;
	d->xctx.slurm_gpu_mem_mb = d->cfg.slurm_gpu_mem_mb;
	d->xctx.slurm_parallel = d->cfg.slurm_parallel;
}

static int32_t
run_nodes_find(const struct cluster *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		if (strcmp(c->nodes[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

/* Takes fresh's nodes into d->cluster, each at its old index. */
static void
run_nodes_merge(struct daemon *d, const struct cluster *fresh)
{
	struct node *nd;
	int32_t idx, g;
	size_t i;

	for (i = 0; i < d->cluster.nnodes; i++) {
		if (run_nodes_find(fresh, d->cluster.nodes[i].name) >= 0)
			continue;
		nd = &d->cluster.nodes[i];
		nd->free_cpus_milli = 0;
		nd->free_mem_mb = 0;
		for (g = 0; g < nd->ngpus; g++)
			nd->gpus[g].free_milli = nd->gpus[g].free_mem_mb = 0;
	}
	for (i = 0; i < fresh->nnodes; i++) {
		idx = run_nodes_find(&d->cluster, fresh->nodes[i].name);
		if (idx < 0)
			idx = cluster_add_node(&d->cluster,
			    fresh->nodes[i].name, 0, "", 0, 0, 0);
		d->cluster.nodes[idx] = fresh->nodes[i];
	}
}

/* Asks the executor for news; 1 when the cluster changed. */
static int
run_nodes_pull(struct daemon *d, int wait_ms)
{
	static uint64_t gen;
	struct cluster fresh;
	char cause[256];
	int changed = 0;

	cluster_init(&fresh);
	if (d->exec->nodes(&d->xctx, &fresh, &gen, wait_ms, cause,
	        sizeof(cause)) == 0) {
		run_nodes_merge(d, &fresh);
		log_info("%s: %zu nodes", d->exec->name, fresh.nnodes);
		changed = 1;
	} else if (wait_ms > 0 && cause[0] != '\0')
		log_warn("%s: no node list yet (%s); jobs wait for one",
		    d->exec->name, cause);
	cluster_done(&fresh);
	return changed;
}

int
run_nodes_init(struct daemon *d)
{
	if (d->exec->nodes == NULL)
		return 0;
	cluster_init(&d->cluster);
	run_nodes_pull(d, RUN_NODES_WAIT_MS);
	return 1;
}

void
run_nodes_tick(struct daemon *d, int64_t now)
{
	if (d->exec->nodes != NULL && run_nodes_pull(d, 0))
		d->sched_dirty = 1;
}

void
run_nodes_json(struct daemon *d, const struct job *j, json_t *o, int detail)
{
	struct exec_info xi;

	memset(&xi, 0, sizeof(xi));
	if (d->exec->info == NULL || j->attempt <= 0 ||
	    d->exec->info(&d->xctx, j, detail, &xi) != 0)
		return;
	json_object_set_new(o, d->exec->name,
	    json_pack("{s:I,s:o,s:o}", "id", (json_int_t)xi.id, "state",
	        xi.state[0] ? json_string(xi.state) : json_null(), "reason",
	        xi.reason[0] ? json_string(xi.reason) : json_null()));
}
