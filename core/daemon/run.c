/*
 * Carrying out the plan: the scheduler's decisions become RUNNING records
 * in this turn's transaction; supervisors are started only after the
 * commit (run_after_commit), so a crash can never leave a job running that
 * the store does not know about.  Endings arrive through the executor's
 * watch descriptor (a pidfd) or the tick.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/run-swap.h"
#include "core/daemon/telemetry.h"
#include "core/daemon/sweepd.h"

#define RUN_REPLAN_S 5 /* seconds between plans when nothing else asks */

void
run_queue_after(struct daemon *d, enum after_kind kind, int64_t id)
{
	if (d->nafter == d->cap_after) {
		d->cap_after = d->cap_after ? d->cap_after * 2 : 64;
		d->after =
		    xreallocarray(d->after, d->cap_after, sizeof(*d->after));
	}
	d->after[d->nafter].kind = kind;
	d->after[d->nafter].job_id = id;
	d->nafter++;
}

/* The plan's word on each waiting job and each running one. */
static void
run_apply_standing(struct daemon *d, const struct plan *p)
{
	struct job *j;
	size_t i;

	for (i = 0; i < p->nwaiting; i++) {
		if ((j = jobs_find(d, p->waiting[i].job_id)) == NULL)
			continue;
		j->wait = p->waiting[i].reason;
		j->position = p->waiting[i].position;
		j->plan_wait = p->waiting[i];
		run_deps_standing(d, j); /* after a hold or release */
	}
	for (i = 0; i < p->nrisks; i++)
		if ((j = jobs_find(d, p->risks[i].job_id)) != NULL)
			j->plan_risk = p->risks[i];
}

static void
run_apply_start(struct daemon *d, struct job *j, const struct decision *dc,
    int64_t now)
{
	if (dc->ngang > 0) {
		log_warn("job %lld spans %d nodes: the local executor runs "
		         "one",
		    (long long)j->core.id, (int)dc->ngang + 1);
		return;
	}
	j->core.alloc = dc->alloc;
	j->wait = WAIT_NONE;
	j->position = 0;
	memset(&j->plan_wait, 0, sizeof(j->plan_wait));
	j->attempt++;
	j->end_intent = 0;
	jobs_set_state(d, j, JOB_RUNNING, now, NULL);
	run_queue_after(d, AFTER_START, j->core.id);
}

static void
run_apply_plan(struct daemon *d, const struct plan *p, int64_t now)
{
	const struct decision *dc;
	struct job *j;
	size_t i;

	run_apply_standing(d, p);
	for (i = 0; i < p->ndecisions; i++) {
		dc = &p->decisions[i];
		if ((j = jobs_find(d, dc->job_id)) == NULL)
			continue;
		if (dc->kind == DECIDE_START && run_swap_start(d, j, now))
			continue; /* a resume, or a swap's incoming job */
		if (dc->kind == DECIDE_START && j->core.state == JOB_PENDING)
			run_apply_start(d, j, dc, now);
		else if (dc->kind == DECIDE_PREEMPT &&
		    j->core.state == JOB_RUNNING)
			run_preempt(d, j, dc->for_job, dc->why, now);
	}
}

/*
 * What suspended jobs keep is not free; a resume's own is (its pin holds
 * it again).
 */
static void
run_input_keep(struct daemon *d, struct run_input *ri)
{
	struct job *j;
	size_t i;

	run_swap_keep_all(d, &ri->free_c);
	for (i = 0; i < ri->nresumes; i++)
		if ((j = jobs_find(d, ri->resumes[i].id)) != NULL)
			run_swap_keep(&ri->free_c, j, -1);
}

/* True when a resume or a swap's incoming job waits for the policy. */
static int
run_any_pinned(struct daemon *d)
{
	const struct job *j;
	size_t i;

	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		if ((j->core.state == JOB_PENDING && j->core.pin != NULL) ||
		    run_swap_resumable(d, j))
			return 1;
	}
	return 0;
}

