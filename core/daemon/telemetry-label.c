/*
 * How a job's GPU share is enforced, decided when it starts and written
 * into its environment (GPUQ_GPU_ENFORCEMENT, and the MPS limits when an
 * MPS control daemon runs), then shown in the job object with its idle
 * state and its GPU accounting.
 *
 *   exclusive  whole GPUs: the job sees only its own (CUDA_VISIBLE_DEVICES)
 *   enforced   the hardware or the driver holds it to its share: a GPU in
 *              MIG mode, or MPS with CUDA_MPS_ACTIVE_THREAD_PERCENTAGE and
 *              CUDA_MPS_PINNED_DEVICE_MEM_LIMIT
 *   monitored  NVML tells each process's memory: an overrun is reported,
 *              or the job stopped (gpu-mem-overrun stop)
 *   advisory   the job is told its share and trusted
 *
 * An executor that runs jobs on nodes of its own (slurm) says instead what
 * holds them there, and "enforcement_via" names it ("slurm shard").
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/xmalloc.h"
#include "core/daemon/telemetry.h"
#include "core/store/store-gpu.h"

#define TEL_ENV_LABEL   "GPUQ_GPU_ENFORCEMENT"
#define TEL_ENV_THREADS "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE"
#define TEL_ENV_MEM     "CUDA_MPS_PINNED_DEVICE_MEM_LIMIT"
#define TEL_ENV_PIPE    "CUDA_MPS_PIPE_DIRECTORY"

/* The value of NAME in the daemon's variables of j (borrowed), or NULL. */
static const char *
telemetry_xenv_get(const struct job *j, const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; j->xenv != NULL && j->xenv[i] != NULL; i++)
		if (strncmp(j->xenv[i], name, len) == 0 &&
		    j->xenv[i][len] == '=')
			return j->xenv[i] + len + 1;
	return NULL;
}

static int
telemetry_whole(const struct alloc *a)
{
	int32_t k;

	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++)
		if (a->gpus[k].milli < MODEL_GPU_MILLI)
			return 0;
	return 1;
}

static int
telemetry_on_mig(struct daemon *d, const struct alloc *a)
{
	int32_t k, g;

	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++) {
		g = a->gpus[k].gpu;
		if (g >= 0 && (size_t)g < d->inv.ngpus && d->inv.gpus[g].mig)
			return 1;
	}
	return 0;
}

/* Every GPU of the share tells its processes' memory. */
static int
telemetry_watched(struct daemon *d, const struct alloc *a)
{
	struct telemetry *t = d->tel;
	int32_t k, g;

	if (t == NULL || !gpu_has_procs(t->dev))
		return 0;
	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++) {
		g = a->gpus[k].gpu;
		if (g < 0 || (size_t)g >= d->inv.ngpus || !t->gpus[g].procs_ok)
			return 0;
	}
	return 1;
}

/* The label a share would get now; *mps set when MPS is what enforces. */
static const char *
telemetry_label_now(struct daemon *d, const struct alloc *a, int *mps)
{
	*mps = 0;
	if (telemetry_whole(a))
		return "exclusive";
	if (telemetry_on_mig(d, a))
		return "enforced";
	if (gpu_mps_active(d->cfg.gpu.mps_dir)) {
		*mps = 1;
		return "enforced";
	}
	return telemetry_watched(d, a) ? "monitored" : "advisory";
}

/* Jobs on the executor's own nodes (slurm): it knows, not this host. */
static const char *
telemetry_enforcement_exec(struct daemon *d, const struct job *j,
    const char **via)
{
	const char *label, *by;

	if (d->exec->enforcement(&d->xctx, j, &label, &by) != 0)
		return NULL;
	if (via != NULL)
		*via = by;
	return label;
}

const char *
telemetry_enforcement(struct daemon *d, const struct job *j, const char **via)
{
	const char *set = telemetry_xenv_get(j, TEL_ENV_LABEL);
	int mps;

	if (via != NULL)
		*via = NULL;
	if (j->core.alloc.ngpus <= 0 || j->start_time == 0)
		return NULL;
	if (d->exec->enforcement != NULL)
		return telemetry_enforcement_exec(d, j, via);
	if (set == NULL)
		return telemetry_label_now(d, &j->core.alloc, &mps);
	/* Watching can stop working (the GPU lost, the driver changed). */
	if (strcmp(set, "monitored") == 0 &&
	    !telemetry_watched(d, &j->core.alloc))
		return "advisory";
	return set;
}

/* "0=40779MB,1=40779MB": the memory of each share, by CUDA ordinal. */
static char *
telemetry_mps_mem(const struct alloc *a)
{
	struct buf b;
	int32_t k;

	buf_init(&b, 64 * 1024);
	buf_addstr(&b, TEL_ENV_MEM "=");
	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++)
		buf_printf(&b, "%s%d=%lldMB", k > 0 ? "," : "", (int)k,
		    (long long)a->gpus[k].mem_mb);
	return buf_take(&b);
}

