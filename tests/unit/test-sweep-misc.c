/*
 * The sweep engine's edges: metric lines (and their bounds), argv
 * building and value formatting, points as JSON, dry runs, and sweep
 * files from a job's argv.
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

static struct sweep_spec *
spec(const char *text)
{
	struct sweep_spec *s = NULL;
	char *cause = NULL;

	if (sweep_parse("t.yaml", text, strlen(text), SWEEP_AUTO, &s, &cause) !=
	    0)
		fail_msg("%s", cause);
	return s;
}

static int
metric(const char *line, struct sweep_metrics *m)
{
	const char *why = NULL;
	int rc = sweep_metric_parse(line, strlen(line), m, &why);

	if (rc < 0)
		assert_non_null(why);
	return rc;
}

static void
test_metric_ok(void **state)
{
	struct sweep_metrics m;

	assert_int_equal(metric("{\"step\": 3, \"val_loss\": 0.41}\r\n", &m),
	    0);
	assert_true(m.has_step && m.step == 3);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.kv[0].key, "val_loss");
	assert_true(*sweep_metrics_find(&m, "val_loss") == 0.41);
	assert_null(sweep_metrics_find(&m, "acc"));
	assert_int_equal(metric("{\"_step\": 0, \"acc\": 1, \"l\": -2e-3}", &m),
	    0);
	assert_true(m.has_step && m.step == 0 && m.n == 2);
	assert_int_equal(metric("{\"loss\": 1}", &m), 0);
	assert_false(m.has_step);
}

static void
test_metric_refused(void **state)
{
	struct sweep_metrics m;

	assert_int_equal(metric("{\"loss\": NaN}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"loss\": Infinity}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"loss\": 1e999}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"a\": {\"b\": 1}}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"a\": [1]}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"loss\": \"0.4\"}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"ok\": true}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"loss\": null}", &m), GQ_EINVAL);
	assert_int_equal(metric("[1, 2]", &m), GQ_EINVAL);
	assert_int_equal(metric("42", &m), GQ_EINVAL);
	assert_int_equal(metric("", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"loss\": 1", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"step\": -1, \"l\": 1}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"step\": 1.5, \"l\": 1}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"step\": 1, \"_step\": 2}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"l\": 1, \"l\": 2}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"\": 1}", &m), GQ_EINVAL);
	assert_int_equal(metric("{\"a\\u0000b\": 1}", &m), GQ_EINVAL);
	/* A refused line leaves nothing behind. */
	assert_int_equal(m.n, 0);
}

static void
test_metric_bounds(void **state)
{
	struct sweep_metrics m;
	char line[SWEEP_METRIC_LINE_MAX + 64], key[80];
	size_t n;
	int i;

	/* Exactly the maximum passes; one byte more does not. */
	strcpy(line, "{\"loss\": 1");
	n = strlen(line);
	memset(line + n, ' ', SWEEP_METRIC_LINE_MAX - n - 1);
	strcpy(line + SWEEP_METRIC_LINE_MAX - 1, "}");
	assert_int_equal(strlen(line), SWEEP_METRIC_LINE_MAX);
	assert_int_equal(metric(line, &m), 0);
	line[SWEEP_METRIC_LINE_MAX - 1] = ' ';
	strcpy(line + SWEEP_METRIC_LINE_MAX, "}\n");
	assert_int_equal(metric(line, &m), GQ_ETOOBIG);
	/* 64 metrics and a step pass; 65 metrics do not. */
	strcpy(line, "{\"step\": 1");
	for (i = 0; i < SWEEP_METRIC_MAX_KEYS; i++)
		sprintf(line + strlen(line), ", \"m%d\": %d", i, i);
	strcat(line, "}");
	assert_int_equal(metric(line, &m), 0);
	assert_int_equal(m.n, SWEEP_METRIC_MAX_KEYS);
	line[strlen(line) - 1] = '\0';
	strcat(line, ", \"extra\": 1}");
	assert_int_equal(metric(line, &m), GQ_ETOOBIG);
	/* A name of 63 bytes passes, 64 does not. */
	memset(key, 'k', 63);
	key[63] = '\0';
	snprintf(line, sizeof(line), "{\"%s\": 1}", key);
	assert_int_equal(metric(line, &m), 0);
	snprintf(line, sizeof(line), "{\"%sk\": 1}", key);
	assert_int_equal(metric(line, &m), GQ_EINVAL);
}

