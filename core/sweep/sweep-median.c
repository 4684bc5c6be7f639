/*
 * The median stopping rule (Google Vizier's; Optuna's MedianPruner): a
 * trial stops when its best value so far is worse than the median of the
 * other trials' values at the same step.  Another trial's value at step t
 * is its last report at or before t, and only trials that reported at t
 * or later count.  Nothing is judged before warmup_trials trials have
 * finished (state done) nor at steps below warmup_steps.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

static int
sweep_median_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* t's last report at or before step, when t reported at step or later. */
static int
sweep_median_at(const struct sweep_trial *t, int64_t step, double *v)
{
	size_t i;

	if (t->ncurve == 0 || t->curve[t->ncurve - 1].step < step)
		return 0;
	for (i = t->ncurve; i-- > 0;)
		if (t->curve[i].step <= step) {
			*v = t->curve[i].value;
			return 1;
		}
	return 0;
}

static double
sweep_median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), sweep_median_cmp);
	return n % 2 != 0 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
sweep_median_warm(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t n, struct sweep_decision *d)
{
	size_t j, done = 0;

	for (j = 0; j < n; j++)
		done += t[j].state == SWEEP_T_DONE;
	if ((int64_t)done >= s->early.warmup_trials &&
	    d->step >= s->early.warmup_steps)
		return 1;
	snprintf(d->why, sizeof(d->why),
	    "trial %lld: warm-up (%zu of %lld "
	    "trials done, step %lld of %lld)",
	    (long long)d->trial, done, (long long)s->early.warmup_trials,
	    (long long)d->step, (long long)s->early.warmup_steps);
	return 0;
}

int
sweep_median_judge(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, size_t i, struct sweep_decision *d)
{
	double *vals;
	size_t j, k = 0;

	if (t[i].ncurve == 0)
		return 0;
	d->step = d->rung = t[i].curve[t[i].ncurve - 1].step;
	if (!sweep_median_warm(s, t, ntrials, d) ||
	    !sweep_curve_best(s, &t[i], d->step, &d->value))
		return 0;
	vals = xcalloc(ntrials, sizeof(*vals));
	for (j = 0; j < ntrials; j++)
		if (j != i && sweep_median_at(&t[j], d->step, &vals[k]))
			k++;
	d->ncompared = (int)k;
	if (k == 0) {
		free(vals);
		return 0;
	}
	d->cut = sweep_median_of(vals, k);
	free(vals);
	if (!sweep_better(s, d->cut, d->value))
		return 0;
	snprintf(d->why, sizeof(d->why),
	    "stop trial %lld: at step %lld its "
	    "best %s %g is worse than the median %g of %zu other trials",
	    (long long)d->trial, (long long)d->step, s->metric, d->value,
	    d->cut, k);
	return 1;
}
