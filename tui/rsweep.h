/*
 * The workbench's copy of sweeps (docs/protocol/sweep.*.md): the rows of
 * sweep.list, and one sweep's trials from sweep.show, kept live by the
 * sweep.state and sweep.trial events.  Pure: JSON in, tables out; nothing
 * the daemon sends is trusted (a mistyped member reads as absent).
 */
#ifndef GPUQ_RSWEEP_H
#define GPUQ_RSWEEP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define RSWEEP_MAX        10000 /* sweeps or trials kept */
#define RSWEEP_MAX_PARAMS 16    /* parameter columns */
#define RSWEEP_MAX_POINTS 512   /* points of one trial's curve */
#define RSWEEP_TEXT_MAX   256   /* bytes kept of a name, a reason */

enum rsweep_count {
	RSWEEP_PENDING,
	RSWEEP_RUNNING,
	RSWEEP_COMPLETED,
	RSWEEP_FAILED,
	RSWEEP_STOPPED,
	RSWEEP_CANCELLED,
	RSWEEP_NCOUNTS
};

/* One sweep object. */
struct rsweep {
	int64_t id;
	char *name, *user, *project, *state, *method, *metric, *reason;
	int minimize; /* the metric's goal */
	char *rule;   /* early_terminate's type ("hyperband"), or NULL */
	int64_t budget, parallel, started, created, ended, gpu_seconds;
	int64_t counts[RSWEEP_NCOUNTS];
	int have_best;
	double best;
	int64_t best_trial, best_job;
	char *best_params; /* "lr=0.01 batch_size=64", or NULL */
};

/* One trial of a sweep. */
struct rtrial {
	int64_t trial, job;
	char *state; /* "RUNNING", "STOPPED", ... */
	char **vals; /* one text per parameter column, owned */
	int have_step, have_metric, have_best;
	int64_t step;
	double metric, best;
	char *stopped; /* why it was stopped early, or NULL */
	/* The curve: (step, metric) points, oldest first. */
	double *px, *py;
	size_t np;
};

/* The sweeps of sweep.list, in the daemon's order. */
struct rsweep_list {
	struct rsweep *s;
	size_t n;
	unsigned gen; /* bumped on every change */
};

/* One sweep and its trials, from sweep.show. */
struct rsweep_show {
	struct rsweep s;
	int have; /* a reply was applied */
	char *pnames[RSWEEP_MAX_PARAMS];
	size_t npar;
	struct rtrial *tr;
	size_t ntr, cap;
	unsigned gen;
};

/* The number of trials that ended (completed, failed, stopped, cancelled). */
int64_t rsweep_done(const struct rsweep *s);
/* "12/64" trials done of the budget, into out. */
char *rsweep_progress(const struct rsweep *s, char *out, size_t n);

void rsweep_list_init(struct rsweep_list *l);
void rsweep_list_done(struct rsweep_list *l);
/* Applies a sweep.list result; returns how many sweeps it held. */
size_t rsweep_list_apply(struct rsweep_list *l, const json_t *result);
/*
 * Applies a sweep object (a sweep.state event's "sweep", or a verb's
 * answer): replaces the sweep with its id, or adds it at the end.
 * Returns 1 when applied, 0 when it was no sweep.
 */
int rsweep_list_put(struct rsweep_list *l, const json_t *sweep);
/* The sweep with this id (borrowed), or NULL. */
const struct rsweep *rsweep_list_find(const struct rsweep_list *l, int64_t id);

void rsweep_show_init(struct rsweep_show *d);
void rsweep_show_done(struct rsweep_show *d);
/* Applies a sweep.show result (with or without series). */
void rsweep_show_apply(struct rsweep_show *d, const json_t *result);
/*
 * Applies a sweep.trial event's data when it is about this sweep: updates
 * the trial's state, step and metric, adds a point to its curve when the
 * step is new.  Returns 1 when applied, 2 when the trial is new to gpuq
 * (its parameters come only with sweep.show: ask again), 0 when the
 * event is about another sweep or malformed.
 */
int rsweep_show_trial(struct rsweep_show *d, const json_t *data);
/* The index of the trial with the best value so far, or -1. */
long rsweep_show_best(const struct rsweep_show *d);
/*
 * The range of every curve's values (for one scale across trials);
 * returns 0 when no trial has a point.
 */
int rsweep_show_range(const struct rsweep_show *d, double *lo, double *hi);
/*
 * A trial's curve as levels 0..100 for graph_spark (the last n points at
 * most, into v); lo and hi from rsweep_show_range.  Returns the count.
 */
size_t rsweep_curve(const struct rtrial *tr, double lo, double hi, uint8_t *v,
    size_t n);

#endif
