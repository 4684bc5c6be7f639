/*
 * Executors start, signal and reap jobs, and tell what became of them.
 * One table lists them (exec.c).  No event loop here: the daemon watches
 * the descriptors an executor hands it and calls back.
 */
#ifndef GPUQ_EXEC_H
#define GPUQ_EXEC_H

#include <stdint.h>

#include "core/job.h"

struct exec_ctx {
	const char *state_dir; /* jobs live in state_dir/jobs/<id>/ */
	const char *self_exe;  /* gpuqd, run as "gpuqd supervise DIR N" */
	int drop_privileges;   /* daemon is root: run jobs as their user */
	/* GPU identities, index on this node -> what CUDA_VISIBLE_DEVICES
	 * shows, NULL-terminated; NULL: the index itself. */
	const char *const *gpu_ids;
	/* cuda-checkpoint's path, or NULL when there is none (swap.md). */
	const char *cuda_checkpoint;
	/* The slurm executor (docs/slurm.md); NULL and 0 mean defaults. */
	const char *host;              /* this gpuqd's name, in job tags */
	const struct cluster *cluster; /* alloc.node indexes its nodes */
	const char *slurm_partition;   /* jobs without a pool go there */
	const char *slurm_dir;         /* scripts, logs: a shared dir */
	int64_t slurm_poll_ms;         /* squeue every so often */
	int64_t slurm_gpu_mem_mb;      /* a Slurm GPU's memory */
	int32_t slurm_parallel;        /* sbatch processes at once */
};

/*
 * A swap-out or swap-in (docs/swap.md).  The mechanism is the job's
 * enum job_swap_mech (JOB_SWAP_STOP or JOB_SWAP_CUDA here; the signal
 * path uses stop() above).  Operations are numbered by the caller; the
 * outcome of number seq comes from swap_check.
 */
struct exec_swap {
	int done;     /* operation seq has finished (ok or not) */
	int ok;       /* it did what was asked */
	int mech;     /* what was done: JOB_SWAP_STOP or JOB_SWAP_CUDA */
	int ncuda;    /* CUDA processes checkpointed or restored */
	int64_t time; /* when it finished */
	char error[256];
};

/* What became of a job. */
struct exec_result {
	int ended;       /* 0: still running */
	int exit_code;   /* -1 unless it exited (or never ran) */
	int exit_signal; /* 0 unless a signal ended it */
	int64_t end_time;
	char reason[512]; /* why it failed to start, or was lost */
	/*
	 * 0: the daemon judges by the exit; else the end the executor saw
	 * (JOB_CANCELLED or JOB_TIMEOUT: Slurm cancelled it, or its limit).
	 */
	int final_state;
};

/* A job as the executor's own system sees it (slurm: the Slurm job). */
struct exec_info {
	int64_t id;      /* its id there; 0 when it has none yet */
	char state[32];  /* its state there ("PENDING"); "" when not known */
	char reason[64]; /* why it waits there; "" when it does not */
};

enum exec_recovery {
	EXEC_NEVER_STARTED, /* safe to start again */
	EXEC_ALIVE,         /* adopted: still running */
	EXEC_GONE,          /* ended; the result says how */
};

