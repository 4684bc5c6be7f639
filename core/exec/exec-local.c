/*
 * The local executor: every job is a process group on this host, held by
 * a detached supervisor ("gpuqd supervise DIR ATTEMPT", supervise.c).
 * The daemon and the supervisors meet only through files in the job's
 * directory (exec-state.h); docs/internals/executor.md tells the story.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-state.h"
#include "core/exec/exec-swap.h"
#include "core/exec/exec.h"

/* Variables the executor sets; a job's own values for them are dropped. */
static const char *const exec_local_own[] = { "GPUQ_JOB_ID",
	"GPUQ_RESTART_COUNT", "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER",
	"GPUQ_GPU_FRACTION", "GPUQ_GPU_MEM_LIMIT_MB", NULL };

/* What the forked children need, all prepared before fork(). */
struct exec_local_spawn {
	char *argv[5];
	char attempt[16];
	char *log;
	int pidp[2]; /* intermediate child -> daemon: the supervisor's pid */
	int go[2];   /* daemon -> supervisor: 'g' when it may go on */
	sigset_t mask;
};

static int
exec_local_is_own(const char *kv)
{
	size_t i, len;

	len = strcspn(kv, "=");
	for (i = 0; exec_local_own[i] != NULL; i++)
		if (strlen(exec_local_own[i]) == len &&
		    strncmp(kv, exec_local_own[i], len) == 0)
			return 1;
	return 0;
}

static size_t
exec_local_count_ids(const char *const *ids)
{
	size_t n = 0;

	while (ids[n] != NULL)
		n++;
	return n;
}

static int
exec_local_visible(const struct exec_ctx *x, const struct alloc *a,
    struct buf *b, char *cause, size_t n)
{
	size_t nids = 0;
	int32_t i, g;

	if (x->gpu_ids != NULL)
		nids = exec_local_count_ids(x->gpu_ids);
	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++) {
		g = a->gpus[i].gpu;
		if (g < 0 || (x->gpu_ids != NULL && (size_t)g >= nids)) {
			snprintf(cause, n, "GPU index %d is not on this node",
			    (int)g);
			return GQ_EINVAL;
		}
		if (buf_addstr(b, i > 0 ? "," : "") != 0 ||
		    (x->gpu_ids != NULL ? buf_addstr(b, x->gpu_ids[g]) :
		                          buf_printf(b, "%d", (int)g)) != 0) {
			snprintf(cause, n, "GPU list too long");
			return GQ_ETOOBIG;
		}
	}
	return 0;
}

/* "0" without GPUs, "1" for whole GPUs, "0.5" for a 500-milli share. */
static void
exec_local_fraction(const struct alloc *a, char *out, size_t n)
{
	size_t len;
	int32_t milli;

	if (a->ngpus <= 0) {
		snprintf(out, n, "0");
		return;
	}
	milli = a->gpus[0].milli;
	if (milli >= MODEL_GPU_MILLI || milli <= 0) {
		snprintf(out, n, "1");
		return;
	}
	snprintf(out, n, "0.%03d", (int)milli);
	len = strlen(out);
	while (len > 0 && out[len - 1] == '0')
		out[--len] = '\0';
}

/* The GPU memory the job may use on each of its GPUs: the least. */
static int64_t
exec_local_mem_limit(const struct alloc *a)
{
	int64_t mb = 0;
	int32_t i;

	for (i = 0; i < a->ngpus && i < MODEL_MAX_JOB_GPUS; i++)
		if (i == 0 || a->gpus[i].mem_mb < mb)
			mb = a->gpus[i].mem_mb;
	return mb;
}

static int
exec_local_env_add(json_t *env, char *kv)
{
	json_t *s = json_string(kv);

	free(kv);
	if (s == NULL)
		return GQ_EINVAL;
	return json_array_append_new(env, s) == 0 ? 0 : GQ_EINTERNAL;
}

