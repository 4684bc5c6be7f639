/*
 * The scenario runner: reading a scenario file, running the policy.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/sched-quick.h"
#include "tests/scenarios/scn.h"

int
scn_fail(struct scn *s, const char *fmt, ...)
{
	char msg[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s->want_error[0] != '\0' && strstr(msg, s->want_error) != NULL) {
		s->error_seen = 1;
		if (s->verbose)
			printf("# expected error: %s:%d: %s\n", s->file,
			    s->line, msg);
		return -1;
	}
	fprintf(stderr, "%s:%d: %s\n", s->file, s->line, msg);
	s->failures++;
	return -1;
}

int
scn_tokens(char *line, char **tok, int max)
{
	char *p = line, *w;
	int n = 0, quoted;

	while (n < max) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		tok[n++] = w = p;
		for (quoted = 0; *p != '\0'; p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (!quoted && isspace((unsigned char)*p))
				break;
			*w++ = *p;
		}
		if (*p != '\0')
			p++;
		*w = '\0';
	}
	return n;
}

int
scn_time(struct scn *s, const char *v, int64_t *out)
{
	int64_t d;
	int sign = 1;

	if (*v == '+' || *v == '-')
		sign = *v++ == '-' ? -1 : 1;
	if (units_parse_duration(v, 1, &d) != 0)
		return -1;
	*out = s->now0 + sign * d;
	return 0;
}

struct scn_job *
scn_job_find(struct scn *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->njobs; i++)
		if (s->jobs[i].core.id == id)
			return &s->jobs[i];
	return NULL;
}

int32_t
scn_node_find(struct scn *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->c.nnodes; i++)
		if (strcmp(s->c.nodes[i].name, name) == 0)
			return (int32_t)i;
	return -1;
}

/* Reads "key=value": a pointer to the value, or NULL. */
static const char *
scn_val(char *tok, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(tok, key, n) == 0 && tok[n] == '=')
		return tok + n + 1;
	return NULL;
}

/* node NAME gpus=8 model=H100 gpu-mem=80G cpus=64 mem=512G pool= labels=
 * count=N */
static int
scn_node(struct scn *s, char **tok, int n)
{
	int32_t gpus = 8, cpus = 64000, i, k, count = 1, idx;
	int64_t gmem = 81920, mem = 512 * 1024;
	const char *model = "H100", *pool = "", *labels = "", *v;
	struct node *nd;
	char name[64];

	for (i = 2; i < n; i++) {
		if ((v = scn_val(tok[i], "gpus")) != NULL)
			gpus = atoi(v);
		else if ((v = scn_val(tok[i], "count")) != NULL)
			count = atoi(v);
		else if ((v = scn_val(tok[i], "model")) != NULL)
			model = v;
		else if ((v = scn_val(tok[i], "pool")) != NULL)
			pool = v;
		else if ((v = scn_val(tok[i], "labels")) != NULL)
			labels = v;
		else if ((v = scn_val(tok[i], "gpu-mem")) != NULL) {
			if (units_parse_mem_mb(v, &gmem) != 0)
				return scn_fail(s, "bad gpu-mem");
		} else if ((v = scn_val(tok[i], "mem")) != NULL) {
			if (units_parse_mem_mb(v, &mem) != 0)
				return scn_fail(s, "bad mem");
		} else if ((v = scn_val(tok[i], "cpus")) != NULL) {
			if (units_parse_cpus(v, &cpus) != 0)
				return scn_fail(s, "bad cpus");
		} else
			return scn_fail(s, "node: unknown %s", tok[i]);
	}
	for (k = 0; k < count; k++) {
		if (count > 1)
			snprintf(name, sizeof(name), "%s%d", tok[1], k + 1);
		else
			snprintf(name, sizeof(name), "%s", tok[1]);
		idx =
		    cluster_add_node(&s->c, name, gpus, model, gmem, cpus, mem);
		nd = &s->c.nodes[idx];
		snprintf(nd->pool, sizeof(nd->pool), "%s", pool);
		snprintf(nd->labels, sizeof(nd->labels), "%s", labels);
	}
	return 0;
}

