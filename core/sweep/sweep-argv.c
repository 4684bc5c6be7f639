/*
 * A trial's argv: the command template with its macros replaced.  No
 * shell is involved; each element is one argument.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep.h"

#define SWEEP_ARG_MAX (64 * 1024) /* bytes of one argument */

/* W&B's default command, without ${env}. */
static const char *const sweep_argv_default[] = { "${interpreter}",
	"${program}", "${args}" };

struct sweep_av {
	char **v;
	size_t n;
	int rc;
	char *cause;
};

static void
sweep_av_push(struct sweep_av *av, char *s)
{
	if (av->rc != 0 || av->n >= SWEEP_MAX_ARGV) {
		if (av->rc == 0) {
			av->rc = GQ_ETOOBIG;
			av->cause =
			    xasprintf("more than %d arguments", SWEEP_MAX_ARGV);
		}
		free(s);
		return;
	}
	av->v = xreallocarray(av->v, av->n + 2, sizeof(*av->v));
	av->v[av->n++] = s;
	av->v[av->n] = NULL;
}

/* how is "${args}", "${args_no_hyphens}" or "${args_no_boolean_flags}". */
static void
sweep_av_args(struct sweep_av *av, const struct sweep_spec *s,
    const struct sweep_point *p, const char *how)
{
	char val[SWEEP_MAX_STRING + 64];
	const struct sweep_value *v;
	size_t i;

	for (i = 0; i < s->nparams && i < p->n; i++) {
		v = &p->v[i];
		if (strcmp(how, "${args_no_boolean_flags}") == 0 &&
		    v->type == SWEEP_V_BOOL) {
			if (v->b)
				sweep_av_push(av,
				    xasprintf("--%s", s->params[i].name));
			continue;
		}
		sweep_value_fmt(v, val, sizeof(val));
		sweep_av_push(av,
		    xasprintf("%s%s=%s",
		        strcmp(how, "${args_no_hyphens}") == 0 ? "" : "--",
		        s->params[i].name, val));
	}
}

/* The text of one in-element macro; NULL when unknown. */
static char *
sweep_av_macro(const struct sweep_spec *s, const struct sweep_point *p,
    const char *name, size_t len)
{
	char val[SWEEP_MAX_STRING + 64];
	size_t i;

	if (len == 11 && memcmp(name, "interpreter", 11) == 0)
		return xstrdup(s->interpreter != NULL ?
		        s->interpreter :
		        SWEEP_DEFAULT_INTERPRETER);
	if (len == 7 && memcmp(name, "program", 7) == 0)
		return s->program != NULL ? xstrdup(s->program) : NULL;
	if (len == 9 && memcmp(name, "args_json", 9) == 0)
		return sweep_point_dumps(s, p);
	for (i = 0; i < s->nparams && i < p->n; i++)
		if (strlen(s->params[i].name) == len &&
		    memcmp(s->params[i].name, name, len) == 0)
			return xstrdup(
			    sweep_value_fmt(&p->v[i], val, sizeof(val)));
	return NULL;
}

/* Replaces the ${...} inside one element. */
static void
sweep_av_text(struct sweep_av *av, const struct sweep_spec *s,
    const struct sweep_point *p, const char *e)
{
	struct buf b;
	const char *q, *end;
	char *m;

	buf_init(&b, SWEEP_ARG_MAX);
	buf_addstr(&b, "");
	while (
	    (q = strstr(e, "${")) != NULL && (end = strchr(q, '}')) != NULL) {
		buf_add(&b, e, (size_t)(q - e));
		m = sweep_av_macro(s, p, q + 2, (size_t)(end - q - 2));
		if (m == NULL && av->rc == 0) {
			av->rc = GQ_EINVAL;
			av->cause = xasprintf("command: unknown macro %.*s",
			    (int)(end - q + 1), q);
		}
		if (m != NULL && buf_addstr(&b, m) < 0 && av->rc == 0) {
			av->rc = GQ_ETOOBIG;
			av->cause = xasprintf("an argument is longer than %d "
			                      "bytes",
			    SWEEP_ARG_MAX);
		}
		free(m);
		e = end + 1;
	}
	buf_addstr(&b, e);
	sweep_av_push(av, buf_take(&b));
	buf_done(&b);
}

static void
sweep_av_elem(struct sweep_av *av, const struct sweep_spec *s,
    const struct sweep_point *p, const char *e)
{
	if (strcmp(e, "${env}") == 0)
		return;
	if (strcmp(e, "${args}") == 0 || strcmp(e, "${args_no_hyphens}") == 0 ||
	    strcmp(e, "${args_no_boolean_flags}") == 0) {
		sweep_av_args(av, s, p, e);
		return;
	}
	sweep_av_text(av, s, p, e);
}

int
sweep_argv(const struct sweep_spec *s, const struct sweep_point *p,
    char ***argv, size_t *argc, char **cause)
{
	struct sweep_av av = { 0 };
	const char *const *tmpl;
	size_t i, n;

	tmpl = s->command != NULL ? (const char *const *)s->command :
	                            sweep_argv_default;
	n = s->command != NULL ? s->ncommand : 3;
	for (i = 0; i < n; i++)
		sweep_av_elem(&av, s, p, tmpl[i]);
	if (av.rc == 0 && av.n == 0) {
		av.rc = GQ_EINVAL;
		av.cause = xstrdup("command: nothing to run");
	}
	if (av.rc != 0) {
		sweep_argv_free(av.v);
		if (cause != NULL)
			*cause = av.cause;
		else
			free(av.cause);
		*argv = NULL;
		*argc = 0;
		return av.rc;
	}
	*argv = av.v;
	*argc = av.n;
	return 0;
}

void
sweep_argv_free(char **argv)
{
	size_t i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
