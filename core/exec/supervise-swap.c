/*
 * Suspend and resume, the supervisor's side (exec-swap.h).  A plain stop
 * is SIGSTOP to the job's process group and SIGCONT to bring it back.
 * With cuda-checkpoint, each CUDA process of the group is toggled first
 * (its GPU memory goes to host memory and it lets go of the GPU), then
 * the group is stopped; to resume, the group continues and each process
 * is toggled back.  docs/swap.md says what this can and cannot do.
 */
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/base/clock.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/exec/exec-state.h"
#include "core/exec/exec-swap.h"

struct swap_req {
	int32_t seq;
	int suspend; /* 1 suspend, 0 resume */
	int mech;    /* JOB_SWAP_STOP or JOB_SWAP_CUDA */
	char tool[4096];
};

struct swap_out {
	int ok;
	int ncuda;
	char error[256];
};

static int
supervise_swap_read(const char *dir, int32_t attempt, struct swap_req *r)
{
	const char *op = NULL, *mech = NULL, *tool = NULL;
	char *path;
	json_t *v;
	int seq = 0, rc = GQ_EIO;

	path = exec_state_path(dir, "swap-req", attempt, ".json");
	v = json_load_file(path, 0, NULL);
	free(path);
	if (v != NULL &&
	    json_unpack(v, "{s:i, s:s, s:s, s?s}", "seq", &seq, "op", &op,
	        "mech", &mech, "tool", &tool) == 0) {
		r->seq = seq;
		r->suspend = strcmp(op, "suspend") == 0;
		r->mech = strcmp(mech, "cuda-checkpoint") == 0 ? JOB_SWAP_CUDA :
		                                                 JOB_SWAP_STOP;
		snprintf(r->tool, sizeof(r->tool), "%s",
		    tool != NULL ? tool : "");
		rc = 0;
	}
	json_decref(v);
	return rc;
}

static void
supervise_swap_report(const char *dir, int32_t attempt, int32_t seq, int mech,
    const struct swap_out *o)
{
	char *path;
	json_t *v;

	v = json_pack("{s:i,s:b,s:s,s:i,s:I}", "seq", (int)seq, "ok", o->ok,
	    "mech", mech == JOB_SWAP_CUDA ? "cuda-checkpoint" : "stop", "ncuda",
	    o->ncuda, "time", (json_int_t)time(NULL));
	if (v != NULL && o->error[0] != '\0')
		json_object_set_new(v, "error", json_string(o->error));
	path = exec_state_path(dir, "swap", attempt, ".json");
	if (v == NULL || exec_state_json_write(path, v, 0600) != 0)
		log_error("cannot write %s", path);
	free(path);
	json_decref(v);
}

/* The process group of /proc/PID/stat (field 5), or -1. */
static pid_t
supervise_swap_pgrp(pid_t pid, char *state)
{
	char path[64], buf[512], *p;
	long pgrp = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL &&
	    (p = strrchr(buf, ')')) != NULL &&
	    sscanf(p + 1, " %c %*s %ld", state, &pgrp) != 2)
		pgrp = -1;
	fclose(f);
	return (pid_t)pgrp;
}

/* The live processes of group pgid, at most max. */
static int
supervise_swap_group(pid_t pgid, pid_t *pids, int max)
{
	struct dirent *de;
	char *end, state;
	long pid;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while (n < max && (de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		if (supervise_swap_pgrp((pid_t)pid, &state) == pgid &&
		    state != 'Z' && state != 'X')
			pids[n++] = (pid_t)pid;
	}
	closedir(d);
	return n;
}

/* 1 when every process of the group is stopped (or gone). */
static int
supervise_swap_all_stopped(pid_t pgid)
{
	pid_t pids[EXEC_SWAP_MAX_PIDS];
	char state;
	int i, n;

	n = supervise_swap_group(pgid, pids, EXEC_SWAP_MAX_PIDS);
	for (i = 0; i < n; i++)
		if (supervise_swap_pgrp(pids[i], &state) == pgid &&
		    state != 'T' && state != 't' && state != 'Z')
			return 0;
	return 1;
}

static int
supervise_swap_stop(pid_t pgid, struct swap_out *o)
{
	int64_t until = clock_mono_ms() + EXEC_SWAP_STOP_WAIT;

	if (kill(-pgid, SIGSTOP) != 0 && errno != ESRCH) {
		snprintf(o->error, sizeof(o->error), "SIGSTOP: %s",
		    strerror(errno));
		return -1;
	}
	while (!supervise_swap_all_stopped(pgid)) {
		if (clock_mono_ms() > until) {
			snprintf(o->error, sizeof(o->error),
			    "the job's processes did not stop");
			kill(-pgid, SIGCONT);
			return -1;
		}
		usleep(1000);
	}
	return 0;
}

/* The tool's child: a clean signal state, stdout into the pipe. */
static void __attribute__((noreturn))
supervise_swap_child(const char *tool, char *const *argv, int out)
{
	struct sigaction sa;
	sigset_t none;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(out, 1) < 0)
		_exit(126);
	execv(tool, argv);
	_exit(127);
}

