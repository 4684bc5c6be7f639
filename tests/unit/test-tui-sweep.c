/*
 * The workbench's sweeps (tui/rsweep.c), the sweep form's pure part
 * (tui/form-sweep-spec.c), multi-row graphs (tui/graph.c) and the
 * lifecycle members of the replica (tui/replica.c): suspended, held,
 * dependencies, enforcement, idle, GPU samples and history.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "tui/form-sweep.h"
#include "tui/graph.h"
#include "tui/replica.h"
#include "tui/rsweep.h"

static json_t *
load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (j == NULL)
		fail_msg("bad test JSON: %s: %s", e.text, text);
	return j;
}

#define SWEEP1                                                                 \
	"{\"id\":1,\"name\":\"lr\",\"user\":\"alice\",\"state\":\"running\","  \
	"\"method\":\"grid\",\"metric\":{\"name\":\"val_loss\",\"goal\":"      \
	"\"minimize\"},\"early_terminate\":{\"type\":\"hyperband\"},"          \
	"\"budget\":4,\"parallel\":2,\"counts\":{\"pending\":1,\"running\":1," \
	"\"completed\":1,\"failed\":0,\"stopped\":1,\"cancelled\":0},"         \
	"\"best\":{\"trial\":2,\"job\":12,\"value\":0.25,\"params\":{\"lr\":"  \
	"0.01}},\"gpu_seconds\":7200}"

static void
test_list(void **state)
{
	struct rsweep_list l;
	const struct rsweep *s;
	json_t *r = load("{\"sweeps\":[" SWEEP1 ",{\"id\":\"x\"},{\"id\":2,"
	                 "\"state\":\"done\",\"best\":null}],\"total\":3}");
	json_t *ev = load("{\"id\":2,\"name\":\"two\",\"state\":\"paused\"}");
	char prog[32];

	rsweep_list_init(&l);
	assert_int_equal(rsweep_list_apply(&l, r), 2);
	s = rsweep_list_find(&l, 1);
	assert_non_null(s);
	assert_string_equal(s->name, "lr");
	assert_true(s->minimize);
	assert_string_equal(s->rule, "hyperband");
	assert_true(s->have_best);
	assert_int_equal(s->best_trial, 2);
	assert_string_equal(s->best_params, "lr=0.01");
	assert_string_equal(rsweep_progress(s, prog, sizeof(prog)), "2/4");
	assert_false(rsweep_list_find(&l, 2)->have_best);
	/* sweep.state replaces by id; a new id is added. */
	assert_int_equal(rsweep_list_put(&l, ev), 1);
	assert_string_equal(rsweep_list_find(&l, 2)->state, "paused");
	assert_int_equal(l.n, 2);
	json_object_set_new(ev, "id", json_integer(9));
	assert_int_equal(rsweep_list_put(&l, ev), 1);
	assert_int_equal(l.n, 3);
	assert_int_equal(rsweep_list_put(&l, r), 0); /* no sweep */
	rsweep_list_done(&l);
	json_decref(r);
	json_decref(ev);
}

#define SHOW1                                                                  \
	"{\"sweep\":" SWEEP1 ",\"trials\":["                                   \
	"{\"trial\":2,\"job\":12,\"state\":\"COMPLETED\",\"params\":{\"lr\":"  \
	"0.01,\"opt\":\"adam\"},\"step\":3,\"metric\":0.25,\"best\":0.25,"     \
	"\"stopped_early\":null,\"series\":[[1,0.9],[2,0.5],[3,0.25]]},"       \
	"{\"trial\":1,\"job\":11,\"state\":\"STOPPED\",\"params\":{\"lr\":"    \
	"0.1,\"opt\":\"sgd\"},\"step\":1,\"metric\":0.95,\"best\":0.95,"       \
	"\"stopped_early\":\"hyperband: below the top 1/3\",\"series\":"       \
	"[[1,0.95]]}]}"

