#include <stdlib.h>

#include "core/daemon/verbs.h"

static void
verb_job_show_row(int64_t time, enum job_state state, const char *reason,
    void *arg)
{
	json_array_append_new(arg,
	    json_pack("{s:I,s:s,s:o}", "time", (json_int_t)time, "state",
	        model_state_name(state), "reason",
	        reason ? json_string(reason) : json_null()));
}

int
verb_job_show(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	json_t *job, *history = json_array();
	char *out, *err, *denied = NULL;
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = jobs_archive_param(v, &j, cause)) != 0) {
		json_decref(history);
		return rc;
	}
	job = jobjson_encode(v->d, j, 1);
	if (params_may_read(v, j, &denied) != 0) {
		/* Another user's environment may hold secrets: not shown. */
		json_object_set_new(job, "env", json_null());
		free(denied);
	}
	store_job_history(v->d->store, j->core.id, verb_job_show_row, history);
	json_object_set_new(job, "history", history);
	out = v->d->exec->log_path(&v->d->xctx, j->core.id, "stdout");
	err = v->d->exec->log_path(&v->d->xctx, j->core.id, "stderr");
	json_object_set_new(job, "logs",
	    json_pack("{s:s,s:s}", "stdout", out, "stderr", err));
	free(out);
	free(err);
	*result = json_pack("{s:o}", "job", job);
	return 0;
}
