/*
 * A fake libnvidia-ml.so.1 for tests: the NVML calls gpuqd makes, with
 * answers scripted by the file named in $GPUQ_FAKE_NVML.  The file is read
 * again when it changes (checked at most every 100 ms), so a test can
 * change the GPUs under a running daemon: append "lost 1" and GPU 1 falls
 * off the bus.
 *
 *   # a comment
 *   init CODE              nvmlInit_v2 fails with CODE (9: no driver)
 *   gpus N MEM_MB MIG NAME N GPUs alike (MIG 1: MIG mode on)
 *   gpu MEM_MB MIG NAME    one more GPU
 *   util GPU V...          utilization per step; the last value stays
 *   mem GPU MB...          memory used per step
 *   temp GPU C             temperature
 *   power GPU W            power draw
 *   proc GPU PID MB        a compute process using MB of memory
 *   lost GPU [STEP]        from that step on the GPU is lost (error 15)
 *   noprocs GPU            process queries answer "not supported"
 *   stride 32              process records of 32 bytes (R535 drivers)
 *
 * GPU is an index or "*" (every GPU declared so far).  A step is one
 * utilization query of that GPU.  Built with FAKE_NVML_V1 it exports only
 * the unversioned process call (16-byte records), as old drivers did.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FAKE_MAX       64
#define FAKE_MAX_STEPS 256
#define FAKE_MAX_PROCS 64

typedef int nvmlReturn_t;

enum {
	NVML_SUCCESS = 0,
	NVML_ERROR_UNINITIALIZED = 1,
	NVML_ERROR_INVALID_ARGUMENT = 2,
	NVML_ERROR_NOT_SUPPORTED = 3,
	NVML_ERROR_INSUFFICIENT_SIZE = 7,
	NVML_ERROR_DRIVER_NOT_LOADED = 9,
	NVML_ERROR_GPU_IS_LOST = 15,
};

struct fake_proc {
	unsigned int pid;
	unsigned long long bytes;
};

struct fake_gpu {
	char name[96];
	unsigned long long mem_mb;
	unsigned int mig;
	int util[FAKE_MAX_STEPS], nutil;
	long long memu[FAKE_MAX_STEPS];
	int nmem;
	int temp, power;
	struct fake_proc procs[FAKE_MAX_PROCS];
	int nprocs;
	long lost_at; /* -1: never */
	int noprocs;
	long step; /* kept across reloads */
};

struct nvmlDevice_st {
	int index;
};

typedef struct nvmlDevice_st *nvmlDevice_t;

struct fake_memory {
	unsigned long long total, free, used;
};

struct fake_utilization {
	unsigned int gpu, memory;
};

static struct fake_gpu fake_gpus[FAKE_MAX];
static struct nvmlDevice_st fake_devs[FAKE_MAX];
static int fake_ngpus, fake_init_err, fake_stride = 24, fake_inited;
static long fake_steps[FAKE_MAX];
static struct timespec fake_mtime;
static long long fake_size = -1, fake_checked_ms;

static long long
fake_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
fake_gpu_add(unsigned long long mem, unsigned int mig, const char *name)
{
	struct fake_gpu *g;

	if (fake_ngpus >= FAKE_MAX)
		return;
	g = &fake_gpus[fake_ngpus];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->mem_mb = mem;
	g->mig = mig;
	g->temp = 40;
	g->power = 100;
	g->lost_at = -1;
	g->step = fake_steps[fake_ngpus];
	fake_devs[fake_ngpus].index = fake_ngpus;
	fake_ngpus++;
}

