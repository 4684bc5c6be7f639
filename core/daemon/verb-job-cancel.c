#include <stdio.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

int
verb_job_cancel(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	char why[128];
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0)
		return rc;
	if (model_state_final(j->core.state) &&
	    j->core.state != JOB_CANCELLED) {
		*cause = xasprintf("job %lld already ended (%s)",
		    (long long)j->core.id, model_state_name(j->core.state));
		return GQ_ESTATE;
	}
	snprintf(why, sizeof(why), "cancelled by %s", v->c->user);
	run_cancel(v->d, j, JOB_CANCELLED, v->now, why);
	*result = json_pack("{s:o,s:b}", "job", jobjson_encode(v->d, j, 0),
	    "cancelling",
	    j->core.state == JOB_RUNNING || j->core.state == JOB_SUSPENDED);
	return 0;
}
