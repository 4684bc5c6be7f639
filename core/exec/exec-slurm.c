/*
 * The slurm executor: gpuq decides who runs next and where; every job it
 * admits becomes one Slurm batch job (sbatch --nodelist NODE), whose
 * progress a worker thread follows (exec-slurm-int.h).  These entry points
 * never wait for Slurm: they change the table and wake the worker.
 * docs/slurm.md tells the story.
 */
#include <sys/stat.h>

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
#include "core/exec/exec.h"
#include "core/exec/slurm-argv.h"

extern char **environ;

/* Where the jobs' scripts and logs live (new string). */
static char *
exec_slurm_dir(const struct exec_ctx *x)
{
	if (x->slurm_dir != NULL && x->slurm_dir[0] != '\0')
		return xstrdup(x->slurm_dir);
	return xasprintf("%s/slurm", x->state_dir);
}

static char *
exec_slurm_job_dir(int64_t job_id)
{
	return xasprintf("%s/%" PRId64, xs.dir, job_id);
}

/* The commands' environment: ours, times as seconds (new vector). */
static char **
exec_slurm_env(void)
{
	char **env = NULL;
	size_t i;

	for (i = 0; environ != NULL && environ[i] != NULL; i++)
		if (strncmp(environ[i], "SLURM_TIME_FORMAT=", 18) != 0)
			slurm_argv_push(&env, environ[i]);
	slurm_argv_push(&env, "SLURM_TIME_FORMAT=%s");
	return env;
}

/* The first call sets the executor up (xs.mu held). */
static void
exec_slurm_init(const struct exec_ctx *x)
{
	if (xs.started)
		return;
	xs.host = xstrdup(x->host != NULL ? x->host : "gpuqd");
	xs.dir = exec_slurm_dir(x);
	xs.partition = x->slurm_partition != NULL && x->slurm_partition[0] ?
	    xstrdup(x->slurm_partition) :
	    NULL;
	xs.poll_ms = x->slurm_poll_ms > 0 ? x->slurm_poll_ms : 1000;
	xs.gpu_mem_mb = x->slurm_gpu_mem_mb > 0 ? x->slurm_gpu_mem_mb : 81920;
	xs.as_user = x->drop_privileges;
	xs.parallel = (int)x->slurm_parallel;
	if (xs.parallel < 1 || xs.parallel > EXEC_SLURM_PARALLEL)
		xs.parallel = 4;
	xs.env = exec_slurm_env();
	xs.inv_wanted = 1;
	pthread_cond_init(&xs.inv_cv, NULL);
	exec_slurm_nodes_cache(x);
	/* Once recover() has rescinded what it must: cancel the strays. */
	xs.strays_at = clock_mono_ms() + EXEC_SLURM_STRAYS_MS;
	/*
	 * Users' jobs reach their own directories: traverse, not list.  The
	 * user owns hers, so every file gpuqd opens there is opened with
	 * O_NOFOLLOW | O_NONBLOCK (no symlink, no FIFO to hang on).
	 */
	if (mkdir(xs.dir, xs.as_user ? 0711 : 0700) != 0 && errno != EEXIST)
		log_warn("slurm: cannot create %s: %s", xs.dir,
		    strerror(errno));
	exec_slurm_work_start_worker();
	log_info("slurm: jobs go to Slurm%s%s, their files to %s; polled "
	         "every %lld ms",
	    xs.partition ? ", partition " : "",
	    xs.partition ? xs.partition : "", xs.dir, (long long)xs.poll_ms);
}

static void
exec_slurm_lock(const struct exec_ctx *x)
{
	pthread_mutex_lock(&xs.mu);
	exec_slurm_init(x);
}

static void
exec_slurm_unlock(void)
{
	pthread_mutex_unlock(&xs.mu);
}

static void
exec_slurm_entry_free(struct exec_slurm_job *e)
{
	if (e->wfd >= 0)
		close(e->wfd);
	slurm_argv_free(e->submit);
	free(e->dir);
	free(e);
}

/* Holds attempt of job_id from now on (xs.mu held; steals submit). */
static struct exec_slurm_job *
exec_slurm_put(int64_t job_id, int32_t attempt, int64_t slurm_id, char **submit)
{
	struct exec_slurm_job *e = exec_slurm_work_find(job_id);
	size_t i;

	if (e == NULL) {
		if (xs.njobs == xs.cap) {
			xs.cap = xs.cap ? xs.cap * 2 : 64;
			xs.jobs =
			    xreallocarray(xs.jobs, xs.cap, sizeof(*xs.jobs));
		}
		e = xs.jobs[xs.njobs++] = xcalloc(1, sizeof(*e));
	} else {
		for (i = 0; xs.jobs[i] != e; i++)
			;
		exec_slurm_entry_free(e);
		e = xs.jobs[i] = xcalloc(1, sizeof(*e));
	}
	e->job_id = job_id;
	e->attempt = attempt;
	e->dir = exec_slurm_job_dir(job_id);
	e->slurm_id = slurm_id;
	e->submit = submit;
	e->wfd = -1;
	e->seen_ms = clock_mono_ms();
	exec_slurm_work_wake();
	return e;
}

