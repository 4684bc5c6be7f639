/*
 * Jobs as the sampler sees them: which GPU process belongs to which job
 * (through the session of the job's supervisor), what each job was given
 * and used (GPU-seconds, written per hour to the store), idle jobs, GPU
 * memory overruns, and the enforcement label of each job's share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/telemetry.h"
#include "core/store/store-gpu.h"

#define TEL_ANCESTORS 32 /* parents walked to find a job's supervisor */

struct tel_job *
telemetry_job_find(struct telemetry *t, int64_t id)
{
	size_t i;

	for (i = 0; i < t->njobs; i++)
		if (t->jobs[i].id == id)
			return &t->jobs[i];
	return NULL;
}

static struct tel_job *
telemetry_job_add(struct telemetry *t, int64_t id)
{
	struct tel_job *tj;

	if (t->njobs == t->cap_jobs) {
		t->cap_jobs = t->cap_jobs ? t->cap_jobs * 2 : 16;
		t->jobs = xreallocarray(t->jobs, t->cap_jobs, sizeof(*t->jobs));
	}
	tj = &t->jobs[t->njobs++];
	memset(tj, 0, sizeof(*tj));
	tj->id = id;
	return tj;
}

/* Writes a job's usage not yet in the store. */
static void
telemetry_job_flush(struct telemetry *t, struct tel_job *tj)
{
	struct store_gpu_usage u;

	if (tj->samples == 0 && tj->alloc_s <= 0)
		return;
	memset(&u, 0, sizeof(u));
	u.job_id = tj->id;
	u.hour = tj->hour;
	u.alloc_gpu_s = tj->alloc_s;
	u.used_gpu_s = tj->used_s;
	u.idle_gpu_s = tj->idle_s;
	u.peak_mem_mb = tj->peak_mb;
	u.samples = tj->samples;
	store_begin(t->d->store);
	store_gpu_usage_add(t->d->store, &u);
	daemon_kick(t->d);
	tj->alloc_s = tj->used_s = tj->idle_s = 0;
	tj->peak_mb = 0;
	tj->samples = 0;
}

/* all: every job; else only those that stopped running (then forgotten). */
void
telemetry_jobs_flush(struct telemetry *t, int all)
{
	size_t i = 0;

	while (i < t->njobs) {
		if (all || !t->jobs[i].seen)
			telemetry_job_flush(t, &t->jobs[i]);
		if (!all && !t->jobs[i].seen)
			t->jobs[i] = t->jobs[--t->njobs];
		else
			i++;
	}
}

static int
telemetry_job_here(struct daemon *d, const struct job *j, int32_t node)
{
	return j->core.state == JOB_RUNNING && j->core.alloc.node == node &&
	    j->core.alloc.ngpus > 0;
}

/* Marks the running jobs seen; their supervisors' sessions. */
static void
telemetry_jobs_mark(struct telemetry *t, int64_t now)
{
	struct daemon *d = t->d;
	int32_t node = telemetry_node(d), ppid, pgrp, sid;
	struct tel_job *tj;
	struct job *j;
	size_t i;
	int k;

	for (i = 0; i < t->njobs; i++)
		t->jobs[i].seen = 0;
	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		if (!telemetry_job_here(d, j, node))
			continue;
		if ((tj = telemetry_job_find(t, j->core.id)) == NULL)
			tj = telemetry_job_add(t, j->core.id);
		tj->seen = 1;
		tj->sid = 0;
		if (j->sup_pid > 0 &&
		    gpu_pid_ids((int32_t)j->sup_pid, &ppid, &pgrp, &sid) == 0)
			tj->sid = sid;
		for (k = 0; k < MODEL_MAX_JOB_GPUS; k++)
			tj->mem_mb[k] = -1;
	}
}

/*
 * The running job a GPU process belongs to: one in its supervisor's
 * session, or (a job that made its own session) one whose supervisor is
 * among its parents.
 */
static struct job *
telemetry_pid_job(struct telemetry *t, int32_t pid)
{
	struct daemon *d = t->d;
	int32_t ppid, pgrp, sid, p = pid;
	struct tel_job *tj;
	struct job *j;
	size_t i;
	int depth;

	if (gpu_pid_ids(pid, &ppid, &pgrp, &sid) != 0)
		return NULL;
	for (i = 0; i < t->njobs; i++)
		if (t->jobs[i].seen && t->jobs[i].sid > 1 &&
		    t->jobs[i].sid == sid)
			return jobs_find(d, t->jobs[i].id);
	for (depth = 0; depth < TEL_ANCESTORS && p > 1; depth++) {
		for (i = 0; i < t->njobs; i++) {
			tj = &t->jobs[i];
			j = tj->seen ? jobs_find(d, tj->id) : NULL;
			if (j != NULL && j->sup_pid == p)
				return j;
		}
		if (gpu_pid_ids(p, &ppid, &pgrp, &sid) != 0)
			break;
		p = ppid;
	}
	return NULL;
}

