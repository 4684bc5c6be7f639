/*
 * sweep.pause: no new trials; those queued or running go on
 * (docs/protocol/sweep.pause.md).
 */
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

int
verb_sweep_pause(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	struct sweep *sw;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = sweepd_params_sweep(v->d, v->params, &sw, cause)) != 0 ||
	    (rc = sweepd_may_change(v->c, sw, cause)) != 0)
		return rc;
	if (strcmp(sw->rec.state, "running") != 0 &&
	    strcmp(sw->rec.state, "paused") != 0) {
		*cause = xasprintf("sweep %lld is %s", (long long)sw->rec.id,
		    sw->rec.state);
		return GQ_ESTATE;
	}
	sweepd_set_state(v->d, sw, "paused", v->now, NULL);
	*result = json_pack("{s:o}", "sweep", sweepd_json_sweep(v->d, sw, 0));
	return 0;
}
