/*
 * The nvidia-smi probe, for hosts with the program but not the library
 * gpuqd can load (a container with only the binary mounted, say).  The
 * inventory is read once, synchronously, with a time limit; samples come
 * from one long-lived `nvidia-smi ... -lms INTERVAL` child whose output
 * is drained without blocking at every sampling round, so the daemon's
 * loop never waits for it.  It does not tell per-process memory.
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/base/clock.h"
#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/gpu/gpu-int.h"
#include "core/gpu/gpu-smi.h"

#define GPU_SMI_FIELDS    8
#define GPU_SMI_TIMEOUT_S 10    /* for the inventory */
#define GPU_SMI_RESTART_S 10    /* between restarts of the sampling child */
#define GPU_SMI_MAX_OUT   65536 /* bytes kept of a partial line */
#define GPU_SMI_NUM_MAX   1e9   /* the largest number a field may hold */

struct gpu_smi {
	char *path; /* owned: the program */
	pid_t pid;  /* the sampling child, or 0 */
	int fd;     /* its stdout, non-blocking, or -1 */
	int64_t restart_at;
	int32_t interval_ms;
	struct buf in; /* a partial line */
	struct gpu_sample last[GPU_MAX];
	int64_t last_time[GPU_MAX];
};

/* Splits a CSV line in place into at most max trimmed fields. */
static size_t
gpu_smi_split(char *line, char **f, size_t max)
{
	size_t n = 0, len;
	char *p = line, *e;

	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		f[n++] = p;
		e = strchr(p, ',');
		if (e != NULL)
			*e = '\0';
		len = strlen(p);
		while (len > 0 && isspace((unsigned char)p[len - 1]))
			p[--len] = '\0';
		if (e == NULL)
			break;
		p = e + 1;
	}
	return n;
}

/*
 * A number field: 0 with *v, or -1 for "[N/A]" and other words.  No GPU
 * reports a billion of anything, so larger values (and "inf") are refused
 * too: what is kept is converted to int32_t without overflow.
 */
static int
gpu_smi_num(const char *s, double *v)
{
	char *end;

	if (*s == '\0' || *s == '[' || isalpha((unsigned char)*s))
		return -1;
	*v = strtod(s, &end);
	/* "250.12 W" when units were not turned off. */
	if (end == s || !isfinite(*v) || *v > GPU_SMI_NUM_MAX ||
	    *v < -GPU_SMI_NUM_MAX)
		return -1;
	return 0;
}

static int
gpu_smi_index(const char *s, int32_t *out)
{
	double v;

	if (gpu_smi_num(s, &v) != 0 || v < 0 || v >= GPU_MAX || v != (int32_t)v)
		return GQ_EINVAL;
	*out = (int32_t)v;
	return 0;
}

int
gpu_smi_parse_info(const char *line, struct gpu_info *g)
{
	char copy[512], *f[GPU_SMI_FIELDS];
	double mem;

	memset(g, 0, sizeof(*g));
	snprintf(copy, sizeof(copy), "%s", line);
	if (gpu_smi_split(copy, f, GPU_SMI_FIELDS) != 5 ||
	    gpu_smi_index(f[0], &g->index) != 0 || f[2][0] == '\0')
		return GQ_EINVAL;
	if (strncmp(f[1], "GPU-", 4) == 0)
		gpu_copy_trim(g->uuid, sizeof(g->uuid), f[1]);
	gpu_copy_trim(g->name, sizeof(g->name), f[2]);
	if (gpu_smi_num(f[3], &mem) == 0 && mem > 0)
		g->mem_mb = (int64_t)mem;
	g->mig = strcasecmp(f[4], "Enabled") == 0;
	gpu_fake_model_of(g->name, g->mem_mb, g->model, sizeof(g->model));
	return 0;
}

/* "[GPU is lost]", "[GPU requires reset]": the device is gone. */
static int
gpu_smi_lost(const char *s)
{
	return strcasestr(s, "lost") != NULL || strcasestr(s, "reset") != NULL;
}

