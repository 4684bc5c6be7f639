/*
 * sweep.list: every sweep, oldest first (docs/protocol/sweep.list.md).
 */
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

static int
verb_sweep_list_state_ok(const char *s)
{
	return s == NULL || strcmp(s, "running") == 0 ||
	    strcmp(s, "paused") == 0 || strcmp(s, "stopped") == 0 ||
	    strcmp(s, "done") == 0;
}

static int
verb_sweep_list_match(const struct sweep *sw, const char *user,
    const char *state)
{
	return (user == NULL || strcmp(sw->rec.user, user) == 0) &&
	    (state == NULL || strcmp(sw->rec.state, state) == 0);
}

int
verb_sweep_list(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "user", "state", "limit", NULL };
	struct sweepd *sd = v->d->sweepd;
	const char *user, *state;
	int64_t limit, total = 0, skip;
	json_t *a;
	size_t i, n = sd != NULL ? sd->n : 0;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_str(v->params, "user", 64, NULL, &user, cause)) != 0 ||
	    (rc = params_str(v->params, "state", 16, NULL, &state, cause)) !=
	        0 ||
	    (rc = params_int(v->params, "limit", 1, 10000, 1000, &limit,
	         cause)) != 0)
		return rc;
	if (!verb_sweep_list_state_ok(state)) {
		*cause = xstrdup("\"state\" must be running, paused, stopped "
		                 "or done");
		return GQ_EINVAL;
	}
	for (i = 0; i < n; i++)
		total += verb_sweep_list_match(sd->sweeps[i], user, state);
	skip = total > limit ? total - limit : 0;
	a = json_array();
	for (i = 0; i < n; i++) {
		if (!verb_sweep_list_match(sd->sweeps[i], user, state))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		json_array_append_new(a,
		    sweepd_json_sweep(v->d, sd->sweeps[i], 0));
	}
	*result =
	    json_pack("{s:o,s:I}", "sweeps", a, "total", (json_int_t)total);
	return 0;
}
