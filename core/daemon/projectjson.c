/*
 * The project objects of project.list and project.show
 * (docs/protocol/project.list.md): quotas, what is held and borrowed,
 * what waits, the fair-share standing and the recent usage.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/projectjson.h"

static json_t *
projectjson_gpus(int64_t milli)
{
	return json_real((double)milli / MODEL_GPU_MILLI);
}

static json_t *
projectjson_limit(int64_t milli)
{
	return milli < 0 ? json_null() : projectjson_gpus(milli);
}

static json_t *
projectjson_usage(const struct ledger *l, const double hist[3])
{
	return json_pack("{s:f,s:f,s:I,s:I}", "gpus", hist[0] / MODEL_GPU_MILLI,
	    "cpus", hist[1] / 1000.0, "mem_mb", (json_int_t)hist[2],
	    "half_life_s", (json_int_t)l->half_life_s);
}

/* Each project's place when idle capacity is shared out: 1 goes first. */
int32_t *
projectjson_ranks(struct ledger *l)
{
	int32_t *rank = xcalloc(l->nprojects + 1, sizeof(*rank));
	double si, sj;
	size_t i, j;

	for (i = 0; i < l->nprojects; i++) {
		rank[i] = 1;
		si = project_ledger_share(l, (int32_t)i);
		for (j = 0; j < l->nprojects; j++) {
			sj = project_ledger_share(l, (int32_t)j);
			if (sj < si || (sj == si && j < i))
				rank[i]++;
		}
	}
	return rank;
}

json_t *
projectjson_project(struct ledger *l, int32_t p, int32_t rank)
{
	const struct ledger_project *lp = &l->projects[p];
	const struct project *cp = NULL;
	json_t *o;

	if (lp->configured)
		cp = &l->cfg->list[p];
	o = json_pack("{s:s,s:o,s:b,s:o,s:o,s:f}", "name", lp->name,
	    "department",
	    cp != NULL && cp->department[0] ? json_string(cp->department) :
	                                      json_null(),
	    "configured", lp->configured, "deserved",
	    projectjson_gpus(lp->deserved_milli), "limit",
	    projectjson_limit(lp->limit_milli), "weight", lp->weight);
	json_object_set_new(o, "default_time_s",
	    json_integer(cp != NULL ? cp->default_time_s : 0));
	json_object_set_new(o, "allocated", projectjson_gpus(lp->held.gpus));
	json_object_set_new(o, "borrowed",
	    projectjson_gpus(project_ledger_borrowed(l, p)));
	json_object_set_new(o, "pending", projectjson_gpus(lp->pending_milli));
	json_object_set_new(o, "jobs",
	    json_pack("{s:i,s:i}", "running", lp->nrunning, "pending",
	        lp->npending));
	json_object_set_new(o, "share", json_real(project_ledger_share(l, p)));
	json_object_set_new(o, "rank", json_integer(rank));
	json_object_set_new(o, "usage", projectjson_usage(l, lp->hist));
	return o;
}

json_t *
projectjson_users(struct ledger *l, int32_t p)
{
	const struct ledger_user *u;
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < l->nusers; i++) {
		u = &l->users[i];
		if (u->project_idx != p)
			continue;
		json_array_append_new(a,
		    json_pack("{s:s,s:f,s:o,s:o,s:{s:i,s:i},s:f,s:o}", "name",
		        u->name, "weight", u->weight, "allocated",
		        projectjson_gpus(u->held.gpus), "pending",
		        projectjson_gpus(u->pending_milli), "jobs", "running",
		        u->nrunning, "pending", u->npending, "share",
		        project_ledger_user_share(l, (int32_t)i), "usage",
		        projectjson_usage(l, u->hist)));
	}
	return a;
}

json_t *
projectjson_depts(const struct ledger *l)
{
	const struct department *d;
	json_t *a = json_array();
	size_t i;

	for (i = 0; l->cfg != NULL && i < l->cfg->ndepts; i++) {
		d = &l->cfg->depts[i];
		json_array_append_new(a,
		    json_pack("{s:s,s:o,s:o,s:o,s:o}", "name", d->name,
		        "parent",
		        d->parent[0] ? json_string(d->parent) : json_null(),
		        "deserved", projectjson_limit(d->deserved_milli),
		        "limit", projectjson_limit(d->limit_milli), "allocated",
		        projectjson_gpus(l->depts[i].held_milli)));
	}
	return a;
}

json_t *
projectjson_params(const char *policy, const struct policy_params *pp)
{
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:i,s:b}", "name", policy,
	    "half_life_s", (json_int_t)pp->half_life_s, "min_runtime_s",
	    (json_int_t)pp->min_runtime_s, "default_time_s",
	    (json_int_t)pp->default_time_s, "swap_time_s",
	    (json_int_t)pp->swap_time_s, "reservations", pp->reservations,
	    "preempt", pp->preempt);
}