static void
test_metric_stdout(void **state)
{
	struct sweep_metrics m;
	const char *why;
	const char *l1 = "@gpuq {\"step\": 2, \"loss\": 0.5}\n";

	assert_int_equal(sweep_metric_parse_stdout(l1, strlen(l1), &m, &why),
	    1);
	assert_true(m.step == 2 && m.kv[0].value == 0.5);
	assert_int_equal(sweep_metric_parse_stdout("epoch 2 loss 0.5", 16, &m,
	                     &why),
	    0);
	assert_int_equal(sweep_metric_parse_stdout("@gpuqx {}", 9, &m, &why),
	    0);
	assert_int_equal(sweep_metric_parse_stdout("@gpuq nope", 10, &m, &why),
	    GQ_EINVAL);
}

static void
test_value_fmt(void **state)
{
	struct {
		double f;
		const char *want;
	} cases[] = {
		{ 0.1, "0.1" },
		{ 1e-05, "1e-05" },
		{ 3.0, "3.0" },
		{ 1e16, "1e+16" },
		{ 123456.0, "123456.0" },
		{ 0.1 + 0.2, "0.30000000000000004" },
		{ -2.5, "-2.5" },
		{ 0.001, "0.001" },
	};
	struct sweep_value v = { .type = SWEEP_V_FLOAT };
	char b[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v.f = cases[i].f;
		assert_string_equal(sweep_value_fmt(&v, b, sizeof(b)),
		    cases[i].want);
	}
	v.type = SWEEP_V_INT;
	v.i = -42;
	assert_string_equal(sweep_value_fmt(&v, b, sizeof(b)), "-42");
	v.type = SWEEP_V_BOOL;
	v.b = 1;
	assert_string_equal(sweep_value_fmt(&v, b, sizeof(b)), "True");
	v.type = SWEEP_V_NULL;
	assert_string_equal(sweep_value_fmt(&v, b, sizeof(b)), "None");
}

static const char argv_spec[] = "program: train.py\nmethod: grid\nparameters:\n"
                                "  lr: {values: [0.001]}\n"
                                "  bs: {values: [32]}\n"
                                "  arch: {values: [\"res net\"]}\n"
                                "  fp16: {values: [true]}\n"
                                "  ema: {values: [false]}\n";

static void
check_argv(const struct sweep_spec *s, const char *const *want)
{
	struct sweep_point p;
	char **argv, *cause = NULL;
	size_t argc, i;

	assert_int_equal(sweep_grid_point(s, 0, &p), 0);
	assert_int_equal(sweep_argv(s, &p, &argv, &argc, &cause), 0);
	for (i = 0; want[i] != NULL; i++) {
		assert_true(i < argc);
		assert_string_equal(argv[i], want[i]);
	}
	assert_int_equal(argc, i);
	assert_null(argv[argc]);
	sweep_argv_free(argv);
	sweep_point_done(&p);
}

static void
test_argv_default(void **state)
{
	struct sweep_spec *s = spec(argv_spec);
	const char *want[] = { "python3", "train.py", "--lr=0.001", "--bs=32",
		"--arch=res net", "--fp16=True", "--ema=False", NULL };

	check_argv(s, want);
	sweep_spec_free(s);
}

static void
test_argv_macros(void **state)
{
	char text[1024];
	struct sweep_spec *s;
	const char *want[] = { "python3", "-u", "train.py", "lr=0.001", "bs=32",
		"arch=res net", "fp16=True", "ema=False", "--batch=32/x",
		"{\"lr\":0.001,\"bs\":32,\"arch\":\"res net\",\"fp16\":true,"
		"\"ema\":false}",
		"--lr=0.001", "--bs=32", "--arch=res net", "--fp16", NULL };

	snprintf(text, sizeof(text),
	    "%scommand: [\"${env}\", \"${interpreter}\", -u, \"${program}\", "
	    "\"${args_no_hyphens}\", \"--batch=${bs}/x\", \"${args_json}\", "
	    "\"${args_no_boolean_flags}\"]\n",
	    argv_spec);
	s = spec(text);
	check_argv(s, want);
	sweep_spec_free(s);
	/* Another interpreter. */
	snprintf(text, sizeof(text), "%sinterpreter: /opt/py/bin/python\n",
	    argv_spec);
	s = spec(text);
	want[0] = "/opt/py/bin/python";
	want[1] = "train.py";
	want[2] = "--lr=0.001";
	want[3] = NULL;
	s->nparams = 1; /* only lr, for a short list */
	check_argv(s, want);
	s->nparams = 5;
	sweep_spec_free(s);
}