/* Adds a process's memory to its job's slot for GPU g. */
static int
telemetry_attribute(struct telemetry *t, int32_t g, const struct gpu_proc *p)
{
	struct job *j = telemetry_pid_job(t, p->pid);
	const struct alloc *a;
	struct tel_job *tj;
	int32_t k;

	if (j == NULL || (tj = telemetry_job_find(t, j->core.id)) == NULL)
		return 0;
	a = &j->core.alloc;
	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++)
		if (a->gpus[k].gpu == g) {
			if (tj->mem_mb[k] < 0)
				tj->mem_mb[k] = 0;
			if (p->mem_mb > 0)
				tj->mem_mb[k] += p->mem_mb;
			return 1;
		}
	return 0; /* a job's process on a GPU it was not given */
}

/* Per-process memory: each job's, and what belongs to no job. */
static void
telemetry_procs(struct telemetry *t)
{
	struct tel_gpu *tg;
	size_t n, k;
	int32_t g;
	int rc;

	if (!gpu_has_procs(t->dev))
		return;
	for (g = 0; (size_t)g < t->d->inv.ngpus; g++) {
		tg = &t->gpus[g];
		tg->foreign_mb = 0;
		tg->nforeign = 0;
		if (tg->lost)
			continue;
		rc = gpu_procs(t->dev, g, t->procs, GPU_MAX_PROCS, &n);
		tg->procs_ok = rc == 0 ? 1 : rc == GQ_ENOSYS ? 0 : tg->procs_ok;
		if (rc != 0)
			continue;
		for (k = 0; k < n; k++) {
			if (telemetry_attribute(t, g, &t->procs[k]))
				continue;
			tg->nforeign++;
			tg->foreign_mb +=
			    t->procs[k].mem_mb > 0 ? t->procs[k].mem_mb : 0;
		}
	}
}

/* A job's round: what it held, used, and its utilization in percent. */
struct tel_use {
	double alloc, used;
	int64_t mem;
	int known; /* every GPU of the job gave its utilization */
};

static void
telemetry_use(struct telemetry *t, const struct job *j,
    const struct tel_job *tj, const struct gpu_sample *s, struct tel_use *u)
{
	const struct alloc *a = &j->core.alloc;
	double share, total, frac;
	int32_t k, g;

	memset(u, 0, sizeof(*u));
	u->known = 1;
	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++) {
		g = a->gpus[k].gpu;
		if (g < 0 || (size_t)g >= t->d->inv.ngpus)
			continue;
		share = a->gpus[k].milli / 1000.0;
		total = t->gpus[g].alloc_milli / 1000.0;
		frac = total > share ? share / total : 1.0;
		u->alloc += share;
		if (s[g].util_pct < 0 || s[g].state != GPU_OK)
			u->known = 0;
		else
			u->used += fmin(share, s[g].util_pct / 100.0 * frac);
		if (tj->mem_mb[k] >= 0)
			u->mem += tj->mem_mb[k];
		else if (s[g].mem_used_mb > 0)
			u->mem += (int64_t)(s[g].mem_used_mb * frac);
	}
}

static void
telemetry_account(struct telemetry *t, struct tel_job *tj,
    const struct tel_use *u, int64_t now, double dt)
{
	int64_t hour = now - now % 3600;
	int32_t pct;

	if (tj->hour != hour) {
		telemetry_job_flush(t, tj);
		tj->hour = hour;
	}
	tj->samples++;
	tj->alloc_s += u->alloc * dt;
	tj->used_s += u->used * dt;
	pct = u->alloc > 0 ? (int32_t)(u->used / u->alloc * 100.0 + 0.5) : 0;
	if (u->known && pct < t->d->cfg.gpu.idle_pct)
		tj->idle_s += u->alloc * dt;
	if (u->mem > tj->peak_mb)
		tj->peak_mb = u->mem;
}

/* The GPUs of a job, as an array of indexes (new). */
static json_t *
telemetry_job_gpus(const struct job *j)
{
	json_t *a = json_array();
	int32_t k;

	for (k = 0; k < j->core.alloc.ngpus && k < MODEL_MAX_JOB_GPUS; k++)
		json_array_append_new(a,
		    json_integer(j->core.alloc.gpus[k].gpu));
	return a;
}

static void
telemetry_idle_event(struct telemetry *t, struct job *j, struct tel_job *tj)
{
	json_t *gpus = telemetry_job_gpus(j);

	events_emit(t->d, "job.idle",
	    json_pack("{s:I,s:s,s:O,s:o,s:I,s:i,s:b}", "job",
	        (json_int_t)j->core.id, "user", j->core.user, "gpu",
	        json_array_get(gpus, 0), "gpus", gpus, "since",
	        (json_int_t)tj->idle_since, "util", tj->idle_util, "idle",
	        tj->idle));
	daemon_kick(t->d);
}

