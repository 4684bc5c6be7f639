/*
 * The Slurm executor's worker thread: submits, signals, and the loop that
 * also polls (exec-slurm-poll.c).  See exec-slurm-int.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-slurm-int.h"
#include "core/exec/exec-state.h"
#include "core/exec/slurm-argv.h"

struct exec_slurm_state xs = { .mu = PTHREAD_MUTEX_INITIALIZER };

void exec_slurm_poll_jobs(void);
void exec_slurm_poll_nodes(void);
void exec_slurm_poll_strays(void);

struct exec_slurm_job *
exec_slurm_work_find(int64_t job_id)
{
	size_t i;

	for (i = 0; i < xs.njobs; i++)
		if (xs.jobs[i]->job_id == job_id)
			return xs.jobs[i];
	return NULL;
}

void
exec_slurm_work_wake(void)
{
	pthread_cond_signal(&xs.cv);
}

void
exec_slurm_work_end(struct exec_slurm_job *e, const struct exec_result *res)
{
	e->ended = 1;
	e->res = *res;
	e->res.ended = 1;
	if (e->wfd >= 0 && write(e->wfd, "e", 1) < 0)
		log_debug("slurm: cannot wake job %" PRId64, e->job_id);
}

int
exec_slurm_work_claim_read(const char *dir, int32_t attempt, int64_t *slurm_id)
{
	char *path = exec_state_path(dir, "claim", attempt, "");
	char buf[64];
	ssize_t r;
	int fd;

	*slurm_id = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd < 0)
		return errno == ENOENT ? 0 : 1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[r > 0 ? r : 0] = '\0';
	if (strncmp(buf, EXEC_STATE_RESCINDED, strlen(EXEC_STATE_RESCINDED)) ==
	    0)
		return 2;
	if (strncmp(buf, "slurm ", 6) == 0)
		*slurm_id = strtoll(buf + 6, NULL, 10);
	if (*slurm_id < 0)
		*slurm_id = 0;
	return 1;
}

int
exec_slurm_work_rescind(const char *dir, int32_t attempt)
{
	char *path = exec_state_path(dir, "claim", attempt, "");
	char *tmp = xasprintf("%s.gpuqd-%ld", path, (long)getpid());
	int fd, rc = GQ_EIO;

	/* O_EXCL: whatever the job's user left at tmp is not ours to use. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd >= 0) {
		if (write(fd, EXEC_STATE_RESCINDED "\n",
		        sizeof(EXEC_STATE_RESCINDED)) ==
		        (ssize_t)sizeof(EXEC_STATE_RESCINDED) &&
		    fsync(fd) == 0)
			rc = 0;
		close(fd);
	}
	if (rc == 0 && link(tmp, path) != 0)
		rc = errno == EEXIST ? GQ_EEXIST : GQ_EIO;
	unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

int
exec_slurm_work_id_write(const char *dir, int32_t attempt, int64_t slurm_id)
{
	char *path = exec_state_path(dir, "slurm", attempt, ".id");
	char *tmp = xasprintf("%s.tmp", path), line[32];
	int fd, rc = GQ_EIO, len;

	len = snprintf(line, sizeof(line), "%" PRId64 "\n", slurm_id);
	fd = open(tmp,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
	    0644);
	if (fd >= 0) {
		if (write(fd, line, (size_t)len) == len && fsync(fd) == 0)
			rc = 0;
		if (close(fd) != 0)
			rc = GQ_EIO;
	}
	if (rc == 0 && rename(tmp, path) != 0)
		rc = GQ_EIO;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

int64_t
exec_slurm_work_id_read(const char *dir, int32_t attempt)
{
	char *path = exec_state_path(dir, "slurm", attempt, ".id");
	char buf[32];
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd < 0)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[r > 0 ? r : 0] = '\0';
	return r > 0 && strtoll(buf, NULL, 10) > 0 ? strtoll(buf, NULL, 10) : 0;
}

int
exec_slurm_work_waiting(void)
{
	return xs.retry_at > clock_mono_ms();
}

/* Slurm did not answer: wait longer each time, up to EXEC_SLURM_BACKOFF_MAX. */
static void
exec_slurm_work_away(const char *why)
{
	int64_t now = clock_mono_ms();

	if (xs.retry_at == 0)
		log_warn("slurm: not answering (%s); gpuqd keeps trying", why);
	xs.backoff = xs.backoff == 0 ? 1000 : xs.backoff * 2;
	if (xs.backoff > EXEC_SLURM_BACKOFF_MAX)
		xs.backoff = EXEC_SLURM_BACKOFF_MAX;
	xs.retry_at = now + xs.backoff;
	snprintf(xs.away, sizeof(xs.away), "%s", why);
}

