#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/exec/slurm-argv.h"

size_t
slurm_argv_count(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

void
slurm_argv_push(char ***v, const char *word)
{
	size_t n = slurm_argv_count(*v);

	*v = xreallocarray(*v, n + 2, sizeof(char *));
	(*v)[n] = xstrdup(word);
	(*v)[n + 1] = NULL;
}

/* Appends "--opt=value" (formatted). */
static void
slurm_argv_pushf(char ***v, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	slurm_argv_push(v, s);
	free(s);
}

char **
slurm_argv_make(const char *first, ...)
{
	char **v = NULL;
	const char *w;
	va_list ap;

	slurm_argv_push(&v, first);
	va_start(ap, first);
	while ((w = va_arg(ap, const char *)) != NULL)
		slurm_argv_push(&v, w);
	va_end(ap);
	return v;
}

void
slurm_argv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

int32_t
slurm_argv_shards(int32_t milli, int32_t per_gpu)
{
	int64_t k;

	if (milli <= 0 || per_gpu <= 0)
		return 0;
	k = ((int64_t)milli * per_gpu + 999) / 1000;
	return k > per_gpu ? per_gpu : (int32_t)k;
}

char *
slurm_argv_escape_path(const char *path)
{
	char *out, *o;

	if (strchr(path, '\\') != NULL)
		return NULL;
	o = out = xmalloc(strlen(path) * 2 + 1);
	for (; *path != '\0'; path++) {
		if (*path == '%')
			*o++ = '%';
		*o++ = *path;
	}
	*o = '\0';
	return out;
}

static int
slurm_argv_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '+' ||
	    c == '-';
}

void
slurm_argv_job_name(const char *name, int64_t job_id, char *out, size_t n)
{
	size_t i, o = 0, max = n - 1;

	if (max > SLURM_ARGV_MAX_NAME)
		max = SLURM_ARGV_MAX_NAME;
	for (i = 0; name != NULL && name[i] != '\0' && o < max; i++)
		out[o++] = slurm_argv_name_char(name[i]) ? name[i] : '_';
	out[o] = '\0';
	if (o == 0)
		snprintf(out, n, "gpuq-%" PRId64, job_id);
}

char *
slurm_argv_tag(const char *host, int64_t job_id, int32_t attempt)
{
	return xasprintf("gpuq:%s:%" PRId64 ":%" PRId32, host, job_id, attempt);
}

static void
slurm_argv_resources(char ***v, const struct slurm_submit *s)
{
	if (s->gpus > 0 && s->gpu_type != NULL && s->gpu_type[0] != '\0')
		slurm_argv_pushf(v, "--gres=gpu:%s:%d", s->gpu_type,
		    (int)s->gpus);
	else if (s->gpus > 0)
		slurm_argv_pushf(v, "--gres=gpu:%d", (int)s->gpus);
	else if (s->shards > 0)
		slurm_argv_pushf(v, "--gres=shard:%d", (int)s->shards);
	if (s->cpus > 0)
		slurm_argv_pushf(v, "--cpus-per-task=%d", (int)s->cpus);
	if (s->mem_mb > 0)
		slurm_argv_pushf(v, "--mem=%" PRId64 "M", s->mem_mb);
	if (s->time_s > 0)
		slurm_argv_pushf(v, "--time=%" PRId64, (s->time_s + 59) / 60);
	if (s->signo > 0)
		slurm_argv_pushf(v, "--signal=B:%d@%d", (int)s->signo,
		    (int)(s->signal_s > 0 ? s->signal_s : 0));
}

static int
slurm_argv_logs(char ***v, const struct slurm_submit *s, char *cause, size_t n)
{
	char *out = NULL, *err = NULL;
	int rc = 0;

	if ((s->out != NULL &&
	        (out = slurm_argv_escape_path(s->out)) == NULL) ||
	    (s->err != NULL &&
	        (err = slurm_argv_escape_path(s->err)) == NULL)) {
		snprintf(cause, n,
		    "Slurm cannot write logs to a path with a "
		    "backslash");
		rc = -1;
	} else {
		if (out != NULL)
			slurm_argv_pushf(v, "--output=%s", out);
		if (err != NULL)
			slurm_argv_pushf(v, "--error=%s", err);
	}
	free(out);
	free(err);
	return rc;
}

char **
slurm_argv_sbatch(const struct slurm_submit *s, char *cause, size_t n)
{
	char name[SLURM_ARGV_MAX_NAME + 1];
	char **v;

	v = slurm_argv_make("sbatch", "--parsable", "--export=NONE",
	    "--no-requeue", "--open-mode=append", "--nodes=1", "--ntasks=1",
	    NULL);
	if (s->partition != NULL && s->partition[0] != '\0')
		slurm_argv_pushf(&v, "--partition=%s", s->partition);
	if (s->nodelist != NULL && s->nodelist[0] != '\0')
		slurm_argv_pushf(&v, "--nodelist=%s", s->nodelist);
	slurm_argv_resources(&v, s);
	if (slurm_argv_logs(&v, s, cause, n) != 0) {
		slurm_argv_free(v);
		return NULL;
	}
	if (s->comment != NULL)
		slurm_argv_pushf(&v, "--comment=%s", s->comment);
	slurm_argv_job_name(s->name, s->job_id, name, sizeof(name));
	slurm_argv_pushf(&v, "--job-name=%s", name);
	if (s->workdir != NULL)
		slurm_argv_pushf(&v, "--chdir=%s", s->workdir);
	if (s->uid >= 0)
		slurm_argv_pushf(&v, "--uid=%" PRId64, s->uid);
	if (s->gid >= 0)
		slurm_argv_pushf(&v, "--gid=%" PRId64, s->gid);
	slurm_argv_push(&v, s->script);
	return v;
}
