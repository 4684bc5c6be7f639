/*
 * The sweep runner: the table of sweeps, loading it back after a restart,
 * and the turn that runs before each plan (sweepd.h says why there).
 *
 * A trial's row and its job are written in the same transaction (the
 * turn's), so a daemon killed at any moment finds either both or neither:
 * no trial is lost and none is started twice.  Each trial's parameters
 * come from a generator derived from the sweep's seed and the trial's
 * number, so a trial proposed again after a crash is the same trial.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/daemon/sweepd.h"

struct sweepd *
sweepd_table(struct daemon *d)
{
	if (d->sweepd == NULL) {
		d->sweepd = xcalloc(1, sizeof(*d->sweepd));
		d->sweepd->next_id = 1;
	}
	return d->sweepd;
}

struct sweep *
sweepd_find(struct daemon *d, int64_t id)
{
	struct sweepd *sd = sweepd_table(d);
	size_t lo = 0, hi = sd->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sd->sweeps[mid]->rec.id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sd->n && sd->sweeps[lo]->rec.id == id ? sd->sweeps[lo] :
	                                                    NULL;
}

void
sweepd_add(struct daemon *d, struct sweep *sw)
{
	struct sweepd *sd = sweepd_table(d);

	if (sd->n == sd->cap) {
		sd->cap = sd->cap ? sd->cap * 2 : 16;
		sd->sweeps =
		    xreallocarray(sd->sweeps, sd->cap, sizeof(*sd->sweeps));
	}
	sd->sweeps[sd->n++] = sw;
	if (sw->rec.id >= sd->next_id)
		sd->next_id = sw->rec.id + 1;
}

struct sweepd_link *
sweepd_link_find(struct daemon *d, int64_t job_id)
{
	struct sweepd *sd = d->sweepd;
	size_t lo = 0, hi, mid;

	if (sd == NULL)
		return NULL;
	hi = sd->nlinks;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sd->links[mid].job_id < job_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sd->nlinks && sd->links[lo].job_id == job_id ?
	    &sd->links[lo] :
	    NULL;
}

static int
sweepd_link_cmp(const void *a, const void *b)
{
	const struct sweepd_link *x = a, *y = b;

	return x->job_id < y->job_id ? -1 : x->job_id > y->job_id;
}

/* Links a trial's job; job ids only grow, so appending keeps the order. */
static void
sweepd_link_add(struct daemon *d, struct sweep *sw, struct strial *tr)
{
	struct sweepd *sd = sweepd_table(d);
	struct sweepd_link *l;

	if (sd->nlinks == sd->cap_links) {
		sd->cap_links = sd->cap_links ? sd->cap_links * 2 : 64;
		sd->links =
		    xreallocarray(sd->links, sd->cap_links, sizeof(*sd->links));
	}
	l = &sd->links[sd->nlinks++];
	l->job_id = tr->rec.job_id;
	l->sw = sw;
	l->tr = tr;
	if (sd->nlinks > 1 && l[-1].job_id > l->job_id)
		qsort(sd->links, sd->nlinks, sizeof(*sd->links),
		    sweepd_link_cmp);
}

void
sweepd_trial_add(struct daemon *d, struct sweep *sw, struct strial *tr)
{
	if (sw->ntrials == sw->cap) {
		sw->cap = sw->cap ? sw->cap * 2 : 16;
		sw->trials =
		    xreallocarray(sw->trials, sw->cap, sizeof(*sw->trials));
	}
	sw->trials[sw->ntrials++] = tr;
	sweepd_link_add(d, sw, tr);
}

void
sweepd_sweep_free(struct sweep *sw)
{
	size_t i;

	if (sw == NULL)
		return;
	for (i = 0; i < sw->ntrials; i++)
		sweepd_trial_free(sw->trials[i]);
	free(sw->trials);
	sweep_spec_free(sw->spec);
	free(sw->rec.name);
	free(sw->rec.user);
	free(sw->rec.project);
	free(sw->rec.state);
	free(sw->rec.spec);
	free(sw->rec.rng);
	free(sw->rec.workdir);
	free(sw->rec.env);
	free(sw->rec.reason);
	free(sw);
}

void
sweepd_free(struct daemon *d)
{
	struct sweepd *sd = d->sweepd;
	size_t i;

	if (sd == NULL)
		return;
	for (i = 0; i < sd->n; i++)
		sweepd_sweep_free(sd->sweeps[i]);
	free(sd->sweeps);
	free(sd->links);
	free(sd->as);
	free(sd);
	d->sweepd = NULL;
}

