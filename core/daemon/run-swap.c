/*
 * Swap-outs and swap-ins (docs/swap.md).  A job is swapped out by the
 * strongest mechanism there is: cuda-checkpoint (its GPU memory goes to
 * host memory, the GPUs are freed, the processes stop), else its declared
 * checkpoint signal (it saves, exits and is requeued: run-preempt.c),
 * else a plain stop (SIGSTOP: compute is freed, its GPU memory stays).
 *
 * A suspend or resume is an operation handed to the executor after the
 * commit (AFTER_SWAP); its outcome is read back each tick.  The job is
 * RUNNING with end_intent JOB_INTENT_SUSPEND until its supervisor says it
 * is out, then SUSPENDED.  A resume makes it RUNNING on the same GPUs at
 * once (they are taken in the same turn) and the processes continue after
 * the commit.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/run-swap.h"

/*
 * A job whose swap operation is with its supervisor: its directory is
 * watched (inotify), so that the report is read the moment it is
 * written rather than at the next tick.
 */
struct run_swap_watch {
	uv_fs_event_t ev;
	struct daemon *d;
	int64_t job_id;
	struct run_swap_watch *next;
};

struct run_swap {
	char *tool; /* cuda-checkpoint's absolute path, or NULL */
	struct run_swap_watch *watches;
};

static void run_swap_poll(struct daemon *d, struct job *j, int64_t now);

static const char *const run_swap_mech_names[] = { "none", "cuda-checkpoint",
	"signal", "stop" };

const char *
run_swap_mech_name(int mech)
{
	if (mech < 0 || mech > JOB_SWAP_STOP)
		return "none";
	return run_swap_mech_names[mech];
}

/* An executable cuda-checkpoint on PATH (new absolute path), or NULL. */
static char *
run_swap_find_tool(void)
{
	const char *path = getenv("PATH"), *p, *colon;
	char *cand, real[PATH_MAX];
	size_t len;

	for (p = path; p != NULL && *p != '\0'; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		len = colon ? (size_t)(colon - p) : strlen(p);
		if (len == 0)
			continue;
		cand = xasprintf("%.*s/cuda-checkpoint", (int)len, p);
		if (access(cand, X_OK) == 0 && realpath(cand, real) != NULL) {
			free(cand);
			return xstrdup(real);
		}
		free(cand);
	}
	return NULL;
}

void
run_swap_init(struct daemon *d)
{
	const char *cfg = d->cfg.cuda_checkpoint;
	char real[PATH_MAX];

	d->swap = xcalloc(1, sizeof(*d->swap));
	if (cfg != NULL && strcmp(cfg, "none") == 0)
		d->swap->tool = NULL;
	else if (cfg != NULL && access(cfg, X_OK) == 0 &&
	    realpath(cfg, real) != NULL)
		d->swap->tool = xstrdup(real);
	else if (cfg != NULL)
		log_warn("cuda-checkpoint %s: not an executable file", cfg);
	else
		d->swap->tool = run_swap_find_tool();
	d->xctx.cuda_checkpoint = d->swap->tool;
	if (d->swap->tool != NULL)
		log_info("swap-outs use cuda-checkpoint (%s)", d->swap->tool);
	else
		log_info("no cuda-checkpoint: swap-outs use checkpoint signals "
		         "or a plain stop");
}

static void
run_swap_watch_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
run_swap_unwatch(struct daemon *d, int64_t id)
{
	struct run_swap_watch **p, *w;

	for (p = &d->swap->watches; (w = *p) != NULL; p = &w->next)
		if (w->job_id == id)
			break;
	if (w == NULL)
		return;
	*p = w->next;
	uv_fs_event_stop(&w->ev);
	uv_close((uv_handle_t *)&w->ev, run_swap_watch_closed);
}

static void
run_swap_event(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct run_swap_watch *w = h->data;
	struct daemon *d = w->d;
	struct job *j = jobs_find(d, w->job_id);

	(void)events;
	(void)status;
	if (name != NULL && strncmp(name, "swap-", 5) != 0)
		return;
	if (j != NULL && j->life != NULL && j->life->op != JOB_SWAP_OP_NONE)
		run_swap_poll(d, j, daemon_now());
	if (j == NULL || j->life == NULL || j->life->op == JOB_SWAP_OP_NONE)
		run_swap_unwatch(d, w->job_id);
	daemon_kick(d);
}

