/*
 * The scenario runner: time passing.  Starts and swap-outs of a plan are
 * carried out; jobs end after their runtime (or their time limit); a
 * swapped-out job comes back to the queue after the swap time; jobs
 * submitted in the future arrive.  The policy plans again at each event.
 */
#include <stdio.h>
#include <string.h>

#include "tests/scenarios/scn.h"

static void
scn_sim_start(struct scn *s, struct scn_job *j, const struct decision *d)
{
	int64_t run;

	j->core.state = JOB_RUNNING;
	j->core.alloc = d->alloc;
	j->core.pin = NULL; /* it came back: the pin is spent */
	j->has_pin = 0;
	j->core.ngang = d->ngang;
	if (d->ngang > 0)
		memcpy(j->gang, d->gang, (size_t)d->ngang * sizeof(*d->gang));
	j->core.gang = d->ngang > 0 ? j->gang : NULL;
	j->core.start_time = s->now;
	j->core.stopping = 0;
	if (j->first_start == 0)
		j->first_start = s->now;
	j->starts++;
	run = j->runtime;
	if (j->core.req.time_limit_s > 0 &&
	    (run == 0 || run > j->core.req.time_limit_s))
		run = j->core.req.time_limit_s;
	j->end_at = run > 0 ? s->now + run : SCN_NEVER;
}

void
scn_apply(struct scn *s)
{
	const struct decision *d;
	struct scn_job *j;
	size_t i;

	for (i = 0; i < s->plan.ndecisions; i++) {
		d = &s->plan.decisions[i];
		if ((j = scn_job_find(s, d->job_id)) == NULL)
			continue;
		if (d->kind == DECIDE_START && j->core.state == JOB_PENDING)
			scn_sim_start(s, j, d);
		else if (d->kind == DECIDE_PREEMPT &&
		    j->core.state == JOB_RUNNING && !j->core.stopping) {
			j->core.stopping = 1;
			j->stop_at = s->now + s->p.params.swap_time_s;
			j->preempts++;
		}
	}
}

/* A run ends (done) or a swap-out completes (back to the queue). */
static void
scn_sim_leave(struct scn *s, struct scn_job *j, int done)
{
	struct ledger_amount a;
	int32_t g;

	memset(&a, 0, sizeof(a));
	for (g = 0; g < j->core.alloc.ngpus; g++)
		a.gpus += j->core.alloc.gpus[g].milli;
	a.gpus *= j->core.ngang + 1;
	project_usage_advance(&s->usage, s->now);
	project_usage_add(&s->usage, j->core.project, j->core.user,
	    (double)a.gpus, j->core.alloc.cpus_milli, j->core.alloc.mem_mb,
	    j->core.start_time, s->now);
	j->core.stopping = 0;
	memset(&j->core.alloc, 0, sizeof(j->core.alloc));
	j->core.alloc.node = -1;
	j->core.gang = NULL;
	j->core.ngang = 0;
	j->end_at = SCN_NEVER;
	if (done) {
		j->core.state = JOB_COMPLETED;
		j->done = s->now;
	} else
		j->core.state = JOB_PENDING;
}

/* The next time something happens, bounded by until. */
static int64_t
scn_sim_next(struct scn *s, int64_t until)
{
	const struct scn_job *j;
	int64_t t = until;
	size_t i;

	for (i = 0; i < s->njobs; i++) {
		j = &s->jobs[i];
		if (j->core.state == JOB_RUNNING && j->core.stopping &&
		    j->stop_at < t)
			t = j->stop_at;
		else if (j->core.state == JOB_RUNNING && j->end_at < t)
			t = j->end_at;
		else if (j->core.state == JOB_PENDING &&
		    j->core.submit_time > s->now && j->core.submit_time < t)
			t = j->core.submit_time;
	}
	return t;
}

static void
scn_sim_events(struct scn *s)
{
	struct scn_job *j;
	size_t i;

	for (i = 0; i < s->njobs; i++) {
		j = &s->jobs[i];
		if (j->core.state != JOB_RUNNING)
			continue;
		if (j->core.stopping && j->stop_at <= s->now)
			scn_sim_leave(s, j, 0);
		else if (!j->core.stopping && j->end_at <= s->now)
			scn_sim_leave(s, j, 1);
	}
}

int
scn_run(struct scn *s, int64_t dur)
{
	int64_t until = s->now + dur, t;
	int steps = 0;

	while (s->now < until && steps++ < 100000) {
		if (scn_plan(s) != 0)
			return -1;
		scn_apply(s);
		t = scn_sim_next(s, until);
		if (t <= s->now)
			t = s->now + 1;
		s->now = t;
		scn_sim_events(s);
	}
	return scn_plan(s);
}
