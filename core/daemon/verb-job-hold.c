/*
 * job.hold: a waiting job does not start until job.release.  Holding a
 * held job again is no error.
 */
#include <stdio.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

int
verb_job_hold(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	char why[128];
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0)
		return rc;
	if (j->core.state != JOB_PENDING) {
		*cause = xasprintf("job %lld is %s: only a waiting job can be "
		                   "held%s",
		    (long long)j->core.id, model_state_name(j->core.state),
		    j->core.state == JOB_RUNNING ?
		        " (job.suspend stops a running one)" :
		        "");
		return GQ_ESTATE;
	}
	if (!(j->core.flags & JOB_F_HELD)) {
		j->core.flags |= JOB_F_HELD;
		snprintf(why, sizeof(why), "held by %s", v->c->user);
		job_set_reason(j, why);
		jobs_changed(v->d, j, v->now, 1);
		run_deps_owe(j);
		v->d->sched_dirty = 1;
	}
	*result = json_pack("{s:o}", "job", jobjson_encode(v->d, j, 0));
	return 0;
}
