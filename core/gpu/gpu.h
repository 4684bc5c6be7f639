/*
 * GPU inventory and telemetry.  Probes are listed in one table (gpu.c):
 * fake GPUs now, NVML through dlopen later.
 */
#ifndef GPUQ_GPU_H
#define GPUQ_GPU_H

#include <stddef.h>
#include <stdint.h>

#define GPU_MAX      64
#define GPU_MAX_SPEC 256

struct gpu_info {
	int32_t index;
	char uuid[48];  /* GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
	char name[64];  /* "NVIDIA H100 80GB HBM3" */
	char model[32]; /* short model: "H100-80GB" */
	int64_t mem_mb;
};

struct gpu_sample {
	int32_t index;
	int32_t util_pct; /* 0..100 */
	int64_t mem_used_mb;
	int32_t temp_c;
	int32_t power_w;
};

struct gpu_inventory {
	char source[16]; /* "fake", "nvml" */
	size_t ngpus;
	struct gpu_info gpus[GPU_MAX];
};

/*
 * Parses a fake GPU spec "8:H100-80GB" or "4:A100-40GB,2:T4-16GB" (a model
 * is NAME-<N>GB, or a known short name).  host seeds the UUIDs so they are
 * stable across restarts.  Returns 0 or GQ_EINVAL with cause.
 */
int gpu_fake_parse(const char *spec, const char *host,
    struct gpu_inventory *inv, char *cause, size_t n);
/*
 * Plausible telemetry for a fake GPU: alloc_milli is what jobs hold on it,
 * t the time in seconds; deterministic in its arguments.
 */
void gpu_fake_sample(const struct gpu_info *g, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out);

#endif