int64_t
sweepd_budget(const struct sweep_spec *s)
{
	int64_t g;

	if (s->method != SWEEP_GRID)
		return s->trials > 0 ? s->trials : -1;
	g = sweep_grid_size(s);
	if (g < 0)
		g = 0;
	return s->trials > 0 && s->trials < g ? s->trials : g;
}

static int
sweepd_load_sweep(struct store_sweep *rec, void *arg)
{
	struct daemon *d = arg;
	struct sweep *sw = xcalloc(1, sizeof(*sw));
	char *cause = NULL;

	sw->rec = *rec;
	free(rec);
	if (sweep_spec_loads(sw->rec.spec, &sw->spec, &cause) != 0) {
		log_error("sweep %lld: its stored spec does not load (%s); "
		          "it is stopped",
		    (long long)sw->rec.id, cause ? cause : "?");
		free(cause);
		sw->spec = NULL;
		if (strcmp(sw->rec.state, "running") == 0 ||
		    strcmp(sw->rec.state, "paused") == 0) {
			free(sw->rec.state);
			sw->rec.state = xstrdup("stopped");
		}
	}
	sw->budget = sw->spec != NULL ? sweepd_budget(sw->spec) : 0;
	sweepd_add(d, sw);
	return 0;
}

static void
sweepd_load_point(const struct store_point *p, void *arg)
{
	struct strial **a = arg;

	sweepd_curve_add((struct sweep *)a[0], a[1], p->step, p->value);
}

static int
sweepd_load_trial(struct store_trial *rec, void *arg)
{
	struct daemon *d = arg;
	struct sweep *sw = sweepd_find(d, rec->sweep_id);
	struct strial *tr;
	void *pa[2];

	if (sw == NULL || sw->spec == NULL ||
	    rec->trial != (int64_t)sw->ntrials + 1) {
		store_trial_free(rec);
		return 0;
	}
	tr = xcalloc(1, sizeof(*tr));
	tr->rec = *rec;
	free(rec);
	if (sweep_point_loads(sw->spec, tr->rec.params, &tr->point, NULL) != 0)
		sweep_point_init(&tr->point, 0);
	tr->metrics = tr->rec.metrics != NULL ?
	    json_loads(tr->rec.metrics, 0, NULL) :
	    NULL;
	if (!json_is_object(tr->metrics)) {
		json_decref(tr->metrics);
		tr->metrics = json_object();
	}
	sweepd_trial_add(d, sw, tr);
	pa[0] = sw;
	pa[1] = tr;
	store_point_each(d->store, sw->rec.id, tr->rec.trial, sweepd_load_point,
	    pa);
	return 0;
}

void
sweepd_load(struct daemon *d)
{
	struct sweepd *sd = sweepd_table(d);

	store_sweep_load_all(d->store, sweepd_load_sweep, d);
	store_trial_load_all(d->store, sweepd_load_trial, d);
	if (sd->n > 0)
		log_info("%zu sweeps, %zu trials", sd->n, sd->nlinks);
}

enum sweep_trial_state
sweepd_trial_state(struct daemon *d, const struct strial *tr)
{
	const struct job *j = jobs_find(d, tr->rec.job_id);

	if (tr->rec.stopped_early != NULL)
		return SWEEP_T_STOPPED;
	if (j == NULL)
		return SWEEP_T_CANCELLED;
	switch (j->core.state) {
	case JOB_PENDING:
		return SWEEP_T_PENDING;
	case JOB_COMPLETED:
		return SWEEP_T_DONE;
	case JOB_FAILED:
	case JOB_TIMEOUT:
		return tr->rec.has_last ? SWEEP_T_DONE : SWEEP_T_FAILED;
	case JOB_CANCELLED:
		return SWEEP_T_CANCELLED;
	default:
		return SWEEP_T_RUNNING;
	}
}

/* 1 while the trial's job has not ended. */
static int
sweepd_trial_running(struct daemon *d, const struct strial *tr)
{
	const struct job *j = jobs_find(d, tr->rec.job_id);

	return j != NULL && !model_state_final(j->core.state);
}

int
sweepd_trial_live(struct daemon *d, const struct strial *tr)
{
	const struct job *j = jobs_find(d, tr->rec.job_id);

	/* A trial being swapped out comes back: it still counts. */
	return j != NULL && !model_state_final(j->core.state) &&
	    tr->rec.stopped_early == NULL &&
	    (j->end_intent == 0 || j->end_intent == JOB_INTENT_REQUEUE);
}

