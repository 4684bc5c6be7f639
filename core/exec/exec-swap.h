/*
 * Suspend and resume in the local executor (docs/swap.md), internal to
 * core/exec.  The daemon writes what it wants into the job's directory
 * and nudges the supervisor with SIGUSR1; the supervisor, which holds the
 * job's process group, carries it out and writes how it went:
 *
 *   swap-req-N.json  {"seq":S,"op":"suspend"|"resume",
 *                     "mech":"stop"|"cuda-checkpoint","tool":PATH|null}
 *   swap-N.json      {"seq":S,"ok":true,"mech":...,"ncuda":K,
 *                     "pids":[...],"error":null,"time":T}
 *
 * Both are written atomically (exec_state_json_write).  A request whose
 * seq was already carried out is answered again, not done twice, so the
 * daemon may repeat the nudge after a restart.
 */
#ifndef GPUQ_EXEC_SWAP_H
#define GPUQ_EXEC_SWAP_H

#include <stdint.h>
#include <sys/types.h>

#include "core/exec/exec.h"

#define EXEC_SWAP_MAX_PIDS  256    /* processes of one group we look at */
#define EXEC_SWAP_TOOL_MS   600000 /* longest one cuda-checkpoint run */
#define EXEC_SWAP_STOP_WAIT 2000   /* ms to see a stopped group stopped */

/* The executor's side (exec-swap.c). */
int exec_swap_suspend(const struct exec_ctx *x, const struct job *j, int mech,
    int32_t seq, char *cause, size_t n);
int exec_swap_resume(const struct exec_ctx *x, const struct job *j, int mech,
    int32_t seq, char *cause, size_t n);
int exec_swap_check(const struct exec_ctx *x, const struct job *j, int32_t seq,
    struct exec_swap *st);

/* From exec-local.c: the process holding j now (claim or supervisor). */
void exec_local_holder(const struct exec_ctx *x, const struct job *j,
    pid_t *pid, uint64_t *start);
/*
 * Sends signo with value (sigqueue) to pid if it is still the process
 * that started at start.  0 (also when it is gone), GQ_EPERM or GQ_EIO.
 */
int exec_local_signal_to(pid_t pid, uint64_t start, int signo, int32_t value);

/* The supervisor's side (supervise-swap.c). */
struct supervise_swap {
	int32_t done_seq; /* the last request carried out */
	int state;        /* 0 running, else the JOB_SWAP_* it is in */
	pid_t cuda[EXEC_SWAP_MAX_PIDS]; /* checkpointed by the last suspend */
	int ncuda;
};

/*
 * Reads DIR/swap-req-ATTEMPT.json and carries it out on the process
 * group pgid (unless it was done already), then writes the report.
 * ending: the job is being stopped for good; a suspend is refused.
 */
void supervise_swap_handle(struct supervise_swap *sw, const char *dir,
    int32_t attempt, pid_t pgid, int ending);

#endif
