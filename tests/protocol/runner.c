/*
 * runner GPUQD TRANSCRIPT: plays a protocol transcript against a gpuqd of
 * its own, started on a socket and state directory in a new temporary
 * directory, and stopped (by its pid) and removed afterwards.
 *
 * Exit status: 0 passed, 1 failed (the mismatch and the daemon's log go to
 * stderr), 77 skipped (the transcript needs root), 2 bad usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
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
#define RUNNER_STOP_MS	 5000

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
			fprintf(stderr, "runner: gpuqd exited at start "
					"(status 0x%x)\n",
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
		fprintf(stderr, "runner: gpuqd died during the test "
				"(status 0x%x)\n",
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

/* Field 22 of /proc/PID/stat: when the process started. */
static unsigned long long
runner_proc_start(long pid)
{
	char path[64], line[1024], *p;
	unsigned long long start = 0;
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	p = fgets(line, sizeof(line), fp) != NULL ? strrchr(line, ')') : NULL;
	/* Past the command name, which may hold spaces: 20 fields on. */
	for (i = 2; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p != NULL)
		start = strtoull(p + 1, NULL, 10);
	fclose(fp);
	return start;
}

/*
 * Jobs outlive the daemon under their supervisors: SIGTERM each
 * supervisor still alive (its claim file names its pid and start time),
 * which passes it on to the job's process group.
 */
static void
runner_stop_jobs(struct runner *r)
{
	unsigned long long start;
	char pattern[256];
	glob_t g;
	size_t i;
	long pid;
	FILE *fp;

	snprintf(pattern, sizeof(pattern), "%s/jobs/*/claim-*", r->state);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		if ((fp = fopen(g.gl_pathv[i], "r")) == NULL)
			continue;
		if (fscanf(fp, "%ld %llu", &pid, &start) == 2 && pid > 1 &&
		    runner_proc_start(pid) == start)
			kill((pid_t)pid, SIGTERM);
		fclose(fp);
	}
	globfree(&g);
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