struct sweep_trial *
sweepd_engine_trials(struct daemon *d, struct sweep *sw)
{
	struct sweep_trial *t;
	struct strial *tr;
	size_t i;

	t = xcalloc(sw->ntrials + 1, sizeof(*t));
	for (i = 0; i < sw->ntrials; i++) {
		tr = sw->trials[i];
		t[i].id = (int64_t)i;
		t[i].state = sweepd_trial_state(d, tr);
		t[i].point = tr->point.n > 0 ? &tr->point : NULL;
		t[i].has_metric = tr->rec.has_last;
		t[i].metric = tr->rec.last;
		t[i].curve = tr->curve;
		t[i].ncurve = tr->ncurve;
	}
	return t;
}

void
sweepd_save(struct daemon *d, struct sweep *sw)
{
	store_begin(d->store);
	store_sweep_put(d->store, &sw->rec);
}

void
sweepd_trial_save(struct daemon *d, struct strial *tr)
{
	if (tr->metrics != NULL) {
		free(tr->rec.metrics);
		tr->rec.metrics = json_dumps(tr->metrics, JSON_COMPACT);
	}
	store_begin(d->store);
	store_trial_put(d->store, &tr->rec);
	tr->dirty = 0;
}

struct strial *
sweepd_best(const struct sweep *sw)
{
	struct strial *best = NULL, *tr;
	size_t i;

	for (i = 0; i < sw->ntrials; i++) {
		tr = sw->trials[i];
		if (tr->rec.has_best &&
		    (best == NULL ||
		        sweepd_better(sw, tr->rec.best, best->rec.best)))
			best = tr;
	}
	return best;
}

static int
sweepd_state_final(const char *state)
{
	return strcmp(state, "stopped") == 0 || strcmp(state, "done") == 0;
}

/* Cancels every trial whose job has not ended. */
static void
sweepd_cancel_trials(struct daemon *d, struct sweep *sw, int64_t now,
    const char *reason)
{
	struct job *j;
	size_t i;

	for (i = sw->first_live; i < sw->ntrials; i++) {
		j = jobs_find(d, sw->trials[i]->rec.job_id);
		if (j != NULL && !model_state_final(j->core.state))
			run_cancel(d, j, JOB_CANCELLED, now, reason);
	}
}

void
sweepd_set_state(struct daemon *d, struct sweep *sw, const char *state,
    int64_t now, const char *reason)
{
	if (strcmp(sw->rec.state, state) == 0)
		return;
	free(sw->rec.state);
	sw->rec.state = xstrdup(state);
	if (sweepd_state_final(state))
		sw->rec.ended = now;
	if (reason != NULL) {
		free(sw->rec.reason);
		sw->rec.reason = xstrdup(reason);
	}
	if (strcmp(state, "stopped") == 0)
		sweepd_cancel_trials(d, sw, now,
		    reason != NULL ? reason : "sweep stopped");
	sweepd_save(d, sw);
	sweepd_emit_state(d, sw);
	d->sched_dirty = 1;
	log_info("sweep %lld %s%s%s", (long long)sw->rec.id, state,
	    reason ? ": " : "", reason ? reason : "");
}

/*
 * Counts trials that failed in a row without reporting the metric: a
 * command that cannot run would otherwise burn through the whole budget
 * (or, unbounded, forever).
 */
static void
sweepd_count_failed(struct daemon *d, struct sweep *sw, const struct strial *tr)
{
	switch (sweepd_trial_state(d, tr)) {
	case SWEEP_T_FAILED:
		sw->nfailed++;
		break;
	case SWEEP_T_DONE:
	case SWEEP_T_STOPPED:
		sw->nfailed = 0;
		break;
	default:
		break;
	}
}

/* Brings each trial's recorded state up to its job's; emits changes. */
static void
sweepd_sync(struct daemon *d, struct sweep *sw)
{
	struct strial *tr;
	const char *name;
	size_t i;

	for (i = sw->first_live; i < sw->ntrials; i++) {
		tr = sw->trials[i];
		name = sweepd_trial_state_name(d, tr);
		if (strcmp(name, tr->rec.state) != 0) {
			free(tr->rec.state);
			tr->rec.state = xstrdup(name);
			sweepd_trial_save(d, tr);
			sweepd_emit_trial(d, sw, tr);
			sweepd_count_failed(d, sw, tr);
		}
	}
	/* Past a trial once it ended and its last metrics were read. */
	while (sw->first_live < sw->ntrials &&
	    sw->trials[sw->first_live]->drained &&
	    !sweepd_trial_running(d, sw->trials[sw->first_live]))
		sw->first_live++;
}

