/*
 * The local executor against real processes: supervisors are this very
 * binary run as "test-exec-local supervise DIR N" (see main()).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-state.h"
#include "core/exec/exec.h"
#include "core/job.h"

#define MAX_JOBS 32

static char self_exe[PATH_MAX];
static char root[] = "/tmp/gpuq-exec-XXXXXX";
static char state_dir[PATH_MAX];
static struct exec_ctx ctx;
static struct job *jobs[MAX_JOBS];
static int njobs;
static int64_t next_id = 1;

static int
setup(void **state)
{
	static int n;

	snprintf(state_dir, sizeof(state_dir), "%s/state%d", root, ++n);
	memset(&ctx, 0, sizeof(ctx));
	ctx.state_dir = state_dir;
	ctx.self_exe = self_exe;
	njobs = 0;
	return 0;
}

/* Stops whatever a failed test left running. */
static int
teardown(void **state)
{
	int i;

	for (i = 0; i < njobs; i++) {
		if (jobs[i]->attempt > 0)
			exec_local.cancel(&ctx, jobs[i], 0);
		job_free(jobs[i]);
	}
	njobs = 0;
	return 0;
}

static struct job *
mkjob_v(const char *const *argv, size_t argc)
{
	static const char *const env[] = { "PATH=/usr/bin:/bin",
		"CUDA_VISIBLE_DEVICES=7", "KEEP=me" };
	struct job *j = job_new();

	j->core.id = next_id++;
	j->core.submit_time = 1000 + j->core.id;
	job_set_argv(j, argv, argc);
	job_set_env(j, env, 3);
	j->workdir = xstrdup(root);
	assert_true(njobs < MAX_JOBS);
	jobs[njobs++] = j;
	return j;
}

static struct job *
mkjob_sh(const char *script)
{
	const char *argv[] = { "/bin/sh", "-c", script };

	return mkjob_v(argv, 3);
}

/* A record as a restarted daemon would load it from the store. */
static struct job *
copy_job(const struct job *j)
{
	struct job *k = mkjob_v((const char *const *)j->argv, j->argc);

	k->core = j->core;
	k->attempt = j->attempt;
	k->sup_pid = j->sup_pid;
	k->sup_start = j->sup_start;
	k->kill_grace_s = j->kill_grace_s;
	return k;
}

static void
start(struct job *j)
{
	char cause[256] = "";

	assert_int_equal(exec_local.start(&ctx, j, cause, sizeof(cause)), 0);
	assert_true(j->sup_pid > 0);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits on the pidfd (or polls) until check() says the job ended. */
static void
wait_end(const struct job *j, int timeout_s, struct exec_result *res)
{
	int64_t deadline = now_ms() + timeout_s * 1000;
	struct pollfd pfd;

	for (;;) {
		assert_int_equal(exec_local.check(&ctx, j, res), 0);
		if (res->ended)
			return;
		assert_true(now_ms() < deadline);
		pfd.fd = exec_local.watch_fd(&ctx, j);
		pfd.events = POLLIN;
		if (pfd.fd >= 0) {
			poll(&pfd, 1, 200);
			close(pfd.fd);
		} else
			usleep(50 * 1000);
	}
}

/* The whole of a file (new string), or NULL. */
static char *
slurp(const char *path)
{
	char *s = xcalloc(1, 65536);
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		free(s);
		return NULL;
	}
	(void)!fread(s, 1, 65535, f);
	fclose(f);
	return s;
}

static char *
job_log(const struct job *j, const char *stream)
{
	char *path = exec_local.log_path(&ctx, j->core.id, stream);
	char *s = slurp(path);

	free(path);
	return s != NULL ? s : xstrdup("");
}

static void
wait_log(const struct job *j, const char *stream, const char *needle)
{
	int64_t deadline = now_ms() + 10000;
	char *s;

	for (;;) {
		s = job_log(j, stream);
		if (strstr(s, needle) != NULL) {
			free(s);
			return;
		}
		free(s);
		assert_true(now_ms() < deadline);
		usleep(20 * 1000);
	}
}

