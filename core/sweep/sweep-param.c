/*
 * The `parameters` mapping: one entry per parameter, W&B's keys and W&B's
 * default inference (values -> categorical, value -> constant, integer
 * min/max -> int_uniform, other min/max -> uniform).  Nested parameters
 * (a `parameters` mapping inside one) are flattened to dotted names.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

static const char *const sweep_param_keys[] = { "values", "value",
	"distribution", "min", "max", "mu", "sigma", "q", "a", "b",
	"probabilities", "parameters", NULL };

/* Which keys a distribution takes, as a bit set over the list above. */
#define PK(i)     (1u << (i))
#define PK_VALUES PK(0)
#define PK_VALUE  PK(1)
#define PK_DIST   PK(2)
#define PK_MINMAX (PK(3) | PK(4))
#define PK_NORMAL (PK(5) | PK(6))
#define PK_Q      PK(7)
#define PK_BETA   (PK(8) | PK(9))
#define PK_PROBS  PK(10)

static unsigned
sweep_param_allowed(enum sweep_dist d)
{
	switch (d) {
	case SWEEP_D_CONSTANT:
		return PK_VALUE;
	case SWEEP_D_CATEGORICAL:
		return PK_VALUES | PK_PROBS;
	case SWEEP_D_INT_UNIFORM:
	case SWEEP_D_UNIFORM:
	case SWEEP_D_LOG_UNIFORM:
	case SWEEP_D_LOG_UNIFORM_VALUES:
	case SWEEP_D_INV_LOG_UNIFORM:
	case SWEEP_D_INV_LOG_UNIFORM_VALUES:
		return PK_MINMAX;
	case SWEEP_D_Q_UNIFORM:
	case SWEEP_D_Q_LOG_UNIFORM:
	case SWEEP_D_Q_LOG_UNIFORM_VALUES:
		return PK_MINMAX | PK_Q;
	case SWEEP_D_NORMAL:
	case SWEEP_D_LOG_NORMAL:
		return PK_NORMAL;
	case SWEEP_D_Q_NORMAL:
	case SWEEP_D_Q_LOG_NORMAL:
		return PK_NORMAL | PK_Q;
	case SWEEP_D_BETA:
		return PK_BETA;
	default:
		return PK_BETA | PK_Q;
	}
}

static int
sweep_param_keyindex(const char *key)
{
	int i;

	for (i = 0; sweep_param_keys[i] != NULL; i++)
		if (strcmp(key, sweep_param_keys[i]) == 0)
			return i;
	return -1;
}

/* W&B's inference when no distribution is named. */
static int
sweep_param_infer(struct sload *ld, const struct snode *n, const char *path,
    struct sweep_param *p)
{
	const struct snode *lo = snode_get(n, "min"), *hi = snode_get(n, "max");

	if (snode_get(n, "values") != NULL)
		p->dist = SWEEP_D_CATEGORICAL;
	else if (snode_get(n, "value") != NULL)
		p->dist = SWEEP_D_CONSTANT;
	else if (lo != NULL && hi != NULL)
		p->dist = lo->kind == SNODE_INT && hi->kind == SNODE_INT ?
		    SWEEP_D_INT_UNIFORM :
		    SWEEP_D_UNIFORM;
	else
		return sload_error(ld, n->line, path,
		    "give values, value, min and max, or a distribution");
	return 0;
}

static int
sweep_param_dist(struct sload *ld, const struct snode *n, const char *path,
    struct sweep_param *p)
{
	const char *names[SWEEP_NDISTS + 1];
	const struct snode *d = snode_get(n, "distribution");
	const char *hint;
	int i;

	if (d == NULL)
		return sweep_param_infer(ld, n, path, p);
	if (d->kind == SNODE_STR && sweep_dist_parse(d->s, &p->dist) == 0)
		return 0;
	for (i = 0; i < SWEEP_NDISTS; i++)
		names[i] = sweep_dist_name((enum sweep_dist)i);
	names[SWEEP_NDISTS] = NULL;
	hint = d->kind == SNODE_STR ? sweep_did_you_mean(d->s, names) : NULL;
	return sload_error(ld, d->line, path, "unknown distribution%s%s%s",
	    hint != NULL ? " (did you mean " : "", hint != NULL ? hint : "",
	    hint != NULL ? "?)" : "");
}

/* Keys given that the distribution does not take are errors. */
static int
sweep_param_extra(struct sload *ld, const struct snode *n, const char *path,
    const struct sweep_param *p)
{
	unsigned ok = sweep_param_allowed(p->dist) | PK_DIST;
	size_t i;
	int k, rc = 0;

	for (i = 0; i < n->n; i++) {
		k = sweep_param_keyindex(n->keys[i]);
		if (k >= 0 && (ok & PK(k)) == 0)
			rc = sload_error(ld, n->keylines[i], path,
			    "%s does not apply to a %s parameter", n->keys[i],
			    sweep_dist_name(p->dist));
	}
	return rc;
}

static int
sweep_param_values(struct sload *ld, const struct snode *v, const char *path,
    struct sweep_param *p)
{
	size_t i;

