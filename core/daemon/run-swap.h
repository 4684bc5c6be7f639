/*
 * The room suspended jobs keep and leave (run-swap-room.c), and the job
 * JSON of a swap, shared by the run-swap*.c files.  Internal to
 * core/daemon.
 */
#ifndef GPUQ_RUN_SWAP_H
#define GPUQ_RUN_SWAP_H

#include "core/daemon/daemon.h"

/* "GPU 3" or "GPUs 0,1" of an allocation, into out (n bytes). */
void run_swap_gpus(const struct alloc *a, char *out, size_t n);
/*
 * Takes out of c what a suspended job keeps (sign 1: its host memory, and
 * its GPU memory after a plain stop), or gives it back (sign -1).
 */
void run_swap_keep(struct cluster *c, const struct job *j, int sign);
/* True when a fits c's free capacity on its node and GPUs. */
int run_swap_fits(const struct cluster *c, const struct alloc *a);
/* Who holds any of a's GPUs now ("job 7"), into out, for messages. */
void run_swap_holder(struct daemon *d, const struct job *self,
    const struct alloc *a, char *out, size_t n);

/*
 * True when j is suspended, asked to resume and may be given to the
 * policy as a job pinned to the GPUs it left (run_input_build).
 */
int run_swap_resumable(struct daemon *d, const struct job *j);
/*
 * Carries out the plan's start of a suspended job (a resume) or of a
 * swap's incoming job (on the GPUs it is pinned to).  Returns 1 when j
 * was one of those, 0 when it is started as any other job.
 */
int run_swap_start(struct daemon *d, struct job *j, int64_t now);
/*
 * run.c: plans the pinned jobs alone (resumes, swap-ins) and carries out
 * what the policy decides for them, before any other job is planned.
 */
void run_schedule_pinned(struct daemon *d, int64_t now);

#endif
