/*
 * GPU telemetry in the daemon (telemetry.c, telemetry-jobs.c): a timer
 * samples every GPU, keeps recent rounds in a ring, writes per-minute
 * rollups to the store, ties GPU processes to jobs, counts what each job
 * was given and used, notices idle jobs and memory overruns, and labels
 * how each job's GPU share is enforced.  docs/gpu.md is the user's view.
 */
#ifndef GPUQ_TELEMETRY_H
#define GPUQ_TELEMETRY_H

#include "core/daemon/daemon.h"
#include "core/gpu/gpu-ring.h"

/* One GPU as the sampler last saw it, and its minute being summed. */
struct tel_gpu {
	struct gpu_sample last;
	int64_t last_time;
	int lost;               /* reported lost (and out of the scheduler) */
	int procs_ok;           /* its last process query answered */
	int32_t alloc_milli;    /* what running jobs hold, this round */
	int64_t foreign_mb;     /* memory of processes of no job */
	int32_t nforeign;       /* how many such processes */
	int64_t minute;         /* the minute being summed */
	int32_t n, nlost;       /* rounds in it, rounds lost */
	int32_t cnt[4];         /* rounds with util, mem, temp, power */
	int64_t sum[4], max[4]; /* same order */
};

/* A running job as the sampler follows it. */
struct tel_job {
	int64_t id;
	int32_t sid;                        /* its supervisor's session */
	int64_t mem_mb[MODEL_MAX_JOB_GPUS]; /* per alloc slot; -1 unknown */
	/* Usage not yet written to the store, for hour. */
	int64_t hour;
	double alloc_s, used_s, idle_s;
	int64_t peak_mb;
	int32_t samples;
	/* Idle: under the threshold since low_since (0: not under). */
	int64_t low_since;
	double low_sum;
	int32_t low_n;
	int idle;
	int64_t idle_since;
	int32_t idle_util;
	int overrun; /* a memory overrun was reported */
	int seen;    /* still running this round */
};

struct telemetry {
	struct daemon *d;
	uv_timer_t timer;
	int timer_on;
	struct gpu_dev *dev;
	struct gpu_ring ring;
	struct tel_gpu gpus[GPU_MAX];
	struct tel_job *jobs;
	size_t njobs, cap_jobs;
	struct gpu_proc procs[GPU_MAX_PROCS];
	int mps;          /* an MPS control daemon was there last round */
	uint64_t last_ms; /* the loop's clock at the last round */
	int64_t last_round, last_flush, last_prune;
	uint64_t rounds;
};

/* server.c: finds the GPUs (fills d->inv and d->gpu_ids). */
int telemetry_open(struct daemon *d);
/* server.c: starts sampling, once the loop, jobs and cluster are ready. */
void telemetry_start(struct daemon *d);
/* server.c: stops sampling and writes what is not yet in the store. */
void telemetry_stop(struct daemon *d);
/* server.c: after the loop has closed its handles. */
void telemetry_free(struct daemon *d);
/* server.c: SIGHUP, with the fresh configuration. */
void telemetry_reload(struct daemon *d, struct config *fresh);
/* run.c: before a job starts: its enforcement and MPS limits. */
void telemetry_job_start(struct daemon *d, struct job *j);
/* jobjson.c: "enforcement", "idle" (and "gpu_usage" with detail). */
void telemetry_jobjson(struct daemon *d, const struct job *j, json_t *o,
    int detail);
/* verb-cluster-status.c: GPU i's latest reading (made up for fakes). */
void telemetry_gpu_sample(struct daemon *d, int32_t i, int32_t milli,
    int64_t mem, int64_t now, struct gpu_sample *out);
/* verb-cluster-status.c: unknown readings as null, "state", "mig". */
void telemetry_gpu_json(struct daemon *d, int32_t i, json_t *o);

/* Internal to telemetry*.c and the gpu/usage verbs. */
/* This host's node: its index, or -1 when jobs run on the executor's own
 * nodes (slurm), where this host's GPUs hold none of them. */
int32_t telemetry_node(struct daemon *d);
/* A job's label (borrowed), and in *via (may be NULL) what holds it to its
 * share where the executor places jobs itself ("slurm shard"), or NULL. */
const char *telemetry_enforcement(struct daemon *d, const struct job *j,
    const char **via);
void telemetry_jobs_round(struct telemetry *t, const struct gpu_sample *s,
    int64_t now, double dt);
void telemetry_jobs_flush(struct telemetry *t, int all);
struct tel_job *telemetry_job_find(struct telemetry *t, int64_t id);

#endif
