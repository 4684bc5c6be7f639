/*
 * `gpuqd simulate replay`: a job trace (PAI 2020 or the Philly sample)
 * through a scheduling policy with virtual time (docs/simulator.md).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sim/sim-main.h"

#define SIM_REPLAY_PHILLY_NODES "3x8:P40"

struct sim_replay_opts {
	const char *dir, *format, *nodes, *policy;
	struct sim_replay_cfg cfg;
	size_t limit;
	int json, series;
	char jobs[SIM_MAIN_MAX_PATH], machines[SIM_MAIN_MAX_PATH];
};

/* An integer option in [lo, hi]; 0 or GQ_EINVAL. */
static int
sim_replay_int(const char *arg, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;

	*out = strtoll(arg, &end, 10);
	return end != arg && *end == '\0' && *out >= lo && *out <= hi ?
	    0 :
	    GQ_EINVAL;
}

/* The options with numbers. */
static int
sim_replay_number(struct sim_replay_opts *o, int ch, const char *arg)
{
	int64_t v = 0;
	char *end;
	int rc;

	if (ch == 't') {
		o->cfg.time_scale = strtod(arg, &end);
		return *end == '\0' && o->cfg.time_scale > 0 ? 0 : GQ_EINVAL;
	}
	if (ch == 's')
		rc = sim_replay_int(arg, 0, INT64_MAX, &v);
	else if (ch == 'P' || ch == 'u')
		rc = sim_replay_int(arg, ch == 'P' ? 0 : 1, 1000, &v);
	else
		rc = sim_replay_int(arg, 1, INT64_MAX, &v);
	if (ch == 's')
		o->cfg.seed = (uint64_t)v;
	else if (ch == 'P')
		o->cfg.nprojects = (int32_t)v;
	else if (ch == 'u')
		o->cfg.users = (int32_t)v;
	else if (ch == 'S')
		o->cfg.sample_s = v;
	else
		o->limit = (size_t)v;
	return rc;
}

static int
sim_replay_option(struct sim_replay_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'd':
		o->dir = arg;
		return 0;
	case 'f':
		o->format = arg;
		return strcmp(arg, "pai") == 0 || strcmp(arg, "philly") == 0 ?
		    0 :
		    GQ_EINVAL;
	case 'n':
		o->nodes = arg;
		return 0;
	case 'p':
		o->policy = arg;
		return 0;
	case 'j':
		o->json = 1;
		return 0;
	case 'e':
		o->series = 1;
		return 0;
	}
	return sim_replay_number(o, ch, arg);
}

static const struct option sim_replay_longs[] = {
	{ "trace-dir", required_argument, NULL, 'd' },
	{ "format", required_argument, NULL, 'f' },
	{ "nodes", required_argument, NULL, 'n' },
	{ "policy", required_argument, NULL, 'p' },
	{ "seed", required_argument, NULL, 's' },
	{ "projects", required_argument, NULL, 'P' },
	{ "users", required_argument, NULL, 'u' },
	{ "time-scale", required_argument, NULL, 't' },
	{ "sample", required_argument, NULL, 'S' },
	{ "limit", required_argument, NULL, 'l' },
	{ "series", no_argument, NULL, 'e' },
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

static int
sim_replay_args(struct sim_replay_opts *o, int argc, char **argv)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->cfg.seed = 42;
	o->cfg.nprojects = 8;
	o->cfg.users = 4;
	o->cfg.time_scale = 1;
	o->cfg.sample_s = 3600;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", sim_replay_longs, NULL)) != -1)
		if (ch == '?' || sim_replay_option(o, ch, optarg) < 0) {
			fprintf(stderr, "gpuqd simulate replay: bad option\n");
			return GQ_EINVAL;
		}
	if (o->dir == NULL || optind != argc) {
		fprintf(stderr,
		    "gpuqd simulate replay: --trace-dir DIR is "
		    "needed\n");
		return GQ_EINVAL;
	}
	o->cfg.policy = o->policy != NULL ? sched_policy_find(o->policy) :
	                                    sched_policy_default();
	if (o->cfg.policy == NULL) {
		fprintf(stderr, "gpuqd simulate replay: no policy \"%s\"\n",
		    o->policy);
		return GQ_EINVAL;
	}
	return 0;
}