/* Values after "KEY GPU": into one GPU, or every one for "*". */
static void
fake_values(const char *key, int idx, char *rest)
{
	struct fake_gpu *g = &fake_gpus[idx];
	char *tok, *save = NULL;
	long v[FAKE_MAX_STEPS];
	int n = 0, i;

	for (tok = strtok_r(rest, " \t\n", &save); tok && n < FAKE_MAX_STEPS;
	     tok = strtok_r(NULL, " \t\n", &save))
		v[n++] = strtol(tok, NULL, 10);
	if (strcmp(key, "util") == 0) {
		for (i = 0; i < n; i++)
			g->util[i] = (int)v[i];
		g->nutil = n;
	} else if (strcmp(key, "mem") == 0) {
		for (i = 0; i < n; i++)
			g->memu[i] = v[i];
		g->nmem = n;
	} else if (strcmp(key, "temp") == 0 && n > 0)
		g->temp = (int)v[0];
	else if (strcmp(key, "power") == 0 && n > 0)
		g->power = (int)v[0];
	else if (strcmp(key, "proc") == 0 && n >= 2 &&
	    g->nprocs < FAKE_MAX_PROCS) {
		g->procs[g->nprocs].pid = (unsigned int)v[0];
		g->procs[g->nprocs++].bytes = (unsigned long long)v[1] << 20;
	} else if (strcmp(key, "lost") == 0)
		g->lost_at = n > 0 ? v[0] : 0;
	else if (strcmp(key, "noprocs") == 0)
		g->noprocs = 1;
}

static void
fake_gpu_line(const char *key, char *rest)
{
	char *sp, name[96];
	unsigned long long mem;
	unsigned int mig;
	int count = 1, i, used = 0;

	if (strcmp(key, "gpus") == 0 &&
	    sscanf(rest, "%d %n", &count, &used) < 1)
		return;
	rest += used;
	if (sscanf(rest, "%llu %u %n", &mem, &mig, &used) < 2)
		return;
	snprintf(name, sizeof(name), "%s", rest + used);
	if ((sp = strchr(name, '\n')) != NULL)
		*sp = '\0';
	for (i = 0; i < count; i++)
		fake_gpu_add(mem, mig, name);
}

static void
fake_line(char *line)
{
	char key[16], idx[16];
	int used = 0, i;

	if (line[0] == '#' || sscanf(line, "%15s %n", key, &used) < 1)
		return;
	if (strcmp(key, "init") == 0)
		fake_init_err = atoi(line + used);
	else if (strcmp(key, "stride") == 0)
		fake_stride = atoi(line + used) == 32 ? 32 : 24;
	else if (strcmp(key, "gpus") == 0 || strcmp(key, "gpu") == 0)
		fake_gpu_line(key, line + used);
	else if (sscanf(line + used, "%15s %n", idx, &i) >= 1) {
		char *rest = line + used + i;

		if (strcmp(idx, "*") != 0) {
			if (atoi(idx) >= 0 && atoi(idx) < fake_ngpus)
				fake_values(key, atoi(idx), rest);
			return;
		}
		for (i = 0; i < fake_ngpus; i++) {
			char copy[1024];

			snprintf(copy, sizeof(copy), "%s", rest);
			fake_values(key, i, copy);
		}
	}
}

static void
fake_load(const char *path)
{
	char line[1024];
	FILE *fp;
	int i;

	for (i = 0; i < fake_ngpus; i++)
		fake_steps[i] = fake_gpus[i].step;
	fake_ngpus = 0;
	fake_init_err = 0;
	fake_stride = 24;
	if ((fp = fopen(path, "r")) == NULL) {
		fake_init_err = NVML_ERROR_DRIVER_NOT_LOADED;
		return;
	}
	while (fgets(line, sizeof(line), fp) != NULL)
		fake_line(line);
	fclose(fp);
}

/* Reads the script again when it changed. */
static void
fake_refresh(void)
{
	const char *path = getenv("GPUQ_FAKE_NVML");
	long long now = fake_now_ms();
	struct stat st;

	if (fake_size >= 0 && now - fake_checked_ms < 100)
		return;
	fake_checked_ms = now;
	if (path == NULL || stat(path, &st) != 0) {
		fake_ngpus = 0;
		fake_init_err = NVML_ERROR_DRIVER_NOT_LOADED;
		fake_size = 0;
		return;
	}
	if (st.st_size == fake_size && st.st_mtim.tv_sec == fake_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == fake_mtime.tv_nsec)
		return;
	fake_size = st.st_size;
	fake_mtime = st.st_mtim;
	fake_load(path);
}