static struct scn_job *
scn_job_new(struct scn *s, const char *id)
{
	struct scn_job *j;

	if (s->njobs == s->cap_jobs) {
		s->cap_jobs = s->cap_jobs ? s->cap_jobs * 2 : 64;
		s->jobs = xreallocarray(s->jobs, s->cap_jobs, sizeof(*s->jobs));
	}
	j = &s->jobs[s->njobs++];
	memset(j, 0, sizeof(*j));
	j->core.id = atoll(id);
	snprintf(j->core.user, sizeof(j->core.user), "user");
	snprintf(j->core.project, sizeof(j->core.project), "default");
	j->core.cls = JOB_CLASS_TRAIN;
	j->core.preemptible = 1;
	j->core.submit_time = s->now0;
	j->core.alloc.node = -1;
	j->end_at = SCN_NEVER;
	j->line = s->line;
	return j;
}

/* Request keys; 1 when tok is none of them, -1 on a bad value. */
static int
scn_job_req(struct scn *s, struct scn_job *j, char *tok)
{
	struct req *r = &j->core.req;
	const char *v;
	int rc = 0;

	if ((v = scn_val(tok, "gpus")) != NULL)
		rc = units_parse_gpus(v, &r->gpus_milli);
	else if ((v = scn_val(tok, "gpu-mem")) != NULL)
		rc = units_parse_mem_mb(v, &r->gpu_mem_mb);
	else if ((v = scn_val(tok, "cpus")) != NULL)
		rc = units_parse_cpus(v, &r->cpus_milli);
	else if ((v = scn_val(tok, "mem")) != NULL)
		rc = units_parse_mem_mb(v, &r->mem_mb);
	else if ((v = scn_val(tok, "time")) != NULL)
		rc = units_parse_duration(v, 60, &r->time_limit_s);
	else if ((v = scn_val(tok, "pool")) != NULL)
		snprintf(r->pool, sizeof(r->pool), "%s", v);
	else if ((v = scn_val(tok, "labels")) != NULL)
		snprintf(r->labels, sizeof(r->labels), "%s", v);
	else if ((v = scn_val(tok, "model")) != NULL)
		snprintf(r->gpu_model, sizeof(r->gpu_model), "%s", v);
	else if ((v = scn_val(tok, "nodes")) != NULL)
		r->nodes = atoi(v);
	else
		return 1;
	return rc != 0 ? scn_fail(s, "bad value in %s", tok) : 0;
}

static int
scn_job_meta(struct scn *s, struct scn_job *j, char *tok)
{
	struct job_core *c = &j->core;
	const char *v;

	if ((v = scn_val(tok, "user")) != NULL)
		snprintf(c->user, sizeof(c->user), "%s", v);
	else if ((v = scn_val(tok, "project")) != NULL)
		snprintf(c->project, sizeof(c->project), "%s", v);
	else if ((v = scn_val(tok, "class")) != NULL) {
		if (model_class_parse(v, &c->cls) != 0)
			return scn_fail(s, "bad class %s", v);
		c->preemptible = c->cls == JOB_CLASS_TRAIN;
	} else if ((v = scn_val(tok, "priority")) != NULL)
		c->priority = atoi(v);
	else if ((v = scn_val(tok, "preemptible")) != NULL)
		c->preemptible = strcmp(v, "yes") == 0;
	else if ((v = scn_val(tok, "submit")) != NULL) {
		if (scn_time(s, v, &c->submit_time) != 0)
			return scn_fail(s, "bad time %s", v);
	} else if ((v = scn_val(tok, "runtime")) != NULL) {
		if (units_parse_duration(v, 60, &j->runtime) != 0)
			return scn_fail(s, "bad runtime %s", v);
	} else if (strcmp(tok, "new") == 0)
		j->fresh = 1;
	else if (strcmp(tok, "held") == 0)
		c->flags |= JOB_F_HELD;
	else if (strcmp(tok, "after") == 0)
		c->flags |= JOB_F_DEPENDENCY;
	else
		return 1;
	return 0;
}

static int scn_job_alloc(struct scn *s, struct scn_job *j, const char *nodes,
    const char *gpus);

/* A pending job's pin: pin=NODE gpu=0,1 (its share of each GPU). */
static int
scn_job_pin(struct scn *s, struct scn_job *j, const char *node,
    const char *gpus)
{
	struct alloc saved = j->core.alloc;
	int32_t ngang = j->core.ngang;
	int rc;

	if (strchr(node, ',') != NULL)
		return scn_fail(s, "pin= names one node");
	rc = scn_job_alloc(s, j, node, gpus);
	j->pin = j->core.alloc;
	j->has_pin = 1;
	j->core.alloc = saved;
	j->core.ngang = ngang;
	j->core.gang = NULL;
	return rc;
}

