/*
 * The sweep file parser: both formats, W&B inference, every kind of
 * mistake with its line number, limits, and the JSON round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "core/sweep/sweep.h"

static const char example_yaml[] =
    "program: train.py            # or command\n"
    "method: random\n"
    "metric: {name: val_loss, goal: minimize}\n"
    "parameters:\n"
    "  lr: {distribution: log_uniform_values, min: 1.0e-5, max: 1.0e-2}\n"
    "  batch_size: {values: [32, 64, 128]}\n"
    "  dropout: {min: 0.0, max: 0.5}\n"
    "  layers: {min: 2, max: 8}\n"
    "  act: {value: relu}\n"
    "early_terminate: {type: hyperband, min_iter: 3, eta: 3}\n"
    "entity: someone\n"
    "trials: 64\n"
    "parallel: 8\n"
    "resources: {gpus: 0.25, cpus: 4, mem: 16G, time: 2h}\n"
    "project: vision\n";

static const char example_json[] =
    "{\n"
    "  \"program\": \"train.py\",\n"
    "  \"method\": \"bayes\",\n"
    "  \"metric\": {\"name\": \"acc\", \"goal\": \"maximize\"},\n"
    "  \"parameters\": {\n"
    "    \"lr\": {\"min\": 0.001, \"max\": 0.1},\n"
    "    \"epochs\": {\"min\": 1, \"max\": 5},\n"
    "    \"opt\": {\"values\": [\"adam\", \"sgd\"]}\n"
    "  },\n"
    "  \"run_cap\": 20\n"
    "}\n";

static struct sweep_spec *
parse_ok(const char *name, const char *text, enum sweep_format fmt)
{
	struct sweep_spec *s = NULL;
	char *cause = NULL;
	int rc;

	rc = sweep_parse(name, text, strlen(text), fmt, &s, &cause);
	if (rc != 0)
		fail_msg("unexpected error: %s", cause);
	assert_non_null(s);
	return s;
}

/* Parses text and checks that one error line equals want exactly. */
static void
parse_err(const char *name, const char *text, enum sweep_format fmt,
    const char *want)
{
	struct sweep_spec *s = NULL;
	char *cause = NULL;
	int rc;

	rc = sweep_parse(name, text, strlen(text), fmt, &s, &cause);
	assert_true(rc < 0);
	assert_null(s);
	assert_non_null(cause);
	if (strstr(cause, want) == NULL)
		fail_msg("want \"%s\" in:\n%s", want, cause);
	free(cause);
}

static void
test_example_yaml(void **state)
{
	struct sweep_spec *s = parse_ok("sweep.yaml", example_yaml, SWEEP_YAML);

	assert_int_equal(s->method, SWEEP_RANDOM);
	assert_string_equal(s->program, "train.py");
	assert_string_equal(s->interpreter, "python3");
	assert_null(s->command);
	assert_string_equal(s->metric, "val_loss");
	assert_int_equal(s->goal, SWEEP_MINIMIZE);
	assert_int_equal(s->nparams, 5);
	assert_string_equal(s->params[0].name, "lr");
	assert_int_equal(s->params[0].dist, SWEEP_D_LOG_UNIFORM_VALUES);
	assert_true(s->params[0].min == 1.0e-5 && s->params[0].max == 1.0e-2);
	assert_int_equal(s->params[0].line, 5);
	assert_int_equal(s->params[1].dist, SWEEP_D_CATEGORICAL);
	assert_int_equal(s->params[1].nvalues, 3);
	assert_int_equal(s->params[1].values[2].type, SWEEP_V_INT);
	assert_int_equal(s->params[1].values[2].i, 128);
	/* W&B's inference: float bounds -> uniform, int -> int_uniform. */
	assert_int_equal(s->params[2].dist, SWEEP_D_UNIFORM);
	assert_int_equal(s->params[3].dist, SWEEP_D_INT_UNIFORM);
	assert_int_equal(s->params[4].dist, SWEEP_D_CONSTANT);
	assert_string_equal(s->params[4].values[0].s, "relu");
	assert_int_equal(s->early.type, SWEEP_ET_HYPERBAND);
	assert_int_equal(s->early.min_iter, 3);
	assert_int_equal(s->early.eta, 3);
	assert_int_equal(s->trials, 64);
	assert_int_equal(s->parallel, 8);
	assert_int_equal(s->res.gpus_milli, 250);
	assert_int_equal(s->res.cpus_milli, 4000);
	assert_int_equal(s->res.mem_mb, 16384);
	assert_int_equal(s->res.time_s, 7200);
	assert_string_equal(s->project, "vision");
	assert_int_equal(s->has_seed, 0);
	assert_int_equal(s->nwarnings, 1);
	assert_string_equal(s->warnings[0],
	    "sweep.yaml:11: entity: a W&B key gpuq ignores");
	sweep_spec_free(s);
}

