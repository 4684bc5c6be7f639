/*
 * What the replica's files (replica.c, replica-life.c, replica-gpu.c)
 * share and nothing else uses: tolerant JSON readers, the event ring, the
 * GPU history ring.
 */
#ifndef GPUQ_REPLICA_INT_H
#define GPUQ_REPLICA_INT_H

#include <stdint.h>

#include <jansson.h>

#include "tui/replica.h"

/* A missing or mistyped member reads as def (or NULL). */
int64_t replica_int(const json_t *o, const char *k, int64_t def);
int32_t replica_int32(const json_t *o, const char *k, int32_t def);
const char *replica_str(const json_t *o, const char *k);
/* v of `of` as a percentage, 0..100. */
int replica_pct(int64_t v, int64_t of);
/* Adds a line to the event ring (steals text). */
void replica_event_add(struct replica *r, int64_t seq, int64_t now,
    enum revent_level level, int64_t job, char *text);
/* Adds g's current utilization and memory as a history sample. */
void replica_hist_push(struct rgpu *g);

/* replica-life.c */
void replica_life_fill(struct replica *r, struct rjob *j, const json_t *o);
/* job.idle; returns 1 when a job changed. */
int replica_life_idle(struct replica *r, int64_t seq, const json_t *data,
    int64_t now);
/* sweep.state, sweep.trial: a line of the Events view when it says much. */
void replica_life_sweep(struct replica *r, const char *name, int64_t seq,
    const json_t *data, int64_t now);

/* replica-gpu.c */
void replica_gpu_sample(struct replica *r, const json_t *data);

#endif