/* Watches the local executor's job directory until the op is done. */
static void
run_swap_watch(struct daemon *d, const struct job *j)
{
	struct run_swap_watch *w;
	char *dir;

	if (d->exec != &exec_local || d->loop == NULL)
		return;
	for (w = d->swap->watches; w != NULL; w = w->next)
		if (w->job_id == j->core.id)
			return;
	w = xcalloc(1, sizeof(*w));
	w->d = d;
	w->job_id = j->core.id;
	dir =
	    xasprintf("%s/jobs/%lld", d->xctx.state_dir, (long long)j->core.id);
	if (uv_fs_event_init(d->loop, &w->ev) != 0) {
		free(dir);
		free(w);
		return;
	}
	w->ev.data = w;
	if (uv_fs_event_start(&w->ev, run_swap_event, dir, 0) != 0) {
		uv_close((uv_handle_t *)&w->ev, run_swap_watch_closed);
		free(dir);
		return;
	}
	free(dir);
	w->next = d->swap->watches;
	d->swap->watches = w;
}

void
run_swap_done(struct daemon *d)
{
	struct run_swap_watch *w;

	if (d->swap == NULL)
		return;
	/* The loop has closed every handle by now (daemon_run). */
	while ((w = d->swap->watches) != NULL) {
		d->swap->watches = w->next;
		free(w);
	}
	d->xctx.cuda_checkpoint = NULL;
	free(d->swap->tool);
	free(d->swap);
	d->swap = NULL;
}

int
run_swap_mech(struct daemon *d, const struct job *j, int preempt)
{
	if (d->exec->suspend != NULL && d->xctx.cuda_checkpoint != NULL &&
	    j->core.alloc.ngpus > 0)
		return JOB_SWAP_CUDA;
	if (j->ckpt_signal > 0 || preempt)
		return JOB_SWAP_SIGNAL;
	if (d->exec->suspend != NULL)
		return JOB_SWAP_STOP;
	return JOB_SWAP_NONE;
}

int64_t
run_swap_elapsed(const struct job *j, int64_t now)
{
	int64_t t = j->life != NULL ? j->life->ran_s : 0;

	if (j->core.state == JOB_RUNNING && j->start_time > 0 &&
	    now > j->start_time)
		t += now - j->start_time;
	return t;
}

/* 1 if j's last attempt ended while it was suspended (not resuming). */
static int
run_swap_ended_out(const struct job_life *l)
{
	return (l->mech == JOB_SWAP_CUDA || l->mech == JOB_SWAP_STOP) &&
	    l->op != JOB_SWAP_OP_RESUME && l->since > 0;
}

void
run_swap_usage_span(const struct job *j, int64_t *start, int64_t *end)
{
	const struct job_life *l = j->life;
	int64_t run;

	*start = j->start_time;
	*end = j->end_time;
	if (j->start_time <= 0 || l == NULL ||
	    (l->ran_s <= 0 && !run_swap_ended_out(l)))
		return;
	if (run_swap_ended_out(l)) {
		run = l->ran_s;
		*end = l->since < j->end_time ? l->since : j->end_time;
	} else
		run = l->ran_s +
		    (j->end_time > j->start_time ? j->end_time - j->start_time :
		                                   0);
	*start = *end - run;
}

void
run_swap_clear(struct job *j)
{
	struct job_life *l = j->life;

	if (l == NULL)
		return;
	l->mech = JOB_SWAP_NONE;
	l->op = JOB_SWAP_OP_NONE;
	l->resume = l->user_hold = l->kind = l->retry = 0;
	l->since = 0;
	l->for_job = 0;
	free(l->left);
	l->left = NULL;
	free(l->where);
	l->where = NULL;
}

/* Where a swapped-out job's state is, for people (new string). */
static char *
run_swap_where(const struct job *j, int mech, int ncuda)
{
	const struct alloc *a = j->life->left ? j->life->left : &j->core.alloc;
	char g[160];

	run_swap_gpus(a, g, sizeof(g));
	if (mech != JOB_SWAP_SIGNAL && a->ngpus == 0)
		return xstrdup("host memory: its processes are stopped (it "
		               "holds no GPU)");
	if (mech == JOB_SWAP_CUDA && ncuda > 0)
		return xasprintf("host memory: cuda-checkpoint moved the GPU "
		                 "memory of %d CUDA process%s off %s",
		    ncuda, ncuda == 1 ? "" : "es", g);
	if (mech == JOB_SWAP_CUDA)
		return xasprintf("host memory (cuda-checkpoint found no CUDA "
		                 "process: nothing was on %s)",
		    g);
	if (mech == JOB_SWAP_STOP)
		return xasprintf("GPU memory stays on %s (plain stop: no "
		                 "cuda-checkpoint, no checkpoint signal)",
		    g);
	return xasprintf("checkpoint files the job saved on SIG%s (gpuq does "
	                 "not know their path; its workdir is %s)",
	    sigabbrev_np(j->ckpt_signal > 0 ? j->ckpt_signal : 15) ?
	        sigabbrev_np(j->ckpt_signal > 0 ? j->ckpt_signal : 15) :
	        "TERM",
	    j->workdir ? j->workdir : "/");
}

