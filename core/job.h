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
	/* A verb's job.state event showed the standing from before its
	 * change: the next plan sends another (run-deps.c). */
	int32_t standing_owed;
	/*
	 * Swap, dependencies, hold (issue 6, docs/swap.md): owned, NULL
	 * while the job has none of them.  Persisted (the "life" column).
	 */
	struct job_life *life;
	/*
	 * "K=V" the daemon adds to the environment of this start: how the
	 * GPU share is enforced, MPS limits (telemetry-label.c).  Owned,
	 * NULL-terminated, or NULL.  Not persisted; j->env stays the user's.
	 */
	char **xenv;
};

/* How a job is swapped out (docs/swap.md). */
enum job_swap_mech {
	JOB_SWAP_NONE,
	JOB_SWAP_CUDA,   /* cuda-checkpoint, then SIGSTOP: GPUs freed */
	JOB_SWAP_SIGNAL, /* checkpoint signal, grace, requeue */
	JOB_SWAP_STOP,   /* SIGSTOP: GPU memory stays, compute freed */
};

/* The swap operation in flight with the executor. */
enum job_swap_op { JOB_SWAP_OP_NONE, JOB_SWAP_OP_SUSPEND, JOB_SWAP_OP_RESUME };

#define JOB_MAX_DEPS 64 /* ids in after, and in afterok */

struct job_life {
	int64_t *after; /* owned: starts once these have ended */
	size_t nafter;
	int64_t *afterok; /* owned: ... once these have COMPLETED */
	size_t nafterok;
	int32_t mech;       /* enum job_swap_mech: swapped out (or going) */
	int32_t op;         /* enum job_swap_op in flight */
	int32_t seq;        /* the executor operation's number */
	int32_t resume;     /* come back when its GPUs are free */
	int32_t user_hold;  /* suspended by a user: held until job.resume */
	int32_t requeue;    /* job.requeue asked for the running job's end */
	int32_t kind;       /* why it is swapped out (the daemon's) */
	int32_t retry;      /* 1: swap out again with mech; 2: requeue it */
	int64_t since;      /* when the swap-out was complete; 0: not yet */
	int64_t ran_s;      /* this attempt's run time before its last start */
	int64_t for_job;    /* the job it made room for, or 0 */
	int64_t pin_from;   /* a swap's IN: the job it replaces, or 0 */
	struct alloc *left; /* owned: what it held when swapped out */
	struct alloc *pin;  /* owned: a swap's IN must start exactly here */
	char *where;        /* owned: where its state is, for people */
	char *error;        /* owned: the last swap's failure, or NULL */
};

/*
 * end_intent of a running job being swapped out: it goes back to PENDING
 * when it ends, not to a final state.
 */
#define JOB_INTENT_REQUEUE 100
/* end_intent of a running job being suspended (docs/swap.md). */
#define JOB_INTENT_SUSPEND 101

struct job *job_new(void);
void job_free(struct job *j);
/* Replaces the reason (copied, truncated to JOB_MAX_REASON). */
void job_set_reason(struct job *j, const char *reason);
/* Sets argv/env from arrays (copied). */
void job_set_argv(struct job *j, const char *const *argv, size_t argc);
void job_set_env(struct job *j, const char *const *env, size_t nenv);
/* j's life, made (zeroed) when it has none yet: borrowed. */
struct job_life *job_life(struct job *j);
/* Frees a life (NULL is fine). */
void job_life_free(struct job_life *l);

#endif