void
run_schedule_pinned(struct daemon *d, int64_t now)
{
	struct run_input ri;
	struct plan p;
	size_t i, n = 0;

	if (!run_any_pinned(d))
		return;
	run_input_build(d, now, NULL, &ri);
	ri.in.quick = NULL; /* a partial plan: the next one is full */
	for (i = 0; i < ri.in.npending; i++)
		if (ri.pending[i]->pin != NULL)
			ri.pending[n++] = ri.pending[i];
	ri.in.npending = n;
	run_input_keep(d, &ri);
	plan_init(&p);
	if (n > 0 && d->policy->plan(&ri.in, &p) != 0)
		log_error("policy %s failed to plan", d->policy->name);
	else if (n > 0)
		run_apply_plan(d, &p, now);
	plan_done(&p);
	run_input_done(&ri);
}

void
run_schedule(struct daemon *d, int64_t now)
{
	struct run_input ri;
	struct plan p;
	int quick;

	sweepd_turn(d, now); /* stopped trials' room goes to new ones */
	d->sched_dirty = 0;
	d->last_plan = now;
	run_swap_plan(d, now); /* dependencies, swap-ins that lost their GPUs */
	/* Resumes and swap-ins first, as pinned jobs, quotas and all. */
	run_schedule_pinned(d, now);
	plan_init(&p);
	if ((quick = run_input_quick(d, now, &p)) == 0) {
		run_input_build(d, now, NULL, &ri);
		run_input_keep(d, &ri);
		if ((ri.in.npending > 0 || ri.in.nrunning > 0) &&
		    d->policy->plan(&ri.in, &p) != 0)
			log_error("policy %s failed to plan", d->policy->name);
		run_input_done(&ri);
	}
	run_apply_plan(d, &p, now);
	run_input_planned(d, now, !quick, &p);
	plan_done(&p);
}

static void
run_rt_close_cb(uv_handle_t *h)
{
	struct jobrt *rt = h->data;

	close(rt->pidfd);
	free(rt);
}

void
run_unwatch(struct job *j)
{
	struct jobrt *rt = j->rt;

	if (rt == NULL)
		return;
	j->rt = NULL;
	uv_poll_stop(&rt->poll);
	uv_close((uv_handle_t *)&rt->poll, run_rt_close_cb);
}

static void run_watch(struct daemon *d, struct job *j);

static void
run_poll_cb(uv_poll_t *h, int status, int events)
{
	struct jobrt *rt = h->data;
	struct job *j = jobs_find(rt->d, rt->job_id);

	if (j == NULL || j->rt != rt) {
		uv_poll_stop(h);
		return;
	}
	run_check_job(rt->d, j, daemon_now());
	if (j->core.state == JOB_RUNNING && j->rt == rt) {
		/* Still running (a raced twin ended): a readable pidfd stays
		 * readable, so watch afresh. */
		run_unwatch(j);
		run_watch(rt->d, j);
	}
	daemon_kick(rt->d);
}

static void
run_watch(struct daemon *d, struct job *j)
{
	struct jobrt *rt;
	int fd;

	if (j->rt != NULL || (fd = d->exec->watch_fd(&d->xctx, j)) < 0)
		return; /* the tick polls it */
	rt = xcalloc(1, sizeof(*rt));
	rt->pidfd = fd;
	rt->d = d;
	rt->job_id = j->core.id;
	if (uv_poll_init(d->loop, &rt->poll, fd) != 0) {
		close(fd);
		free(rt);
		return;
	}
	rt->poll.data = rt;
	uv_poll_start(&rt->poll, UV_READABLE, run_poll_cb);
	j->rt = rt;
}

static enum job_state
run_end_state(const struct job *j, const struct exec_result *res)
{
	if (j->end_intent == JOB_CANCELLED)
		return JOB_CANCELLED;
	if (j->end_intent == JOB_TIMEOUT)
		return JOB_TIMEOUT;
	if (res->final_state == JOB_CANCELLED ||
	    res->final_state == JOB_TIMEOUT)
		return (enum job_state)res->final_state; /* seen by Slurm */
	if (res->exit_code == 0 && res->exit_signal == 0 &&
	    res->reason[0] == '\0')
		return JOB_COMPLETED;
	return JOB_FAILED;
}