static void
assert_log(const struct job *j, const char *stream, const char *want)
{
	char *s = job_log(j, stream);

	assert_string_equal(s, want);
	free(s);
}

/* 1 if pid is a live process (any start time). */
static int
alive_any(pid_t pid, uint64_t *start)
{
	char st;

	return exec_state_proc(pid, start, &st) == 0 && st != 'Z' && st != 'X';
}

static char *
path_in_root(const char *name)
{
	return xasprintf("%s/%s", root, name);
}

static void
test_gpu_share(void **state)
{
	static const char *const ids[] = { "GPU-a", "GPU-b", NULL };
	struct job *j =
	    mkjob_sh("echo $CUDA_VISIBLE_DEVICES $GPUQ_GPU_FRACTION;"
	             " echo $GPUQ_GPU_MEM_LIMIT_MB $GPUQ_JOB_ID"
	             " $GPUQ_RESTART_COUNT $CUDA_DEVICE_ORDER $KEEP;"
	             " echo err >&2; exit 3");
	struct exec_result res;
	char *want;
	int fd;

	ctx.gpu_ids = ids;
	j->core.alloc.ngpus = 1;
	j->core.alloc.gpus[0].gpu = 1;
	j->core.alloc.gpus[0].milli = 500;
	j->core.alloc.gpus[0].mem_mb = 40960;
	start(j);
	assert_int_equal(j->attempt, 1);
	assert_true(j->sup_start > 0);
	assert_true(j->start_time > 0);
	/* The supervisor is no child of ours (the daemon's). */
	assert_int_equal(waitpid((pid_t)j->sup_pid, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
	fd = exec_local.watch_fd(&ctx, j);
	assert_true(fd >= 0);
	close(fd);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 3);
	assert_int_equal(res.exit_signal, 0);
	assert_string_equal(res.reason, "");
	assert_true(res.end_time >= j->start_time);
	want = xasprintf("GPU-b 0.5\n40960 %lld 0 PCI_BUS_ID me\n",
	    (long long)j->core.id);
	assert_log(j, "stdout", want);
	assert_log(j, "stderr", "err\n");
	free(want);
}

static void
test_gpu_whole_and_none(void **state)
{
	struct job *j = mkjob_sh("echo \"[$CUDA_VISIBLE_DEVICES]\""
	                         " $GPUQ_GPU_FRACTION $GPUQ_GPU_MEM_LIMIT_MB");
	struct job *k = mkjob_sh("echo \"[$CUDA_VISIBLE_DEVICES]\""
	                         " ${CUDA_VISIBLE_DEVICES+set}"
	                         " $GPUQ_GPU_FRACTION $GPUQ_GPU_MEM_LIMIT_MB");
	struct exec_result res;

	j->core.alloc.ngpus = 2;
	j->core.alloc.gpus[0] = (struct alloc_gpu){ 0, 1000, 81920 };
	j->core.alloc.gpus[1] = (struct alloc_gpu){ 3, 1000, 81920 };
	start(j);
	start(k);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 0);
	assert_log(j, "stdout", "[0,3] 1 81920\n");
	wait_end(k, 10, &res);
	assert_int_equal(res.exit_code, 0);
	assert_log(k, "stdout", "[] set 0 0\n");
}

static void
test_bad_gpu_index(void **state)
{
	static const char *const ids[] = { "GPU-a", NULL };
	struct job *j = mkjob_sh("true");
	char cause[256] = "";

	ctx.gpu_ids = ids;
	j->core.alloc.ngpus = 1;
	j->core.alloc.gpus[0] = (struct alloc_gpu){ 3, 1000, 1 };
	assert_int_equal(exec_local.start(&ctx, j, cause, sizeof(cause)),
	    GQ_EINVAL);
	assert_non_null(strstr(cause, "GPU index 3"));
}

static void
test_empty_command(void **state)
{
	struct job *j = mkjob_v(NULL, 0);
	char cause[256] = "";

	assert_int_equal(exec_local.start(&ctx, j, cause, sizeof(cause)),
	    GQ_EINVAL);
	assert_string_equal(cause, "empty command");
}

