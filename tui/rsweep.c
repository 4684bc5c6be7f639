#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/xmalloc.h"
#include "tui/fmt.h"
#include "tui/rsweep.h"

#define RSWEEP_MAX_ID ((INT64_C(1) << 53) - 1)

static const char *const rsweep_count_keys[RSWEEP_NCOUNTS] = { "pending",
	"running", "completed", "failed", "stopped", "cancelled" };

/* jansson's iteration macros take a non-const object. */
static json_t *
rsweep_unconst(const json_t *v)
{
	union {
		const json_t *c;
		json_t *m;
	} u;

	u.c = v;
	return u.m;
}

static int64_t
rsweep_int(const json_t *o, const char *k, int64_t def)
{
	json_t *v = json_object_get(o, k);

	if (json_is_integer(v))
		return (int64_t)json_integer_value(v);
	if (json_is_real(v) && fabs(json_real_value(v)) < 9e15)
		return (int64_t)json_real_value(v);
	return def;
}

/* A number member: 1 and *out, or 0 when absent, null or not finite. */
static int
rsweep_num(const json_t *o, const char *k, double *out)
{
	json_t *v = json_object_get(o, k);

	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return 0;
	*out = json_number_value(v);
	return 1;
}

/* A copy of a string member made safe for a terminal, or NULL. */
static char *
rsweep_str(const json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	char cell[RSWEEP_TEXT_MAX];

	if (!json_is_string(v))
		return NULL;
	return xstrdup(fmt_cell(json_string_value(v), 0, cell, sizeof(cell)));
}