static void
run_finish(struct daemon *d, struct job *j, const struct exec_result *res,
    int64_t now)
{
	enum job_state s = run_end_state(j, res);
	char why[600];

	if (j->end_intent == JOB_INTENT_REQUEUE) {
		run_requeue(d, j, res, now);
		return;
	}
	j->exit_code = res->exit_code;
	j->exit_signal = res->exit_signal;
	why[0] = '\0';
	if (res->reason[0] != '\0')
		snprintf(why, sizeof(why), "%s", res->reason);
	else if (s == JOB_FAILED && res->exit_signal > 0)
		snprintf(why, sizeof(why), "killed by signal %d (SIG%s)",
		    res->exit_signal,
		    sigabbrev_np(res->exit_signal) ?
		        sigabbrev_np(res->exit_signal) :
		        "?");
	else if (s == JOB_FAILED)
		snprintf(why, sizeof(why), "exit code %d", res->exit_code);
	jobs_set_state(d, j, s, res->end_time > 0 ? res->end_time : now,
	    why[0] != '\0' ? why : NULL);
	log_info("job %lld %s%s%s", (long long)j->core.id, model_state_name(s),
	    why[0] ? ": " : "", why);
}

void
run_check_job(struct daemon *d, struct job *j, int64_t now)
{
	struct exec_result res;

	if ((j->core.state != JOB_RUNNING && j->core.state != JOB_SUSPENDED) ||
	    j->attempt <= 0)
		return;
	memset(&res, 0, sizeof(res));
	if (d->exec->check(&d->xctx, j, &res) == 0 && res.ended)
		run_finish(d, j, &res, now);
}

static void
run_start(struct daemon *d, struct job *j)
{
	char cause[512];
	int rc;

	if (j->core.state != JOB_RUNNING || j->sup_pid > 0)
		return;
	cause[0] = '\0';
	telemetry_job_start(d, j); /* enforcement label, MPS limits */
	rc = d->exec->start(&d->xctx, j, cause, sizeof(cause));
	if (rc != 0) {
		log_warn("job %lld could not start: %s", (long long)j->core.id,
		    cause);
		jobs_set_state(d, j, JOB_FAILED, daemon_now(), cause);
		return;
	}
	jobs_changed(d, j, daemon_now(), 0);
	run_watch(d, j);
	if (j->end_intent != 0)
		d->exec->cancel(&d->xctx, j, j->kill_grace_s);
}

void
run_after_commit(struct daemon *d)
{
	struct job *j;
	size_t i;

	for (i = 0; i < d->nafter; i++) {
		if ((j = jobs_find(d, d->after[i].job_id)) == NULL)
			continue;
		if (d->after[i].kind == AFTER_START)
			run_start(d, j);
		else if (d->after[i].kind == AFTER_PREEMPT)
			run_stop(d, j);
		else if (d->after[i].kind == AFTER_SWAP)
			run_swap_after(d, j);
		else if ((j->core.state == JOB_RUNNING ||
		             j->core.state == JOB_SUSPENDED) &&
		    j->attempt > 0)
			d->exec->cancel(&d->xctx, j, j->kill_grace_s);
	}
	d->nafter = 0;
}

void
run_cancel(struct daemon *d, struct job *j, enum job_state intent, int64_t now,
    const char *reason)
{
	if (j->core.state == JOB_PENDING) {
		jobs_set_state(d, j, intent, now, reason);
		return;
	}
	/* A job being swapped out may still be cancelled: then it ends. */
	if ((j->core.state != JOB_RUNNING && j->core.state != JOB_SUSPENDED) ||
	    (j->end_intent != 0 && j->end_intent != JOB_INTENT_REQUEUE &&
	        j->end_intent != JOB_INTENT_SUSPEND))
		return;
	j->end_intent = (int32_t)intent;
	job_set_reason(j, reason);
	jobs_changed(d, j, now, 0);
	run_queue_after(d, AFTER_CANCEL, j->core.id);
}