/* The allocation of a running job: node=a[,b] gpu=0,1 on each node. */
static int
scn_job_alloc(struct scn *s, struct scn_job *j, const char *nodes,
    const char *gpus)
{
	struct req r = j->core.req;
	char buf[256], *tok, *save = NULL;
	struct alloc *a;
	int32_t k = 0, nd, g;
	const char *p;

	model_req_defaults(&r);
	j->core.req = r;
	snprintf(buf, sizeof(buf), "%s", nodes);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save), k++) {
		if ((nd = scn_node_find(s, tok)) < 0)
			return scn_fail(s, "no node %s", tok);
		a = k == 0 ? &j->core.alloc : &j->gang[k - 1];
		memset(a, 0, sizeof(*a));
		a->node = nd;
		a->cpus_milli = r.cpus_milli;
		a->mem_mb = r.mem_mb;
		for (p = gpus; p != NULL && *p != '\0';
		     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
			g = atoi(p);
			a->gpus[a->ngpus].gpu = g;
			a->gpus[a->ngpus].milli = model_req_milli_on(&r,
			    s->c.nodes[nd].gpus[g].mem_mb);
			if (a->gpus[a->ngpus].milli > MODEL_GPU_MILLI)
				a->gpus[a->ngpus].milli = MODEL_GPU_MILLI;
			a->gpus[a->ngpus].mem_mb =
			    s->c.nodes[nd].gpus[g].mem_mb *
			    a->gpus[a->ngpus].milli / MODEL_GPU_MILLI;
			a->ngpus++;
		}
	}
	j->core.ngang = k - 1;
	j->core.gang = k > 1 ? j->gang : NULL;
	return 0;
}

/* running|pending ID key=value... */
static int
scn_job(struct scn *s, char **tok, int n, int running)
{
	struct scn_job *j = scn_job_new(s, tok[1]);
	const char *node = NULL, *gpu = "", *pin = NULL, *v;
	int i, rc;

	for (i = 2; i < n; i++) {
		if ((rc = scn_job_req(s, j, tok[i])) <= 0 ||
		    (rc = scn_job_meta(s, j, tok[i])) <= 0) {
			if (rc < 0)
				return -1;
		} else if ((v = scn_val(tok[i], "node")) != NULL)
			node = v;
		else if ((v = scn_val(tok[i], "pin")) != NULL && !running)
			pin = v;
		else if ((v = scn_val(tok[i], "gpu")) != NULL)
			gpu = v;
		else if ((v = scn_val(tok[i], "start")) != NULL) {
			if (scn_time(s, v, &j->core.start_time) != 0)
				return scn_fail(s, "bad start");
		} else if (strcmp(tok[i], "stopping") == 0)
			j->core.stopping = 1;
		else
			return scn_fail(s, "job: unknown %s", tok[i]);
	}
	model_req_defaults(&j->core.req);
	j->core.state = running ? JOB_RUNNING : JOB_PENDING;
	if (!running)
		return pin != NULL ? scn_job_pin(s, j, pin, gpu) : 0;
	if (node == NULL)
		return scn_fail(s, "a running job needs node=");
	if (j->core.start_time == 0)
		j->core.start_time = s->now0;
	j->first_start = j->core.start_time;
	j->starts = 1;
	if (j->core.stopping)
		j->stop_at = s->now0 + s->p.params.swap_time_s;
	if (j->runtime > 0)
		j->end_at = j->core.start_time + j->runtime;
	else if (j->core.req.time_limit_s > 0)
		j->end_at = j->core.start_time + j->core.req.time_limit_s;
	return scn_job_alloc(s, j, node, gpu);
}

/* usage PROJECT USER gpus=N: N GPUs on average over the half-life. */
static int
scn_usage(struct scn *s, char **tok, int n)
{
	double avg[3] = { 0, 0, 0 };
	const char *v;
	int i;

	if (n < 3)
		return scn_fail(s, "usage PROJECT USER gpus=N [cpus=N]");
	for (i = 3; i < n; i++) {
		if ((v = scn_val(tok[i], "gpus")) != NULL)
			avg[0] = atof(v) * 1000;
		else if ((v = scn_val(tok[i], "cpus")) != NULL)
			avg[1] = atof(v) * 1000;
		else
			return scn_fail(s, "usage: unknown %s", tok[i]);
	}
	if (s->p.params.half_life_s <= 0)
		return scn_fail(s, "usage needs a half-life first");
	if (s->usage.half_life_s != s->p.params.half_life_s) {
		project_usage_done(&s->usage);
		project_usage_init(&s->usage, s->p.params.half_life_s, s->now0);
	}
	/* A steady average over a long past gives that average. */
	project_usage_add(&s->usage, tok[1], tok[2], avg[0], avg[1], 0,
	    s->now0 - 1000 * s->p.params.half_life_s, s->now0);
	return 0;
}

