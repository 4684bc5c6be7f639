/*
 * A trial as a job: the engine proposes its parameters, job.submit's own
 * code checks and queues it as the sweep's owner (so a trial is held to
 * every rule a job from the command line is), and the trial's row goes
 * into the same transaction as the job.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

void
sweepd_trial_free(struct strial *tr)
{
	if (tr == NULL)
		return;
	free(tr->rec.params);
	free(tr->rec.state);
	free(tr->rec.metrics);
	free(tr->rec.stopped_early);
	sweep_point_done(&tr->point);
	free(tr->curve);
	json_decref(tr->metrics);
	free(tr);
}

/* The trial's argv (new JSON array), or NULL with *cause. */
static json_t *
sweepd_trial_argv(const struct sweep *sw, const struct sweep_point *p,
    char **cause)
{
	char **argv = NULL;
	size_t argc = 0, i;
	json_t *a;

	if (sweep_argv(sw->spec, p, &argv, &argc, cause) != 0)
		return NULL;
	a = json_array();
	for (i = 0; i < argc; i++)
		json_array_append_new(a, json_string(argv[i]));
	sweep_argv_free(argv);
	return a;
}

static json_t *
sweepd_trial_env(struct daemon *d, const struct sweep *sw, int64_t trial,
    int64_t job_id)
{
	json_t *env = json_loads(sw->rec.env, 0, NULL);
	char *path = metrics_path(d, job_id), num[32];

	if (!json_is_object(env)) {
		json_decref(env);
		env = json_object();
	}
	snprintf(num, sizeof(num), "%" PRId64, sw->rec.id);
	json_object_set_new(env, "GPUQ_SWEEP_ID", json_string(num));
	snprintf(num, sizeof(num), "%" PRId64, trial);
	json_object_set_new(env, "GPUQ_TRIAL", json_string(num));
	json_object_set_new(env, "GPUQ_METRICS_FILE", json_string(path));
	free(path);
	return env;
}

/* What the sweep file's resources say, as job.submit params. */
static void
sweepd_trial_resources(const struct sweep *sw, json_t *p)
{
	const struct sweep_resources *r = &sw->spec->res;

	if (r->gpus_milli > 0)
		json_object_set_new(p, "gpus",
		    json_real((double)r->gpus_milli / 1000.0));
	if (r->gpu_mem_mb > 0)
		json_object_set_new(p, "gpu_mem_mb",
		    json_integer(r->gpu_mem_mb));
	if (r->cpus_milli > 0)
		json_object_set_new(p, "cpus",
		    json_real((double)r->cpus_milli / 1000.0));
	if (r->mem_mb > 0)
		json_object_set_new(p, "mem_mb", json_integer(r->mem_mb));
	if (r->time_s > 0)
		json_object_set_new(p, "time_limit_s", json_integer(r->time_s));
	if (r->pool != NULL && r->pool[0] != '\0')
		json_object_set_new(p, "pool", json_string(r->pool));
	if (r->gpu_model != NULL && r->gpu_model[0] != '\0')
		json_object_set_new(p, "gpu_model", json_string(r->gpu_model));
}

json_t *
sweepd_trial_params(struct daemon *d, const struct sweep *sw, int64_t trial,
    int64_t job_id, const struct sweep_point *p, char **cause)
{
	json_t *argv, *o;
	char name[SWEEPD_MAX_NAME + 32];

	if ((argv = sweepd_trial_argv(sw, p, cause)) == NULL)
		return NULL;
	snprintf(name, sizeof(name), "%s-t%" PRId64, sw->rec.name, trial);
	o = json_pack("{s:o,s:o,s:s,s:s,s:s}", "argv", argv, "env",
	    sweepd_trial_env(d, sw, trial, job_id), "workdir", sw->rec.workdir,
	    "name", name, "project", sw->rec.project);
	sweepd_trial_resources(sw, o);
	return o;
}

/* The connection a trial is submitted through: its owner's identity. */
static struct conn *
sweepd_trial_as(struct daemon *d, const struct sweep *sw)
{
	struct sweepd *sd = sweepd_table(d);
	struct conn *c;

	if (sd->as == NULL)
		sd->as = xcalloc(1, sizeof(struct conn));
	c = sd->as;
	c->d = d;
	c->uid = (uid_t)sw->rec.uid;
	c->gid = (gid_t)sw->rec.gid;
	c->admin = 0;
	snprintf(c->user, sizeof(c->user), "%s", sw->rec.user);
	return c;
}