static void
test_example_json(void **state)
{
	struct sweep_spec *s;

	s = parse_ok("sweep.json", example_json, SWEEP_AUTO);
	assert_int_equal(s->method, SWEEP_BAYES);
	assert_int_equal(s->goal, SWEEP_MAXIMIZE);
	assert_int_equal(s->params[0].dist, SWEEP_D_UNIFORM);
	assert_int_equal(s->params[0].line, 6);
	assert_int_equal(s->params[1].dist, SWEEP_D_INT_UNIFORM);
	assert_int_equal(s->params[2].dist, SWEEP_D_CATEGORICAL);
	assert_string_equal(s->params[2].values[1].s, "sgd");
	assert_int_equal(s->trials, 20); /* run_cap */
	sweep_spec_free(s);
}

static void
test_nested_and_command(void **state)
{
	struct sweep_spec *s;

	s = parse_ok("n.yaml",
	    "command: [\"${env}\", python3, -u, train.py, \"${args}\", "
	    "\"--tag=${opt.lr}\"]\n"
	    "method: grid\n"
	    "parameters:\n"
	    "  opt:\n"
	    "    parameters:\n"
	    "      lr: {values: [0.1, 0.01]}\n"
	    "      mom: {values: [0.9]}\n"
	    "  seed: {values: [1, 2, 3]}\n",
	    SWEEP_YAML);
	assert_int_equal(s->nparams, 3);
	assert_string_equal(s->params[0].name, "opt.lr");
	assert_string_equal(s->params[1].name, "opt.mom");
	assert_string_equal(s->params[2].name, "seed");
	assert_int_equal(s->ncommand, 6);
	assert_string_equal(s->command[2], "-u");
	assert_null(s->program);
	sweep_spec_free(s);
}

static void
test_all_distributions(void **state)
{
	struct sweep_spec *s;

	s = parse_ok("d.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {distribution: constant, value: 1}\n"
	    "  b: {distribution: categorical, values: [x, y], "
	    "probabilities: [0.25, 0.75]}\n"
	    "  c: {distribution: int_uniform, min: 1, max: 3}\n"
	    "  d: {distribution: uniform, min: -1, max: 1}\n"
	    "  e: {distribution: q_uniform, min: 0, max: 1, q: 0.25}\n"
	    "  f: {distribution: log_uniform, min: -5, max: 0}\n"
	    "  g: {distribution: log_uniform_values, min: 1e-5, max: 1}\n"
	    "  h: {distribution: q_log_uniform, min: 0, max: 5, q: 2}\n"
	    "  i: {distribution: q_log_uniform_values, min: 1, max: 100, "
	    "q: 1}\n"
	    "  j: {distribution: inv_log_uniform, min: 0, max: 3}\n"
	    "  k: {distribution: inv_log_uniform_values, min: 0.1, max: 1}\n"
	    "  l: {distribution: normal, mu: 1, sigma: 2}\n"
	    "  m: {distribution: q_normal, mu: 0, sigma: 1, q: 0.5}\n"
	    "  n: {distribution: log_normal, mu: 0, sigma: 1}\n"
	    "  o: {distribution: q_log_normal, mu: 2, sigma: 1, q: 1}\n"
	    "  p: {distribution: beta, a: 2, b: 5}\n"
	    "  q: {distribution: q_beta, a: 2, b: 2, q: 0.1}\n",
	    SWEEP_YAML);
	assert_int_equal(s->nparams, SWEEP_NDISTS);
	for (size_t i = 0; i < s->nparams; i++)
		assert_int_equal(s->params[i].dist, (enum sweep_dist)i);
	assert_true(s->params[1].probs[1] == 0.75);
	assert_true(s->params[11].mu == 1 && s->params[11].sigma == 2);
	sweep_spec_free(s);
}