struct executor {
	const char *name;
	/*
	 * Starts attempt j->attempt of j on j->core.alloc.  The caller bumps
	 * j->attempt and makes it durable BEFORE calling (write-ahead), so a
	 * restart finds that attempt's claim; start() does not bump it (it
	 * only turns 0 into 1).  Sets j->sup_pid, j->sup_start and
	 * j->start_time.  Returns 0 or a GQ_E* code with cause (bounded,
	 * n bytes); GQ_ESTATE if the attempt was rescinded by recover().
	 * A command that cannot be run (no such file, bad workdir) is not an
	 * error here: check() then reports the job ended with that reason.
	 * Starting an attempt that already started adopts the first run.
	 */
	int (*start)(const struct exec_ctx *x, struct job *j, char *cause,
	    size_t n);
	/* A descriptor that becomes readable when the job may have ended
	 * (a pidfd), or -1 when the daemon must poll.  Caller closes it.
	 * If check() then says the job still runs, ask for a new one. */
	int (*watch_fd)(const struct exec_ctx *x, const struct job *j);
	/* Checks whether j has ended and fills res. */
	int (*check)(const struct exec_ctx *x, const struct job *j,
	    struct exec_result *res);
	/* Asks j to stop: SIGTERM to its group, SIGKILL after grace_s. */
	int (*cancel)(const struct exec_ctx *x, const struct job *j,
	    int32_t grace_s);
	/*
	 * After a daemon restart, for a job the store says was started:
	 * decides, without any chance of running it twice, whether it never
	 * started, is alive (adopted), or is gone (res filled).
	 */
	enum exec_recovery (*recover)(const struct exec_ctx *x,
	    const struct job *j, struct exec_result *res);
	/* Path of a job's log, stream "stdout" or "stderr" (new string);
	 * NULL for any other stream. */
	char *(*log_path)(const struct exec_ctx *x, int64_t job_id,
	    const char *stream);
	/*
	 * Asks j to save its work and stop, for a swap-out: signo (1..64;
	 * 0: SIGTERM) to its group, SIGKILL grace_s (0..65535) later.  NULL
	 * when the executor cannot: the daemon then uses cancel().
	 */
	int (*stop)(const struct exec_ctx *x, const struct job *j, int signo,
	    int32_t grace_s);
	/*
	 * Optional (NULL: the executor cannot).  Asks that j's processes be
	 * suspended with mech (JOB_SWAP_STOP: SIGSTOP to the group;
	 * JOB_SWAP_CUDA: cuda-checkpoint --toggle for each CUDA process,
	 * then SIGSTOP), as operation seq.  Returns 0 once asked, or a GQ_E*
	 * code with cause (n bytes); the outcome comes from swap_check.
	 */
	int (*suspend)(const struct exec_ctx *x, const struct job *j, int mech,
	    int32_t seq, char *cause, size_t n);
	/* Optional: undoes a suspend of mech (SIGCONT, then the toggle
	 * back), as operation seq. */
	int (*resume)(const struct exec_ctx *x, const struct job *j, int mech,
	    int32_t seq, char *cause, size_t n);
	/* Optional with the two above: the outcome of operation seq.
	 * Returns 0 with st filled (st->done 0 while it runs). */
	int (*swap_check)(const struct exec_ctx *x, const struct job *j,
	    int32_t seq, struct exec_swap *st);
	/*
	 * Optional: the environment j's processes see ("K=V", new
	 * NULL-terminated vector), for job.attach.  NULL: the daemon uses
	 * the job's own.
	 */
	char **(*job_env)(const struct exec_ctx *x, const struct job *j);
	/*
	 * Optional (NULL: jobs run on this host).  The nodes the executor
	 * runs jobs on: when its list changed since *gen, fills c (made with
	 * cluster_init), updates *gen and returns 0; else GQ_ENOENT, with
	 * the last error in cause (n bytes; "" when none).  Waits up to
	 * wait_ms for the first list.
	 */
	int (*nodes)(const struct exec_ctx *x, struct cluster *c, uint64_t *gen,
	    int wait_ms, char *cause, size_t n);
	/*
	 * Optional: what the executor's own system says of j (cheap: what
	 * the executor holds; detail: also what its files say of a job that
	 * ended).  Returns 0, or GQ_ENOENT when it knows nothing.
	 */
	int (*info)(const struct exec_ctx *x, const struct job *j, int detail,
	    struct exec_info *info);
	/*
	 * Optional (NULL: the daemon decides, for this host's GPUs).  How
	 * j's GPUs are held to it where the executor runs it: *label is
	 * "exclusive", "enforced", "monitored" or "advisory" (docs/gpu.md),
	 * *via what does it ("slurm gres"); both static.  Returns 0, or
	 * GQ_ENOENT when j holds no GPU.
	 */
	int (*enforcement)(const struct exec_ctx *x, const struct job *j,
	    const char **label, const char **via);
};

/* The executor called name (borrowed), the default for NULL, or NULL. */
const struct executor *exec_find(const char *name);
extern const struct executor exec_local;
extern const struct executor exec_slurm;

/*
 * The body of "gpuqd supervise DIR ATTEMPT": holds one job, returns the
 * process's exit status.  main() passes its arguments from "supervise" on:
 * argv = { "supervise", DIR, ATTEMPT }, argc = 3.
 */
int exec_supervise_main(int argc, char **argv);

#endif
