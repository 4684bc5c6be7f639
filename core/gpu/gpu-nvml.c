/*
 * NVML through dlopen("libnvidia-ml.so.1"), the way nvtop does it, so
 * gpuqd builds and runs where there is no driver.  The types below are
 * written from the public NVML API reference (nvml.h is not installed on
 * Debian without non-free); only what gpuq calls is declared.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/gpu/gpu-int.h"

#define NVML_LIB_DEFAULT "libnvidia-ml.so.1"

/* nvmlReturn_t values used here. */
#define NVML_SUCCESS                 0
#define NVML_ERROR_NOT_SUPPORTED     3
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_GPU_IS_LOST       15
#define NVML_TEMPERATURE_GPU         0
#define NVML_DEVICE_MIG_ENABLE       1
#define NVML_BUFFER_SIZE             96 /* NVML_DEVICE_NAME_V2_BUFFER_SIZE */
/* usedGpuMemory when the driver cannot tell (NVML_VALUE_NOT_AVAILABLE). */
#define NVML_VALUE_NOT_AVAILABLE (~0ULL)
#define NVML_PID_MAX             4194304 /* Linux's PID_MAX_LIMIT */

typedef int nvmlReturn_t;
typedef struct nvmlDevice_st *nvmlDevice_t;

/* nvmlMemory_t: bytes. */
struct nvml_memory {
	unsigned long long total, free, used;
};

/* nvmlUtilization_t: percent over the last sample period. */
struct nvml_utilization {
	unsigned int gpu, memory;
};

/*
 * nvmlProcessInfo_v1_t (the unversioned call): pid, usedGpuMemory.  The
 * _v2 and _v3 calls add gpuInstanceId and computeInstanceId (24 bytes a
 * record); some R535 drivers wrote a further usedGpuCcProtectedMemory
 * (32 bytes) from the _v3 call.  Records are read by offset with a stride
 * found out at run time (gpu_nvml_stride), so only the leading pid and
 * usedGpuMemory are declared.
 */
struct nvml_proc_head {
	unsigned int pid;
	unsigned long long used;
};

#define NVML_STRIDE_V1 16
#define NVML_STRIDE_V2 24
#define NVML_STRIDE_CC 32

typedef nvmlReturn_t nvml_fn_void(void);
typedef nvmlReturn_t nvml_fn_uintp(unsigned int *);
typedef nvmlReturn_t nvml_fn_handle(unsigned int, nvmlDevice_t *);
typedef nvmlReturn_t nvml_fn_str(nvmlDevice_t, char *, unsigned int);
typedef nvmlReturn_t nvml_fn_mem(nvmlDevice_t, struct nvml_memory *);
typedef nvmlReturn_t nvml_fn_util(nvmlDevice_t, struct nvml_utilization *);
typedef nvmlReturn_t nvml_fn_temp(nvmlDevice_t, int, unsigned int *);
typedef nvmlReturn_t nvml_fn_dev_uint(nvmlDevice_t, unsigned int *);
typedef nvmlReturn_t nvml_fn_mig(nvmlDevice_t, unsigned int *, unsigned int *);
typedef nvmlReturn_t nvml_fn_procs(nvmlDevice_t, unsigned int *, void *);
typedef const char *nvml_fn_errstr(nvmlReturn_t);

struct gpu_nvml {
	void *lib;
	nvml_fn_void *init, *shutdown;
	nvml_fn_uintp *count;
	nvml_fn_handle *handle;
	nvml_fn_str *name, *uuid;
	nvml_fn_mem *memory;
	nvml_fn_util *util;
	nvml_fn_temp *temp;      /* optional */
	nvml_fn_dev_uint *power; /* optional: milliwatts */
	nvml_fn_mig *mig;        /* optional */
	nvml_fn_procs *procs;    /* _v3, _v2 or the unversioned one */
	nvml_fn_errstr *errstr;
	size_t stride;     /* record size of procs, 0 until known */
	int procs_v1;      /* procs is the unversioned call */
	unsigned char *pb; /* GPU_MAX_PROCS records of the largest stride */
	nvmlDevice_t dev[GPU_MAX];
	int have[GPU_MAX]; /* a handle was obtained */
};