/* Slurm answered (xs.mu held). */
static void
exec_slurm_work_back(void)
{
	if (xs.retry_at != 0)
		log_info("slurm: answering again");
	xs.retry_at = 0;
	xs.backoff = 0;
	xs.away[0] = '\0';
}

/* Exported to the poller, which holds xs.mu. */
void
exec_slurm_work_set_away(const char *why, int away)
{
	if (away)
		exec_slurm_work_away(why);
	else
		exec_slurm_work_back();
}

/* Makes sure no run of e's attempt will ever start (xs.mu held). */
static void
exec_slurm_work_rescind_job(struct exec_slurm_job *e)
{
	int rc = exec_slurm_work_rescind(e->dir, e->attempt);

	if (rc != 0 && rc != GQ_EEXIST)
		log_warn("slurm: cannot rescind attempt %d of job %" PRId64,
		    (int)e->attempt, e->job_id);
}

/* Ends a job that has not reached Slurm yet (xs.mu held). */
void
exec_slurm_work_unsubmit(struct exec_slurm_job *e)
{
	struct exec_result res;

	slurm_argv_free(e->submit);
	e->submit = NULL;
	exec_slurm_work_rescind_job(e);
	memset(&res, 0, sizeof(res));
	res.exit_code = -1;
	res.end_time = time(NULL);
	res.final_state = JOB_CANCELLED;
	snprintf(res.reason, sizeof(res.reason),
	    "cancelled before Slurm had it");
	exec_slurm_work_end(e, &res);
}

static void
exec_slurm_work_submit_failed(struct exec_slurm_job *e, const char *why)
{
	struct exec_result res;

	memset(&res, 0, sizeof(res));
	res.exit_code = -1;
	res.end_time = time(NULL);
	snprintf(res.reason, sizeof(res.reason), "Slurm refused the job: %s",
	    why);
	exec_slurm_work_rescind_job(e);
	exec_slurm_work_end(e, &res);
}

/*
 * What an sbatch said: 0 and *id, GQ_ECONN when Slurm was away (try
 * again), GQ_EIO when it refused, with why (n bytes).
 */
static int
exec_slurm_work_submit_answer(struct exec_slurm_cmd *c, int64_t *id, char *why,
    size_t n)
{
	slurm_parse_error(c->err.data != NULL ? c->err.data : "", why, n);
	if (c->status != 0)
		return c->timed_out || slurm_parse_transient(why) ? GQ_ECONN :
		                                                    GQ_EIO;
	if ((*id = slurm_parse_jobid(c->out.data ? c->out.data : "")) < 0) {
		snprintf(why, n, "sbatch said \"%.100s\"",
		    c->out.data ? c->out.data : "");
		return GQ_EIO;
	}
	return 0;
}

/* How one sbatch went, applied to its job (xs.mu held). */
static void
exec_slurm_work_submit_done(int64_t job_id, int32_t attempt,
    struct exec_slurm_cmd *c, char **argv)
{
	struct exec_slurm_job *e = exec_slurm_work_find(job_id);
	char why[400];
	int64_t id = 0;
	int rc;

	rc = exec_slurm_work_submit_answer(c, &id, why, sizeof(why));
	if (e == NULL || e->attempt != attempt) {
		slurm_argv_free(argv);
		return;
	}
	e->submitting = 0;
	if (rc == GQ_ECONN && e->cancel) {
		e->submit = argv;
		exec_slurm_work_unsubmit(e);
		return;
	}
	if (rc == GQ_ECONN) {
		e->submit = argv; /* again later: the claim stops a twin */
		exec_slurm_work_away(why);
		return;
	}
	slurm_argv_free(argv);
	exec_slurm_work_back();
	if (rc != 0) {
		exec_slurm_work_submit_failed(e,
		    why[0] ? why : "sbatch failed");
		return;
	}
	e->slurm_id = id;
	e->state = SLURM_PENDING;
	e->seen_ms = clock_mono_ms();
	xs.submits++;
	if (exec_slurm_work_id_write(e->dir, attempt, id) != 0)
		log_warn("slurm: cannot write the id of job %" PRId64, job_id);
	log_debug("slurm: job %" PRId64 " attempt %d is Slurm job %" PRId64,
	    job_id, (int)attempt, id);
}

/* The sbatch processes running at once, and whose they are. */
struct exec_slurm_pool {
	struct exec_slurm_cmd c[EXEC_SLURM_PARALLEL];
	int64_t job_id[EXEC_SLURM_PARALLEL];
	int32_t attempt[EXEC_SLURM_PARALLEL];
	char **argv[EXEC_SLURM_PARALLEL];
};

