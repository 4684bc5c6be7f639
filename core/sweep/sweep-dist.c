/*
 * Parameter distributions: names and sampling, as W&B defines them.
 *
 * q_* variants round to the nearest multiple of q and stay inside the
 * range (a rounded draw outside it moves one step of q back in).  Draws
 * on a whole-number grid (int_uniform, q_* with a whole q) are integers.
 */
#include <math.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

static const char *const sweep_dist_names[] = {
#define SWEEP_DIST_NAME(e, s) s,
	SWEEP_DISTS(SWEEP_DIST_NAME)
#undef SWEEP_DIST_NAME
};

const char *
sweep_dist_name(enum sweep_dist d)
{
	if ((int)d < 0 || d >= SWEEP_NDISTS)
		return "?";
	return sweep_dist_names[d];
}

int
sweep_dist_parse(const char *name, enum sweep_dist *d)
{
	int i;

	for (i = 0; i < SWEEP_NDISTS; i++)
		if (strcmp(name, sweep_dist_names[i]) == 0) {
			*d = (enum sweep_dist)i;
			return 0;
		}
	return GQ_EINVAL;
}

static int
sweep_dist_is_q(enum sweep_dist d)
{
	return d == SWEEP_D_Q_UNIFORM || d == SWEEP_D_Q_LOG_UNIFORM ||
	    d == SWEEP_D_Q_LOG_UNIFORM_VALUES || d == SWEEP_D_Q_NORMAL ||
	    d == SWEEP_D_Q_LOG_NORMAL || d == SWEEP_D_Q_BETA;
}

int
sweep_dist_is_int(enum sweep_dist d)
{
	return d == SWEEP_D_INT_UNIFORM;
}

/* Decimals of q (0.25 has 2), so 3 * 0.1 prints as 0.3. */
static int
sweep_dist_decimals(double q)
{
	double scale = 1;
	int d;

	for (d = 0; d < 15; d++, scale *= 10)
		if (fabs(q * scale - nearbyint(q * scale)) < 1e-9 * q * scale)
			return d;
	return -1;
}

double
sweep_dist_round_q(double x, double q)
{
	double k = nearbyint(x / q), scale;
	int d = sweep_dist_decimals(q);

	if (d < 0)
		return k * q;
	scale = pow(10, d);
	return nearbyint(k * q * scale) / scale;
}

double
sweep_dist_quantize(double x, double q, double lo, double hi)
{
	double r = sweep_dist_round_q(x, q);

	if (r < lo)
		r = sweep_dist_round_q(x + q, q);
	if (r > hi)
		r = sweep_dist_round_q(x - q, q);
	return r;
}

