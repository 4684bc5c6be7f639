/*
 * Trace replay with virtual time: jobs arrive at their trace times, the
 * scheduling policy (sched.h) plans at every arrival and completion, the
 * simulator carries the plan out (starts, swap-outs) and jobs end after
 * their service time.  Measures allocated share over time, completion
 * time, queueing delay, fairness across projects and preemptions.
 *
 * Rules for what the traces lack (docs/simulator.md):
 * - owners: sim_replay_owner, seeded, Zipf over projects;
 * - projects: each deserves an equal share of the GPUs, weight 1;
 * - time limits: the job's own service time (a perfect estimate);
 * - a job asking more GPUs than the largest node holds is a gang over
 *   the fewest nodes that divide its GPUs evenly;
 * - a swapped-out job keeps its progress (checkpointed) and comes back
 *   to the queue with the service it has left.
 * Pure: no I/O, no clock; the seed draws the owners.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/project.h"
#include "core/sim/sim.h"

#define SIM_MAX_SERIES    (1024 * 1024)
#define SIM_REPLAN_ROUNDS 8 /* re-plans at one instant after swap-outs */

/* One job as the scheduler sees it. */
struct sim_inst {
	struct job_core core; /* id: index + 1 */
	int64_t arrival;
	int64_t remaining;   /* service seconds left */
	int64_t due;         /* RUNNING: when it completes */
	int64_t first_start; /* -1 until it starts */
	int64_t end;         /* -1 until it completes */
	struct alloc *gang;  /* owned, RUNNING gang: other nodes */
	int32_t ngang;
	int32_t project;
	size_t running_idx;
};

struct sim_due {
	int64_t t;
	size_t i;
};

struct sim_replay {
	const struct sim_replay_cfg *cfg;
	struct sim_replay_result *out;
	struct cluster c;
	struct sim_inst *inst;
	size_t n, next;
	const struct job_core **pending, **running;
	size_t npending, nrunning;
	struct sim_due *heap;
	size_t nheap, capheap;
	struct projects projects;
	struct plan plan;
	struct sched_scratch scratch; /* the policy's arrays, plan to plan */
	int64_t now, held, last, next_sample;
	double integral;
	size_t capseries;
};

static uint64_t
sim_replay_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

void
sim_replay_owner(uint64_t seed, const char *name, int32_t nprojects,
    int32_t users, int32_t *project, int32_t *user)
{
	uint64_t st = sim_replay_hash(name) ^ seed;
	double u, total = 0, acc = 0;
	int32_t i;

	for (i = 0; i < nprojects; i++)
		total += 1.0 / (i + 1);
	u = (double)(place_rng_next(&st) >> 11) / 9007199254740992.0 * total;
	*project = nprojects - 1;
	for (i = 0; i < nprojects; i++) {
		acc += 1.0 / (i + 1);
		if (u < acc) {
			*project = i;
			break;
		}
	}
	*user = users > 0 ? (int32_t)place_rng_below(&st, (uint64_t)users) : 0;
}

/* The fewest nodes (of at most max GPUs) that split gpus evenly. */
static int32_t
sim_replay_gang(int32_t gpus, int32_t max)
{
	int32_t n;

	if (max < 1 || gpus <= max)
		return 1;
	for (n = (gpus + max - 1) / max; n < gpus; n++)
		if (gpus % n == 0)
			break;
	return n;
}

static int32_t
sim_replay_max_gpus(const struct cluster *c)
{
	int32_t max = 0;
	size_t i;

	for (i = 0; i < c->nnodes; i++)
		if (c->nodes[i].ngpus > max)
			max = c->nodes[i].ngpus;
	return max;
}

