/*
 * Swap-outs by the scheduler's preemption, and requeues.  A preempted job
 * is swapped out by the strongest mechanism there is (docs/swap.md):
 * cuda-checkpoint when the node has it (run-swap.c: the job is SUSPENDED
 * and comes back on the same GPUs when they are free again), else its
 * checkpoint signal (SIGTERM unless it declared another), a grace period
 * to save its work and exit, then SIGKILL; when it has ended it goes back
 * to PENDING and its next start sees GPUQ_RESTART_COUNT one higher.  A
 * plain stop is never used for preemption: it would free no GPU memory.
 * The intent is persisted first (end_intent), so a restart in the middle
 * still requeues it rather than ending it.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"

void
run_preempt(struct daemon *d, struct job *j, int64_t for_job,
    enum preempt_why why, int64_t now)
{
	char reason[160], *cause = NULL;

	if (j->core.state != JOB_RUNNING || j->end_intent != 0)
		return;
	snprintf(reason, sizeof(reason), "swapped out (%s) for job %lld",
	    sched_preempt_name(why), (long long)for_job);
	if (run_swap_begin(d, j, run_swap_mech(d, j, 1), RUN_SWAP_PREEMPT,
	        for_job, reason, now, &cause) != 0) {
		log_warn("job %lld: %s", (long long)j->core.id, cause);
		free(cause);
	}
}

void
run_stop(struct daemon *d, struct job *j)
{
	int rc;

	if (j->core.state != JOB_RUNNING || j->attempt <= 0 ||
	    j->end_intent != JOB_INTENT_REQUEUE)
		return;
	if (d->exec->stop != NULL)
		rc =
		    d->exec->stop(&d->xctx, j, j->ckpt_signal, j->kill_grace_s);
	else
		rc = d->exec->cancel(&d->xctx, j, j->kill_grace_s);
	if (rc != 0)
		log_warn("job %lld: cannot signal it for its swap-out",
		    (long long)j->core.id);
}

/*
 * The life of a job going back to PENDING: a new attempt has no run time
 * yet; a checkpoint-signal swap-out is remembered (it shows as
 * "suspended" while the job waits), any other swap state is dropped.
 */
static void
run_requeue_life(struct job *j, int64_t end)
{
	struct job_life *l = j->life;

	if (l == NULL)
		return;
	l->ran_s = 0;
	l->requeue = 0;
	l->op = JOB_SWAP_OP_NONE;
	l->retry = 0;
	if (l->mech != JOB_SWAP_SIGNAL) {
		run_swap_clear(j);
		return;
	}
	l->since = end;
	free(l->where);
	l->where = xasprintf("checkpoint files the job saved on SIG%s (gpuq "
	                     "does not know their path; its workdir is %s)",
	    sigabbrev_np(j->ckpt_signal > 0 ? j->ckpt_signal : SIGTERM),
	    j->workdir ? j->workdir : "/");
}

void
run_requeue(struct daemon *d, struct job *j, const struct exec_result *res,
    int64_t now)
{
	int64_t end = res->end_time > 0 ? res->end_time : now;
	char why[200];

	struct job_life *l = j->life;
	int by_user = l != NULL && l->requeue;

	run_usage_add(d, j, end);
	run_unwatch(j);
	if (!by_user)
		j->preemptions++;
	j->exit_code = -1;
	j->exit_signal = 0;
	j->end_intent = 0;
	j->sup_pid = 0;
	j->sup_start = 0;
	j->start_time = 0;
	memset(&j->core.alloc, 0, sizeof(j->core.alloc));
	memset(&j->plan_risk, 0, sizeof(j->plan_risk));
	run_requeue_life(j, end);
	if (by_user)
		snprintf(why, sizeof(why),
		    "%s; the next run has GPUQ_RESTART_COUNT=%d",
		    j->reason ? j->reason : "requeued", (int)j->attempt);
	else
		snprintf(why, sizeof(why),
		    "requeued after a swap-out (%d so far); the next run has "
		    "GPUQ_RESTART_COUNT=%d",
		    (int)j->preemptions, (int)j->attempt);
	jobs_set_state(d, j, JOB_PENDING, end, why);
	log_info("job %lld %s", (long long)j->core.id, why);
}
