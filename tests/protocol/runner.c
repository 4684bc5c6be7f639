/*
 * runner GPUQD TRANSCRIPT: plays a protocol transcript against a gpuqd of
 * its own, started on a socket and state directory in a new temporary
 * directory, and stopped (by its pid) and removed afterwards.
 *
 * Exit status: 0 passed, 1 failed (the mismatch and the daemon's log go to
 * stderr), 77 skipped (the transcript needs root), 2 bad usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/protocol/runner.h"

#define RUNNER_FAKE_GPUS "4:H100-80GB"
#define RUNNER_STOP_MS   5000

int64_t
runner_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A temporary directory that any user can pass through to the socket. */
static int
runner_tmpdir(struct runner *r)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || tmp[0] != '/' || strlen(tmp) > 64)
		tmp = "/tmp";
	snprintf(r->dir, sizeof(r->dir), "%s/gpuq-proto-XXXXXX", tmp);
	if (mkdtemp(r->dir) == NULL) {
		fprintf(stderr, "runner: mkdtemp %s: %s\n", r->dir,
		    strerror(errno));
		return -1;
	}
	chmod(r->dir, 0711);
	snprintf(r->sock, sizeof(r->sock), "%s/s.sock", r->dir);
	snprintf(r->state, sizeof(r->state), "%s/state", r->dir);
	snprintf(r->log, sizeof(r->log), "%s/gpuqd.log", r->dir);
	return 0;
}