static size_t
sweepd_nlive(struct daemon *d, const struct sweep *sw, int *running)
{
	size_t i, n = 0;

	*running = 0;
	for (i = sw->first_live; i < sw->ntrials; i++) {
		n += sweepd_trial_live(d, sw->trials[i]);
		*running |= sweepd_trial_running(d, sw->trials[i]);
	}
	return n;
}

/* The trial that reached the file's metric.target, or NULL. */
static struct strial *
sweepd_target(const struct sweep *sw)
{
	struct strial *best = sweepd_best(sw);

	if (sw->spec == NULL || !sw->spec->has_target || best == NULL)
		return NULL;
	if (best->rec.best == sw->spec->target ||
	    sweepd_better(sw, best->rec.best, sw->spec->target))
		return best;
	return NULL;
}

/* 1 when the sweep will start no more trials. */
static int
sweepd_all_started(const struct sweep *sw)
{
	return sw->exhausted ||
	    (sw->budget >= 0 && (int64_t)sw->ntrials >= sw->budget) ||
	    sweepd_target(sw) != NULL;
}

void
sweepd_fill(struct daemon *d, struct sweep *sw, int64_t now)
{
	char *cause = NULL, why[600];
	size_t live;
	int rc, running;

	if (sw->spec == NULL || strcmp(sw->rec.state, "running") != 0)
		return;
	if (sw->nfailed >= SWEEPD_MAX_FAILED) {
		snprintf(why, sizeof(why),
		    "%d trials in a row failed without reporting %s (see "
		    "gpuq show %lld)",
		    sw->nfailed,
		    sw->spec->metric ? sw->spec->metric : "metrics",
		    (long long)sw->trials[sw->ntrials - 1]->rec.job_id);
		sweepd_set_state(d, sw, "stopped", now, why);
		return;
	}
	live = sweepd_nlive(d, sw, &running);
	while (live < (size_t)sw->spec->parallel && !sweepd_all_started(sw)) {
		rc = sweepd_trial_new(d, sw, now, &cause);
		if (rc == 0)
			sw->exhausted = 1;
		if (rc < 0) {
			snprintf(why, sizeof(why), "cannot start trial %zu: %s",
			    sw->ntrials + 1, cause ? cause : gq_err_text(rc));
			free(cause);
			sweepd_set_state(d, sw, "stopped", now, why);
			return;
		}
		live += rc > 0;
	}
}

/* A running sweep that started all it will and whose trials ended. */
static void
sweepd_check_done(struct daemon *d, struct sweep *sw, int64_t now)
{
	struct strial *t;
	char why[128];
	int running;

	if (strcmp(sw->rec.state, "running") != 0 || !sweepd_all_started(sw))
		return;
	(void)sweepd_nlive(d, sw, &running);
	/* Done once every trial ended and its last metrics were read. */
	if (running || sw->first_live < sw->ntrials)
		return;
	if ((t = sweepd_target(sw)) != NULL) {
		snprintf(why, sizeof(why), "target reached by trial %lld",
		    (long long)t->rec.trial);
		sweepd_set_state(d, sw, "done", now, why);
	} else
		sweepd_set_state(d, sw, "done", now, NULL);
}

void
sweepd_turn(struct daemon *d, int64_t now)
{
	struct sweepd *sd = d->sweepd;
	struct sweep *sw;
	size_t i;

	if (sd == NULL)
		return;
	for (i = 0; i < sd->n; i++) {
		sw = sd->sweeps[i];
		if (sw->first_live >= sw->ntrials &&
		    sweepd_state_final(sw->rec.state))
			continue;
		sweepd_sync(d, sw);
		sweepd_fill(d, sw, now);
		sweepd_sync(d, sw);
		sweepd_check_done(d, sw, now);
	}
}

/*
 * Asks the engine about a sweep's running trials and stops the losers.
 * Returns 1 when the plan should look again (a trial stopped, a target
 * may have been reached).
 */