/* A parameter's value as a cell: 0.001, 64, adam, true. */
static void
rsweep_value(const json_t *v, char *out, size_t n)
{
	char *dump;

	if (json_is_string(v))
		fmt_cell(json_string_value(v), 0, out, n);
	else if (json_is_integer(v))
		snprintf(out, n, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(out, n, "%.4g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(out, n, "%s", json_is_true(v) ? "true" : "false");
	else {
		dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		fmt_cell(dump != NULL ? dump : "", 0, out, n);
		free(dump);
	}
}

static char *
rsweep_params_text(const json_t *params)
{
	char cell[RSWEEP_TEXT_MAX];
	const char *k;
	json_t *v;
	struct buf b;

	if (!json_is_object(params) || json_object_size(params) == 0)
		return NULL;
	buf_init(&b, 4 * RSWEEP_TEXT_MAX);
	json_object_foreach(rsweep_unconst(params), k, v) {
		rsweep_value(v, cell, sizeof(cell));
		if (b.len > 0)
			buf_addstr(&b, " ");
		fmt_safe(&b, k);
		buf_printf(&b, "=%s", cell);
	}
	return buf_take(&b);
}

static void
rsweep_free(struct rsweep *s)
{
	free(s->name);
	free(s->user);
	free(s->project);
	free(s->state);
	free(s->method);
	free(s->metric);
	free(s->reason);
	free(s->rule);
	free(s->best_params);
	memset(s, 0, sizeof(*s));
}

static void
rsweep_best_decode(struct rsweep *s, const json_t *best)
{
	s->have_best = rsweep_num(best, "value", &s->best);
	s->best_trial = rsweep_int(best, "trial", 0);
	s->best_job = rsweep_int(best, "job", 0);
	s->best_params = rsweep_params_text(json_object_get(best, "params"));
}

/* Decodes a sweep object into s (freed first); 0, or -1 when no sweep. */
static int
rsweep_decode(struct rsweep *s, const json_t *o)
{
	json_t *metric = json_object_get(o, "metric");
	json_t *counts = json_object_get(o, "counts");
	int64_t id = rsweep_int(o, "id", 0);
	char *goal;
	int i;

	if (!json_is_object(o) || !json_is_integer(json_object_get(o, "id")) ||
	    id <= 0 || id > RSWEEP_MAX_ID)
		return -1;
	rsweep_free(s);
	s->id = id;
	s->name = rsweep_str(o, "name");
	s->user = rsweep_str(o, "user");
	s->project = rsweep_str(o, "project");
	s->state = rsweep_str(o, "state");
	s->method = rsweep_str(o, "method");
	s->reason = rsweep_str(o, "reason");
	s->metric = rsweep_str(metric, "name");
	goal = rsweep_str(metric, "goal");
	s->minimize = goal == NULL || strcmp(goal, "maximize") != 0;
	free(goal);
	s->rule = rsweep_str(json_object_get(o, "early_terminate"), "type");
	s->budget = rsweep_int(o, "budget", 0);
	s->parallel = rsweep_int(o, "parallel", 0);
	s->started = rsweep_int(o, "started", 0);
	s->created = rsweep_int(o, "created", 0);
	s->ended = rsweep_int(o, "ended", 0);
	s->gpu_seconds = rsweep_int(o, "gpu_seconds", 0);
	for (i = 0; i < RSWEEP_NCOUNTS; i++)
		s->counts[i] = rsweep_int(counts, rsweep_count_keys[i], 0);
	rsweep_best_decode(s, json_object_get(o, "best"));
	return 0;
}

int64_t
rsweep_done(const struct rsweep *s)
{
	return s->counts[RSWEEP_COMPLETED] + s->counts[RSWEEP_FAILED] +
	    s->counts[RSWEEP_STOPPED] + s->counts[RSWEEP_CANCELLED];
}

char *
rsweep_progress(const struct rsweep *s, char *out, size_t n)
{
	snprintf(out, n, "%lld/%lld", (long long)rsweep_done(s),
	    (long long)s->budget);
	return out;
}

/* The list. */
void
rsweep_list_init(struct rsweep_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
rsweep_list_done(struct rsweep_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		rsweep_free(&l->s[i]);
	free(l->s);
	l->s = NULL;
	l->n = 0;
	l->gen++;
}

size_t
rsweep_list_apply(struct rsweep_list *l, const json_t *result)
{
	json_t *a = json_object_get(result, "sweeps"), *o;
	size_t i;

	rsweep_list_done(l);
	if (!json_is_array(a))
		return 0;
	l->s = xcalloc(json_array_size(a) + 1, sizeof(*l->s));
	json_array_foreach(a, i, o) {
		if (l->n >= RSWEEP_MAX)
			break;
		if (rsweep_decode(&l->s[l->n], o) == 0)
			l->n++;
	}
	return l->n;
}

const struct rsweep *
rsweep_list_find(const struct rsweep_list *l, int64_t id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->s[i].id == id)
			return &l->s[i];
	return NULL;
}

int
rsweep_list_put(struct rsweep_list *l, const json_t *sweep)
{
	struct rsweep s;
	size_t i;

	memset(&s, 0, sizeof(s));
	if (rsweep_decode(&s, sweep) != 0)
		return 0;
	for (i = 0; i < l->n && l->s[i].id != s.id; i++)
		;
	if (i == l->n) {
		if (l->n >= RSWEEP_MAX) {
			rsweep_free(&s);
			return 0;
		}
		l->s = xreallocarray(l->s, l->n + 1, sizeof(*l->s));
		l->n++;
	} else
		rsweep_free(&l->s[i]);
	l->s[i] = s;
	l->gen++;
	return 1;
}

/* One sweep. */
void
rsweep_show_init(struct rsweep_show *d)
{
	memset(d, 0, sizeof(*d));
}

static void
rsweep_trial_free(struct rtrial *tr, size_t npar)
{
	size_t i;

	for (i = 0; tr->vals != NULL && i < npar; i++)
		free(tr->vals[i]);
	free(tr->vals);
	free(tr->state);
	free(tr->stopped);
	free(tr->px);
	free(tr->py);
	memset(tr, 0, sizeof(*tr));
}

static void
rsweep_show_clear(struct rsweep_show *d)
{
	size_t i;

	for (i = 0; i < d->ntr; i++)
		rsweep_trial_free(&d->tr[i], d->npar);
	free(d->tr);
	d->tr = NULL;
	d->ntr = d->cap = 0;
	for (i = 0; i < d->npar; i++)
		free(d->pnames[i]);
	d->npar = 0;
}

void
rsweep_show_done(struct rsweep_show *d)
{
	rsweep_show_clear(d);
	rsweep_free(&d->s);
	d->have = 0;
	d->gen++;
}

/* Adds parameter names of an object as columns, in their order. */
static void
rsweep_show_pnames(struct rsweep_show *d, const json_t *params)
{
	const char *k;
	json_t *v;
	size_t i;

	json_object_foreach(rsweep_unconst(params), k, v) {
		for (i = 0; i < d->npar; i++)
			if (strcmp(d->pnames[i], k) == 0)
				break;
		if (i == d->npar && d->npar < RSWEEP_MAX_PARAMS)
			d->pnames[d->npar++] = xstrndup(k, 64);
	}
}

/* Adds a point to a trial's curve, halving it when full. */
static void
rsweep_point(struct rtrial *tr, double x, double y)
{
	size_t i;

	if (tr->px == NULL) {
		tr->px = xcalloc(RSWEEP_MAX_POINTS, sizeof(*tr->px));
		tr->py = xcalloc(RSWEEP_MAX_POINTS, sizeof(*tr->py));
	}
	if (tr->np == RSWEEP_MAX_POINTS) {
		for (i = 0; i < RSWEEP_MAX_POINTS / 2; i++) {
			tr->px[i] = tr->px[2 * i + 1];
			tr->py[i] = tr->py[2 * i + 1];
		}
		tr->np = RSWEEP_MAX_POINTS / 2;
	}
	tr->px[tr->np] = x;
	tr->py[tr->np++] = y;
}

static void
rsweep_series(struct rtrial *tr, const json_t *series)
{
	json_t *p;
	size_t i;

	json_array_foreach(series, i, p) {
		if (json_is_number(json_array_get(p, 0)) &&
		    json_is_number(json_array_get(p, 1)) &&
		    isfinite(json_number_value(json_array_get(p, 1))))
			rsweep_point(tr,
			    json_number_value(json_array_get(p, 0)),
			    json_number_value(json_array_get(p, 1)));
	}
}

static void
rsweep_trial_vals(struct rsweep_show *d, struct rtrial *tr, const json_t *o)
{
	json_t *params = json_object_get(o, "params"), *v;
	char cell[RSWEEP_TEXT_MAX];
	size_t i;

	tr->vals = xcalloc(RSWEEP_MAX_PARAMS, sizeof(*tr->vals));
	for (i = 0; i < d->npar; i++) {
		v = json_object_get(params, d->pnames[i]);
		if (v == NULL)
			cell[0] = '\0';
		else
			rsweep_value(v, cell, sizeof(cell));
		tr->vals[i] = xstrdup(cell);
	}
}

static void
rsweep_trial_decode(struct rsweep_show *d, struct rtrial *tr, const json_t *o)
{
	tr->trial = rsweep_int(o, "trial", 0);
	tr->job = rsweep_int(o, "job", 0);
	tr->state = rsweep_str(o, "state");
	tr->have_step = json_is_integer(json_object_get(o, "step"));
	tr->step = rsweep_int(o, "step", 0);
	tr->have_metric = rsweep_num(o, "metric", &tr->metric);
	tr->have_best = rsweep_num(o, "best", &tr->best);
	tr->stopped = rsweep_str(o, "stopped_early");
	rsweep_trial_vals(d, tr, o);
	rsweep_series(tr, json_object_get(o, "series"));
}

void
rsweep_show_apply(struct rsweep_show *d, const json_t *result)
{
	json_t *trials = json_object_get(result, "trials"), *o;
	json_t *spec =
	    json_object_get(json_object_get(result, "sweep"), "spec");
	size_t i;

	rsweep_show_clear(d);
	if (rsweep_decode(&d->s, json_object_get(result, "sweep")) != 0)
		return;
	d->have = 1;
	d->gen++;
	if (json_is_object(json_object_get(spec, "parameters")))
		rsweep_show_pnames(d, json_object_get(spec, "parameters"));
	json_array_foreach(trials, i, o)
		if (json_is_object(json_object_get(o, "params")))
			rsweep_show_pnames(d, json_object_get(o, "params"));
	d->cap = json_is_array(trials) ? json_array_size(trials) : 0;
	d->tr = xcalloc(d->cap + 1, sizeof(*d->tr));
	json_array_foreach(trials, i, o) {
		if (d->ntr >= RSWEEP_MAX || !json_is_object(o) ||
		    rsweep_int(o, "trial", 0) <= 0)
			continue;
		rsweep_trial_decode(d, &d->tr[d->ntr++], o);
	}
}

static struct rtrial *
rsweep_show_find(struct rsweep_show *d, int64_t trial)
{
	size_t i;

	for (i = 0; i < d->ntr; i++)
		if (d->tr[i].trial == trial)
			return &d->tr[i];
	return NULL;
}

/* A trial only its event has told of: parameters unknown for now. */
static struct rtrial *
rsweep_show_add(struct rsweep_show *d, int64_t trial)
{
	struct rtrial *tr;

	if (d->ntr >= RSWEEP_MAX)
		return NULL;
	if (d->ntr == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->tr = xreallocarray(d->tr, d->cap, sizeof(*d->tr));
	}
	tr = &d->tr[d->ntr++];
	memset(tr, 0, sizeof(*tr));
	tr->trial = trial;
	tr->vals = xcalloc(RSWEEP_MAX_PARAMS, sizeof(*tr->vals));
	return tr;
}

static void
rsweep_better(const struct rsweep_show *d, struct rtrial *tr, double v)
{
	if (!tr->have_best || (d->s.minimize ? v < tr->best : v > tr->best)) {
		tr->best = v;
		tr->have_best = 1;
	}
}

static void
rsweep_trial_event(struct rsweep_show *d, struct rtrial *tr, const json_t *o)
{
	char *s;
	double m;
	int64_t step = rsweep_int(o, "step", -1);

	if ((s = rsweep_str(o, "state")) != NULL) {
		free(tr->state);
		tr->state = s;
	}
	if (rsweep_int(o, "job", 0) > 0)
		tr->job = rsweep_int(o, "job", 0);
	if ((s = rsweep_str(o, "stopped_early")) != NULL) {
		free(tr->stopped);
		tr->stopped = s;
	}
	if (!rsweep_num(o, "metric", &m))
		return;
	if (tr->np > 0 && step >= 0 && (double)step == tr->px[tr->np - 1])
		tr->py[tr->np - 1] = m;
	else if (step >= 0 && (tr->np == 0 || step > tr->px[tr->np - 1]))
		rsweep_point(tr, (double)step, m);
	tr->have_metric = 1;
	tr->metric = m;
	if (step >= 0) {
		tr->have_step = 1;
		tr->step = step;
	}
	rsweep_better(d, tr, m);
}

int
rsweep_show_trial(struct rsweep_show *d, const json_t *data)
{
	int64_t trial = rsweep_int(data, "trial", 0);
	struct rtrial *tr;
	int fresh = 0;

	if (!d->have || rsweep_int(data, "sweep", 0) != d->s.id || trial <= 0)
		return 0;
	if ((tr = rsweep_show_find(d, trial)) == NULL) {
		if ((tr = rsweep_show_add(d, trial)) == NULL)
			return 0;
		fresh = 1;
	}
	rsweep_trial_event(d, tr, data);
	d->gen++;
	return fresh ? 2 : 1;
}

long
rsweep_show_best(const struct rsweep_show *d)
{
	long best = -1;
	double v, bv = 0;
	size_t i;

	for (i = 0; i < d->ntr; i++) {
		if (!d->tr[i].have_best && !d->tr[i].have_metric)
			continue;
		v = d->tr[i].have_best ? d->tr[i].best : d->tr[i].metric;
		if (best < 0 || (d->s.minimize ? v < bv : v > bv)) {
			best = (long)i;
			bv = v;
		}
	}
	return best;
}

int
rsweep_show_range(const struct rsweep_show *d, double *lo, double *hi)
{
	size_t i, k;
	int any = 0;

	for (i = 0; i < d->ntr; i++)
		for (k = 0; k < d->tr[i].np; k++) {
			if (!any || d->tr[i].py[k] < *lo)
				*lo = d->tr[i].py[k];
			if (!any || d->tr[i].py[k] > *hi)
				*hi = d->tr[i].py[k];
			any = 1;
		}
	return any;
}

size_t
rsweep_curve(const struct rtrial *tr, double lo, double hi, uint8_t *v,
    size_t n)
{
	size_t i, first = tr->np > n ? tr->np - n : 0;
	double f;

	for (i = first; i < tr->np; i++) {
		f = hi > lo ? (tr->py[i] - lo) / (hi - lo) : 0.5;
		f = f < 0 ? 0 : f > 1 ? 1 : f;
		/* 1..100: a point at the bottom still shows as a dot. */
		v[i - first] = (uint8_t)(1 + f * 99 + 0.5);
	}
	return tr->np - first;
}