static void
test_no_such_command(void **state)
{
	const char *argv[] = { "nosuchcmd-gpuq", "x" };
	struct job *j = mkjob_v(argv, 2);
	struct exec_result res;
	char *err;

	start(j);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, -1);
	assert_int_equal(res.exit_signal, 0);
	assert_string_equal(res.reason,
	    "cannot run \"nosuchcmd-gpuq\": No such file or directory");
	err = job_log(j, "stderr");
	assert_non_null(strstr(err, res.reason));
	free(err);
}

static void
test_bad_workdir(void **state)
{
	struct job *j = mkjob_sh("true");
	struct exec_result res;

	free(j->workdir);
	j->workdir = xstrdup("/nonexistent/gpuq");
	start(j);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, -1);
	assert_string_equal(res.reason,
	    "cannot change to directory "
	    "\"/nonexistent/gpuq\": No such file "
	    "or directory");
}

static void
test_metacharacters(void **state)
{
	const char *argv[] = { "/bin/echo", "$(rm -rf /tmp/x); `ls` *", "'\"" };
	struct job *j = mkjob_v(argv, 3);
	struct exec_result res;

	start(j);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 0);
	assert_log(j, "stdout", "$(rm -rf /tmp/x); `ls` * '\"\n");
}

static void
test_cancel_term(void **state)
{
	struct job *j = mkjob_sh("echo started; exec sleep 100");
	struct exec_result res;
	int64_t t0;

	start(j);
	wait_log(j, "stdout", "started");
	t0 = now_ms();
	assert_int_equal(exec_local.cancel(&ctx, j, 30), 0);
	wait_end(j, 5, &res);
	assert_int_equal(res.exit_code, -1);
	assert_int_equal(res.exit_signal, SIGTERM);
	assert_true(now_ms() - t0 < 5000);
}

static void
test_cancel_kill(void **state)
{
	struct job *j = mkjob_sh("trap '' TERM; echo started; sleep 100");
	struct exec_result res;
	int64_t t0, took;

	j->kill_grace_s = 60; /* cancel's grace must win over this */
	start(j);
	wait_log(j, "stdout", "started");
	t0 = now_ms();
	assert_int_equal(exec_local.cancel(&ctx, j, 1), 0);
	wait_end(j, 10, &res);
	took = now_ms() - t0;
	assert_int_equal(res.exit_signal, SIGKILL);
	assert_true(took >= 900);
	assert_true(took < 5000);
}

/*
 * Starts j from a forked "daemon" that is then SIGKILLed, as a crash
 * would, and fills j with what its store would have kept.
 */
static void
start_in_doomed_daemon(struct job *j)
{
	int64_t rec[3];
	int p[2], status;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	if ((pid = fork()) == 0) {
		close(p[0]);
		start(j);
		rec[0] = j->attempt;
		rec[1] = j->sup_pid;
		rec[2] = (int64_t)j->sup_start;
		(void)!write(p[1], rec, sizeof(rec));
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], rec, sizeof(rec)), sizeof(rec));
	close(p[0]);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	j->attempt = (int32_t)rec[0];
	j->sup_pid = rec[1];
	j->sup_start = (uint64_t)rec[2];
}

static void
test_recover_alive_then_gone(void **state)
{
	char *stop = path_in_root("stop-recover");
	char *script = xasprintf("echo started; while [ ! -e %s ]; do "
	                         "sleep 0.05; done; exit 7",
	    stop);
	struct job *j = mkjob_sh(script);
	struct exec_result res;
	struct job *k;
	FILE *f;

	start_in_doomed_daemon(j);
	wait_log(j, "stdout", "started");
	k = copy_job(j);
	assert_int_equal(exec_local.recover(&ctx, k, &res), EXEC_ALIVE);
	assert_int_equal(exec_local.check(&ctx, k, &res), 0);
	assert_int_equal(res.ended, 0);
	assert_non_null(f = fopen(stop, "w"));
	fclose(f);
	wait_end(k, 10, &res);
	assert_int_equal(exec_local.recover(&ctx, copy_job(j), &res),
	    EXEC_GONE);
	assert_int_equal(res.ended, 1);
	assert_int_equal(res.exit_code, 7);
	free(stop);
	free(script);
}

