/*
 * sweep.create: parses a sweep file, checks that its trials would be
 * accepted as jobs, and starts the sweep (or, with dry_run, lists what it
 * would start).  docs/protocol/sweep.create.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

#define CREATE_MAX_LISTED 1000

/* What the request said, and what was made of it. */
struct create {
	struct verb_ctx *v;
	const char *file, *format, *name, *workdir, *path;
	int dry;
	struct job *job; /* from_job, borrowed */
	json_t *env;     /* owned */
	char *text;      /* owned: a sweep file made from the job */
	struct sweep *sw;
};

static int
create_fail(char **cause, int rc, const char *msg)
{
	*cause = xstrdup(msg);
	return rc;
}

static int
create_from_job(struct create *c, char **cause)
{
	int64_t id;
	int rc;

	rc = params_int(c->v->params, "from_job", 1, PROTO_MAX_ID_PARAM, 0, &id,
	    cause);
	if (rc != 0 || id == 0)
		return rc;
	if ((c->job = jobs_archive_peek(c->v->d, id)) == NULL) {
		*cause = xasprintf("no job %lld", (long long)id);
		return GQ_ENOENT;
	}
	return params_may_read(c->v, c->job, cause);
}

static int
create_params(struct create *c, char **cause)
{
	static const char *const allowed[] = { "file", "format", "name",
		"dry_run", "from_job", "workdir", "env", "path", NULL };
	json_t *p = c->v->params, *f = json_object_get(p, "file");
	int rc;

	if ((rc = params_allow(p, allowed, cause)) != 0)
		return rc;
	if (json_is_string(f) && json_string_length(f) > SWEEP_MAX_FILE)
		return create_fail(cause, GQ_ETOOBIG, "\"file\" is over 1 MiB");
	if ((rc = params_str(p, "file", SWEEP_MAX_FILE, NULL, &c->file,
	         cause)) != 0 ||
	    (rc = params_str(p, "format", 8, NULL, &c->format, cause)) != 0 ||
	    (rc = params_str(p, "name", 63, NULL, &c->name, cause)) != 0 ||
	    (rc = params_str(p, "workdir", 4096, NULL, &c->workdir, cause)) !=
	        0 ||
	    (rc = params_str(p, "path", 255, NULL, &c->path, cause)) != 0 ||
	    (rc = params_bool(p, "dry_run", 0, &c->dry, cause)) != 0 ||
	    (rc = create_from_job(c, cause)) != 0)
		return rc;
	if (c->format != NULL && strcmp(c->format, "yaml") != 0 &&
	    strcmp(c->format, "json") != 0)
		return create_fail(cause, GQ_EINVAL,
		    "\"format\" must be \"yaml\" or \"json\"");
	if (c->file == NULL && c->job == NULL)
		return create_fail(cause, GQ_EINVAL,
		    "\"file\" is required (or \"from_job\")");
	return 0;
}

/* The trials' environment: env, else from_job's, else none. */
static int
create_env(struct create *c, char **cause)
{
	json_t *e = json_object_get(c->v->params, "env");
	const char *eq;
	char name[256];
	size_t i;

	if (e != NULL && !json_is_null(e)) {
		if (!json_is_object(e))
			return create_fail(cause, GQ_EINVAL,
			    "\"env\" must be an object of strings");
		c->env = json_incref(e);
		return 0;
	}
	c->env = json_object();
	for (i = 0; c->job != NULL && i < c->job->nenv; i++)
		if ((eq = strchr(c->job->env[i], '=')) != NULL &&
		    eq > c->job->env[i] && eq - c->job->env[i] < 256) {
			memcpy(name, c->job->env[i],
			    (size_t)(eq - c->job->env[i]));
			name[eq - c->job->env[i]] = '\0';
			json_object_set_new(c->env, name, json_string(eq + 1));
		}
	return 0;
}

static int
create_parse(struct create *c, struct sweep_spec **spec, char **cause)
{
	enum sweep_format fmt = SWEEP_AUTO;
	const char *text = c->file, *path = c->path;

	if (text == NULL) {
		c->text = sweep_from_job((const char *const *)c->job->argv,
		    c->job->argc, c->job->name);
		if (c->text == NULL)
			return create_fail(cause, GQ_EINVAL,
			    "no sweep file can be made from that job");
		text = c->text;
		fmt = SWEEP_YAML;
	}
	if (c->format != NULL)
		fmt = strcmp(c->format, "json") == 0 ? SWEEP_JSON : SWEEP_YAML;
	if (path == NULL)
		path = fmt == SWEEP_JSON ||
		        (fmt == SWEEP_AUTO &&
		            text[strspn(text, " \t\r\n")] == '{') ?
		    "sweep.json" :
		    "sweep.yaml";
	return sweep_parse(path, text, strlen(text), fmt, spec, cause);
}

