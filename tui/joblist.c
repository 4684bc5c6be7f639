#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/base/xmalloc.h"
#include "tui/joblist.h"

static const char *const joblist_sorts[JOBLIST_NSORT] = { "id", "user",
	"project", "name", "state", "gpus", "node", "time", "prio" };

struct joblist_ctx {
	enum joblist_sort sort;
	int desc;
	int64_t now;
};

void
joblist_init(struct joblist *jl)
{
	memset(jl, 0, sizeof(*jl));
}

void
joblist_done(struct joblist *jl)
{
	free(jl->rows);
	memset(jl, 0, sizeof(*jl));
}

const char *
joblist_sort_name(enum joblist_sort s)
{
	return s < JOBLIST_NSORT ? joblist_sorts[s] : "?";
}

int
joblist_sort_parse(const char *name)
{
	int i;

	for (i = 0; i < JOBLIST_NSORT; i++)
		if (strcasecmp(name, joblist_sorts[i]) == 0)
			return i;
	if (strcasecmp(name, "priority") == 0)
		return JOBLIST_SORT_PRIO;
	return -1;
}

int64_t
joblist_job_time(const struct rjob *j, int64_t now)
{
	if (j->state == RSTATE_PENDING)
		return j->submit_time > 0 && now > j->submit_time ?
		    now - j->submit_time :
		    0;
	if (j->state == RSTATE_SUSPENDED && j->susp_since > 0)
		return now > j->susp_since ? now - j->susp_since : 0;
	if (j->start_time <= 0)
		return -1;
	if (j->state == RSTATE_RUNNING || j->state == RSTATE_SUSPENDED)
		return now > j->start_time ? now - j->start_time : 0;
	return j->end_time > j->start_time ? j->end_time - j->start_time : 0;
}

static int
joblist_strcmp(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
joblist_cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
joblist_key(const struct rjob *a, const struct rjob *b,
    const struct joblist_ctx *c)
{
	switch (c->sort) {
	case JOBLIST_SORT_USER:
		return joblist_strcmp(a->user, b->user);
	case JOBLIST_SORT_PROJECT:
		return joblist_strcmp(a->project, b->project);
	case JOBLIST_SORT_NAME:
		return joblist_strcmp(a->name, b->name);
	case JOBLIST_SORT_STATE:
		return (int)a->state - (int)b->state;
	case JOBLIST_SORT_GPUS:
		return joblist_cmp_i64(a->gpus_milli, b->gpus_milli);
	case JOBLIST_SORT_NODE:
		return joblist_strcmp(a->node, b->node);
	case JOBLIST_SORT_TIME:
		return joblist_cmp_i64(joblist_job_time(a, c->now),
		    joblist_job_time(b, c->now));
	case JOBLIST_SORT_PRIO:
		return joblist_cmp_i64(b->priority, a->priority);
	default:
		return 0;
	}
}

static int
joblist_cmp(const void *pa, const void *pb, void *arg)
{
	const struct rjob *a = *(struct rjob *const *)pa;
	const struct rjob *b = *(struct rjob *const *)pb;
	const struct joblist_ctx *c = arg;
	int k = joblist_key(a, b, c);

	if (k == 0)
		k = joblist_cmp_i64(a->id, b->id);
	return c->desc ? -k : k;
}

void
joblist_build(struct joblist *jl, const struct replica *r,
    const struct filter *f, const char *only_user, int64_t now)
{
	struct joblist_ctx c = { jl->sort, jl->desc, now };
	int all = f == NULL || filter_empty(f);
	struct rjob *j;
	size_t i;

	if (jl->cap < r->njobs) {
		jl->cap = r->njobs;
		jl->rows = xreallocarray(jl->rows, jl->cap, sizeof(*jl->rows));
	}
	jl->n = 0;
	for (i = 0; i < r->njobs; i++) {
		j = r->all[i];
		if (only_user != NULL &&
		    (j->user == NULL || strcmp(j->user, only_user) != 0))
			continue;
		if (all || filter_job(f, j))
			jl->rows[jl->n++] = j;
	}
	qsort_r(jl->rows, jl->n, sizeof(*jl->rows), joblist_cmp, &c);
}

size_t
joblist_index(const struct joblist *jl, int64_t id)
{
	size_t i;

	for (i = 0; i < jl->n; i++)
		if (jl->rows[i]->id == id)
			return i;
	return JOBLIST_NONE;
}