static void
test_roundtrip(void **state)
{
	const char *srcs[] = { example_yaml, example_json };
	struct sweep_spec *s, *s2;
	char *a, *b, *cause = NULL;

	for (int k = 0; k < 2; k++) {
		s = parse_ok("x", srcs[k], SWEEP_AUTO);
		s->seed = 12345;
		s->has_seed = 1;
		a = sweep_spec_dumps(s);
		assert_int_equal(sweep_spec_loads(a, &s2, &cause), 0);
		b = sweep_spec_dumps(s2);
		assert_string_equal(a, b);
		assert_int_equal(s2->seed, 12345);
		assert_int_equal(s2->nparams, s->nparams);
		assert_int_equal(s2->params[0].dist, s->params[0].dist);
		assert_true(s2->params[0].min == s->params[0].min);
		assert_int_equal(s2->res.time_s, s->res.time_s);
		assert_int_equal(s2->res.gpus_milli, s->res.gpus_milli);
		free(a);
		free(b);
		sweep_spec_free(s);
		sweep_spec_free(s2);
	}
	/* Nested parameters come back nested, in order. */
	s = parse_ok("n",
	    "program: p\nmethod: grid\nparameters:\n"
	    "  o: {parameters: {x: {values: [1]}, y: {value: "
	    "2}}}\n  z: {values: [true, null]}\n",
	    SWEEP_YAML);
	a = sweep_spec_dumps(s);
	assert_int_equal(sweep_spec_loads(a, &s2, &cause), 0);
	assert_string_equal(s2->params[1].name, "o.y");
	assert_int_equal(s2->params[2].values[1].type, SWEEP_V_NULL);
	free(a);
	sweep_spec_free(s);
	sweep_spec_free(s2);
}

/* Each kind of mistake, in YAML and in JSON, names its line and key. */

static void
test_err_syntax(void **state)
{
	parse_err("s.yaml", "program: t.py\nmethod: [grid\nparameters: 1\n",
	    SWEEP_YAML, "s.yaml:3: YAML: ");
	parse_err("s.json", "{\n\"program\": \"t.py\",\n\"method\": 1\n,}\n",
	    SWEEP_JSON, "s.json:4: JSON: ");
	parse_err("s.yaml", "", SWEEP_YAML, "s.yaml:1: the file is empty");
	parse_err("s.yaml", "- a\n- b\n", SWEEP_YAML,
	    "s.yaml:1: a sweep file is a mapping of keys, not a list");
	parse_err("s.yaml", "a: 1\n---\nb: 2\n", SWEEP_YAML,
	    "s.yaml:2: more than one YAML document");
	parse_err("s.yaml", "program: &p t.py\nname: *p\n", SWEEP_YAML,
	    "s.yaml:2: YAML aliases are not supported");
}

