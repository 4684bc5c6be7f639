/*
 * The validator's `command` and `early_terminate` keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

/* Macros that stand for a whole element (several arguments or none). */
static const char *const sweep_list_macros[] = { "args", "args_no_hyphens",
	"args_no_boolean_flags", "env", NULL };
/* Macros replaced inside an element. */
static const char *const sweep_text_macros[] = { "interpreter", "program",
	"args_json", NULL };

static int
sweep_macro_in(const char *name, size_t len, const char *const *names)
{
	for (; *names != NULL; names++)
		if (strlen(*names) == len && memcmp(*names, name, len) == 0)
			return 1;
	return 0;
}

static int
sweep_macro_param(const struct sweep_spec *s, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < s->nparams; i++)
		if (strlen(s->params[i].name) == len &&
		    memcmp(s->params[i].name, name, len) == 0)
			return 1;
	return 0;
}

/* Checks every ${...} of one element. */
static int
sweep_macro_check(struct sload *ld, int line, const char *e,
    const struct sweep_spec *s)
{
	const char *p, *end;
	size_t len;

	for (p = strstr(e, "${"); p != NULL; p = strstr(end, "${")) {
		if ((end = strchr(p, '}')) == NULL)
			return sload_error(ld, line, "command",
			    "unterminated ${ in \"%s\"", e);
		len = (size_t)(end - p - 2);
		if (sweep_macro_in(p + 2, len, sweep_list_macros)) {
			if (p != e || end[1] != '\0')
				return sload_error(ld, line, "command",
				    "%.*s must be a list element of its own",
				    (int)len + 3, p);
		} else if (len == 7 && memcmp(p + 2, "program", 7) == 0 &&
		    s->program == NULL)
			return sload_error(ld, line, "command",
			    "${program} is used but program is not given");
		else if (!sweep_macro_in(p + 2, len, sweep_text_macros) &&
		    !sweep_macro_param(s, p + 2, len))
			return sload_error(ld, line, "command",
			    "unknown macro %.*s (not a parameter)",
			    (int)len + 3, p);
	}
	return 0;
}

static int
sweep_command_elem(struct sload *ld, const struct snode *k, char **out)
{
	if (k->kind == SNODE_STR)
		*out = xstrdup(k->s);
	else if (k->kind == SNODE_INT)
		*out = xasprintf("%lld", (long long)k->i);
	else
		return sload_error(ld, k->line, "command",
		    "elements must be strings, not %s",
		    snode_kind_name(k->kind));
	return 0;
}

int
sweep_parse_command(struct sload *ld, const struct snode *n,
    struct sweep_spec *s)
{
	size_t i, real = 0;

	if (n->kind != SNODE_SEQ || n->n == 0)
		return sload_error(ld, n->line, "command",
		    "must be a non-empty list such as [python3, train.py, "
		    "\"${args}\"]");
	if (n->n > SWEEP_MAX_ARGV)
		return sload_error(ld, n->line, "command",
		    "more than %d elements", SWEEP_MAX_ARGV);
	s->command = xcalloc(n->n + 1, sizeof(*s->command));
	for (i = 0; i < n->n; i++) {
		if (sweep_command_elem(ld, n->kids[i], &s->command[i]) < 0)
			return GQ_EINVAL;
		s->ncommand++;
		if (sweep_macro_check(ld, n->kids[i]->line, s->command[i], s) <
		    0)
			return GQ_EINVAL;
		if (strcmp(s->command[i], "${env}") != 0)
			real++;
	}
	if (real == 0)
		return sload_error(ld, n->line, "command",
		    "names no program to run");
	return 0;
}

