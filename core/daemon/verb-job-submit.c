/*
 * job.submit: checks everything a client sent, then queues the job.
 */
#include <ctype.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/daemon/verbs.h"

static int
submit_fail(char **cause, const char *msg)
{
	*cause = xstrdup(msg);
	return GQ_EINVAL;
}

static int
submit_strv(json_t *a, size_t max, size_t *bytes, const char ***out, size_t *n,
    char **cause)
{
	size_t i;
	json_t *s;

	*n = json_array_size(a);
	if (*n > max)
		return submit_fail(cause, "too many arguments");
	*out = xcalloc(*n + 1, sizeof(char *));
	json_array_foreach(a, i, s) {
		if (!json_is_string(s))
			return submit_fail(cause, "\"argv\" must hold strings");
		*bytes += json_string_length(s) + 1;
		(*out)[i] = json_string_value(s);
	}
	return 0;
}

static int
submit_argv(struct job *j, json_t *p, size_t *bytes, char **cause)
{
	json_t *a = json_object_get(p, "argv");
	const char **v = NULL;
	size_t n = 0;
	int rc;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return submit_fail(cause,
		    "\"argv\" must be a non-empty array "
		    "of strings");
	rc = submit_strv(a, JOB_MAX_ARGS, bytes, &v, &n, cause);
	if (rc == 0 && v[0][0] == '\0')
		rc = submit_fail(cause, "argv[0] must not be empty");
	if (rc == 0)
		job_set_argv(j, v, n);
	free(v);
	return rc;
}

static int
submit_env_name_ok(const char *k)
{
	size_t i;

	if (!isalpha((unsigned char)k[0]) && k[0] != '_')
		return 0;
	for (i = 1; k[i] != '\0'; i++)
		if (!isalnum((unsigned char)k[i]) && k[i] != '_')
			return 0;
	return i <= 255;
}

static int
submit_env(struct job *j, json_t *p, size_t *bytes, char **cause)
{
	json_t *e = json_object_get(p, "env"), *val;
	const char *k;
	char **v;
	size_t n = 0, i;

	if (e == NULL || json_is_null(e))
		return 0;
	if (!json_is_object(e) || json_object_size(e) > JOB_MAX_ENV)
		return submit_fail(cause,
		    "\"env\" must be an object of at "
		    "most 4096 strings");
	v = xcalloc(json_object_size(e) + 1, sizeof(char *));
	json_object_foreach(e, k, val) {
		if (!json_is_string(val) || !submit_env_name_ok(k))
			break;
		v[n] = xasprintf("%s=%s", k, json_string_value(val));
		*bytes += strlen(v[n++]) + 1;
	}
	if (n == json_object_size(e))
		job_set_env(j, (const char *const *)v, n);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	if (n != json_object_size(e))
		return submit_fail(cause,
		    "\"env\" names must look like "
		    "NAME_1 and values be strings");
	return 0;
}

/* A JSON number of GPUs or CPUs into thousandths. */
static int
submit_milli(json_t *p, const char *name, int64_t max, int32_t *out,
    char **cause)
{
	json_t *v = json_object_get(p, name);
	double x, m;

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v)) {
		*cause = xasprintf("\"%s\" must be a number", name);
		return GQ_EINVAL;
	}
	x = json_number_value(v);
	m = round(x * 1000.0);
	if (!(x >= 0) || m > (double)max || fabs(m - x * 1000.0) > 1e-6) {
		*cause = xasprintf("\"%s\" must be between 0 and %lld, to "
		                   "1/1000",
		    name, (long long)(max / 1000));
		return GQ_EINVAL;
	}
	*out = (int32_t)m;
	return 0;
}