static int
exec_local_env_own(const struct exec_ctx *x, const struct job *j, json_t *env,
    char *cause, size_t n)
{
	const struct alloc *a = &j->core.alloc;
	struct buf vis;
	char frac[16];
	int rc;

	buf_init(&vis, 64 * 1024);
	if ((rc = exec_local_visible(x, a, &vis, cause, n)) != 0)
		goto out;
	exec_local_fraction(a, frac, sizeof(frac));
	rc = exec_local_env_add(env,
	    xasprintf("GPUQ_JOB_ID=%" PRId64, j->core.id));
	rc = rc ?
	    rc :
	    exec_local_env_add(env,
	        xasprintf("GPUQ_RESTART_COUNT=%d", (int)(j->attempt - 1)));
	rc = rc ?
	    rc :
	    exec_local_env_add(env, xasprintf("CUDA_DEVICE_ORDER=PCI_BUS_ID"));
	rc = rc ?
	    rc :
	    exec_local_env_add(env,
	        xasprintf("CUDA_VISIBLE_DEVICES=%s", vis.len ? vis.data : ""));
	rc = rc ?
	    rc :
	    exec_local_env_add(env, xasprintf("GPUQ_GPU_FRACTION=%s", frac));
	rc = rc ? rc :
	          exec_local_env_add(env,
	              xasprintf("GPUQ_GPU_MEM_LIMIT_MB=%" PRId64,
	                  exec_local_mem_limit(a)));
	if (rc != 0)
		snprintf(cause, n, "cannot build the environment");
out:
	buf_done(&vis);
	return rc;
}

/* Whether the daemon sets kv's variable itself (j->xenv). */
static int
exec_local_in_xenv(const struct job *j, const char *kv)
{
	size_t i, len = strcspn(kv, "=");

	for (i = 0; j->xenv != NULL && j->xenv[i] != NULL; i++)
		if (strncmp(j->xenv[i], kv, len) == 0 && j->xenv[i][len] == '=')
			return 1;
	return 0;
}

/* The job's environment plus ours, as a JSON array (new) or NULL. */
static json_t *
exec_local_env(const struct exec_ctx *x, const struct job *j, char *cause,
    size_t n)
{
	json_t *env = json_array();
	size_t i;

	for (i = 0; j->env != NULL && j->env[i] != NULL; i++) {
		if (exec_local_is_own(j->env[i]) ||
		    exec_local_in_xenv(j, j->env[i]))
			continue;
		if (exec_local_env_add(env, xstrdup(j->env[i])) != 0) {
			snprintf(cause, n, "environment is not valid UTF-8");
			json_decref(env);
			return NULL;
		}
	}
	if (exec_local_env_own(x, j, env, cause, n) != 0) {
		json_decref(env);
		return NULL;
	}
	/* The daemon's own for this start (GPU enforcement, MPS limits). */
	for (i = 0; j->xenv != NULL && j->xenv[i] != NULL; i++)
		exec_local_env_add(env, xstrdup(j->xenv[i]));
	return env;
}

static json_t *
exec_local_argv(const struct job *j, char *cause, size_t n)
{
	json_t *argv = json_array(), *s;
	size_t i;

	for (i = 0; i < j->argc; i++) {
		if ((s = json_string(j->argv[i])) == NULL) {
			snprintf(cause, n, "command is not valid UTF-8");
			json_decref(argv);
			return NULL;
		}
		json_array_append_new(argv, s);
	}
	return argv;
}

static int
exec_local_spec_write(const struct exec_ctx *x, const struct job *j,
    const char *dir, char *cause, size_t n)
{
	json_t *argv, *env, *spec;
	char *path;
	int rc;

	if ((argv = exec_local_argv(j, cause, n)) == NULL)
		return GQ_EINVAL;
	if ((env = exec_local_env(x, j, cause, n)) == NULL) {
		json_decref(argv);
		return GQ_EINVAL;
	}
	spec = json_pack("{s:I, s:i, s:I, s:o, s:o, s:s, s:I, s:I, s:b, "
	                 "s:i, s:I}",
	    "job_id", (json_int_t)j->core.id, "attempt", (int)j->attempt,
	    "submit_time", (json_int_t)j->core.submit_time, "argv", argv, "env",
	    env, "workdir", j->workdir != NULL ? j->workdir : "/", "uid",
	    (json_int_t)j->uid, "gid", (json_int_t)j->gid, "drop_privileges",
	    x->drop_privileges != 0, "kill_grace_s", (int)j->kill_grace_s,
	    "start_time", (json_int_t)time(NULL));
	if (spec == NULL) {
		snprintf(cause, n, "working directory is not valid UTF-8");
		return GQ_EINVAL;
	}
	path = exec_state_path(dir, "spec", j->attempt, ".json");
	if ((rc = exec_state_json_write(path, spec, 0600)) != 0)
		snprintf(cause, n, "cannot write %s", path);
	free(path);
	json_decref(spec);
	return rc;
}

