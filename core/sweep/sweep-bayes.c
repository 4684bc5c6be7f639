/*
 * Bayesian search: the Tree-structured Parzen Estimator (Bergstra et al.,
 * NeurIPS 2011) with the defaults of Optuna's TPESampler, univariate.
 *
 * - The first n_startup (10) trials with a result are random draws.
 * - Then the trials with a result are ranked: done trials by their metric
 *   (best first), then early-stopped ones (the longer-lived first, then by
 *   metric).  The best n_below = min(ceil(gamma * n), gamma_max) with
 *   gamma 0.1 and gamma_max 25 (Optuna's default_gamma) form the "good"
 *   set l, the rest the "bad" set g.
 * - Each parameter is chosen on its own: draw n_candidates (24) values
 *   from the Parzen estimator of l and keep the one with the highest
 *   log l(x) - log g(x) (expected improvement's argmax).
 * - A numeric estimator is a mixture of normals truncated to the range,
 *   one per observation plus a prior (mean the range's middle, sigma its
 *   width, weight prior_weight 1.0); observation sigmas are the larger gap
 *   to a sorted neighbour, clipped to [width / min(100, 1 + n), width]
 *   (Optuna's "magic clip"); weights are 1, ramping down linearly for all
 *   but the newest 25 observations.  Log distributions work in log space;
 *   int and q distributions on the continuous range widened by half a
 *   step, rounded at the end; normal ones on mu +- 4 sigma.
 * - A categorical estimator mixes, per observation, prior_weight / k on
 *   every choice plus 1 on the observed one (normalised), and a uniform
 *   prior.
 * Trials still running count for nothing (no "constant liar"), so
 * parallel trials differ only through their own generators.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

#define TPE_SIGMAS 4.0 /* the range of normal distributions, in sigmas */

/* One parameter's search space as TPE sees it. */
struct tpe_space {
	int log;         /* internal x is ln(value) */
	double lo, hi;   /* the internal range */
	double vlo, vhi; /* the value's range, for quantizing */
};

/* A Parzen estimator over one numeric parameter. */
struct tpe_pe {
	double *mu, *sigma, *w; /* owned, n of each */
	size_t n;
	double lo, hi;
};

struct tpe_obs {
	const struct sweep_trial *t;
	double key; /* goal-adjusted: smaller is better */
};

void
sweep_tpe_defaults(struct sweep_tpe_opts *o)
{
	o->n_startup = 10;
	o->n_candidates = 24;
	o->gamma = 0.1;
	o->gamma_max = 25;
	o->prior_weight = 1.0;
}

/* The internal range, widened by half a step for discrete values. */
static void
tpe_space_widen(const struct sweep_param *p, struct tpe_space *sp)
{
	double half = 0;

	sp->lo = sp->log ? log(sp->vlo) : sp->vlo;
	sp->hi = sp->log ? log(sp->vhi) : sp->vhi;
	if (p->dist == SWEEP_D_INT_UNIFORM)
		half = 0.5;
	else if (!sp->log &&
	    (p->dist == SWEEP_D_Q_UNIFORM || p->dist == SWEEP_D_Q_NORMAL ||
	        p->dist == SWEEP_D_Q_BETA))
		half = p->q / 2;
	sp->lo -= half;
	sp->hi += half;
	if (!(sp->hi > sp->lo))
		sp->hi = sp->lo + 1e-12;
}