static void
test_err_unknown_key(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethd: grid\nparameters: {a: {values: [1]}}\n",
	    SWEEP_YAML, "s.yaml:2: methd: unknown key (did you mean method?)");
	parse_err("s.json",
	    "{\"program\": \"t.py\", \"method\": \"grid\",\n"
	    "\"parameters\": {\"a\": {\"values\": [1]}},\n"
	    "\"paralel\": 2}\n",
	    SWEEP_JSON,
	    "s.json:3: paralel: unknown key (did you mean "
	    "parallel?)");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters:\n  a: {valus: [1]}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a.valus: unknown key (did you "
	    "mean values?)");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "resources: {gpu: 1}\n",
	    SWEEP_YAML,
	    "s.yaml:4: resources.gpu: unknown key (did you "
	    "mean gpus?)");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "zzzzzz: 1\n",
	    SWEEP_YAML, "s.yaml:4: zzzzzz: unknown key");
}

static void
test_err_min_max(void **state)
{
	parse_err("sweep.yaml",
	    "program: t.py\nmethod: random\n\n\nparameters:\n  a: {values: "
	    "[1]}\n  lr:\n    min: 0.1\n    max: 0.01\n",
	    SWEEP_YAML,
	    "sweep.yaml:8: parameters.lr: min 0.1 is greater than max 0.01");
	parse_err("sweep.json",
	    "{\"program\": \"t.py\", \"method\": \"random\",\n"
	    "\"parameters\": {\n"
	    "  \"lr\": {\"min\": 0.1,\n"
	    "          \"max\": 0.01}}}\n",
	    SWEEP_JSON,
	    "sweep.json:3: parameters.lr: min 0.1 is greater than max 0.01");
}

static void
test_err_type(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "trials: ten\n",
	    SWEEP_YAML,
	    "s.yaml:4: trials: must be a whole number, not a "
	    "string");
	parse_err("s.json",
	    "{\"program\": \"t.py\", \"method\": \"grid\",\n"
	    "\"parameters\": {\"a\": {\"values\": [1]}},\n"
	    "\"parallel\": 2.5}\n",
	    SWEEP_JSON,
	    "s.json:3: parallel: must be a whole number, not a "
	    "number");
	parse_err("s.yaml",
	    "program: [t.py]\nmethod: grid\nparameters: {a: {values: [1]}}\n",
	    SWEEP_YAML, "s.yaml:1: program: must be a string, not a list");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [[1]]}}\n",
	    SWEEP_YAML,
	    "s.yaml:3: parameters.a: values must be numbers, "
	    "strings, booleans or null, not a list");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: [1, 2]}\n",
	    SWEEP_YAML, "s.yaml:3: parameters.a: must be a mapping");
}

static void
test_err_distribution(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {distribution: log_uniform_value, min: 1, max: 2}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a: unknown distribution (did "
	    "you mean log_uniform_values?)");
	parse_err("s.json",
	    "{\"program\": \"t.py\", \"method\": \"random\", \"parameters\": "
	    "{\n"
	    "\"a\": {\"distribution\": \"normal\", \"mu\": 0,\n"
	    "\"min\": 1}}}\n",
	    SWEEP_JSON,
	    "s.json:3: parameters.a: min does not apply to a "
	    "normal parameter");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {distribution: log_uniform_values, min: 0, max: 2}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a: min 0 must be greater than "
	    "0 for log_uniform_values");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {distribution: int_uniform, min: 1, max: 2.5}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a: int_uniform needs whole "
	    "numbers");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {distribution: q_uniform, min: 0.1, max: 0.2, q: 1}\n",
	    SWEEP_YAML, "s.yaml:4: parameters.a: no multiple of q 1");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {distribution: normal, sigma: 0}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a: sigma, q, a and b must be "
	    "greater than 0");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n  a: {mu: 1}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a: give values, value, min and "
	    "max, or a distribution");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n  a: {values: []}\n",
	    SWEEP_YAML,
	    "s.yaml:4: parameters.a: values must be a non-empty "
	    "list");
	parse_err("s.yaml",
	    "program: t.py\nmethod: random\nparameters:\n"
	    "  a: {values: [1, 2], probabilities: [0.5, 0.6]}\n",
	    SWEEP_YAML, "s.yaml:4: parameters.a: probabilities sum to 1.1");
}