static void
telemetry_became_idle(struct telemetry *t, struct job *j, struct tel_job *tj,
    int64_t now)
{
	char why[160];

	tj->idle = 1;
	tj->idle_since = tj->low_since;
	tj->idle_util = (int32_t)(tj->low_sum / tj->low_n + 0.5);
	log_info("job %lld of %s is idle: GPU utilization %d%% since %lld s",
	    (long long)j->core.id, j->core.user, (int)tj->idle_util,
	    (long long)(now - tj->idle_since));
	telemetry_idle_event(t, j, tj);
	if (!t->d->cfg.gpu.idle_swap)
		return;
	snprintf(why, sizeof(why), "idle: GPU utilization %d%% for %llds",
	    (int)tj->idle_util, (long long)(now - tj->idle_since));
	run_swap_out(t->d, j, now, why);
}

static void
telemetry_idle(struct telemetry *t, struct job *j, struct tel_job *tj,
    const struct tel_use *u, int64_t now)
{
	const struct tel_config *c = &t->d->cfg.gpu;
	double pct = u->alloc > 0 ? u->used / u->alloc * 100.0 : 0;

	if (!u->known || c->idle_pct <= 0 || j->end_intent != 0)
		return;
	if (pct >= c->idle_pct) {
		tj->low_since = 0;
		if (tj->idle) {
			tj->idle = 0;
			log_info("job %lld uses its GPUs again",
			    (long long)j->core.id);
			telemetry_idle_event(t, j, tj);
		}
		return;
	}
	if (tj->low_since == 0) {
		tj->low_since = now;
		tj->low_sum = 0;
		tj->low_n = 0;
	}
	tj->low_sum += pct;
	tj->low_n++;
	if (!tj->idle && now - tj->low_since >= c->idle_after_s)
		telemetry_became_idle(t, j, tj, now);
}

static void
telemetry_overrun_report(struct telemetry *t, struct job *j, int32_t g,
    int64_t used, int64_t limit, int64_t now)
{
	int stop = t->d->cfg.gpu.overrun_stop;
	char why[200];

	snprintf(why, sizeof(why),
	    "GPU memory overrun: %lld MiB used on GPU %d, %lld MiB given",
	    (long long)used, (int)g, (long long)limit);
	log_warn("job %lld of %s: %s%s", (long long)j->core.id, j->core.user,
	    why, stop ? "; stopping it" : "");
	events_emit(t->d, "job.overrun",
	    json_pack("{s:I,s:s,s:i,s:I,s:I,s:s}", "job",
	        (json_int_t)j->core.id, "user", j->core.user, "gpu", (int)g,
	        "used_mb", (json_int_t)used, "limit_mb", (json_int_t)limit,
	        "action", stop ? "stop" : "warn"));
	daemon_kick(t->d);
	if (stop)
		run_cancel(t->d, j, JOB_CANCELLED, now, why);
}

/* A share's processes using more GPU memory than the share stands for. */
static void
telemetry_overrun(struct telemetry *t, struct job *j, struct tel_job *tj,
    int64_t now)
{
	const struct alloc *a = &j->core.alloc;
	int32_t k, g;
	int over = 0;

	if (j->end_intent != 0)
		return;
	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++) {
		g = a->gpus[k].gpu;
		if (a->gpus[k].milli >= MODEL_GPU_MILLI || tj->mem_mb[k] < 0 ||
		    a->gpus[k].mem_mb <= 0 ||
		    tj->mem_mb[k] <= a->gpus[k].mem_mb)
			continue;
		over = 1;
		if (!tj->overrun)
			telemetry_overrun_report(t, j, g, tj->mem_mb[k],
			    a->gpus[k].mem_mb, now);
		break;
	}
	tj->overrun = over;
}

void
telemetry_jobs_round(struct telemetry *t, const struct gpu_sample *s,
    int64_t now, double dt)
{
	struct tel_job *tj;
	struct tel_use u;
	struct job *j;
	size_t i;

	telemetry_jobs_mark(t, now);
	telemetry_procs(t);
	for (i = 0; i < t->njobs; i++) {
		tj = &t->jobs[i];
		if (!tj->seen || (j = jobs_find(t->d, tj->id)) == NULL)
			continue;
		telemetry_use(t, j, tj, s, &u);
		telemetry_account(t, tj, &u, now, dt);
		telemetry_overrun(t, j, tj, now);
		/* The job may have been stopped just now: look it up again. */
		if ((tj = telemetry_job_find(t, j->core.id)) != NULL)
			telemetry_idle(t, j, tj, &u, now);
	}
	telemetry_jobs_flush(t, 0);
}
