/*
 * Sweeps, trials and metric points in the store (core/store/store-sweep.c)
 * against a real SQLite file in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "core/store/store-sweep.h"
#include "core/store/store.h"

struct fixture {
	char dir[64];
	char *path;
	struct store *st;
};

/* What the load walks handed over. */
struct got {
	struct store_sweep *sweeps[8];
	struct store_trial *trials[16];
	size_t nsweeps, ntrials;
	struct store_point points[64];
	size_t npoints;
};

static int
setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/gpuq-store-sweep-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	f->path = xasprintf("%s/gpuq.db", f->dir);
	if (store_open(f->path, 0, &f->st, NULL) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char *p;

	store_close(f->st);
	unlink(f->path);
	p = xasprintf("%s-wal", f->path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", f->path);
	unlink(p);
	free(p);
	rmdir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

static int
got_sweep(struct store_sweep *s, void *arg)
{
	struct got *g = arg;

	assert_true(g->nsweeps < 8);
	g->sweeps[g->nsweeps++] = s;
	return 0;
}

static int
got_trial(struct store_trial *t, void *arg)
{
	struct got *g = arg;

	assert_true(g->ntrials < 16);
	g->trials[g->ntrials++] = t;
	return 0;
}

static void
got_point(const struct store_point *p, void *arg)
{
	struct got *g = arg;

	assert_true(g->npoints < 64);
	g->points[g->npoints++] = *p;
}

static void
got_free(struct got *g)
{
	size_t i;

	for (i = 0; i < g->nsweeps; i++)
		store_sweep_free(g->sweeps[i]);
	for (i = 0; i < g->ntrials; i++)
		store_trial_free(g->trials[i]);
	memset(g, 0, sizeof(*g));
}

/* Text the records point to (they do not own it here). */
static char t_lr[] = "lr", t_alice[] = "alice", t_vision[] = "vision",
            t_spec[] = "{\"method\":\"grid\"}", t_rng[] = "[]",
            t_home[] = "/home/alice", t_env[] = "{\"A\":\"1\"}",
            t_params[] = "{\"lr\":0.1}", t_pending[] = "PENDING",
            t_running[] = "running", t_stopped[] = "stopped", t_done[] = "done",
            t_why[] = "hyperband: at step 9",
            t_reason[] = "sweep stopped by alice";

static void
sweep_init(struct store_sweep *s, int64_t id, char *state)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->name = t_lr;
	s->user = t_alice;
	s->uid = 1000;
	s->gid = 1000;
	s->project = t_vision;
	s->state = state;
	s->spec = t_spec;
	s->seed = 42;
	s->rng = t_rng;
	s->workdir = t_home;
	s->env = t_env;
	s->created = 100;
	s->next_trial = 1;
}

static void
trial_init(struct store_trial *t, int64_t sweep, int64_t trial, int64_t job)
{
	memset(t, 0, sizeof(*t));
	t->sweep_id = sweep;
	t->trial = trial;
	t->job_id = job;
	t->params = t_params;
	t->state = t_pending;
	t->stride = 1;
}

/* Rows come back as written, NULLs as "not present". */
static void
test_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct store_sweep s;
	struct store_trial t;
	struct got g = { 0 };

	sweep_init(&s, 1, t_running);
	s.reason = NULL;
	trial_init(&t, 1, 1, 7);
	t.has_step = t.has_last = 1;
	t.step = 9;
	t.last = 0.25;
	t.stopped_early = t_why;
	t.metrics_off = 1234;
	t.stdout_off = 99;
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_sweep_put(f->st, &s), 0);
	assert_int_equal(store_trial_put(f->st, &t), 0);
	assert_int_equal(store_commit(f->st), 0);
	assert_int_equal(store_sweep_load_all(f->st, got_sweep, &g), 0);
	assert_int_equal(store_trial_load_all(f->st, got_trial, &g), 0);
	assert_int_equal(g.nsweeps, 1);
	assert_string_equal(g.sweeps[0]->env, "{\"A\":\"1\"}");
	assert_int_equal(g.sweeps[0]->seed, 42);
	assert_null(g.sweeps[0]->reason);
	assert_int_equal(g.ntrials, 1);
	assert_int_equal(g.trials[0]->job_id, 7);
	assert_true(g.trials[0]->has_step && g.trials[0]->has_last);
	assert_false(g.trials[0]->has_best);
	assert_true(g.trials[0]->last == 0.25);
	assert_string_equal(g.trials[0]->stopped_early, "hyperband: at step 9");
	assert_null(g.trials[0]->metrics);
	assert_int_equal(g.trials[0]->metrics_off, 1234);
	assert_int_equal(g.trials[0]->stdout_off, 99);
	got_free(&g);
}

