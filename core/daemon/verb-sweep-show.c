/*
 * sweep.show: a sweep and its trials, best first, optionally with each
 * trial's metric curve (docs/protocol/sweep.show.md).
 */
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/daemon/sweepd.h"
#include "core/daemon/verbs.h"

/* Curve points in one answer, all trials together (a bounded reply). */
#define VERB_SWEEP_SHOW_MAX_SERIES 200000

/* A curve read back from the store. */
struct verb_sweep_series {
	struct store_point *p;
	size_t n, cap;
};

static const struct sweep *verb_sweep_show_sw; /* for the comparison */

/* Trials that reported the metric first, best first; then by number. */
static int
verb_sweep_show_cmp(const void *a, const void *b)
{
	const struct strial *x = *(struct strial *const *)a;
	const struct strial *y = *(struct strial *const *)b;

	if (x->rec.has_best != y->rec.has_best)
		return x->rec.has_best ? -1 : 1;
	if (x->rec.has_best && x->rec.best != y->rec.best)
		return sweepd_better(verb_sweep_show_sw, x->rec.best,
		           y->rec.best) ?
		    -1 :
		    1;
	return x->rec.trial < y->rec.trial ? -1 : x->rec.trial > y->rec.trial;
}

static void
verb_sweep_show_point(const struct store_point *p, void *arg)
{
	struct verb_sweep_series *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->p = xreallocarray(s->p, s->cap, sizeof(*s->p));
	}
	s->p[s->n++] = *p;
}

/* [[step, value], ...], at most max points, evenly thinned. */
static json_t *
verb_sweep_show_series(struct daemon *d, const struct strial *tr, int64_t max)
{
	struct verb_sweep_series s = { NULL, 0, 0 };
	json_t *a = json_array();
	size_t k, i, n;

	store_point_each(d->store, tr->rec.sweep_id, tr->rec.trial,
	    verb_sweep_show_point, &s);
	n = s.n < (size_t)max ? s.n : (size_t)max;
	for (k = 0; k < n; k++) {
		i = n > 1 ? (k * (s.n - 1) + (n - 1) / 2) / (n - 1) : k;
		json_array_append_new(a,
		    json_pack("[I,f]", (json_int_t)s.p[i].step, s.p[i].value));
	}
	free(s.p);
	return a;
}

/* Points a curve: fewer with many trials, so the reply stays bounded. */
static int64_t
verb_sweep_show_points(const struct sweep *sw, int64_t points)
{
	if (sw->ntrials > 0 &&
	    (size_t)points > VERB_SWEEP_SHOW_MAX_SERIES / sw->ntrials)
		points = (int64_t)(VERB_SWEEP_SHOW_MAX_SERIES / sw->ntrials);
	return points < 2 ? 2 : points;
}

int
verb_sweep_show(struct verb_ctx *v, json_t **result, char **cause)
{
	static const char *const allowed[] = { "id", "series", "points", NULL };
	struct strial **order;
	struct sweep *sw;
	int64_t points;
	json_t *a, *t;
	size_t i;
	int rc, series;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = sweepd_params_sweep(v->d, v->params, &sw, cause)) != 0 ||
	    (rc = params_bool(v->params, "series", 0, &series, cause)) != 0 ||
	    (rc = params_int(v->params, "points", 2, SWEEPD_POINTS_MAX, 200,
	         &points, cause)) != 0)
		return rc;
	points = verb_sweep_show_points(sw, points);
	order = xreallocarray(NULL, sw->ntrials + 1, sizeof(*order));
	for (i = 0; i < sw->ntrials; i++)
		order[i] = sw->trials[i];
	verb_sweep_show_sw = sw;
	qsort(order, sw->ntrials, sizeof(*order), verb_sweep_show_cmp);
	a = json_array();
	for (i = 0; i < sw->ntrials; i++) {
		t = sweepd_json_trial(v->d, sw, order[i]);
		if (series)
			json_object_set_new(t, "series",
			    verb_sweep_show_series(v->d, order[i], points));
		json_array_append_new(a, t);
	}
	free(order);
	*result = json_pack("{s:o,s:o}", "sweep",
	    sweepd_json_sweep(v->d, sw, 1), "trials", a);
	return 0;
}