static void
test_argv_limits(void **state)
{
	struct sweep_spec *s = spec(argv_spec);
	struct sweep_point p;
	char **argv, *cause = NULL;
	size_t argc, i;

	/* A command of SWEEP_MAX_ARGV elements plus ${args} overflows. */
	s->command = calloc(SWEEP_MAX_ARGV + 1, sizeof(char *));
	for (i = 0; i < SWEEP_MAX_ARGV - 1; i++)
		s->command[i] = strdup("x");
	s->command[i++] = strdup("${args}");
	s->ncommand = i;
	assert_int_equal(sweep_grid_point(s, 0, &p), 0);
	assert_int_equal(sweep_argv(s, &p, &argv, &argc, &cause), GQ_ETOOBIG);
	assert_null(argv);
	assert_non_null(strstr(cause, "more than 1024 arguments"));
	free(cause);
	sweep_point_done(&p);
	sweep_spec_free(s);
}

static void
test_point_json(void **state)
{
	struct sweep_spec *s = spec(argv_spec);
	struct sweep_point p, q;
	char *text, *cause = NULL;

	assert_int_equal(sweep_grid_point(s, 0, &p), 0);
	text = sweep_point_dumps(s, &p);
	assert_string_equal(text,
	    "{\"lr\":0.001,\"bs\":32,\"arch\":\"res "
	    "net\",\"fp16\":true,\"ema\":false}");
	assert_int_equal(sweep_point_loads(s, text, &q, &cause), 0);
	for (size_t i = 0; i < s->nparams; i++)
		assert_true(sweep_value_equal(&p.v[i], &q.v[i]));
	sweep_point_done(&q);
	assert_int_equal(sweep_point_loads(s, "{\"lr\": 1}", &q, &cause),
	    GQ_EINVAL);
	assert_non_null(cause);
	free(cause);
	cause = NULL;
	assert_int_equal(sweep_point_loads(s,
	                     "{\"lr\":1,\"bs\":[1],\"arch\":1,\"fp16\":1,"
	                     "\"ema\":1}",
	                     &q, &cause),
	    GQ_EINVAL);
	assert_non_null(strstr(cause, "parameters.bs"));
	free(cause);
	free(text);
	sweep_point_done(&p);
	sweep_spec_free(s);
}

static void
test_dryrun_grid(void **state)
{
	struct sweep_spec *s = spec("program: t.py\nmethod: grid\n"
	                            "parameters:\n  a: {values: [1, 2]}\n"
	                            "  b: {values: [x, y, z]}\n"
	                            "resources: {gpus: 0.5, time: 2h}\n");
	struct sweep_dryrun d;
	char *text;
	json_t *j;

	assert_int_equal(sweep_dryrun(s, &d), 0);
	assert_int_equal(d.trials, 6);
	assert_int_equal(d.npoints, 6);
	assert_true(d.gpu_hours == 6.0); /* 6 trials x 0.5 GPU x 2 h */
	assert_string_equal(d.points[5].v[1].s, "z");
	text = sweep_dryrun_print(s, &d);
	assert_non_null(strstr(text, "     0  python3 t.py --a=1 --b=x\n"));
	assert_non_null(strstr(text, "     5  python3 t.py --a=2 --b=z\n"));
	assert_non_null(strstr(text,
	    "6 trials (grid), 1 at a time; 0.5 GPU "
	    "x 2h00m each = 6.0 GPU-hours\n"));
	free(text);
	j = sweep_dryrun_encode(s, &d);
	assert_int_equal(json_integer_value(json_object_get(j, "trials")), 6);
	assert_true(json_real_value(json_object_get(j, "gpu_hours")) == 6.0);
	assert_int_equal(json_array_size(json_object_get(j, "first")), 6);
	json_decref(j);
	sweep_dryrun_done(&d);
	sweep_spec_free(s);
}