/* The first file of dir named prefix*.csv into out; 0 or GQ_ENOENT. */
static int
sim_replay_find(const char *dir, const char *prefix, char *out, size_t n)
{
	char **names;
	size_t k;
	int rc = GQ_ENOENT;

	if (sim_main_glob(dir, prefix, ".csv", &names, &k) < 0)
		return GQ_ENOENT;
	if (k > 0 && (size_t)snprintf(out, n, "%s/%s.csv", dir, names[0]) < n)
		rc = 0;
	sim_main_free_names(names, k);
	return rc;
}

/* Which trace the folder holds, and its files. */
static int
sim_replay_detect(struct sim_replay_opts *o)
{
	int pai = o->format == NULL || strcmp(o->format, "pai") == 0;
	int philly = o->format == NULL || strcmp(o->format, "philly") == 0;

	if (pai &&
	    sim_replay_find(o->dir, "pai_gpu_jobs_", o->jobs,
	        sizeof(o->jobs)) == 0) {
		o->format = "pai";
		snprintf(o->machines, sizeof(o->machines),
		    "%s/pai_machine_spec.tar.gz", o->dir);
		if (!sim_main_exists(o->machines))
			snprintf(o->machines, sizeof(o->machines),
			    "%s/pai_machine_spec.csv", o->dir);
		return 0;
	}
	if (philly &&
	    sim_replay_find(o->dir, "philly_sample", o->jobs,
	        sizeof(o->jobs)) == 0) {
		o->format = "philly";
		if (o->nodes == NULL)
			o->nodes = SIM_REPLAY_PHILLY_NODES;
		return 0;
	}
	return GQ_ENOENT;
}

static int
sim_replay_load(struct sim_replay_opts *o, struct cluster *c,
    struct sim_jobs *j)
{
	char *cause = NULL;
	int rc;

	if (sim_replay_detect(o) < 0)
		return sim_main_fail(o->dir, GQ_ENOENT,
		    xasprintf("%s: no pai_gpu_jobs_*.csv or "
		              "philly_sample*.csv",
		        o->dir));
	rc = strcmp(o->format, "pai") == 0 ?
	    sim_trace_pai_jobs(o->jobs, j, &cause) :
	    sim_trace_philly_jobs(o->jobs, j, &cause);
	if (rc < 0)
		return sim_main_fail("reading jobs", rc, cause);
	if (o->nodes != NULL) {
		if (sim_trace_nodes_spec(o->nodes, c) < 0)
			return sim_main_fail(o->nodes, GQ_EINVAL,
			    xasprintf("bad --nodes \"%s\" (COUNTxGPUS[:MODEL])",
			        o->nodes));
	} else if ((rc = sim_trace_pai_machines(o->machines, c, &cause)) < 0)
		return sim_main_fail("reading machines", rc, cause);
	sim_jobs_normalize(j);
	if (o->limit > 0 && o->limit < j->n)
		j->n = o->limit;
	return 0;
}

static json_t *
sim_replay_dist_json(const struct sim_dist *d)
{
	return json_pack("{s:f, s:f, s:f, s:f}", "mean", round(d->mean), "p50",
	    d->p50, "p99", d->p99, "max", d->max);
}

static json_t *
sim_replay_series_json(const double *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_real(round(v[i] * 100) / 100));
	return a;
}