static void
run_swap_set_error(struct job_life *l, const char *e)
{
	free(l->error);
	l->error = e != NULL && e[0] != '\0' ? xstrdup(e) : NULL;
}

/* 0 when j may be swapped out now by mech, else ESTATE and *cause. */
static int
run_swap_may(struct daemon *d, const struct job *j, int mech, char **cause)
{
	if (j->core.state != JOB_RUNNING || j->attempt <= 0) {
		*cause = xasprintf("job %lld is not running (%s)",
		    (long long)j->core.id, model_state_name(j->core.state));
		return GQ_ESTATE;
	}
	if (j->end_intent != 0 || (j->life && j->life->op != 0)) {
		*cause = xasprintf("job %lld is already being stopped, "
		                   "swapped out or resumed",
		    (long long)j->core.id);
		return GQ_ESTATE;
	}
	if (mech == JOB_SWAP_NONE) {
		*cause = xasprintf("job %lld cannot be swapped out: the %s "
		                   "executor cannot suspend and the job "
		                   "declared no checkpoint signal",
		    (long long)j->core.id, d->exec->name);
		return GQ_ESTATE;
	}
	return 0;
}

/* The intent, persisted before anything is signalled after the commit. */
static void
run_swap_intent(struct daemon *d, struct job *j, enum run_swap_kind kind)
{
	struct job_life *l = j->life;

	if (l->mech == JOB_SWAP_SIGNAL) {
		l->user_hold = kind == RUN_SWAP_USER || kind == RUN_SWAP_IDLE;
		l->resume = 0;
		if (l->user_hold)
			j->core.flags |= JOB_F_HELD;
		j->end_intent = JOB_INTENT_REQUEUE;
		run_queue_after(d, AFTER_PREEMPT, j->core.id);
		return;
	}
	l->op = JOB_SWAP_OP_SUSPEND;
	l->seq++;
	l->user_hold = 0;
	l->resume = kind == RUN_SWAP_VERB || kind == RUN_SWAP_PREEMPT;
	j->end_intent = JOB_INTENT_SUSPEND;
	run_queue_after(d, AFTER_SWAP, j->core.id);
}

int
run_swap_begin(struct daemon *d, struct job *j, int mech,
    enum run_swap_kind kind, int64_t for_job, const char *why, int64_t now,
    char **cause)
{
	struct job_life *l;
	int rc;

	if ((rc = run_swap_may(d, j, mech, cause)) != 0)
		return rc;
	l = job_life(j);
	l->kind = (int32_t)kind;
	l->for_job = for_job;
	l->mech = mech;
	l->retry = 0;
	l->since = 0;
	run_swap_set_error(l, NULL);
	free(l->left);
	l->left = xmalloc(sizeof(*l->left));
	*l->left = j->core.alloc;
	job_set_reason(j, why);
	run_swap_intent(d, j, kind);
	jobs_changed(d, j, now, 1);
	d->sched_dirty = 1;
	log_info("job %lld: swap-out by %s: %s", (long long)j->core.id,
	    run_swap_mech_name(mech), why);
	return 0;
}

void
run_swap_out(struct daemon *d, struct job *j, int64_t now, const char *why)
{
	char *cause = NULL;

	if (run_swap_begin(d, j, run_swap_mech(d, j, 0), RUN_SWAP_IDLE, 0, why,
	        now, &cause) != 0) {
		log_info("job %lld not swapped out: %s", (long long)j->core.id,
		    cause);
		free(cause);
	}
}

/*
 * A swap operation could not be done.  A failed cuda-checkpoint falls
 * back to the next mechanism, a failed resume requeues the job: both on
 * the next tick (retry), so that their new intent is committed before
 * anything is signalled.
 */