static int
scn_setup_line(struct scn *s, char **tok, int n, char *raw_rest)
{
	char cause[256];
	int rc;

	if (strcmp(tok[0], "node") == 0 && n >= 2)
		return scn_node(s, tok, n);
	if ((strcmp(tok[0], "running") == 0 ||
	        strcmp(tok[0], "pending") == 0) &&
	    n >= 2)
		return scn_job(s, tok, n, tok[0][0] == 'r');
	if (strcmp(tok[0], "usage") == 0)
		return scn_usage(s, tok, n);
	if (strcmp(tok[0], "config-error") == 0 && n == 2) {
		snprintf(s->want_error, sizeof(s->want_error), "%s", tok[1]);
		return 0;
	}
	if (strcmp(tok[0], "now") == 0 && n == 2) {
		s->now0 = s->now = atoll(tok[1]);
		return 0;
	}
	if (strcmp(tok[0], "policy") == 0 && n == 2) {
		if ((s->policy = sched_policy_find(tok[1])) == NULL)
			return scn_fail(s, "no policy %s", tok[1]);
		return 0;
	}
	rc = project_parse_line(&s->p, tok[0], raw_rest, s->line, cause,
	    sizeof(cause));
	if (rc == 0)
		s->projects_given = 1;
	if (rc < 0)
		return scn_fail(s, "%s", cause);
	if (rc == 1)
		return scn_fail(s, "unknown line \"%s\"", tok[0]);
	return 0;
}

static int
scn_step_line(struct scn *s, char **tok, int n)
{
	int64_t d;
	int rc;

	if (strcmp(tok[0], "expect") == 0) {
		if (n == 2 && strcmp(tok[1], "history") == 0) {
			scn_expect_begin(s, 1);
			return 0;
		}
		scn_expect_begin(s, 0);
		s->quick = n == 2 && strcmp(tok[1], "quick") == 0;
		rc = scn_plan(s);
		s->quick = 0;
		return rc;
	}
	if (strcmp(tok[0], "end") == 0) {
		scn_expect_end(s);
		return 0;
	}
	if (strcmp(tok[0], "run") == 0 && n == 2) {
		if (units_parse_duration(tok[1], 60, &d) != 0)
			return scn_fail(s, "run DURATION");
		return scn_run(s, d);
	}
	return 1;
}

static int
scn_line(struct scn *s, char *line)
{
	char raw[4096], *tok[SCN_MAX_TOKENS], *rest;
	int n, rc;

	snprintf(raw, sizeof(raw), "%s", line);
	if ((rest = strchr(raw, '#')) != NULL)
		*rest = '\0';
	if ((n = scn_tokens(line, tok, SCN_MAX_TOKENS)) == 0)
		return 0;
	if ((rc = scn_step_line(s, tok, n)) != 1)
		return rc;
	if (s->in_expect)
		return scn_expect_line(s, tok, n);
	for (rest = raw; isspace((unsigned char)*rest); rest++)
		;
	rest += strlen(tok[0]);
	return scn_setup_line(s, tok, n, rest);
}

static int
scn_resolve(struct scn *s)
{
	char cause[256];
	int32_t line;

	if (project_resolve(&s->p, cause, sizeof(cause), &line) != 0) {
		s->line = line;
		return scn_fail(s, "%s", cause);
	}
	return 0;
}

static int
scn_file(struct scn *s, const char *path)
{
	char line[4096];
	int resolved = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return -1;
	}
	s->file = path;
	while (fgets(line, sizeof(line), fp) != NULL) {
		s->line++;
		line[strcspn(line, "\n")] = '\0';
		if (!resolved &&
		    (strncmp(line, "expect", 6) == 0 ||
		        strncmp(line, "run", 3) == 0)) {
			resolved = 1;
			if (scn_resolve(s) != 0)
				break;
		}
		(void)scn_line(s, line);
	}
	if (!resolved)
		(void)scn_resolve(s);
	if (s->in_expect)
		scn_expect_end(s);
	if (s->want_error[0] != '\0' && !s->error_seen) {
		s->line = 0;
		scn_fail(s, "expected an error with \"%s\"", s->want_error);
	}
	fclose(fp);
	return s->failures == 0 ? 0 : -1;
}

