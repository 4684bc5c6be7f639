/*
 * The sweep and trial objects of docs/PROTOCOL.md, and the sweep events.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"

int
sweepd_better(const struct sweep *sw, double a, double b)
{
	if (sw->spec != NULL && sw->spec->goal == SWEEP_MAXIMIZE)
		return a > b;
	return a < b;
}

const char *
sweepd_trial_state_name(struct daemon *d, const struct strial *tr)
{
	const struct job *j = jobs_find(d, tr->rec.job_id);

	if (tr->rec.stopped_early != NULL)
		return "STOPPED";
	return j != NULL ? model_state_name(j->core.state) : "CANCELLED";
}

static json_t *
sweepd_json_num(int present, double v)
{
	return present ? json_real(v) : json_null();
}

/* Trials by state, the counts of the sweep object. */
static json_t *
sweepd_json_counts(struct daemon *d, const struct sweep *sw)
{
	static const char *const names[] = { "pending", "running", "completed",
		"failed", "stopped", "cancelled" };
	int64_t c[6] = { 0 };
	const char *s;
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < sw->ntrials; i++) {
		s = sweepd_trial_state_name(d, sw->trials[i]);
		if (strcmp(s, "PENDING") == 0)
			c[0]++;
		else if (strcmp(s, "COMPLETED") == 0)
			c[2]++;
		else if (strcmp(s, "FAILED") == 0 || strcmp(s, "TIMEOUT") == 0)
			c[3]++;
		else if (strcmp(s, "STOPPED") == 0)
			c[4]++;
		else if (strcmp(s, "CANCELLED") == 0)
			c[5]++;
		else
			c[1]++;
	}
	for (i = 0; i < 6; i++)
		json_object_set_new(o, names[i], json_integer(c[i]));
	return o;
}

/* GPU time the trials held: a share of a GPU for a second counts share. */
static int64_t
sweepd_json_gpu_seconds(struct daemon *d, const struct sweep *sw)
{
	const struct job *j;
	int64_t milli_s = 0, milli, end, now = daemon_now();
	size_t i;
	int32_t g;

	for (i = 0; i < sw->ntrials; i++) {
		j = jobs_find(d, sw->trials[i]->rec.job_id);
		if (j == NULL || j->start_time <= 0)
			continue;
		end = j->end_time > 0            ? j->end_time :
		    j->core.state == JOB_RUNNING ? now :
		                                   j->start_time;
		for (milli = 0, g = 0;
		     g < j->core.alloc.ngpus && g < MODEL_MAX_JOB_GPUS; g++)
			milli += j->core.alloc.gpus[g].milli;
		if (end > j->start_time)
			milli_s += milli * (end - j->start_time);
	}
	return milli_s / MODEL_GPU_MILLI;
}

static json_t *
sweepd_json_best(const struct sweep *sw)
{
	const struct strial *b = sweepd_best(sw);

	if (b == NULL)
		return json_null();
	return json_pack("{s:I,s:I,s:f,s:o}", "trial", (json_int_t)b->rec.trial,
	    "job", (json_int_t)b->rec.job_id, "value", b->rec.best, "params",
	    sweep_point_encode(sw->spec, &b->point));
}

/* Members taken from the sweep file: method, metric, rule, parallel. */
static void
sweepd_json_spec_bits(const struct sweep *sw, json_t *o)
{
	const struct sweep_spec *s = sw->spec;
	json_t *spec, *et;

	if (s == NULL) {
		json_object_set_new(o, "method", json_null());
		json_object_set_new(o, "metric", json_null());
		json_object_set_new(o, "early_terminate", json_null());
		json_object_set_new(o, "parallel", json_integer(0));
		return;
	}
	spec = sweep_spec_encode(s);
	et = json_object_get(spec, "early_terminate");
	json_object_set_new(o, "method",
	    json_string(sweep_method_name(s->method)));
	json_object_set_new(o, "metric",
	    s->metric != NULL ? json_pack("{s:s,s:s}", "name", s->metric,
	                            "goal", sweep_goal_name(s->goal)) :
	                        json_null());
	json_object_set_new(o, "early_terminate",
	    s->early.type != SWEEP_ET_NONE && et != NULL ? json_incref(et) :
	                                                   json_null());
	json_object_set_new(o, "parallel", json_integer(s->parallel));
	json_decref(spec);
}

