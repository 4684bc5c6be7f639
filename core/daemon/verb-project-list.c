/*
 * project.list: every project (configured ones, then those only jobs
 * name), the departments, and the policy's parameters.
 */
#include <stdlib.h>

#include "core/base/xmalloc.h"
#include "core/daemon/projectjson.h"
#include "core/daemon/verbs.h"

int
verb_project_list(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { NULL };
	json_t *projects = json_array();
	struct ledger l;
	int32_t *rank;
	size_t i;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0) {
		json_decref(projects);
		return rc;
	}
	run_ledger(v->d, v->now, &l);
	rank = projectjson_ranks(&l);
	for (i = 0; i < l.nprojects; i++)
		json_array_append_new(projects,
		    projectjson_project(&l, (int32_t)i, rank[i]));
	*result = json_pack("{s:o,s:o,s:o,s:{s:f,s:f,s:I}}", "projects",
	    projects, "departments", projectjson_depts(&l), "policy",
	    projectjson_params(v->d->policy->name, &v->d->cfg.projects.params),
	    "capacity", "gpus", l.capacity[0] / MODEL_GPU_MILLI, "cpus",
	    l.capacity[1] / 1000.0, "mem_mb", (json_int_t)l.capacity[2]);
	free(rank);
	project_ledger_done(&l);
	return 0;
}