/* The free capacity: the cluster with running jobs' allocs taken out. */
static void
scn_free(struct scn *s, struct cluster *c)
{
	size_t i;

	c->nnodes = s->c.nnodes;
	c->nodes = xreallocarray(NULL, c->nnodes + 1, sizeof(*c->nodes));
	memcpy(c->nodes, s->c.nodes, c->nnodes * sizeof(*c->nodes));
	for (i = 0; i < s->njobs; i++) {
		if (s->jobs[i].core.state != JOB_RUNNING)
			continue;
		cluster_take(c, &s->jobs[i].core.alloc);
		for (int32_t g = 0; g < s->jobs[i].core.ngang; g++)
			cluster_take(c, &s->jobs[i].gang[g]);
	}
}

/*
 * The jobs in one of three orders: as written, reversed, rotated.  While
 * planning for "expect quick", pending jobs marked new only when fresh,
 * the others only when not.
 */
static size_t
scn_pick(struct scn *s, int order, int running, int fresh,
    const struct job_core **out)
{
	size_t i, k, n = 0, total = s->njobs;
	struct scn_job *j;

	for (k = 0; k < total; k++) {
		i = order == 0 ? k :
		    order == 1 ? total - 1 - k :
		                 (k + total / 2) % total;
		j = &s->jobs[i];
		/* The jobs array may have moved since these were set. */
		j->core.gang = j->core.ngang > 0 ? j->gang : NULL;
		j->core.pin = j->has_pin ? &j->pin : NULL;
		if (running && j->core.state == JOB_RUNNING)
			out[n++] = &j->core;
		else if (!running && j->core.state == JOB_PENDING &&
		    j->core.submit_time <= s->now &&
		    (!s->quick || j->fresh == fresh))
			out[n++] = &j->core;
	}
	return n;
}

static char *
scn_plan_once(struct scn *s, int order, struct plan *p)
{
	const struct job_core **pend, **run;
	struct sched_input in;
	struct sched_quick q;
	struct cluster fc;
	char *text = NULL;
	size_t len, n;
	FILE *fp;

	pend = xreallocarray(NULL, s->njobs + 1, sizeof(*pend));
	run = xreallocarray(NULL, s->njobs + 1, sizeof(*run));
	scn_free(s, &fc);
	memset(&in, 0, sizeof(in));
	in.cluster = &fc;
	in.now = s->now;
	in.pending = pend;
	in.npending = scn_pick(s, order, 0, 0, pend);
	in.running = run;
	in.nrunning = scn_pick(s, order, 1, 0, run);
	in.projects = s->projects_given ? &s->p : NULL;
	in.usage = s->usage.half_life_s > 0 ? &s->usage : NULL;
	plan_reset(p);
	if (s->quick) {
		sched_quick_init(&q);
		in.quick = &q;
	}
	if (s->policy->plan(&in, p) != 0)
		scn_fail(s, "the policy failed");
	if (s->quick) {
		n = scn_pick(s, order, 0, 1, pend);
		if (sched_quick_plan(&q, pend, n, s->now, p) != 0)
			scn_fail(s, "the quick path failed");
		sched_quick_done(&q);
	}
	fp = open_memstream(&text, &len);
	scn_dump(s, p, fp);
	fclose(fp);
	free(fc.nodes);
	free(pend);
	free(run);
	return text;
}

int
scn_plan(struct scn *s)
{
	struct plan other;
	char *a, *b;
	int order, rc = 0;

	a = scn_plan_once(s, 0, &s->plan);
	plan_init(&other);
	for (order = 1; order < 3 && rc == 0; order++) {
		b = scn_plan_once(s, order, &other);
		if (strcmp(a, b) != 0) {
			rc = scn_fail(s,
			    "the plan depends on the order of the input:\n"
			    "%s--- versus ---\n%s",
			    a, b);
		}
		free(b);
	}
	plan_done(&other);
	if (s->verbose)
		printf("# %s:%d: plan at %+llds\n%s", s->file, s->line,
		    (long long)(s->now - s->now0), a);
	free(a);
	return rc;
}

/* One line of the canonical dump, with its sort key. */
struct scn_row {
	int kind;
	int64_t id;
	char text[768];
};