static void
test_dryrun_random(void **state)
{
	struct sweep_spec *s = spec("program: t.py\nmethod: random\n"
	                            "parameters:\n  a: {min: 0.0, max: 1.0}\n"
	                            "trials: 64\nparallel: 8\nseed: 7\n"
	                            "resources: {gpus: 2, time: 30m}\n");
	struct sweep_dryrun d, e;
	char *text;

	assert_int_equal(sweep_dryrun(s, &d), 0);
	assert_int_equal(d.trials, 64);
	assert_int_equal(d.npoints, 8);
	assert_true(d.gpu_hours == 64.0);
	/* The same seed lists the same trials. */
	assert_int_equal(sweep_dryrun(s, &e), 0);
	assert_true(d.points[3].v[0].f == e.points[3].v[0].f);
	text = sweep_dryrun_print(s, &d);
	assert_non_null(strstr(text, "... and 56 more"));
	assert_non_null(strstr(text,
	    "64 trials (random, seed 7), 8 at a "
	    "time; 2 GPU x 30m00s each = 64.0 "
	    "GPU-hours"));
	free(text);
	sweep_dryrun_done(&d);
	sweep_dryrun_done(&e);
	/* Without trials, a random sweep is unbounded. */
	s->trials = 0;
	assert_int_equal(sweep_dryrun(s, &d), 0);
	assert_int_equal(d.trials, -1);
	assert_true(d.gpu_hours < 0);
	sweep_dryrun_done(&d);
	sweep_spec_free(s);
}

static void
test_from_job(void **state)
{
	/* "--fp16" is followed by an option: a flag.  "data/" stands
	 * alone: a positional argument. */
	const char *argv[] = { "python", "train.py", "data/", "--lr", "0.001",
		"--batch_size=64", "--epochs", "10", "--fp16", "--name=resnet",
		"--dropout", "0.1" };
	struct sweep_spec *s;
	char *yaml;

	yaml = sweep_from_job(argv, 12, "job-12");
	s = spec(yaml);
	assert_string_equal(s->name, "job-12");
	assert_string_equal(s->program, "train.py");
	assert_string_equal(s->interpreter, "python");
	assert_int_equal(s->method, SWEEP_RANDOM);
	assert_int_equal(s->nparams, 5);
	assert_string_equal(s->params[0].name, "lr");
	assert_int_equal(s->params[0].dist, SWEEP_D_LOG_UNIFORM_VALUES);
	assert_true(s->params[0].min < 0.001 && s->params[0].max > 0.001);
	assert_string_equal(s->params[1].name, "batch_size");
	assert_int_equal(s->params[1].nvalues, 3);
	assert_int_equal(s->params[1].values[0].i, 32);
	assert_int_equal(s->params[1].values[2].i, 128);
	assert_string_equal(s->params[3].values[0].s, "resnet");
	assert_int_equal(s->params[4].dist, SWEEP_D_UNIFORM);
	/* The flag and the positional argument stay in the command. */
	assert_int_equal(s->ncommand, 5);
	assert_string_equal(s->command[2], "data/");
	assert_string_equal(s->command[3], "--fp16");
	assert_string_equal(s->command[4], "${args}");
	free(yaml);
	sweep_spec_free(s);
}

static void
test_from_job_plain(void **state)
{
	const char *argv[] = { "./run.sh", "--x=1.5", "--n", "1", "--q=a\"b" };
	struct sweep_spec *s;
	char *yaml;

	yaml = sweep_from_job(argv, 5, NULL);
	s = spec(yaml);
	assert_int_equal(s->ncommand, 2);
	assert_string_equal(s->command[0], "./run.sh");
	assert_true(s->params[0].min == 0.75 && s->params[0].max == 3.0);
	assert_int_equal(s->params[1].values[0].i, 1);
	assert_string_equal(s->params[2].values[0].s, "a\"b");
	free(yaml);
	sweep_spec_free(s);
	assert_null(sweep_from_job(argv, 0, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_metric_ok),
		cmocka_unit_test(test_metric_refused),
		cmocka_unit_test(test_metric_bounds),
		cmocka_unit_test(test_metric_stdout),
		cmocka_unit_test(test_value_fmt),
		cmocka_unit_test(test_argv_default),
		cmocka_unit_test(test_argv_macros),
		cmocka_unit_test(test_argv_limits),
		cmocka_unit_test(test_point_json),
		cmocka_unit_test(test_dryrun_grid),
		cmocka_unit_test(test_dryrun_random),
		cmocka_unit_test(test_from_job),
		cmocka_unit_test(test_from_job_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