/* Starts the next queued sbatch in slot i; 0 when none is queued. */
static int
exec_slurm_work_submit_next(struct exec_slurm_pool *p, size_t i)
{
	struct exec_slurm_job *e = NULL;
	size_t k;

	pthread_mutex_lock(&xs.mu);
	for (k = 0; k < xs.njobs && !exec_slurm_work_waiting(); k++) {
		e = xs.jobs[k];
		if (e->submit != NULL && !e->submitting && !e->ended)
			break;
	}
	if (k == xs.njobs || exec_slurm_work_waiting()) {
		pthread_mutex_unlock(&xs.mu);
		return 0;
	}
	p->argv[i] = e->submit;
	e->submit = NULL;
	e->submitting = 1;
	p->job_id[i] = e->job_id;
	p->attempt[i] = e->attempt;
	pthread_mutex_unlock(&xs.mu);
	exec_slurm_cmd_init(&p->c[i], p->argv[i]);
	exec_slurm_cmd_start(&p->c[i], xs.env);
	return 1;
}

/* Slot i's sbatch has ended (or never started): its job learns how. */
static void
exec_slurm_work_submit_reaped(struct exec_slurm_pool *p, size_t i)
{
	pthread_mutex_lock(&xs.mu);
	exec_slurm_work_submit_done(p->job_id[i], p->attempt[i], &p->c[i],
	    p->argv[i]);
	pthread_mutex_unlock(&xs.mu);
	exec_slurm_cmd_done(&p->c[i]);
}

/*
 * Keeps up to xs.parallel sbatch running while jobs wait to be submitted,
 * starting new ones for at most a second, so that polls and signals are
 * not held up for long.
 */
static void
exec_slurm_work_submits(void)
{
	int64_t end = clock_mono_ms() + 1000;
	size_t i, busy = 0, n = (size_t)xs.parallel;
	struct exec_slurm_pool p;
	int k, more = 1;

	memset(&p, 0, sizeof(p));
	for (i = 0; i < n; i++) {
		p.c[i].ofd = p.c[i].efd = -1;
		p.c[i].pid = -1;
	}
	do {
		for (i = 0; i < n && more && clock_mono_ms() < end; i++) {
			if (p.c[i].running ||
			    !(more = exec_slurm_work_submit_next(&p, i)))
				continue;
			if (p.c[i].running)
				busy++;
			else
				exec_slurm_work_submit_reaped(&p,
				    i); /* could not start */
		}
		if (busy > 0 && (k = exec_slurm_cmd_step(p.c, n, 50)) >= 0) {
			exec_slurm_work_submit_reaped(&p, (size_t)k);
			busy--;
		}
	} while (busy > 0);
}

/* What the worker must tell Slurm about one job now. */
struct exec_slurm_action {
	int64_t job_id, slurm_id;
	int32_t attempt;
	int kind; /* 0 signal, 1 end for good, 2 swap op */
	char **argv;
};

/* The next command e needs, or NULL (xs.mu held). */
static char **
exec_slurm_work_action_argv(struct exec_slurm_job *e, int64_t now, int *kind)
{
	char id[32], sig[32];

	snprintf(id, sizeof(id), "%" PRId64, e->slurm_id);
	if (e->cancel &&
	    (e->kill_at != 0 ? now >= e->kill_at :
	                       e->signo == 0 || e->state == SLURM_PENDING)) {
		*kind = 1;
		return slurm_argv_make("scancel", id, NULL);
	}
	if (e->cancel && e->signo != 0) {
		*kind = 0;
		snprintf(sig, sizeof(sig), "--signal=%d", e->signo);
		return slurm_argv_make("scancel", "--full", sig, id, NULL);
	}
	if (e->op != EXEC_SLURM_OP_NONE && !e->op_sent) {
		*kind = 2;
		return slurm_argv_make("scontrol",
		    e->op == EXEC_SLURM_OP_SUSPEND ? "suspend" : "resume", id,
		    NULL);
	}
	return NULL;
}

static size_t
exec_slurm_work_actions_collect(struct exec_slurm_action **out)
{
	struct exec_slurm_action *a = NULL;
	int64_t now = clock_mono_ms();
	size_t i, n = 0;
	char **argv;
	int kind;

	pthread_mutex_lock(&xs.mu);
	for (i = 0; i < xs.njobs && !exec_slurm_work_waiting(); i++) {
		struct exec_slurm_job *e = xs.jobs[i];

		if (e->slurm_id <= 0 || e->ended ||
		    (argv = exec_slurm_work_action_argv(e, now, &kind)) == NULL)
			continue;
		a = xreallocarray(a, n + 1, sizeof(*a));
		a[n].job_id = e->job_id;
		a[n].slurm_id = e->slurm_id;
		a[n].attempt = e->attempt;
		a[n].kind = kind;
		a[n++].argv = argv;
	}
	pthread_mutex_unlock(&xs.mu);
	*out = a;
	return n;
}

