/*
 * The sweep runner inside gpuqd (issue 7): sweeps and their trials in
 * memory, the turn that keeps `parallel` trials queued, the metrics
 * reader and early termination.  The engine (core/sweep/) decides; this
 * carries its decisions out as jobs.  docs/sweeps.md explains it for users.
 *
 * Order inside one loop turn, so a stopped trial's GPU share goes to the
 * next trial in the same plan: the tick reads metrics (metrics.c) and
 * stops losing trials (their jobs are cancelled: their room is "stopping"
 * to the policy); then, just before the plan, sweepd_turn creates and
 * submits the next trials; then the policy plans with both in view.
 */
#ifndef GPUQ_SWEEPD_H
#define GPUQ_SWEEPD_H

#include <stdint.h>

#include <jansson.h>

#include "core/store/store-sweep.h"
#include "core/sweep/sweep.h"

struct daemon;
struct conn;
struct job;

#define SWEEPD_CURVE_MAX   512   /* metric reports kept in memory a trial */
#define SWEEPD_POINTS_MAX  10000 /* points stored a trial (thinned) */
#define SWEEPD_READ_CHUNK  (64 * 1024)       /* bytes read a stream a tick */
#define SWEEPD_READ_TICK   (2 * 1024 * 1024) /* bytes read a tick, in all */
#define SWEEPD_BACKLOG_MAX (4 * 1024 * 1024) /* unread bytes before a skip */
#define SWEEPD_MAX_KEYS    64                /* metrics remembered a trial */
#define SWEEPD_MAX_NAME    64
#define SWEEPD_MAX_FAILED  5 /* failures in a row that stop a sweep */

/* A trial in memory: its row, its point and a bounded metric curve. */
struct strial {
	struct store_trial rec; /* strings owned */
	struct sweep_point point;
	struct sweep_obs *curve; /* SWEEPD_CURVE_MAX at most, by step */
	size_t ncurve;
	json_t *metrics;  /* last value of each metric (owned) */
	int dirty;        /* rec must be written */
	int drained;      /* ended, and its files are read */
	int skip_metrics; /* inside an overlong line of that stream */
	int skip_stdout;
};

struct sweep {
	struct store_sweep rec; /* strings owned */
	struct sweep_spec *spec;
	int64_t budget;         /* trials in all; -1: until stopped */
	struct strial **trials; /* by trial number (1-based: trials[n-1]) */
	size_t ntrials, cap;
	size_t first_live; /* trials before it ended and were read */
	int exhausted;     /* the strategy has nothing more to propose */
	int nfailed;       /* trials in a row that failed without metrics */
	int judged;        /* new metrics since the last early check */
};

/* A trial job's link to its sweep, kept in job id order. */
struct sweepd_link {
	int64_t job_id;
	struct sweep *sw;
	struct strial *tr;
};

struct sweepd {
	struct sweep **sweeps; /* by id */
	size_t n, cap;
	int64_t next_id;
	struct sweepd_link *links;
	size_t nlinks, cap_links;
	struct conn *as; /* the owner a trial is submitted as */
	size_t rr;       /* where the metrics reader starts next tick */
};

/* sweepd.c: the table, loading, the turn. */
/* The daemon's table of sweeps, made on first use (borrowed). */
struct sweepd *sweepd_table(struct daemon *d);
void sweepd_load(struct daemon *d);
void sweepd_free(struct daemon *d);
/* Before each plan: trial states, new trials, finished sweeps. */
void sweepd_turn(struct daemon *d, int64_t now);
/* Every tick: metrics, then early termination. */
void sweepd_tick(struct daemon *d, int64_t now);
struct sweep *sweepd_find(struct daemon *d, int64_t id);
/* The trial a job runs, or NULL. */
struct sweepd_link *sweepd_link_find(struct daemon *d, int64_t job_id);
/* Appends a trial (stolen) to its sweep and links its job. */
void sweepd_trial_add(struct daemon *d, struct sweep *sw, struct strial *tr);
/* Takes the last trial back out and frees it. */
void sweepd_trial_pop(struct daemon *d, struct sweep *sw);
/* Trials in all: the file's `trials`, a grid's size, or -1 (unbounded). */
int64_t sweepd_budget(const struct sweep_spec *s);
/* Adds a sweep (stolen) to the table. */
void sweepd_add(struct daemon *d, struct sweep *sw);
void sweepd_sweep_free(struct sweep *sw);
/* Changes a sweep's state; stop also cancels its live trials. */
void sweepd_set_state(struct daemon *d, struct sweep *sw, const char *state,
    int64_t now, const char *reason);