/* The scheduler's job for trace job j. */
static void
sim_replay_inst(struct sim_replay *s, const struct sim_job *j, size_t i,
    int32_t max)
{
	struct sim_inst *in = &s->inst[i];
	int32_t user, nodes = sim_replay_gang(j->gpus, max);

	memset(in, 0, sizeof(*in));
	in->core.id = (int64_t)i + 1;
	sim_replay_owner(s->cfg->seed, j->name, s->cfg->nprojects,
	    s->cfg->users, &in->project, &user);
	snprintf(in->core.project, sizeof(in->core.project), "p%d",
	    in->project);
	snprintf(in->core.user, sizeof(in->core.user), "p%du%d", in->project,
	    user);
	in->core.cls = JOB_CLASS_TRAIN;
	in->core.preemptible = j->preemptible;
	in->core.state = JOB_PENDING;
	in->core.req.gpus_milli = j->gpus / nodes * MODEL_GPU_MILLI;
	in->core.req.nodes = nodes;
	in->core.req.time_limit_s = j->duration;
	in->arrival = (int64_t)llround((double)j->arrival * s->cfg->time_scale);
	in->core.submit_time = in->arrival;
	in->remaining = j->duration;
	in->first_start = in->end = -1;
}

/* Equal deserved shares for the projects the owners are drawn from. */
static int
sim_replay_quotas(struct sim_replay *s)
{
	char rest[128], cause[256];
	int32_t i, line;
	int64_t gpus = s->out->total_gpus / MODEL_GPU_MILLI;

	project_init(&s->projects);
	for (i = 0; i < s->cfg->nprojects; i++) {
		snprintf(rest, sizeof(rest), "p%d deserved=%lld weight=1", i,
		    (long long)(gpus / s->cfg->nprojects));
		if (project_parse_line(&s->projects, "project", rest, i + 1,
		        cause, sizeof(cause)) != 0)
			return GQ_EINVAL;
	}
	return project_resolve(&s->projects, cause, sizeof(cause), &line);
}

static void
sim_replay_heap_push(struct sim_replay *s, int64_t t, size_t i)
{
	struct sim_due tmp;
	size_t k = s->nheap++, up;

	if (s->nheap > s->capheap) {
		s->capheap = s->capheap * 2 + 64;
		s->heap = xreallocarray(s->heap, s->capheap, sizeof(*s->heap));
	}
	s->heap[k].t = t;
	s->heap[k].i = i;
	while (k > 0 &&
	    (s->heap[up = (k - 1) / 2].t > s->heap[k].t ||
	        (s->heap[up].t == s->heap[k].t &&
	            s->heap[up].i > s->heap[k].i))) {
		tmp = s->heap[up];
		s->heap[up] = s->heap[k];
		s->heap[k] = tmp;
		k = up;
	}
}

static int
sim_replay_less(const struct sim_due *a, const struct sim_due *b)
{
	return a->t < b->t || (a->t == b->t && a->i < b->i);
}

static struct sim_due
sim_replay_heap_pop(struct sim_replay *s)
{
	struct sim_due top = s->heap[0], tmp;
	size_t k = 0, c;

	s->heap[0] = s->heap[--s->nheap];
	for (;;) {
		c = 2 * k + 1;
		if (c >= s->nheap)
			break;
		if (c + 1 < s->nheap &&
		    sim_replay_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!sim_replay_less(&s->heap[c], &s->heap[k]))
			break;
		tmp = s->heap[c];
		s->heap[c] = s->heap[k];
		s->heap[k] = tmp;
		k = c;
	}
	return top;
}

static int64_t
sim_replay_held(const struct alloc *a)
{
	int64_t sum = 0;
	int32_t i;

	for (i = 0; i < a->ngpus; i++)
		sum += a->gpus[i].milli;
	return sum;
}

/* Moves virtual time to t: the allocation integral and its samples. */
static void
sim_replay_advance(struct sim_replay *s, int64_t t)
{
	struct sim_replay_result *o = s->out;
	double pct = 100.0 * (double)s->held / (double)o->total_gpus;

	s->integral += (double)s->held * (double)(t - s->last);
	while (s->cfg->sample_s > 0 && s->next_sample <= t &&
	    o->nseries < SIM_MAX_SERIES) {
		if (o->nseries == s->capseries) {
			s->capseries = s->capseries * 2 + 256;
			o->alloc_series = xreallocarray(o->alloc_series,
			    s->capseries, sizeof(*o->alloc_series));
		}
		o->alloc_series[o->nseries++] = pct;
		s->next_sample += s->cfg->sample_s;
	}
	s->last = s->now = t;
}