static void
tpe_space_of(const struct sweep_param *p, struct tpe_space *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->vlo = p->min;
	sp->vhi = p->max;
	switch (p->dist) {
	case SWEEP_D_LOG_UNIFORM:
	case SWEEP_D_Q_LOG_UNIFORM:
		sp->log = 1;
		sp->vlo = exp(p->min);
		sp->vhi = exp(p->max);
		break;
	case SWEEP_D_INV_LOG_UNIFORM:
		sp->log = 1;
		sp->vlo = exp(-p->max);
		sp->vhi = exp(-p->min);
		break;
	case SWEEP_D_LOG_UNIFORM_VALUES:
	case SWEEP_D_Q_LOG_UNIFORM_VALUES:
	case SWEEP_D_INV_LOG_UNIFORM_VALUES:
		sp->log = 1;
		break;
	case SWEEP_D_NORMAL:
	case SWEEP_D_Q_NORMAL:
		sp->vlo = p->mu - TPE_SIGMAS * p->sigma;
		sp->vhi = p->mu + TPE_SIGMAS * p->sigma;
		break;
	case SWEEP_D_LOG_NORMAL:
	case SWEEP_D_Q_LOG_NORMAL:
		sp->log = 1;
		sp->vlo = exp(p->mu - TPE_SIGMAS * p->sigma);
		sp->vhi = exp(p->mu + TPE_SIGMAS * p->sigma);
		break;
	case SWEEP_D_BETA:
	case SWEEP_D_Q_BETA:
		sp->vlo = 0;
		sp->vhi = 1;
		break;
	default:
		break;
	}
	tpe_space_widen(p, sp);
}

/* An observed value in internal space, clamped to the range. */
static double
tpe_space_x(const struct tpe_space *sp, const struct sweep_value *v)
{
	double x = v->type == SWEEP_V_INT ? (double)v->i :
	    v->type == SWEEP_V_FLOAT      ? v->f :
	                                    (sp->vlo + sp->vhi) / 2;

	if (sp->log)
		x = x > 0 ? log(x) : sp->lo;
	if (!(x >= sp->lo))
		x = sp->lo;
	if (x > sp->hi)
		x = sp->hi;
	return x;
}

/* An internal x as the parameter's value. */
static void
tpe_space_value(const struct sweep_param *p, const struct tpe_space *sp,
    double x, struct sweep_value *out)
{
	double v = sp->log ? exp(x) : x;

	if (p->dist == SWEEP_D_INT_UNIFORM) {
		v = nearbyint(v);
		v = v < p->min ? p->min : v > p->max ? p->max : v;
	} else if (p->q > 0 &&
	    (p->dist == SWEEP_D_Q_UNIFORM || p->dist == SWEEP_D_Q_LOG_UNIFORM ||
	        p->dist == SWEEP_D_Q_LOG_UNIFORM_VALUES ||
	        p->dist == SWEEP_D_Q_NORMAL ||
	        p->dist == SWEEP_D_Q_LOG_NORMAL || p->dist == SWEEP_D_Q_BETA))
		v = sweep_dist_quantize(v, p->q, sp->vlo, sp->vhi);
	else
		v = v < sp->vlo ? sp->vlo : v > sp->vhi ? sp->vhi : v;
	sweep_dist_value(p, v, out);
}

/* Optuna's default_weights: 1 each, a linear ramp for all but the last 25. */
static void
tpe_weights(double *w, size_t n)
{
	size_t i, nramp;

	nramp = n > 25 ? n - 25 : 0;
	for (i = 0; i < n; i++)
		w[i] = i < nramp && nramp > 1 ? 1.0 / (double)n +
		        (1.0 - 1.0 / (double)n) * (double)i /
		            (double)(nramp - 1) :
		                                1.0;
	if (nramp == 1)
		w[0] = 1.0 / (double)n;
}

struct tpe_sorted {
	double x;
	size_t i;
};

static int
tpe_sorted_cmp(const void *a, const void *b)
{
	const struct tpe_sorted *x = a, *y = b;

	return x->x < y->x ? -1 : x->x > y->x;
}

