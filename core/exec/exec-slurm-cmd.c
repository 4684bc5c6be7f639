/*
 * Running Slurm's commands for the worker thread: argv arrays through
 * posix_spawnp (no shell), output read into bounded buffers, a time limit
 * after which the command is killed.  Several run at once.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-slurm-int.h"

void
exec_slurm_cmd_init(struct exec_slurm_cmd *c, char **argv)
{
	memset(c, 0, sizeof(*c));
	c->argv = argv;
	c->status = -1;
	c->pid = -1;
	c->ofd = c->efd = -1;
	buf_init(&c->out, EXEC_SLURM_CMD_MAX_OUT);
	buf_init(&c->err, 64 * 1024);
}

void
exec_slurm_cmd_done(struct exec_slurm_cmd *c)
{
	buf_done(&c->out);
	buf_done(&c->err);
}

static void
exec_slurm_cmd_actions(posix_spawn_file_actions_t *fa, int o[2], int e[2])
{
	posix_spawn_file_actions_init(fa);
	posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(fa, o[1], 1);
	posix_spawn_file_actions_adddup2(fa, e[1], 2);
	posix_spawn_file_actions_addclosefrom_np(fa, 3);
}

/* Starts c; on failure c->pid stays -1 and err says why. */
static void
exec_slurm_cmd_spawn(struct exec_slurm_cmd *c, char **env)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int o[2], e[2], rc;

	if (pipe2(o, O_CLOEXEC) != 0)
		goto fail;
	if (pipe2(e, O_CLOEXEC) != 0) {
		close(o[0]);
		close(o[1]);
		goto fail;
	}
	exec_slurm_cmd_actions(&fa, o, e);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at,
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(&c->pid, c->argv[0], &fa, &at, c->argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(o[1]);
	close(e[1]);
	c->ofd = o[0];
	c->efd = e[0];
	if (rc == 0)
		return;
	c->pid = -1;
	errno = rc;
fail:
	buf_printf(&c->err, "cannot run %s: %s", c->argv[0], strerror(errno));
}

/* Reads what fd has; closes it (and sets *fd -1) at its end. */
static void
exec_slurm_cmd_read(int *fd, struct buf *b)
{
	char chunk[16384];
	ssize_t r;

	r = read(*fd, chunk, sizeof(chunk));
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r > 0) {
		buf_add(b, chunk, (size_t)r); /* past the limit: dropped */
		return;
	}
	close(*fd);
	*fd = -1;
}

/* Polls every open pipe of c[0..n) once, for up to wait_ms. */
static size_t
exec_slurm_cmd_poll(struct exec_slurm_cmd *c, size_t n, int wait_ms)
{
	struct pollfd *p = xcalloc(2 * n + 1, sizeof(*p));
	int **who = xcalloc(2 * n + 1, sizeof(*who));
	struct buf **bufs = xcalloc(2 * n + 1, sizeof(*bufs));
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (c[i].pid <= 0)
			continue; /* a free slot of a pool */
		if (c[i].ofd >= 0) {
			p[k].fd = c[i].ofd;
			p[k].events = POLLIN;
			who[k] = &c[i].ofd;
			bufs[k++] = &c[i].out;
		}
		if (c[i].efd >= 0) {
			p[k].fd = c[i].efd;
			p[k].events = POLLIN;
			who[k] = &c[i].efd;
			bufs[k++] = &c[i].err;
		}
	}
	if (k > 0 && poll(p, k, wait_ms) > 0)
		for (i = 0; i < k; i++)
			if (p[i].revents != 0)
				exec_slurm_cmd_read(who[i], bufs[i]);
	free(p);
	free(who);
	free(bufs);
	return k;
}

static void
exec_slurm_cmd_reap(struct exec_slurm_cmd *c, int kill_it)
{
	int st;

	if (c->ofd >= 0)
		close(c->ofd);
	if (c->efd >= 0)
		close(c->efd);
	c->ofd = c->efd = -1;
	if (c->pid <= 0)
		return;
	if (kill_it) {
		kill(c->pid, SIGKILL);
		c->timed_out = 1;
		buf_printf(&c->err, "\n%s: no answer in %d s: killed\n",
		    c->argv[0], EXEC_SLURM_CMD_TIMEOUT / 1000);
	}
	while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!kill_it && WIFEXITED(st))
		c->status = WEXITSTATUS(st);
	c->pid = -1;
}

void
exec_slurm_cmd_start(struct exec_slurm_cmd *c, char **env)
{
	c->started = clock_mono_ms();
	exec_slurm_cmd_spawn(c, env);
	c->running = c->pid > 0;
}

int
exec_slurm_cmd_step(struct exec_slurm_cmd *c, size_t n, int wait_ms)
{
	int64_t now;
	size_t i;

	exec_slurm_cmd_poll(c, n, wait_ms);
	now = clock_mono_ms();
	for (i = 0; i < n; i++) {
		if (!c[i].running)
			continue;
		if (c[i].ofd >= 0 || c[i].efd >= 0) {
			if (now - c[i].started < EXEC_SLURM_CMD_TIMEOUT)
				continue;
			exec_slurm_cmd_reap(&c[i], 1);
		} else
			exec_slurm_cmd_reap(&c[i], 0);
		c[i].running = 0;
		return (int)i;
	}
	return -1;
}

void
exec_slurm_cmd_run(struct exec_slurm_cmd *c, size_t n, char **env,
    int timeout_ms)
{
	int64_t end = clock_mono_ms() + timeout_ms, left;
	size_t i;

	for (i = 0; i < n; i++)
		exec_slurm_cmd_spawn(&c[i], env);
	while ((left = end - clock_mono_ms()) > 0)
		if (exec_slurm_cmd_poll(c, n, (int)left) == 0)
			break;
	/* Output closed (or time is up): collect each one. */
	for (i = 0; i < n; i++)
		exec_slurm_cmd_reap(&c[i], c[i].ofd >= 0 || c[i].efd >= 0);
}

int
exec_slurm_cmd_one(struct exec_slurm_cmd *c, char *why, size_t n)
{
	exec_slurm_cmd_run(c, 1, xs.env, EXEC_SLURM_CMD_TIMEOUT);
	slurm_parse_error(c->err.data != NULL ? c->err.data : "", why, n);
	if (c->status == 0)
		return 0;
	if (c->timed_out || slurm_parse_transient(why))
		return GQ_ECONN;
	if (why[0] == '\0')
		snprintf(why, n, "%s exited with status %d", c->argv[0],
		    c->status);
	return GQ_EIO;
}
