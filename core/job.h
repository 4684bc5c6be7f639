/*
 * A job as the daemon keeps it: the scheduler's view (core) plus what is
 * needed to run it and tell its story.  Plain data; no I/O.
 */
#ifndef GPUQ_JOB_H
#define GPUQ_JOB_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/model.h"
#include "core/sched.h"

#define JOB_MAX_ARGS     4096
#define JOB_MAX_ENV      4096
#define JOB_MAX_ARGBYTES (256 * 1024) /* argv and env together */
#define JOB_MAX_REASON   512

struct job {
	struct job_core core;
	char *name;  /* owned */
	char **argv; /* owned, NULL-terminated; argc entries */
	size_t argc;
	char **env; /* owned "K=V", NULL-terminated */
	size_t nenv;
	char *workdir; /* owned */
	char *key;     /* owned idempotency key, or NULL */
	uid_t uid;     /* the submitting user */
	gid_t gid;
	int64_t start_time;   /* 0 until started */
	int64_t end_time;     /* 0 until ended */
	int exit_code;        /* -1 unless it exited */
	int exit_signal;      /* 0 unless a signal ended it */
	char *reason;         /* owned: why it failed or was cancelled */
	int32_t attempt;      /* start attempts so far */
	int32_t kill_grace_s; /* SIGTERM to SIGKILL on cancel */
	int64_t sup_pid;      /* the supervisor holding it, while running */
	uint64_t sup_start;   /* its start time in clock ticks (pid reuse) */
	/*
	 * Why a running job is being stopped: 0, JOB_CANCELLED or
	 * JOB_TIMEOUT.  Persisted, so the end is named right after a restart.
	 */
	int32_t end_intent;
	/* Not persisted: recomputed by every plan. */
	enum wait_reason wait;
	int32_t position;
	size_t active_idx; /* slot in the daemon's active list */
	void *rt;          /* the daemon's runtime state; not owned */
	/* Swap-out (issue 3).  Persisted: */
	int32_t ckpt_signal; /* sent to swap it out; 0: SIGTERM */
	int32_t preemptions; /* times it was swapped out */
	/* Not persisted, from every plan: */
	struct waiting plan_wait; /* PENDING: reason, position, ETA, hint */
	struct risk plan_risk;    /* RUNNING: how safe from swap-out */
};

/*
 * end_intent of a running job being swapped out: it goes back to PENDING
 * when it ends, not to a final state.
 */
#define JOB_INTENT_REQUEUE 100

struct job *job_new(void);
void job_free(struct job *j);
/* Replaces the reason (copied, truncated to JOB_MAX_REASON). */
void job_set_reason(struct job *j, const char *reason);
/* Sets argv/env from arrays (copied). */
void job_set_argv(struct job *j, const char *const *argv, size_t argc);
void job_set_env(struct job *j, const char *const *env, size_t nenv);

#endif
