/*
 * job.swap {out, in}: swaps the running job OUT out and starts the
 * waiting job IN on the GPUs OUT leaves.  IN is pinned there at once and
 * starts in the turn OUT's swap-out is complete (a plain stop or a
 * cuda-checkpoint: milliseconds to seconds; a checkpoint signal: once OUT
 * has saved and exited).  OUT comes back on its GPUs when they are free
 * again (cuda-checkpoint, stop), or waits in the queue (signal).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"
#include "core/place.h"

static int
verb_job_swap_find(struct verb_ctx *v, const char *name, struct job **out,
    char **cause)
{
	int64_t id;
	int rc;

	if (json_object_get(v->params, name) == NULL) {
		*cause = xasprintf("\"%s\" is required", name);
		return GQ_EINVAL;
	}
	if ((rc = params_int(v->params, name, 1, PROTO_MAX_ID_PARAM, 0, &id,
	         cause)) != 0)
		return rc;
	if ((*out = jobs_archive_fetch(v->d, id)) == NULL) {
		*cause = xasprintf("no job %lld", (long long)id);
		return GQ_ENOENT;
	}
	return params_may_change(v, *out, cause);
}

static int
verb_job_swap_check(const struct job *out, const struct job *in, char **cause)
{
	if (out == in) {
		*cause = xstrdup("\"out\" and \"in\" are the same job");
		return GQ_EINVAL;
	}
	if (out->core.state != JOB_RUNNING || out->end_intent != 0 ||
	    (out->life && out->life->op != 0)) {
		*cause = xasprintf("job %lld (out) must be running, and not "
		                   "being stopped or swapped already (%s)",
		    (long long)out->core.id, model_state_name(out->core.state));
		return GQ_ESTATE;
	}
	if (in->core.state != JOB_PENDING) {
		*cause = xasprintf("job %lld (in) must be waiting (%s)",
		    (long long)in->core.id, model_state_name(in->core.state));
		return GQ_ESTATE;
	}
	if (in->core.flags & (JOB_F_HELD | JOB_F_DEPENDENCY)) {
		*cause = xasprintf("job %lld (in) is held or waits for another "
		                   "job",
		    (long long)in->core.id);
		return GQ_ESTATE;
	}
	return 0;
}

/* Leaves in c only OUT's node and GPUs, as free as OUT's swap-out makes
 * them. */
static void
verb_job_swap_room(struct daemon *d, const struct job *out, int mech,
    struct cluster *c)
{
	const struct alloc *a = &out->core.alloc;
	int mine[MODEL_MAX_NODE_GPUS];
	struct node *nd;
	int32_t i, g;
	size_t k;

	run_swap_free(d, c);
	if (mech == JOB_SWAP_STOP) {
		nd = &c->nodes[a->node];
		nd->free_cpus_milli += a->cpus_milli;
		for (i = 0; i < a->ngpus; i++)
			nd->gpus[a->gpus[i].gpu].free_milli += a->gpus[i].milli;
	} else
		cluster_give(c, a);
	memset(mine, 0, sizeof(mine));
	for (i = 0; i < a->ngpus; i++)
		mine[a->gpus[i].gpu] = 1;
	for (k = 0; k < c->nnodes; k++) {
		nd = &c->nodes[k];
		if ((int32_t)k != a->node)
			nd->free_cpus_milli = 0;
		for (g = 0; g < nd->ngpus; g++)
			if ((int32_t)k != a->node || !mine[g]) {
				nd->gpus[g].free_milli = 0;
				nd->gpus[g].free_mem_mb = 0;
			}
	}
}

static int
verb_job_swap_place(struct daemon *d, const struct job *out,
    const struct job *in, int mech, struct alloc *pin, char **cause)
{
	enum wait_reason why;
	struct cluster c;
	char g[160];
	int fits;

	if (out->core.alloc.node < 0 ||
	    (size_t)out->core.alloc.node >= d->cluster.nnodes) {
		*cause = xasprintf("job %lld holds no node here",
		    (long long)out->core.id);
		return GQ_ESTATE;
	}
	verb_job_swap_room(d, out, mech, &c);
	memset(pin, 0, sizeof(*pin));
	fits = place_find(NULL, &c, &in->core.req, NULL, pin, &why) == 1;
	cluster_done(&c);
	if (fits && pin->node == out->core.alloc.node)
		return 0;
	snprintf(g, sizeof(g), "%s",
	    out->core.alloc.ngpus == 1 ? "GPU" : "GPUs");
	*cause = mech == JOB_SWAP_STOP ?
	    xasprintf("job %lld does not fit where job %lld is: a plain stop "
	              "(no cuda-checkpoint, no checkpoint signal) keeps job "
	              "%lld's GPU memory on its %s and frees only compute",
	        (long long)in->core.id, (long long)out->core.id,
	        (long long)out->core.id, g) :
	    xasprintf("job %lld does not fit on the %s, CPUs and memory job "
	              "%lld leaves",
	        (long long)in->core.id, g, (long long)out->core.id);
	return GQ_ENOFIT;
}

static void
verb_job_swap_pin(struct verb_ctx *v, struct job *in, const struct job *out,
    const struct alloc *pin)
{
	struct job_life *l = job_life(in);

	free(l->pin);
	l->pin = xmalloc(sizeof(*l->pin));
	*l->pin = *pin;
	l->pin_from = out->core.id;
	in->core.pin = l->pin;
	jobs_changed(v->d, in, v->now, 0);
}

int
verb_job_swap(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "out", "in", NULL };
	struct job *out, *in;
	struct alloc pin;
	char why[128];
	int rc, mech;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = verb_job_swap_find(v, "out", &out, cause)) != 0 ||
	    (rc = verb_job_swap_find(v, "in", &in, cause)) != 0 ||
	    (rc = verb_job_swap_check(out, in, cause)) != 0)
		return rc;
	mech = run_swap_mech(v->d, out, 0);
	if (mech != JOB_SWAP_NONE &&
	    (rc = verb_job_swap_place(v->d, out, in, mech, &pin, cause)) != 0)
		return rc;
	snprintf(why, sizeof(why), "swapped out for job %lld by %s",
	    (long long)in->core.id, v->c->user);
	if ((rc = run_swap_begin(v->d, out, mech, RUN_SWAP_VERB, in->core.id,
	         why, v->now, cause)) != 0)
		return rc;
	verb_job_swap_pin(v, in, out, &pin);
	*result = json_pack("{s:o,s:o,s:s}", "out",
	    jobjson_encode(v->d, out, 0), "in", jobjson_encode(v->d, in, 0),
	    "mechanism", run_swap_mech_name(mech));
	return 0;
}