/* 1 if spec-N in dir was written for this very job. */
static int
exec_local_spec_is(const char *dir, const struct job *j)
{
	json_int_t id = -1, submit = -1;
	char *path;
	json_t *v;

	path = exec_state_path(dir, "spec", j->attempt, ".json");
	v = json_load_file(path, 0, NULL);
	free(path);
	if (v != NULL)
		json_unpack(v, "{s:I, s:I}", "job_id", &id, "submit_time",
		    &submit);
	json_decref(v);
	return id == j->core.id && submit == j->core.submit_time;
}

static ssize_t
exec_local_read_full(int fd, void *p, size_t len)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = read(fd, (char *)p + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Moves fd above 2 so that dup2() onto 0..2 cannot close it. */
static int
exec_local_high_fd(int fd)
{
	int nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD, 3);
	close(fd);
	return nfd;
}

/* Only async-signal-safe calls from here to execv(). */
static void __attribute__((noreturn))
exec_local_grandchild(struct exec_local_spawn *s)
{
	struct sigaction sa;
	char go = 0;
	int null, log, sig;

	close(s->pidp[1]);
	while (read(s->go[0], &go, 1) < 0 && errno == EINTR)
		;
	if (go != 'g')
		_exit(1);
	null = exec_local_high_fd(open("/dev/null", O_RDWR));
	log = exec_local_high_fd(
	    open(s->log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0600));
	if (null < 0 || log < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 ||
	    dup2(log, 2) < 0)
		_exit(1);
	if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
		for (sig = 3; sig < 1024; sig++)
			close(sig);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigprocmask(SIG_SETMASK, &s->mask, NULL);
	if (chdir("/") != 0)
		_exit(1);
	execv(s->argv[0], s->argv);
	_exit(127);
}

/* The intermediate child: a new session, then the supervisor, then exit. */
static void __attribute__((noreturn))
exec_local_child(struct exec_local_spawn *s)
{
	pid_t pid;

	close(s->pidp[0]);
	close(s->go[1]);
	if (setsid() < 0)
		_exit(1);
	pid = fork();
	if (pid == 0)
		exec_local_grandchild(s);
	if (pid > 0 && write(s->pidp[1], &pid, sizeof(pid)) != sizeof(pid))
		_exit(1);
	_exit(0);
}

static void
exec_local_spawn_init(struct exec_local_spawn *s, const struct exec_ctx *x,
    const char *dir, int32_t attempt)
{
	snprintf(s->attempt, sizeof(s->attempt), "%d", (int)attempt);
	s->argv[0] = (char *)(uintptr_t)x->self_exe;
	s->argv[1] = (char *)(uintptr_t) "supervise";
	s->argv[2] = (char *)(uintptr_t)dir;
	s->argv[3] = s->attempt;
	s->argv[4] = NULL;
	s->log = xasprintf("%s/supervise.log", dir);
	/* The supervisor starts with these blocked: see supervise.c. */
	sigemptyset(&s->mask);
	sigaddset(&s->mask, SIGTERM);
	sigaddset(&s->mask, SIGINT);
	sigaddset(&s->mask, SIGCHLD);
	sigaddset(&s->mask, SIGUSR1);
}

/* Lets the supervisor go on once its start time is known. */
static int
exec_local_spawn_finish(struct exec_local_spawn *s, pid_t sup, uint64_t *start,
    char *cause, size_t n)
{
	char state;

	if (exec_state_proc(sup, start, &state) != 0) {
		snprintf(cause, n, "supervisor %ld vanished", (long)sup);
		return GQ_EIO;
	}
	if (send(s->go[1], "g", 1, MSG_NOSIGNAL) != 1) {
		snprintf(cause, n, "cannot release the supervisor: %s",
		    strerror(errno));
		return GQ_EIO;
	}
	return 0;
}

/*
 * Runs "self_exe supervise DIR ATTEMPT" as a grandchild in its own
 * session, so it is no child of the daemon and outlives it.
 */
