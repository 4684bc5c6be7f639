/*
 * job.requeue: puts a job back in the queue under the same id, as
 * Slurm's scontrol requeue does.  A running job is stopped as a swap-out
 * stops it (its checkpoint signal, else SIGTERM; SIGKILL after its
 * grace) and becomes PENDING once it has exited; a suspended one is
 * continued and stopped the same way; a job that has ended is PENDING at
 * once.  Its next run has GPUQ_RESTART_COUNT one higher.
 */
#include <stdio.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

/* A job that has ended goes back to PENDING now. */
static void
verb_job_requeue_ended(struct verb_ctx *v, struct job *j)
{
	char why[160];

	snprintf(why, sizeof(why), "requeued by %s (it had ended %s)",
	    v->c->user, model_state_name(j->core.state));
	if (j->life != NULL) {
		run_swap_clear(j);
		j->life->ran_s = 0;
	}
	j->exit_code = -1;
	j->exit_signal = 0;
	j->end_intent = 0;
	j->sup_pid = 0;
	j->sup_start = 0;
	j->start_time = 0;
	j->end_time = 0;
	memset(&j->core.alloc, 0, sizeof(j->core.alloc));
	jobs_set_state(v->d, j, JOB_PENDING, v->now, why);
	run_deps_owe(j);
}

/* A running or suspended job is stopped; run_requeue takes it back. */
static int
verb_job_requeue_live(struct verb_ctx *v, struct job *j, char **cause)
{
	char why[128];

	if (j->end_intent != 0 || (j->life && j->life->op != 0)) {
		*cause = xasprintf("job %lld is already being stopped, "
		                   "swapped out or resumed",
		    (long long)j->core.id);
		return GQ_ESTATE;
	}
	job_life(j)->requeue = 1;
	j->life->resume = 0;
	j->end_intent = JOB_INTENT_REQUEUE;
	snprintf(why, sizeof(why), "requeued by %s", v->c->user);
	job_set_reason(j, why);
	jobs_changed(v->d, j, v->now, 1);
	run_queue_after(v->d,
	    j->core.state == JOB_RUNNING ? AFTER_PREEMPT : AFTER_CANCEL,
	    j->core.id);
	v->d->sched_dirty = 1;
	return 0;
}

int
verb_job_requeue(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	struct job *j;
	int rc, live;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0)
		return rc;
	if (j->core.state == JOB_PENDING) {
		*cause = xasprintf("job %lld is already waiting",
		    (long long)j->core.id);
		return GQ_ESTATE;
	}
	live = !model_state_final(j->core.state);
	if (live && (rc = verb_job_requeue_live(v, j, cause)) != 0)
		return rc;
	if (!live)
		verb_job_requeue_ended(v, j);
	*result = json_pack("{s:o,s:b}", "job", jobjson_encode(v->d, j, 0),
	    "requeueing", live);
	return 0;
}
