/*
 * job.submit with "dry_run": the policy plans with the job as if it were
 * queued now, and the answer says what would become of it: started now
 * (where), or waiting (why, position, estimated start, hint), and which
 * running jobs would be swapped out for it.  Nothing is stored.
 */
#include <string.h>

#include "core/daemon/daemon.h"

/* The running jobs the plan swaps out for job id. */
static json_t *
dryrun_victims(struct daemon *d, const struct plan *p, int64_t id)
{
	const struct decision *dc;
	json_t *a = json_array();
	struct job *v;
	int64_t milli;
	size_t i;
	int32_t g;

	for (i = 0; i < p->ndecisions; i++) {
		dc = &p->decisions[i];
		if (dc->kind != DECIDE_PREEMPT || dc->for_job != id ||
		    (v = jobs_find(d, dc->job_id)) == NULL)
			continue;
		for (milli = 0, g = 0; g < dc->alloc.ngpus; g++)
			milli += dc->alloc.gpus[g].milli;
		json_array_append_new(a,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:f}", "id",
		        (json_int_t)v->core.id, "name", v->name ? v->name : "",
		        "user", v->core.user, "project", v->core.project, "why",
		        sched_preempt_name(dc->why), "gpus",
		        milli / (double)MODEL_GPU_MILLI));
	}
	return a;
}

/* What the plan says of the job: started, or its wait. */
static json_t *
dryrun_outcome(struct daemon *d, struct job *j, const struct plan *p,
    int64_t now)
{
	const struct decision *st = plan_find_start(p, j->core.id);
	const struct waiting *w = plan_find_waiting(p, j->core.id);
	char hint[256];

	json_t *enc, *alloc;

	if (st != NULL) {
		j->core.alloc = st->alloc;
		j->start_time = now;
		enc = jobjson_encode(d, j, 0);
		alloc = json_incref(json_object_get(enc, "alloc"));
		json_decref(enc);
		j->start_time = 0;
		return json_pack("{s:b,s:I,s:o}", "start", 1, "eta",
		    (json_int_t)now, "alloc", alloc);
	}
	if (w == NULL)
		return json_pack("{s:b}", "start", 0);
	sched_hint_text(w, now, hint, sizeof(hint));
	return json_pack("{s:b,s:s,s:i,s:o,s:b,s:o}", "start", 0, "reason",
	    sched_reason_name(w->reason), "position", w->position, "eta",
	    w->eta > 0 ? json_integer(w->eta) : json_null(), "reserved",
	    w->reserved, "hint", hint[0] ? json_string(hint) : json_null());
}

json_t *
dryrun_submit(struct daemon *d, struct job *j, int64_t now)
{
	struct run_input ri;
	struct plan p;
	json_t *out, *job;

	run_input_build(d, now, j, &ri);
	plan_init(&p);
	(void)d->policy->plan(&ri.in, &p);
	job = jobjson_encode(d, j, 0);
	out = dryrun_outcome(d, j, &p, now);
	json_object_set_new(out, "preempts", dryrun_victims(d, &p, j->core.id));
	plan_done(&p);
	run_input_done(&ri);
	return json_pack("{s:b,s:o,s:o}", "dry_run", 1, "job", job, "plan",
	    out);
}