static void
test_show(void **state)
{
	struct rsweep_show d;
	json_t *r = load(SHOW1);
	json_t *ev = load("{\"sweep\":1,\"trial\":3,\"job\":13,\"state\":"
	                  "\"RUNNING\",\"step\":1,\"metric\":0.2}");
	uint8_t v[8];
	double lo = 0, hi = 0;

	rsweep_show_init(&d);
	rsweep_show_apply(&d, r);
	assert_true(d.have);
	assert_int_equal(d.ntr, 2);
	assert_int_equal(d.npar, 2);
	assert_string_equal(d.pnames[0], "lr");
	assert_string_equal(d.tr[0].vals[1], "adam");
	assert_string_equal(d.tr[1].stopped, "hyperband: below the top 1/3");
	assert_int_equal(d.tr[0].np, 3);
	assert_int_equal(rsweep_show_best(&d), 0);
	assert_true(rsweep_show_range(&d, &lo, &hi));
	assert_true(lo == 0.25 && hi == 0.95);
	/* The curve: 0.9 is high, 0.25 the lowest point (still a dot). */
	assert_int_equal(rsweep_curve(&d.tr[0], lo, hi, v, 8), 3);
	assert_true(v[0] > v[1] && v[1] > v[2] && v[2] >= 1);
	assert_int_equal(rsweep_curve(&d.tr[0], lo, hi, v, 2), 2);
	/* A new trial: applied, and gpuq must ask for its parameters. */
	assert_int_equal(rsweep_show_trial(&d, ev), 2);
	assert_int_equal(d.ntr, 3);
	assert_int_equal(rsweep_show_best(&d), 2);
	/* The same step again replaces its point; a new step adds one. */
	json_object_set_new(ev, "metric", json_real(0.3));
	assert_int_equal(rsweep_show_trial(&d, ev), 1);
	assert_int_equal(d.tr[2].np, 1);
	json_object_set_new(ev, "step", json_integer(2));
	json_object_set_new(ev, "stopped_early", json_string("median"));
	assert_int_equal(rsweep_show_trial(&d, ev), 1);
	assert_int_equal(d.tr[2].np, 2);
	assert_string_equal(d.tr[2].stopped, "median");
	/* Another sweep's event, or garbage, changes nothing. */
	json_object_set_new(ev, "sweep", json_integer(2));
	assert_int_equal(rsweep_show_trial(&d, ev), 0);
	assert_int_equal(rsweep_show_trial(&d, r), 0);
	rsweep_show_done(&d);
	json_decref(r);
	json_decref(ev);
}

/* A line of the form and back: the same parameter. */
static void
roundtrip(const char *name, const char *param, const char *want)
{
	char line[1024], *n2 = NULL, *why = NULL;
	json_t *p = load(param), *back = NULL;

	assert_int_equal(form_sweep_spec_param_text(name, p, line,
	                     sizeof(line)),
	    0);
	assert_string_equal(line, want);
	if (form_sweep_spec_param_parse(line, &n2, &back, &why) != 0)
		fail_msg("%s: %s", line, why);
	assert_string_equal(n2, name);
	if (!json_equal(p, back)) {
		char *a = json_dumps(p, 0), *b = json_dumps(back, 0);

		fail_msg("%s became %s", a, b);
	}
	free(n2);
	json_decref(p);
	json_decref(back);
}

static void
test_param_lines(void **state)
{
	char *name, *why;
	json_t *p;

	roundtrip("bs", "{\"values\":[32,64,128]}", "bs: 32, 64, 128");
	roundtrip("opt", "{\"values\":[\"adam\",\"sgd\",\"1\",\"a, b\"]}",
	    "opt: adam, sgd, \"1\", \"a, b\"");
	roundtrip("lr",
	    "{\"distribution\":\"log_uniform_values\",\"min\":1e-05,"
	    "\"max\":0.01}",
	    "lr: log_uniform_values 1e-05 .. 0.01");
	roundtrip("x",
	    "{\"distribution\":\"q_uniform\",\"min\":0,\"max\":1,"
	    "\"q\":0.25}",
	    "x: q_uniform 0 .. 1 step 0.25");
	roundtrip("e", "{\"value\":10}", "e: = 10");
	roundtrip("n", "{\"distribution\":\"normal\",\"mu\":0.5,\"sigma\":2}",
	    "n: normal mu=0.5 sigma=2");
	roundtrip("r", "{\"min\":1,\"max\":5}", "r: 1 .. 5");
	/* A nested mapping is not a line: it is kept as it is. */
	p = load("{\"parameters\":{\"a\":{\"value\":1}}}");
	assert_int_equal(form_sweep_spec_param_text("nest", p, (char[64]){ 0 },
	                     64),
	    -1);
	json_decref(p);
	/* Bad lines say why. */
	assert_int_equal(form_sweep_spec_param_parse("no colon", &name, &p,
	                     &why),
	    GQ_EINVAL);
	free(why);
	assert_int_equal(form_sweep_spec_param_parse("lr: uniform 1 ..", &name,
	                     &p, &why),
	    GQ_EINVAL);
	free(why);
	assert_int_equal(form_sweep_spec_param_parse("lr: a,, b", &name, &p,
	                     &why),
	    GQ_EINVAL);
	free(why);
	assert_int_equal(form_sweep_spec_param_parse("lr: \"open", &name, &p,
	                     &why),
	    GQ_EINVAL);
	free(why);
}