static void
test_err_missing(void **state)
{
	parse_err("s.yaml", "program: t.py\nparameters: {a: {values: [1]}}\n",
	    SWEEP_YAML, "s.yaml:1: method: missing (grid, random or bayes)");
	parse_err("s.json", "{\"program\": \"t.py\", \"method\": \"grid\"}",
	    SWEEP_JSON, "s.json:1: parameters: missing");
	parse_err("s.yaml", "method: grid\nparameters: {a: {values: [1]}}\n",
	    SWEEP_YAML,
	    "s.yaml:1: program: missing (give program or "
	    "command)");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "metric: {goal: minimize}\n",
	    SWEEP_YAML, "s.yaml:4: metric.name: missing");
}

static void
test_err_method(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: gird\nparameters: {a: {values: [1]}}\n",
	    SWEEP_YAML,
	    "s.yaml:2: method: unknown method \"gird\", did you "
	    "mean grid?");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters:\n  a: {values: [1]}\n"
	    "  lr: {min: 0.1, max: 0.2}\n",
	    SWEEP_YAML,
	    "s.yaml:5: parameters.lr: grid search needs a list of "
	    "values (uniform is continuous)");
	parse_err("s.json",
	    "{\"program\": \"t.py\",\n\"method\": \"bayes\",\n"
	    "\"parameters\": {\"a\": {\"values\": [1]}}}\n",
	    SWEEP_JSON, "s.json:2: metric: bayes search needs a metric");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "metric: {name: loss, goal: lowest}\n",
	    SWEEP_YAML, "s.yaml:4: metric.goal: must be minimize or maximize");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters:\n"
	    "  a: {min: 1, max: 1000}\n  b: {min: 1, max: 1000}\n"
	    "  c: {min: 1, max: 1000}\n",
	    SWEEP_YAML,
	    "s.yaml:2: method: the grid has more than 1000000 "
	    "points");
}

static void
test_err_early(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "metric: {name: loss}\n"
	    "early_terminate: {type: hyperband, eta: 3}\n",
	    SWEEP_YAML,
	    "s.yaml:5: early_terminate: hyperband needs min_iter, "
	    "or max_iter and s");
	parse_err("s.json",
	    "{\"program\": \"t.py\", \"method\": \"grid\",\n"
	    "\"parameters\": {\"a\": {\"values\": [1]}},\n"
	    "\"early_terminate\": {\"type\": \"hyperband\", \"min_iter\": "
	    "3}}\n",
	    SWEEP_JSON, "s.json:3: metric: early termination needs a metric");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "metric: {name: loss}\n"
	    "early_terminate: {type: asha}\n",
	    SWEEP_YAML,
	    "s.yaml:5: early_terminate.type: must be hyperband or "
	    "median");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "metric: {name: loss}\n"
	    "early_terminate: {type: hyperband, min_iter: 3, eta: 1}\n",
	    SWEEP_YAML, "s.yaml:5: early_terminate.eta: 1 is out of range");
}

static void
test_err_command(void **state)
{
	parse_err("s.yaml",
	    "command: [python3, t.py, \"${argz}\"]\nmethod: grid\n"
	    "parameters: {a: {values: [1]}}\n",
	    SWEEP_YAML,
	    "s.yaml:1: command: unknown macro ${argz} (not a "
	    "parameter)");
	parse_err("s.json",
	    "{\"command\": [\"python3\",\n\"${program}\"],\n"
	    "\"method\": \"grid\", \"parameters\": {\"a\": {\"values\": "
	    "[1]}}}\n",
	    SWEEP_JSON,
	    "s.json:2: command: ${program} is used but program is "
	    "not given");
	parse_err("s.yaml",
	    "command: [python3, t.py, \"x${args}\"]\nmethod: grid\n"
	    "parameters: {a: {values: [1]}}\n",
	    SWEEP_YAML,
	    "s.yaml:1: command: ${args} must be a list element of "
	    "its own");
	parse_err("s.yaml",
	    "command: [\"${env}\"]\nmethod: grid\n"
	    "parameters: {a: {values: [1]}}\n",
	    SWEEP_YAML, "s.yaml:1: command: names no program to run");
}