/* What the file left out comes from the job it was made from. */
static void
create_job_defaults(struct sweep_spec *s, const struct job *j)
{
	struct sweep_resources *r = &s->res;
	const struct req *q = &j->core.req;

	if (r->gpus_milli == 0 && r->gpu_mem_mb == 0) {
		r->gpus_milli = q->gpus_milli;
		r->gpu_mem_mb = q->gpu_mem_mb;
	}
	if (r->cpus_milli == 0)
		r->cpus_milli = q->cpus_milli;
	if (r->mem_mb == 0)
		r->mem_mb = q->mem_mb;
	if (r->time_s == 0)
		r->time_s = q->time_limit_s;
	if (r->pool == NULL && q->pool[0] != '\0')
		r->pool = xstrdup(q->pool);
	if (r->gpu_model == NULL && q->gpu_model[0] != '\0')
		r->gpu_model = xstrdup(q->gpu_model);
	if (s->project == NULL)
		s->project = xstrdup(j->core.project);
}

static uint64_t
create_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		seed =
		    (uint64_t)daemon_now() * 2654435761u ^ (uint64_t)getpid();
	/* An integer JSON carries exactly, as the protocol's ids are. */
	return seed & ((UINT64_C(1) << 53) - 1);
}

/* A name made of A-Z a-z 0-9 _ - . from text (may be NULL). */
static void
create_name_from(const char *text, char *out, size_t n)
{
	const char *slash;
	size_t i, k = 0;

	if (text == NULL || text[0] == '\0')
		text = "sweep";
	if ((slash = strrchr(text, '/')) != NULL && slash[1] != '\0')
		text = slash + 1;
	for (i = 0; text[i] != '\0' && k + 1 < n; i++)
		out[k++] = isalnum((unsigned char)text[i]) || text[i] == '_' ||
		        text[i] == '-' || text[i] == '.' ?
		    text[i] :
		    '-';
	out[k] = '\0';
}

static int
create_name(struct create *c, const struct sweep_spec *s, char *out, size_t n)
{
	size_t i;

	if (c->name == NULL) {
		create_name_from(s->name ? s->name :
		        s->program       ? s->program :
		        s->ncommand > 0  ? s->command[0] :
		                           NULL,
		    out, n);
		return 0;
	}
	for (i = 0; c->name[i] != '\0'; i++)
		if (!isalnum((unsigned char)c->name[i]) && c->name[i] != '_' &&
		    c->name[i] != '-' && c->name[i] != '.')
			break;
	if (i == 0 || c->name[i] != '\0')
		return GQ_EINVAL;
	snprintf(out, n, "%s", c->name);
	return 0;
}

static int
create_workdir(struct create *c, const char **out, char **cause)
{
	*out = c->workdir != NULL ? c->workdir :
	    c->job != NULL        ? c->job->workdir :
	                            NULL;
	if (*out == NULL || (*out)[0] != '/')
		return create_fail(cause, GQ_EINVAL,
		    "\"workdir\" must be an absolute path");
	return 0;
}

/* The sweep's record (not yet in the table); steals spec. */
static int
create_sweep(struct create *c, struct sweep_spec *spec, char **cause)
{
	struct verb_ctx *v = c->v;
	struct sweep *sw;
	char name[SWEEPD_MAX_NAME];
	const char *workdir;
	int rc;

	if (c->job != NULL)
		create_job_defaults(spec, c->job);
	if (!spec->has_seed) {
		spec->seed = create_seed();
		spec->has_seed = 1;
	}
	if (create_name(c, spec, name, sizeof(name)) != 0)
		rc = create_fail(cause, GQ_EINVAL,
		    "\"name\" must be 1-63 of A-Z a-z 0-9 _ - .");
	else
		rc = create_workdir(c, &workdir, cause);
	if (rc != 0) {
		sweep_spec_free(spec);
		return rc;
	}
	c->sw = sw = xcalloc(1, sizeof(*sw));
	sw->spec = spec;
	sw->budget = sweepd_budget(spec);
	sw->rec.id = sweepd_table(v->d)->next_id;
	sw->rec.name = xstrdup(name);
	sw->rec.user = xstrdup(v->c->user);
	sw->rec.uid = v->c->uid;
	sw->rec.gid = v->c->gid;
	sw->rec.project = xstrdup(spec->project ? spec->project : "default");
	sw->rec.state = xstrdup("running");
	sw->rec.spec = sweep_spec_dumps(spec);
	sw->rec.seed = (int64_t)spec->seed;
	sw->rec.rng = xstrdup("[]");
	sw->rec.workdir = xstrdup(workdir);
	sw->rec.env = json_dumps(c->env, JSON_COMPACT | JSON_SORT_KEYS);
	sw->rec.created = v->now;
	sw->rec.next_trial = 1;
	return 0;
}

/*
 * Tries the first trial as a job.submit dry run, so a sweep whose trials
 * would all be refused (no such project, resources that fit no node) is
 * refused now, with job.submit's reason.
 */
