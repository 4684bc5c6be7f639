/*
 * Sweeps, trials and metric points in the store (see store-sweep.h).
 * These statements run a few times per loop turn at most, so each is
 * prepared where it is used rather than cached in store.c.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "core/store/store-int.h"
#include "core/store/store-sweep.h"
#include "core/store/store.h"

#define STORE_SWEEP_COLS                                                       \
	"id, name, user, uid, gid, project, state, spec, seed, rng, "          \
	"workdir, env, created, ended, reason, next_trial"
#define STORE_TRIAL_COLS                                                       \
	"sweep_id, trial, job_id, params, state, step, last, best, metrics, "  \
	"stopped_early, npoints, seq, stride, dropped, metrics_off, "          \
	"stdout_off"

static int
store_sweep_bind_real(sqlite3_stmt *s, int param, int present, double v)
{
	return present ? sqlite3_bind_double(s, param, v) :
	                 sqlite3_bind_null(s, param);
}

int
store_sweep_put(struct store *st, const struct store_sweep *w)
{
	sqlite3_stmt *s;
	int e;

	/*
	 * An upsert, not INSERT OR REPLACE: a replace deletes the row first,
	 * and the foreign key would take the sweep's trials with it.
	 */
	if (store_prepare(st,
	        "INSERT INTO sweeps (" STORE_SWEEP_COLS ") VALUES "
	        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
	        "?15, ?16) ON CONFLICT (id) DO UPDATE SET state = "
	        "excluded.state,"
	        " spec = excluded.spec, rng = excluded.rng,"
	        " ended = excluded.ended, reason = excluded.reason,"
	        " next_trial = excluded.next_trial",
	        &s) != 0)
		return GQ_EIO;
	e = store_bind_i64(s, 1, w->id);
	e |= store_bind_text(s, 2, w->name);
	e |= store_bind_text(s, 3, w->user);
	e |= store_bind_i64(s, 4, w->uid);
	e |= store_bind_i64(s, 5, w->gid);
	e |= store_bind_text(s, 6, w->project);
	e |= store_bind_text(s, 7, w->state);
	e |= store_bind_text(s, 8, w->spec);
	e |= store_bind_i64(s, 9, w->seed);
	e |= store_bind_text(s, 10, w->rng);
	e |= store_bind_text(s, 11, w->workdir);
	e |= store_bind_text(s, 12, w->env);
	e |= store_bind_i64(s, 13, w->created);
	e |= store_bind_i64(s, 14, w->ended);
	e |= store_bind_text(s, 15, w->reason);
	e |= store_bind_i64(s, 16, w->next_trial);
	return store_run_once(st, s, e, "write sweep");
}

static int
store_trial_bind_metrics(sqlite3_stmt *s, const struct store_trial *t)
{
	int e;

	e = t->has_step ? store_bind_i64(s, 6, t->step) :
	                  sqlite3_bind_null(s, 6);
	e |= store_sweep_bind_real(s, 7, t->has_last, t->last);
	e |= store_sweep_bind_real(s, 8, t->has_best, t->best);
	e |= store_bind_text(s, 9, t->metrics);
	e |= store_bind_text(s, 10, t->stopped_early);
	e |= store_bind_i64(s, 11, t->npoints);
	e |= store_bind_i64(s, 12, t->seq);
	e |= store_bind_i64(s, 13, t->stride);
	e |= store_bind_i64(s, 14, t->dropped);
	e |= store_bind_i64(s, 15, t->metrics_off);
	e |= store_bind_i64(s, 16, t->stdout_off);
	return e;
}