static void
run_swap_failed(struct daemon *d, struct job *j, const char *why, int64_t now)
{
	struct job_life *l = j->life;
	char reason[400];

	log_warn("job %lld: %s failed: %s", (long long)j->core.id,
	    l->op == JOB_SWAP_OP_RESUME ? "resume" : "swap-out", why);
	run_swap_set_error(l, why);
	if (l->op == JOB_SWAP_OP_RESUME) {
		l->retry = 2;
	} else if (l->mech == JOB_SWAP_CUDA) {
		l->mech = j->ckpt_signal > 0 || l->kind == RUN_SWAP_PREEMPT ?
		    JOB_SWAP_SIGNAL :
		    JOB_SWAP_STOP;
		l->retry = 1;
	} else {
		snprintf(reason, sizeof(reason), "swap-out failed: %s", why);
		job_set_reason(j, reason);
	}
	l->op = JOB_SWAP_OP_NONE;
	if (j->end_intent == JOB_INTENT_SUSPEND)
		j->end_intent = 0;
	jobs_changed(d, j, now, 0);
	d->sched_dirty = 1;
}

void
run_swap_after(struct daemon *d, struct job *j)
{
	int (*fn)(const struct exec_ctx *, const struct job *, int, int32_t,
	    char *, size_t);
	struct job_life *l = j->life;
	char cause[512];

	if (l == NULL || l->op == JOB_SWAP_OP_NONE ||
	    j->core.state != JOB_RUNNING)
		return;
	if (l->op == JOB_SWAP_OP_SUSPEND && j->end_intent != JOB_INTENT_SUSPEND)
		return;
	fn = l->op == JOB_SWAP_OP_SUSPEND ? d->exec->suspend : d->exec->resume;
	snprintf(cause, sizeof(cause), "the %s executor cannot do it",
	    d->exec->name);
	if (fn == NULL ||
	    fn(&d->xctx, j, l->mech, l->seq, cause, sizeof(cause)) != 0)
		run_swap_failed(d, j, cause, daemon_now());
	else
		run_swap_watch(d, j);
}

/* Makes a SUSPENDED job RUNNING again on its GPUs; the processes continue
 * after the commit. */
static void
run_swap_resume_now(struct daemon *d, struct job *j, int64_t now,
    const char *why)
{
	struct job_life *l = j->life;

	l->op = JOB_SWAP_OP_RESUME;
	l->seq++;
	l->resume = 0;
	l->user_hold = 0;
	j->core.alloc = *l->left;
	j->core.pin = NULL;
	j->end_intent = 0;
	jobs_set_state(d, j, JOB_RUNNING, now, why);
	run_queue_after(d, AFTER_SWAP, j->core.id);
	log_info("job %lld: %s", (long long)j->core.id, why);
}

int
run_swap_resumable(struct daemon *d, const struct job *j)
{
	const struct job_life *l = j->life;
	struct job *fj;

	if (j->core.state != JOB_SUSPENDED || l == NULL || !l->resume ||
	    l->left == NULL || j->end_intent != 0 || l->op != JOB_SWAP_OP_NONE)
		return 0;
	/* Not before the job it made room for has had its turn. */
	return l->for_job <= 0 || (fj = jobs_find(d, l->for_job)) == NULL ||
	    fj->core.state != JOB_PENDING;
}

/* Why a resumed job still waits (new string): its GPUs, or the policy. */
static char *
run_swap_waiting(struct daemon *d, struct job *j)
{
	struct job_life *l = j->life;
	struct cluster c;
	char g[160], who[64], hint[256];
	int fits;

	run_swap_gpus(l->left, g, sizeof(g));
	run_swap_free(d, &c);
	run_swap_keep(&c, j, -1);
	fits = run_swap_fits(&c, l->left);
	cluster_done(&c);
	if (!fits) {
		run_swap_holder(d, j, l->left, who, sizeof(who));
		return xasprintf("%s %s in use by %s: it resumes there as "
		                 "soon as %s free",
		    g, l->left->ngpus == 1 ? "is" : "are", who,
		    l->left->ngpus == 1 ? "it is" : "they are");
	}
	hint[0] = '\0';
	if (j->plan_wait.job_id == j->core.id)
		sched_hint_text(&j->plan_wait, daemon_now(), hint,
		    sizeof(hint));
	return xasprintf("it waits (%s%s%s): it resumes on %s when the "
	                 "scheduler lets it",
	    sched_reason_name(j->wait), hint[0] ? ": " : "", hint, g);
}

