/*
 * GPU inventory and telemetry.  Probes are listed in one table (gpu.c):
 * fake GPUs (--fake-gpus), NVML through dlopen (gpu-nvml.c), the
 * nvidia-smi program (gpu-smi.c).  docs/gpu.md tells what each one gives.
 *
 * Nothing here touches the event loop: a probe answers when asked, and a
 * slow source (nvidia-smi) runs as a child process that the sampler reads
 * without blocking.
 */
#ifndef GPUQ_GPU_H
#define GPUQ_GPU_H

#include <stddef.h>
#include <stdint.h>

#define GPU_MAX       64
#define GPU_MAX_SPEC  256
#define GPU_MAX_PROCS 1024 /* compute processes read per GPU */

struct gpu_info {
	int32_t index;
	char uuid[48];  /* GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx */
	char name[64];  /* "NVIDIA H100 80GB HBM3" */
	char model[32]; /* short model: "H100-80GB" */
	int64_t mem_mb;
	int32_t mig;  /* 1: MIG mode is on (the GPU is cut into slices) */
	int32_t lost; /* 1: already unreachable when the inventory was read */
};

enum gpu_state {
	GPU_OK,
	GPU_LOST,  /* fallen off the bus: NVML_ERROR_GPU_IS_LOST */
	GPU_ERROR, /* the source gave nothing usable this time */
};

/* One reading.  A value the source did not give is -1. */
struct gpu_sample {
	int32_t index;
	int32_t util_pct; /* 0..100 */
	int64_t mem_used_mb;
	int32_t temp_c;
	int32_t power_w;
	int32_t state; /* enum gpu_state */
};

struct gpu_inventory {
	char source[16]; /* "fake", "nvml", "nvidia-smi" */
	size_t ngpus;
	struct gpu_info gpus[GPU_MAX];
};

/* A compute process on a GPU; mem_mb -1 when the driver does not say. */
struct gpu_proc {
	int32_t pid;
	int64_t mem_mb;
};

/* How to find the GPUs. */
struct gpu_opts {
	const char *probe;     /* "auto" (or NULL), "fake", "nvml", ... */
	const char *fake_spec; /* --fake-gpus; set: the fake probe */
	const char *host;      /* seeds the fake UUIDs */
	const char *nvml_lib;  /* NULL: "libnvidia-ml.so.1" */
	const char *smi_path;  /* NULL: "nvidia-smi" on PATH */
	int32_t interval_ms;   /* how often the sampler will ask */
};

/* An open probe.  Owned by whoever opened it; gpu_close frees it. */
struct gpu_dev;

/*
 * Finds the GPUs: the fake spec if given, else the probe named (or, for
 * "auto", NVML, then nvidia-smi, then none).  Fills inv and returns 0 with
 * *out (new; an "auto" search that finds nothing gives a probe with no
 * GPUs), or GQ_EINVAL / GQ_EIO with a reason in cause (n bytes).
 */
int gpu_open(const struct gpu_opts *o, struct gpu_dev **out,
    struct gpu_inventory *inv, char *cause, size_t n);
void gpu_close(struct gpu_dev *g);
/* "fake", "nvml", "nvidia-smi" or "none" (borrowed). */
const char *gpu_source(const struct gpu_dev *g);
/* True when samples are made up from what jobs hold (fake GPUs). */
int gpu_synthetic(const struct gpu_dev *g);
/* True when the source tells each process's GPU memory. */
int gpu_has_procs(const struct gpu_dev *g);
/*
 * Called once before the GPUs of a round are sampled: a source that
 * reads a child process drains what it printed, restarting it if it died.
 */
void gpu_round(struct gpu_dev *g, int64_t now);
/*
 * Reads GPU i.  alloc_milli and alloc_mem_mb are what jobs hold on it,
 * used by fake GPUs only; t is the time in seconds.
 */
void gpu_sample(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out);
/*
 * The compute processes on GPU i, at most max into out, their count in
 * *n.  0; GQ_ENOSYS when the source cannot tell; GQ_EIO when it failed
 * this time (the GPU is lost, say).
 */
int gpu_procs(struct gpu_dev *g, int32_t i, struct gpu_proc *out, size_t max,
    size_t *n);

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
/*
 * The short model of a GPU as NVML names it: "NVIDIA H100 80GB HBM3"
 * with 81559 MiB is "H100-80GB", "Tesla T4" is "T4" (the names of the
 * fake models where they match), else the first word with a digit and the
 * memory in GB ("NVIDIA RTX A6000", 49140 MiB: "A6000-48GB").
 */
void gpu_fake_model_of(const char *name, int64_t mem_mb, char *out, size_t n);

/*
 * Reads /proc/PID/stat: the parent, process group and session of pid.
 * 0, or GQ_ENOENT when there is no such process.
 */
int gpu_pid_ids(int32_t pid, int32_t *ppid, int32_t *pgrp, int32_t *sid);
/*
 * True when an MPS control daemon listens in dir (its "control" socket or
 * pipe is there).  dir NULL: $CUDA_MPS_PIPE_DIRECTORY or /tmp/nvidia-mps.
 */
int gpu_mps_active(const char *dir);

#endif
