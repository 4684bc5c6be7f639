/*
 * job.release: a held job may start again.  A job that job.suspend
 * requeued through its checkpoint signal is released too (as by
 * job.resume).
 */
#include <stdio.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

int
verb_job_release(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	char why[128];
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0)
		return rc;
	if (j->core.state != JOB_PENDING || !(j->core.flags & JOB_F_HELD)) {
		*cause = xasprintf("job %lld is not held (%s)",
		    (long long)j->core.id, model_state_name(j->core.state));
		return GQ_ESTATE;
	}
	j->core.flags &= ~JOB_F_HELD;
	if (j->life != NULL && j->life->user_hold)
		run_swap_clear(j);
	snprintf(why, sizeof(why), "released by %s", v->c->user);
	job_set_reason(j, why);
	jobs_changed(v->d, j, v->now, 1);
	run_deps_owe(j); /* its wait.reason is still HELD */
	v->d->sched_dirty = 1;
	*result = json_pack("{s:o}", "job", jobjson_encode(v->d, j, 0));
	return 0;
}
