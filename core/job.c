#include <stdlib.h>
#include <string.h>

#include "core/base/xmalloc.h"
#include "core/job.h"

struct job *
job_new(void)
{
	struct job *j = xcalloc(1, sizeof(*j));

	j->exit_code = -1;
	j->kill_grace_s = 10;
	j->core.state = JOB_PENDING;
	j->argv = xcalloc(1, sizeof(char *));
	j->env = xcalloc(1, sizeof(char *));
	return j;
}

static void
job_free_strv(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
job_free(struct job *j)
{
	if (j == NULL)
		return;
	free(j->name);
	job_free_strv(j->argv);
	job_free_strv(j->env);
	free(j->workdir);
	free(j->key);
	free(j->reason);
	job_life_free(j->life);
	job_free_strv(j->xenv);
	free(j);
}

void
job_set_reason(struct job *j, const char *reason)
{
	free(j->reason);
	j->reason = NULL;
	if (reason != NULL)
		j->reason = xstrndup(reason, strnlen(reason, JOB_MAX_REASON));
}

static char **
job_copy_strv(const char *const *v, size_t n)
{
	char **out = xcalloc(n + 1, sizeof(char *));
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = xstrdup(v[i]);
	return out;
}

void
job_set_argv(struct job *j, const char *const *argv, size_t argc)
{
	job_free_strv(j->argv);
	j->argv = job_copy_strv(argv, argc);
	j->argc = argc;
}

void
job_set_env(struct job *j, const char *const *env, size_t nenv)
{
	job_free_strv(j->env);
	j->env = job_copy_strv(env, nenv);
	j->nenv = nenv;
}

struct job_life *
job_life(struct job *j)
{
	if (j->life == NULL)
		j->life = xcalloc(1, sizeof(*j->life));
	return j->life;
}

void
job_life_free(struct job_life *l)
{
	if (l == NULL)
		return;
	free(l->after);
	free(l->afterok);
	free(l->left);
	free(l->pin);
	free(l->where);
	free(l->error);
	free(l);
}