/* What the leader leaves running in its group is killed when it exits. */
static void
test_orphans_killed(void **state)
{
	char *pidfile = path_in_root("orphan-pid");
	char *script = xasprintf("sleep 100 & echo $! > %s; exit 0", pidfile);
	struct job *j = mkjob_sh(script);
	struct exec_result res;
	int64_t deadline;
	char *s;
	pid_t orphan;
	uint64_t t;

	start(j);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 0);
	s = slurp(pidfile);
	assert_non_null(s);
	orphan = (pid_t)atol(s);
	assert_true(orphan > 0);
	/* Gone, or at most a zombie nobody reaps. */
	deadline = now_ms() + 5000;
	while (alive_any(orphan, &t) && now_ms() < deadline)
		usleep(20 * 1000);
	assert_false(alive_any(orphan, &t));
	free(s);
	free(pidfile);
	free(script);
}

/*
 * Runs a supervisor by hand and returns its exit status; term: with a
 * SIGTERM already pending, as if the job were cancelled that early.
 */
static int
run_supervisor_term(const struct job *j, int32_t attempt, int term)
{
	char *dir = xasprintf("%s/jobs/%lld", state_dir, (long long)j->core.id);
	char n[16];
	int status;
	pid_t pid;

	snprintf(n, sizeof(n), "%d", (int)attempt);
	if ((pid = fork()) == 0) {
		if (term) {
			/* Blocked and pending signals survive execve(). */
			sigset_t set;

			sigemptyset(&set);
			sigaddset(&set, SIGTERM);
			sigprocmask(SIG_BLOCK, &set, NULL);
			raise(SIGTERM);
		}
		execl(self_exe, self_exe, "supervise", dir, n, (char *)NULL);
		_exit(99);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	free(dir);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static int
run_supervisor(const struct job *j, int32_t attempt)
{
	return run_supervisor_term(j, attempt, 0);
}

static void
test_cancelled_before_start(void **state)
{
	char *side = path_in_root("side-effect-3");
	char *script = xasprintf("echo ran >> %s", side);
	struct job *j = mkjob_sh(script);
	struct exec_result res;

	/* Only the spec is left: its supervisor died at once. */
	ctx.self_exe = "/nonexistent/gpuqd";
	start(j);
	ctx.self_exe = self_exe;
	assert_int_equal(run_supervisor_term(j, 1, 1), 0);
	assert_int_equal(access(side, F_OK), -1);
	assert_int_equal(exec_local.check(&ctx, j, &res), 0);
	assert_int_equal(res.ended, 1);
	assert_int_equal(res.exit_code, -1);
	assert_string_equal(res.reason, "cancelled before it started");
	free(side);
	free(script);
}

static void
test_never_started(void **state)
{
	char *side = path_in_root("side-effect");
	char *script = xasprintf("echo ran >> %s", side);
	struct job *j = mkjob_sh(script);
	struct exec_result res;
	char cause[256];
	struct job *k;

	/* A supervisor that dies before it claims: the daemon crashed. */
	ctx.self_exe = "/nonexistent/gpuqd";
	start(j);
	ctx.self_exe = self_exe;
	assert_int_equal(j->attempt, 1);
	assert_int_equal(exec_local.recover(&ctx, copy_job(j), &res),
	    EXEC_NEVER_STARTED);
	/* A supervisor coming late for that attempt must do nothing. */
	assert_int_equal(run_supervisor(j, 1), 3);
	assert_int_equal(access(side, F_OK), -1);
	assert_int_equal(exec_local.check(&ctx, j, &res), 0);
	assert_int_equal(res.ended, 1);
	assert_non_null(strstr(res.reason, "rescinded"));
	/* A rescinded attempt never starts again... */
	k = copy_job(j);
	assert_int_equal(exec_local.start(&ctx, k, cause, sizeof(cause)),
	    GQ_ESTATE);
	assert_non_null(strstr(cause, "rescinded"));
	/* ...the daemon requeues the job and starts the next attempt. */
	k->attempt++;
	start(k);
	assert_int_equal(k->attempt, 2);
	wait_end(k, 10, &res);
	assert_int_equal(res.exit_code, 0);
	assert_int_equal(access(side, F_OK), 0);
	free(side);
	free(script);
}

static void
test_supervisor_died(void **state)
{
	char *side = path_in_root("side-effect-2");
	char *script = xasprintf("echo ran >> %s", side);
	struct job *j = mkjob_sh(script);
	struct exec_result res;

	ctx.self_exe = "/nonexistent/gpuqd";
	start(j);
	ctx.self_exe = self_exe;
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, -1);
	assert_non_null(strstr(res.reason, "supervisor exited"));
	assert_int_equal(run_supervisor(j, 1), 3);
	assert_int_equal(access(side, F_OK), -1);
	free(side);
	free(script);
}

static int
count_lines(const char *path)
{
	char *s = slurp(path);
	int n = 0;
	char *p;

	for (p = s; p != NULL && *p != '\0'; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/*
 * A second start() of the same attempt (a daemon bug, or a restart that
 * lost the supervisor's pid) adopts the first run instead of running the
 * job again, whether it comes after the claim or races it.
 */
static void
start_twice(int wait_first)
{
	char *count = path_in_root("count");
	char *stop = path_in_root("stop-twice");
	char *script = xasprintf("echo run >> %s; echo started; "
	                         "while [ ! -e %s ]; do sleep 0.05; done",
	    count, stop);
	struct job *j = mkjob_sh(script), *k;
	struct exec_result res;
	FILE *f;

	unlink(count);
	unlink(stop);
	start(j);
	if (wait_first)
		wait_log(j, "stdout", "started");
	k = copy_job(j);
	k->sup_pid = 0;
	start(k);
	assert_int_equal(k->attempt, 1);
	if (wait_first)
		assert_int_equal(k->sup_pid, j->sup_pid);
	wait_log(j, "stdout", "started");
	assert_int_equal(exec_local.check(&ctx, k, &res), 0);
	assert_int_equal(res.ended, 0);
	assert_non_null(f = fopen(stop, "w"));
	fclose(f);
	wait_end(k, 10, &res);
	assert_int_equal(res.exit_code, 0);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 0);
	assert_int_equal(count_lines(count), 1);
	free(count);
	free(stop);
	free(script);
}

static void
test_adopt_unrecorded(void **state)
{
	start_twice(1);
}

static void
test_claim_race(void **state)
{
	int i;

	for (i = 0; i < 5; i++)
		start_twice(0);
}

static void
test_restart_appends(void **state)
{
	struct job *j = mkjob_sh("echo try $GPUQ_RESTART_COUNT");
	struct exec_result res;

	start(j);
	wait_end(j, 10, &res);
	j->attempt++; /* the daemon's write-ahead bump */
	start(j);
	assert_int_equal(j->attempt, 2);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 0);
	assert_log(j, "stdout", "try 0\ntry 1\n");
}

static void
test_drop_privileges(void **state)
{
	struct job *j = mkjob_sh("id -u; id -g; id -G; touch /root/gpuq-x");
	struct exec_result res;
	struct stat st;
	char *path;

	if (geteuid() != 0)
		skip();
	ctx.drop_privileges = 1;
	j->uid = 65534;
	j->gid = 65534;
	free(j->workdir);
	j->workdir = xstrdup("/");
	start(j);
	wait_end(j, 10, &res);
	assert_int_not_equal(res.exit_code, 0);
	assert_log(j, "stdout", "65534\n65534\n65534\n");
	path = exec_local.log_path(&ctx, j->core.id, "stdout");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 0777, 0640);
	free(path);
}

