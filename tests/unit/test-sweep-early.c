/*
 * Early termination: hyperband's rungs and decisions, the median rule,
 * on synthetic learning curves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/sweep/sweep.h"

#define MAXT 16
#define MAXS 64

struct world {
	struct sweep_spec *s;
	struct sweep_trial t[MAXT];
	struct sweep_obs obs[MAXT][MAXS];
	size_t n;
};

static void
world_init(struct world *w, const char *early, const char *goal)
{
	char text[512];
	char *cause = NULL;

	memset(w, 0, sizeof(*w));
	snprintf(text, sizeof(text),
	    "program: t\nmethod: random\nparameters: {a: {values: [1]}}\n"
	    "metric: {name: loss, goal: %s}\nearly_terminate: %s\n",
	    goal, early);
	if (sweep_parse("e.yaml", text, strlen(text), SWEEP_YAML, &w->s,
	        &cause) != 0)
		fail_msg("%s", cause);
}

/* Adds a running trial whose metric at step k is base + 1 / k. */
static struct sweep_trial *
world_add(struct world *w, double base, int steps)
{
	struct sweep_trial *t = &w->t[w->n];

	t->id = (int64_t)w->n;
	t->state = SWEEP_T_RUNNING;
	for (int k = 1; k <= steps; k++) {
		w->obs[w->n][k - 1].step = k;
		w->obs[w->n][k - 1].value = base + 1.0 / k;
	}
	t->curve = w->obs[w->n];
	t->ncurve = (size_t)steps;
	t->has_metric = steps > 0;
	t->metric = steps > 0 ? base + 1.0 / steps : 0;
	w->n++;
	return t;
}

static void
test_rungs(void **state)
{
	struct sweep_early e = { .type = SWEEP_ET_HYPERBAND, .eta = 3 };
	int64_t r[8];

	e.min_iter = 3;
	assert_int_equal(sweep_hyperband_rungs(&e, r, 4), 39); /* to 3^39 */
	assert_true(r[0] == 3 && r[1] == 9 && r[2] == 27 && r[3] == 81);
	e.max_iter = 100;
	assert_int_equal(sweep_hyperband_rungs(&e, r, 8), 4);
	assert_int_equal(r[3], 81);
	e.min_iter = 0;
	e.max_iter = 81;
	e.s = 3;
	assert_int_equal(sweep_hyperband_rungs(&e, r, 8), 3);
	assert_true(r[0] == 3 && r[1] == 9 && r[2] == 27);
	e.max_iter = 27;
	e.s = 2;
	e.eta = 2;
	assert_int_equal(sweep_hyperband_rungs(&e, r, 8), 2);
	assert_true(r[0] == 6 && r[1] == 13);
}

static void
test_hyperband_cut(void **state)
{
	struct world w;
	struct sweep_decision *d, one;
	size_t nd, i;

	world_init(&w, "{type: hyperband, min_iter: 3, eta: 3}", "minimize");
	/* Nine trials at step 3; trial j's loss is 0.1 j + 1/3. */
	for (i = 0; i < 9; i++)
		world_add(&w, 0.1 * (double)i, 3);
	assert_int_equal(sweep_early_check(w.s, w.t, w.n, &d, &nd), 0);
	/* The top 1/3 (trials 0, 1, 2) go on; the others stop. */
	assert_int_equal(nd, 6);
	for (i = 0; i < nd; i++) {
		assert_int_equal(d[i].trial, (int64_t)i + 3);
		assert_int_equal(d[i].rung, 3);
		assert_int_equal(d[i].ncompared, 9);
		assert_true(fabs(d[i].cut - (0.2 + 1.0 / 3)) < 1e-12);
	}
	assert_string_equal(d[0].why,
	    "stop trial 3: at step 3 loss 0.633333 is not in the top 1/3 of "
	    "the 9 trials that reached step 3 (cut 0.533333)");
	free(d);
	/* The third best is exactly on the cut: it goes on. */
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 2, &one), 0);
	sweep_spec_free(w.s);
}

static void
test_hyperband_rung_timing(void **state)
{
	struct world w;
	struct sweep_decision d;
	struct sweep_trial *late;
	int i;

	world_init(&w, "{type: hyperband, min_iter: 3, eta: 3}", "minimize");
	for (i = 0; i < 6; i++)
		world_add(&w, 0.1 * i, 9);
	/* A bad trial below the first rung is left alone. */
	late = world_add(&w, 5.0, 2);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, w.n - 1, &d), 0);
	/* Once it reaches step 3 it is judged against all 7 at rung 3. */
	late->ncurve = 3;
	w.obs[w.n - 1][2].step = 3;
	w.obs[w.n - 1][2].value = 5.0 + 1.0 / 3;
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, w.n - 1, &d), 1);
	assert_int_equal(d.rung, 3);
	assert_int_equal(d.ncompared, 7);
	/* Trials at step 9 are judged at rung 9: k = 6, cut = 2nd best. */
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 1, &d), 0);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 2, &d), 1);
	assert_int_equal(d.rung, 9);
	assert_int_equal(d.ncompared, 6);
	sweep_spec_free(w.s);
}