static void
test_build(void **state)
{
	static char vals[FS_NFIELDS][1024], orig[FS_NFIELDS][1024];
	const char *v[FS_NFIELDS], *o[FS_NFIELDS];
	json_t *base = load("{\"name\":\"s\",\"command\":[\"python3\","
	                    "\"t.py\",\"${args}\"],\"method\":\"grid\","
	                    "\"metric\":{\"name\":\"loss\",\"goal\":"
	                    "\"minimize\",\"target\":0.1},\"parameters\":{"
	                    "\"lr\":{\"values\":[0.1,0.01],\"probabilities\":"
	                    "[0.5,0.5]},\"bs\":{\"values\":[32]}},\"parallel\":"
	                    "2,\"resources\":{\"gpus\":1}}");
	json_t *spec;
	char *why = NULL;
	int i, bad;

	assert_int_equal(form_sweep_spec_fields(base, vals, sizeof(vals[0])),
	    0);
	assert_string_equal(vals[FS_COMMAND], "python3 t.py '${args}'");
	assert_string_equal(vals[FS_METRIC], "loss min");
	assert_string_equal(vals[FS_GPUS], "1");
	assert_string_equal(vals[FS_PARAM0], "lr: 0.1, 0.01");
	memcpy(orig, vals, sizeof(vals));
	for (i = 0; i < FS_NFIELDS; i++) {
		v[i] = vals[i];
		o[i] = orig[i];
	}
	/* Nothing changed: the very same spec (probabilities, target). */
	assert_int_equal(form_sweep_spec_build(base, v, o, &spec, &bad, &why),
	    0);
	assert_true(json_equal(spec, base));
	json_decref(spec);
	/* Edits: a new method, GPUs, time; bs replaced; a new parameter. */
	strcpy(vals[FS_METHOD], "random");
	strcpy(vals[FS_GPUS], "0.25");
	strcpy(vals[FS_TIME], "2h");
	strcpy(vals[FS_TRIALS], "8");
	strcpy(vals[FS_PARAM0 + 1], "batch: 16, 32");
	strcpy(vals[FS_PARAM0 + 2], "wd: log_uniform_values 1e-6 .. 1e-3");
	assert_int_equal(form_sweep_spec_build(base, v, o, &spec, &bad, &why),
	    0);
	assert_string_equal(json_string_value(json_object_get(spec, "method")),
	    "random");
	assert_int_equal(json_integer_value(json_object_get(spec, "trials")),
	    8);
	assert_true(
	    json_real_value(json_object_get(json_object_get(spec, "resources"),
	        "gpus")) == 0.25);
	assert_string_equal(json_string_value(
	                        json_object_get(json_object_get(spec,
	                                            "resources"),
	                            "time")),
	    "7200s");
	assert_null(json_object_get(json_object_get(spec, "parameters"), "bs"));
	assert_non_null(
	    json_object_get(json_object_get(json_object_get(spec, "parameters"),
	                        "lr"),
	        "probabilities"));
	assert_non_null(
	    json_object_get(json_object_get(spec, "parameters"), "batch"));
	assert_non_null(
	    json_object_get(json_object_get(spec, "parameters"), "wd"));
	json_decref(spec);
	/* A bad field is named. */
	strcpy(vals[FS_METHOD], "hyper");
	assert_int_equal(form_sweep_spec_build(base, v, o, &spec, &bad, &why),
	    GQ_EINVAL);
	assert_int_equal(bad, FS_METHOD);
	free(why);
	strcpy(vals[FS_METHOD], "grid");
	strcpy(vals[FS_PARAM0 + 3], "oops");
	assert_int_equal(form_sweep_spec_build(base, v, o, &spec, &bad, &why),
	    GQ_EINVAL);
	assert_int_equal(bad, FS_PARAM0 + 3);
	free(why);
	json_decref(base);
}

static void
test_graph_rows(void **state)
{
	const uint8_t v[2] = { 100, 50 };
	struct buf b;

	/* Two rows of blocks: 100 fills both, 50 only the bottom one. */
	buf_init(&b, 1024);
	graph_spark_row(&b, GRAPH_BLOCK, v, 2, 2, 2, 0);
	assert_string_equal(b.data, "\xe2\x96\x88 ");
	buf_reset(&b);
	graph_spark_row(&b, GRAPH_BLOCK, v, 2, 2, 2, 1);
	assert_string_equal(b.data, "\xe2\x96\x88\xe2\x96\x88");
	buf_reset(&b);
	graph_spark_row(&b, GRAPH_ASCII, v, 2, 3, 2, 0);
	assert_string_equal(b.data, " # ");
	buf_reset(&b);
	/* One row is the plain sparkline. */
	graph_spark_row(&b, GRAPH_ASCII, v, 2, 2, 1, 0);
	assert_string_equal(b.data, "#-");
	buf_done(&b);
}

