/*
 * A job's life (struct job_life: swap state, dependencies, hold) as the
 * text of the jobs table's "life" column (migration in store.c).
 */
#ifndef GPUQ_STORE_LIFE_H
#define GPUQ_STORE_LIFE_H

#include "core/job.h"

/* Compact JSON (new), or NULL when the job has nothing to keep. */
char *store_life_encode(const struct job *j);
/*
 * Fills j->life (and JOB_F_HELD, core.pin) from text; NULL text is no
 * life.  Returns 0 or GQ_EIO for a garbled text.
 */
int store_life_decode(struct job *j, const char *text);

#endif