int
gpu_smi_parse_sample(const char *line, struct gpu_sample *s)
{
	char copy[512], *f[GPU_SMI_FIELDS];
	double v[4];
	int i, ok[4];

	memset(s, 0, sizeof(*s));
	snprintf(copy, sizeof(copy), "%s", line);
	if (gpu_smi_split(copy, f, GPU_SMI_FIELDS) != 5 ||
	    gpu_smi_index(f[0], &s->index) != 0)
		return GQ_EINVAL;
	for (i = 0; i < 4; i++) {
		ok[i] = gpu_smi_num(f[i + 1], &v[i]) == 0 && v[i] >= 0;
		if (gpu_smi_lost(f[i + 1]))
			s->state = GPU_LOST;
	}
	s->util_pct = ok[0] ? (int32_t)(v[0] > 100 ? 100 : v[0]) : -1;
	s->mem_used_mb = ok[1] ? (int64_t)v[1] : -1;
	s->temp_c = ok[2] ? (int32_t)v[2] : -1;
	s->power_w = ok[3] ? (int32_t)(v[3] + 0.5) : -1;
	if (s->state != GPU_LOST && !ok[0] && !ok[1])
		s->state = GPU_ERROR;
	return 0;
}

/* In the child: stdout to the pipe, stderr away, then the program. */
static void __attribute__((noreturn))
gpu_smi_exec(const char *path, char *const *argv, int out, int die)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (die)
		prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (dup2(out, 1) < 0 ||
	    (null >= 0 && (dup2(null, 0) < 0 || dup2(null, 2) < 0)))
		_exit(126);
	execvp(path, argv);
	_exit(127);
}

/* Starts path with argv, its stdout on *fd.  The child's pid or -1. */
static pid_t
gpu_smi_spawn(const char *path, char *const *argv, int *fd, int die)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) == 0)
		gpu_smi_exec(path, argv, p[1], die);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	*fd = p[0];
	return pid;
}

/* Reads fd to its end or the deadline; 0 when all was read. */
static int
gpu_smi_read_all(int fd, struct buf *out, int64_t deadline)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char chunk[4096];
	ssize_t got;
	int64_t left;

	for (;;) {
		if ((left = deadline - clock_mono_ms()) <= 0)
			return GQ_ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return GQ_EIO;
		if (pfd.revents == 0)
			continue;
		got = read(fd, chunk, sizeof(chunk));
		if (got == 0)
			return 0;
		if (got < 0 && errno != EINTR && errno != EAGAIN)
			return GQ_EIO;
		if (got > 0 && buf_add(out, chunk, (size_t)got) != 0)
			return GQ_ETOOBIG;
	}
}

/* Runs the inventory query; its output into out.  0, ENOENT or EIO. */
static int
gpu_smi_run(const char *path, struct buf *out, char *cause, size_t n)
{
	char *argv[] = { (char *)(uintptr_t)path,
		(char *)(uintptr_t) "--query-gpu=" GPU_SMI_INV_FIELDS,
		(char *)(uintptr_t) "--format=csv,noheader,nounits", NULL };
	int fd, rc, status = 0;
	pid_t pid;

	if ((pid = gpu_smi_spawn(path, argv, &fd, 0)) < 0) {
		snprintf(cause, n, "cannot start %s: %s", path,
		    strerror(errno));
		return GQ_EIO;
	}
	rc = gpu_smi_read_all(fd, out,
	    clock_mono_ms() + GPU_SMI_TIMEOUT_S * 1000);
	close(fd);
	if (rc != 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(cause, n, "%s: not found", path);
		return GQ_ENOENT;
	}
	if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(cause, n, "%s failed (%s)", path,
		    rc != 0 ? gq_err_text(rc) : "exit status");
		return GQ_ENOENT;
	}
	return 0;
}

static int
gpu_smi_inventory(const char *text, struct gpu_inventory *inv, char *cause,
    size_t n)
{
	const char *p = text, *nl;
	char line[512];
	struct gpu_info g;
	size_t len;

	while (*p != '\0' && inv->ngpus < GPU_MAX) {
		nl = strchr(p, '\n');
		len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len + (nl != NULL);
		if (line[0] == '\0' || gpu_smi_parse_info(line, &g) != 0)
			continue;
		if (g.index != (int32_t)inv->ngpus) {
			snprintf(cause, n,
			    "nvidia-smi listed GPU %d out of "
			    "order",
			    (int)g.index);
			return GQ_EIO;
		}
		inv->gpus[inv->ngpus++] = g;
	}
	snprintf(inv->source, sizeof(inv->source), "nvidia-smi");
	return 0;
}

static void
gpu_smi_stop(struct gpu_smi *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	s->pid = 0;
	buf_reset(&s->in);
}

