/*
 * libFuzzer target for the sweep engine's parsers (core/sweep/): the
 * first byte modulo 3 picks YAML ('0'), JSON ('1') or a metric line ('2');
 * the rest is the input.
 * A spec that parses must survive a JSON round trip unchanged, propose
 * trials that build an argv, and dry-run; a metric line that parses must
 * hold finite values within the limits.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sweep/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_SWEEP_ASSERT(x)                                                   \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static void
fuzz_sweep_metric(const char *text, size_t len)
{
	struct sweep_metrics m;
	const char *why = NULL;
	size_t i;
	int rc;

	rc = sweep_metric_parse_stdout(text, len, &m, &why);
	if (rc < 0)
		FUZZ_SWEEP_ASSERT(why != NULL);
	if (sweep_metric_parse(text, len, &m, &why) != 0)
		return;
	FUZZ_SWEEP_ASSERT(m.n <= SWEEP_METRIC_MAX_KEYS);
	FUZZ_SWEEP_ASSERT(!m.has_step || m.step >= 0);
	for (i = 0; i < m.n; i++) {
		FUZZ_SWEEP_ASSERT(isfinite(m.kv[i].value));
		FUZZ_SWEEP_ASSERT(memchr(m.kv[i].key, 0, SWEEP_METRIC_KEY_MAX));
	}
}

static void
fuzz_sweep_trials(const struct sweep_spec *s)
{
	struct sweep_point p;
	struct sweep_rng r;
	char **argv, *cause = NULL;
	size_t argc;
	int i;

	for (i = 0; i < 3; i++) {
		sweep_rng_for_trial(&r, 1, i);
		if (sweep_next(s, NULL, (size_t)i, &r, &p) != 1)
			break;
		FUZZ_SWEEP_ASSERT(p.n == s->nparams);
		if (sweep_argv(s, &p, &argv, &argc, &cause) == 0) {
			FUZZ_SWEEP_ASSERT(argc > 0 && argv[argc] == NULL);
			sweep_argv_free(argv);
		}
		free(cause);
		cause = NULL;
		sweep_point_done(&p);
	}
}

static void
fuzz_sweep_spec(const char *text, size_t len, enum sweep_format fmt)
{
	struct sweep_spec *s, *s2;
	struct sweep_dryrun d;
	char *a, *b, *cause = NULL;

	if (sweep_parse("fuzz", text, len, fmt, &s, &cause) != 0) {
		FUZZ_SWEEP_ASSERT(cause != NULL && s == NULL);
		free(cause);
		return;
	}
	a = sweep_spec_dumps(s);
	FUZZ_SWEEP_ASSERT(sweep_spec_loads(a, &s2, &cause) == 0);
	b = sweep_spec_dumps(s2);
	FUZZ_SWEEP_ASSERT(strcmp(a, b) == 0);
	fuzz_sweep_trials(s);
	if (s->method != SWEEP_GRID || sweep_grid_size(s) <= 100) {
		FUZZ_SWEEP_ASSERT(sweep_dryrun(s, &d) == 0);
		free(sweep_dryrun_print(s, &d));
		sweep_dryrun_done(&d);
	}
	free(a);
	free(b);
	sweep_spec_free(s);
	sweep_spec_free(s2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;

	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_sweep_spec(text, size - 1, SWEEP_YAML);
		break;
	case 1:
		fuzz_sweep_spec(text, size - 1, SWEEP_JSON);
		break;
	default:
		fuzz_sweep_metric(text, size - 1);
		break;
	}
	return 0;
}