static json_t *
life_job(long long id, const char *state)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:{s:f}}", "id", id, "user", "alice",
	    "state", state, "name", "j", "request", "gpus", 0.5);
}

static void
test_replica_life(void **state)
{
	struct replica r;
	json_t *j;
	char deps[256];
	struct rjob *rj;

	replica_init(&r);
	j = life_job(1, "SUSPENDED");
	json_object_set_new(j, "suspended",
	    json_pack("{s:s,s:i}", "mechanism", "stop", "since", 100));
	json_object_set_new(j, "enforcement", json_string("monitored"));
	replica_job_apply(&r, j, NULL);
	json_decref(j);
	rj = replica_job(&r, 1);
	assert_int_equal(rj->state, RSTATE_SUSPENDED);
	assert_int_equal(r.counts[RSTATE_SUSPENDED], 1);
	assert_false(replica_state_final(RSTATE_SUSPENDED));
	assert_string_equal(replica_life_susp_text(rj->susp_mech),
	    "stopped, GPU memory kept");
	assert_string_equal(replica_life_susp_text("cuda-checkpoint"),
	    "checkpointed to host");
	assert_string_equal(rj->enforcement, "monitored");
	/* Held, with dependencies: 1 is not done, 2 completed, 3 failed. */
	replica_job_apply(&r, j = life_job(2, "COMPLETED"), NULL);
	json_decref(j);
	replica_job_apply(&r, j = life_job(3, "FAILED"), NULL);
	json_decref(j);
	j = life_job(4, "PENDING");
	json_object_set_new(j, "held", json_true());
	json_object_set_new(j, "after", json_pack("[i,i]", 3, 1));
	json_object_set_new(j, "afterok", json_pack("[i,i]", 2, 1));
	replica_job_apply(&r, j, NULL);
	json_decref(j);
	rj = replica_job(&r, 4);
	assert_true(rj->held);
	assert_int_equal(replica_life_deps_text(&r, rj, deps, sizeof(deps)), 2);
	assert_string_equal(deps, "1 (after), 1 (afterok)");
	/* job.idle: idle, then busy again. */
	j = json_pack("{s:i,s:s,s:i,s:i,s:b}", "job", 1, "user", "alice",
	    "since", 500, "util", 0, "idle", 1);
	assert_int_equal(replica_event(&r, "job.idle", 9, j, 1000), 1);
	assert_int_equal(replica_job(&r, 1)->idle_since, 500);
	json_object_set_new(j, "idle", json_false());
	replica_event(&r, "job.idle", 10, j, 1000);
	assert_int_equal(replica_job(&r, 1)->idle_since, 0);
	json_decref(j);
	replica_done(&r);
}

static void
test_replica_samples(void **state)
{
	struct replica r;
	json_t *st = load("{\"host\":\"n1\",\"nodes\":[{\"name\":\"n1\","
	                  "\"gpus\":[{\"index\":0,\"mem_mb\":1000,"
	                  "\"util_pct\":5},{\"index\":1,\"mem_mb\":1000}]}]}");
	json_t *h = load("{\"gpus\":[{\"index\":1,\"samples\":[[1,10,500,"
	                 "30,100,0],[2,20,null,null,null,0],[3,30,250,30,"
	                 "100,0]]}]}");
	json_t *ev = load("{\"time\":4,\"gpus\":[{\"index\":1,\"util\":77,"
	                  "\"mem_used_mb\":100}]}");

	replica_init(&r);
	replica_status(&r, st);
	assert_int_equal(r.gpus[1].hist_len, 1); /* one from the status */
	assert_int_equal(replica_gpu_history(&r, h), 1);
	assert_int_equal(r.gpus[1].hist_len, 3);
	assert_int_equal(replica_hist(&r.gpus[1], 0, 2), 30);
	assert_int_equal(replica_hist(&r.gpus[1], 1, 0), 50);
	replica_event(&r, "gpu.sample", 0, ev, 4);
	assert_int_equal(r.gpus[1].util_pct, 77);
	assert_int_equal(r.gpus[1].hist_len, 4);
	assert_int_equal(replica_hist(&r.gpus[1], 0, 3), 77);
	/* With live samples, cluster.status adds none of its own. */
	replica_status(&r, st);
	assert_int_equal(r.gpus[1].hist_len, 4);
	replica_done(&r);
	json_decref(st);
	json_decref(h);
	json_decref(ev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_show),
		cmocka_unit_test(test_param_lines),
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_graph_rows),
		cmocka_unit_test(test_replica_life),
		cmocka_unit_test(test_replica_samples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