/* The sampling child: one block of lines every interval. */
static void
gpu_smi_start(struct gpu_smi *s, int64_t now)
{
	char ms[32];
	char *argv[] = { s->path,
		(char *)(uintptr_t) "--query-gpu=" GPU_SMI_SAMPLE_FIELDS,
		(char *)(uintptr_t) "--format=csv,noheader,nounits",
		(char *)(uintptr_t) "-lms", ms, NULL };

	snprintf(ms, sizeof(ms), "%d", (int)s->interval_ms);
	s->restart_at = now + GPU_SMI_RESTART_S;
	if ((s->pid = gpu_smi_spawn(s->path, argv, &s->fd, 1)) < 0) {
		s->pid = 0;
		log_warn("nvidia-smi: cannot start: %s", strerror(errno));
		return;
	}
	fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) | O_NONBLOCK);
}

static int
gpu_smi_open(struct gpu_dev *g, const struct gpu_opts *o,
    struct gpu_inventory *inv, char *cause, size_t n)
{
	struct gpu_smi *s = xcalloc(1, sizeof(*s));
	struct buf out;
	int rc;

	s->path = xstrdup(o->smi_path != NULL ? o->smi_path : "nvidia-smi");
	s->fd = -1;
	s->interval_ms = o->interval_ms > 0 ? o->interval_ms : 2000;
	buf_init(&s->in, GPU_SMI_MAX_OUT);
	buf_init(&out, 1024 * 1024);
	rc = gpu_smi_run(s->path, &out, cause, n);
	if (rc == 0)
		rc = gpu_smi_inventory(out.data != NULL ? out.data : "", inv,
		    cause, n);
	buf_done(&out);
	if (rc != 0) {
		buf_done(&s->in);
		free(s->path);
		free(s);
		return rc;
	}
	g->priv = s;
	return 0;
}

static void
gpu_smi_close(struct gpu_dev *g)
{
	struct gpu_smi *s = g->priv;

	if (s == NULL)
		return;
	gpu_smi_stop(s);
	buf_done(&s->in);
	free(s->path);
	free(s);
	g->priv = NULL;
}

/* Takes the complete lines out of the input. */
static void
gpu_smi_lines(struct gpu_smi *s, int64_t now)
{
	struct gpu_sample smp;
	char *nl, line[512];
	size_t len;

	while (s->in.len > 0 && (nl = memchr(s->in.data, '\n', s->in.len))) {
		len = (size_t)(nl - s->in.data);
		snprintf(line, sizeof(line), "%.*s", (int)len, s->in.data);
		buf_consume(&s->in, len + 1);
		if (gpu_smi_parse_sample(line, &smp) == 0) {
			s->last[smp.index] = smp;
			s->last_time[smp.index] = now;
		}
	}
}

/* Drains what the child printed; restarts it when it is gone. */
static void
gpu_smi_round(struct gpu_dev *g, int64_t now)
{
	struct gpu_smi *s = g->priv;
	char chunk[4096];
	ssize_t got;

	if (s->fd < 0 && now >= s->restart_at)
		gpu_smi_start(s, now);
	while (s->fd >= 0) {
		got = read(s->fd, chunk, sizeof(chunk));
		if (got > 0) {
			if (buf_add(&s->in, chunk, (size_t)got) != 0)
				buf_reset(&s->in); /* a runaway line */
			gpu_smi_lines(s, now);
			continue;
		}
		if (got < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		log_warn("nvidia-smi stopped; restarting it in %ds",
		    GPU_SMI_RESTART_S);
		gpu_smi_stop(s);
	}
}

static void
gpu_smi_sample(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out)
{
	struct gpu_smi *s = g->priv;
	int64_t stale = 3 * (s->interval_ms / 1000) + 3;

	if (s->last_time[i] == 0 || t - s->last_time[i] > stale) {
		memset(out, 0, sizeof(*out));
		out->index = i;
		out->util_pct = out->temp_c = out->power_w = -1;
		out->mem_used_mb = -1;
		out->state = GPU_ERROR;
		return;
	}
	*out = s->last[i];
}

const struct gpu_probe gpu_probe_smi = {
	.name = "nvidia-smi",
	.open = gpu_smi_open,
	.close = gpu_smi_close,
	.round = gpu_smi_round,
	.sample = gpu_smi_sample,
};
