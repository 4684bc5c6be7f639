#include <string.h>

#include "core/daemon/telemetry.h"
#include "core/daemon/verbs.h"

/* What running jobs hold on each GPU of the node. */
static void
status_holders(struct daemon *d, int32_t node, json_t **gjobs, int32_t *milli,
    int64_t *mem)
{
	const struct alloc *a;
	struct job *j;
	size_t i;
	int32_t k;

	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		a = &j->core.alloc;
		if (j->core.state != JOB_RUNNING || a->node != node)
			continue;
		for (k = 0; k < a->ngpus; k++) {
			milli[a->gpus[k].gpu] += a->gpus[k].milli;
			mem[a->gpus[k].gpu] += a->gpus[k].mem_mb;
			json_array_append_new(gjobs[a->gpus[k].gpu],
			    json_pack("{s:I,s:s,s:f}", "id",
			        (json_int_t)j->core.id, "user", j->core.user,
			        "share", a->gpus[k].milli / 1000.0));
		}
	}
}

static json_t *
status_gpu(struct daemon *d, int32_t i, int32_t milli, int64_t mem,
    json_t *jobs, int64_t now)
{
	const struct gpu_info *g = &d->inv.gpus[i];
	struct gpu_sample s;
	json_t *o;

	telemetry_gpu_sample(d, i, milli, mem, now, &s);
	o = json_pack("{s:i,s:s,s:s,s:s,s:I,s:f,s:I,s:i,s:I,s:i,s:i,s:o}",
	    "index", i, "uuid", g->uuid, "name", g->name, "model", g->model,
	    "mem_mb", (json_int_t)g->mem_mb, "alloc", milli / 1000.0,
	    "alloc_mem_mb", (json_int_t)mem, "util_pct", s.util_pct,
	    "mem_used_mb", (json_int_t)s.mem_used_mb, "temp_c", s.temp_c,
	    "power_w", s.power_w, "jobs", jobs);
	telemetry_gpu_json(d, i, o); /* null when unknown, "state": "lost" */
	return o;
}

/*
 * A GPU of a node the executor brought (slurm): what the cluster model
 * says of it (the model from the gres type, the memory from
 * slurm-gpu-mem), without telemetry, which gpuqd does not have there.
 */
static json_t *
status_gpu_remote(const struct gpu *g, int32_t i, int32_t milli, int64_t mem,
    json_t *jobs)
{
	return json_pack("{s:i,s:n,s:n,s:s,s:I,s:f,s:I,s:n,s:n,s:n,s:n,s:o}",
	    "index", i, "uuid", "name", "model", g->model, "mem_mb",
	    (json_int_t)g->mem_mb, "alloc", milli / 1000.0, "alloc_mem_mb",
	    (json_int_t)mem, "util_pct", "mem_used_mb", "temp_c", "power_w",
	    "jobs", jobs);
}

static json_t *
status_node(struct daemon *d, int32_t n, double *alloc_sum, int64_t now)
{
	int32_t milli[MODEL_MAX_NODE_GPUS] = { 0 };
	int64_t mem[MODEL_MAX_NODE_GPUS] = { 0 };
	json_t *gjobs[MODEL_MAX_NODE_GPUS], *gpus = json_array();
	const struct node *nd = &d->cluster.nodes[n];
	int32_t i, cpus = 0;
	int64_t memu = 0;
	size_t k;

	for (i = 0; i < nd->ngpus; i++)
		gjobs[i] = json_array();
	status_holders(d, n, gjobs, milli, mem);
	for (i = 0; i < nd->ngpus; i++) {
		json_array_append_new(gpus,
		    d->exec->nodes != NULL ?
		        status_gpu_remote(&nd->gpus[i], i, milli[i], mem[i],
		            gjobs[i]) :
		        status_gpu(d, i, milli[i], mem[i], gjobs[i], now));
		*alloc_sum += milli[i] / 1000.0;
	}
	for (k = 0; k < d->nactive; k++)
		if (d->active[k]->core.state == JOB_RUNNING &&
		    d->active[k]->core.alloc.node == n) {
			cpus += d->active[k]->core.alloc.cpus_milli;
			memu += d->active[k]->core.alloc.mem_mb;
		}
	return json_pack("{s:s,s:f,s:f,s:I,s:I,s:o}", "name", nd->name, "cpus",
	    nd->cpus_milli / 1000.0, "cpus_alloc", cpus / 1000.0, "mem_mb",
	    (json_int_t)nd->mem_mb, "mem_alloc_mb", (json_int_t)memu, "gpus",
	    gpus);
}

/* Where the GPUs come from: the executor's nodes, or this host's probe. */
static const char *
status_source(struct daemon *d)
{
	if (d->exec->nodes != NULL)
		return d->exec->name;
	return d->inv.ngpus ? d->inv.source : "none";
}

int
verb_cluster_status(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { NULL };
	size_t counts[JOB_NSTATES];
	json_t *nodes = json_array();
	double alloc = 0;
	size_t n, ngpus = 0;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0) {
		json_decref(nodes);
		return rc;
	}
	for (n = 0; n < v->d->cluster.nnodes; n++) {
		json_array_append_new(nodes,
		    status_node(v->d, (int32_t)n, &alloc, v->now));
		ngpus += (size_t)v->d->cluster.nodes[n].ngpus;
	}
	jobs_count(v->d, counts);
	*result = json_pack("{s:s,s:s,s:s,s:o,s:{s:I,s:f,s:I,s:I}}", "host",
	    v->d->host, "executor", v->d->exec->name, "gpu_source",
	    status_source(v->d), "nodes", nodes, "totals", "gpus",
	    (json_int_t)ngpus, "gpus_alloc", alloc, "jobs_running",
	    (json_int_t)counts[JOB_RUNNING], "jobs_pending",
	    (json_int_t)counts[JOB_PENDING]);
	return 0;
}