static void
test_hyperband_best_so_far(void **state)
{
	struct world w;
	struct sweep_decision d;
	int i;

	world_init(&w, "{type: hyperband, min_iter: 3, eta: 3}", "minimize");
	for (i = 0; i < 8; i++)
		world_add(&w, 0.5 + 0.1 * i, 3);
	/* A spike at step 3 does not hide its best value at step 2. */
	world_add(&w, 0.0, 3);
	w.obs[8][2].value = 9.0;
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 8, &d), 0);
	assert_true(d.value == 0.5);
	sweep_spec_free(w.s);
}

static void
test_hyperband_strict_and_goal(void **state)
{
	struct world w;
	struct sweep_decision d;

	/* Two trials at a rung: too few unless strict. */
	world_init(&w, "{type: hyperband, min_iter: 3, eta: 3}", "minimize");
	world_add(&w, 0.0, 3);
	world_add(&w, 1.0, 3);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 1, &d), 0);
	assert_non_null(strstr(d.why, "too few"));
	sweep_spec_free(w.s);
	world_init(&w, "{type: hyperband, min_iter: 3, eta: 3, strict: true}",
	    "minimize");
	world_add(&w, 0.0, 3);
	world_add(&w, 1.0, 3);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 1, &d), 1);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 0, &d), 0);
	sweep_spec_free(w.s);
	/* Maximize: the low ones stop. */
	world_init(&w, "{type: hyperband, min_iter: 3, eta: 3}", "maximize");
	for (int i = 0; i < 6; i++)
		world_add(&w, 0.1 * i, 3);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 0, &d), 1);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 5, &d), 0);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 4, &d), 0);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 3, &d), 1);
	sweep_spec_free(w.s);
}

static void
test_median(void **state)
{
	struct world w;
	struct sweep_decision d;
	struct sweep_decision *all;
	size_t n;

	world_init(&w, "{type: median, warmup_trials: 2, warmup_steps: 2}",
	    "minimize");
	world_add(&w, 0.2, 10)->state = SWEEP_T_DONE;
	/* One finished trial: still warming up. */
	world_add(&w, 3.0, 5);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 1, &d), 0);
	assert_non_null(strstr(d.why, "warm-up"));
	world_add(&w, 0.4, 10)->state = SWEEP_T_DONE;
	world_add(&w, 0.6, 10)->state = SWEEP_T_DONE;
	/* Now trial 1 (loss 3.2 at step 5) is worse than the median of the
	 * others' values at step 5: 0.4 + 0.2. */
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 1, &d), 1);
	assert_int_equal(d.step, 5);
	assert_int_equal(d.ncompared, 3);
	assert_true(fabs(d.cut - 0.6) < 1e-12);
	assert_string_equal(d.why,
	    "stop trial 1: at step 5 its best loss 3.2 is worse than the "
	    "median 0.6 of 3 other trials");
	/* A good trial goes on; a bad one before warmup_steps too. */
	world_add(&w, 0.1, 5);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 4, &d), 0);
	world_add(&w, 9.0, 1);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 5, &d), 0);
	/* check() judges running trials only. */
	assert_int_equal(sweep_early_check(w.s, w.t, w.n, &all, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(all[0].trial, 1);
	free(all);
	sweep_spec_free(w.s);
}

static void
test_no_early(void **state)
{
	struct world w;
	struct sweep_decision d;
	char *cause = NULL;

	memset(&w, 0, sizeof(w));
	assert_int_equal(sweep_parse("x",
	                     "program: t\nmethod: grid\n"
	                     "parameters: {a: {values: [1]}}\n",
	                     54, SWEEP_YAML, &w.s, &cause),
	    0);
	world_add(&w, 100, 5);
	world_add(&w, 0, 5);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 0, &d), 0);
	assert_int_equal(sweep_early_judge(w.s, w.t, w.n, 5, &d), GQ_EINVAL);
	sweep_spec_free(w.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rungs),
		cmocka_unit_test(test_hyperband_cut),
		cmocka_unit_test(test_hyperband_rung_timing),
		cmocka_unit_test(test_hyperband_best_so_far),
		cmocka_unit_test(test_hyperband_strict_and_goal),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_no_early),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
