/*
 * Archived jobs: finished jobs the daemon no longer keeps in memory
 * (core/daemon/jobs-archive.c).  Their rows stay in jobs with archived = 1;
 * the rows of the jobs in memory have archived = 0, so a start loads just
 * those.  usage_archive holds the decayed usage of the archived runs, so
 * fair share does not need them in memory either.  Schema: migration 6 in
 * store.c.
 */
#ifndef GPUQ_STORE_ARCHIVE_H
#define GPUQ_STORE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/job.h"

struct store;

/* Which archived jobs a list or a count wants. */
struct store_archive_query {
	const char *user;    /* NULL: any */
	const char *project; /* NULL: any */
	unsigned states;     /* bit per enum job_state; 0: any */
	int64_t after;       /* ids above this */
	int64_t limit;       /* rows at most (list only) */
};

/* Marks a job archived (1) or back in memory (0). */
int store_archive_set(struct store *st, int64_t id, int archived);
/* The same for n jobs at once. */
int store_archive_set_many(struct store *st, const int64_t *ids, size_t n,
    int archived);
/*
 * Calls cb for every job not archived, in id order; cb steals the job.
 * A non-zero return from cb stops the walk and is returned.
 */
int store_archive_load_live(struct store *st,
    int (*cb)(struct job *j, void *arg), void *arg);
/* An archived job (new in *out), or GQ_ENOENT. */
int store_archive_get(struct store *st, int64_t id, struct job **out);
/* Any job's state, archived or not, or GQ_ENOENT. */
int store_archive_state(struct store *st, int64_t id, enum job_state *out);
/*
 * The archived jobs q asks for, in id order, q->limit at most: cb steals
 * each.  A non-zero return from cb stops the walk and is returned.
 */
int store_archive_list(struct store *st, const struct store_archive_query *q,
    int (*cb)(struct job *j, void *arg), void *arg);
/* How many archived jobs match q (its limit aside). */
int store_archive_count(struct store *st, const struct store_archive_query *q,
    int64_t *out);
/*
 * Calls cb for every archived job that ran and ended at or after since,
 * in no particular order.  The job is borrowed for the call and only its
 * accounting fields are set: id, user, project, state, alloc, start_time,
 * end_time.
 */
int store_archive_runs(struct store *st, int64_t since,
    int (*cb)(const struct job *j, void *arg), void *arg);

/* The archived runs' usage: one row per (project, user). */
int store_archive_usage_each(struct store *st,
    void (*cb)(const char *project, const char *user, double gpu_s,
        double cpu_s, double mem_s, void *arg),
    void *arg);
int store_archive_usage_put(struct store *st, const char *project,
    const char *user, double gpu_s, double cpu_s, double mem_s);
int store_archive_usage_clear(struct store *st);

#endif
