/*
 * The rows of a job list: the replica's jobs that pass a filter, sorted by
 * one column.  Pure.  Views keep the selection as a job id and find its
 * row again after each rebuild, so it stays on the same job.
 */
#ifndef GPUQ_JOBLIST_H
#define GPUQ_JOBLIST_H

#include <stddef.h>
#include <stdint.h>

#include "tui/filter.h"
#include "tui/replica.h"

#define JOBLIST_NONE ((size_t)-1)

enum joblist_sort {
	JOBLIST_SORT_ID,
	JOBLIST_SORT_USER,
	JOBLIST_SORT_PROJECT,
	JOBLIST_SORT_NAME,
	JOBLIST_SORT_STATE,
	JOBLIST_SORT_GPUS,
	JOBLIST_SORT_NODE,
	JOBLIST_SORT_TIME,
	JOBLIST_SORT_PRIO,
	JOBLIST_NSORT
};

struct joblist {
	struct rjob **rows; /* owned array; the jobs are borrowed */
	size_t n, cap;
	enum joblist_sort sort;
	int desc;
};

void joblist_init(struct joblist *jl);
void joblist_done(struct joblist *jl);

/* "id", "user", ... for :sort and the header; -1 for an unknown name. */
const char *joblist_sort_name(enum joblist_sort s);
int joblist_sort_parse(const char *name);

/*
 * Rebuilds the rows from r: jobs that pass f and, when only_user is not
 * NULL, belong to that user; sorted by jl->sort (ties by id).  now is for
 * the TIME column.
 */
void joblist_build(struct joblist *jl, const struct replica *r,
    const struct filter *f, const char *only_user, int64_t now);

/* The row of job id, or JOBLIST_NONE. */
size_t joblist_index(const struct joblist *jl, int64_t id);

/*
 * Seconds the TIME column shows: waiting, running or ran, suspended (since
 * the suspension when known); -1 for none.
 */
int64_t joblist_job_time(const struct rjob *j, int64_t now);

#endif