static int
exec_local_spawn(const struct exec_ctx *x, const char *dir, int32_t attempt,
    pid_t *sup, uint64_t *start, char *cause, size_t n)
{
	struct exec_local_spawn s;
	sigset_t all, old;
	pid_t pid;
	int rc = GQ_EIO;

	exec_local_spawn_init(&s, x, dir, attempt);
	if (pipe2(s.pidp, O_CLOEXEC) != 0) {
		snprintf(cause, n, "pipe: %s", strerror(errno));
		free(s.log);
		return GQ_EIO;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s.go) != 0) {
		snprintf(cause, n, "socketpair: %s", strerror(errno));
		close(s.pidp[0]);
		close(s.pidp[1]);
		free(s.log);
		return GQ_EIO;
	}
	/*
	 * The children inherit the daemon's signal handlers (libuv's, which
	 * write to the daemon's own signal pipe).  Everything stays blocked
	 * in them until the handlers are reset and the supervisor's mask is
	 * set just before exec, so a cancel that comes early is held for the
	 * supervisor instead of stopping the daemon.
	 */
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	if ((pid = fork()) == 0)
		exec_local_child(&s);
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(s.pidp[1]);
	close(s.go[0]);
	if (pid < 0)
		snprintf(cause, n, "fork: %s", strerror(errno));
	else if (exec_local_read_full(s.pidp[0], sup, sizeof(*sup)) !=
	    sizeof(*sup))
		snprintf(cause, n, "cannot start the supervisor");
	else
		rc = exec_local_spawn_finish(&s, *sup, start, cause, n);
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(s.pidp[0]);
	close(s.go[1]);
	free(s.log);
	return rc;
}

/* This attempt was started before: hold that run, never start a twin. */
static int
exec_local_adopt(struct job *j, const char *dir, const struct exec_claim *c,
    char *cause, size_t n)
{
	if (!exec_local_spec_is(dir, j)) {
		snprintf(cause, n, "%s belongs to another job", dir);
		return GQ_EEXIST;
	}
	j->sup_pid = c->pid;
	j->sup_start = c->start;
	if (j->start_time == 0)
		j->start_time = time(NULL);
	return 0;
}

/*
 * Reads the claim of the attempt about to start.  A rescinded one must not
 * be reused: the caller bumps the attempt before every start.
 */
static int
exec_local_attempt_free(const char *dir, const struct job *j,
    struct exec_claim *c, char *cause, size_t n)
{
	if (exec_state_claim_read(dir, j->attempt, c) != 0) {
		snprintf(cause, n, "cannot read claim-%d in %s",
		    (int)j->attempt, dir);
		return GQ_EIO;
	}
	if (c->kind == EXEC_CLAIM_RESCINDED) {
		snprintf(cause, n, "attempt %d was rescinded and cannot start",
		    (int)j->attempt);
		return GQ_ESTATE;
	}
	return 0;
}

static int
exec_local_start(const struct exec_ctx *x, struct job *j, char *cause, size_t n)
{
	struct exec_claim c;
	uint64_t start = 0;
	pid_t pid = 0;
	char *dir;
	int rc;

	if (j->argc == 0 || j->argv == NULL || j->argv[0] == NULL ||
	    j->argv[0][0] == '\0') {
		snprintf(cause, n, "empty command");
		return GQ_EINVAL;
	}
	if ((rc = exec_state_mkdirs(x->state_dir, j->core.id, cause, n)) != 0)
		return rc;
	if (j->attempt < 1)
		j->attempt = 1;
	dir = exec_state_job_dir(x->state_dir, j->core.id);
	if ((rc = exec_local_attempt_free(dir, j, &c, cause, n)) != 0)
		goto out;
	if (c.kind == EXEC_CLAIM_HELD) {
		rc = exec_local_adopt(j, dir, &c, cause, n);
		goto out;
	}
	if ((rc = exec_local_spec_write(x, j, dir, cause, n)) != 0)
		goto out;
	rc = exec_local_spawn(x, dir, j->attempt, &pid, &start, cause, n);
	if (rc != 0) {
		/* Whatever was forked must not run the job now. */
		exec_state_claim(dir, j->attempt, EXEC_STATE_RESCINDED "\n");
		goto out;
	}
	j->sup_pid = pid;
	j->sup_start = start;
	j->start_time = time(NULL);
out:
	free(dir);
	return rc;
}

