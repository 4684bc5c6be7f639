/*
 * job.suspend: swaps a running job out by the strongest mechanism there
 * is (docs/swap.md): cuda-checkpoint, else its checkpoint signal (then it
 * is requeued and held), else a plain stop.  It comes back on job.resume.
 */
#include <stdio.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

static int
verb_job_suspend_state(const struct job *j, char **cause)
{
	if (j->core.state == JOB_SUSPENDED) {
		*cause = xasprintf("job %lld is already suspended",
		    (long long)j->core.id);
		return GQ_ESTATE;
	}
	if (j->core.state == JOB_PENDING) {
		*cause = xasprintf("job %lld is waiting, not running: hold it "
		                   "instead (job.hold)",
		    (long long)j->core.id);
		return GQ_ESTATE;
	}
	if (j->core.state != JOB_RUNNING) {
		*cause = xasprintf("job %lld already ended (%s)",
		    (long long)j->core.id, model_state_name(j->core.state));
		return GQ_ESTATE;
	}
	return 0;
}

int
verb_job_suspend(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	char why[128];
	struct job *j;
	int rc, mech;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0 ||
	    (rc = verb_job_suspend_state(j, cause)) != 0)
		return rc;
	mech = run_swap_mech(v->d, j, 0);
	snprintf(why, sizeof(why), "suspended by %s", v->c->user);
	if ((rc = run_swap_begin(v->d, j, mech, RUN_SWAP_USER, 0, why, v->now,
	         cause)) != 0)
		return rc;
	*result = json_pack("{s:o,s:s}", "job", jobjson_encode(v->d, j, 0),
	    "mechanism", run_swap_mech_name(mech));
	return 0;
}