/*
 * Writing a sweep again (its state, its next trial) keeps its trials: a
 * replace would delete the row first and take them with it.
 */
static void
test_update_keeps_trials(void **state)
{
	struct fixture *f = *state;
	struct store_sweep s;
	struct store_trial t;
	struct got g = { 0 };
	int64_t i;

	sweep_init(&s, 3, t_running);
	store_begin(f->st);
	assert_int_equal(store_sweep_put(f->st, &s), 0);
	for (i = 1; i <= 3; i++) {
		trial_init(&t, 3, i, 10 + i);
		assert_int_equal(store_trial_put(f->st, &t), 0);
		s.next_trial = i + 1;
		assert_int_equal(store_sweep_put(f->st, &s), 0);
	}
	s.state = t_stopped;
	s.reason = t_reason;
	assert_int_equal(store_sweep_put(f->st, &s), 0);
	assert_int_equal(store_commit(f->st), 0);
	store_sweep_load_all(f->st, got_sweep, &g);
	store_trial_load_all(f->st, got_trial, &g);
	assert_int_equal(g.nsweeps, 1);
	assert_string_equal(g.sweeps[0]->state, "stopped");
	assert_string_equal(g.sweeps[0]->reason, "sweep stopped by alice");
	assert_int_equal(g.sweeps[0]->next_trial, 4);
	assert_int_equal(g.ntrials, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(g.trials[i]->trial, i + 1);
	got_free(&g);
}

/* Trials come back by sweep, then trial number; a job has one trial. */
static void
test_order_and_unique_job(void **state)
{
	struct fixture *f = *state;
	struct store_sweep s;
	struct store_trial t;
	struct got g = { 0 };

	store_begin(f->st);
	sweep_init(&s, 2, t_running);
	store_sweep_put(f->st, &s);
	sweep_init(&s, 1, t_done);
	store_sweep_put(f->st, &s);
	trial_init(&t, 2, 2, 5);
	store_trial_put(f->st, &t);
	trial_init(&t, 1, 1, 3);
	store_trial_put(f->st, &t);
	trial_init(&t, 2, 1, 4);
	store_trial_put(f->st, &t);
	trial_init(&t, 1, 2, 4); /* job 4 is trial 1 of sweep 2 already */
	assert_int_not_equal(store_trial_put(f->st, &t), 0);
	store_commit(f->st);
	store_sweep_load_all(f->st, got_sweep, &g);
	store_trial_load_all(f->st, got_trial, &g);
	assert_int_equal(g.nsweeps, 2);
	assert_int_equal(g.sweeps[0]->id, 1);
	assert_int_equal(g.ntrials, 3);
	assert_int_equal(g.trials[0]->sweep_id, 1);
	assert_int_equal(g.trials[1]->sweep_id, 2);
	assert_int_equal(g.trials[1]->trial, 1);
	assert_int_equal(g.trials[2]->trial, 2);
	got_free(&g);
}

/* Thinning keeps the points whose seq is a multiple of the stride. */
static void
test_points_thin(void **state)
{
	struct fixture *f = *state;
	struct store_point p[10];
	struct store_sweep s;
	struct got g = { 0 };
	int64_t i;

	for (i = 0; i < 10; i++) {
		p[i].seq = i;
		p[i].step = 100 + i;
		p[i].value = (double)i / 4;
	}
	store_begin(f->st);
	sweep_init(&s, 1, t_running);
	store_sweep_put(f->st, &s);
	assert_int_equal(store_point_add(f->st, 1, 1, p, 10), 0);
	assert_int_equal(store_point_add(f->st, 1, 2, p, 3), 0);
	assert_int_equal(store_point_thin(f->st, 1, 1, 4), 0);
	store_commit(f->st);
	assert_int_equal(store_point_each(f->st, 1, 1, got_point, &g), 0);
	assert_int_equal(g.npoints, 3);
	assert_int_equal(g.points[0].seq, 0);
	assert_int_equal(g.points[1].seq, 4);
	assert_int_equal(g.points[2].seq, 8);
	assert_int_equal(g.points[2].step, 108);
	assert_true(g.points[2].value == 2.0);
	g.npoints = 0;
	store_point_each(f->st, 1, 2, got_point, &g);
	assert_int_equal(g.npoints, 3);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip),
		T(test_update_keeps_trials),
		T(test_order_and_unique_job),
		T(test_points_thin),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