static void
exec_slurm_drop(struct exec_slurm_job *e)
{
	size_t i;

	for (i = 0; i < xs.njobs; i++)
		if (xs.jobs[i] == e) {
			xs.jobs[i] = xs.jobs[--xs.njobs];
			exec_slurm_entry_free(e);
			return;
		}
}

/*
 * What the files say of an attempt: 1 and *slurm_id when it reached
 * Slurm (sbatch's answer, or the claim of the run), 2 when rescinded, 0
 * when nothing says it did.  A claim being written is read again.
 */
static int
exec_slurm_known(const char *dir, int32_t attempt, int64_t *slurm_id)
{
	int kind, i;

	if ((*slurm_id = exec_slurm_work_id_read(dir, attempt)) > 0)
		return 1;
	for (i = 0; i < 100; i++) {
		kind = exec_slurm_work_claim_read(dir, attempt, slurm_id);
		if (kind != 1 || *slurm_id > 0)
			break;
		usleep(10000);
	}
	if (kind == 1 && *slurm_id > 0)
		exec_slurm_work_id_write(dir, attempt, *slurm_id);
	return kind;
}

/*
 * Adopts an attempt that reached Slurm before (a restart), refuses one
 * that was rescinded.  Returns 1 when adopted, 0 when it is new, or a
 * GQ_E* code (xs.mu held).
 */
static int
exec_slurm_again(struct job *j, const char *dir, char *cause, size_t n)
{
	int64_t id;
	int kind = exec_slurm_known(dir, j->attempt, &id);

	if (kind == 2) {
		snprintf(cause, n, "attempt %d was rescinded and cannot start",
		    (int)j->attempt);
		return GQ_ESTATE;
	}
	if (kind != 1)
		return 0;
	exec_slurm_put(j->core.id, j->attempt, id, NULL);
	if (j->start_time == 0)
		j->start_time = time(NULL);
	return 1;
}

static int
exec_slurm_start(const struct exec_ctx *x, struct job *j, char *cause, size_t n)
{
	char *dir, **argv;
	int rc;

	exec_slurm_lock(x);
	if (j->attempt < 1)
		j->attempt = 1;
	dir = exec_slurm_job_dir(j->core.id);
	if ((rc = exec_slurm_submit_mkdir(j, dir, cause, n)) != 0 ||
	    (rc = exec_slurm_again(j, dir, cause, n)) != 0)
		goto out;
	rc = GQ_EINVAL;
	if ((argv = exec_slurm_submit_sbatch(x, j, dir, cause, n)) == NULL)
		goto out;
	exec_slurm_put(j->core.id, j->attempt, 0, argv);
	j->start_time = time(NULL);
	rc = 0;
out:
	exec_slurm_unlock();
	free(dir);
	return rc > 0 ? 0 : rc;
}

static int
exec_slurm_watch_fd(const struct exec_ctx *x, const struct job *j)
{
	struct exec_slurm_job *e;
	int p[2] = { -1, -1 };

	exec_slurm_lock(x);
	e = exec_slurm_work_find(j->core.id);
	if (e != NULL && e->attempt == j->attempt &&
	    pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
		if (e->wfd >= 0)
			close(e->wfd);
		e->wfd = p[1];
		if (e->ended && write(p[1], "e", 1) < 0)
			log_debug("slurm: cannot wake job %" PRId64, e->job_id);
	}
	exec_slurm_unlock();
	return p[0];
}

/*
 * The entry for j's attempt, adopted from the files when the table has
 * none (xs.mu held); NULL when nothing says it reached Slurm.
 */
static struct exec_slurm_job *
exec_slurm_entry(const struct job *j)
{
	struct exec_slurm_job *e = exec_slurm_work_find(j->core.id);
	int64_t id;
	char *dir;
	int kind;

	if (e != NULL && e->attempt == j->attempt)
		return e;
	if (j->attempt <= 0)
		return NULL;
	dir = exec_slurm_job_dir(j->core.id);
	kind = exec_slurm_known(dir, j->attempt, &id);
	free(dir);
	return kind == 1 ? exec_slurm_put(j->core.id, j->attempt, id, NULL) :
	                   NULL;
}