/* Marsaglia and Tsang's gamma(a, 1) draw. */
static double
sweep_dist_gamma(struct sweep_rng *r, double a)
{
	double d, c, x, v, u;

	if (a < 1) {
		do
			u = sweep_rng_double(r);
		while (u <= 0);
		return sweep_dist_gamma(r, a + 1) * pow(u, 1 / a);
	}
	d = a - 1.0 / 3;
	c = 1 / sqrt(9 * d);
	for (;;) {
		do {
			x = sweep_rng_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = sweep_rng_double(r);
		if (u > 0 && log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

static double
sweep_dist_uniform(struct sweep_rng *r, double lo, double hi)
{
	double x = lo + (hi - lo) * sweep_rng_double(r);

	return x < hi ? x : lo; /* rounding may reach hi */
}

static double
sweep_dist_clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Beta(a, b) as G(a) / (G(a) + G(b)). */
static double
sweep_dist_beta(const struct sweep_param *p, struct sweep_rng *r)
{
	double g = sweep_dist_gamma(r, p->a), x;

	x = g + sweep_dist_gamma(r, p->b);
	return x > 0 ? sweep_dist_clamp(g / x, 0, 1) : 0.5;
}

/* A continuous draw (before quantizing) and its range. */
static double
sweep_dist_draw(const struct sweep_param *p, struct sweep_rng *r, double *lo,
    double *hi)
{
	double x;

	*lo = -HUGE_VAL;
	*hi = HUGE_VAL;
	switch (p->dist) {
	case SWEEP_D_UNIFORM:
	case SWEEP_D_Q_UNIFORM:
		*lo = p->min;
		*hi = p->max;
		return sweep_dist_uniform(r, p->min, p->max);
	case SWEEP_D_LOG_UNIFORM:
	case SWEEP_D_Q_LOG_UNIFORM:
		*lo = exp(p->min);
		*hi = exp(p->max);
		x = exp(sweep_dist_uniform(r, p->min, p->max));
		return sweep_dist_clamp(x, *lo, *hi);
	case SWEEP_D_LOG_UNIFORM_VALUES:
	case SWEEP_D_Q_LOG_UNIFORM_VALUES:
	case SWEEP_D_INV_LOG_UNIFORM_VALUES:
		*lo = p->min;
		*hi = p->max;
		x = exp(sweep_dist_uniform(r, log(p->min), log(p->max)));
		return sweep_dist_clamp(x, *lo, *hi);
	case SWEEP_D_INV_LOG_UNIFORM:
		*lo = exp(-p->max);
		*hi = exp(-p->min);
		x = exp(-sweep_dist_uniform(r, p->min, p->max));
		return sweep_dist_clamp(x, *lo, *hi);
	case SWEEP_D_NORMAL:
	case SWEEP_D_Q_NORMAL:
		return p->mu + p->sigma * sweep_rng_normal(r);
	case SWEEP_D_LOG_NORMAL:
	case SWEEP_D_Q_LOG_NORMAL:
		*lo = 0;
		return exp(p->mu + p->sigma * sweep_rng_normal(r));
	default: /* beta, q_beta */
		*lo = 0;
		*hi = 1;
		return sweep_dist_beta(p, r);
	}
}

/* The value of a number x of parameter p: an integer on a whole grid. */
void
sweep_dist_value(const struct sweep_param *p, double x, struct sweep_value *out)
{
	memset(out, 0, sizeof(*out));
	if ((sweep_dist_is_int(p->dist) ||
	        (sweep_dist_is_q(p->dist) && p->q == nearbyint(p->q))) &&
	    fabs(x) < 9007199254740992.0) {
		out->type = SWEEP_V_INT;
		out->i = (int64_t)nearbyint(x);
		return;
	}
	out->type = SWEEP_V_FLOAT;
	out->f = x;
}

static void
sweep_dist_pick(const struct sweep_param *p, struct sweep_rng *r,
    struct sweep_value *out)
{
	double u, acc = 0;
	size_t i;

	if (p->probs == NULL) {
		i = (size_t)sweep_rng_below(r, p->nvalues);
	} else {
		u = sweep_rng_double(r);
		for (i = 0; i + 1 < p->nvalues; i++)
			if (u < (acc += p->probs[i]))
				break;
	}
	sweep_value_copy(out, &p->values[i]);
}

void
sweep_param_sample(const struct sweep_param *p, struct sweep_rng *r,
    struct sweep_value *out)
{
	double x, lo, hi, span;

	if (p->dist == SWEEP_D_CONSTANT) {
		sweep_value_copy(out, &p->values[0]);
		return;
	}
	if (p->dist == SWEEP_D_CATEGORICAL) {
		sweep_dist_pick(p, r, out);
		return;
	}
	if (p->dist == SWEEP_D_INT_UNIFORM) {
		span = p->max - p->min + 1;
		x = p->min + (double)sweep_rng_below(r, (uint64_t)span);
		sweep_dist_value(p, x, out);
		return;
	}
	x = sweep_dist_draw(p, r, &lo, &hi);
	if (sweep_dist_is_q(p->dist))
		x = sweep_dist_quantize(x, p->q, lo, hi);
	sweep_dist_value(p, x, out);
}