static const char *
gpu_nvml_err(struct gpu_nvml *v, nvmlReturn_t r)
{
	const char *s = v->errstr != NULL ? v->errstr(r) : NULL;

	return s != NULL ? s : "unknown NVML error";
}

/* dlsym into a function pointer (POSIX allows the conversion). */
static void *
gpu_nvml_sym(void *lib, const char *name)
{
	return dlsym(lib, name);
}

#define NVML_SYM(v, field, name)                                               \
	((v)->field = (__typeof__((v)->field))gpu_nvml_sym((v)->lib, name))

static int
gpu_nvml_resolve(struct gpu_nvml *v, char *cause, size_t n)
{
	NVML_SYM(v, init, "nvmlInit_v2");
	NVML_SYM(v, shutdown, "nvmlShutdown");
	NVML_SYM(v, count, "nvmlDeviceGetCount_v2");
	NVML_SYM(v, handle, "nvmlDeviceGetHandleByIndex_v2");
	NVML_SYM(v, name, "nvmlDeviceGetName");
	NVML_SYM(v, uuid, "nvmlDeviceGetUUID");
	NVML_SYM(v, memory, "nvmlDeviceGetMemoryInfo");
	NVML_SYM(v, util, "nvmlDeviceGetUtilizationRates");
	NVML_SYM(v, errstr, "nvmlErrorString");
	NVML_SYM(v, temp, "nvmlDeviceGetTemperature");
	NVML_SYM(v, power, "nvmlDeviceGetPowerUsage");
	NVML_SYM(v, mig, "nvmlDeviceGetMigMode");
	if (NVML_SYM(v, procs, "nvmlDeviceGetComputeRunningProcesses_v3") ==
	        NULL &&
	    NVML_SYM(v, procs, "nvmlDeviceGetComputeRunningProcesses_v2") ==
	        NULL) {
		NVML_SYM(v, procs, "nvmlDeviceGetComputeRunningProcesses");
		v->procs_v1 = v->procs != NULL;
	}
	if (v->init == NULL || v->shutdown == NULL || v->count == NULL ||
	    v->handle == NULL || v->name == NULL || v->uuid == NULL ||
	    v->memory == NULL || v->util == NULL) {
		snprintf(cause, n, "NVML lacks a function gpuq needs");
		return GQ_EIO;
	}
	return 0;
}

/* One GPU of the inventory; a GPU already lost is listed as lost. */
static void
gpu_nvml_info(struct gpu_nvml *v, unsigned int i, struct gpu_info *g)
{
	char buf[NVML_BUFFER_SIZE + 1];
	struct nvml_memory m;
	unsigned int cur = 0, pend = 0;
	nvmlReturn_t r;

	memset(g, 0, sizeof(*g));
	g->index = (int32_t)i;
	if ((r = v->handle(i, &v->dev[i])) != NVML_SUCCESS) {
		log_warn("NVML: GPU %u: %s", i, gpu_nvml_err(v, r));
		snprintf(g->name, sizeof(g->name), "(unreachable)");
		snprintf(g->model, sizeof(g->model), "unknown");
		g->lost = 1;
		return;
	}
	v->have[i] = 1;
	/* Whatever the library writes, the strings end within buf. */
	buf[NVML_BUFFER_SIZE] = '\0';
	if (v->name(v->dev[i], buf, NVML_BUFFER_SIZE) == NVML_SUCCESS)
		gpu_copy_trim(g->name, sizeof(g->name), buf);
	if (v->uuid(v->dev[i], buf, NVML_BUFFER_SIZE) == NVML_SUCCESS)
		gpu_copy_trim(g->uuid, sizeof(g->uuid), buf);
	if ((r = v->memory(v->dev[i], &m)) == NVML_SUCCESS)
		g->mem_mb = (int64_t)(m.total >> 20);
	else if (r == NVML_ERROR_GPU_IS_LOST)
		g->lost = 1;
	if (v->mig != NULL && v->mig(v->dev[i], &cur, &pend) == NVML_SUCCESS)
		g->mig = cur == NVML_DEVICE_MIG_ENABLE;
	gpu_fake_model_of(g->name, g->mem_mb, g->model, sizeof(g->model));
}