static void
sim_replay_take(struct sim_replay *s, struct sim_inst *in, int sign)
{
	double pct;
	int32_t g;

	if (sign > 0)
		cluster_take(&s->c, &in->core.alloc);
	else
		cluster_give(&s->c, &in->core.alloc);
	s->held += sign * sim_replay_held(&in->core.alloc);
	for (g = 0; g < in->ngang; g++) {
		if (sign > 0)
			cluster_take(&s->c, &in->gang[g]);
		else
			cluster_give(&s->c, &in->gang[g]);
		s->held += sign * sim_replay_held(&in->gang[g]);
	}
	pct = 100.0 * (double)s->held / (double)s->out->total_gpus;
	if (pct > s->out->alloc_peak)
		s->out->alloc_peak = pct;
}

/* Stops a running job: back to the queue (preempted) or done. */
static void
sim_replay_stop(struct sim_replay *s, struct sim_inst *in, int done)
{
	struct sim_inst *last;

	sim_replay_take(s, in, -1);
	last = (struct sim_inst *)(uintptr_t)s->running[--s->nrunning];
	s->running[in->running_idx] = &last->core;
	last->running_idx = in->running_idx;
	free(in->gang);
	in->gang = NULL;
	in->ngang = 0;
	in->core.ngang = 0;
	in->core.gang = NULL;
	if (done) {
		in->core.state = JOB_COMPLETED;
		in->end = s->now;
		in->remaining = 0;
		return;
	}
	in->remaining -= s->now - in->core.start_time;
	if (in->remaining < 1)
		in->remaining = 1;
	in->core.state = JOB_PENDING;
	s->pending[s->npending++] = &in->core;
	s->out->npreemptions++;
}

/* True when a (and the gang) still fits what is free: plans may race. */
static int
sim_replay_room(const struct sim_replay *s, const struct decision *d)
{
	const struct alloc *a;
	const struct node *nd;
	int32_t k, g;

	for (k = -1; k < d->ngang; k++) {
		a = k < 0 ? &d->alloc : &d->gang[k];
		if (a->node < 0 || (size_t)a->node >= s->c.nnodes)
			return 0;
		nd = &s->c.nodes[a->node];
		if (nd->free_cpus_milli < a->cpus_milli ||
		    nd->free_mem_mb < a->mem_mb)
			return 0;
		for (g = 0; g < a->ngpus; g++)
			if (a->gpus[g].gpu < 0 || a->gpus[g].gpu >= nd->ngpus ||
			    nd->gpus[a->gpus[g].gpu].free_milli <
			        a->gpus[g].milli)
				return 0;
	}
	return 1;
}

static void
sim_replay_start(struct sim_replay *s, struct sim_inst *in,
    const struct decision *d)
{
	in->core.state = JOB_RUNNING;
	in->core.alloc = d->alloc;
	in->core.start_time = s->now;
	if (d->ngang > 0) {
		in->ngang = d->ngang;
		in->gang =
		    xreallocarray(NULL, (size_t)d->ngang, sizeof(*in->gang));
		memcpy(in->gang, d->gang, (size_t)d->ngang * sizeof(*in->gang));
		in->core.gang = in->gang;
		in->core.ngang = in->ngang;
	}
	sim_replay_take(s, in, 1);
	if (in->first_start < 0)
		in->first_start = s->now;
	in->due = s->now + in->remaining;
	in->running_idx = s->nrunning;
	s->running[s->nrunning++] = &in->core;
	sim_replay_heap_push(s, in->due, (size_t)(in - s->inst));
}

/* The running or waiting job of a decision, or NULL. */
static struct sim_inst *
sim_replay_of(struct sim_replay *s, int64_t id, enum job_state state)
{
	if (id < 1 || (size_t)id > s->n || s->inst[id - 1].core.state != state)
		return NULL;
	return &s->inst[id - 1];
}

/* Swap-outs first, so the starts they make room for find it. */
static int
sim_replay_apply(struct sim_replay *s)
{
	const struct decision *d;
	struct sim_inst *in;
	int stopped = 0;
	size_t i;

	for (i = 0; i < s->plan.ndecisions; i++) {
		d = &s->plan.decisions[i];
		if (d->kind != DECIDE_PREEMPT)
			continue;
		if ((in = sim_replay_of(s, d->job_id, JOB_RUNNING)) != NULL) {
			sim_replay_stop(s, in, 0);
			stopped = 1;
		}
	}
	for (i = 0; i < s->plan.ndecisions; i++) {
		d = &s->plan.decisions[i];
		if (d->kind == DECIDE_PREEMPT)
			continue;
		if (d->kind != DECIDE_START ||
		    (in = sim_replay_of(s, d->job_id, JOB_PENDING)) == NULL ||
		    !sim_replay_room(s, d))
			s->out->nother++;
		else
			sim_replay_start(s, in, d);
	}
	return stopped;
}

