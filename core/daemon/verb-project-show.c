/*
 * project.show: one project, with each of its users' holdings, demand and
 * standing inside it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/projectjson.h"
#include "core/daemon/verbs.h"

/* The ledger's index of name, or -1 when nothing knows it. */
static int32_t
project_show_find(const struct ledger *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->nprojects; i++)
		if (strcmp(l->projects[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int
verb_project_show(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "name", NULL };
	const char *name;
	struct ledger l;
	int32_t *rank, p;
	json_t *o;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_str(v->params, "name", 64, NULL, &name, cause)) != 0)
		return rc;
	if (name == NULL) {
		*cause = xstrdup("\"name\" is required");
		return GQ_EINVAL;
	}
	run_ledger(v->d, v->now, &l);
	if ((p = project_show_find(&l, name)) < 0) {
		*cause = xasprintf("no project \"%s\"", name);
		project_ledger_done(&l);
		return GQ_ENOENT;
	}
	rank = projectjson_ranks(&l);
	o = projectjson_project(&l, p, rank[p]);
	json_object_set_new(o, "users", projectjson_users(&l, p));
	*result = json_pack("{s:o,s:o}", "project", o, "policy",
	    projectjson_params(v->d->policy->name, &v->d->cfg.projects.params));
	free(rank);
	project_ledger_done(&l);
	return 0;
}