static int
sweep_early_type(struct sload *ld, const struct snode *n, struct sweep_spec *s)
{
	const struct snode *t = snode_get(n, "type");

	if (t == NULL)
		return sload_error(ld, n->line, "early_terminate.type",
		    "missing (hyperband or median)");
	if (t->kind == SNODE_STR && strcmp(t->s, "hyperband") == 0)
		s->early.type = SWEEP_ET_HYPERBAND;
	else if (t->kind == SNODE_STR && strcmp(t->s, "median") == 0)
		s->early.type = SWEEP_ET_MEDIAN;
	else
		return sload_error(ld, t->line, "early_terminate.type",
		    "must be hyperband or median");
	return 0;
}

static int
sweep_early_int(struct sload *ld, const struct snode *n, const char *key,
    int64_t min, int64_t *out)
{
	char path[64];
	const struct snode *k = snode_get(n, key);

	if (k == NULL)
		return 0;
	snprintf(path, sizeof(path), "early_terminate.%s", key);
	return sweep_read_int(ld, k, path, min, INT64_C(1) << 40, out);
}

static int
sweep_early_hyperband(struct sload *ld, const struct snode *n,
    struct sweep_early *e)
{
	const struct snode *k;

	if ((k = snode_get(n, "strict")) != NULL) {
		if (k->kind != SNODE_BOOL)
			return sload_error(ld, k->line,
			    "early_terminate.strict", "must be true or false");
		e->strict = k->b;
	}
	if (snode_get(n, "warmup_trials") != NULL ||
	    snode_get(n, "warmup_steps") != NULL)
		return sload_error(ld, n->line, "early_terminate",
		    "warmup_trials and warmup_steps are for type: median");
	if (sweep_early_int(ld, n, "min_iter", 1, &e->min_iter) < 0 ||
	    sweep_early_int(ld, n, "max_iter", 1, &e->max_iter) < 0 ||
	    sweep_early_int(ld, n, "s", 1, &e->s) < 0 ||
	    sweep_early_int(ld, n, "eta", 2, &e->eta) < 0)
		return GQ_EINVAL;
	if (e->s > 32)
		return sload_error(ld, n->line, "early_terminate.s",
		    "at most 32 brackets");
	if (e->min_iter == 0 && (e->max_iter == 0 || e->s == 0))
		return sload_error(ld, n->line, "early_terminate",
		    "hyperband needs min_iter, or max_iter and s");
	if (e->min_iter != 0 && e->max_iter != 0 && e->min_iter >= e->max_iter)
		return sload_error(ld, n->line, "early_terminate",
		    "min_iter %lld must be below max_iter %lld",
		    (long long)e->min_iter, (long long)e->max_iter);
	return 0;
}

static int
sweep_early_median(struct sload *ld, const struct snode *n,
    struct sweep_early *e)
{
	static const char *const hb[] = { "min_iter", "max_iter", "s", "eta",
		"strict", NULL };
	size_t i;

	for (i = 0; hb[i] != NULL; i++)
		if (snode_get(n, hb[i]) != NULL)
			return sload_error(ld, n->line, "early_terminate",
			    "%s is for type: hyperband", hb[i]);
	if (sweep_early_int(ld, n, "warmup_trials", 0, &e->warmup_trials) < 0 ||
	    sweep_early_int(ld, n, "warmup_steps", 0, &e->warmup_steps) < 0)
		return GQ_EINVAL;
	return 0;
}

int
sweep_parse_early(struct sload *ld, const struct snode *n, struct sweep_spec *s)
{
	static const char *const keys[] = { "type", "min_iter", "max_iter", "s",
		"eta", "strict", "warmup_trials", "warmup_steps", NULL };

	if (n->kind != SNODE_MAP)
		return sload_error(ld, n->line, "early_terminate",
		    "must be a mapping {type: hyperband, min_iter: 3}");
	if (sweep_read_keys(ld, n, "early_terminate", keys, NULL, s) < 0 ||
	    sweep_early_type(ld, n, s) < 0)
		return GQ_EINVAL;
	if (s->early.type == SWEEP_ET_HYPERBAND)
		return sweep_early_hyperband(ld, n, &s->early);
	return sweep_early_median(ld, n, &s->early);
}