int
store_trial_put(struct store *st, const struct store_trial *t)
{
	sqlite3_stmt *s;
	int e;

	/* A job runs one trial: another trial's job_id is an error. */
	if (store_prepare(st,
	        "INSERT INTO sweep_trials (" STORE_TRIAL_COLS ") "
	        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
	        "?13, "
	        "?14, ?15, ?16) ON CONFLICT (sweep_id, trial) DO UPDATE SET"
	        " job_id = excluded.job_id, params = excluded.params,"
	        " state = excluded.state, step = excluded.step,"
	        " last = excluded.last, best = excluded.best,"
	        " metrics = excluded.metrics,"
	        " stopped_early = excluded.stopped_early,"
	        " npoints = excluded.npoints, seq = excluded.seq,"
	        " stride = excluded.stride, dropped = excluded.dropped,"
	        " metrics_off = excluded.metrics_off,"
	        " stdout_off = excluded.stdout_off",
	        &s) != 0)
		return GQ_EIO;
	e = store_bind_i64(s, 1, t->sweep_id);
	e |= store_bind_i64(s, 2, t->trial);
	e |= store_bind_i64(s, 3, t->job_id);
	e |= store_bind_text(s, 4, t->params);
	e |= store_bind_text(s, 5, t->state);
	e |= store_trial_bind_metrics(s, t);
	return store_run_once(st, s, e, "write sweep trial");
}

void
store_sweep_free(struct store_sweep *w)
{
	if (w == NULL)
		return;
	free(w->name);
	free(w->user);
	free(w->project);
	free(w->state);
	free(w->spec);
	free(w->rng);
	free(w->workdir);
	free(w->env);
	free(w->reason);
	free(w);
}

void
store_trial_free(struct store_trial *t)
{
	if (t == NULL)
		return;
	free(t->params);
	free(t->state);
	free(t->metrics);
	free(t->stopped_early);
	free(t);
}

/* A text column that must not be NULL: "" in its place. */
static char *
store_sweep_col(sqlite3_stmt *s, int col)
{
	char *v = store_col_dup(s, col);

	return v != NULL ? v : xstrdup("");
}

static struct store_sweep *
store_sweep_decode(sqlite3_stmt *s)
{
	struct store_sweep *w = xcalloc(1, sizeof(*w));

	w->id = sqlite3_column_int64(s, 0);
	w->name = store_sweep_col(s, 1);
	w->user = store_sweep_col(s, 2);
	w->uid = sqlite3_column_int64(s, 3);
	w->gid = sqlite3_column_int64(s, 4);
	w->project = store_sweep_col(s, 5);
	w->state = store_sweep_col(s, 6);
	w->spec = store_sweep_col(s, 7);
	w->seed = sqlite3_column_int64(s, 8);
	w->rng = store_sweep_col(s, 9);
	w->workdir = store_sweep_col(s, 10);
	w->env = store_sweep_col(s, 11);
	w->created = sqlite3_column_int64(s, 12);
	w->ended = sqlite3_column_int64(s, 13);
	w->reason = store_col_dup(s, 14);
	w->next_trial = sqlite3_column_int64(s, 15);
	return w;
}

static int
store_sweep_null(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL;
}

static struct store_trial *
store_trial_decode(sqlite3_stmt *s)
{
	struct store_trial *t = xcalloc(1, sizeof(*t));

	t->sweep_id = sqlite3_column_int64(s, 0);
	t->trial = sqlite3_column_int64(s, 1);
	t->job_id = sqlite3_column_int64(s, 2);
	t->params = store_sweep_col(s, 3);
	t->state = store_sweep_col(s, 4);
	t->has_step = !store_sweep_null(s, 5);
	t->step = sqlite3_column_int64(s, 5);
	t->has_last = !store_sweep_null(s, 6);
	t->last = sqlite3_column_double(s, 6);
	t->has_best = !store_sweep_null(s, 7);
	t->best = sqlite3_column_double(s, 7);
	t->metrics = store_col_dup(s, 8);
	t->stopped_early = store_col_dup(s, 9);
	t->npoints = sqlite3_column_int64(s, 10);
	t->seq = sqlite3_column_int64(s, 11);
	t->stride = sqlite3_column_int64(s, 12);
	t->dropped = sqlite3_column_int64(s, 13);
	t->metrics_off = sqlite3_column_int64(s, 14);
	t->stdout_off = sqlite3_column_int64(s, 15);
	return t;
}

/* The caller's callbacks, for the row handlers below. */
struct store_sweep_cb {
	int (*sweep)(struct store_sweep *s, void *arg);
	int (*trial)(struct store_trial *t, void *arg);
	void *arg;
};

static int
store_sweep_row(sqlite3_stmt *s, const struct store_sweep_cb *cb)
{
	return cb->sweep != NULL ? cb->sweep(store_sweep_decode(s), cb->arg) :
	                           cb->trial(store_trial_decode(s), cb->arg);
}

