/*
 * bench-plan: how long the fairshare policy takes to plan.
 *
 *   full plan   100,000 waiting jobs on 1,000 nodes of 8 GPUs, cold (an
 *               empty cluster) and steady (a full one, 8,000 running)
 *   stream      new jobs arriving one at a time, each planned in full,
 *               behind queues of several lengths: decisions per second
 *   quick       new jobs arriving one at a time, each decided by the quick
 *               path (core/sched-quick.h) against the last full plan, as
 *               gpuqd does between full plans: time per new job
 *
 * Prints figures; asserts nothing about time (TESTING.md).  Usage:
 * bench-plan [-w] [-m cold|steady|stream|quick] [-n waiting] [-N nodes]
 * [-r repeats] [-p policy]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "core/project.h"
#include "core/sched-quick.h"
#include "core/sched.h"

struct bench {
	struct cluster c;
	struct projects p;
	struct job_core *jobs; /* pending, then running */
	size_t npending, nrunning, cap;
	uint64_t rng;
	int64_t now;
	const struct sched_policy *policy;
	/* Kept from plan to plan, as gpuqd keeps them. */
	struct sched_scratch scratch;
	struct plan plan;
	struct sched_quick *quick; /* filled by the next plan when set */
};

static uint64_t
bench_rand(struct bench *b)
{
	b->rng = b->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return b->rng >> 33;
}

/*
 * Milliseconds of CPU time this process used: on a shared machine the
 * wall clock also counts other programs' turns.  -w measures wall time.
 */
static int bench_wall;

