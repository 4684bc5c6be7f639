/*
 * The table of GPU probes and the choice among them: the fake GPUs when
 * --fake-gpus is given, else NVML, else nvidia-smi, else none.  Also the
 * process facts the sampler needs to tie a GPU process to a job, and the
 * test for a running MPS control daemon.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/gpu/gpu-int.h"

#define GPU_MPS_DEFAULT_DIR "/tmp/nvidia-mps"

/* Probes tried, in order, when the choice is "auto". */
static const struct gpu_probe *const gpu_probes[] = {
	&gpu_probe_nvml,
	&gpu_probe_smi,
};

#define GPU_NPROBES (sizeof(gpu_probes) / sizeof(gpu_probes[0]))

static int
gpu_fake_open(struct gpu_dev *g, const struct gpu_opts *o,
    struct gpu_inventory *inv, char *cause, size_t n)
{
	if (o->fake_spec == NULL) {
		snprintf(cause, n, "the fake probe needs fake-gpus");
		return GQ_EINVAL;
	}
	return gpu_fake_parse(o->fake_spec, o->host, inv, cause, n);
}

static void
gpu_fake_close(struct gpu_dev *g)
{
}

static void
gpu_fake_probe_sample(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out)
{
	gpu_fake_sample(&g->inv.gpus[i], alloc_milli, alloc_mem_mb, t, out);
}

const struct gpu_probe gpu_probe_fake = {
	.name = "fake",
	.open = gpu_fake_open,
	.close = gpu_fake_close,
	.sample = gpu_fake_probe_sample,
	.synthetic = 1,
};

static int
gpu_none_open(struct gpu_dev *g, const struct gpu_opts *o,
    struct gpu_inventory *inv, char *cause, size_t n)
{
	memset(inv, 0, sizeof(*inv));
	snprintf(inv->source, sizeof(inv->source), "none");
	return 0;
}

static void
gpu_none_sample(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out)
{
	memset(out, 0, sizeof(*out));
	out->index = i;
	out->state = GPU_ERROR;
}

static const struct gpu_probe gpu_probe_none = {
	.name = "none",
	.open = gpu_none_open,
	.close = gpu_fake_close,
	.sample = gpu_none_sample,
};

static const struct gpu_probe *
gpu_probe_find(const char *name)
{
	size_t i;

	if (strcmp(name, "fake") == 0)
		return &gpu_probe_fake;
	if (strcmp(name, "none") == 0)
		return &gpu_probe_none;
	for (i = 0; i < GPU_NPROBES; i++)
		if (strcmp(name, gpu_probes[i]->name) == 0)
			return gpu_probes[i];
	return NULL;
}

/* Opens one probe into a new device; 0 or the probe's error. */
static int
gpu_try(const struct gpu_probe *p, const struct gpu_opts *o,
    struct gpu_dev **out, struct gpu_inventory *inv, char *cause, size_t n)
{
	struct gpu_dev *g = xcalloc(1, sizeof(*g));
	int rc;

	g->probe = p;
	memset(inv, 0, sizeof(*inv));
	if ((rc = p->open(g, o, inv, cause, n)) != 0) {
		free(g);
		memset(inv, 0, sizeof(*inv));
		return rc;
	}
	if (inv->source[0] == '\0')
		snprintf(inv->source, sizeof(inv->source), "%s", p->name);
	g->inv = *inv;
	*out = g;
	return 0;
}

/* "auto": the first probe that finds GPUs, else none. */
static int
gpu_open_auto(const struct gpu_opts *o, struct gpu_dev **out,
    struct gpu_inventory *inv, char *cause, size_t n)
{
	char why[256];
	size_t i;

	for (i = 0; i < GPU_NPROBES; i++) {
		if (gpu_try(gpu_probes[i], o, out, inv, why, sizeof(why)) != 0)
			continue;
		if (inv->ngpus > 0)
			return 0;
		gpu_close(*out);
	}
	return gpu_try(&gpu_probe_none, o, out, inv, cause, n);
}

