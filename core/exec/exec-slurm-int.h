/*
 * The Slurm executor's insides (internal to core/exec; docs/slurm.md).
 *
 * Slurm's commands may take many seconds to answer (18 s for squeue while
 * slurmctld restarts), so none runs on the daemon's loop.  One worker
 * thread runs them all: it submits (sbatch, several at a time), signals
 * (scancel, scontrol), polls every job in one squeue per interval, fetches
 * how ended jobs ended, and reads the nodes.  The executor's entry
 * points only read and write the table below under its mutex, and the
 * worker wakes a job's watch pipe when the job has ended.
 *
 * Files in a job's directory (SLURM-DIR/<job id>/):
 *   job-N.sh   the batch script of attempt N (slurm-script.h)
 *   claim-N    "slurm <id>" written by the script that runs attempt N, or
 *              "rescinded" by the daemon: created once, never changed
 *   slurm-N.id the Slurm job id sbatch gave attempt N
 *   stdout, stderr  the job's logs, appended to by every attempt
 */
#ifndef GPUQ_EXEC_SLURM_INT_H
#define GPUQ_EXEC_SLURM_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/base/buf.h"
#include "core/exec/exec.h"
#include "core/exec/slurm-parse.h"

#define EXEC_SLURM_PARALLEL     8     /* sbatch processes at once */
#define EXEC_SLURM_CMD_TIMEOUT  30000 /* ms before a Slurm command is killed */
#define EXEC_SLURM_CMD_MAX_OUT  (64 << 20) /* bytes of output read from one */
#define EXEC_SLURM_BACKOFF_MAX  30000 /* ms between tries while Slurm is away */
#define EXEC_SLURM_NODES_MS     30000 /* ms between node listings */
#define EXEC_SLURM_IDS_PER_POLL 2000  /* job ids in one squeue */
#define EXEC_SLURM_STRAYS_MS    2000  /* ms after the last recover() */

/* One command run by the worker. */
struct exec_slurm_cmd {
	char **argv; /* borrowed */
	int status;  /* exit status, or -1 (killed, timed out, no exec) */
	int timed_out;
	struct buf out, err;
	pid_t pid;
	int ofd, efd;
	int running;     /* exec_slurm_cmd_start'ed and not reaped yet */
	int64_t started; /* monotonic ms */
};

enum exec_slurm_op {
	EXEC_SLURM_OP_NONE,
	EXEC_SLURM_OP_SUSPEND,
	EXEC_SLURM_OP_RESUME
};

/* One attempt of a job the executor holds. */
struct exec_slurm_job {
	int64_t job_id;
	int32_t attempt;
	char *dir;        /* owned: the job's directory */
	int64_t slurm_id; /* 0 until sbatch answered */
	char **submit;    /* owned: sbatch's argv still to run, or NULL */
	int submitting;   /* the worker is running sbatch for it */
	enum slurm_state state;
	char reason[64]; /* Slurm's reason, as squeue last said */
	int ended;       /* res is how it ended */
	struct exec_result res;
	int wfd; /* watch pipe's write end, or -1 */
	/* Cancel and stop: signal now, end for good at kill_at. */
	int cancel;       /* asked to end */
	int signo;        /* signal still to send, 0: none */
	int64_t grace_ms; /* from that signal to the final scancel */
	int64_t kill_at;  /* monotonic ms for the final scancel, 0: none */
	/* Suspend and resume (exec.h swap_check). */
	enum exec_slurm_op op;
	int32_t op_seq;
	int op_sent, op_done, op_ok;
	int64_t op_time;
	char op_error[256];
	int64_t seen_ms; /* when this state was first seen */
};

/*
 * The executor's state, one per process (xs): the jobs it holds, its
 * settings, Slurm's health, the nodes.  mu guards all of it.
 */
struct exec_slurm_state {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int started;
	struct exec_slurm_job **jobs;
	size_t njobs, cap;
	/* Copied from the exec_ctx at the first call. */
	char *host, *dir, *partition;
	int64_t poll_ms;
	int64_t gpu_mem_mb;
	int parallel; /* sbatch processes at once, 1..EXEC_SLURM_PARALLEL */
	int as_user;  /* daemon is root: --uid/--gid */
	char **env;   /* for commands: ours plus SLURM_TIME_FORMAT=%s */
	/* When Slurm is away: the next try, and the wait after it. */
	int64_t retry_at, backoff;
	char away[256];
	int64_t next_poll;
	/* When to look for strays, Slurm jobs of attempts that must not run
	 * (exec_slurm_poll_strays); 0: not due. */
	int64_t strays_at;
	/* Nodes (exec_slurm_poll_nodes). */
	struct slurm_node *nodes;
	size_t nnodes;
	uint64_t inv_gen;
	int64_t next_inv;
	int inv_wanted;
	int inv_done;    /* a listing was tried: inv_cv is broadcast */
	char *inv_cache; /* STATE/slurm-nodes.txt: the last listing */
	pthread_cond_t inv_cv;
	char inv_error[256];
	/* Figures for the log and the bench: polls, state changes seen. */
	uint64_t polls, submits;
};

