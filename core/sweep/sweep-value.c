/*
 * Parameter values and points: copies, the W&B text form, JSON.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep.h"

void
sweep_value_done(struct sweep_value *v)
{
	if (v->type == SWEEP_V_STR)
		free(v->s);
	memset(v, 0, sizeof(*v));
}

void
sweep_value_copy(struct sweep_value *dst, const struct sweep_value *src)
{
	*dst = *src;
	if (src->type == SWEEP_V_STR)
		dst->s = xstrdup(src->s);
}

int
sweep_value_equal(const struct sweep_value *a, const struct sweep_value *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case SWEEP_V_NULL:
		return 1;
	case SWEEP_V_BOOL:
		return !a->b == !b->b;
	case SWEEP_V_INT:
		return a->i == b->i;
	case SWEEP_V_FLOAT:
		return a->f == b->f;
	default:
		return strcmp(a->s, b->s) == 0;
	}
}

/* Python's repr() of a float: the shortest text that reads back. */
static char *
sweep_value_fmt_float(double f, char *out, size_t n)
{
	char tmp[40];
	int p;

	if (!isfinite(f)) {
		snprintf(out, n, "%s",
		    isnan(f)  ? "nan" :
		        f > 0 ? "inf" :
		                "-inf");
		return out;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*g", p, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	if (strpbrk(tmp, ".e") == NULL)
		strcat(tmp, ".0");
	snprintf(out, n, "%s", tmp);
	return out;
}

char *
sweep_value_fmt(const struct sweep_value *v, char *out, size_t n)
{
	switch (v->type) {
	case SWEEP_V_NULL:
		snprintf(out, n, "None");
		break;
	case SWEEP_V_BOOL:
		snprintf(out, n, "%s", v->b ? "True" : "False");
		break;
	case SWEEP_V_INT:
		snprintf(out, n, "%" PRId64, v->i);
		break;
	case SWEEP_V_FLOAT:
		return sweep_value_fmt_float(v->f, out, n);
	default:
		snprintf(out, n, "%s", v->s);
		break;
	}
	return out;
}

json_t *
sweep_value_encode(const struct sweep_value *v)
{
	switch (v->type) {
	case SWEEP_V_NULL:
		return json_null();
	case SWEEP_V_BOOL:
		return json_boolean(v->b);
	case SWEEP_V_INT:
		return json_integer(v->i);
	case SWEEP_V_FLOAT:
		return json_real(v->f);
	default:
		return json_string(v->s);
	}
}

/* A JSON scalar as a value; GQ_EINVAL for objects, arrays, bad text. */
static int
sweep_value_decode(const json_t *j, struct sweep_value *v)
{
	memset(v, 0, sizeof(*v));
	if (json_is_null(j))
		v->type = SWEEP_V_NULL;
	else if (json_is_boolean(j)) {
		v->type = SWEEP_V_BOOL;
		v->b = json_is_true(j);
	} else if (json_is_integer(j)) {
		v->type = SWEEP_V_INT;
		v->i = json_integer_value(j);
	} else if (json_is_real(j)) {
		v->type = SWEEP_V_FLOAT;
		v->f = json_real_value(j);
	} else if (json_is_string(j) &&
	    json_string_length(j) <= SWEEP_MAX_STRING &&
	    strlen(json_string_value(j)) == json_string_length(j)) {
		v->type = SWEEP_V_STR;
		v->s = xstrdup(json_string_value(j));
	} else
		return GQ_EINVAL;
	return 0;
}

void
sweep_point_init(struct sweep_point *p, size_t n)
{
	p->n = n;
	p->v = xcalloc(n != 0 ? n : 1, sizeof(*p->v));
}

void
sweep_point_done(struct sweep_point *p)
{
	size_t i;

	if (p->v != NULL)
		for (i = 0; i < p->n; i++)
			sweep_value_done(&p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

void
sweep_point_copy(struct sweep_point *dst, const struct sweep_point *src)
{
	size_t i;

	sweep_point_init(dst, src->n);
	for (i = 0; i < src->n; i++)
		sweep_value_copy(&dst->v[i], &src->v[i]);
}

json_t *
sweep_point_encode(const struct sweep_spec *s, const struct sweep_point *p)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < s->nparams && i < p->n; i++)
		json_object_set_new(o, s->params[i].name,
		    sweep_value_encode(&p->v[i]));
	return o;
}

char *
sweep_point_dumps(const struct sweep_spec *s, const struct sweep_point *p)
{
	json_t *o = sweep_point_encode(s, p);
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	json_decref(o);
	return text;
}

int
sweep_point_decode(const struct sweep_spec *s, const json_t *j,
    struct sweep_point *p, char **cause)
{
	const json_t *v;
	size_t i;

	sweep_point_init(p, s->nparams);
	if (!json_is_object(j) || json_object_size(j) != s->nparams) {
		if (cause != NULL)
			*cause = xasprintf("parameters: want an object of "
			                   "the sweep's %zu parameters",
			    s->nparams);
		goto fail;
	}
	for (i = 0; i < s->nparams; i++) {
		v = json_object_get(j, s->params[i].name);
		if (v == NULL || sweep_value_decode(v, &p->v[i]) < 0) {
			if (cause != NULL)
				*cause = xasprintf("parameters.%s: missing or "
				                   "not a scalar",
				    s->params[i].name);
			goto fail;
		}
	}
	return 0;
fail:
	sweep_point_done(p);
	return GQ_EINVAL;
}

int
sweep_point_loads(const struct sweep_spec *s, const char *text,
    struct sweep_point *p, char **cause)
{
	json_error_t err;
	json_t *j;
	int rc;

	j = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (j == NULL) {
		if (cause != NULL)
			*cause = xasprintf("parameters: %s", err.text);
		p->v = NULL;
		p->n = 0;
		return GQ_EINVAL;
	}
	rc = sweep_point_decode(s, j, p, cause);
	json_decref(j);
	return rc;
}