/* Sigmas from the gaps between sorted neighbours (the prior included). */
static void
tpe_pe_sigmas(struct tpe_pe *pe, size_t nobs)
{
	struct tpe_sorted *s = xcalloc(pe->n, sizeof(*s));
	double left, right, width = pe->hi - pe->lo, minsig;
	size_t k;

	for (k = 0; k < pe->n; k++) {
		s[k].x = pe->mu[k];
		s[k].i = k;
	}
	qsort(s, pe->n, sizeof(*s), tpe_sorted_cmp);
	minsig = width / fmin(100.0, 1.0 + (double)pe->n);
	for (k = 0; k < pe->n; k++) {
		left = k > 0 ? s[k].x - s[k - 1].x : s[k].x - pe->lo;
		right = k + 1 < pe->n ? s[k + 1].x - s[k].x : pe->hi - s[k].x;
		/* Without endpoints: the outermost kernels use their inner
		 * neighbour's gap only. */
		if (pe->n >= 2 && k == 0)
			left = right;
		if (pe->n >= 2 && k + 1 == pe->n)
			right = left;
		pe->sigma[s[k].i] =
		    fmin(fmax(fmax(left, right), minsig), width);
	}
	pe->sigma[nobs] = width; /* the prior */
	free(s);
}

static void
tpe_pe_build(struct tpe_pe *pe, const double *xs, size_t nobs,
    const struct tpe_space *sp, double prior_weight)
{
	double sum = 0;
	size_t k;

	pe->n = nobs + 1;
	pe->lo = sp->lo;
	pe->hi = sp->hi;
	pe->mu = xcalloc(pe->n, sizeof(double));
	pe->sigma = xcalloc(pe->n, sizeof(double));
	pe->w = xcalloc(pe->n, sizeof(double));
	for (k = 0; k < nobs; k++)
		pe->mu[k] = xs[k];
	pe->mu[nobs] = (sp->lo + sp->hi) / 2;
	tpe_weights(pe->w, nobs);
	pe->w[nobs] = prior_weight;
	tpe_pe_sigmas(pe, nobs);
	for (k = 0; k < pe->n; k++)
		sum += pe->w[k];
	for (k = 0; k < pe->n; k++)
		pe->w[k] /= sum;
}

static void
tpe_pe_done(struct tpe_pe *pe)
{
	free(pe->mu);
	free(pe->sigma);
	free(pe->w);
}

static size_t
tpe_pick(const double *w, size_t n, struct sweep_rng *r)
{
	double u = sweep_rng_double(r), acc = 0;
	size_t k;

	for (k = 0; k + 1 < n; k++)
		if (u < (acc += w[k]))
			break;
	return k;
}

static double
tpe_pe_sample(const struct tpe_pe *pe, struct sweep_rng *r)
{
	size_t k = tpe_pick(pe->w, pe->n, r);
	double x;
	int tries;

	for (tries = 0; tries < 1000; tries++) {
		x = pe->mu[k] + pe->sigma[k] * sweep_rng_normal(r);
		if (x >= pe->lo && x <= pe->hi)
			return x;
	}
	return fmin(fmax(pe->mu[k], pe->lo), pe->hi);
}

static double
tpe_phi(double z)
{
	return 0.5 * erfc(-z / M_SQRT2);
}

/* log of the mixture's density at x (log-sum-exp over kernels). */
static double
tpe_pe_logpdf(const struct tpe_pe *pe, double x)
{
	double best = -HUGE_VAL, sum = 0, *lp, z, mass;
	size_t k;

	lp = xcalloc(pe->n, sizeof(*lp));
	for (k = 0; k < pe->n; k++) {
		z = (x - pe->mu[k]) / pe->sigma[k];
		mass = tpe_phi((pe->hi - pe->mu[k]) / pe->sigma[k]) -
		    tpe_phi((pe->lo - pe->mu[k]) / pe->sigma[k]);
		lp[k] = log(pe->w[k]) - 0.5 * z * z -
		    log(pe->sigma[k] * sqrt(2 * M_PI) * fmax(mass, 1e-300));
		best = fmax(best, lp[k]);
	}
	for (k = 0; k < pe->n; k++)
		sum += exp(lp[k] - best);
	free(lp);
	return best + log(sum);
}

