/*
 * Swap-outs, until the swap issue brings cuda-checkpoint: the job gets its
 * checkpoint signal (SIGTERM unless it declared another), a grace period
 * to save its work and exit, then SIGKILL; when it has ended it goes back
 * to PENDING and its next start sees GPUQ_RESTART_COUNT one higher.  The
 * intent is persisted first (end_intent), so a restart in the middle
 * still requeues it rather than ending it.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "core/base/log.h"
#include "core/daemon/daemon.h"

void
run_preempt(struct daemon *d, struct job *j, int64_t for_job,
    enum preempt_why why, int64_t now)
{
	char reason[160];

	if (j->core.state != JOB_RUNNING || j->end_intent != 0)
		return;
	j->end_intent = JOB_INTENT_REQUEUE;
	snprintf(reason, sizeof(reason), "swapped out (%s) for job %lld",
	    sched_preempt_name(why), (long long)for_job);
	job_set_reason(j, reason);
	jobs_changed(d, j, now, 1);
	log_info("job %lld %s", (long long)j->core.id, reason);
	run_queue_after(d, AFTER_PREEMPT, j->core.id);
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

void
run_requeue(struct daemon *d, struct job *j, const struct exec_result *res,
    int64_t now)
{
	int64_t end = res->end_time > 0 ? res->end_time : now;
	char why[200];

	run_usage_add(d, j, end);
	run_unwatch(j);
	j->preemptions++;
	j->exit_code = -1;
	j->exit_signal = 0;
	j->end_intent = 0;
	j->sup_pid = 0;
	j->sup_start = 0;
	j->start_time = 0;
	memset(&j->core.alloc, 0, sizeof(j->core.alloc));
	memset(&j->plan_risk, 0, sizeof(j->plan_risk));
	snprintf(why, sizeof(why),
	    "requeued after a swap-out (%d so far); the next run has "
	    "GPUQ_RESTART_COUNT=%d",
	    (int)j->preemptions, (int)j->attempt);
	jobs_set_state(d, j, JOB_PENDING, end, why);
	log_info("job %lld %s", (long long)j->core.id, why);
}
