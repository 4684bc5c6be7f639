/*
 * job.attach: what a shell needs to join a running job: the environment
 * its processes see (CUDA_VISIBLE_DEVICES, GPUQ_* and its own), its
 * working directory, the node, and who it runs as.  The client runs the
 * shell itself (gpuq attach); the daemon starts nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

static json_t *
verb_job_attach_env(struct daemon *d, const struct job *j)
{
	char **env = NULL, *const * v;
	json_t *o = json_object();
	const char *eq;
	char *name;
	size_t i;

	if (d->exec->job_env != NULL)
		env = d->exec->job_env(&d->xctx, j);
	v = env != NULL ? env : j->env;
	for (i = 0; v != NULL && v[i] != NULL; i++) {
		if ((eq = strchr(v[i], '=')) == NULL)
			continue;
		name = xstrndup(v[i], (size_t)(eq - v[i]));
		json_object_set_new(o, name, json_string(eq + 1));
		free(name);
	}
	for (i = 0; env != NULL && env[i] != NULL; i++)
		free(env[i]);
	free(env);
	return o;
}

int
verb_job_attach(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	const struct alloc *a;
	struct job *j;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_job(v, &j, cause)) != 0 ||
	    (rc = params_may_read(v, j, cause)) != 0)
		return rc;
	if (j->core.state != JOB_RUNNING || j->sup_pid <= 0) {
		*cause = xasprintf("job %lld is %s: only a running job can be "
		                   "attached to%s",
		    (long long)j->core.id, model_state_name(j->core.state),
		    j->core.state == JOB_SUSPENDED ? " (resume it first)" : "");
		return GQ_ESTATE;
	}
	a = &j->core.alloc;
	*result = json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:s,s:o}", "id",
	    (json_int_t)j->core.id, "user", j->core.user, "uid",
	    (json_int_t)j->uid, "gid", (json_int_t)j->gid, "node",
	    (size_t)a->node < v->d->cluster.nnodes ?
	        v->d->cluster.nodes[a->node].name :
	        "",
	    "host", v->d->host, "workdir", j->workdir ? j->workdir : "/", "env",
	    verb_job_attach_env(v->d, j));
	return 0;
}