/*
 * The GPU behind a handle, or NULL; *err says why not.  A GPU lost from
 * step N answers its Nth utilization query and the queries after it
 * (memory, temperature of the same round) with the error.
 */
static struct fake_gpu *
fake_dev_at(nvmlDevice_t d, nvmlReturn_t *err, int util)
{
	long step;

	struct fake_gpu *g;

	fake_refresh();
	*err = NVML_SUCCESS;
	if (!fake_inited) {
		*err = NVML_ERROR_UNINITIALIZED;
		return NULL;
	}
	if (d == NULL || d->index < 0 || d->index >= fake_ngpus) {
		*err = NVML_ERROR_INVALID_ARGUMENT;
		return NULL;
	}
	g = &fake_gpus[d->index];
	step = util || g->step == 0 ? g->step : g->step - 1;
	if (g->lost_at >= 0 && step >= g->lost_at) {
		*err = NVML_ERROR_GPU_IS_LOST;
		return NULL;
	}
	return g;
}

static struct fake_gpu *
fake_dev(nvmlDevice_t d, nvmlReturn_t *err)
{
	return fake_dev_at(d, err, 0);
}

nvmlReturn_t nvmlInit_v2(void);
nvmlReturn_t nvmlShutdown(void);
const char *nvmlErrorString(nvmlReturn_t r);
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *n);
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d);
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int len);
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int len);
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, struct fake_memory *m);
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d,
    struct fake_utilization *u);
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor,
    unsigned int *t);
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw);
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *cur,
    unsigned int *pend);