int
gpu_open(const struct gpu_opts *o, struct gpu_dev **out,
    struct gpu_inventory *inv, char *cause, size_t n)
{
	const struct gpu_probe *p;
	const char *name = o->probe != NULL ? o->probe : "auto";

	*out = NULL;
	if (o->fake_spec != NULL)
		return gpu_try(&gpu_probe_fake, o, out, inv, cause, n);
	if (strcmp(name, "auto") == 0)
		return gpu_open_auto(o, out, inv, cause, n);
	if ((p = gpu_probe_find(name)) == NULL) {
		snprintf(cause, n, "unknown GPU probe \"%s\"", name);
		return GQ_EINVAL;
	}
	return gpu_try(p, o, out, inv, cause, n);
}

void
gpu_close(struct gpu_dev *g)
{
	if (g == NULL)
		return;
	g->probe->close(g);
	free(g);
}

const char *
gpu_source(const struct gpu_dev *g)
{
	return g != NULL ? g->inv.source : "none";
}

int
gpu_synthetic(const struct gpu_dev *g)
{
	return g != NULL && g->probe->synthetic;
}

int
gpu_has_procs(const struct gpu_dev *g)
{
	return g != NULL && g->probe->procs != NULL && g->procs;
}

void
gpu_round(struct gpu_dev *g, int64_t now)
{
	if (g != NULL && g->probe->round != NULL)
		g->probe->round(g, now);
}

void
gpu_sample(struct gpu_dev *g, int32_t i, int32_t alloc_milli,
    int64_t alloc_mem_mb, int64_t t, struct gpu_sample *out)
{
	if (g == NULL || i < 0 || (size_t)i >= g->inv.ngpus) {
		gpu_none_sample(g, i, 0, 0, t, out);
		return;
	}
	g->probe->sample(g, i, alloc_milli, alloc_mem_mb, t, out);
}

int
gpu_procs(struct gpu_dev *g, int32_t i, struct gpu_proc *out, size_t max,
    size_t *n)
{
	*n = 0;
	if (g == NULL || g->probe->procs == NULL)
		return GQ_ENOSYS;
	if (i < 0 || (size_t)i >= g->inv.ngpus)
		return GQ_EINVAL;
	return g->probe->procs(g, i, out, max, n);
}

void
gpu_copy_trim(char *out, size_t n, const char *s)
{
	size_t len, i;

	while (*s == ' ')
		s++;
	snprintf(out, n, "%s", s);
	len = strlen(out);
	while (len > 0 && isspace((unsigned char)out[len - 1]))
		out[--len] = '\0';
	/* Names and UUIDs go into JSON and onto terminals: ASCII only. */
	for (i = 0; i < len; i++)
		if (out[i] < 0x20 || out[i] > 0x7e)
			out[i] = '?';
}

/* The fields after "pid (comm) ": comm may hold spaces and parentheses. */
int
gpu_pid_ids(int32_t pid, int32_t *ppid, int32_t *pgrp, int32_t *sid)
{
	char path[64], line[1024], *p;
	int a, b, c;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || (fp = fopen(path, "r")) == NULL)
		return GQ_ENOENT;
	p = fgets(line, sizeof(line), fp);
	fclose(fp);
	if (p == NULL || (p = strrchr(line, ')')) == NULL ||
	    sscanf(p + 1, " %*c %d %d %d", &a, &b, &c) != 3)
		return GQ_ENOENT;
	*ppid = a;
	*pgrp = b;
	*sid = c;
	return 0;
}

int
gpu_mps_active(const char *dir)
{
	struct stat st;
	char *path;
	int ok;

	if (dir == NULL || *dir == '\0')
		dir = getenv("CUDA_MPS_PIPE_DIRECTORY");
	if (dir == NULL || *dir == '\0')
		dir = GPU_MPS_DEFAULT_DIR;
	path = xasprintf("%s/control", dir);
	ok = stat(path, &st) == 0 &&
	    (S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode));
	free(path);
	return ok;
}