/* Reads the child's output until it closes, or the time is up (-1). */
static int
supervise_swap_collect(int fd, char *out, size_t n)
{
	int64_t until = clock_mono_ms() + EXEC_SWAP_TOOL_MS;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;
	char sink[256];

	for (;;) {
		if (poll(&pfd, 1, (int)(until - clock_mono_ms())) <= 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (got + 1 < n)
			r = read(fd, out + got, n - 1 - got);
		else
			r = read(fd, sink, sizeof(sink));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (got + 1 < n)
			got += (size_t)r;
	}
	out[got] = '\0';
	return 0;
}

/*
 * Runs "tool --ACTION --pid PID" (ACTION "toggle" or "get-state");
 * returns its exit status (-1: it could not run or took too long) and
 * its output, trimmed, in out.
 */
static int
supervise_swap_tool(const char *tool, const char *action, pid_t pid, char *out,
    size_t n)
{
	char flag[32], spid[24], *argv[5];
	int p[2], status = -1, timed_out;
	pid_t child;

	snprintf(flag, sizeof(flag), "--%s", action);
	snprintf(spid, sizeof(spid), "%ld", (long)pid);
	argv[0] = (char *)(uintptr_t)tool;
	argv[1] = flag;
	argv[2] = (char *)(uintptr_t) "--pid";
	argv[3] = spid;
	argv[4] = NULL;
	out[0] = '\0';
	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	if ((child = fork()) == 0)
		supervise_swap_child(tool, argv, p[1]);
	close(p[1]);
	timed_out = child > 0 && supervise_swap_collect(p[0], out, n) != 0;
	close(p[0]);
	if (timed_out)
		kill(child, SIGKILL);
	while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	out[strcspn(out, "\r\n")] = '\0';
	if (child <= 0 || timed_out || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Puts pids back as they were: each toggled again (best effort). */
static void
supervise_swap_untoggle(const char *tool, const pid_t *pids, int n)
{
	char out[128];
	int i;

	for (i = 0; i < n; i++)
		if (supervise_swap_tool(tool, "toggle", pids[i], out,
		        sizeof(out)) != 0)
			log_error("cuda-checkpoint could not toggle %ld back",
			    (long)pids[i]);
}

/*
 * Toggles one process to checkpointed.  Returns 1 when done, 0 when it is
 * no CUDA process (get-state fails) or already checkpointed, -1 on error.
 */
static int
supervise_swap_ckpt_one(const char *tool, pid_t pid, struct swap_out *o)
{
	char out[128];

	if (supervise_swap_tool(tool, "get-state", pid, out, sizeof(out)) != 0)
		return 0;
	if (strcmp(out, "checkpointed") == 0)
		return 0;
	if (supervise_swap_tool(tool, "toggle", pid, out, sizeof(out)) != 0 ||
	    supervise_swap_tool(tool, "get-state", pid, out, sizeof(out)) !=
	        0 ||
	    strcmp(out, "checkpointed") != 0) {
		snprintf(o->error, sizeof(o->error),
		    "cuda-checkpoint --toggle --pid %ld failed (state "
		    "\"%.40s\")",
		    (long)pid, out);
		return -1;
	}
	return 1;
}

static int
supervise_swap_cuda_out(struct supervise_swap *sw, const char *tool, pid_t pgid,
    struct swap_out *o)
{
	pid_t pids[EXEC_SWAP_MAX_PIDS];
	int i, n, r;

	sw->ncuda = 0;
	n = supervise_swap_group(pgid, pids, EXEC_SWAP_MAX_PIDS);
	for (i = 0; i < n; i++) {
		if ((r = supervise_swap_ckpt_one(tool, pids[i], o)) < 0) {
			supervise_swap_untoggle(tool, sw->cuda, sw->ncuda);
			sw->ncuda = 0;
			return -1;
		}
		if (r > 0)
			sw->cuda[sw->ncuda++] = pids[i];
	}
	o->ncuda = sw->ncuda;
	if (supervise_swap_stop(pgid, o) != 0) {
		supervise_swap_untoggle(tool, sw->cuda, sw->ncuda);
		sw->ncuda = 0;
		return -1;
	}
	return 0;
}

/* SIGCONT, then each checkpointed process toggled back to running. */
static int
supervise_swap_cuda_in(struct supervise_swap *sw, const char *tool, pid_t pgid,
    struct swap_out *o)
{
	char out[128];
	int i, bad = 0;

	kill(-pgid, SIGCONT);
	for (i = 0; i < sw->ncuda; i++) {
		if (supervise_swap_tool(tool, "get-state", sw->cuda[i], out,
		        sizeof(out)) != 0)
			continue; /* it has exited meanwhile */
		if (strcmp(out, "checkpointed") != 0)
			continue;
		if (supervise_swap_tool(tool, "toggle", sw->cuda[i], out,
		        sizeof(out)) != 0) {
			snprintf(o->error, sizeof(o->error),
			    "cuda-checkpoint could not restore pid %ld",
			    (long)sw->cuda[i]);
			bad = 1;
			continue;
		}
		o->ncuda++;
	}
	sw->ncuda = 0;
	return bad ? -1 : 0;
}

static int
supervise_swap_do(struct supervise_swap *sw, const struct swap_req *r,
    pid_t pgid, struct swap_out *o)
{
	if (r->suspend && sw->state != 0)
		return 0; /* already out */
	if (!r->suspend && sw->state == 0)
		return 0; /* already in */
	if (r->suspend && r->mech == JOB_SWAP_CUDA) {
		if (r->tool[0] != '/') {
			snprintf(o->error, sizeof(o->error),
			    "no cuda-checkpoint path given");
			return -1;
		}
		if (supervise_swap_cuda_out(sw, r->tool, pgid, o) != 0)
			return -1;
	} else if (r->suspend) {
		if (supervise_swap_stop(pgid, o) != 0)
			return -1;
	} else if (sw->state == JOB_SWAP_CUDA) {
		sw->state = 0;
		return supervise_swap_cuda_in(sw, r->tool, pgid, o);
	} else
		kill(-pgid, SIGCONT);
	sw->state = r->suspend ? r->mech : 0;
	return 0;
}

void
supervise_swap_handle(struct supervise_swap *sw, const char *dir,
    int32_t attempt, pid_t pgid, int ending)
{
	struct swap_out o;
	struct swap_req r;

	memset(&o, 0, sizeof(o));
	if (supervise_swap_read(dir, attempt, &r) != 0) {
		log_error("a swap request without a readable swap-req file");
		return;
	}
	if (r.seq <= sw->done_seq)
		return; /* done already: its report stands */
	log_info("swap %d: %s by %s", (int)r.seq,
	    r.suspend ? "suspend" : "resume",
	    r.mech == JOB_SWAP_CUDA ? "cuda-checkpoint" : "stop");
	if (r.suspend && (ending || pgid <= 0))
		snprintf(o.error, sizeof(o.error),
		    "the job is ending: not suspended");
	else
		o.ok = supervise_swap_do(sw, &r, pgid, &o) == 0;
	if (!o.ok)
		log_error("swap %d failed: %s", (int)r.seq, o.error);
	sw->done_seq = r.seq;
	supervise_swap_report(dir, attempt, r.seq, r.mech, &o);
}
