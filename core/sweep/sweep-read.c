/*
 * Typed readers over the tree: the validator's vocabulary.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

int
sweep_read_str(struct sload *ld, const struct snode *n, const char *path,
    char **out)
{
	if (n->kind != SNODE_STR)
		return sload_error(ld, n->line, path,
		    "must be a string, not %s", snode_kind_name(n->kind));
	if (n->s[0] == '\0')
		return sload_error(ld, n->line, path, "must not be empty");
	free(*out);
	*out = xstrdup(n->s);
	return 0;
}

int
sweep_read_int(struct sload *ld, const struct snode *n, const char *path,
    int64_t min, int64_t max, int64_t *out)
{
	if (n->kind != SNODE_INT)
		return sload_error(ld, n->line, path,
		    "must be a whole number, not %s", snode_kind_name(n->kind));
	if (n->i < min || n->i > max)
		return sload_error(ld, n->line, path,
		    "%lld is out of range (%lld to %lld)", (long long)n->i,
		    (long long)min, (long long)max);
	*out = n->i;
	return 0;
}

int
sweep_read_num(struct sload *ld, const struct snode *n, const char *path,
    double *out)
{
	double d;

	if (!snode_number(n, &d))
		return sload_error(ld, n->line, path,
		    "must be a number, not %s", snode_kind_name(n->kind));
	if (!isfinite(d))
		return sload_error(ld, n->line, path, "must be finite");
	*out = d;
	return 0;
}

static int
sweep_read_in(const char *key, const char *const *names)
{
	if (names == NULL)
		return 0;
	for (; *names != NULL; names++)
		if (strcmp(key, *names) == 0)
			return 1;
	return 0;
}

static void
sweep_read_path(char *out, size_t n, const char *path, const char *key)
{
	if (path == NULL || *path == '\0')
		snprintf(out, n, "%s", key);
	else
		snprintf(out, n, "%s.%s", path, key);
}

int
sweep_read_keys(struct sload *ld, const struct snode *map, const char *path,
    const char *const *known, const char *const *ignored, struct sweep_spec *s)
{
	char full[SWEEP_MAX_NAME * 2 + 16];
	const char *hint;
	size_t i;
	int rc = 0;

	for (i = 0; i < map->n; i++) {
		sweep_read_path(full, sizeof(full), path, map->keys[i]);
		if (sweep_read_in(map->keys[i], known))
			continue;
		if (sweep_read_in(map->keys[i], ignored)) {
			sweep_warn(s, "%s:%d: %s: a W&B key gpuq ignores",
			    ld->name, map->keylines[i], full);
			continue;
		}
		hint = sweep_did_you_mean(map->keys[i], known);
		if (hint != NULL)
			rc = sload_error(ld, map->keylines[i], full,
			    "unknown key (did you mean %s?)", hint);
		else
			rc = sload_error(ld, map->keylines[i], full,
			    "unknown key");
	}
	return rc;
}

void
sweep_warn(struct sweep_spec *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nwarnings >= SWEEP_MAX_ERRORS)
		return;
	s->warnings =
	    xreallocarray(s->warnings, s->nwarnings + 1, sizeof(*s->warnings));
	va_start(ap, fmt);
	s->warnings[s->nwarnings++] = xvasprintf(fmt, ap);
	va_end(ap);
}

int
sweep_value_from_node(const struct snode *n, struct sweep_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (n->kind) {
	case SNODE_NULL:
		v->type = SWEEP_V_NULL;
		return 0;
	case SNODE_BOOL:
		v->type = SWEEP_V_BOOL;
		v->b = n->b;
		return 0;
	case SNODE_INT:
		v->type = SWEEP_V_INT;
		v->i = n->i;
		return 0;
	case SNODE_FLOAT:
		if (!isfinite(n->f))
			return GQ_EINVAL;
		v->type = SWEEP_V_FLOAT;
		v->f = n->f;
		return 0;
	case SNODE_STR:
		v->type = SWEEP_V_STR;
		v->s = xstrdup(n->s);
		return 0;
	default:
		return GQ_EINVAL;
	}
}