void
run_swap_resume(struct daemon *d, struct job *j, int64_t now, char **waiting)
{
	struct job_life *l = j->life;

	*waiting = NULL;
	l->resume = 1;
	l->for_job = 0;
	l->user_hold = 0;
	j->wait = WAIT_NONE;
	jobs_changed(d, j, now, 0);
	/* Through the policy, which honours quotas and limits. */
	run_schedule_pinned(d, now);
	if (j->core.state == JOB_SUSPENDED)
		*waiting = run_swap_waiting(d, j);
	d->sched_dirty = 1;
}

/* The supervisor says the job is out: it becomes SUSPENDED. */
static void
run_swap_out_done(struct daemon *d, struct job *j, const struct exec_swap *st,
    int64_t now)
{
	struct job_life *l = j->life;
	char reason[600];

	l->op = JOB_SWAP_OP_NONE;
	if (j->end_intent != JOB_INTENT_SUSPEND) {
		/* Cancelled meanwhile: the supervisor continues it to end. */
		jobs_changed(d, j, now, 0);
		return;
	}
	if (!st->ok) {
		run_swap_failed(d, j,
		    st->error[0] ? st->error : "unknown error", now);
		return;
	}
	j->end_intent = 0;
	j->wait = WAIT_NONE;
	l->mech = st->mech;
	l->since = st->time > 0 && st->time <= now ? st->time : now;
	if (j->start_time > 0 && l->since > j->start_time)
		l->ran_s += l->since - j->start_time;
	free(l->where);
	l->where = run_swap_where(j, l->mech, st->ncuda);
	snprintf(reason, sizeof(reason), "%s; suspended by %s",
	    j->reason != NULL ? j->reason : "swapped out",
	    run_swap_mech_name(l->mech));
	jobs_set_state(d, j, JOB_SUSPENDED, now, reason);
	log_info("job %lld suspended (%s): %s", (long long)j->core.id,
	    run_swap_mech_name(l->mech), l->where);
}

static void
run_swap_in_done(struct daemon *d, struct job *j, const struct exec_swap *st,
    int64_t now)
{
	if (!st->ok) {
		run_swap_failed(d, j,
		    st->error[0] ? st->error : "unknown error", now);
		return;
	}
	run_swap_clear(j);
	run_swap_set_error(j->life, NULL);
	jobs_changed(d, j, now, 0);
	/* No new state, but "swapping" is gone: replicas hear of it. */
	events_emit(d, "job.state",
	    json_pack("{s:o}", "job", jobjson_encode(d, j, 0)));
	log_info("job %lld continues", (long long)j->core.id);
}

/* Reads the outcome of the job's swap operation, if it has come. */
static void
run_swap_poll(struct daemon *d, struct job *j, int64_t now)
{
	struct job_life *l = j->life;
	struct exec_swap st;

	if (j->core.state != JOB_RUNNING) {
		l->op = JOB_SWAP_OP_NONE; /* it ended meanwhile */
		run_swap_unwatch(d, j->core.id);
		return;
	}
	if (d->exec->swap_check == NULL ||
	    d->exec->swap_check(&d->xctx, j, l->seq, &st) != 0 || !st.done)
		return;
	if (l->op == JOB_SWAP_OP_SUSPEND)
		run_swap_out_done(d, j, &st, now);
	else
		run_swap_in_done(d, j, &st, now);
	d->sched_dirty = 1;
	if (l->op == JOB_SWAP_OP_NONE)
		run_swap_unwatch(d, j->core.id);
}

/* A failed operation's follow-up (run_swap_failed). */
static void
run_swap_retry(struct daemon *d, struct job *j, int64_t now)
{
	struct job_life *l = j->life;
	char *cause = NULL, *err, why[600];

	if (l->retry == 2 && j->core.state == JOB_RUNNING &&
	    j->end_intent == 0) {
		snprintf(why, sizeof(why), "resume failed (%s): requeued",
		    l->error ? l->error : "?");
		l->retry = 0;
		j->end_intent = JOB_INTENT_REQUEUE;
		job_set_reason(j, why);
		jobs_changed(d, j, now, 1);
		run_queue_after(d, AFTER_CANCEL, j->core.id);
		return;
	}
	l->retry = 0;
	err = l->error;
	l->error = NULL;
	snprintf(why, sizeof(why), "%s (cuda-checkpoint failed: %s)",
	    j->reason ? j->reason : "swapped out", err ? err : "?");
	if (run_swap_begin(d, j, l->mech, (enum run_swap_kind)l->kind,
	        l->for_job, why, now, &cause) != 0) {
		log_warn("job %lld: %s", (long long)j->core.id, cause);
		free(cause);
	}
	free(l->error);
	l->error = err; /* kept: the job says why it is not checkpointed */
}