/* The smallest share, in percent of a GPU, rounded up. */
static int
telemetry_mps_threads(const struct alloc *a)
{
	int32_t k, min = MODEL_GPU_MILLI;

	for (k = 0; k < a->ngpus && k < MODEL_MAX_JOB_GPUS; k++)
		if (a->gpus[k].milli < min)
			min = a->gpus[k].milli;
	return min <= 0 ? 1 : (min + 9) / 10;
}

static void
telemetry_xenv_free(struct job *j)
{
	size_t i;

	for (i = 0; j->xenv != NULL && j->xenv[i] != NULL; i++)
		free(j->xenv[i]);
	free(j->xenv);
	j->xenv = NULL;
}

/*
 * Decides the label of j's share as it starts and the variables that go
 * with it, into j->xenv (the executor adds them to the environment).  A
 * label set at start stays (the MPS limits cannot change under a running
 * job); after a restart it is worked out again from what is there.
 */
void
telemetry_job_start(struct daemon *d, struct job *j)
{
	const struct alloc *a = &j->core.alloc;
	char **xenv;
	size_t n = 0;
	int mps;

	telemetry_xenv_free(j);
	/* On the executor's nodes (slurm) this host's MPS means nothing; the
	 * executor tells the job its label itself. */
	if (a->ngpus <= 0 || d->exec->enforcement != NULL)
		return;
	xenv = xcalloc(5, sizeof(*xenv));
	xenv[n++] =
	    xasprintf(TEL_ENV_LABEL "=%s", telemetry_label_now(d, a, &mps));
	if (mps) {
		xenv[n++] =
		    xasprintf(TEL_ENV_THREADS "=%d", telemetry_mps_threads(a));
		xenv[n++] = telemetry_mps_mem(a);
		if (d->cfg.gpu.mps_dir != NULL)
			xenv[n++] =
			    xasprintf(TEL_ENV_PIPE "=%s", d->cfg.gpu.mps_dir);
	}
	j->xenv = xenv;
}

/* A job's accounting: the store's hours plus what is not written yet. */
struct tel_usage_sum {
	struct store_gpu_usage u;
	int found;
};

static void
telemetry_usage_cb(const struct store_gpu_usage *u, void *arg)
{
	struct tel_usage_sum *s = arg;

	s->u = *u;
	s->found = 1;
}

static json_t *
telemetry_usage_json(struct daemon *d, const struct job *j)
{
	struct tel_usage_sum s;
	struct tel_job *tj;

	memset(&s, 0, sizeof(s));
	store_gpu_usage_each(d->store, 0, j->core.id, telemetry_usage_cb, &s);
	if (d->tel != NULL &&
	    (tj = telemetry_job_find(d->tel, j->core.id)) != NULL) {
		s.u.alloc_gpu_s += tj->alloc_s;
		s.u.used_gpu_s += tj->used_s;
		s.u.idle_gpu_s += tj->idle_s;
		s.u.samples += tj->samples;
		if (tj->peak_mb > s.u.peak_mem_mb)
			s.u.peak_mem_mb = tj->peak_mb;
		s.found |= tj->samples > 0;
	}
	if (!s.found)
		return NULL;
	return json_pack("{s:f,s:f,s:f,s:o,s:I,s:i}", "alloc_gpu_h",
	    s.u.alloc_gpu_s / 3600.0, "used_gpu_h", s.u.used_gpu_s / 3600.0,
	    "idle_gpu_h", s.u.idle_gpu_s / 3600.0, "efficiency",
	    s.u.alloc_gpu_s > 0 ?
	        json_real(
	            round(s.u.used_gpu_s / s.u.alloc_gpu_s * 1000.0) / 10.0) :
	        json_null(),
	    "peak_mem_mb", (json_int_t)s.u.peak_mem_mb, "samples",
	    (int)s.u.samples);
}

void
telemetry_jobjson(struct daemon *d, const struct job *j, json_t *o, int detail)
{
	const char *via, *label = telemetry_enforcement(d, j, &via);
	struct tel_job *tj = NULL;
	json_t *usage;

	if (label != NULL)
		json_object_set_new(o, "enforcement", json_string(label));
	if (label != NULL && via != NULL)
		json_object_set_new(o, "enforcement_via", json_string(via));
	if (d->tel != NULL && j->core.state == JOB_RUNNING)
		tj = telemetry_job_find(d->tel, j->core.id);
	if (tj != NULL && tj->idle)
		json_object_set_new(o, "idle",
		    json_pack("{s:I,s:i}", "since", (json_int_t)tj->idle_since,
		        "util", tj->idle_util));
	if (detail && j->start_time != 0 &&
	    (usage = telemetry_usage_json(d, j)) != NULL)
		json_object_set_new(o, "gpu_usage", usage);
}
