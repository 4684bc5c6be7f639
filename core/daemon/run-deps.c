/*
 * Dependencies and holds (docs/swap.md, "Dependencies").  A job submitted
 * with "after" waits until each of those jobs has ended, however it
 * ended; with "afterok", until each has COMPLETED.  An afterok job whose
 * dependency ended otherwise can never start: it is cancelled at once,
 * with a reason that names the dependency (Slurm's DependencyNeverSatisfied,
 * decided rather than left waiting).  JOB_F_DEPENDENCY is recomputed at
 * every plan, before the policy reads it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"

/*
 * 0 when every dependency is met, 1 while one is not yet, -1 when an
 * afterok one never will be (its id and state in *bad_id, *bad).  Jobs
 * that left memory (jobs-archive.c) are looked up in the store: they
 * have ended.  A job the store does not know either counts as ended in
 * an unknown way: enough for after, not for afterok.
 */
static int
run_deps_state(struct daemon *d, const struct job_life *l, int64_t *bad_id,
    enum job_state *bad)
{
	enum job_state st;
	int wait = 0, r;
	size_t i;

	for (i = 0; i < l->nafter; i++)
		if (jobs_final_state(d, l->after[i], &st) == 0)
			wait = 1;
	for (i = 0; i < l->nafterok; i++) {
		if ((r = jobs_final_state(d, l->afterok[i], &st)) == 0)
			wait = 1;
		else if (r < 0 || st != JOB_COMPLETED) {
			*bad_id = l->afterok[i];
			*bad = r < 0 ? JOB_NSTATES : st;
			return -1;
		}
	}
	return wait;
}

/* "FAILED", or "in a way gpuq no longer knows" for a lost job. */
static const char *
run_deps_how(enum job_state st)
{
	return st < JOB_NSTATES ? model_state_name(st) :
	                          "in a way gpuq no longer knows";
}

static void
run_deps_one(struct daemon *d, struct job *j, int64_t now)
{
	enum job_state bad = JOB_NSTATES;
	int64_t bad_id = 0;
	char why[200];
	int st;

	if (j->life == NULL ||
	    (j->life->nafter == 0 && j->life->nafterok == 0)) {
		j->core.flags &= ~JOB_F_DEPENDENCY;
		return;
	}
	st = run_deps_state(d, j->life, &bad_id, &bad);
	if (st < 0) {
		snprintf(why, sizeof(why),
		    "dependency never satisfied: job %lld ended %s "
		    "(afterok wants COMPLETED)",
		    (long long)bad_id, run_deps_how(bad));
		j->core.flags &= ~JOB_F_DEPENDENCY;
		run_cancel(d, j, JOB_CANCELLED, now, why);
		return;
	}
	if (st > 0)
		j->core.flags |= JOB_F_DEPENDENCY;
	else
		j->core.flags &= ~JOB_F_DEPENDENCY;
}

void
run_deps_plan(struct daemon *d, int64_t now)
{
	struct job *j;
	size_t i;

	/* Backwards: a cancel takes the job out of the active list. */
	for (i = d->nactive; i-- > 0;) {
		j = d->active[i];
		if (j->core.state == JOB_PENDING)
			run_deps_one(d, j, now);
	}
}

static json_t *
run_deps_ids(const int64_t *ids, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

void
run_deps_json(const struct job *j, json_t *o)
{
	const struct job_life *l = j->life;

	if (l != NULL && l->nafter > 0)
		json_object_set_new(o, "after",
		    run_deps_ids(l->after, l->nafter));
	if (l != NULL && l->nafterok > 0)
		json_object_set_new(o, "afterok",
		    run_deps_ids(l->afterok, l->nafterok));
	if (j->core.flags & JOB_F_HELD)
		json_object_set_new(o, "held", json_true());
}

/* An array of known job ids, at most JOB_MAX_DEPS, into *ids (new). */
static int
run_deps_ids_parse(struct daemon *d, json_t *a, const char *name, int64_t **ids,
    size_t *n, char **cause)
{
	enum job_state st;
	json_t *v;
	size_t i;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a) || json_array_size(a) > JOB_MAX_DEPS) {
		*cause = xasprintf("\"%s\" must be an array of at most %d job "
		                   "ids",
		    name, JOB_MAX_DEPS);
		return GQ_EINVAL;
	}
	*ids = xcalloc(json_array_size(a) + 1, sizeof(**ids));
	json_array_foreach(a, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > PROTO_MAX_ID_PARAM) {
			*cause = xasprintf("\"%s\" must hold job ids", name);
			return GQ_EINVAL;
		}
		if (jobs_final_state(d, json_integer_value(v), &st) < 0) {
			*cause = xasprintf("\"%s\": no job %lld", name,
			    (long long)json_integer_value(v));
			return GQ_ENOENT;
		}
		(*ids)[(*n)++] = json_integer_value(v);
	}
	return 0;
}

/* At submit: an afterok that can never be met is refused. */
static int
run_deps_check(struct daemon *d, struct job *j, char **cause)
{
	enum job_state bad = JOB_NSTATES;
	int64_t bad_id = 0;
	int st = run_deps_state(d, j->life, &bad_id, &bad);

	if (st < 0) {
		*cause = xasprintf("job %lld already ended %s: a job after it "
		                   "(afterok) could never start",
		    (long long)bad_id, run_deps_how(bad));
		return GQ_ESTATE;
	}
	if (st > 0)
		j->core.flags |= JOB_F_DEPENDENCY;
	return 0;
}

int
run_deps_parse(struct daemon *d, struct job *j, json_t *params, char **cause)
{
	int64_t *after = NULL, *afterok = NULL;
	size_t nafter = 0, nafterok = 0;
	int hold, rc;

	if ((rc = params_bool(params, "hold", 0, &hold, cause)) != 0 ||
	    (rc = run_deps_ids_parse(d, json_object_get(params, "after"),
	         "after", &after, &nafter, cause)) != 0 ||
	    (rc = run_deps_ids_parse(d, json_object_get(params, "afterok"),
	         "afterok", &afterok, &nafterok, cause)) != 0) {
		free(after);
		free(afterok);
		return rc;
	}
	if (hold)
		j->core.flags |= JOB_F_HELD;
	if (nafter == 0 && nafterok == 0) {
		free(after);
		free(afterok);
		return 0;
	}
	job_life(j)->after = after;
	j->life->nafter = nafter;
	j->life->afterok = afterok;
	j->life->nafterok = nafterok;
	return run_deps_check(d, j, cause);
}

void
run_deps_owe(struct job *j)
{
	if (j->core.state == JOB_PENDING)
		j->standing_owed = 1;
}

/*
 * The event goes only after a verb, not at every change of every waiting
 * job's position: those would be most of the daemon's events on a long
 * queue.  Clients refresh positions with job.list.
 */
void
run_deps_standing(struct daemon *d, struct job *j)
{
	if (!j->standing_owed || j->core.state != JOB_PENDING)
		return;
	j->standing_owed = 0;
	events_emit(d, "job.state",
	    json_pack("{s:o}", "job", jobjson_encode(d, j, 0)));
}
