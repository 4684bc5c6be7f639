/*
 * The scenario runner: a cluster, projects, a queue and now go in; the
 * plan comes out and is compared with what the file expects.  README.md
 * in this directory describes the format.
 */
#ifndef GPUQ_SCN_H
#define GPUQ_SCN_H

#include <stdint.h>
#include <stdio.h>

#include "core/model.h"
#include "core/project.h"
#include "core/sched.h"

#define SCN_MAX_TOKENS 48
#define SCN_NEVER      INT64_MAX

/* A job of the scenario and what became of it. */
struct scn_job {
	struct job_core core;
	struct alloc gang[MODEL_MAX_GANG_NODES]; /* a gang's other nodes */
	struct alloc pin;                        /* pending: pinned here */
	int has_pin;
	int fresh; /* "new": decided by the quick path in "expect quick" */
	int64_t runtime;     /* how long it really runs; 0: its limit */
	int64_t end_at;      /* RUNNING: when it ends, or SCN_NEVER */
	int64_t stop_at;     /* stopping: when it is requeued */
	int64_t first_start; /* 0 until it started once */
	int64_t done;        /* when it ended, 0 */
	int32_t starts, preempts;
	int32_t line;
};

struct scn {
	const char *file;
	int32_t line;
	struct cluster c; /* capacity: free fields full */
	struct projects p;
	int projects_given;
	struct usage_book usage;
	struct scn_job *jobs;
	size_t njobs, cap_jobs;
	int64_t now0, now;
	const struct sched_policy *policy;
	struct plan plan; /* the last plan */
	int failures;
	int verbose;
	int in_expect;
	int quick;            /* planning for "expect quick" (sched-quick.h) */
	char want_error[256]; /* config-error: a failure that must come */
	int error_seen;
};

/* scn.c */
int scn_fail(struct scn *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Splits a line into tokens (double quotes group); returns how many. */
int scn_tokens(char *line, char **tok, int max);
/* "+1h", "-30m", "0" relative to now0; 0 or -1. */
int scn_time(struct scn *s, const char *v, int64_t *out);
struct scn_job *scn_job_find(struct scn *s, int64_t id);
int32_t scn_node_find(struct scn *s, const char *name);
/* Runs the policy on the state now into s->plan (3 orders, compared). */
int scn_plan(struct scn *s);
/* Writes the plan, one canonical line per decision, to fp. */
void scn_dump(struct scn *s, const struct plan *p, FILE *fp);

/* scn-expect.c */
int scn_expect_line(struct scn *s, char **tok, int n);
/* Checks that every start and preempt of the plan was expected. */
void scn_expect_end(struct scn *s);
/* Starts an expect block; history: checks of a run only, no plan. */
void scn_expect_begin(struct scn *s, int history);

/* scn-sim.c: time passing. */
/* Carries out s->plan, then advances until now + dur, planning again at
 * each event. */
int scn_run(struct scn *s, int64_t dur);
/* Carries out s->plan once (starts and preempts) at s->now. */
void scn_apply(struct scn *s);

#endif