static void
test_err_duplicate(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "method: random\n",
	    SWEEP_YAML, "s.yaml:4: method: duplicate key");
	parse_err("s.json", "{\"program\": \"t.py\",\n\"program\": \"u.py\"}\n",
	    SWEEP_JSON, "s.json:2: JSON: duplicate object key");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "trials: 3\nrun_cap: 4\n",
	    SWEEP_YAML, "s.yaml:5: run_cap: give trials or run_cap, not both");
}

static void
test_err_resources(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "resources:\n  gpus: 1.5\n",
	    SWEEP_YAML, "s.yaml:5: resources.gpus: bad value \"1.5\"");
	parse_err("s.json",
	    "{\"program\": \"t.py\", \"method\": \"grid\",\n"
	    "\"parameters\": {\"a\": {\"values\": [1]}},\n"
	    "\"resources\": {\"time\": \"2 weeks\"}}\n",
	    SWEEP_JSON, "s.json:3: resources.time: bad value \"2 weeks\"");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters: {a: {values: [1]}}\n"
	    "resources: {gpus: 2, gpu_mem: 10G}\n",
	    SWEEP_YAML,
	    "s.yaml:4: resources.gpu_mem: sizes a share of one "
	    "GPU");
}

static void
test_err_names(void **state)
{
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters:\n  \"a b\": {values: "
	    "[1]}\n",
	    SWEEP_YAML, "s.yaml:4: parameters: bad parameter name \"a b\"");
	parse_err("s.yaml",
	    "program: t.py\nmethod: grid\nparameters:\n  a.b: {values: [1]}\n",
	    SWEEP_YAML, "s.yaml:4: parameters: bad parameter name \"a.b\"");
	parse_err("s.json",
	    "{\"program\": \"t\", \"method\": \"grid\", \"parameters\": {\n"
	    "\"ok\": {\"values\": [1]},\n\"--x\": {\"values\": [1]}}}\n",
	    SWEEP_JSON, "s.json:3: parameters: bad parameter name \"--x\"");
}

/* Many mistakes at once: each is reported, up to the cap. */
static void
test_err_many(void **state)
{
	char *cause = NULL;
	struct sweep_spec *s;
	const char *text = "program: t.py\nmethod: grid\nparameters:\n"
	                   "  a: {valus: [1]}\n  b: {min: 2, max: 1}\n"
	                   "trials: x\nparallel: 0\n";

	assert_int_equal(sweep_parse("m.yaml", text, strlen(text), SWEEP_YAML,
	                     &s, &cause),
	    GQ_EINVAL);
	assert_non_null(strstr(cause, "m.yaml:4: parameters.a.valus"));
	assert_non_null(strstr(cause, "m.yaml:5: parameters.b: min 2"));
	assert_non_null(strstr(cause, "m.yaml:6: trials"));
	assert_non_null(strstr(cause,
	    "m.yaml:7: parallel: 0 is out of "
	    "range (1 to 1024)"));
	free(cause);
}

static char *
repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1), *p = s;

	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void
