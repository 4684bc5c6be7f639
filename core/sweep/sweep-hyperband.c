/*
 * Hyperband early termination, as W&B runs it: asynchronous successive
 * halving over rungs of reported steps.
 *
 * Rungs: min_iter * eta^k (k = 0, 1, ...; below max_iter when that is
 * given too), or with max_iter and s: max_iter / eta^k for k = s..1.  A
 * trial is judged at the highest rung its reports have reached, by its
 * best value up to that rung, against every trial that has reached the
 * rung (itself included, finished and stopped trials too).  With k such
 * trials sorted best first, the cut is the value at position
 * max(k / eta, 1) (Optuna's successive-halving rule: the top 1/eta go on,
 * and at least the best one); a trial worse than the cut stops.  Unless
 * `strict` is set, a rung judges only once eta trials have reached it, so
 * the first few trials are not cut by each other alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

#define SWEEP_HB_MAX_RUNGS 64

/* eta, or its default 3 in a spec built by hand without one. */
static int64_t
sweep_hb_eta(const struct sweep_early *e)
{
	return e->eta >= 2 ? e->eta : 3;
}

size_t
sweep_hyperband_rungs(const struct sweep_early *e, int64_t *rungs, size_t max)
{
	int64_t all[SWEEP_HB_MAX_RUNGS], r, p;
	size_t n = 0, i;
	int64_t k, eta = sweep_hb_eta(e);

	if (e->min_iter > 0) {
		for (r = e->min_iter; n < SWEEP_HB_MAX_RUNGS; r *= eta) {
			if (e->max_iter > 0 && r >= e->max_iter)
				break;
			all[n++] = r;
			if (r > INT64_MAX / eta)
				break;
		}
	} else if (e->max_iter > 0) {
		for (k = e->s; k >= 1 && n < SWEEP_HB_MAX_RUNGS; k--) {
			for (p = 1, i = 0; i < (size_t)k && p <= e->max_iter;
			     i++)
				p *= eta;
			r = e->max_iter / p;
			if (r >= 1 && (n == 0 || r > all[n - 1]))
				all[n++] = r;
		}
	}
	for (i = 0; i < n && i < max; i++)
		rungs[i] = all[i];
	return n;
}

static int
sweep_hb_cmp_min(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
sweep_hb_cmp_max(const void *a, const void *b)
{
	return sweep_hb_cmp_min(b, a);
}

/* The values at rung of every trial that reached it; returns the count. */
static size_t
sweep_hb_values(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t n, int64_t rung, double *vals)
{
	size_t j, k = 0;
	double v;

	for (j = 0; j < n; j++) {
		if (t[j].ncurve == 0 || t[j].curve[t[j].ncurve - 1].step < rung)
			continue;
		if (sweep_curve_best(s, &t[j], rung, &v))
			vals[k++] = v;
	}
	return k;
}

/* The highest rung at or below step, or 0 when none. */
static int64_t
sweep_hb_rung(const struct sweep_early *e, int64_t step)
{
	int64_t rungs[SWEEP_HB_MAX_RUNGS], best = 0;
	size_t n, i;

	n = sweep_hyperband_rungs(e, rungs, SWEEP_HB_MAX_RUNGS);
	for (i = 0; i < n && rungs[i] <= step; i++)
		best = rungs[i];
	return best;
}

static int
sweep_hb_decide(const struct sweep_spec *s, double *vals, size_t k,
    struct sweep_decision *d)
{
	const struct sweep_early *e = &s->early;
	size_t idx;

	qsort(vals, k, sizeof(*vals),
	    s->goal == SWEEP_MAXIMIZE ? sweep_hb_cmp_max : sweep_hb_cmp_min);
	idx = k / (size_t)sweep_hb_eta(e);
	idx = idx > 0 ? idx - 1 : 0;
	d->cut = vals[idx];
	d->ncompared = (int)k;
	if (!sweep_better(s, d->cut, d->value)) {
		snprintf(d->why, sizeof(d->why),
		    "trial %lld: at step %lld %s %g is in the top 1/%lld of "
		    "%zu trials (cut %g)",
		    (long long)d->trial, (long long)d->rung, s->metric,
		    d->value, (long long)sweep_hb_eta(e), k, d->cut);
		return 0;
	}
	snprintf(d->why, sizeof(d->why),
	    "stop trial %lld: at step %lld %s %g is not in the top 1/%lld "
	    "of the %zu trials that reached step %lld (cut %g)",
	    (long long)d->trial, (long long)d->rung, s->metric, d->value,
	    (long long)sweep_hb_eta(e), k, (long long)d->rung, d->cut);
	return 1;
}

int
sweep_hyperband_judge(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, size_t i, struct sweep_decision *d)
{
	const struct sweep_trial *me = &t[i];
	double *vals;
	size_t k;
	int rc;

	if (me->ncurve == 0)
		return 0;
	d->step = me->curve[me->ncurve - 1].step;
	if ((d->rung = sweep_hb_rung(&s->early, d->step)) == 0 ||
	    !sweep_curve_best(s, me, d->rung, &d->value))
		return 0;
	vals = xcalloc(ntrials, sizeof(*vals));
	k = sweep_hb_values(s, t, ntrials, d->rung, vals);
	if (k < 2 ||
	    (!s->early.strict && k < (size_t)sweep_hb_eta(&s->early))) {
		snprintf(d->why, sizeof(d->why),
		    "trial %lld: %zu trials at "
		    "step %lld, too few to judge",
		    (long long)d->trial, k, (long long)d->rung);
		rc = 0;
	} else
		rc = sweep_hb_decide(s, vals, k, d);
	free(vals);
	return rc;
}
