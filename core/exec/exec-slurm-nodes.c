/*
 * The slurm executor's nodes, for the daemon's cluster: from the worker's
 * listing, or from the last one saved when slurmctld is away at start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-slurm-int.h"

void
exec_slurm_nodes_cache(const struct exec_ctx *x)
{
	struct buf b;
	char chunk[8192];
	size_t r;
	FILE *fp;

	xs.inv_cache = xasprintf("%s/slurm-nodes.txt", x->state_dir);
	if ((fp = fopen(xs.inv_cache, "re")) == NULL)
		return;
	buf_init(&b, EXEC_SLURM_CMD_MAX_OUT);
	while ((r = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, r);
	fclose(fp);
	if (b.data != NULL)
		exec_slurm_poll_nodes_set(b.data);
	buf_done(&b);
}

/* Adds one Slurm node to c. */
static void
exec_slurm_nodes_add(struct cluster *c, const struct slurm_node *sn)
{
	struct node *nd;
	int32_t idx, g;
	size_t plen;

	idx = cluster_add_node(c, sn->name, sn->gpus,
	    sn->gpu_type[0] ? sn->gpu_type : "gpu", xs.gpu_mem_mb,
	    sn->cpus * 1000, sn->mem_mb);
	nd = &c->nodes[idx];
	plen = strcspn(sn->partitions, ",");
	if (xs.partition != NULL)
		snprintf(nd->pool, sizeof(nd->pool), "%s", xs.partition);
	else if (plen < sizeof(nd->pool))
		snprintf(nd->pool, sizeof(nd->pool), "%.*s", (int)plen,
		    sn->partitions);
	if (model_labels_check(sn->features) == 0)
		snprintf(nd->labels, sizeof(nd->labels), "%s", sn->features);
	if (sn->usable)
		return;
	/* Drained or down: known capacity, nothing free. */
	nd->free_cpus_milli = 0;
	nd->free_mem_mb = 0;
	for (g = 0; g < nd->ngpus; g++) {
		nd->gpus[g].free_milli = 0;
		nd->gpus[g].free_mem_mb = 0;
	}
}

int
exec_slurm_nodes_get(struct cluster *c, uint64_t *gen, int wait_ms, char *cause,
    size_t n)
{
	struct timespec ts;
	size_t i;
	int rc = GQ_ENOENT;

	if (!xs.inv_done && xs.inv_gen == 0 && wait_ms > 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += wait_ms / 1000;
		while (!xs.inv_done &&
		    pthread_cond_timedwait(&xs.inv_cv, &xs.mu, &ts) == 0)
			;
	}
	snprintf(cause, n, "%s",
	    xs.inv_done ? xs.inv_error : "Slurm has not answered yet");
	if (xs.inv_gen != *gen) {
		for (i = 0; i < xs.nnodes; i++)
			exec_slurm_nodes_add(c, &xs.nodes[i]);
		*gen = xs.inv_gen;
		rc = 0;
	}
	return rc;
}
