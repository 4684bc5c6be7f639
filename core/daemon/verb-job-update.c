/*
 * job.update: changes a job's priority or time limit.  Owners may set a
 * priority in the range job.submit takes (-1000..1000, the one range
 * every class shares today) and may only shorten a time limit, as Slurm
 * lets users only lower TimeLimit; admins may set any priority in
 * VERB_UPDATE_ADMIN_PRIO and any time limit (0: none).  A running job
 * whose new limit is already past ends at the next tick (TIMEOUT).
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

#define VERB_UPDATE_USER_PRIO  1000
#define VERB_UPDATE_ADMIN_PRIO 1000000

static int
verb_job_update_priority(struct verb_ctx *v, struct job *j, char **cause)
{
	int64_t bound =
	    v->c->admin ? VERB_UPDATE_ADMIN_PRIO : VERB_UPDATE_USER_PRIO;
	int64_t prio;
	int rc;

	if (json_object_get(v->params, "priority") == NULL)
		return 0;
	rc = params_int(v->params, "priority", -bound, bound, 0, &prio, cause);
	if (rc != 0 && !v->c->admin) {
		free(*cause);
		*cause = xasprintf("\"priority\" must be between -%d and %d "
		                   "(admins may go further)",
		    VERB_UPDATE_USER_PRIO, VERB_UPDATE_USER_PRIO);
	}
	if (rc == 0)
		j->core.priority = (int32_t)prio;
	return rc;
}

static int
verb_job_update_limit(struct verb_ctx *v, struct job *j, char **cause)
{
	int64_t old = j->core.req.time_limit_s, t;
	int rc;

	if (json_object_get(v->params, "time_limit") == NULL)
		return 0;
	if ((rc = params_int(v->params, "time_limit", 0, UNITS_MAX_SECONDS, 0,
	         &t, cause)) != 0)
		return rc;
	if (!v->c->admin && (t == 0 || (old > 0 && t > old))) {
		*cause = xasprintf("only admins may lengthen a time limit or "
		                   "remove it (job %lld has %llds)",
		    (long long)j->core.id, (long long)old);
		return GQ_EPERM;
	}
	j->core.req.time_limit_s = t;
	return 0;
}

int
verb_job_update(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", "priority", "time_limit",
		NULL };
	int32_t prio;
	int64_t limit;
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_change(v, j, cause)) != 0)
		return rc;
	if (model_state_final(j->core.state)) {
		*cause = xasprintf("job %lld already ended (%s)",
		    (long long)j->core.id, model_state_name(j->core.state));
		return GQ_ESTATE;
	}
	prio = j->core.priority;
	limit = j->core.req.time_limit_s;
	if ((rc = verb_job_update_priority(v, j, cause)) != 0 ||
	    (rc = verb_job_update_limit(v, j, cause)) != 0) {
		j->core.priority = prio;
		j->core.req.time_limit_s = limit;
		return rc;
	}
	jobs_changed(v->d, j, v->now, 0);
	events_emit(v->d, "job.state",
	    json_pack("{s:o}", "job", jobjson_encode(v->d, j, 0)));
	run_deps_owe(j); /* a new priority: a new position */
	v->d->sched_dirty = 1;
	*result = json_pack("{s:o}", "job", jobjson_encode(v->d, j, 0));
	return 0;
}