	if (v->kind != SNODE_SEQ || v->n == 0)
		return sload_error(ld, v->line, path,
		    "values must be a non-empty list");
	if (v->n > SWEEP_MAX_VALUES)
		return sload_error(ld, v->line, path, "more than %d values",
		    SWEEP_MAX_VALUES);
	p->values = xcalloc(v->n, sizeof(*p->values));
	for (i = 0; i < v->n; i++, p->nvalues++)
		if (v->kids[i]->kind == SNODE_FLOAT &&
		    sweep_value_from_node(v->kids[i], &p->values[i]) < 0)
			return sload_error(ld, v->kids[i]->line, path,
			    "values must be finite");
		else if (sweep_value_from_node(v->kids[i], &p->values[i]) < 0)
			return sload_error(ld, v->kids[i]->line, path,
			    "values must be numbers, strings, booleans or "
			    "null, not %s",
			    snode_kind_name(v->kids[i]->kind));
	return 0;
}

static int
sweep_param_probs(struct sload *ld, const struct snode *v, const char *path,
    struct sweep_param *p)
{
	double sum = 0;
	size_t i;

	if (v->kind != SNODE_SEQ || v->n != p->nvalues)
		return sload_error(ld, v->line, path,
		    "probabilities must list one number per value");
	p->probs = xcalloc(v->n, sizeof(*p->probs));
	for (i = 0; i < v->n; i++) {
		if (!snode_number(v->kids[i], &p->probs[i]) ||
		    !(p->probs[i] >= 0))
			return sload_error(ld, v->kids[i]->line, path,
			    "a probability must be a number >= 0");
		sum += p->probs[i];
	}
	if (fabs(sum - 1.0) > 1e-6)
		return sload_error(ld, v->line, path,
		    "probabilities sum to %g, not 1", sum);
	return 0;
}

/* Reads an optional number; *d keeps its default when key is absent. */
static int
sweep_param_num(struct sload *ld, const struct snode *n, const char *key,
    const char *path, double *d)
{
	const struct snode *k = snode_get(n, key);

	if (k == NULL)
		return 0;
	return sweep_read_num(ld, k, path, d);
}

static int
sweep_param_minmax(struct sload *ld, const struct snode *n, const char *path,
    struct sweep_param *p)
{
	const struct snode *lo = snode_get(n, "min"), *hi = snode_get(n, "max");

	if (lo == NULL || hi == NULL)
		return sload_error(ld, n->line, path, "%s needs min and max",
		    sweep_dist_name(p->dist));
	if (sweep_read_num(ld, lo, path, &p->min) < 0 ||
	    sweep_read_num(ld, hi, path, &p->max) < 0)
		return GQ_EINVAL;
	if (p->dist == SWEEP_D_INT_UNIFORM &&
	    (lo->kind != SNODE_INT || hi->kind != SNODE_INT ||
	        fabs(p->min) > 9007199254740992.0 ||
	        fabs(p->max) > 9007199254740992.0))
		return sload_error(ld, lo->line, path,
		    "int_uniform needs whole numbers for min and max");
	if (p->min > p->max)
		return sload_error(ld, lo->line, path,
		    "min %g is greater than max %g", p->min, p->max);
	if ((p->dist == SWEEP_D_LOG_UNIFORM_VALUES ||
	        p->dist == SWEEP_D_Q_LOG_UNIFORM_VALUES ||
	        p->dist == SWEEP_D_INV_LOG_UNIFORM_VALUES) &&
	    p->min <= 0)
		return sload_error(ld, lo->line, path,
		    "min %g must be greater than 0 for %s", p->min,
		    sweep_dist_name(p->dist));
	if ((p->dist == SWEEP_D_LOG_UNIFORM ||
	        p->dist == SWEEP_D_Q_LOG_UNIFORM ||
	        p->dist == SWEEP_D_INV_LOG_UNIFORM) &&
	    (p->min < -700 || p->max > 700))
		return sload_error(ld, lo->line, path,
		    "%s takes exponents: min and max must lie in -700..700 "
		    "(use log_uniform_values for the values themselves)",
		    sweep_dist_name(p->dist));
	return 0;
}

/* A q_* range must hold a multiple of q, and not too many of them. */
static int
sweep_param_qgrid(struct sload *ld, const struct snode *n, const char *path,
    const struct sweep_param *p)
{
	double lo = p->min, hi = p->max;

	if (p->dist == SWEEP_D_Q_LOG_UNIFORM) {
		lo = exp(p->min);
		hi = exp(p->max);
	}
	if (ceil(lo / p->q - 1e-9) > floor(hi / p->q + 1e-9))
		return sload_error(ld, n->line, path,
		    "no multiple of q %g lies between %g and %g", p->q, lo, hi);
	if (p->dist == SWEEP_D_Q_UNIFORM && (hi - lo) / p->q > SWEEP_MAX_TRIALS)
		return sload_error(ld, n->line, path,
		    "q %g makes more than %d steps", p->q, SWEEP_MAX_TRIALS);
	return 0;
}

static int
sweep_param_shape(struct sload *ld, const struct snode *n, const char *path,
    struct sweep_param *p)
{
	unsigned ok = sweep_param_allowed(p->dist);