/* Drops the jobs that left the queue. */
static void
sim_replay_compact(struct sim_replay *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->npending; i++)
		if (s->pending[i]->state == JOB_PENDING)
			s->pending[k++] = s->pending[i];
	s->npending = k;
}

static int
sim_replay_plan(struct sim_replay *s)
{
	struct sched_input in;
	int rc, round;

	memset(&in, 0, sizeof(in));
	in.cluster = &s->c;
	in.projects = s->cfg->nprojects > 0 ? &s->projects : NULL;
	in.scratch = &s->scratch;
	for (round = 0; round < SIM_REPLAN_ROUNDS && s->npending > 0; round++) {
		in.pending = s->pending;
		in.npending = s->npending;
		in.running = s->running;
		in.nrunning = s->nrunning;
		in.now = s->now;
		plan_reset(&s->plan);
		s->out->nplans++;
		if ((rc = s->cfg->policy->plan(&in, &s->plan)) < 0)
			return rc;
		rc = sim_replay_apply(s);
		sim_replay_compact(s);
		if (!rc)
			break;
	}
	return 0;
}

/* Completions due at now. */
static int
sim_replay_completions(struct sim_replay *s)
{
	struct sim_inst *in;
	struct sim_due d;
	int any = 0;

	while (s->nheap > 0 && s->heap[0].t <= s->now) {
		d = sim_replay_heap_pop(s);
		in = &s->inst[d.i];
		if (in->core.state != JOB_RUNNING || in->due != d.t)
			continue;
		sim_replay_stop(s, in, 1);
		any = 1;
	}
	return any;
}

/* Arrivals at now: queued, or rejected when no node could ever hold. */
static int
sim_replay_arrivals(struct sim_replay *s)
{
	struct sim_inst *in;
	char cause[256];
	int any = 0;

	while (s->next < s->n && s->inst[s->next].arrival <= s->now) {
		in = &s->inst[s->next++];
		if (model_req_check(&s->c, &in->core.req, cause,
		        sizeof(cause)) != 0) {
			in->core.state = JOB_FAILED;
			s->out->nrejected++;
			continue;
		}
		s->pending[s->npending++] = &in->core;
		any = 1;
	}
	return any;
}

static int
sim_replay_loop(struct sim_replay *s)
{
	int64_t t;
	int rc, changed;

	while (s->next < s->n || s->nheap > 0) {
		t = s->next < s->n ? s->inst[s->next].arrival : INT64_MAX;
		if (s->nheap > 0 && s->heap[0].t < t)
			t = s->heap[0].t;
		sim_replay_advance(s, t);
		changed = sim_replay_completions(s);
		changed |= sim_replay_arrivals(s);
		if (changed && s->npending > 0 && (rc = sim_replay_plan(s)) < 0)
			return rc;
	}
	return 0;
}

/*
 * Each project's service ratio: GPU-seconds its jobs ran over the
 * GPU-seconds they spent from arrival to completion (1: never waited).
 * Jain's index across the projects that had jobs.
 */
static void
sim_replay_fairness(struct sim_replay_result *o, const double *run,
    const double *span)
{
	double *x = xcalloc((size_t)o->nprojects + 1, sizeof(*x));
	size_t k = 0;
	int32_t p;

	o->project_service =
	    xcalloc((size_t)o->nprojects + 1, sizeof(*o->project_service));
	for (p = 0; p < o->nprojects; p++) {
		if (span[p] <= 0)
			continue;
		o->project_service[p] = run[p] / span[p];
		x[k++] = o->project_service[p];
	}
	o->jain = sim_stats_jain(x, k);
	free(x);
}

