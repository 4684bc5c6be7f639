/*
 * usage.report {since?, by?}: GPU-hours per user or project since a time:
 * how many were given, how many used (utilization-weighted), how many
 * idle, from the sampler's hourly accounting.  A job that ran without a
 * sample counts its run time as given and says so (no_samples).
 * docs/protocol/usage.report.md.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/telemetry.h"
#include "core/daemon/verbs.h"
#include "core/store/store-gpu.h"

#define USAGE_DEFAULT_S (7 * 24 * 3600)
#define USAGE_MAX_ROWS  100000

/* What the store knows, per job, sorted by job id. */
struct usage_jobs {
	struct store_gpu_usage *u;
	size_t n, cap;
};

/* One user or project. */
struct usage_row {
	char who[MODEL_MAX_USER > MODEL_MAX_PROJECT ? MODEL_MAX_USER :
	                                              MODEL_MAX_PROJECT];
	int64_t jobs, no_samples;
	double alloc_s, used_s, idle_s, sampled_s;
	int64_t peak_mem_mb;
};

struct usage_table {
	struct usage_row *rows;
	size_t n, cap;
};

static void
usage_jobs_cb(const struct store_gpu_usage *u, void *arg)
{
	struct usage_jobs *uj = arg;

	if (uj->n == uj->cap) {
		uj->cap = uj->cap ? uj->cap * 2 : 256;
		uj->u = xreallocarray(uj->u, uj->cap, sizeof(*uj->u));
	}
	uj->u[uj->n++] = *u;
}

static int
usage_jobs_cmp(const void *a, const void *b)
{
	const struct store_gpu_usage *x = a, *y = b;

	return x->job_id < y->job_id ? -1 : x->job_id > y->job_id;
}

static struct store_gpu_usage *
usage_jobs_find(struct usage_jobs *uj, int64_t id)
{
	struct store_gpu_usage key;

	if (uj->n == 0)
		return NULL;
	key.job_id = id;
	return bsearch(&key, uj->u, uj->n, sizeof(*uj->u), usage_jobs_cmp);
}

/* The store's hours, plus what the sampler has not written yet. */
static void
usage_jobs_load(struct daemon *d, int64_t since_hour, struct usage_jobs *uj)
{
	struct store_gpu_usage *u, add;
	struct telemetry *t = d->tel;
	size_t i;

	memset(uj, 0, sizeof(*uj));
	store_gpu_usage_each(d->store, since_hour, 0, usage_jobs_cb, uj);
	for (i = 0; t != NULL && i < t->njobs; i++) {
		if (t->jobs[i].samples == 0 || t->jobs[i].hour < since_hour)
			continue;
		if ((u = usage_jobs_find(uj, t->jobs[i].id)) == NULL) {
			memset(&add, 0, sizeof(add));
			add.job_id = t->jobs[i].id;
			usage_jobs_cb(&add, uj);
			qsort(uj->u, uj->n, sizeof(*uj->u), usage_jobs_cmp);
			if ((u = usage_jobs_find(uj, t->jobs[i].id)) == NULL)
				continue; /* cannot happen: just added */
		}
		u->alloc_gpu_s += t->jobs[i].alloc_s;
		u->used_gpu_s += t->jobs[i].used_s;
		u->idle_gpu_s += t->jobs[i].idle_s;
		u->samples += t->jobs[i].samples;
		if (t->jobs[i].peak_mb > u->peak_mem_mb)
			u->peak_mem_mb = t->jobs[i].peak_mb;
	}
}

static struct usage_row *
usage_row(struct usage_table *tb, const char *who)
{
	size_t i;

	for (i = 0; i < tb->n; i++)
		if (strcmp(tb->rows[i].who, who) == 0)
			return &tb->rows[i];
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? tb->cap * 2 : 32;
		tb->rows = xreallocarray(tb->rows, tb->cap, sizeof(*tb->rows));
	}
	memset(&tb->rows[tb->n], 0, sizeof(tb->rows[0]));
	snprintf(tb->rows[tb->n].who, sizeof(tb->rows[0].who), "%s", who);
	return &tb->rows[tb->n++];
}

/* GPUs a job held, in GPUs (a half share is 0.5). */
static double
usage_gpus(const struct job *j)
{
	double g = 0;
	int32_t k;

	for (k = 0; k < j->core.alloc.ngpus && k < MODEL_MAX_JOB_GPUS; k++)
		g += j->core.alloc.gpus[k].milli / 1000.0;
	return g;
}

/* A job without samples: its run time in the window, times its GPUs. */
static double
usage_unsampled(const struct job *j, int64_t since, int64_t now)
{
	int64_t from = j->start_time > since ? j->start_time : since;
	int64_t to = j->end_time > 0 ? j->end_time : now;

	return to > from ? (double)(to - from) * usage_gpus(j) : 0;
}