nvmlReturn_t
nvmlInit_v2(void)
{
	/* A fresh start: every GPU at its first step. */
	memset(fake_steps, 0, sizeof(fake_steps));
	fake_ngpus = 0;
	fake_size = -1;
	fake_refresh();
	if (fake_init_err != 0)
		return fake_init_err;
	fake_inited = 1;
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlShutdown(void)
{
	fake_inited = 0;
	return NVML_SUCCESS;
}

const char *
nvmlErrorString(nvmlReturn_t r)
{
	switch (r) {
	case NVML_SUCCESS:
		return "Success";
	case NVML_ERROR_UNINITIALIZED:
		return "Uninitialized";
	case NVML_ERROR_NOT_SUPPORTED:
		return "Not Supported";
	case NVML_ERROR_INSUFFICIENT_SIZE:
		return "Insufficient Size";
	case NVML_ERROR_DRIVER_NOT_LOADED:
		return "Driver Not Loaded";
	case NVML_ERROR_GPU_IS_LOST:
		return "GPU is lost";
	default:
		return "Unknown Error";
	}
}

nvmlReturn_t
nvmlDeviceGetCount_v2(unsigned int *n)
{
	fake_refresh();
	if (!fake_inited)
		return NVML_ERROR_UNINITIALIZED;
	*n = (unsigned int)fake_ngpus;
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetHandleByIndex_v2(unsigned int i, nvmlDevice_t *d)
{
	fake_refresh();
	if (!fake_inited)
		return NVML_ERROR_UNINITIALIZED;
	if (i >= (unsigned int)fake_ngpus)
		return NVML_ERROR_INVALID_ARGUMENT;
	*d = &fake_devs[i];
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int len)
{
	struct fake_gpu *g;
	nvmlReturn_t err;

	if ((g = fake_dev(d, &err)) == NULL)
		return err;
	if (strlen(g->name) >= len)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	snprintf(name, len, "%s", g->name);
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int len)
{
	nvmlReturn_t err;

	if (fake_dev(d, &err) == NULL)
		return err;
	if (len < 41)
		return NVML_ERROR_INSUFFICIENT_SIZE;
	snprintf(uuid, len, "GPU-fa4e0000-0000-4000-8000-%012x", d->index);
	return NVML_SUCCESS;
}

/* The value of a per-step list at the GPU's current step. */
static long long
fake_at(const long long *v, int n, long step, long long def)
{
	if (n == 0)
		return def;
	return v[step < n ? step : n - 1];
}

nvmlReturn_t
nvmlDeviceGetMemoryInfo(nvmlDevice_t d, struct fake_memory *m)
{
	struct fake_gpu *g;
	nvmlReturn_t err;
	long long used;

	if ((g = fake_dev(d, &err)) == NULL)
		return err;
	used = fake_at(g->memu, g->nmem, g->step > 0 ? g->step - 1 : 0, 0);
	m->total = g->mem_mb << 20;
	m->used = (unsigned long long)used << 20;
	m->free = m->total > m->used ? m->total - m->used : 0;
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetUtilizationRates(nvmlDevice_t d, struct fake_utilization *u)
{
	struct fake_gpu *g;
	nvmlReturn_t err;
	long long v[FAKE_MAX_STEPS];
	int i;

	if ((g = fake_dev_at(d, &err, 1)) == NULL) {
		if (err == NVML_ERROR_GPU_IS_LOST)
			fake_gpus[d->index].step++;
		return err;
	}
	for (i = 0; i < g->nutil; i++)
		v[i] = g->util[i];
	u->gpu = (unsigned int)fake_at(v, g->nutil, g->step, 0);
	u->memory = u->gpu / 2;
	g->step++;
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t)
{
	struct fake_gpu *g;
	nvmlReturn_t err;

	if ((g = fake_dev(d, &err)) == NULL)
		return err;
	if (sensor != 0)
		return NVML_ERROR_INVALID_ARGUMENT;
	*t = (unsigned int)g->temp;
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *mw)
{
	struct fake_gpu *g;
	nvmlReturn_t err;

	if ((g = fake_dev(d, &err)) == NULL)
		return err;
	*mw = (unsigned int)g->power * 1000;
	return NVML_SUCCESS;
}

nvmlReturn_t
nvmlDeviceGetMigMode(nvmlDevice_t d, unsigned int *cur, unsigned int *pend)
{
	struct fake_gpu *g;
	nvmlReturn_t err;

	if ((g = fake_dev(d, &err)) == NULL)
		return err;
	*cur = *pend = g->mig;
	return NVML_SUCCESS;
}

/*
 * Writes the process records: pid at 0, bytes at 8, then (versioned
 * calls) the instance ids, and with "stride 32" 8 more bytes of zeros.
 */
static nvmlReturn_t
fake_procs(nvmlDevice_t d, unsigned int *count, void *infos, int stride)
{
	unsigned char *p = infos;
	struct fake_gpu *g;
	nvmlReturn_t err;
	unsigned int i;

	if ((g = fake_dev(d, &err)) == NULL)
		return err;
	if (g->noprocs)
		return NVML_ERROR_NOT_SUPPORTED;
	if (*count < (unsigned int)g->nprocs || (infos == NULL && g->nprocs)) {
		*count = (unsigned int)g->nprocs;
		return NVML_ERROR_INSUFFICIENT_SIZE;
	}
	for (i = 0; i < (unsigned int)g->nprocs; i++) {
		memset(p + i * stride, 0, (size_t)stride);
		memcpy(p + i * stride, &g->procs[i].pid, 4);
		memcpy(p + i * stride + 8, &g->procs[i].bytes, 8);
	}
	*count = (unsigned int)g->nprocs;
	return NVML_SUCCESS;
}

#ifdef FAKE_NVML_V1
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t d,
    unsigned int *count, void *infos);

nvmlReturn_t
nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t d, unsigned int *count,
    void *infos)
{
	return fake_procs(d, count, infos, 16);
}
#else
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d,
    unsigned int *count, void *infos);
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t d,
    unsigned int *count, void *infos);

nvmlReturn_t
nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d, unsigned int *count,
    void *infos)
{
	return fake_procs(d, count, infos, fake_stride);
}

nvmlReturn_t
nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t d, unsigned int *count,
    void *infos)
{
	return fake_procs(d, count, infos, 24);
}
#endif