	p->sigma = p->q = p->a = p->b = 1.0;
	if ((ok & PK_MINMAX) && sweep_param_minmax(ld, n, path, p) < 0)
		return GQ_EINVAL;
	if (sweep_param_num(ld, n, "mu", path, &p->mu) < 0 ||
	    sweep_param_num(ld, n, "sigma", path, &p->sigma) < 0 ||
	    sweep_param_num(ld, n, "q", path, &p->q) < 0 ||
	    sweep_param_num(ld, n, "a", path, &p->a) < 0 ||
	    sweep_param_num(ld, n, "b", path, &p->b) < 0)
		return GQ_EINVAL;
	if (!(p->sigma > 0) || !(p->q > 0) || !(p->a > 0) || !(p->b > 0))
		return sload_error(ld, n->line, path,
		    "sigma, q, a and b must be greater than 0");
	if ((ok & PK_Q) && (ok & PK_MINMAX))
		return sweep_param_qgrid(ld, n, path, p);
	return 0;
}

static int
sweep_param_set(struct sload *ld, const struct snode *n, const char *path,
    struct sweep_param *p)
{
	const struct snode *k;

	if (sweep_param_dist(ld, n, path, p) < 0 ||
	    sweep_param_extra(ld, n, path, p) < 0)
		return GQ_EINVAL;
	if (p->dist == SWEEP_D_CATEGORICAL) {
		if ((k = snode_get(n, "values")) == NULL)
			return sload_error(ld, n->line, path,
			    "categorical needs values");
		if (sweep_param_values(ld, k, path, p) < 0)
			return GQ_EINVAL;
		if ((k = snode_get(n, "probabilities")) != NULL)
			return sweep_param_probs(ld, k, path, p);
		return 0;
	}
	if (p->dist == SWEEP_D_CONSTANT) {
		if ((k = snode_get(n, "value")) == NULL)
			return sload_error(ld, n->line, path,
			    "constant needs value");
		p->values = xcalloc(1, sizeof(*p->values));
		if (sweep_value_from_node(k, p->values) < 0)
			return sload_error(ld, k->line, path,
			    "value must be a number, string, boolean or null");
		p->nvalues = 1;
		return 0;
	}
	return sweep_param_shape(ld, n, path, p);
}

static int sweep_parse_level(struct sload *ld, const struct snode *map,
    const char *prefix, struct sweep_spec *s, int depth);

static int
sweep_parse_one(struct sload *ld, const struct snode *n, const char *name,
    struct sweep_spec *s, int depth)
{
	char path[SWEEP_MAX_NAME + 32];
	const struct snode *nested;
	struct sweep_param *p;

	snprintf(path, sizeof(path), "parameters.%s", name);
	if (n->kind != SNODE_MAP)
		return sload_error(ld, n->line, path,
		    "must be a mapping such as {values: [...]} or "
		    "{min: 0, max: 1}, not %s",
		    snode_kind_name(n->kind));
	sweep_read_keys(ld, n, path, sweep_param_keys, NULL, s);
	if ((nested = snode_get(n, "parameters")) != NULL) {
		if (n->n != 1)
			return sload_error(ld, n->line, path,
			    "a parameter "
			    "with nested parameters takes no other key");
		return sweep_parse_level(ld, nested, name, s, depth + 1);
	}
	if (s->nparams >= SWEEP_MAX_PARAMS)
		return sload_error(ld, n->line, path, "more than %d parameters",
		    SWEEP_MAX_PARAMS);
	s->params =
	    xreallocarray(s->params, s->nparams + 1, sizeof(*s->params));
	p = &s->params[s->nparams++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	p->line = n->line;
	return sweep_param_set(ld, n, path, p);
}

static int
sweep_parse_level(struct sload *ld, const struct snode *map, const char *prefix,
    struct sweep_spec *s, int depth)
{
	char name[SWEEP_MAX_NAME + 1];
	size_t i;
	int len;

	if (map->kind != SNODE_MAP || map->n == 0)
		return sload_error(ld, map->line, "parameters",
		    "must be a non-empty mapping of parameter names");
	for (i = 0; i < map->n; i++) {
		len = snprintf(name, sizeof(name), "%s%s%s",
		    prefix != NULL ? prefix : "", prefix != NULL ? "." : "",
		    map->keys[i]);
		if (len < 0 || len >= (int)sizeof(name) ||
		    strpbrk(map->keys[i], "${}=. \t\n") != NULL ||
		    map->keys[i][0] == '\0' || map->keys[i][0] == '-')
			sload_error(ld, map->keylines[i], "parameters",
			    "bad parameter name \"%.40s\" (no spaces, $, {, "
			    "}, =, dots or leading -; at most %d bytes)",
			    map->keys[i], SWEEP_MAX_NAME);
		else
			sweep_parse_one(ld, map->kids[i], name, s, depth);
	}
	return 0;
}

int
sweep_parse_params(struct sload *ld, const struct snode *map,
    struct sweep_spec *s)
{
	return sweep_parse_level(ld, map, NULL, s, 0);
}