int
sweepd_trial_submit(struct daemon *d, const struct sweep *sw, json_t *params,
    int dry, json_t **result, char **cause)
{
	struct verb_ctx v;
	int rc;

	if (dry)
		json_object_set_new(params, "dry_run", json_true());
	memset(&v, 0, sizeof(v));
	v.d = d;
	v.c = sweepd_trial_as(d, sw);
	v.params = params;
	v.now = daemon_now();
	*result = NULL;
	rc = verb_job_submit(&v, result, cause);
	json_decref(params);
	return rc;
}

/* The generator's state after a proposal, for the record. */
static void
sweepd_trial_rng(struct sweep *sw, const struct sweep_rng *r)
{
	free(sw->rec.rng);
	sw->rec.rng = xasprintf("[\"%016" PRIx64 "\",\"%016" PRIx64
	                        "\",\"%016" PRIx64 "\",\"%016" PRIx64 "\"]",
	    r->s[0], r->s[1], r->s[2], r->s[3]);
}

/*
 * Submits trial number sw->ntrials + 1 for point p (stolen).  The trial is
 * linked to the id its job will get before the job exists, so even the
 * job's first job.state event names its sweep.
 */
static int
sweepd_trial_make(struct daemon *d, struct sweep *sw, struct sweep_point *p,
    char **cause)
{
	int64_t trial = (int64_t)sw->ntrials + 1, job_id = d->next_job_id;
	json_t *params, *res = NULL;
	struct strial *tr;
	int rc;

	params = sweepd_trial_params(d, sw, trial, job_id, p, cause);
	tr = xcalloc(1, sizeof(*tr));
	tr->rec.sweep_id = sw->rec.id;
	tr->rec.trial = trial;
	tr->rec.job_id = job_id;
	tr->rec.params = sweep_point_dumps(sw->spec, p);
	tr->rec.state = xstrdup("PENDING");
	tr->rec.stride = 1;
	tr->point = *p;
	tr->metrics = json_object();
	sweepd_trial_add(d, sw, tr);
	if (params == NULL)
		rc = GQ_EINVAL;
	else
		rc = sweepd_trial_submit(d, sw, params, 0, &res, cause);
	if (rc == 0 && jobs_find(d, job_id) == NULL)
		rc = GQ_EINTERNAL;
	json_decref(res);
	if (rc != 0) {
		sweepd_trial_pop(d, sw);
		return rc;
	}
	sweepd_trial_save(d, tr);
	sweepd_emit_trial(d, sw, tr);
	return 1;
}

int
sweepd_trial_new(struct daemon *d, struct sweep *sw, int64_t now, char **cause)
{
	struct sweep_trial *t = sweepd_engine_trials(d, sw);
	struct sweep_point p;
	struct sweep_rng r;
	int rc;

	(void)now;
	sweep_rng_for_trial(&r, (uint64_t)sw->rec.seed, (int64_t)sw->ntrials);
	rc = sweep_next(sw->spec, t, sw->ntrials, &r, &p);
	free(t);
	if (rc < 0) {
		*cause = xstrdup("the search strategy failed");
		return rc;
	}
	if (rc == 0)
		return 0;
	if ((rc = sweepd_trial_make(d, sw, &p, cause)) <= 0)
		return rc;
	sweepd_trial_rng(sw, &r);
	sw->rec.next_trial = (int64_t)sw->ntrials + 1;
	sweepd_save(d, sw);
	return 1;
}

/* The engine's reason without its "stop trial N: " prefix. */
static const char *
sweepd_trial_why(const struct sweep_decision *dc)
{
	const char *colon;

	if (strncmp(dc->why, "stop trial ", 11) == 0 &&
	    (colon = strstr(dc->why, ": ")) != NULL)
		return colon + 2;
	return dc->why;
}

void
sweepd_trial_stop(struct daemon *d, struct sweep *sw, struct strial *tr,
    const struct sweep_decision *dc, int64_t now)
{
	struct job *j = jobs_find(d, tr->rec.job_id);
	char *reason;

	if (j == NULL || model_state_final(j->core.state))
		return;
	free(tr->rec.stopped_early);
	tr->rec.stopped_early = xasprintf("%s: %s",
	    sweep_early_name(sw->spec->early.type), sweepd_trial_why(dc));
	free(tr->rec.state);
	tr->rec.state = xstrdup("STOPPED");
	sweepd_trial_save(d, tr);
	reason = xasprintf("stopped early: %s", tr->rec.stopped_early);
	run_cancel(d, j, JOB_CANCELLED, now, reason);
	free(reason);
	sweepd_emit_trial(d, sw, tr);
	log_info("sweep %lld trial %lld (job %lld) %s", (long long)sw->rec.id,
	    (long long)tr->rec.trial, (long long)j->core.id,
	    tr->rec.stopped_early);
}