static int
submit_req(struct job *j, json_t *p, char **cause)
{
	struct req *r = &j->core.req;
	int rc;

	if ((rc = submit_milli(p, "gpus", (int64_t)MODEL_MAX_JOB_GPUS * 1000,
	         &r->gpus_milli, cause)) != 0 ||
	    (rc = submit_milli(p, "cpus", 1000000, &r->cpus_milli, cause)) !=
	        0 ||
	    (rc = params_int(p, "gpu_mem_mb", 1, UNITS_MAX_MEM_MB, 0,
	         &r->gpu_mem_mb, cause)) != 0 ||
	    (rc = params_int(p, "mem_mb", 1, UNITS_MAX_MEM_MB, 0, &r->mem_mb,
	         cause)) != 0 ||
	    (rc = params_int(p, "time_limit_s", 0, UNITS_MAX_SECONDS, 0,
	         &r->time_limit_s, cause)) != 0)
		return rc;
	if (r->gpus_milli > MODEL_GPU_MILLI && r->gpus_milli % 1000 != 0)
		return submit_fail(cause,
		    "\"gpus\" above 1 must be whole GPUs: ask for 2, not 1.5");
	if (r->gpu_mem_mb > 0 && r->gpus_milli >= MODEL_GPU_MILLI)
		return submit_fail(cause,
		    "\"gpu_mem_mb\" sizes a share of one GPU: not with whole "
		    "GPUs");
	if (json_object_get(p, "cpus") != NULL && r->cpus_milli == 0)
		return submit_fail(cause, "\"cpus\" must be above 0");
	model_req_defaults(r);
	return 0;
}

static int
submit_name_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return 0;
	return i > 0 && i < MODEL_MAX_PROJECT;
}

static int
submit_meta(struct job *j, json_t *p, char **cause)
{
	const char *name, *project, *cls, *workdir, *slash;
	int64_t prio, grace;
	int preempt, rc;

	if ((rc = params_str(p, "name", MODEL_MAX_NAME, NULL, &name, cause)) !=
	        0 ||
	    (rc = params_str(p, "project", 64, "default", &project, cause)) ||
	    (rc = params_str(p, "class", 16, "train", &cls, cause)) ||
	    (rc = params_str(p, "workdir", 4096, NULL, &workdir, cause)) ||
	    (rc = params_int(p, "priority", -1000, 1000, 0, &prio, cause)) ||
	    (rc = params_int(p, "kill_grace_s", 0, 3600, -1, &grace, cause)))
		return rc;
	if (name != NULL && name[0] == '\0')
		return submit_fail(cause, "\"name\" must not be empty");
	if (!submit_name_ok(project))
		return submit_fail(cause,
		    "\"project\" must be 1-63 of A-Z a-z 0-9 _ - .");
	if (model_class_parse(cls, &j->core.cls) != 0)
		return submit_fail(cause,
		    "\"class\" must be interactive, train or inference");
	if (workdir == NULL || workdir[0] != '/')
		return submit_fail(cause,
		    "\"workdir\" must be an absolute path");
	if ((rc = params_bool(p, "preemptible", j->core.cls == JOB_CLASS_TRAIN,
	         &preempt, cause)) != 0)
		return rc;
	slash = strrchr(j->argv[0], '/');
	if (name == NULL)
		name =
		    slash != NULL && slash[1] != '\0' ? slash + 1 : j->argv[0];
	j->name = xstrndup(name, MODEL_MAX_NAME);
	snprintf(j->core.project, sizeof(j->core.project), "%s", project);
	j->workdir = xstrdup(workdir);
	j->core.priority = (int32_t)prio;
	j->core.preemptible = preempt;
	j->kill_grace_s = (int32_t)grace;
	return 0;
}

/* "USR1", "SIGUSR1" or a number: a signal a job can catch. */
static int
submit_signal(const char *s, int32_t *out)
{
	const char *name;
	char *end;
	long n;
	int i;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	n = strtol(s, &end, 10);
	if (end != s && *end == '\0' && n > 0 && n <= 64)
		i = (int)n;
	else
		for (i = 1; i <= 64; i++)
			if ((name = sigabbrev_np(i)) != NULL &&
			    strcmp(name, s) == 0)
				break;
	if (i > 64 || i == SIGKILL || i == SIGSTOP)
		return GQ_EINVAL;
	*out = i;
	return 0;
}