/* Creates trials until `parallel` are live (running sweeps only). */
void sweepd_fill(struct daemon *d, struct sweep *sw, int64_t now);
/* Writes a sweep's or a trial's row into the turn's transaction. */
void sweepd_save(struct daemon *d, struct sweep *sw);
void sweepd_trial_save(struct daemon *d, struct strial *tr);
/* The trial with the best value so far, or NULL. */
struct strial *sweepd_best(const struct sweep *sw);
/* The engine's state of a trial, from its job. */
enum sweep_trial_state sweepd_trial_state(struct daemon *d,
    const struct strial *tr);
/*
 * 1 while the trial counts against `parallel`: its job is PENDING or
 * RUNNING and not being stopped (a stopped trial's room is the next's).
 */
int sweepd_trial_live(struct daemon *d, const struct strial *tr);
/* The engine's view of every trial (new array; pointers borrowed). */
struct sweep_trial *sweepd_engine_trials(struct daemon *d, struct sweep *sw);

/* sweepd-trial.c: a new trial as a job. */
/*
 * Proposes and submits the next trial.  Returns 1 when one was made, 0
 * when the sweep has no more to start, or a GQ_E* code with *cause (new).
 */
int sweepd_trial_new(struct daemon *d, struct sweep *sw, int64_t now,
    char **cause);
/*
 * The job.submit params of a trial (new): the sweep's command, resources
 * and environment for point p; job_id is the id the job will get.
 */
json_t *sweepd_trial_params(struct daemon *d, const struct sweep *sw,
    int64_t trial, int64_t job_id, const struct sweep_point *p, char **cause);
/* Runs job.submit for params as the sweep's owner (steals params). */
int sweepd_trial_submit(struct daemon *d, const struct sweep *sw,
    json_t *params, int dry, json_t **result, char **cause);
/* Stops a trial early: cancels its job with the engine's reason. */
void sweepd_trial_stop(struct daemon *d, struct sweep *sw, struct strial *tr,
    const struct sweep_decision *dc, int64_t now);
void sweepd_trial_free(struct strial *tr);
/* Adds one metric report to the trial's bounded curve. */
void sweepd_curve_add(const struct sweep *sw, struct strial *tr, int64_t step,
    double value);

/* sweepd-json.c: the sweep and trial objects of docs/PROTOCOL.md. */
json_t *sweepd_json_sweep(struct daemon *d, const struct sweep *sw, int detail);
json_t *sweepd_json_trial(struct daemon *d, const struct sweep *sw,
    const struct strial *tr);
const char *sweepd_trial_state_name(struct daemon *d, const struct strial *tr);
void sweepd_emit_state(struct daemon *d, const struct sweep *sw);
void sweepd_emit_trial(struct daemon *d, const struct sweep *sw,
    const struct strial *tr);
/* Adds "sweep": {id, trial} to a trial job's object. */
void sweepd_json_job(struct daemon *d, const struct job *j, json_t *o);
/* 1 when a is better than b by the sweep's goal. */
int sweepd_better(const struct sweep *sw, double a, double b);

/* metrics.c: reading what trials report. */
/*
 * Reads new metric lines of every live trial.  Returns METRICS_NEW when
 * any arrived, METRICS_DRAINED when an ended trial was read to its end.
 */
#define METRICS_NEW     1
#define METRICS_DRAINED 2
int metrics_tick(struct daemon *d, int64_t now);
/* Where a trial's GPUQ_METRICS_FILE is (new string). */
char *metrics_path(struct daemon *d, int64_t job_id);

/* Verbs' shared checks. */
int sweepd_params_sweep(struct daemon *d, json_t *params, struct sweep **out,
    char **cause);
int sweepd_may_change(const struct conn *c, const struct sweep *sw,
    char **cause);
/*
 * sweep.pause and sweep.resume: moves a running or paused sweep named by
 * v's params to state to ("paused" or "running"); *result is new.
 */
struct verb_ctx;
int sweepd_verb_pause_resume(struct verb_ctx *v, const char *to,
    json_t **result, char **cause);

#endif