static int
exec_slurm_check(const struct exec_ctx *x, const struct job *j,
    struct exec_result *res)
{
	struct exec_slurm_job *e;

	if (j->attempt <= 0)
		return GQ_ESTATE;
	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	exec_slurm_lock(x);
	if ((e = exec_slurm_entry(j)) == NULL)
		exec_state_result_lost(res, time(NULL),
		    "lost: gpuqd has no record of this attempt in Slurm");
	else if (e->ended) {
		*res = e->res;
		exec_slurm_drop(e);
	}
	exec_slurm_unlock();
	return 0;
}

/* Ends j: signo (0: none) now, scancel grace_s later. */
static int
exec_slurm_end(const struct exec_ctx *x, const struct job *j, int signo,
    int32_t grace_s)
{
	struct exec_slurm_job *e;

	if (j->attempt <= 0)
		return GQ_ESTATE;
	exec_slurm_lock(x);
	e = exec_slurm_entry(j);
	if (e != NULL && !e->ended && e->slurm_id == 0 && e->submit != NULL)
		exec_slurm_work_unsubmit(e);
	else if (e != NULL && !e->ended && !e->cancel) {
		e->cancel = 1;
		e->signo = grace_s > 0 ? signo : 0;
		e->grace_ms = (int64_t)(grace_s > 0 ? grace_s : 0) * 1000;
		e->kill_at = 0;
		exec_slurm_work_wake();
	}
	exec_slurm_unlock();
	return 0;
}

static int
exec_slurm_cancel(const struct exec_ctx *x, const struct job *j,
    int32_t grace_s)
{
	return exec_slurm_end(x, j, SIGTERM, grace_s);
}

static int
exec_slurm_stop(const struct exec_ctx *x, const struct job *j, int signo,
    int32_t grace_s)
{
	if (signo <= 0 || signo > 64)
		signo = SIGTERM;
	/* Asked to save and stop: give it the signal even with no grace. */
	return exec_slurm_end(x, j, signo, grace_s > 0 ? grace_s : 1);
}

static enum exec_recovery
exec_slurm_recover(const struct exec_ctx *x, const struct job *j,
    struct exec_result *res)
{
	enum exec_recovery r = EXEC_NEVER_STARTED;
	struct stat sb;
	int64_t id;
	char *dir;
	int kind, rc;

	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	if (j->attempt <= 0)
		return EXEC_NEVER_STARTED;
	exec_slurm_lock(x);
	xs.strays_at = clock_mono_ms() + EXEC_SLURM_STRAYS_MS;
	dir = exec_slurm_job_dir(j->core.id);
	if (stat(dir, &sb) != 0)
		goto out; /* start() never ran */
	kind = exec_slurm_known(dir, j->attempt, &id);
	if (kind == 0) {
		/* Rescinding wins only if no run of the attempt claimed it. */
		rc = exec_slurm_work_rescind(dir, j->attempt);
		if (rc == GQ_EEXIST)
			kind = exec_slurm_known(dir, j->attempt, &id);
		else if (rc != 0) {
			exec_state_result_lost(res, time(NULL),
			    "cannot write the job's claim file");
			r = EXEC_GONE;
		}
	}
	if (kind == 1 && id > 0) {
		exec_slurm_put(j->core.id, j->attempt, id, NULL);
		r = EXEC_ALIVE; /* the poll tells what became of it */
	} else if (kind == 1) {
		exec_state_result_lost(res, time(NULL),
		    "lost: the attempt was claimed in Slurm, but by no job id");
		r = EXEC_GONE;
	}
out:
	exec_slurm_unlock();
	free(dir);
	return r;
}

static char *
exec_slurm_log_path(const struct exec_ctx *x, int64_t job_id,
    const char *stream)
{
	char *dir, *path;

	if (strcmp(stream, "stdout") != 0 && strcmp(stream, "stderr") != 0)
		return NULL;
	dir = exec_slurm_dir(x);
	path = xasprintf("%s/%" PRId64 "/%s", dir, job_id, stream);
	free(dir);
	return path;
}

/* Asks for scontrol suspend or resume of j as operation seq. */
static int
exec_slurm_op(const struct exec_ctx *x, const struct job *j, int mech,
    enum exec_slurm_op op, int32_t seq, char *cause, size_t n)
{
	struct exec_slurm_job *e;
	int rc = 0;