/* Where it may run (pool, labels, GPU model, nodes), how it is swapped. */
static int
submit_where(struct job *j, json_t *p, char **cause)
{
	const char *pool, *labels, *model, *sig;
	struct req *r = &j->core.req;
	int64_t nodes;
	int rc;

	if ((rc = params_str(p, "pool", MODEL_MAX_POOL - 1, "", &pool,
	         cause)) != 0 ||
	    (rc = params_str(p, "labels", MODEL_MAX_LABELS - 1, "", &labels,
	         cause)) != 0 ||
	    (rc = params_str(p, "gpu_model", MODEL_MAX_GPU_MODEL - 1, "",
	         &model, cause)) != 0 ||
	    (rc = params_str(p, "checkpoint_signal", 16, NULL, &sig, cause)) !=
	        0 ||
	    (rc = params_int(p, "nodes", 1, MODEL_MAX_GANG_NODES, 1, &nodes,
	         cause)) != 0)
		return rc;
	if ((pool[0] != '\0' && !submit_name_ok(pool)) ||
	    model_labels_check(labels) != 0)
		return submit_fail(cause,
		    "\"pool\" and \"labels\" are names of A-Z a-z 0-9 _ - . "
		    "(labels separated by commas)");
	if (sig != NULL && submit_signal(sig, &j->ckpt_signal) != 0)
		return submit_fail(cause,
		    "\"checkpoint_signal\" must be a signal a job can catch, "
		    "such as USR1 or TERM");
	snprintf(r->pool, sizeof(r->pool), "%s", pool);
	snprintf(r->labels, sizeof(r->labels), "%s", labels);
	snprintf(r->gpu_model, sizeof(r->gpu_model), "%s", model);
	r->nodes = nodes > 1 ? (int32_t)nodes : 0;
	return 0;
}

/*
 * With projects declared, a job names one of them; a job with no time
 * limit gets its project's default (or the policy's).
 */
static int
submit_project(struct verb_ctx *v, struct job *j, char **cause)
{
	const struct projects *p = &v->d->cfg.projects;

	if (p->any && project_find(p, j->core.project) < 0) {
		*cause = xasprintf("no project \"%s\" (gpuq projects lists "
		                   "them)",
		    j->core.project);
		return GQ_EINVAL;
	}
	if (j->core.req.time_limit_s == 0)
		j->core.req.time_limit_s =
		    project_default_time(p, j->core.project);
	return 0;
}

static int
submit_parse(struct verb_ctx *v, struct job *j, char **cause)
{
	static const char *const allowed[] = { "argv", "env", "workdir", "name",
		"project", "gpus", "gpu_mem_mb", "cpus", "mem_mb",
		"time_limit_s", "class", "priority", "preemptible",
		"kill_grace_s", "pool", "labels", "gpu_model", "nodes",
		"checkpoint_signal", "dry_run", "after", "afterok", "hold",
		NULL };
	size_t bytes = 0;
	char why[256];
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = submit_argv(j, v->params, &bytes, cause)) != 0 ||
	    (rc = submit_env(j, v->params, &bytes, cause)) != 0 ||
	    (rc = submit_req(j, v->params, cause)) != 0 ||
	    (rc = submit_meta(j, v->params, cause)) != 0 ||
	    (rc = submit_where(j, v->params, cause)) != 0 ||
	    (rc = submit_project(v, j, cause)) != 0 ||
	    (rc = jobs_archive_deps(v->d, v->params)) != 0 ||
	    (rc = run_deps_parse(v->d, j, v->params, cause)) != 0)
		return rc;
	if (bytes > JOB_MAX_ARGBYTES) {
		*cause = xstrdup("argv and env together exceed 256 KiB");
		return GQ_ETOOBIG;
	}
	if (j->kill_grace_s < 0)
		j->kill_grace_s = v->d->cfg.kill_grace_s;
	rc = model_req_check(&v->d->cluster, &j->core.req, why, sizeof(why));
	if (rc != 0)
		*cause = xstrdup(why);
	return rc;
}

int
verb_job_submit(struct verb_ctx *v, json_t **result, char **cause)
{
	struct daemon *d = v->d;
	struct job *j = job_new();
	int rc, dry;

	if ((rc = submit_parse(v, j, cause)) != 0 ||
	    (rc = params_bool(v->params, "dry_run", 0, &dry, cause)) != 0) {
		job_free(j);
		return rc;
	}
	j->core.id = d->next_job_id;
	snprintf(j->core.user, sizeof(j->core.user), "%s", v->c->user);
	j->uid = v->c->uid;
	j->gid = v->c->gid;
	j->core.submit_time = v->now;
	j->core.state = JOB_PENDING;
	if (dry) {
		/* Planned as if queued; nothing is kept. */
		*result = dryrun_submit(d, j, v->now);
		job_free(j);
		return 0;
	}
	jobs_add(d, j);
	store_begin(d->store);
	store_meta_set(d->store, "next_job_id", d->next_job_id);
	jobs_changed(d, j, v->now, 1);
	d->sched_dirty = 1;
	*result = json_pack("{s:o}", "job", jobjson_encode(d, j, 0));
	return 0;
}