/* A job as uid with GPUQ_METRICS_FILE=path and GPUQ_METRICS_FD=99. */
static struct job *
mkjob_metrics(const char *script, const char *path, uid_t uid)
{
	struct job *j = mkjob_sh(script);
	char *file = xasprintf("GPUQ_METRICS_FILE=%s", path);
	const char *env[] = { "PATH=/usr/bin:/bin", file,
		"GPUQ_METRICS_FD=99" };

	job_set_env(j, env, 3);
	free(file);
	j->uid = uid;
	j->gid = uid;
	free(j->workdir);
	j->workdir = xstrdup("/");
	return j;
}

/*
 * A root supervisor hands a job that runs as another user its metrics
 * file, which it could not reach in the daemon's state directory, as
 * /dev/fd/N: the job appends through the name and the descriptor alike.
 * Any other GPUQ_METRICS_FILE, and a job of the supervisor's own user,
 * keep the name they gave.
 */
static void
test_metrics_fd(void **state)
{
	const char *script = "printf '%s %s\\n' \"$GPUQ_METRICS_FILE\" "
	                     "\"$GPUQ_METRICS_FD\"; "
	                     "echo '{\"step\": 1}' >>\"$GPUQ_METRICS_FILE\" && "
	                     "echo '{\"step\": 2}' >&\"$GPUQ_METRICS_FD\"";
	struct job *j, *other, *mine;
	struct exec_result res;
	char *path, *dir, *out, *s, *elsewhere, *want;
	struct stat st;
	int fd = -1, fd2 = -1;

	if (geteuid() != 0)
		skip();
	ctx.drop_privileges = 1;
	dir = exec_state_job_dir(state_dir, next_id);
	path = xasprintf("%s/metrics.jsonl", dir);
	j = mkjob_metrics(script, path, 65534);
	elsewhere = path_in_root("elsewhere.jsonl");
	want = xasprintf("%s 99\n", elsewhere);
	other = mkjob_metrics(script, elsewhere, 65534);
	mine = mkjob_metrics(script, elsewhere, 0);
	start(j);
	wait_end(j, 10, &res);
	assert_int_equal(res.exit_code, 0);
	out = job_log(j, "stdout");
	assert_int_equal(sscanf(out, "/dev/fd/%d %d", &fd, &fd2), 2);
	assert_true(fd > 2);
	assert_int_equal(fd, fd2);
	free(out);
	s = slurp(path);
	assert_non_null(s);
	assert_string_equal(s, "{\"step\": 1}\n{\"step\": 2}\n");
	free(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_mode & 0777, 0640);
	start(other);
	wait_end(other, 10, &res);
	assert_log(other, "stdout", want);
	start(mine);
	wait_end(mine, 10, &res);
	assert_log(mine, "stdout", want);
	free(want);
	free(elsewhere);
	free(path);
	free(dir);
}