/* Steps through a query, handing each decoded row to a callback. */
static int
store_sweep_walk(struct store *st, const char *sql,
    const struct store_sweep_cb *cb)
{
	sqlite3_stmt *s;
	int src = SQLITE_DONE, rc = 0;

	if (store_prepare(st, sql, &s) != 0)
		return GQ_EIO;
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW)
		rc = store_sweep_row(s, cb);
	if (rc == 0 && src != SQLITE_DONE)
		rc = store_fail(st, "read sweeps", NULL);
	sqlite3_finalize(s);
	return rc;
}

int
store_sweep_load_all(struct store *st,
    int (*cb)(struct store_sweep *s, void *arg), void *arg)
{
	struct store_sweep_cb c = { cb, NULL, arg };

	return store_sweep_walk(st,
	    "SELECT " STORE_SWEEP_COLS " FROM sweeps ORDER BY id", &c);
}

int
store_trial_load_all(struct store *st,
    int (*cb)(struct store_trial *t, void *arg), void *arg)
{
	struct store_sweep_cb c = { NULL, cb, arg };

	return store_sweep_walk(st,
	    "SELECT " STORE_TRIAL_COLS " FROM sweep_trials"
	    " ORDER BY sweep_id, trial",
	    &c);
}

int
store_point_add(struct store *st, int64_t sweep_id, int64_t trial,
    const struct store_point *p, size_t n)
{
	sqlite3_stmt *s;
	size_t i;
	int e, rc = 0;

	if (n == 0)
		return 0;
	if (store_prepare(st,
	        "INSERT OR REPLACE INTO sweep_points (sweep_id, trial, seq, "
	        "step,"
	        " value) VALUES (?1, ?2, ?3, ?4, ?5)",
	        &s) != 0)
		return GQ_EIO;
	for (i = 0; i < n && rc == 0; i++) {
		e = store_bind_i64(s, 1, sweep_id);
		e |= store_bind_i64(s, 2, trial);
		e |= store_bind_i64(s, 3, p[i].seq);
		e |= store_bind_i64(s, 4, p[i].step);
		e |= sqlite3_bind_double(s, 5, p[i].value);
		rc = store_run(st, s, e, "write metric point");
	}
	sqlite3_finalize(s);
	return rc;
}

int
store_point_thin(struct store *st, int64_t sweep_id, int64_t trial,
    int64_t stride)
{
	sqlite3_stmt *s;
	int e;

	if (stride <= 1)
		return 0;
	if (store_prepare(st,
	        "DELETE FROM sweep_points WHERE sweep_id = ?1 AND trial = ?2"
	        " AND seq % ?3 != 0",
	        &s) != 0)
		return GQ_EIO;
	e = store_bind_i64(s, 1, sweep_id);
	e |= store_bind_i64(s, 2, trial);
	e |= store_bind_i64(s, 3, stride);
	return store_run_once(st, s, e, "thin metric points");
}

int
store_point_each(struct store *st, int64_t sweep_id, int64_t trial,
    void (*cb)(const struct store_point *p, void *arg), void *arg)
{
	sqlite3_stmt *s;
	struct store_point p;
	int src = SQLITE_DONE, rc = 0;

	if (store_prepare(st,
	        "SELECT seq, step, value FROM sweep_points"
	        " WHERE sweep_id = ?1 AND trial = ?2 ORDER BY seq",
	        &s) != 0)
		return GQ_EIO;
	if (store_bind_i64(s, 1, sweep_id) != SQLITE_OK ||
	    store_bind_i64(s, 2, trial) != SQLITE_OK)
		rc = store_fail(st, "read metric points", NULL);
	while (rc == 0 && (src = sqlite3_step(s)) == SQLITE_ROW) {
		p.seq = sqlite3_column_int64(s, 0);
		p.step = sqlite3_column_int64(s, 1);
		p.value = sqlite3_column_double(s, 2);
		cb(&p, arg);
	}
	if (rc == 0 && src != SQLITE_DONE)
		rc = store_fail(st, "read metric points", NULL);
	sqlite3_finalize(s);
	return rc;
}
