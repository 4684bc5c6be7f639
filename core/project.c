/*
 * Projects, departments and users: a set's life, its lookups and the
 * checks of a whole set.  Pure.  The text form is read in project-parse.c
 * and written in project-format.c; usage that decays is project-usage.c;
 * the ledger is project-ledger.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/place.h"
#include "core/project-int.h"

void
project_params_defaults(struct policy_params *p)
{
	memset(p, 0, sizeof(*p));
	p->half_life_s = 7 * 24 * 3600;
	p->min_runtime_s = 10 * 60;
	p->swap_time_s = 30;
	p->reservations = 4;
	p->preempt = 1;
	p->preempt_tries = 64;
	p->class_rank[JOB_CLASS_INTERACTIVE] = 2;
	p->class_rank[JOB_CLASS_INFERENCE] = 1;
	p->class_rank[JOB_CLASS_TRAIN] = 0;
	p->place_share = place_strategy_default();
	p->place_whole = place_strategy_find("bestfit");
}

void
project_init(struct projects *p)
{
	memset(p, 0, sizeof(*p));
	project_params_defaults(&p->params);
}

void
project_done(struct projects *p)
{
	free(p->depts);
	free(p->list);
	free(p->users);
	project_init(p);
}

static void *
project_dup(const void *from, size_t n, size_t size)
{
	void *to;

	if (n == 0)
		return NULL;
	to = xreallocarray(NULL, n, size);
	memcpy(to, from, n * size);
	return to;
}

void
project_copy(struct projects *to, const struct projects *from)
{
	*to = *from;
	to->depts = project_dup(from->depts, from->ndepts, sizeof(*to->depts));
	to->list = project_dup(from->list, from->nlist, sizeof(*to->list));
	to->users = project_dup(from->users, from->nusers, sizeof(*to->users));
}

int
project_fail(char *cause, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cause, n, fmt, ap);
	va_end(ap);
	return GQ_EINVAL;
}

int32_t
project_find(const struct projects *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nlist; i++)
		if (strcmp(p->list[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t
project_dept_find(const struct projects *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ndepts; i++)
		if (strcmp(p->depts[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

int32_t
project_user_find(const struct projects *p, const char *project,
    const char *user)
{
	size_t i;

	for (i = 0; i < p->nusers; i++)
		if (strcmp(p->users[i].name, user) == 0 &&
		    strcmp(p->users[i].project, project) == 0)
			return (int32_t)i;
	return -1;
}

int64_t
project_default_time(const struct projects *p, const char *name)
{
	int32_t i = project_find(p, name);

	if (i >= 0 && p->list[i].default_time_s > 0)
		return p->list[i].default_time_s;
	return p->params.default_time_s;
}

/* Fills parent indices and finds a cycle; 0 or GQ_EINVAL. */
static int
project_resolve_depts(struct projects *p, char *cause, size_t n, int32_t *line)
{
	struct department *d;
	int32_t at;
	size_t i, steps;

	for (i = 0; i < p->ndepts; i++) {
		d = &p->depts[i];
		d->parent_idx = -1;
		if (d->parent[0] == '\0')
			continue;
		*line = d->line;
		if ((d->parent_idx = project_dept_find(p, d->parent)) < 0)
			return project_fail(cause, n,
			    "department %s: unknown parent department \"%s\"",
			    d->name, d->parent);
	}
	for (i = 0; i < p->ndepts; i++) {
		at = p->depts[i].parent_idx;
		for (steps = 0; at >= 0 && steps <= p->ndepts; steps++)
			at = p->depts[at].parent_idx;
		if (at >= 0) {
			*line = p->depts[i].line;
			return project_fail(cause, n,
			    "department %s: its parents form a cycle (through "
			    "%s)",
			    p->depts[i].name, p->depts[i].parent);
		}
	}
	return 0;
}

static int
project_resolve_limits(const char *kind, const char *name, int64_t deserved,
    int64_t limit, char *cause, size_t n)
{
	char what[160];

	if (limit == PROJECT_NO_LIMIT || deserved <= limit)
		return 0;
	snprintf(what, sizeof(what), "%s %s", kind, name);
	return project_fail(cause, n, "%s: limit is below its deserved quota%s",
	    what, "");
}

static int
project_resolve_projects(struct projects *p, char *cause, size_t n,
    int32_t *line)
{
	struct project *pr;
	size_t i;

	for (i = 0; i < p->ndepts; i++) {
		*line = p->depts[i].line;
		if (project_resolve_limits("department", p->depts[i].name,
		        p->depts[i].deserved_milli, p->depts[i].limit_milli,
		        cause, n) != 0)
			return GQ_EINVAL;
	}
	for (i = 0; i < p->nlist; i++) {
		pr = &p->list[i];
		*line = pr->line;
		pr->dept_idx = -1;
		if (pr->department[0] != '\0' &&
		    (pr->dept_idx = project_dept_find(p, pr->department)) < 0)
			return project_fail(cause, n,
			    "project %s: unknown department \"%s\"", pr->name,
			    pr->department);
		if (project_resolve_limits("project", pr->name,
		        pr->deserved_milli, pr->limit_milli, cause, n) != 0)
			return GQ_EINVAL;
	}
	return 0;
}

int
project_resolve(struct projects *p, char *cause, size_t n, int32_t *line)
{
	struct project_user *u;
	int rc;
	size_t i;

	*line = 0;
	if ((rc = project_resolve_depts(p, cause, n, line)) != 0 ||
	    (rc = project_resolve_projects(p, cause, n, line)) != 0)
		return rc;
	for (i = 0; i < p->nusers; i++) {
		u = &p->users[i];
		*line = u->line;
		if ((u->project_idx = project_find(p, u->project)) < 0)
			return project_fail(cause, n,
			    "user %s: unknown project \"%s\"", u->name,
			    u->project);
	}
	*line = 0;
	return 0;
}