static void
test_find_and_paths(void **state)
{
	char *p;

	assert_ptr_equal(exec_find("local"), &exec_local);
	assert_ptr_equal(exec_find(NULL), &exec_local);
	assert_null(exec_find("nosuch"));
	p = exec_local.log_path(&ctx, 42, "stderr");
	assert_non_null(p);
	assert_true(strlen(p) > 15);
	assert_string_equal(p + strlen(p) - 15, "/jobs/42/stderr");
	free(p);
	assert_null(exec_local.log_path(&ctx, 42, "../spec-1.json"));
}

static int
group_setup(void **state)
{
	return mkdtemp(root) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", root);
	int rc = system(cmd);

	free(cmd);
	return rc == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_gpu_share),
		T(test_gpu_whole_and_none),
		T(test_bad_gpu_index),
		T(test_empty_command),
		T(test_no_such_command),
		T(test_bad_workdir),
		T(test_metacharacters),
		T(test_cancel_term),
		T(test_cancel_kill),
		T(test_recover_alive_then_gone),
		T(test_orphans_killed),
		T(test_never_started),
		T(test_cancelled_before_start),
		T(test_supervisor_died),
		T(test_adopt_unrecorded),
		T(test_claim_race),
		T(test_restart_appends),
		T(test_drop_privileges),
		T(test_metrics_fd),
		T(test_find_and_paths),
#undef T
	};
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "supervise") == 0)
		return exec_supervise_main(argc - 1, argv + 1);
	n = readlink("/proc/self/exe", self_exe, sizeof(self_exe) - 1);
	if (n <= 0)
		return 1;
	self_exe[n] = '\0';
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