/* The process that holds j now: the claim's owner, else the supervisor. */
void
exec_local_holder(const struct exec_ctx *x, const struct job *j, pid_t *pid,
    uint64_t *start)
{
	struct exec_claim c;
	char *dir;

	*pid = (pid_t)j->sup_pid;
	*start = j->sup_start;
	if (j->attempt <= 0)
		return;
	dir = exec_state_job_dir(x->state_dir, j->core.id);
	if (exec_state_claim_read(dir, j->attempt, &c) == 0 &&
	    c.kind == EXEC_CLAIM_HELD) {
		*pid = c.pid;
		*start = c.start;
	}
	free(dir);
}

/* A pidfd for pid if it is still the process that started at start. */
static int
exec_local_pidfd(pid_t pid, uint64_t start)
{
	uint64_t now_start;
	char state;
	int fd;

	if (pid <= 0)
		return -1;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return -1;
	if (exec_state_proc(pid, &now_start, &state) != 0 ||
	    now_start != start) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	return fd;
}

static int
exec_local_watch_fd(const struct exec_ctx *x, const struct job *j)
{
	uint64_t start;
	pid_t pid;

	exec_local_holder(x, j, &pid, &start);
	return exec_local_pidfd(pid, start);
}

/* Judges an attempt that a supervisor claimed. */
static void
exec_local_held(const char *dir, const struct job *j,
    const struct exec_claim *c, struct exec_result *res)
{
	if (exec_state_result_read(dir, j->attempt, res) == 0)
		return;
	if (exec_state_alive(c->pid, c->start)) {
		memset(res, 0, sizeof(*res));
		res->exit_code = -1;
		return;
	}
	/* It may have written its result and gone in between. */
	if (exec_state_result_read(dir, j->attempt, res) == 0)
		return;
	exec_state_result_lost(res, time(NULL),
	    "supervisor vanished (host rebooted?)");
}

/* Returns 0, 1 when the claim changed under us, or GQ_EIO. */
static int
exec_local_check_once(const struct exec_ctx *x, const struct job *j,
    const char *dir, struct exec_result *res)
{
	struct exec_claim c;

	if (exec_state_result_read(dir, j->attempt, res) == 0)
		return 0;
	if (exec_state_claim_read(dir, j->attempt, &c) != 0)
		return GQ_EIO;
	if (c.kind == EXEC_CLAIM_HELD) {
		exec_local_held(dir, j, &c, res);
		return 0;
	}
	if (c.kind == EXEC_CLAIM_RESCINDED) {
		exec_state_result_lost(res, time(NULL),
		    "the attempt was rescinded before it started");
		return 0;
	}
	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	if (exec_state_alive((pid_t)j->sup_pid, j->sup_start))
		return 0;
	/* The supervisor died before claiming: make sure none ever will. */
	if (exec_state_claim(dir, j->attempt, EXEC_STATE_RESCINDED "\n") != 0)
		return 1; /* someone claimed after all: look again */
	exec_state_result_lost(res, time(NULL),
	    "supervisor exited before starting the job (see supervise.log)");
	return 0;
}

static int
exec_local_check(const struct exec_ctx *x, const struct job *j,
    struct exec_result *res)
{
	char *dir;
	int rc, i;

	if (j->attempt <= 0)
		return GQ_ESTATE;
	dir = exec_state_job_dir(x->state_dir, j->core.id);
	for (i = 0, rc = 1; i < 3 && rc == 1; i++)
		rc = exec_local_check_once(x, j, dir, res);
	free(dir);
	return rc == 1 ? GQ_EIO : rc;
}

/*
 * Sends the supervisor SIGTERM with a value (sigqueue): the grace period,
 * plus the signal for the job shifted left 16 bits when it is not SIGTERM
 * (supervise.c).  Through a pidfd where there is one, so that a reused pid
 * is never signalled.
 */
int
exec_local_signal_to(pid_t pid, uint64_t start, int signo, int32_t value)
{
	siginfo_t si;
	int fd, rc;

	memset(&si, 0, sizeof(si));
	si.si_signo = signo;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value < 0 ? 0 : value;
	if ((fd = exec_local_pidfd(pid, start)) >= 0) {
		rc = (int)syscall(SYS_pidfd_send_signal, fd, signo, &si, 0);
		close(fd);
	} else if (exec_state_alive(pid, start))
		rc = sigqueue(pid, signo, si.si_value);
	else
		return 0;
	if (rc == 0 || errno == ESRCH)
		return 0;
	return errno == EPERM ? GQ_EPERM : GQ_EIO;
}

