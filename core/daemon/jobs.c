/*
 * The job table: every job in id order (ids only grow, so appending keeps
 * the order), and the active list of PENDING and RUNNING jobs that the
 * scheduler walks.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"

size_t
jobs_lower_bound(struct daemon *d, int64_t after)
{
	size_t lo = 0, hi = d->njobs, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->jobs[mid]->core.id <= after)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct job *
jobs_find(struct daemon *d, int64_t id)
{
	int64_t last;
	size_t i;

	/* Ids are handed out densely from 1: usually a direct hit. */
	if (id >= 1 && (uint64_t)(id - 1) < d->njobs &&
	    d->jobs[id - 1]->core.id == id)
		return d->jobs[id - 1];
	/* Once older jobs are archived, the newest are still dense. */
	if (d->njobs > 0 && id >= 1 &&
	    (last = d->jobs[d->njobs - 1]->core.id) >= id &&
	    (uint64_t)(last - id) < d->njobs &&
	    d->jobs[d->njobs - 1 - (last - id)]->core.id == id)
		return d->jobs[d->njobs - 1 - (last - id)];
	i = jobs_lower_bound(d, id - 1);

	if (i < d->njobs && d->jobs[i]->core.id == id)
		return d->jobs[i];
	return NULL;
}

static void
jobs_activate(struct daemon *d, struct job *j)
{
	if (d->nactive == d->cap_active) {
		d->cap_active = d->cap_active ? d->cap_active * 2 : 64;
		d->active =
		    xreallocarray(d->active, d->cap_active, sizeof(*d->active));
	}
	j->active_idx = d->nactive;
	d->active[d->nactive++] = j;
}

static void
jobs_deactivate(struct daemon *d, struct job *j)
{
	size_t i = j->active_idx;

	if (i >= d->nactive || d->active[i] != j)
		return;
	d->active[i] = d->active[--d->nactive];
	d->active[i]->active_idx = i;
	j->active_idx = (size_t)-1;
}

void
jobs_add(struct daemon *d, struct job *j)
{
	if (d->njobs == d->cap_jobs) {
		d->cap_jobs = d->cap_jobs ? d->cap_jobs * 2 : 1024;
		d->jobs = xreallocarray(d->jobs, d->cap_jobs, sizeof(*d->jobs));
	}
	d->jobs[d->njobs++] = j;
	if (j->core.id >= d->next_job_id)
		d->next_job_id = j->core.id + 1;
	j->active_idx = (size_t)-1;
	if (!model_state_final(j->core.state))
		jobs_activate(d, j);
}

void
jobs_changed(struct daemon *d, struct job *j, int64_t now, int state_changed)
{
	run_input_changed(d, j); /* the quick path (run-input.c) */
	store_begin(d->store);
	store_job_put(d->store, j);
	if (state_changed) {
		store_job_history_add(d->store, j->core.id, now, j->core.state,
		    j->reason);
		events_emit(d, "job.state",
		    json_pack("{s:o}", "job", jobjson_encode(d, j, 0)));
	}
}

void
jobs_set_state(struct daemon *d, struct job *j, enum job_state s, int64_t now,
    const char *reason)
{
	enum job_state old = j->core.state;

	if (old == JOB_RUNNING && s != JOB_RUNNING)
		run_usage_add(d, j, now);
	j->core.state = s;
	if (reason != NULL)
		job_set_reason(j, reason);
	if (s == JOB_RUNNING)
		j->start_time = now;
	if (model_state_final(s)) {
		j->end_time = now;
		jobs_deactivate(d, j);
		run_unwatch(j);
	}
	if (model_state_final(old) && !model_state_final(s))
		jobs_activate(d, j);
	d->sched_dirty = 1;
	jobs_changed(d, j, now, 1);
}

static int
jobs_load_cb(struct job *j, void *arg)
{
	jobs_add(arg, j);
	return 0;
}

void
jobs_load(struct daemon *d)
{
	int64_t next = 1;

	d->next_job_id = 1;
	jobs_archive_load(d, jobs_load_cb); /* all but archived ones */
	if (store_meta_get(d->store, "next_job_id", &next) == 0 &&
	    next > d->next_job_id)
		d->next_job_id = next;
	if (store_meta_get(d->store, "event_seq", &d->event_seq) != 0)
		d->event_seq = 0;
	d->event_seq_stored = d->event_seq;
	d->sched_dirty = 1;
}

void
jobs_count(struct daemon *d, size_t counts[JOB_NSTATES])
{
	size_t i;

	memset(counts, 0, sizeof(size_t) * JOB_NSTATES);
	for (i = 0; i < d->njobs; i++)
		counts[d->jobs[i]->core.state]++;
	jobs_archive_count(d, counts); /* ended jobs out of memory */
}