/* How one action went (xs.mu held). */
static void
exec_slurm_work_action_done(const struct exec_slurm_action *a, int rc,
    const char *why)
{
	struct exec_slurm_job *e = exec_slurm_work_find(a->job_id);

	if (rc == GQ_ECONN)
		exec_slurm_work_away(why);
	else
		exec_slurm_work_back();
	if (e == NULL || e->attempt != a->attempt ||
	    e->slurm_id != a->slurm_id || rc == GQ_ECONN)
		return;
	if (rc != 0 && a->kind != 2)
		log_warn("slurm: %s %" PRId64 ": %s", a->argv[0], a->slurm_id,
		    why);
	if (a->kind == 0) {
		e->signo = 0;
		e->kill_at = clock_mono_ms() + e->grace_ms;
	} else if (a->kind == 1) {
		e->signo = 0;
		e->kill_at = INT64_MAX; /* sent: Slurm takes it from here */
	} else {
		e->op_sent = e->op_done = 1;
		e->op_ok = rc == 0;
		e->op_time = time(NULL);
		snprintf(e->op_error, sizeof(e->op_error), "%.250s",
		    rc == 0 ? "" : why);
	}
}

static void
exec_slurm_work_actions(void)
{
	struct exec_slurm_action *a;
	struct exec_slurm_cmd c;
	char why[400];
	size_t i, n;
	int rc;

	n = exec_slurm_work_actions_collect(&a);
	for (i = 0; i < n; i++) {
		exec_slurm_cmd_init(&c, a[i].argv);
		rc = exec_slurm_cmd_one(&c, why, sizeof(why));
		/* scancel of a job that has just ended is no failure. */
		if (rc == GQ_EIO && slurm_parse_invalid_job(why) == 0 &&
		    strstr(why, "already completing or completed") != NULL)
			rc = 0;
		pthread_mutex_lock(&xs.mu);
		exec_slurm_work_action_done(&a[i], rc, why);
		pthread_mutex_unlock(&xs.mu);
		exec_slurm_cmd_done(&c);
		slurm_argv_free(a[i].argv);
	}
	free(a);
}

/* Milliseconds until the worker has something to do (xs.mu held). */
static int64_t
exec_slurm_work_idle_ms(void)
{
	int64_t now = clock_mono_ms(), next = now + EXEC_SLURM_NODES_MS, t;
	size_t i;
	int tracked = 0;

	if (exec_slurm_work_waiting())
		return xs.retry_at - now;
	if (xs.inv_wanted || xs.next_inv <= now)
		return 0;
	next = xs.next_inv;
	if (xs.strays_at != 0 && xs.strays_at < next)
		next = xs.strays_at;
	for (i = 0; i < xs.njobs; i++) {
		struct exec_slurm_job *e = xs.jobs[i];
		int kind;
		char **argv;

		if (e->ended)
			continue;
		if ((e->submit != NULL && !e->submitting))
			return 0;
		if (e->slurm_id > 0) {
			tracked = 1;
			if ((argv = exec_slurm_work_action_argv(e, now,
			         &kind)) != NULL) {
				slurm_argv_free(argv);
				return 0;
			}
			t = e->kill_at;
			if (e->cancel && t != 0 && t != INT64_MAX && t < next)
				next = t;
		}
	}
	if (tracked && xs.next_poll < next)
		next = xs.next_poll;
	return next > now ? next - now : 0;
}

static void
exec_slurm_work_sleep(void)
{
	struct timespec ts;
	int64_t ms;

	pthread_mutex_lock(&xs.mu);
	if ((ms = exec_slurm_work_idle_ms()) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&xs.cv, &xs.mu, &ts);
	}
	pthread_mutex_unlock(&xs.mu);
}

static void *
exec_slurm_work_main(void *arg)
{
	for (;;) {
		exec_slurm_work_submits();
		exec_slurm_work_actions();
		exec_slurm_poll_jobs();
		exec_slurm_poll_nodes();
		exec_slurm_poll_strays();
		exec_slurm_work_sleep();
	}
	return NULL;
}

/* Starts the worker, with every signal blocked in it (xs.mu held). */
void
exec_slurm_work_start_worker(void)
{
	pthread_condattr_t ca;
	sigset_t all, old;

	if (xs.started)
		return;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&xs.cv, &ca);
	pthread_condattr_destroy(&ca);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&xs.thread, NULL, exec_slurm_work_main, NULL) != 0) {
		log_error("slurm: cannot start the worker thread");
		exit(1);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_detach(xs.thread);
	xs.started = 1;
}
