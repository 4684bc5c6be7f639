/*
 * Sweeps in the store: the sweeps, their trials and the trials' metric
 * points (tables of migration 3 in store.c).  Writes join the daemon's
 * open transaction (store_begin), so a trial row and its job commit
 * together.
 */
#ifndef GPUQ_STORE_SWEEP_H
#define GPUQ_STORE_SWEEP_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* A sweep's row.  Strings are owned by the record. */
struct store_sweep {
	int64_t id;
	char *name;
	char *user;
	int64_t uid, gid;
	char *project;
	char *state; /* "running", "paused", "stopped", "done" */
	char *spec;  /* the sweep file as JSON */
	int64_t seed;
	char *rng;     /* the strategy's state (PRNG and all) as JSON */
	char *workdir; /* where trials start */
	char *env;     /* the trials' environment, a JSON object */
	int64_t created, ended;
	char *reason; /* or NULL */
	int64_t next_trial;
};

/* A trial's row.  Strings are owned by the record. */
struct store_trial {
	int64_t sweep_id, trial, job_id;
	char *params; /* JSON object */
	char *state;  /* a job state name, or "STOPPED" */
	int has_step, has_last, has_best;
	int64_t step;
	double last, best;
	char *metrics;       /* last value of every metric (JSON), or NULL */
	char *stopped_early; /* why, or NULL */
	int64_t npoints;     /* points stored */
	int64_t seq;         /* points reported so far */
	int64_t stride;      /* every stride-th reported point is stored */
	int64_t dropped;     /* lines not used */
	int64_t metrics_off; /* bytes of GPUQ_METRICS_FILE read */
	int64_t stdout_off;  /* bytes of the stdout log read */
};

/* Inserts or replaces a sweep or a trial.  0 or GQ_EIO. */
int store_sweep_put(struct store *st, const struct store_sweep *s);
int store_trial_put(struct store *st, const struct store_trial *t);
/*
 * Calls cb for every sweep in id order, then (store_trial_load_all) for
 * every trial in (sweep, trial) order; cb steals the record.  A non-zero
 * return from cb stops the walk and is returned.
 */
int store_sweep_load_all(struct store *st,
    int (*cb)(struct store_sweep *s, void *arg), void *arg);
int store_trial_load_all(struct store *st,
    int (*cb)(struct store_trial *t, void *arg), void *arg);
/* Frees a record's strings and the record (NULL is fine). */
void store_sweep_free(struct store_sweep *s);
void store_trial_free(struct store_trial *t);

/* One metric point: the seq-th value the trial reported, at step. */
struct store_point {
	int64_t seq, step;
	double value;
};

/* Stores n points of a trial. */
int store_point_add(struct store *st, int64_t sweep_id, int64_t trial,
    const struct store_point *p, size_t n);
/* Keeps only the points whose seq is a multiple of stride. */
int store_point_thin(struct store *st, int64_t sweep_id, int64_t trial,
    int64_t stride);
/* Calls cb for each stored point of a trial, by seq. */
int store_point_each(struct store *st, int64_t sweep_id, int64_t trial,
    void (*cb)(const struct store_point *p, void *arg), void *arg);

#endif