static void
runner_exec_daemon(struct runner *r)
{
	int fd;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if ((fd = open(r->log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	if ((fd = open("/dev/null", O_RDONLY)) >= 0)
		dup2(fd, STDIN_FILENO);
	signal(SIGPIPE, SIG_DFL);
	/* In a sanitizer build, undefined behaviour fails the test too. */
	setenv("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1", 0);
	execl(r->gpuqd, "gpuqd", "-d", "-S", r->sock, "--state-dir", r->state,
	    "--fake-gpus", RUNNER_FAKE_GPUS, (char *)NULL);
	fprintf(stderr, "runner: exec %s: %s\n", r->gpuqd, strerror(errno));
	_exit(127);
}

/* Starts gpuqd and waits for its socket. */
static int
runner_start(struct runner *r)
{
	int64_t deadline = runner_now_ms() + RUNNER_TIMEOUT_MS;
	struct stat st;
	int status;

	fflush(NULL);
	if ((r->daemon = fork()) < 0)
		return -1;
	if (r->daemon == 0)
		runner_exec_daemon(r);
	while (runner_now_ms() < deadline) {
		if (waitpid(r->daemon, &status, WNOHANG) == r->daemon) {
			fprintf(stderr,
			    "runner: gpuqd exited at start (status 0x%x)\n",
			    status);
			r->daemon = 0;
			return -1;
		}
		if (stat(r->sock, &st) == 0 && S_ISSOCK(st.st_mode))
			return 0;
		usleep(20 * 1000);
	}
	fprintf(stderr, "runner: no socket %s after %d s\n", r->sock,
	    RUNNER_TIMEOUT_MS / 1000);
	return -1;
}

/* Waits up to ms for the daemon to exit.  1 when it did. */
static int
runner_reap(struct runner *r, int ms, int *status)
{
	int64_t deadline = runner_now_ms() + ms;

	do {
		if (waitpid(r->daemon, status, WNOHANG) == r->daemon)
			return 1;
		usleep(10 * 1000);
	} while (runner_now_ms() < deadline);
	return 0;
}

/*
 * Stops gpuqd: SIGTERM, SIGKILL after 5 s.  A daemon that died before
 * (a crash) or did not exit cleanly fails the test.
 */
static int
runner_stop(struct runner *r)
{
	int status, rc = RUNNER_PASS;

	if (r->daemon <= 0)
		return RUNNER_FAIL;
	if (runner_reap(r, 0, &status)) {
		fprintf(stderr,
		    "runner: gpuqd died during the test (status 0x%x)\n",
		    status);
		return RUNNER_FAIL;
	}
	kill(r->daemon, SIGTERM);
	if (!runner_reap(r, RUNNER_STOP_MS, &status)) {
		fprintf(stderr, "runner: gpuqd ignored SIGTERM for %d s\n",
		    RUNNER_STOP_MS / 1000);
		kill(r->daemon, SIGKILL);
		waitpid(r->daemon, &status, 0);
		rc = RUNNER_FAIL;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "runner: gpuqd exited with status 0x%x\n",
		    status);
		rc = RUNNER_FAIL;
	}
	r->daemon = 0;
	return rc;
}

/* A job's supervisor, as its claim file names it. */
struct runner_sup {
	long pid;
	unsigned long long start;
};

/*
 * Fields 4 (parent), 5 (process group) and 22 (start time) of
 * /proc/PID/stat.  0, or -1 when there is no such process.
 */
static int
runner_proc(long pid, long *ppid, long *pgrp, unsigned long long *start)
{
	char path[64], line[1024], *p, state = 'Z';
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	/* Past the command name, which may hold spaces and parentheses. */
	p = fgets(line, sizeof(line), fp) != NULL ? strrchr(line, ')') : NULL;
	fclose(fp);
	if (p == NULL || sscanf(p, ") %c %ld %ld", &state, ppid, pgrp) != 3)
		return -1;
	for (i = 2; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || state == 'Z' || state == 'X')
		return -1;
	*start = strtoull(p + 1, NULL, 10);
	return 0;
}

static int
runner_sup_alive(const struct runner_sup *s)
{
	unsigned long long start;
	long ppid, pgrp;

	return runner_proc(s->pid, &ppid, &pgrp, &start) == 0 &&
	    start == s->start;
}

/* The supervisors still alive, from the claim files of every job. */
static size_t
runner_sups(struct runner *r, struct runner_sup *out, size_t max)
{
	char pattern[256];
	size_t i, n = 0;
	glob_t g;
	FILE *fp;

	snprintf(pattern, sizeof(pattern), "%s/jobs/*/claim-*", r->state);
	if (glob(pattern, 0, NULL, &g) != 0)
		return 0;
	for (i = 0; i < g.gl_pathc && n < max; i++) {
		if ((fp = fopen(g.gl_pathv[i], "r")) == NULL)
			continue;
		if (fscanf(fp, "%ld %llu", &out[n].pid, &out[n].start) == 2 &&
		    out[n].pid > 1 && runner_sup_alive(&out[n]))
			n++;
		fclose(fp);
	}
	globfree(&g);
	return n;
}

/* SIGKILL to the process groups of a supervisor's children, and to it. */
static void
runner_sup_kill(const struct runner_sup *s)
{
	unsigned long long start;
	long pid, ppid, pgrp;
	struct dirent *e;
	DIR *dir;

	if ((dir = opendir("/proc")) != NULL) {
		while ((e = readdir(dir)) != NULL) {
			pid = strtol(e->d_name, NULL, 10);
			if (pid > 1 &&
			    runner_proc(pid, &ppid, &pgrp, &start) == 0 &&
			    ppid == s->pid && pgrp > 1)
				kill((pid_t)-pgrp, SIGKILL);
		}
		closedir(dir);
	}
	if (runner_sup_alive(s))
		kill((pid_t)s->pid, SIGKILL);
}

/*
 * Jobs outlive the daemon under their supervisors.  Each one still alive
 * gets SIGTERM, which it passes on to its job; what is left after 5 s is
 * killed, so nothing writes into the directory while it is removed.
 */
static void
runner_stop_jobs(struct runner *r)
{
	int64_t deadline = runner_now_ms() + RUNNER_STOP_MS;
	struct runner_sup sups[256];
	size_t n, i, alive;

	n = runner_sups(r, sups, sizeof(sups) / sizeof(sups[0]));
	for (i = 0; i < n; i++)
		kill((pid_t)sups[i].pid, SIGTERM);
	do {
		for (i = 0, alive = 0; i < n; i++)
			alive += (size_t)runner_sup_alive(&sups[i]);
		if (alive > 0)
			usleep(20 * 1000);
	} while (alive > 0 && runner_now_ms() < deadline);
	for (i = 0; i < n && alive > 0; i++)
		runner_sup_kill(&sups[i]);
}

static int
runner_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
runner_dump_log(struct runner *r)
{
	char line[4096];
	FILE *fp = fopen(r->log, "r");

	if (fp == NULL)
		return;
	fprintf(stderr, "--- gpuqd log (%s) ---\n", r->log);
	while (fgets(line, sizeof(line), fp) != NULL)
		fputs(line, stderr);
	fprintf(stderr, "--- end of gpuqd log ---\n");
	fclose(fp);
}

static int
runner_main(struct runner *r, FILE *fp)
{
	int rc, stop;

	if (runner_tmpdir(r) != 0)
		return 2;
	rc = runner_start(r) == 0 ? runner_script_run(r, fp) : RUNNER_FAIL;
	stop = runner_stop(r);
	if (rc == RUNNER_PASS)
		rc = stop;
	runner_stop_jobs(r);
	if (rc == RUNNER_FAIL)
		runner_dump_log(r);
	nftw(r->dir, runner_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}

static void
runner_whoami(struct runner *r)
{
	struct passwd *pw = getpwuid(geteuid());

	snprintf(r->uid, sizeof(r->uid), "%u", (unsigned)geteuid());
	if (pw != NULL)
		snprintf(r->user, sizeof(r->user), "%s", pw->pw_name);
	else
		snprintf(r->user, sizeof(r->user), "uid%s", r->uid);
}

int
main(int argc, char **argv)
{
	static struct runner r;
	FILE *fp;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: runner GPUQD TRANSCRIPT\n");
		return 2;
	}
	r.gpuqd = argv[1];
	r.path = argv[2];
	r.conn.fd = -1;
	if ((fp = fopen(r.path, "r")) == NULL) {
		fprintf(stderr, "runner: %s: %s\n", r.path, strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	runner_whoami(&r);
	if (runner_script_needs_root(fp) && geteuid() != 0) {
		fprintf(stderr, "%s: skipped: it changes user and needs root\n",
		    r.path);
		fclose(fp);
		return RUNNER_SKIP;
	}
	rc = runner_main(&r, fp);
	fclose(fp);
	if (rc == RUNNER_PASS)
		printf("%s: passed\n", r.path);
	return rc;
}