/* Draws n_candidates from l and keeps the best log l - log g. */
static double
tpe_numeric_best(const struct tpe_pe *l, const struct tpe_pe *g,
    struct sweep_rng *r, int ncand)
{
	double x, score, best = 0, bestscore = -HUGE_VAL;
	int c;

	for (c = 0; c < ncand; c++) {
		x = tpe_pe_sample(l, r);
		score = tpe_pe_logpdf(l, x) - tpe_pe_logpdf(g, x);
		if (c == 0 || score > bestscore) {
			best = x;
			bestscore = score;
		}
	}
	return best;
}

static void
tpe_numeric(const struct sweep_param *p, size_t pi,
    const struct sweep_trial **set[2], const size_t nset[2],
    struct sweep_rng *r, const struct sweep_tpe_opts *o,
    struct sweep_value *out)
{
	struct tpe_space sp;
	struct tpe_pe pe[2];
	double *xs;
	size_t k, j;

	tpe_space_of(p, &sp);
	for (k = 0; k < 2; k++) {
		xs = xcalloc(nset[k] + 1, sizeof(*xs));
		for (j = 0; j < nset[k]; j++)
			xs[j] = tpe_space_x(&sp, &set[k][j]->point->v[pi]);
		tpe_pe_build(&pe[k], xs, nset[k], &sp, o->prior_weight);
		free(xs);
	}
	tpe_space_value(p, &sp,
	    tpe_numeric_best(&pe[0], &pe[1], r, o->n_candidates), out);
	tpe_pe_done(&pe[0]);
	tpe_pe_done(&pe[1]);
}

/* The pmf over a categorical's choices from the observations in set. */
static void
tpe_cat_pmf(const struct sweep_param *p, size_t pi,
    const struct sweep_trial *const *set, size_t n, double pw, double *pmf)
{
	double *w = xcalloc(n + 1, sizeof(*w)), sum = 0;
	size_t j, c, k = p->nvalues;

	tpe_weights(w, n);
	w[n] = pw;
	for (j = 0; j <= n; j++)
		sum += w[j];
	for (c = 0; c < k; c++)
		pmf[c] = w[n] / sum / (double)k;
	for (j = 0; j < n; j++)
		for (c = 0; c < k; c++)
			pmf[c] += w[j] / sum *
			    (pw / (double)k +
			        sweep_value_equal(&p->values[c],
			            &set[j]->point->v[pi])) /
			    (pw + 1);
	free(w);
}

static void
tpe_categorical(const struct sweep_param *p, size_t pi,
    const struct sweep_trial **set[2], const size_t nset[2],
    struct sweep_rng *r, const struct sweep_tpe_opts *o,
    struct sweep_value *out)
{
	double *l = xcalloc(p->nvalues, sizeof(double));
	double *g = xcalloc(p->nvalues, sizeof(double));
	double score, bestscore = -HUGE_VAL;
	size_t c, best = 0;
	int i;

	tpe_cat_pmf(p, pi, set[0], nset[0], o->prior_weight, l);
	tpe_cat_pmf(p, pi, set[1], nset[1], o->prior_weight, g);
	for (i = 0; i < o->n_candidates; i++) {
		c = tpe_pick(l, p->nvalues, r);
		score = log(l[c]) - log(g[c]);
		if (i == 0 || score > bestscore) {
			best = c;
			bestscore = score;
		}
	}
	sweep_value_copy(out, &p->values[best]);
	free(l);
	free(g);
}

/* Ranks trials: done by metric, then stopped (longest first). */
static int
tpe_obs_cmp(const void *a, const void *b)
{
	const struct tpe_obs *x = a, *y = b;
	int sx = x->t->state != SWEEP_T_DONE, sy = y->t->state != SWEEP_T_DONE;
	int64_t lx, ly;

	if (sx != sy)
		return sx - sy;
	if (sx) {
		lx = x->t->ncurve ? x->t->curve[x->t->ncurve - 1].step : 0;
		ly = y->t->ncurve ? y->t->curve[y->t->ncurve - 1].step : 0;
		if (lx != ly)
			return lx > ly ? -1 : 1;
	}
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->t->id < y->t->id ? -1 : x->t->id > y->t->id;
}