static void
usage_add_job(struct usage_table *tb, const struct job *j, int by_project,
    const struct store_gpu_usage *u, int64_t since, int64_t now)
{
	struct usage_row *r;
	double alloc;

	if (u == NULL &&
	    (j->start_time == 0 || usage_gpus(j) <= 0 ||
	        (j->end_time > 0 && j->end_time < since)))
		return;
	alloc = u != NULL ? u->alloc_gpu_s : usage_unsampled(j, since, now);
	r = usage_row(tb, by_project ? j->core.project : j->core.user);
	r->jobs++;
	r->alloc_s += alloc;
	if (u == NULL) {
		r->no_samples++;
		return;
	}
	r->sampled_s += u->alloc_gpu_s;
	r->used_s += u->used_gpu_s;
	r->idle_s += u->idle_gpu_s;
	if (u->peak_mem_mb > r->peak_mem_mb)
		r->peak_mem_mb = u->peak_mem_mb;
}

static json_t *
usage_hours(double s)
{
	return json_real(round(s / 3600.0 * 1000.0) / 1000.0);
}

static json_t *
usage_row_json(const struct usage_row *r)
{
	return json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:I,s:I}", "who", r->who,
	    "jobs", (json_int_t)r->jobs, "alloc_gpu_h", usage_hours(r->alloc_s),
	    "used_gpu_h", usage_hours(r->used_s), "efficiency",
	    r->sampled_s > 0 ?
	        json_real(round(r->used_s / r->sampled_s * 1000.0) / 10.0) :
	        json_null(),
	    "idle_gpu_h", usage_hours(r->idle_s), "no_samples",
	    (json_int_t)r->no_samples, "peak_mem_mb",
	    (json_int_t)r->peak_mem_mb);
}

static int
usage_row_cmp(const void *a, const void *b)
{
	const struct usage_row *x = a, *y = b;

	if (x->alloc_s != y->alloc_s)
		return x->alloc_s > y->alloc_s ? -1 : 1;
	return strcmp(x->who, y->who);
}

/* The table's rows (sorted, largest first) and their total. */
static void
usage_encode(struct usage_table *tb, json_t **rows, json_t **total)
{
	struct usage_row all;
	size_t i;

	memset(&all, 0, sizeof(all));
	snprintf(all.who, sizeof(all.who), "total");
	if (tb->n > 0)
		qsort(tb->rows, tb->n, sizeof(*tb->rows), usage_row_cmp);
	*rows = json_array();
	for (i = 0; i < tb->n && i < USAGE_MAX_ROWS; i++) {
		json_array_append_new(*rows, usage_row_json(&tb->rows[i]));
		all.jobs += tb->rows[i].jobs;
		all.no_samples += tb->rows[i].no_samples;
		all.alloc_s += tb->rows[i].alloc_s;
		all.used_s += tb->rows[i].used_s;
		all.idle_s += tb->rows[i].idle_s;
		all.sampled_s += tb->rows[i].sampled_s;
		if (tb->rows[i].peak_mem_mb > all.peak_mem_mb)
			all.peak_mem_mb = tb->rows[i].peak_mem_mb;
	}
	*total = usage_row_json(&all);
}

static int
usage_params(struct verb_ctx *v, int64_t *since, int *by_project, char **cause)
{
	static const char *const allowed[] = { "since", "by", NULL };
	const char *by;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = params_int(v->params, "since", 0, PROTO_MAX_ID_PARAM,
	         v->now - USAGE_DEFAULT_S, since, cause)) != 0 ||
	    (rc = params_str(v->params, "by", 16, "user", &by, cause)) != 0)
		return rc;
	if (strcmp(by, "user") != 0 && strcmp(by, "project") != 0) {
		*cause = xstrdup("\"by\" must be \"user\" or \"project\"");
		return GQ_EINVAL;
	}
	*by_project = by[0] == 'p';
	return 0;
}

/* What usage_add_job needs while it reads archived runs. */
struct usage_arch {
	struct usage_table *tb;
	struct usage_jobs *uj;
	int by_project;
	int64_t since, now;
};

static int
usage_arch_job(const struct job *j, void *arg)
{
	struct usage_arch *ua = arg;

	usage_add_job(ua->tb, j, ua->by_project,
	    usage_jobs_find(ua->uj, j->core.id), ua->since, ua->now);
	return 0;
}

int
verb_usage_report(struct verb_ctx *v, json_t **result, char **cause)
{
	struct usage_table tb = { NULL, 0, 0 };
	struct usage_jobs uj;
	struct usage_arch ua;
	json_t *rows, *total;
	int64_t since;
	int by_project, rc;
	size_t i;

	if ((rc = usage_params(v, &since, &by_project, cause)) != 0)
		return rc;
	usage_jobs_load(v->d, since - since % 3600, &uj);
	for (i = 0; i < v->d->njobs; i++)
		usage_add_job(&tb, v->d->jobs[i], by_project,
		    usage_jobs_find(&uj, v->d->jobs[i]->core.id), since,
		    v->now);
	ua = (struct usage_arch){ &tb, &uj, by_project, since, v->now };
	/* Ended jobs out of memory; those with hours in the window too. */
	jobs_archive_runs(v->d, since - since % 3600, usage_arch_job, &ua);
	usage_encode(&tb, &rows, &total);
	*result = json_pack("{s:I,s:I,s:s,s:o,s:o}", "since", (json_int_t)since,
	    "now", (json_int_t)v->now, "by", by_project ? "project" : "user",
	    "rows", rows, "total", total);
	free(tb.rows);
	free(uj.u);
	return 0;
}
