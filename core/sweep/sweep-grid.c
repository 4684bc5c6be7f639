/*
 * Grid search: the exact cartesian product of every parameter's values,
 * in a fixed order (row-major over the parameters in file order, the last
 * parameter changing fastest), trial n being point n.  A parameter takes
 * part with its listed values (categorical, constant) or its whole grid
 * (int_uniform: min..max; q_uniform: the multiples of q in [min, max]).
 * Continuous distributions have no grid: the validator refuses them.
 */
#include <math.h>

#include "core/base/error.h"
#include "core/sweep/sweep-int.h"

/* The count of grid values of p, or 0 when p is continuous. */
static int64_t
sweep_grid_count(const struct sweep_param *p)
{
	double lo, hi;

	switch (p->dist) {
	case SWEEP_D_CONSTANT:
	case SWEEP_D_CATEGORICAL:
		return (int64_t)p->nvalues;
	case SWEEP_D_INT_UNIFORM:
		return (int64_t)(p->max - p->min) + 1;
	case SWEEP_D_Q_UNIFORM:
		lo = ceil(p->min / p->q - 1e-9);
		hi = floor(p->max / p->q + 1e-9);
		return hi >= lo ? (int64_t)(hi - lo) + 1 : 0;
	default:
		return 0;
	}
}

int
sweep_grid_param_ok(const struct sweep_param *p)
{
	return sweep_grid_count(p) > 0;
}

int64_t
sweep_grid_size(const struct sweep_spec *s)
{
	int64_t total = 1, c;
	size_t i;

	for (i = 0; i < s->nparams; i++) {
		if ((c = sweep_grid_count(&s->params[i])) <= 0)
			return GQ_EINVAL;
		if (total > (SWEEP_MAX_TRIALS + 1) / c)
			return SWEEP_MAX_TRIALS + 1;
		total *= c;
	}
	return total > SWEEP_MAX_TRIALS ? SWEEP_MAX_TRIALS + 1 : total;
}

/* The k-th grid value of p. */
static void
sweep_grid_value(const struct sweep_param *p, int64_t k,
    struct sweep_value *out)
{
	if (p->dist == SWEEP_D_CONSTANT || p->dist == SWEEP_D_CATEGORICAL)
		sweep_value_copy(out, &p->values[k]);
	else if (p->dist == SWEEP_D_INT_UNIFORM)
		sweep_dist_value(p, p->min + (double)k, out);
	else
		sweep_dist_value(p,
		    sweep_dist_round_q((ceil(p->min / p->q - 1e-9) +
		                           (double)k) *
		            p->q,
		        p->q),
		    out);
}

int
sweep_grid_point(const struct sweep_spec *s, int64_t index,
    struct sweep_point *out)
{
	int64_t size = sweep_grid_size(s), c;
	size_t i;

	out->v = NULL;
	out->n = 0;
	if (size < 0 || index < 0 || index >= size)
		return GQ_EINVAL;
	sweep_point_init(out, s->nparams);
	for (i = s->nparams; i-- > 0;) {
		c = sweep_grid_count(&s->params[i]);
		sweep_grid_value(&s->params[i], index % c, &out->v[i]);
		index /= c;
	}
	return 0;
}

int
sweep_grid_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out)
{
	int64_t size = sweep_grid_size(s);

	if (size < 0)
		return GQ_EINVAL;
	if ((int64_t)ntrials >= size)
		return 0;
	return sweep_grid_point(s, (int64_t)ntrials, out) < 0 ? GQ_EINVAL : 1;
}