test_limits(void **state)
{
	struct sweep_spec *s;
	char *cause = NULL, *t, *u;
	size_t i;

	/* The file size. */
	t = repeat("program: t.py\n", "#", SWEEP_MAX_FILE, "\n");
	assert_int_equal(sweep_parse("big", t, strlen(t), SWEEP_YAML, &s,
	                     &cause),
	    GQ_ETOOBIG);
	assert_non_null(strstr(cause, "larger than"));
	free(cause);
	free(t);
	/* Nesting, in both formats. */
	t = repeat("a: ", "[", 40, "1");
	parse_err("deep.yaml", t, SWEEP_YAML, "nested deeper than 32");
	free(t);
	t = repeat("{\"a\": ", "[", 40, "");
	u = repeat(t, "]", 40, "}");
	parse_err("deep.json", u, SWEEP_JSON, "nested deeper than 32");
	free(t);
	free(u);
	/* A long scalar. */
	t = repeat("program: ", "x", SWEEP_MAX_STRING + 1, "\n");
	parse_err("long.yaml", t, SWEEP_YAML, "long.yaml:1: scalar longer");
	free(t);
	t = repeat("{\"program\": \"", "x", SWEEP_MAX_STRING + 1, "\"}");
	parse_err("long.json", t, SWEEP_JSON,
	    "long.json:1: a string is too "
	    "long");
	free(t);
	/* Too many values, too many nodes. */
	t = repeat("program: t\nmethod: random\nparameters:\n  a: {values: [",
	    "1,", SWEEP_MAX_VALUES, "1]}\n");
	parse_err("v.yaml", t, SWEEP_YAML,
	    "v.yaml:4: parameters.a: more "
	    "than 10000 values");
	free(t);
	t = repeat("[", "1,", SWEEP_MAX_NODES, "1]");
	parse_err("n.json", t, SWEEP_JSON, "more than 100000 nodes");
	free(t);
	/* Too many parameters. */
	t = malloc(64 * (SWEEP_MAX_PARAMS + 2));
	strcpy(t, "program: t\nmethod: random\nparameters:\n");
	for (i = 0; i <= SWEEP_MAX_PARAMS; i++)
		sprintf(t + strlen(t), "  p%zu: {values: [1]}\n", i);
	parse_err("p.yaml", t, SWEEP_YAML, "more than 256 parameters");
	free(t);
}

static void
test_yaml_scalars(void **state)
{
	struct sweep_spec *s;

	s = parse_ok("y",
	    "program: t\nmethod: grid\nparameters:\n"
	    "  a: {values: [1e-3, 0x10, \"12\", 'x', true, ~, "
	    "-.5, +7, 1_0]}\n",
	    SWEEP_YAML);
	assert_int_equal(s->params[0].values[0].type, SWEEP_V_FLOAT);
	assert_true(s->params[0].values[0].f == 1e-3);
	assert_int_equal(s->params[0].values[1].type, SWEEP_V_INT);
	assert_int_equal(s->params[0].values[1].i, 16);
	assert_int_equal(s->params[0].values[2].type, SWEEP_V_STR);
	assert_int_equal(s->params[0].values[3].type, SWEEP_V_STR);
	assert_int_equal(s->params[0].values[4].type, SWEEP_V_BOOL);
	assert_int_equal(s->params[0].values[5].type, SWEEP_V_NULL);
	assert_true(s->params[0].values[6].f == -0.5);
	assert_int_equal(s->params[0].values[7].i, 7);
	assert_int_equal(s->params[0].values[8].type, SWEEP_V_STR);
	sweep_spec_free(s);
	/* An infinite value is refused where a number is needed. */
	parse_err("y",
	    "program: t\nmethod: grid\nparameters:\n"
	    "  a: {values: [1, -.inf]}\n",
	    SWEEP_YAML, "y:4: parameters.a: values must be finite");
	parse_err("y",
	    "program: t\nmethod: random\nparameters:\n"
	    "  a: {min: 0, max: .inf}\n",
	    SWEEP_YAML, "y:4: parameters.a: must be finite");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_yaml),
		cmocka_unit_test(test_example_json),
		cmocka_unit_test(test_nested_and_command),
		cmocka_unit_test(test_all_distributions),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_err_syntax),
		cmocka_unit_test(test_err_unknown_key),
		cmocka_unit_test(test_err_min_max),
		cmocka_unit_test(test_err_type),
		cmocka_unit_test(test_err_distribution),
		cmocka_unit_test(test_err_missing),
		cmocka_unit_test(test_err_method),
		cmocka_unit_test(test_err_early),
		cmocka_unit_test(test_err_command),
		cmocka_unit_test(test_err_duplicate),
		cmocka_unit_test(test_err_resources),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test(test_err_many),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_yaml_scalars),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