static int
gpu_nvml_inventory(struct gpu_nvml *v, struct gpu_inventory *inv, char *cause,
    size_t n)
{
	unsigned int count = 0, i;
	nvmlReturn_t r;

	if ((r = v->init()) != NVML_SUCCESS) {
		snprintf(cause, n, "nvmlInit: %s", gpu_nvml_err(v, r));
		return GQ_ENOENT;
	}
	if ((r = v->count(&count)) != NVML_SUCCESS) {
		snprintf(cause, n, "nvmlDeviceGetCount: %s",
		    gpu_nvml_err(v, r));
		v->shutdown();
		return GQ_EIO;
	}
	if (count > GPU_MAX) {
		log_warn("NVML: %u GPUs; gpuq uses the first %d", count,
		    GPU_MAX);
		count = GPU_MAX;
	}
	snprintf(inv->source, sizeof(inv->source), "nvml");
	for (i = 0; i < count; i++)
		gpu_nvml_info(v, i, &inv->gpus[i]);
	inv->ngpus = count;
	return 0;
}

static void
gpu_nvml_free(struct gpu_nvml *v)
{
	if (v->lib != NULL)
		dlclose(v->lib);
	free(v->pb);
	free(v);
}

static int
gpu_nvml_open(struct gpu_dev *g, const struct gpu_opts *o,
    struct gpu_inventory *inv, char *cause, size_t n)
{
	const char *path = o->nvml_lib != NULL ? o->nvml_lib : NVML_LIB_DEFAULT;
	struct gpu_nvml *v = xcalloc(1, sizeof(*v));
	int rc;