static double
bench_ms(void)
{
	struct timespec ts;

	clock_gettime(bench_wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID,
	    &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
bench_cluster(struct bench *b, int nodes)
{
	char name[32];
	int i;

	cluster_init(&b->c);
	for (i = 0; i < nodes; i++) {
		snprintf(name, sizeof(name), "gpu%04d", i);
		cluster_add_node(&b->c, name, 8, "H100", 81920, 128000,
		    1024 * 1024);
	}
}

/* 40 projects under 4 departments, deserved quotas adding up to 80%. */
static void
bench_projects(struct bench *b, int nodes)
{
	char rest[256], cause[256];
	int32_t line;
	int i;

	project_init(&b->p);
	for (i = 0; i < 4; i++) {
		snprintf(rest, sizeof(rest), "d%d deserved=%d", i, nodes * 2);
		project_parse_line(&b->p, "department", rest, 0, cause,
		    sizeof(cause));
	}
	for (i = 0; i < 40; i++) {
		snprintf(rest, sizeof(rest),
		    "p%02d deserved=%d weight=%d department=d%d", i,
		    nodes * 8 * 8 / 10 / 40, 1 + i % 3, i % 4);
		project_parse_line(&b->p, "project", rest, 0, cause,
		    sizeof(cause));
	}
	project_parse_line(&b->p, "policy-param", "half-life=7d", 0, cause,
	    sizeof(cause));
	if (project_resolve(&b->p, cause, sizeof(cause), &line) != 0) {
		fprintf(stderr, "bench-plan: %s\n", cause);
		exit(1);
	}
}

static void
bench_req(struct bench *b, struct req *r)
{
	static const int32_t milli[] = { 1000, 1000, 1000, 1000, 2000, 2000,
		4000, 8000, 500, 500, 250, 1000, 1000, 2000, 500, 1000, 1000,
		4000, 1000, 8000 };

	memset(r, 0, sizeof(*r));
	r->gpus_milli = milli[bench_rand(b) % 20];
	r->cpus_milli = (int32_t)(1 + bench_rand(b) % 16) * 1000;
	r->mem_mb = (int64_t)(8 + bench_rand(b) % 120) * 1024;
	r->time_limit_s = (int64_t)(1 + bench_rand(b) % 8) * 3600;
}

static struct job_core *
bench_job(struct bench *b, int64_t id)
{
	struct job_core *j;

	if (b->npending + b->nrunning == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->jobs = xreallocarray(b->jobs, b->cap, sizeof(*b->jobs));
	}
	j = &b->jobs[b->npending + b->nrunning];
	memset(j, 0, sizeof(*j));
	j->id = id;
	snprintf(j->project, sizeof(j->project), "p%02d",
	    (int)(bench_rand(b) % 40));
	snprintf(j->user, sizeof(j->user), "u%03d", (int)(bench_rand(b) % 500));
	j->cls =
	    bench_rand(b) % 10 == 0 ? JOB_CLASS_INFERENCE : JOB_CLASS_TRAIN;
	j->preemptible = 1;
	j->submit_time = b->now - (int64_t)(bench_rand(b) % 86400);
	j->state = JOB_PENDING;
	bench_req(b, &j->req);
	return j;
}

/* The cluster filled with 1-GPU running jobs, one per GPU. */
static void
bench_fill(struct bench *b, int64_t first_id)
{
	struct job_core *j;
	size_t n;
	int32_t g;

	for (n = 0; n < b->c.nnodes; n++)
		for (g = 0; g < 8; g++) {
			j = bench_job(b, first_id++);
			b->nrunning++;
			j->state = JOB_RUNNING;
			j->req.gpus_milli = 1000;
			j->req.cpus_milli = 8000;
			j->req.mem_mb = 65536;
			j->start_time =
			    b->now - (int64_t)(bench_rand(b) % 7200);
			j->alloc.node = (int32_t)n;
			j->alloc.ngpus = 1;
			j->alloc.gpus[0].gpu = g;
			j->alloc.gpus[0].milli = 1000;
			j->alloc.gpus[0].mem_mb = 81920;
			j->alloc.cpus_milli = 8000;
			j->alloc.mem_mb = 65536;
		}
}

/* One plan over the bench's jobs; returns its time in ms. */
static double
bench_plan(struct bench *b, size_t *starts, size_t *preempts)
{
	const struct job_core **pend, **run;
	struct sched_input in;
	struct cluster fc;
	struct plan p;
	double t0, t;
	size_t i, np = 0, nr = 0;

	pend =
	    xreallocarray(NULL, b->npending + b->nrunning + 1, sizeof(*pend));
	run = xreallocarray(NULL, b->nrunning + 1, sizeof(*run));
	fc.nnodes = b->c.nnodes;
	fc.nodes = xreallocarray(NULL, fc.nnodes, sizeof(*fc.nodes));
	t0 = bench_ms();
	memcpy(fc.nodes, b->c.nodes, fc.nnodes * sizeof(*fc.nodes));
	for (i = 0; i < b->npending + b->nrunning; i++) {
		if (b->jobs[i].state == JOB_RUNNING) {
			run[nr++] = &b->jobs[i];
			cluster_take(&fc, &b->jobs[i].alloc);
		} else
			pend[np++] = &b->jobs[i];
	}
	memset(&in, 0, sizeof(in));
	in.cluster = &fc;
	in.pending = pend;
	in.npending = np;
	in.running = run;
	in.nrunning = nr;
	in.now = b->now;
	in.projects = &b->p;
	in.scratch = &b->scratch;
	in.quick = b->quick;
	plan_reset(&b->plan);
	b->policy->plan(&in, &b->plan);
	t = bench_ms() - t0;
	p = b->plan;
	*starts = *preempts = 0;
	for (i = 0; i < p.ndecisions; i++) {
		if (p.decisions[i].kind == DECIDE_START)
			(*starts)++;
		else
			(*preempts)++;
	}
	free(fc.nodes);
	free(pend);
	free(run);
	return t;
}

static void
bench_reset(struct bench *b, int nodes, uint64_t seed)
{
	free(b->jobs);
	cluster_done(&b->c);
	b->jobs = NULL;
	b->npending = b->nrunning = b->cap = 0;
	b->rng = seed;
	bench_cluster(b, nodes);
}

static int
bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
bench_full(struct bench *b, int nodes, int waiting, int repeats, int full)
{
	double *t = xcalloc((size_t)repeats, sizeof(*t));
	size_t starts = 0, preempts = 0;
	int i, r;

	for (r = 0; r < repeats; r++) {
		bench_reset(b, nodes, 42);
		if (full)
			bench_fill(b, 1000000);
		for (i = 0; i < waiting; i++) {
			bench_job(b, i + 1);
			b->npending++;
		}
		t[r] = bench_plan(b, &starts, &preempts);
	}
	qsort(t, (size_t)repeats, sizeof(*t), bench_cmp);
	printf("full plan, %-6s %7d waiting, %5zu running: median %8.1f ms "
	       "(min %.1f, max %.1f); %zu starts, %zu swap-outs\n",
	    full ? "steady" : "cold", waiting, b->nrunning, t[repeats / 2],
	    t[0], t[repeats - 1], starts, preempts);
	free(t);
}

/* New jobs one by one behind a queue of `waiting`; each planned. */
static void
bench_stream(struct bench *b, int nodes, int waiting, int arrivals)
{
	size_t starts, preempts, total = 0;
	double sum = 0;
	int i;

	bench_reset(b, nodes, 7);
	bench_fill(b, 1000000);
	for (i = 0; i < waiting; i++) {
		bench_job(b, i + 1);
		b->npending++;
	}
	for (i = 0; i < arrivals; i++) {
		bench_job(b, 500000 + i)->submit_time = b->now;
		b->npending++;
		sum += bench_plan(b, &starts, &preempts);
		total += starts;
	}
	printf("stream behind %7d waiting: %8.3f ms per new job, %8.0f "
	       "decisions/s\n",
	    waiting, sum / arrivals, arrivals / (sum / 1e3));
}

/* The cluster with every node's GPUs full but the last `free` nodes. */
static void
bench_fill_some(struct bench *b, size_t free_nodes, int64_t first_id)
{
	size_t keep = 0, i;

	bench_fill(b, first_id);
	for (i = 0; i < b->nrunning; i++) {
		if ((size_t)b->jobs[i].alloc.node < b->c.nnodes - free_nodes)
			b->jobs[keep++] = b->jobs[i];
	}
	b->nrunning = keep;
}

/*
 * A full plan of `waiting` jobs (kept for the quick path), then
 * `arrivals` new jobs, each decided alone by the quick path.
 */
static void
bench_quick(struct bench *b, int nodes, int waiting, int arrivals,
    size_t free_nodes)
{
	const struct job_core *one;
	struct sched_quick q;
	size_t starts, preempts, quick_starts = 0, i;
	double full, t0, sum = 0, worst = 0, t;
	struct job_core j;
	int k;

	bench_reset(b, nodes, 11);
	bench_fill_some(b, free_nodes, 1000000);
	for (k = 0; k < waiting; k++) {
		bench_job(b, k + 1);
		b->npending++;
	}
	sched_quick_init(&q);
	b->quick = &q;
	full = bench_plan(b, &starts, &preempts);
	b->quick = NULL;
	for (k = 0; k < arrivals; k++) {
		j = *bench_job(b, 500000 + k);
		j.submit_time = b->now;
		one = &j;
		plan_reset(&b->plan);
		t0 = bench_ms();
		sched_quick_plan(&q, &one, 1, b->now, &b->plan);
		t = bench_ms() - t0;
		sum += t;
		worst = t > worst ? t : worst;
		for (i = 0; i < b->plan.ndecisions; i++)
			quick_starts +=
			    b->plan.decisions[i].kind == DECIDE_START;
	}
	printf("quick behind %7d waiting, %4zu nodes free: full plan %6.1f "
	       "ms (%zu starts); then %.3f ms per new job (worst %.3f), "
	       "%zu of %d started\n",
	    waiting, free_nodes, full, starts, sum / arrivals, worst,
	    quick_starts, arrivals);
	sched_quick_done(&q);
}

int
main(int argc, char **argv)
{
	struct bench b;
	int ch, waiting = 100000, nodes = 1000, repeats = 5;
	const char *policy = "fairshare", *only = "";

	while ((ch = getopt(argc, argv, "m:n:N:r:p:w")) != -1) {
		switch (ch) {
		case 'w':
			bench_wall = 1;
			break;
		case 'm':
			only = optarg;
			break;
		case 'n':
			waiting = atoi(optarg);
			break;
		case 'N':
			nodes = atoi(optarg);
			break;
		case 'r':
			repeats = atoi(optarg) > 0 ? atoi(optarg) : 1;
			break;
		case 'p':
			policy = optarg;
			break;
		default:
			fprintf(stderr,
			    "usage: bench-plan [-w] [-m cold|steady|"
			    "stream|quick] [-n waiting] [-N nodes] [-r "
			    "repeats] [-p policy]\n");
			return 2;
		}
	}
	memset(&b, 0, sizeof(b));
	b.now = 1700000000;
	sched_scratch_init(&b.scratch);
	plan_init(&b.plan);
	if ((b.policy = sched_policy_find(policy)) == NULL) {
		fprintf(stderr, "bench-plan: no policy %s\n", policy);
		return 2;
	}
	bench_projects(&b, nodes);
	printf("bench-plan: policy %s, %d nodes x 8 GPUs, %ld CPU cores, %s "
	       "time\n",
	    policy, nodes, sysconf(_SC_NPROCESSORS_ONLN),
	    bench_wall ? "wall" : "CPU");
	if (!*only || strcmp(only, "cold") == 0)
		bench_full(&b, nodes, waiting, repeats, 0);
	if (!*only || strcmp(only, "steady") == 0)
		bench_full(&b, nodes, waiting, repeats, 1);
	if (!*only || strcmp(only, "stream") == 0) {
		bench_stream(&b, nodes, 100, 200);
		bench_stream(&b, nodes, 10000, 50);
		bench_stream(&b, nodes, waiting, 10);
	}
	if (!*only || strcmp(only, "quick") == 0) {
		bench_quick(&b, nodes, waiting, 1000, 0);
		bench_quick(&b, nodes, waiting, 1000, (size_t)nodes / 10);
		bench_quick(&b, nodes, 100, 1000, (size_t)nodes / 2);
	}
	free(b.jobs);
	cluster_done(&b.c);
	project_done(&b.p);
	plan_done(&b.plan);
	sched_scratch_done(&b.scratch);
	return 0;
}