	if (mech != JOB_SWAP_STOP) {
		snprintf(cause, n,
		    "under Slurm a job is suspended with scontrol suspend (a "
		    "stop); cuda-checkpoint is not available");
		return GQ_EINVAL;
	}
	exec_slurm_lock(x);
	e = exec_slurm_entry(j);
	if (e == NULL || e->ended || e->slurm_id <= 0 || e->cancel) {
		snprintf(cause, n, "the job is not running in Slurm");
		rc = GQ_ESTATE;
	} else if (e->op_seq != seq || e->op != op) {
		e->op = op;
		e->op_seq = seq;
		e->op_sent = e->op_done = e->op_ok = 0;
		e->op_error[0] = '\0';
		exec_slurm_work_wake();
	}
	exec_slurm_unlock();
	return rc;
}

static int
exec_slurm_suspend(const struct exec_ctx *x, const struct job *j, int mech,
    int32_t seq, char *cause, size_t n)
{
	return exec_slurm_op(x, j, mech, EXEC_SLURM_OP_SUSPEND, seq, cause, n);
}

static int
exec_slurm_resume(const struct exec_ctx *x, const struct job *j, int mech,
    int32_t seq, char *cause, size_t n)
{
	return exec_slurm_op(x, j, mech, EXEC_SLURM_OP_RESUME, seq, cause, n);
}

static int
exec_slurm_swap_check(const struct exec_ctx *x, const struct job *j,
    int32_t seq, struct exec_swap *st)
{
	struct exec_slurm_job *e;

	memset(st, 0, sizeof(*st));
	st->mech = JOB_SWAP_STOP;
	exec_slurm_lock(x);
	e = exec_slurm_entry(j);
	if (e == NULL || e->op_seq != seq || e->op == EXEC_SLURM_OP_NONE) {
		st->done = 1;
		snprintf(st->error, sizeof(st->error),
		    "no such suspend or resume in Slurm");
	} else {
		st->done = e->op_done;
		st->ok = e->op_ok;
		st->time = e->op_time;
		snprintf(st->error, sizeof(st->error), "%s", e->op_error);
	}
	exec_slurm_unlock();
	return 0;
}

static int
exec_slurm_nodes(const struct exec_ctx *x, struct cluster *c, uint64_t *gen,
    int wait_ms, char *cause, size_t n)
{
	int rc;

	exec_slurm_lock(x);
	rc = exec_slurm_nodes_get(c, gen, wait_ms, cause, n);
	exec_slurm_unlock();
	return rc;
}

static int
exec_slurm_info(const struct exec_ctx *x, const struct job *j, int detail,
    struct exec_info *info)
{
	struct exec_slurm_job *e;
	char *dir;

	memset(info, 0, sizeof(*info));
	exec_slurm_lock(x);
	e = exec_slurm_work_find(j->core.id);
	if (e != NULL && e->attempt == j->attempt) {
		info->id = e->slurm_id;
		if (e->slurm_id > 0 && e->state != SLURM_UNKNOWN)
			snprintf(info->state, sizeof(info->state), "%s",
			    slurm_parse_state_name(e->state));
		snprintf(info->reason, sizeof(info->reason), "%s", e->reason);
	} else if (detail && j->attempt > 0) {
		dir = exec_slurm_job_dir(j->core.id);
		info->id = exec_slurm_work_id_read(dir, j->attempt);
		free(dir);
	}
	exec_slurm_unlock();
	return e != NULL || info->id > 0 ? 0 : GQ_ENOENT;
}

/*
 * Whole GPUs are Slurm's gres, bound to the job alone; a share is shards,
 * which Slurm counts but does not enforce (docs/slurm.md).
 */
static int
exec_slurm_enforcement(const struct exec_ctx *x, const struct job *j,
    const char **label, const char **via)
{
	int sharded;

	if (j->core.alloc.ngpus <= 0)
		return GQ_ENOENT;
	exec_slurm_lock(x);
	sharded = exec_slurm_submit_sharded(x, &j->core.alloc);
	exec_slurm_unlock();
	*label = sharded ? "advisory" : "exclusive";
	*via = sharded ? "slurm shard" : "slurm gres";
	return 0;
}

const struct executor exec_slurm = {
	.name = "slurm",
	.start = exec_slurm_start,
	.watch_fd = exec_slurm_watch_fd,
	.check = exec_slurm_check,
	.cancel = exec_slurm_cancel,
	.recover = exec_slurm_recover,
	.log_path = exec_slurm_log_path,
	.stop = exec_slurm_stop,
	.suspend = exec_slurm_suspend,
	.resume = exec_slurm_resume,
	.swap_check = exec_slurm_swap_check,
	.nodes = exec_slurm_nodes,
	.info = exec_slurm_info,
	.enforcement = exec_slurm_enforcement,
};