void
run_swap_tick(struct daemon *d, int64_t now)
{
	struct job *j;
	size_t i;

	for (i = d->nactive; i-- > 0;) {
		j = d->active[i];
		if (j->life != NULL && j->life->retry != 0)
			run_swap_retry(d, j, now);
		if (i < d->nactive && d->active[i] == j && j->life != NULL &&
		    j->life->op != JOB_SWAP_OP_NONE)
			run_swap_poll(d, j, now);
		if (i < d->nactive && d->active[i] == j &&
		    j->core.state == JOB_SUSPENDED && j->rt == NULL)
			run_check_job(d, j, now);
	}
}

static void
run_swap_unpin(struct daemon *d, struct job *j, int64_t now, const char *why)
{
	struct job_life *l = j->life;

	if (why != NULL)
		log_info("job %lld no longer waits for job %lld's GPUs: %s",
		    (long long)j->core.id, (long long)l->pin_from, why);
	free(l->pin);
	l->pin = NULL;
	l->pin_from = 0;
	j->core.pin = NULL;
	jobs_changed(d, j, now, 0);
}

/* Starts a swap's incoming job on the GPUs its outgoing job left. */
static void
run_swap_start_pinned(struct daemon *d, struct job *j, int64_t now)
{
	char why[96];

	snprintf(why, sizeof(why), "started in place of job %lld (swap)",
	    (long long)j->life->pin_from);
	j->core.alloc = *j->life->pin;
	run_swap_unpin(d, j, now, NULL);
	j->wait = WAIT_NONE;
	j->position = 0;
	memset(&j->plan_wait, 0, sizeof(j->plan_wait));
	j->attempt++;
	j->end_intent = 0;
	jobs_set_state(d, j, JOB_RUNNING, now, why);
	run_queue_after(d, AFTER_START, j->core.id);
	log_info("job %lld %s", (long long)j->core.id, why);
}

int
run_swap_start(struct daemon *d, struct job *j, int64_t now)
{
	if (j->core.state == JOB_SUSPENDED && run_swap_resumable(d, j)) {
		j->wait = WAIT_NONE;
		j->position = 0;
		memset(&j->plan_wait, 0, sizeof(j->plan_wait));
		run_swap_resume_now(d, j, now,
		    "resumed: its GPUs are free again");
		return 1;
	}
	if (j->core.state == JOB_PENDING && j->life != NULL &&
	    j->life->pin != NULL) {
		run_swap_start_pinned(d, j, now);
		return 1;
	}
	return 0;
}

/*
 * A swap's incoming job stays pinned while its outgoing job is on its way
 * out and while the GPUs it is pinned to are free; the policy starts it.
 */
static void
run_swap_pinned(struct daemon *d, struct job *j, struct cluster *c, int64_t now)
{
	struct job *out = jobs_find(d, j->life->pin_from);

	if (out != NULL && out->core.state == JOB_RUNNING &&
	    out->end_intent != 0)
		return; /* still on its way out */
	if (out != NULL && out->core.state == JOB_RUNNING)
		run_swap_unpin(d, j, now, "its swap-out did not happen");
	else if (j->core.flags & (JOB_F_HELD | JOB_F_DEPENDENCY))
		run_swap_unpin(d, j, now, "it is held or waits for a job");
	else if (!run_swap_fits(c, j->life->pin))
		run_swap_unpin(d, j, now, "they are no longer free");
}

void
run_swap_plan(struct daemon *d, int64_t now)
{
	struct cluster c = { NULL, 0 };
	struct job *j;
	size_t i;

	run_deps_plan(d, now);
	for (i = d->nactive; i-- > 0;) {
		j = d->active[i];
		if (j->life == NULL || j->core.state != JOB_PENDING ||
		    j->life->pin == NULL)
			continue;
		if (c.nodes == NULL)
			run_swap_free(d, &c);
		run_swap_pinned(d, j, &c, now);
	}
	cluster_done(&c);
}
