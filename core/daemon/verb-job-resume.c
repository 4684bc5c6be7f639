/*
 * job.resume: brings a suspended job back.  A SUSPENDED job continues on
 * the GPUs it left, at once if they are free, else as soon as they are.
 * A job that was swapped out by its checkpoint signal (requeued and held)
 * is released: it starts again from its checkpoint when it finds room.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

/* A waiting job held by job.suspend (the checkpoint-signal path). */
static int
verb_job_resume_signalled(const struct job *j)
{
	return j->core.state == JOB_PENDING && j->life != NULL &&
	    j->life->mech == JOB_SWAP_SIGNAL && j->life->user_hold;
}

static int
verb_job_resume_state(const struct job *j, char **cause)
{
	const struct job_life *l = j->life;

	if (j->core.state == JOB_SUSPENDED || verb_job_resume_signalled(j) ||
	    (j->core.state == JOB_RUNNING && l != NULL &&
	        l->op == JOB_SWAP_OP_RESUME))
		return 0;
	if (j->core.state == JOB_RUNNING && l != NULL &&
	    l->op == JOB_SWAP_OP_SUSPEND)
		*cause = xasprintf("job %lld is being suspended; resume it "
		                   "once it is SUSPENDED",
		    (long long)j->core.id);
	else
		*cause = xasprintf("job %lld is not suspended (%s)",
		    (long long)j->core.id, model_state_name(j->core.state));
	return GQ_ESTATE;
}

static void
verb_job_resume_release(struct verb_ctx *v, struct job *j, char **waiting)
{
	char why[128];

	j->core.flags &= ~JOB_F_HELD;
	run_swap_clear(j);
	snprintf(why, sizeof(why), "resumed by %s", v->c->user);
	job_set_reason(j, why);
	jobs_changed(v->d, j, v->now, 1);
	run_deps_owe(j);
	v->d->sched_dirty = 1;
	*waiting = xasprintf("it starts again when there is room; its next "
	                     "run has GPUQ_RESTART_COUNT=%d",
	    (int)j->attempt);
}

int
verb_job_resume(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	char *waiting = NULL;
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0 ||
	    (rc = verb_job_resume_state(j, cause)) != 0)
		return rc;
	if (verb_job_resume_signalled(j))
		verb_job_resume_release(v, j, &waiting);
	else if (j->core.state == JOB_SUSPENDED)
		run_swap_resume(v->d, j, v->now, &waiting);
	*result = json_pack("{s:o,s:b,s:s?}", "job", jobjson_encode(v->d, j, 0),
	    "resumed", j->core.state == JOB_RUNNING, "waiting", waiting);
	free(waiting);
	return 0;
}
