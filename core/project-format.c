/*
 * The text form of a set of projects, written back: what project-parse.c
 * reads, every value spelled out.  Pure.
 */
#include <stdio.h>

#include "core/place.h"
#include "core/project.h"

/* "4", "0.5" or "none". */
static const char *
project_format_gpus(int64_t milli, char *out, size_t n)
{
	if (milli < 0)
		snprintf(out, n, "none");
	else if (milli % 1000 == 0)
		snprintf(out, n, "%lld", (long long)(milli / 1000));
	else
		snprintf(out, n, "%.3g", milli / 1000.0);
	return out;
}

static void
project_format_params(const struct policy_params *pp, struct buf *b)
{
	int r, c, first = 1;

	(void)buf_printf(b,
	    "policy-param half-life=%llds min-runtime=%llds "
	    "default-time=%llds swap-time=%llds reservations=%d preempt=%s "
	    "preempt-tries=%d class-order=",
	    (long long)pp->half_life_s, (long long)pp->min_runtime_s,
	    (long long)pp->default_time_s, (long long)pp->swap_time_s,
	    pp->reservations, pp->preempt ? "on" : "off", pp->preempt_tries);
	for (r = JOB_NCLASSES - 1; r >= 0; r--)
		for (c = 0; c < JOB_NCLASSES; c++)
			if (pp->class_rank[c] == r) {
				(void)buf_printf(b, "%s%s", first ? "" : ",",
				    model_class_name((enum job_class)c));
				first = 0;
			}
	(void)buf_addstr(b, "\n");
	if (pp->place_share != NULL && pp->place_whole != NULL)
		(void)buf_printf(b, "placement %s whole=%s\n",
		    pp->place_share->name, pp->place_whole->name);
}

void
project_format(const struct projects *p, struct buf *b)
{
	char a[32], c[32];
	size_t i;

	for (i = 0; i < p->ndepts; i++) {
		(void)buf_printf(b, "department %s", p->depts[i].name);
		if (p->depts[i].deserved_milli >= 0)
			(void)buf_printf(b, " deserved=%s",
			    project_format_gpus(p->depts[i].deserved_milli, a,
			        sizeof(a)));
		(void)buf_printf(b, " limit=%s weight=%g%s%s\n",
		    project_format_gpus(p->depts[i].limit_milli, c, sizeof(c)),
		    p->depts[i].weight, p->depts[i].parent[0] ? " parent=" : "",
		    p->depts[i].parent);
	}
	for (i = 0; i < p->nlist; i++) {
		(void)buf_printf(b,
		    "project %s deserved=%s limit=%s weight=%g "
		    "default-time=%llds%s%s\n",
		    p->list[i].name,
		    project_format_gpus(p->list[i].deserved_milli, a,
		        sizeof(a)),
		    project_format_gpus(p->list[i].limit_milli, c, sizeof(c)),
		    p->list[i].weight, (long long)p->list[i].default_time_s,
		    p->list[i].department[0] ? " department=" : "",
		    p->list[i].department);
	}
	for (i = 0; i < p->nusers; i++)
		(void)buf_printf(b, "user %s project=%s weight=%g\n",
		    p->users[i].name, p->users[i].project, p->users[i].weight);
	project_format_params(&p->params, b);
}
