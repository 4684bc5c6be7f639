/*
 * Usage that decays: a book of resource-seconds per (project, user),
 * each second's weight halving every half-life.  Pure.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/project.h"

#define PROJECT_LN2 0.69314718055994530942

double
project_usage_decay(int64_t dt, int64_t half_life_s)
{
	if (half_life_s <= 0)
		return 0;
	if (dt <= 0)
		return 1;
	return exp2(-(double)dt / (double)half_life_s);
}

double
project_usage_weight(int64_t start, int64_t end, int64_t now,
    int64_t half_life_s)
{
	double tau;

	if (half_life_s <= 0 || end <= start)
		return 0;
	if (end > now)
		end = now;
	if (start > now)
		return 0;
	tau = (double)half_life_s / PROJECT_LN2;
	return tau *
	    (project_usage_decay(now - end, half_life_s) -
	        project_usage_decay(now - start, half_life_s));
}

void
project_usage_init(struct usage_book *b, int64_t half_life_s, int64_t now)
{
	memset(b, 0, sizeof(*b));
	b->half_life_s = half_life_s;
	b->t = now;
}

void
project_usage_done(struct usage_book *b)
{
	free(b->e);
	memset(b, 0, sizeof(*b));
}

void
project_usage_advance(struct usage_book *b, int64_t now)
{
	double f;
	size_t i;

	if (now <= b->t)
		return;
	f = project_usage_decay(now - b->t, b->half_life_s);
	for (i = 0; i < b->n; i++) {
		b->e[i].gpu_s *= f;
		b->e[i].cpu_s *= f;
		b->e[i].mem_s *= f;
	}
	b->t = now;
}

static struct usage_entry *
project_usage_entry(struct usage_book *b, const char *project, const char *user)
{
	struct usage_entry *e;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->e[i].project, project) == 0 &&
		    strcmp(b->e[i].user, user) == 0)
			return &b->e[i];
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->e = xreallocarray(b->e, b->cap, sizeof(*b->e));
	}
	e = &b->e[b->n++];
	memset(e, 0, sizeof(*e));
	snprintf(e->project, sizeof(e->project), "%s", project);
	snprintf(e->user, sizeof(e->user), "%s", user);
	return e;
}

void
project_usage_add(struct usage_book *b, const char *project, const char *user,
    double gpus, double cpus, double mem, int64_t start, int64_t end)
{
	struct usage_entry *e;
	double w = project_usage_weight(start, end, b->t, b->half_life_s);

	if (w <= 0)
		return;
	e = project_usage_entry(b, project, user);
	e->gpu_s += gpus * w;
	e->cpu_s += cpus * w;
	e->mem_s += mem * w;
}