extern struct exec_slurm_state xs;

/* exec-slurm-cmd.c */
/* Runs n commands at once and waits for all (or their timeouts). */
void exec_slurm_cmd_run(struct exec_slurm_cmd *c, size_t n, char **env,
    int timeout_ms);
void exec_slurm_cmd_init(struct exec_slurm_cmd *c, char **argv);
/*
 * A pool: exec_slurm_cmd_start starts one (c->running 0 at once when it
 * could not); exec_slurm_cmd_step waits up to wait_ms for output, then
 * reaps one that has ended or run past EXEC_SLURM_CMD_TIMEOUT and returns
 * its index, or -1.
 */
void exec_slurm_cmd_start(struct exec_slurm_cmd *c, char **env);
int exec_slurm_cmd_step(struct exec_slurm_cmd *c, size_t n, int wait_ms);
void exec_slurm_cmd_done(struct exec_slurm_cmd *c);
/*
 * Runs one command; its error's gist goes in why (n bytes).  Returns 0,
 * GQ_ECONN when Slurm did not answer (try again later), or GQ_EIO.
 */
int exec_slurm_cmd_one(struct exec_slurm_cmd *c, char *why, size_t n);

/* exec-slurm-work.c: the worker thread. */
void exec_slurm_work_start_worker(void);
/* Wakes the worker (call with xs.mu held). */
void exec_slurm_work_wake(void);
/* The job's table entry (borrowed; call with xs.mu held), or NULL. */
struct exec_slurm_job *exec_slurm_work_find(int64_t job_id);
/* Marks e ended with res and wakes its watcher (xs.mu held). */
void exec_slurm_work_end(struct exec_slurm_job *e,
    const struct exec_result *res);
/* Ends e, which has not reached Slurm, as cancelled (xs.mu held). */
void exec_slurm_work_unsubmit(struct exec_slurm_job *e);

/* exec-slurm-submit.c: an attempt's directory, script and sbatch. */
/* Makes the job's directory (the user's when gpuqd is root). */
int exec_slurm_submit_mkdir(const struct job *j, const char *dir, char *cause,
    size_t n);
/* True when the allocation goes to Slurm as shards (xs.mu held). */
int exec_slurm_submit_sharded(const struct exec_ctx *x, const struct alloc *a);
/* Writes the batch script; sbatch's argv for it (new) or NULL, cause. */
char **exec_slurm_submit_sbatch(const struct exec_ctx *x, const struct job *j,
    const char *dir, char *cause, size_t n);

/* exec-slurm-nodes.c (xs.mu held). */
/* Loads the last listing saved under the state directory. */
void exec_slurm_nodes_cache(const struct exec_ctx *x);
/* exec.h's nodes(), for the slurm executor. */
int exec_slurm_nodes_get(struct cluster *c, uint64_t *gen, int wait_ms,
    char *cause, size_t n);

/* exec-slurm-poll.c, and the worker's helpers in exec-slurm-work.c. */
/* Takes a node listing in (xs.mu held); inv_gen grows if it changed. */
void exec_slurm_poll_nodes_set(const char *text);
/* Reads claim-N: 1 held (with *slurm_id, 0 when unreadable yet), 2
 * rescinded, 0 none. */
int exec_slurm_work_claim_read(const char *dir, int32_t attempt,
    int64_t *slurm_id);
/* True while Slurm was away and the next try is not due (xs.mu held). */
int exec_slurm_work_waiting(void);
/* Slurm answered (away 0) or did not (away 1, why): backs off. */
void exec_slurm_work_set_away(const char *why, int away);
/*
 * Rescinds attempt N (claim-N holds "rescinded"), so that no run of it
 * ever starts.  Returns 0, GQ_EEXIST when a run claimed it first, or
 * GQ_EIO.
 */
int exec_slurm_work_rescind(const char *dir, int32_t attempt);
/* Writes slurm-N.id (atomically). */
int exec_slurm_work_id_write(const char *dir, int32_t attempt,
    int64_t slurm_id);
/* Reads slurm-N.id: the id, or 0. */
int64_t exec_slurm_work_id_read(const char *dir, int32_t attempt);

#endif
