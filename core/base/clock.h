/*
 * The monotonic clock, for timeouts and deadlines at the edges (never
 * for the pure core, which is given its time).
 */
#ifndef GPUQ_CLOCK_H
#define GPUQ_CLOCK_H

#include <stdint.h>

/* Milliseconds of CLOCK_MONOTONIC: only differences mean anything. */
int64_t clock_mono_ms(void);

#endif