static int
sweepd_judge(struct daemon *d, struct sweep *sw, int64_t now)
{
	struct sweep_decision *dc = NULL;
	struct sweep_trial *t;
	struct strial *tr;
	size_t i, n = 0;
	int stopped = 0;

	sw->judged = 0;
	if (sw->spec == NULL || sweepd_state_final(sw->rec.state))
		return 0;
	if (sw->spec->early.type == SWEEP_ET_NONE)
		return sw->spec->has_target;
	t = sweepd_engine_trials(d, sw);
	if (sweep_early_check(sw->spec, t, sw->ntrials, &dc, &n) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		if (dc[i].trial < 0 || (size_t)dc[i].trial >= sw->ntrials)
			continue;
		tr = sw->trials[dc[i].trial];
		if (!sweepd_trial_live(d, tr))
			continue;
		sweepd_trial_stop(d, sw, tr, &dc[i], now);
		stopped = 1;
	}
	free(dc);
	free(t);
	return stopped || sw->spec->has_target;
}

void
sweepd_tick(struct daemon *d, int64_t now)
{
	struct sweepd *sd = d->sweepd;
	int replan, got;
	size_t i;

	if (sd == NULL || sd->nlinks == 0 || (got = metrics_tick(d, now)) == 0)
		return;
	/* A trial read to its end may let its sweep be done. */
	replan = (got & METRICS_DRAINED) != 0;
	if ((got & METRICS_NEW) == 0) {
		d->sched_dirty = 1;
		daemon_kick(d);
		return;
	}
	for (i = 0; i < sd->n; i++)
		if (sd->sweeps[i]->judged)
			replan |= sweepd_judge(d, sd->sweeps[i], now);
	/* New trials take the stopped ones' room in this turn's plan. */
	if (replan)
		d->sched_dirty = 1;
	daemon_kick(d);
}

int
sweepd_params_sweep(struct daemon *d, json_t *params, struct sweep **out,
    char **cause)
{
	int64_t id;
	int rc;

	if (json_object_get(params, "id") == NULL ||
	    json_is_null(json_object_get(params, "id"))) {
		*cause = xstrdup("\"id\" is required");
		return GQ_EINVAL;
	}
	rc = params_int(params, "id", 1, PROTO_MAX_ID_PARAM, 0, &id, cause);
	if (rc != 0)
		return rc;
	if ((*out = sweepd_find(d, id)) == NULL) {
		*cause = xasprintf("no sweep %lld", (long long)id);
		return GQ_ENOENT;
	}
	return 0;
}

int
sweepd_may_change(const struct conn *c, const struct sweep *sw, char **cause)
{
	if (c->admin || strcmp(c->user, sw->rec.user) == 0)
		return 0;
	*cause = xasprintf("sweep %lld belongs to %s", (long long)sw->rec.id,
	    sw->rec.user);
	return GQ_EPERM;
}

/* Takes the last trial back out (its job could not be submitted). */
void
sweepd_trial_pop(struct daemon *d, struct sweep *sw)
{
	struct sweepd *sd = d->sweepd;
	struct sweepd_link *l;
	struct strial *tr;

	if (sw->ntrials == 0)
		return;
	tr = sw->trials[--sw->ntrials];
	if ((l = sweepd_link_find(d, tr->rec.job_id)) != NULL) {
		memmove(l, l + 1,
		    (size_t)(sd->links + sd->nlinks - (l + 1)) * sizeof(*l));
		sd->nlinks--;
	}
	sweepd_trial_free(tr);
}

int
sweepd_verb_pause_resume(struct verb_ctx *v, const char *to, json_t **result,
    char **cause)
{
	static const char *const allowed[] = { "id", NULL };
	struct sweep *sw;
	int rc;

	if ((rc = params_allow(v->params, allowed, cause)) != 0 ||
	    (rc = sweepd_params_sweep(v->d, v->params, &sw, cause)) != 0 ||
	    (rc = sweepd_may_change(v->c, sw, cause)) != 0)
		return rc;
	if (strcmp(sw->rec.state, "running") != 0 &&
	    strcmp(sw->rec.state, "paused") != 0) {
		*cause = xasprintf("sweep %lld is %s", (long long)sw->rec.id,
		    sw->rec.state);
		return GQ_ESTATE;
	}
	sweepd_set_state(v->d, sw, to, v->now, NULL);
	/* A resumed sweep's trials join this request's transaction. */
	if (strcmp(to, "running") == 0)
		sweepd_turn(v->d, v->now);
	*result = json_pack("{s:o}", "sweep", sweepd_json_sweep(v->d, sw, 0));
	return 0;
}
