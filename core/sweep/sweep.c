/*
 * The sweep engine's tables (strategies, early-termination rules), names,
 * and the entry points that dispatch through them.
 */
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

const struct sweep_strategy sweep_strategies[] = {
	{ "grid", "every combination of the listed values, in order",
	    SWEEP_GRID, sweep_grid_next },
	{ "random", "independent draws from each distribution", SWEEP_RANDOM,
	    sweep_random_next },
	{ "bayes", "Tree-structured Parzen Estimator (TPE)", SWEEP_BAYES,
	    sweep_bayes_next },
	{ NULL, NULL, SWEEP_NMETHODS, NULL },
};

static const struct sweep_stopper sweep_stoppers[] = {
	{ SWEEP_ET_HYPERBAND, "hyperband", sweep_hyperband_judge },
	{ SWEEP_ET_MEDIAN, "median", sweep_median_judge },
	{ SWEEP_ET_NONE, NULL, NULL },
};

const struct sweep_strategy *
sweep_strategy_find(enum sweep_method m)
{
	const struct sweep_strategy *st;

	for (st = sweep_strategies; st->name != NULL; st++)
		if (st->method == m)
			return st;
	return NULL;
}

const char *
sweep_method_name(enum sweep_method m)
{
	const struct sweep_strategy *st = sweep_strategy_find(m);

	return st != NULL ? st->name : "?";
}

const char *
sweep_goal_name(enum sweep_goal g)
{
	return g == SWEEP_MAXIMIZE ? "maximize" : "minimize";
}

const char *
sweep_early_name(enum sweep_early_type t)
{
	const struct sweep_stopper *st;

	for (st = sweep_stoppers; st->name != NULL; st++)
		if (st->type == t)
			return st->name;
	return "none";
}

const char *
sweep_trial_state_name(enum sweep_trial_state s)
{
	static const char *const names[] = { "pending", "running", "done",
		"failed", "stopped", "cancelled" };

	if ((int)s < 0 || s > SWEEP_T_CANCELLED)
		return "?";
	return names[s];
}

static void
sweep_param_done(struct sweep_param *p)
{
	size_t i;

	for (i = 0; i < p->nvalues; i++)
		sweep_value_done(&p->values[i]);
	free(p->values);
	free(p->probs);
	free(p->name);
}

void
sweep_spec_free(struct sweep_spec *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nparams; i++)
		sweep_param_done(&s->params[i]);
	for (i = 0; i < s->ncommand; i++)
		free(s->command[i]);
	for (i = 0; i < s->nwarnings; i++)
		free(s->warnings[i]);
	free(s->params);
	free(s->command);
	free(s->warnings);
	free(s->name);
	free(s->project);
	free(s->description);
	free(s->program);
	free(s->interpreter);
	free(s->metric);
	free(s->res.pool);
	free(s->res.gpu_model);
	free(s);
}

int
sweep_next(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_rng *r, struct sweep_point *out)
{
	const struct sweep_strategy *st = sweep_strategy_find(s->method);

	out->v = NULL;
	out->n = 0;
	if (st == NULL)
		return GQ_EINVAL;
	if (s->trials > 0 && (int64_t)ntrials >= s->trials)
		return 0;
	if (ntrials >= SWEEP_MAX_TRIALS)
		return 0;
	return st->next(s, t, ntrials, r, out);
}

int
sweep_better(const struct sweep_spec *s, double a, double b)
{
	return s->goal == SWEEP_MAXIMIZE ? a > b : a < b;
}

int
sweep_curve_best(const struct sweep_spec *s, const struct sweep_trial *t,
    int64_t upto, double *best)
{
	size_t i;
	int have = 0;

	for (i = 0; i < t->ncurve && t->curve[i].step <= upto; i++)
		if (!have || sweep_better(s, t->curve[i].value, *best)) {
			*best = t->curve[i].value;
			have = 1;
		}
	return have;
}

int
sweep_early_judge(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, size_t i, struct sweep_decision *d)
{
	const struct sweep_stopper *st;

	memset(d, 0, sizeof(*d));
	if (i >= ntrials)
		return GQ_EINVAL;
	d->trial = t[i].id;
	if (s->early.type == SWEEP_ET_NONE || s->metric == NULL)
		return 0;
	for (st = sweep_stoppers; st->name != NULL; st++)
		if (st->type == s->early.type)
			return st->judge(s, t, ntrials, i, d);
	return GQ_EINVAL;
}

int
sweep_early_check(const struct sweep_spec *s, const struct sweep_trial *t,
    size_t ntrials, struct sweep_decision **out, size_t *nout)
{
	struct sweep_decision d;
	size_t i;
	int rc;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < ntrials; i++) {
		if (t[i].state != SWEEP_T_RUNNING)
			continue;
		if ((rc = sweep_early_judge(s, t, ntrials, i, &d)) < 0) {
			free(*out);
			*out = NULL;
			*nout = 0;
			return rc;
		}
		if (rc == 0)
			continue;
		*out = xreallocarray(*out, *nout + 1, sizeof(**out));
		(*out)[(*nout)++] = d;
	}
	return 0;
}