/* Per-job measures and the fairness across projects. */
static void
sim_replay_measure(struct sim_replay *s, const struct sim_jobs *jobs)
{
	struct sim_replay_result *o = s->out;
	double *jct = xcalloc(s->n + 1, sizeof(*jct));
	double *wait = xcalloc(s->n + 1, sizeof(*wait));
	double *run = xcalloc((size_t)o->nprojects + 1, sizeof(*run));
	double *span = xcalloc((size_t)o->nprojects + 1, sizeof(*span));
	const struct sim_inst *in;
	size_t i;

	for (i = 0; i < s->n; i++) {
		in = &s->inst[i];
		if (in->end < 0)
			continue;
		jct[o->njobs] = (double)(in->end - in->arrival);
		wait[o->njobs++] = (double)(in->first_start - in->arrival);
		run[in->project] +=
		    (double)jobs->v[i].gpus * (double)jobs->v[i].duration;
		span[in->project] +=
		    (double)jobs->v[i].gpus * (double)(in->end - in->arrival);
		if (in->end - s->inst[0].arrival > o->span_s)
			o->span_s = in->end - s->inst[0].arrival;
	}
	sim_stats_dist(jct, o->njobs, &o->jct);
	sim_stats_dist(wait, o->njobs, &o->wait);
	sim_replay_fairness(o, run, span);
	free(jct);
	free(wait);
	free(run);
	free(span);
}

static void
sim_replay_setup(struct sim_replay *s, const struct cluster *c,
    const struct sim_jobs *jobs)
{
	int32_t max;
	size_t i;

	s->c.nnodes = c->nnodes;
	s->c.nodes = xreallocarray(NULL, c->nnodes + 1, sizeof(*s->c.nodes));
	memcpy(s->c.nodes, c->nodes, c->nnodes * sizeof(*s->c.nodes));
	for (i = 0; i < c->nnodes; i++)
		s->out->total_gpus +=
		    (int64_t)c->nodes[i].ngpus * MODEL_GPU_MILLI;
	s->n = jobs->n;
	s->inst = xcalloc(s->n + 1, sizeof(*s->inst));
	s->pending = xcalloc(s->n + 1, sizeof(*s->pending));
	s->running = xcalloc(s->n + 1, sizeof(*s->running));
	max = sim_replay_max_gpus(c);
	for (i = 0; i < s->n; i++)
		sim_replay_inst(s, &jobs->v[i], i, max);
	s->out->ninstances = s->n;
	plan_init(&s->plan);
	project_init(&s->projects);
	sched_scratch_init(&s->scratch);
}

static void
sim_replay_teardown(struct sim_replay *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->inst[i].gang);
	free(s->inst);
	free(s->pending);
	free(s->running);
	free(s->heap);
	plan_done(&s->plan);
	sched_scratch_done(&s->scratch);
	project_done(&s->projects);
	cluster_done(&s->c);
}

static int
sim_replay_sorted(const struct sim_jobs *jobs)
{
	size_t i;

	for (i = 1; i < jobs->n; i++)
		if (jobs->v[i].arrival < jobs->v[i - 1].arrival)
			return 0;
	return 1;
}

int
sim_replay_run(const struct cluster *c, const struct sim_jobs *jobs,
    const struct sim_replay_cfg *cfg0, struct sim_replay_result *out)
{
	struct sim_replay_cfg cfg = *cfg0;
	struct sim_replay *s;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (cfg.nprojects < 1)
		cfg.nprojects = 1;
	if (cfg.time_scale <= 0)
		cfg.time_scale = 1;
	if (cfg.policy == NULL || !sim_replay_sorted(jobs))
		return GQ_EINVAL;
	out->nprojects = cfg.nprojects;
	s = xcalloc(1, sizeof(*s));
	s->cfg = &cfg;
	s->out = out;
	sim_replay_setup(s, c, jobs);
	if (out->total_gpus == 0)
		rc = GQ_EINVAL;
	if (rc == 0 && cfg0->nprojects > 0)
		rc = sim_replay_quotas(s);
	if (rc == 0)
		rc = sim_replay_loop(s);
	if (rc == 0) {
		sim_replay_measure(s, jobs);
		if (s->last > 0)
			out->alloc_mean = 100.0 * s->integral /
			    ((double)out->total_gpus * (double)s->last);
	}
	sim_replay_teardown(s);
	free(s);
	return rc;
}

void
sim_replay_result_done(struct sim_replay_result *r)
{
	free(r->alloc_series);
	free(r->project_service);
	memset(r, 0, sizeof(*r));
}
