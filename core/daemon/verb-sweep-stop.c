/*
 * sweep.stop: no new trials, and its trials are cancelled
 * (docs/protocol/sweep.stop.md).
 */
#include <stdio.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

/* Jobs of the sweep's trials that are running and being stopped. */
static json_t *
verb_sweep_stop_cancelling(struct daemon *d, const struct sweep *sw)
{
	json_t *a = json_array();
	const struct job *j;
	size_t i;

	for (i = sw->first_live; i < sw->ntrials; i++) {
		j = jobs_find(d, sw->trials[i]->rec.job_id);
		if (j != NULL && j->core.state == JOB_RUNNING &&
		    j->end_intent == JOB_CANCELLED)
			json_array_append_new(a, json_integer(j->core.id));
	}
	return a;
}

int
verb_sweep_stop(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	struct sweep *sw;
	char why[128];
	int rc, was;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = sweepd_params_sweep(v->d, v->params, &sw, cause)) != 0 ||
	    (rc = sweepd_may_change(v->c, sw, cause)) != 0)
		return rc;
	if (strcmp(sw->rec.state, "done") == 0) {
		*cause = xasprintf("sweep %lld is done", (long long)sw->rec.id);
		return GQ_ESTATE;
	}
	was = strcmp(sw->rec.state, "stopped") == 0;
	snprintf(why, sizeof(why), "sweep stopped by %s", v->c->user);
	sweepd_set_state(v->d, sw, "stopped", v->now, why);
	*result = json_pack("{s:o,s:o}", "sweep",
	    sweepd_json_sweep(v->d, sw, 0), "cancelling",
	    was ? json_array() : verb_sweep_stop_cancelling(v->d, sw));
	return 0;
}