void
run_tick(struct daemon *d, int64_t now)
{
	static int64_t last_poll;
	char why[96];
	struct job *j;
	size_t i;

	for (i = 0; i < d->nactive; i++) {
		j = d->active[i];
		if (j->core.state != JOB_RUNNING)
			continue;
		if (j->core.req.time_limit_s > 0 && j->end_intent == 0 &&
		    run_swap_elapsed(j, now) >= j->core.req.time_limit_s) {
			snprintf(why, sizeof(why),
			    "time limit of %llds reached",
			    (long long)j->core.req.time_limit_s);
			run_cancel(d, j, JOB_TIMEOUT, now, why);
		}
		if (j->rt == NULL && now != last_poll)
			run_check_job(d, j, now);
	}
	last_poll = now;
	run_swap_tick(d, now); /* swap outcomes; suspended jobs that end */
	/*
	 * Time alone changes a plan: protections end, reservations come due,
	 * estimates age.  Plan again now and then while anything is queued.
	 */
	if ((now - d->last_plan >= RUN_REPLAN_S && d->nactive > 0) ||
	    run_input_due(d, now))
		d->sched_dirty = 1;
	if (store_in_txn(d->store) || d->nafter > 0 || d->sched_dirty)
		daemon_kick(d);
}

/* "job 12 adopted (supervisor 4242)", or its Slurm job under slurm. */
static void
run_recover_log(struct daemon *d, const struct job *j)
{
	struct exec_info xi;

	memset(&xi, 0, sizeof(xi));
	if (d->exec->info != NULL && d->exec->info(&d->xctx, j, 0, &xi) == 0 &&
	    xi.id > 0)
		log_info("job %lld adopted (%s job %lld)",
		    (long long)j->core.id, d->exec->name, (long long)xi.id);
	else
		log_info("job %lld adopted (supervisor %lld)",
		    (long long)j->core.id, (long long)j->sup_pid);
}

static void
run_recover_one(struct daemon *d, struct job *j, int64_t now)
{
	struct exec_result res;

	memset(&res, 0, sizeof(res));
	switch (d->exec->recover(&d->xctx, j, &res)) {
	case EXEC_NEVER_STARTED:
		log_info("job %lld never started before the restart; "
		         "queued again",
		    (long long)j->core.id);
		j->sup_pid = 0;
		j->start_time = 0;
		memset(&j->core.alloc, 0, sizeof(j->core.alloc));
		jobs_set_state(d, j, JOB_PENDING, now,
		    "requeued: the daemon stopped before it started");
		break;
	case EXEC_ALIVE:
		run_recover_log(d, j);
		run_watch(d, j);
		/* A stop the crash may have kept from being sent. */
		if (j->life != NULL && j->life->op != JOB_SWAP_OP_NONE)
			run_swap_after(d, j);
		else if (j->end_intent == JOB_INTENT_REQUEUE)
			run_stop(d, j);
		else if (j->end_intent != 0)
			d->exec->cancel(&d->xctx, j, j->kill_grace_s);
		break;
	case EXEC_GONE:
		run_finish(d, j, &res, now);
		break;
	}
}

void
run_recover(struct daemon *d)
{
	int64_t now = daemon_now();
	struct job **running;
	size_t i, n = 0;

	running = xreallocarray(NULL, d->nactive + 1, sizeof(*running));
	for (i = 0; i < d->nactive; i++)
		if (d->active[i]->core.state == JOB_RUNNING ||
		    d->active[i]->core.state == JOB_SUSPENDED)
			running[n++] = d->active[i];
	for (i = 0; i < n; i++) {
		if (running[i]->sup_pid > 0 || running[i]->attempt > 0)
			run_recover_one(d, running[i], now);
	}
	free(running);
}