static void
sim_replay_json(const struct sim_replay_opts *o, const struct cluster *c,
    const struct sim_replay_result *r, double secs)
{
	json_t *v, *proj = json_array();
	int32_t p;

	for (p = 0; p < r->nprojects; p++)
		json_array_append_new(proj, json_real(r->project_service[p]));
	v = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	              "s:I, s:f, s:f, s:o, s:o, s:f, s:o, s:f, s:f}",
	    "experiment", "replay", "trace", o->format, "policy",
	    o->cfg.policy->name, "seed", (json_int_t)o->cfg.seed, "jobs",
	    (json_int_t)r->njobs, "rejected", (json_int_t)r->nrejected, "nodes",
	    (json_int_t)c->nnodes, "gpus",
	    (json_int_t)(r->total_gpus / MODEL_GPU_MILLI), "plans",
	    (json_int_t)r->nplans, "preemptions", (json_int_t)r->npreemptions,
	    "span_s", (json_int_t)r->span_s, "alloc_mean",
	    round(r->alloc_mean * 100) / 100, "alloc_peak",
	    round(r->alloc_peak * 100) / 100, "jct_s",
	    sim_replay_dist_json(&r->jct), "wait_s",
	    sim_replay_dist_json(&r->wait), "jain", r->jain, "project_service",
	    proj, "seconds", round(secs * 1000) / 1000, "jobs_per_s",
	    secs > 0 ? round((double)r->ninstances / secs) : 0);
	if (o->series)
		json_object_set_new(v, "alloc_series",
		    sim_replay_series_json(r->alloc_series, r->nseries));
	sim_main_json(v);
}

static void
sim_replay_text(const struct sim_replay_opts *o, const struct cluster *c,
    const struct sim_replay_result *r, double secs)
{
	printf("replay %s: %zu jobs on %zu nodes, %lld GPUs; policy %s, "
	       "seed %llu, %d projects\n",
	    o->format, r->ninstances, c->nnodes,
	    (long long)(r->total_gpus / MODEL_GPU_MILLI), o->cfg.policy->name,
	    (unsigned long long)o->cfg.seed, r->nprojects);
	printf("  span %.1f days; %zu completed, %zu rejected, %zu never "
	       "started; %zu plans; %zu preemptions\n",
	    (double)r->span_s / 86400, r->njobs, r->nrejected,
	    r->ninstances - r->njobs - r->nrejected, r->nplans,
	    r->npreemptions);
	printf("  GPUs allocated: mean %.2f%%, peak %.2f%%\n", r->alloc_mean,
	    r->alloc_peak);
	printf("  completion time (s): mean %.0f, p50 %.0f, p99 %.0f\n",
	    r->jct.mean, r->jct.p50, r->jct.p99);
	printf("  queueing delay (s):  mean %.0f, p50 %.0f, p99 %.0f\n",
	    r->wait.mean, r->wait.p50, r->wait.p99);
	printf("  fairness across projects (Jain): %.4f\n", r->jain);
	printf("  speed: %zu jobs in %.2f s = %.0f jobs/s\n", r->ninstances,
	    secs, secs > 0 ? (double)r->ninstances / secs : 0);
}

int
sim_main_replay(int argc, char **argv)
{
	struct sim_replay_opts *o = xcalloc(1, sizeof(*o));
	struct sim_replay_result r;
	struct sim_jobs j;
	struct cluster c;
	double t0;
	int rc;

	cluster_init(&c);
	sim_jobs_init(&j);
	memset(&r, 0, sizeof(r));
	if (sim_replay_args(o, argc, argv) < 0)
		rc = 2;
	else if ((rc = sim_replay_load(o, &c, &j)) == 0) {
		t0 = sim_main_now();
		if ((rc = sim_replay_run(&c, &j, &o->cfg, &r)) < 0)
			rc = sim_main_fail("replay", rc, NULL);
		else if (o->json)
			sim_replay_json(o, &c, &r, sim_main_now() - t0);
		else
			sim_replay_text(o, &c, &r, sim_main_now() - t0);
	}
	sim_replay_result_done(&r);
	sim_jobs_done(&j);
	cluster_done(&c);
	free(o);
	return rc;
}