static int
scn_row_cmp(const void *pa, const void *pb)
{
	const struct scn_row *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind - b->kind;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void
scn_dump_alloc(struct scn *s, const struct alloc *a, char *out, size_t n)
{
	size_t k = strlen(out);
	int32_t g;

	snprintf(out + k, n - k,
	    " node=%s gpus=", a->node >= 0 ? s->c.nodes[a->node].name : "?");
	for (g = 0; g < a->ngpus; g++) {
		k = strlen(out);
		snprintf(out + k, n - k, "%s%d", g ? "," : "", a->gpus[g].gpu);
		if (a->gpus[g].milli < MODEL_GPU_MILLI) {
			k = strlen(out);
			snprintf(out + k, n - k, ":%d", a->gpus[g].milli);
		}
	}
}

static void
scn_dump_decision(struct scn *s, const struct decision *d, struct scn_row *r)
{
	int32_t i;

	r->id = d->job_id;
	if (d->kind == DECIDE_START) {
		r->kind = 0;
		snprintf(r->text, sizeof(r->text), "start %lld",
		    (long long)d->job_id);
		scn_dump_alloc(s, &d->alloc, r->text, sizeof(r->text));
		for (i = 0; i < d->ngang; i++)
			scn_dump_alloc(s, &d->gang[i], r->text,
			    sizeof(r->text));
	} else {
		r->kind = 1;
		snprintf(r->text, sizeof(r->text),
		    "preempt %lld for=%lld why=%s", (long long)d->job_id,
		    (long long)d->for_job, sched_preempt_name(d->why));
	}
}

static void
scn_dump_wait(struct scn *s, const struct waiting *w, struct scn_row *r)
{
	char hint[256], eta[32];

	r->kind = 2;
	r->id = w->job_id;
	if (w->eta == 0)
		snprintf(eta, sizeof(eta), "none");
	else
		snprintf(eta, sizeof(eta), "%+llds",
		    (long long)(w->eta - s->now));
	sched_hint_text(w, s->now, hint, sizeof(hint));
	snprintf(r->text, sizeof(r->text),
	    "wait %lld reason=%s position=%d eta=%s reserved=%s hint=\"%s\"",
	    (long long)w->job_id, sched_reason_name(w->reason), w->position,
	    eta, w->reserved ? "yes" : "no", hint);
}

void
scn_dump(struct scn *s, const struct plan *p, FILE *fp)
{
	size_t n = p->ndecisions + p->nwaiting + p->nrisks, i, k = 0;
	struct scn_row *rows = xcalloc(n + 1, sizeof(*rows));

	for (i = 0; i < p->ndecisions; i++)
		scn_dump_decision(s, &p->decisions[i], &rows[k++]);
	for (i = 0; i < p->nwaiting; i++)
		scn_dump_wait(s, &p->waiting[i], &rows[k++]);
	for (i = 0; i < p->nrisks; i++, k++) {
		rows[k].kind = 3;
		rows[k].id = p->risks[i].job_id;
		snprintf(rows[k].text, sizeof(rows[k].text), "risk %lld %s",
		    (long long)p->risks[i].job_id,
		    sched_risk_name(p->risks[i].level));
	}
	qsort(rows, n, sizeof(*rows), scn_row_cmp);
	for (i = 0; i < n; i++)
		fprintf(fp, "%s\n", rows[i].text);
	free(rows);
}

static void
scn_init(struct scn *s, int verbose)
{
	memset(s, 0, sizeof(*s));
	cluster_init(&s->c);
	project_init(&s->p);
	s->now0 = s->now = 1700000000;
	project_usage_init(&s->usage, 0, s->now);
	s->policy = sched_policy_find("fairshare");
	plan_init(&s->plan);
	s->verbose = verbose;
}

static void
scn_done(struct scn *s)
{
	cluster_done(&s->c);
	project_done(&s->p);
	project_usage_done(&s->usage);
	plan_done(&s->plan);
	free(s->jobs);
}

int
main(int argc, char **argv)
{
	struct scn s;
	int i, verbose = 0, bad = 0;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
			continue;
		}
		scn_init(&s, verbose);
		if (scn_file(&s, argv[i]) != 0) {
			fprintf(stderr, "FAIL %s\n", argv[i]);
			bad++;
		} else
			printf("ok %s\n", argv[i]);
		scn_done(&s);
	}
	return bad ? 1 : 0;
}