	if ((v->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		snprintf(cause, n, "cannot load %s: %s", path, dlerror());
		gpu_nvml_free(v);
		return GQ_ENOENT;
	}
	if ((rc = gpu_nvml_resolve(v, cause, n)) != 0 ||
	    (rc = gpu_nvml_inventory(v, inv, cause, n)) != 0) {
		gpu_nvml_free(v);
		return rc;
	}
	v->pb = xcalloc(GPU_MAX_PROCS, NVML_STRIDE_CC);
	g->priv = v;
	g->procs = v->procs != NULL;
	return 0;
}

static void
gpu_nvml_close(struct gpu_dev *g)
{
	struct gpu_nvml *v = g->priv;

	if (v == NULL)
		return;
	v->shutdown();
	gpu_nvml_free(v);
	g->priv = NULL;
}

/* Records a failed query: a lost GPU says so, other errors leave -1. */
static int
gpu_nvml_check(nvmlReturn_t r, struct gpu_sample *out)
{
	if (r == NVML_ERROR_GPU_IS_LOST)
		out->state = GPU_LOST;
	return r == NVML_SUCCESS;
}

static void
gpu_nvml_sample(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out)
{
	struct gpu_nvml *v = g->priv;
	struct nvml_utilization u;
	struct nvml_memory m;
	unsigned int x;

	memset(out, 0, sizeof(*out));
	out->index = i;
	out->util_pct = out->temp_c = out->power_w = -1;
	out->mem_used_mb = -1;
	if (!v->have[i]) {
		out->state = GPU_LOST;
		return;
	}
	if (gpu_nvml_check(v->util(v->dev[i], &u), out))
		out->util_pct = (int32_t)(u.gpu > 100 ? 100 : u.gpu);
	if (out->state != GPU_LOST &&
	    gpu_nvml_check(v->memory(v->dev[i], &m), out))
		out->mem_used_mb = (int64_t)(m.used >> 20);
	if (out->state != GPU_LOST && v->temp != NULL &&
	    gpu_nvml_check(v->temp(v->dev[i], NVML_TEMPERATURE_GPU, &x), out))
		out->temp_c = (int32_t)x;
	if (out->state != GPU_LOST && v->power != NULL &&
	    gpu_nvml_check(v->power(v->dev[i], &x), out))
		out->power_w = (int32_t)(x / 1000);
	if (out->state != GPU_LOST && out->util_pct < 0 && out->mem_used_mb < 0)
		out->state = GPU_ERROR;
}

/* The record k of the process buffer read with a stride. */
static void
gpu_nvml_rec(const struct gpu_nvml *v, size_t stride, size_t k,
    struct nvml_proc_head *h)
{
	memcpy(&h->pid, v->pb + k * stride, sizeof(h->pid));
	memcpy(&h->used, v->pb + k * stride + 8, sizeof(h->used));
}

/* Whether every record read with this stride looks like a process. */
static int
gpu_nvml_plausible(const struct gpu_nvml *v, size_t stride, size_t count,
    unsigned long long total)
{
	struct nvml_proc_head h;
	size_t k;

	for (k = 0; k < count; k++) {
		gpu_nvml_rec(v, stride, k, &h);
		if (h.pid == 0 || h.pid > NVML_PID_MAX)
			return 0;
		if (h.used != NVML_VALUE_NOT_AVAILABLE && h.used > total)
			return 0;
	}
	return 1;
}

/*
 * The record size the driver wrote.  The unversioned call writes 16
 * bytes; the versioned ones 24, or 32 on the drivers that added a field
 * without a new version.  With two or more records the wrong stride shows
 * (a pid of 0 where the extra field lies), so the answer is learnt then.
 */
static size_t
gpu_nvml_stride(struct gpu_nvml *v, size_t count, unsigned long long total)
{
	if (v->procs_v1)
		return NVML_STRIDE_V1;
	if (v->stride != 0 || count < 2)
		return v->stride != 0 ? v->stride : NVML_STRIDE_V2;
	if (gpu_nvml_plausible(v, NVML_STRIDE_V2, count, total))
		v->stride = NVML_STRIDE_V2;
	else if (gpu_nvml_plausible(v, NVML_STRIDE_CC, count, total))
		v->stride = NVML_STRIDE_CC;
	return v->stride != 0 ? v->stride : NVML_STRIDE_V2;
}

static int
gpu_nvml_procs(struct gpu_dev *g, int32_t i, struct gpu_proc *out, size_t max,
    size_t *n)
{
	struct gpu_nvml *v = g->priv;
	unsigned int count = GPU_MAX_PROCS;
	unsigned long long total;
	struct nvml_proc_head h;
	nvmlReturn_t r;
	size_t k, stride;

	if (v->procs == NULL)
		return GQ_ENOSYS;
	if (!v->have[i])
		return GQ_EIO;
	r = v->procs(v->dev[i], &count, v->pb);
	if (r == NVML_ERROR_NOT_SUPPORTED)
		return GQ_ENOSYS;
	if (r != NVML_SUCCESS || count > GPU_MAX_PROCS)
		return GQ_EIO; /* INSUFFICIENT_SIZE too: more than we read */
	total = (unsigned long long)g->inv.gpus[i].mem_mb << 20;
	stride = gpu_nvml_stride(v, count, total ? total : ~0ULL);
	for (k = 0; k < count && *n < max; k++) {
		gpu_nvml_rec(v, stride, k, &h);
		out[*n].pid = (int32_t)h.pid;
		out[*n].mem_mb = h.used == NVML_VALUE_NOT_AVAILABLE ?
		    -1 :
		    (int64_t)(h.used >> 20);
		(*n)++;
	}
	return 0;
}

const struct gpu_probe gpu_probe_nvml = {
	.name = "nvml",
	.open = gpu_nvml_open,
	.close = gpu_nvml_close,
	.sample = gpu_nvml_sample,
	.procs = gpu_nvml_procs,
};