static int
exec_local_signal(pid_t pid, uint64_t start, int32_t value)
{
	return exec_local_signal_to(pid, start, SIGTERM, value);
}

static int
exec_local_cancel(const struct exec_ctx *x, const struct job *j,
    int32_t grace_s)
{
	uint64_t start;
	pid_t pid;

	if (j->attempt <= 0)
		return GQ_ESTATE;
	exec_local_holder(x, j, &pid, &start);
	return exec_local_signal(pid, start, grace_s);
}

static int
exec_local_stop(const struct exec_ctx *x, const struct job *j, int signo,
    int32_t grace_s)
{
	uint64_t start;
	pid_t pid;

	if (j->attempt <= 0)
		return GQ_ESTATE;
	if (signo < 0 || signo > 64)
		signo = 0;
	grace_s = grace_s < 0 ? 0 : grace_s > 0xffff ? 0xffff : grace_s;
	exec_local_holder(x, j, &pid, &start);
	return exec_local_signal(pid, start, grace_s | signo << 16);
}

static enum exec_recovery
exec_local_recover_claimed(const char *dir, const struct job *j,
    struct exec_result *res)
{
	struct exec_claim c;

	if (exec_state_claim_read(dir, j->attempt, &c) != 0) {
		exec_state_result_lost(res, time(NULL),
		    "cannot read the job's claim file");
		return EXEC_GONE;
	}
	if (c.kind == EXEC_CLAIM_RESCINDED)
		return EXEC_NEVER_STARTED;
	exec_local_held(dir, j, &c, res);
	return res->ended ? EXEC_GONE : EXEC_ALIVE;
}

static enum exec_recovery
exec_local_recover(const struct exec_ctx *x, const struct job *j,
    struct exec_result *res)
{
	enum exec_recovery r;
	char cause[256], *dir;
	int rc;

	memset(res, 0, sizeof(*res));
	res->exit_code = -1;
	if (j->attempt <= 0)
		return EXEC_NEVER_STARTED;
	if (exec_state_mkdirs(x->state_dir, j->core.id, cause, sizeof(cause)) !=
	    0) {
		exec_state_result_lost(res, time(NULL), cause);
		return EXEC_GONE;
	}
	dir = exec_state_job_dir(x->state_dir, j->core.id);
	/* Rescinding succeeds only if no supervisor claimed the attempt. */
	rc = exec_state_claim(dir, j->attempt, EXEC_STATE_RESCINDED "\n");
	if (rc == 0)
		r = EXEC_NEVER_STARTED;
	else if (rc == GQ_EEXIST)
		r = exec_local_recover_claimed(dir, j, res);
	else {
		exec_state_result_lost(res, time(NULL),
		    "cannot write the job's claim file");
		r = EXEC_GONE;
	}
	free(dir);
	return r;
}

static char *
exec_local_log_path(const struct exec_ctx *x, int64_t job_id,
    const char *stream)
{
	if (strcmp(stream, "stdout") != 0 && strcmp(stream, "stderr") != 0)
		return NULL;
	return xasprintf("%s/jobs/%" PRId64 "/%s", x->state_dir, job_id,
	    stream);
}

/* The environment the job's processes see, for job.attach. */
static char **
exec_local_job_env(const struct exec_ctx *x, const struct job *j)
{
	char cause[256], **v;
	json_t *env;
	size_t i;

	if ((env = exec_local_env(x, j, cause, sizeof(cause))) == NULL)
		return NULL;
	v = xcalloc(json_array_size(env) + 1, sizeof(char *));
	for (i = 0; i < json_array_size(env); i++)
		v[i] = xstrdup(json_string_value(json_array_get(env, i)));
	json_decref(env);
	return v;
}

const struct executor exec_local = {
	.name = "local",
	.start = exec_local_start,
	.watch_fd = exec_local_watch_fd,
	.check = exec_local_check,
	.cancel = exec_local_cancel,
	.recover = exec_local_recover,
	.log_path = exec_local_log_path,
	.stop = exec_local_stop,
	.suspend = exec_swap_suspend,
	.resume = exec_swap_resume,
	.swap_check = exec_swap_check,
	.job_env = exec_local_job_env,
};