json_t *
sweepd_json_sweep(struct daemon *d, const struct sweep *sw, int detail)
{
	const struct store_sweep *r = &sw->rec;
	json_t *o;

	o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)r->id, "name",
	    r->name, "user", r->user, "project", r->project, "state", r->state);
	sweepd_json_spec_bits(sw, o);
	json_object_set_new(o, "budget",
	    sw->budget >= 0 ? json_integer(sw->budget) : json_null());
	json_object_set_new(o, "created", json_integer(r->created));
	json_object_set_new(o, "ended", json_integer(r->ended));
	json_object_set_new(o, "reason",
	    r->reason != NULL ? json_string(r->reason) : json_null());
	json_object_set_new(o, "started",
	    json_integer((json_int_t)sw->ntrials));
	json_object_set_new(o, "counts", sweepd_json_counts(d, sw));
	json_object_set_new(o, "best", sweepd_json_best(sw));
	json_object_set_new(o, "gpu_seconds",
	    json_integer(sweepd_json_gpu_seconds(d, sw)));
	if (!detail)
		return o;
	json_object_set_new(o, "spec",
	    sw->spec != NULL ? sweep_spec_encode(sw->spec) : json_null());
	json_object_set_new(o, "seed", json_integer(r->seed));
	json_object_set_new(o, "workdir", json_string(r->workdir));
	return o;
}

static json_t *
sweepd_json_params(const struct strial *tr)
{
	json_t *p = json_loads(tr->rec.params, 0, NULL);

	return p != NULL ? p : json_object();
}

static void
sweepd_json_times(struct daemon *d, const struct strial *tr, json_t *o)
{
	const struct job *j = jobs_find(d, tr->rec.job_id);

	json_object_set_new(o, "submit_time",
	    json_integer(j ? j->core.submit_time : 0));
	json_object_set_new(o, "start_time",
	    json_integer(j ? j->start_time : 0));
	json_object_set_new(o, "end_time", json_integer(j ? j->end_time : 0));
}

json_t *
sweepd_json_trial(struct daemon *d, const struct sweep *sw,
    const struct strial *tr)
{
	const struct store_trial *r = &tr->rec;
	json_t *o;

	(void)sw;
	o = json_pack("{s:I,s:I,s:s,s:o}", "trial", (json_int_t)r->trial, "job",
	    (json_int_t)r->job_id, "state", sweepd_trial_state_name(d, tr),
	    "params", sweepd_json_params(tr));
	json_object_set_new(o, "step",
	    r->has_step ? json_integer(r->step) : json_null());
	json_object_set_new(o, "metric", sweepd_json_num(r->has_last, r->last));
	json_object_set_new(o, "best", sweepd_json_num(r->has_best, r->best));
	json_object_set_new(o, "metrics",
	    tr->metrics != NULL ? json_deep_copy(tr->metrics) : json_object());
	json_object_set_new(o, "stopped_early",
	    r->stopped_early ? json_string(r->stopped_early) : json_null());
	json_object_set_new(o, "points", json_integer(r->npoints));
	json_object_set_new(o, "dropped", json_integer(r->dropped));
	sweepd_json_times(d, tr, o);
	return o;
}

void
sweepd_emit_state(struct daemon *d, const struct sweep *sw)
{
	events_emit(d, "sweep.state",
	    json_pack("{s:o}", "sweep", sweepd_json_sweep(d, sw, 0)));
}

void
sweepd_emit_trial(struct daemon *d, const struct sweep *sw,
    const struct strial *tr)
{
	const struct store_trial *r = &tr->rec;
	json_t *o;

	o = json_pack("{s:I,s:I,s:I,s:s}", "sweep", (json_int_t)sw->rec.id,
	    "trial", (json_int_t)r->trial, "job", (json_int_t)r->job_id,
	    "state", sweepd_trial_state_name(d, tr));
	json_object_set_new(o, "step",
	    r->has_step ? json_integer(r->step) : json_null());
	json_object_set_new(o, "metric", sweepd_json_num(r->has_last, r->last));
	if (r->stopped_early != NULL)
		json_object_set_new(o, "stopped_early",
		    json_string(r->stopped_early));
	events_emit(d, "sweep.trial", o);
}

void
sweepd_json_job(struct daemon *d, const struct job *j, json_t *o)
{
	const struct sweepd_link *l = sweepd_link_find(d, j->core.id);

	if (l != NULL)
		json_object_set_new(o, "sweep",
		    json_pack("{s:I,s:I}", "id", (json_int_t)l->sw->rec.id,
		        "trial", (json_int_t)l->tr->rec.trial));
}