static int
tpe_id_cmp(const void *a, const void *b)
{
	const struct sweep_trial *x = *(const struct sweep_trial *const *)a;
	const struct sweep_trial *y = *(const struct sweep_trial *const *)b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int
tpe_usable(const struct sweep_spec *s, const struct sweep_trial *t)
{
	return (t->state == SWEEP_T_DONE || t->state == SWEEP_T_STOPPED) &&
	    t->has_metric && isfinite(t->metric) && t->point != NULL &&
	    t->point->n == s->nparams;
}

/* The usable trials, ranked; returns the count. */
static size_t
tpe_collect(const struct sweep_spec *s, const struct sweep_trial *t, size_t n,
    struct tpe_obs *obs)
{
	size_t i, k = 0;

	for (i = 0; t != NULL && i < n; i++) {
		if (!tpe_usable(s, &t[i]))
			continue;
		obs[k].t = &t[i];
		obs[k++].key =
		    s->goal == SWEEP_MAXIMIZE ? -t[i].metric : t[i].metric;
	}
	qsort(obs, k, sizeof(*obs), tpe_obs_cmp);
	return k;
}

/* Splits ranked obs into the good and bad sets, each in trial order. */
static void
tpe_split(const struct tpe_obs *obs, size_t n, const struct sweep_tpe_opts *o,
    const struct sweep_trial **set[2], size_t nset[2])
{
	size_t i, nb;

	nb = (size_t)ceil(o->gamma * (double)n);
	if (nb > (size_t)o->gamma_max)
		nb = (size_t)o->gamma_max;
	if (nb < 1)
		nb = 1;
	nset[0] = nb;
	nset[1] = n - nb;
	set[0] = xcalloc(nb, sizeof(*set[0]));
	set[1] = xcalloc(n - nb + 1, sizeof(*set[1]));
	for (i = 0; i < n; i++)
		if (i < nb)
			set[0][i] = obs[i].t;
		else
			set[1][i - nb] = obs[i].t;
	qsort(set[0], nset[0], sizeof(*set[0]), tpe_id_cmp);
	qsort(set[1], nset[1], sizeof(*set[1]), tpe_id_cmp);
}

int
sweep_bayes_next_opts(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, const struct sweep_tpe_opts *o,
    struct sweep_point *out)
{
	const struct sweep_trial **set[2];
	struct tpe_obs *obs;
	size_t nobs, nset[2], i;
	const struct sweep_param *p;

	obs = xcalloc(ntrials + 1, sizeof(*obs));
	nobs = tpe_collect(s, t, ntrials, obs);
	if (nobs < (size_t)o->n_startup || nobs < 2) {
		free(obs);
		sweep_random_point(s, r, out);
		return 1;
	}
	tpe_split(obs, nobs, o, set, nset);
	free(obs);
	sweep_point_init(out, s->nparams);
	for (i = 0; i < s->nparams; i++) {
		p = &s->params[i];
		if (p->dist == SWEEP_D_CONSTANT)
			sweep_value_copy(&out->v[i], &p->values[0]);
		else if (p->dist == SWEEP_D_CATEGORICAL)
			tpe_categorical(p, i, set, nset, r, o, &out->v[i]);
		else
			tpe_numeric(p, i, set, nset, r, o, &out->v[i]);
	}
	free(set[0]);
	free(set[1]);
	return 1;
}

int
sweep_bayes_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out)
{
	struct sweep_tpe_opts o;

	sweep_tpe_defaults(&o);
	return sweep_bayes_next_opts(s, t, ntrials, r, &o, out);
}
