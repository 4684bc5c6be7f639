/*
 * The room of swaps (docs/swap.md): what suspended jobs keep (host memory;
 * GPU memory too after a plain stop), the free capacity around them, and
 * the job JSON's "suspended", "swapping", "swap_error" and "pinned".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/run-swap.h"

/* "GPU 3" or "GPUs 0,1" of an allocation, into out. */
void
run_swap_gpus(const struct alloc *a, char *out, size_t n)
{
	size_t len;
	int32_t i;

	snprintf(out, n, "%s", a->ngpus == 1 ? "GPU " : "GPUs ");
	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++) {
		len = strlen(out);
		snprintf(out + len, n - len, "%s%d", i ? "," : "",
		    (int)a->gpus[i].gpu);
	}
	if (a->ngpus == 0)
		snprintf(out, n, "no GPU");
}

/* Takes out of c what j keeps while suspended (sign 1), or gives it. */
void
run_swap_keep(struct cluster *c, const struct job *j, int sign)
{
	const struct alloc *a = j->life ? j->life->left : NULL;
	struct node *nd;
	int32_t i, g;

	if (a == NULL || a->node < 0 || (size_t)a->node >= c->nnodes)
		return;
	nd = &c->nodes[a->node];
	nd->free_mem_mb -= sign * a->mem_mb;
	if (j->life->mech != JOB_SWAP_STOP)
		return;
	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++) {
		g = a->gpus[i].gpu;
		if (g >= 0 && g < nd->ngpus)
			nd->gpus[g].free_mem_mb -= sign * a->gpus[i].mem_mb;
	}
}

void
run_swap_keep_all(struct daemon *d, struct cluster *c)
{
	size_t i;

	for (i = 0; i < d->nactive; i++)
		if (d->active[i]->core.state == JOB_SUSPENDED)
			run_swap_keep(c, d->active[i], 1);
}

void
run_swap_free(struct daemon *d, struct cluster *c)
{
	struct job *j;
	size_t i;

	c->nnodes = d->cluster.nnodes;
	c->nodes = xreallocarray(NULL, c->nnodes + 1, sizeof(*c->nodes));
	memcpy(c->nodes, d->cluster.nodes, c->nnodes * sizeof(*c->nodes));
	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		if (j->core.state == JOB_RUNNING)
			cluster_take(c, &j->core.alloc);
	}
	run_swap_keep_all(d, c);
}

/* True when a fits c's free capacity on its node and GPUs. */
int
run_swap_fits(const struct cluster *c, const struct alloc *a)
{
	const struct node *nd;
	int32_t i, g;

	if (a->node < 0 || (size_t)a->node >= c->nnodes)
		return 0;
	nd = &c->nodes[a->node];
	if (nd->free_cpus_milli < a->cpus_milli || nd->free_mem_mb < a->mem_mb)
		return 0;
	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++) {
		g = a->gpus[i].gpu;
		if (g < 0 || g >= nd->ngpus ||
		    nd->gpus[g].free_milli < a->gpus[i].milli ||
		    nd->gpus[g].free_mem_mb < a->gpus[i].mem_mb)
			return 0;
	}
	return 1;
}

/* Who holds any of a's GPUs now, as "job 7" (into out), for messages. */
void
run_swap_holder(struct daemon *d, const struct job *self, const struct alloc *a,
    char *out, size_t n)
{
	const struct alloc *b;
	int32_t x, y;
	size_t i;

	snprintf(out, n, "other jobs");
	for (i = 0; i < d->nactive; i++) {
		if (d->active[i] == self ||
		    d->active[i]->core.state != JOB_RUNNING)
			continue;
		b = &d->active[i]->core.alloc;
		for (x = 0; b->node == a->node && x < b->ngpus; x++)
			for (y = 0; y < a->ngpus; y++)
				if (b->gpus[x].gpu == a->gpus[y].gpu) {
					snprintf(out, n, "job %lld",
					    (long long)d->active[i]->core.id);
					return;
				}
	}
}

static json_t *
run_swap_json_gpus(const struct alloc *a)
{
	json_t *gpus = json_array();
	int32_t i;

	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++)
		json_array_append_new(gpus, json_integer(a->gpus[i].gpu));
	return gpus;
}

/* The "suspended" object of a swapped-out job. */
static json_t *
run_swap_json_suspended(const struct job *j, int64_t now)
{
	const struct job_life *l = j->life;
	json_t *s;

	s = json_pack("{s:s,s:I,s:s,s:o,s:b,s:I}", "mechanism",
	    run_swap_mech_name(l->mech), "since", (json_int_t)l->since, "where",
	    l->where ? l->where : "", "checkpoint_age",
	    l->mech == JOB_SWAP_STOP || l->since <= 0 ?
	        json_null() :
	        json_integer(now > l->since ? now - l->since : 0),
	    "resume", l->resume != 0, "ran_s", (json_int_t)l->ran_s);
	if (l->for_job > 0)
		json_object_set_new(s, "for_job", json_integer(l->for_job));
	if (l->left != NULL && j->core.state == JOB_SUSPENDED)
		json_object_set_new(s, "gpus", run_swap_json_gpus(l->left));
	return s;
}

void
run_swap_json(struct daemon *d, const struct job *j, json_t *o)
{
	const struct job_life *l = j->life;

	(void)d;
	if (l == NULL)
		return;
	if (j->core.state == JOB_SUSPENDED ||
	    (j->core.state == JOB_PENDING && l->mech == JOB_SWAP_SIGNAL &&
	        l->since > 0))
		json_object_set_new(o, "suspended",
		    run_swap_json_suspended(j, daemon_now()));
	if (j->core.state == JOB_RUNNING && l->op != JOB_SWAP_OP_NONE)
		json_object_set_new(o, "swapping",
		    json_pack("{s:s,s:s}", "op",
		        l->op == JOB_SWAP_OP_SUSPEND ? "suspend" : "resume",
		        "mechanism", run_swap_mech_name(l->mech)));
	if (l->error != NULL && !model_state_final(j->core.state))
		json_object_set_new(o, "swap_error", json_string(l->error));
	if (l->pin != NULL && j->core.state == JOB_PENDING)
		json_object_set_new(o, "pinned",
		    json_pack("{s:I,s:o}", "replaces", (json_int_t)l->pin_from,
		        "gpus", run_swap_json_gpus(l->pin)));
}
