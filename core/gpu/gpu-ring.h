/*
 * The recent telemetry of every GPU in memory: one bounded ring of rounds
 * (a time and a point per GPU), and bucketed averages read from it.
 * Plain data, no clock: times come in as arguments.
 */
#ifndef GPUQ_GPU_RING_H
#define GPUQ_GPU_RING_H

#include <stddef.h>
#include <stdint.h>

#include "core/gpu/gpu.h"

#define GPU_RING_MAX_ROUNDS 1000000

/* One GPU at one round; -1 where the source gave no value. */
struct gpu_ring_point {
	int16_t util_pct;
	int16_t temp_c;
	int32_t power_w;
	int32_t mem_used_mb;
	int32_t state; /* enum gpu_state */
};

struct gpu_ring {
	size_t cap, len, head; /* rounds; head is the oldest */
	size_t ngpus;
	int64_t *times;             /* cap */
	struct gpu_ring_point *pts; /* cap * ngpus */
};

/* A bucket of step seconds: averages of the points that had a value. */
struct gpu_ring_agg {
	int64_t time;        /* the bucket's start, a multiple of step */
	int32_t util_pct;    /* -1: no point had a value */
	int64_t mem_used_mb; /* -1 likewise */
	int32_t temp_c;      /* -1 likewise */
	int32_t power_w;     /* -1 likewise */
	int32_t n;           /* points in the bucket */
	int32_t lost;        /* a point of the bucket was lost */
};

/* cap rounds (1 .. GPU_RING_MAX_ROUNDS) of ngpus GPUs. */
void gpu_ring_init(struct gpu_ring *r, size_t cap, size_t ngpus);
void gpu_ring_done(struct gpu_ring *r);
/* Appends a round (s: ngpus samples), dropping the oldest when full. */
void gpu_ring_push(struct gpu_ring *r, int64_t t, const struct gpu_sample *s);
/* The time of the oldest round kept, or 0 when empty. */
int64_t gpu_ring_oldest(const struct gpu_ring *r);
/*
 * Buckets of step seconds (>= 1) of GPU g for rounds with since <= time <
 * until, oldest first, at most max into out.  Returns the count.
 */
size_t gpu_ring_query(const struct gpu_ring *r, size_t g, int64_t since,
    int64_t until, int64_t step, struct gpu_ring_agg *out, size_t max);

#endif
