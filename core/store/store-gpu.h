/*
 * GPU telemetry and accounting in the store (tables made by the GPU
 * migration in store.c): per-minute rollups of each GPU, and per job and
 * hour what it was given and what it used.  Writes go into the open
 * transaction (store_begin); the daemon commits once per loop turn.
 */
#ifndef GPUQ_STORE_GPU_H
#define GPUQ_STORE_GPU_H

#include <stdint.h>

struct store;

/* One GPU over one minute.  Averages of the values that were known. */
struct store_gpu_rollup {
	int32_t gpu;
	int64_t minute;  /* start, seconds since the epoch, a multiple of 60 */
	int32_t samples; /* rounds in the minute */
	int32_t util_avg, util_max; /* percent; -1 unknown */
	int64_t mem_avg_mb, mem_max_mb;
	int32_t temp_max, power_avg;
	int32_t lost; /* rounds the GPU was lost */
};

/* What a job was given and used, summed over a span of time. */
struct store_gpu_usage {
	int64_t job_id;
	int64_t hour;       /* start of the hour (in a put) */
	double alloc_gpu_s; /* GPU-seconds held (a half share: 0.5/s) */
	double used_gpu_s;  /* GPU-seconds used (held times utilization) */
	double idle_gpu_s;  /* GPU-seconds held under the idle threshold */
	int64_t peak_mem_mb;
	int32_t samples;
};

/* Writes (or replaces) a minute. */
int store_gpu_rollup_put(struct store *st, const struct store_gpu_rollup *r);
/*
 * Calls cb for the minutes of GPU gpu (-1: all) with since <= minute <
 * until, by GPU then time.  0 or GQ_EIO.
 */
int store_gpu_rollup_each(struct store *st, int32_t gpu, int64_t since,
    int64_t until, void (*cb)(const struct store_gpu_rollup *r, void *arg),
    void *arg);
/* Forgets minutes before before. */
int store_gpu_rollup_prune(struct store *st, int64_t before);

/* Adds u's amounts to its (job, hour); the peak is the larger one. */
int store_gpu_usage_add(struct store *st, const struct store_gpu_usage *u);
/*
 * Calls cb once per job with usage in hours >= since_hour, summed (hour is
 * the job's first such hour); job_id > 0 limits it to that job.
 */
int store_gpu_usage_each(struct store *st, int64_t since_hour, int64_t job_id,
    void (*cb)(const struct store_gpu_usage *u, void *arg), void *arg);
/* Forgets hours before before. */
int store_gpu_usage_prune(struct store *st, int64_t before);

#endif