static int
create_probe(struct create *c, char **cause)
{
	struct daemon *d = c->v->d;
	struct sweep *sw = c->sw;
	struct sweep_point p;
	struct sweep_rng r;
	json_t *params, *res = NULL;
	int rc;

	if (sw->budget == 0)
		return create_fail(cause, GQ_EINVAL,
		    "the sweep has no trials to run");
	sweep_rng_for_trial(&r, (uint64_t)sw->rec.seed, 0);
	if ((rc = sweep_next(sw->spec, NULL, 0, &r, &p)) <= 0)
		return create_fail(cause, GQ_EINVAL,
		    "the sweep has no trials to run");
	params = sweepd_trial_params(d, sw, 1, d->next_job_id, &p, cause);
	sweep_point_done(&p);
	if (params == NULL)
		return GQ_EINVAL;
	rc = sweepd_trial_submit(d, sw, params, 1, &res, cause);
	json_decref(res);
	return rc;
}

static json_t *
create_warnings(const struct sweep_spec *s)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < s->nwarnings; i++)
		json_array_append_new(a, json_string(s->warnings[i]));
	return a;
}

static json_t *
create_dry_trial(const struct sweep_spec *s, const struct sweep_point *p,
    size_t i)
{
	char **argv = NULL;
	size_t argc = 0, k;
	json_t *a = json_array();

	if (sweep_argv(s, p, &argv, &argc, NULL) == 0) {
		for (k = 0; k < argc; k++)
			json_array_append_new(a, json_string(argv[k]));
		sweep_argv_free(argv);
	}
	return json_pack("{s:I,s:o,s:o}", "trial", (json_int_t)i + 1, "params",
	    sweep_point_encode(s, p), "argv", a);
}

/* GPU-hours at most: every trial for its whole time limit. */
static json_t *
create_gpu_hours(struct create *c, const struct sweep_dryrun *dr)
{
	const struct sweep *sw = c->sw;
	const struct sweep_resources *r = &sw->spec->res;
	int64_t t = r->time_s;

	if (t == 0)
		t = project_default_time(&c->v->d->cfg.projects,
		    sw->rec.project);
	if (sw->budget >= 0 && t > 0 && r->gpu_mem_mb == 0)
		return json_real((double)sw->budget * r->gpus_milli / 1000.0 *
		    (double)t / 3600.0);
	return dr->gpu_hours >= 0 ? json_real(dr->gpu_hours) : json_null();
}

static json_t *
create_dry_result(struct create *c)
{
	const struct sweep_spec *s = c->sw->spec;
	struct sweep_dryrun dr;
	json_t *o, *a = json_array();
	size_t i;

	memset(&dr, 0, sizeof(dr));
	if (sweep_dryrun(s, &dr) != 0)
		memset(&dr, 0, sizeof(dr));
	for (i = 0; i < dr.npoints && i < CREATE_MAX_LISTED; i++)
		json_array_append_new(a, create_dry_trial(s, &dr.points[i], i));
	o = json_pack("{s:b,s:s,s:s,s:o,s:i,s:o,s:I}", "dry_run", 1, "name",
	    c->sw->rec.name, "method", sweep_method_name(s->method), "budget",
	    c->sw->budget >= 0 ? json_integer(c->sw->budget) : json_null(),
	    "parallel", s->parallel, "trials", a, "listed",
	    (json_int_t)json_array_size(a));
	json_object_set_new(o, "gpus", json_real(s->res.gpus_milli / 1000.0));
	json_object_set_new(o, "time_limit_s", json_integer(s->res.time_s));
	json_object_set_new(o, "gpu_hours", create_gpu_hours(c, &dr));
	json_object_set_new(o, "project", json_string(c->sw->rec.project));
	json_object_set_new(o, "spec", sweep_spec_encode(s));
	json_object_set_new(o, "warnings", create_warnings(s));
	if (c->text != NULL)
		json_object_set_new(o, "file", json_string(c->text));
	sweep_dryrun_done(&dr);
	return o;
}

/* Puts the sweep in the table and submits its first trials. */
static json_t *
create_start(struct create *c)
{
	struct daemon *d = c->v->d;
	struct sweep *sw = c->sw;

	c->sw = NULL;
	sweepd_add(d, sw);
	sweepd_save(d, sw);
	sweepd_emit_state(d, sw);
	sweepd_fill(d, sw, c->v->now);
	d->sched_dirty = 1;
	return json_pack("{s:o,s:o}", "sweep", sweepd_json_sweep(d, sw, 0),
	    "warnings", create_warnings(sw->spec));
}

int
verb_sweep_create(struct verb_ctx *v, json_t **result, char **cause)
{
	struct sweep_spec *spec = NULL;
	struct create c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.v = v;
	if ((rc = create_params(&c, cause)) == 0 &&
	    (rc = create_env(&c, cause)) == 0 &&
	    (rc = create_parse(&c, &spec, cause)) == 0 &&
	    (rc = create_sweep(&c, spec, cause)) == 0 &&
	    (rc = create_probe(&c, cause)) == 0)
		*result = c.dry ? create_dry_result(&c) : create_start(&c);
	sweepd_sweep_free(c.sw);
	json_decref(c.env);
	free(c.text);
	return rc;
}
