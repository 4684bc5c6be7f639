#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

struct list_filter {
	const char *user, *project;
	unsigned states; /* bit per state; 0: active only */
	int all;
};

static int
list_states(json_t *v, unsigned *mask, char **cause)
{
	enum job_state s;
	size_t i;
	json_t *e;

	*mask = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		if (model_state_parse(json_string_value(v), &s) != 0)
			goto bad;
		*mask = 1u << s;
		return 0;
	}
	if (!json_is_array(v))
		goto bad;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) ||
		    model_state_parse(json_string_value(e), &s) != 0)
			goto bad;
		*mask |= 1u << s;
	}
	return 0;
bad:
	*cause = xstrdup("\"state\" must be a state name (PENDING, RUNNING, "
	                 "COMPLETED, FAILED, CANCELLED, TIMEOUT) or an "
	                 "array of them");
	return GQ_EINVAL;
}

static int
list_match(const struct list_filter *f, const struct job *j)
{
	if (f->user != NULL && strcmp(f->user, j->core.user) != 0)
		return 0;
	if (f->project != NULL && strcmp(f->project, j->core.project) != 0)
		return 0;
	if (f->states != 0)
		return (f->states >> j->core.state) & 1;
	return f->all || !model_state_final(j->core.state);
}

int
verb_job_list(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "user", "project", "state",
		"all", "after", "limit", NULL };
	struct list_filter f;
	json_t *jobs = json_array();
	int64_t after, limit, last = 0, total = 0;
	size_t i;
	int rc;

	memset(&f, 0, sizeof(f));
	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_str(v->params, "user", 64, NULL, &f.user, cause)) ||
	    (rc = params_str(v->params, "project", 64, NULL, &f.project,
	         cause)) ||
	    (rc = list_states(json_object_get(v->params, "state"), &f.states,
	         cause)) ||
	    (rc = params_bool(v->params, "all", 0, &f.all, cause)) ||
	    (rc = params_int(v->params, "after", 0, PROTO_MAX_ID_PARAM, 0,
	         &after, cause)) ||
	    (rc = params_int(v->params, "limit", 1, 10000, 1000, &limit,
	         cause))) {
		json_decref(jobs);
		return rc;
	}
	for (i = jobs_lower_bound(v->d, after); i < v->d->njobs; i++) {
		if (!list_match(&f, v->d->jobs[i]))
			continue;
		if (++total <= limit) {
			json_array_append_new(jobs,
			    jobjson_encode(v->d, v->d->jobs[i], 0));
			last = v->d->jobs[i]->core.id;
		}
	}
	*result =
	    json_pack("{s:o,s:I,s:o}", "jobs", jobs, "total", (json_int_t)total,
	        "next", total > limit ? json_integer(last) : json_null());
	return 0;
}
