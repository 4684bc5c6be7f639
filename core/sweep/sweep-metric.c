/*
 * Metric lines: what a trial writes to $GPUQ_METRICS_FILE, or prints on
 * stdout after "@gpuq ".  One JSON object of numbers per line, bounded.
 */
#include <math.h>
#include <string.h>

#include <jansson.h>

#include "core/base/error.h"
#include "core/sweep/sweep.h"

#define SWEEP_METRIC_PREFIX "@gpuq "

static int
sweep_metric_step(const json_t *v, struct sweep_metrics *m, const char **why)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		*why = "step must be a whole number >= 0";
		return GQ_EINVAL;
	}
	if (m->has_step) {
		*why = "both step and _step given";
		return GQ_EINVAL;
	}
	m->has_step = 1;
	m->step = json_integer_value(v);
	return 0;
}

static int
sweep_metric_kv(const char *key, const json_t *v, struct sweep_metrics *m,
    const char **why)
{
	double d;

	if (*key == '\0' || strlen(key) >= SWEEP_METRIC_KEY_MAX) {
		*why = "a metric name is empty or too long";
		return GQ_EINVAL;
	}
	if (strcmp(key, "step") == 0 || strcmp(key, "_step") == 0)
		return sweep_metric_step(v, m, why);
	if (!json_is_number(v)) {
		*why = "metric values must be numbers";
		return GQ_EINVAL;
	}
	d = json_number_value(v);
	if (!isfinite(d)) {
		*why = "metric values must be finite";
		return GQ_EINVAL;
	}
	if (m->n >= SWEEP_METRIC_MAX_KEYS) {
		*why = "too many metrics in one line";
		return GQ_ETOOBIG;
	}
	strcpy(m->kv[m->n].key, key);
	m->kv[m->n++].value = d;
	return 0;
}

static int
sweep_metric_object(json_t *o, struct sweep_metrics *m, const char **why)
{
	const char *key;
	json_t *v;
	int rc;

	if (!json_is_object(o)) {
		*why = "a metric line is a JSON object";
		return GQ_EINVAL;
	}
	if (json_object_size(o) > SWEEP_METRIC_MAX_KEYS + 1) {
		*why = "too many metrics in one line";
		return GQ_ETOOBIG;
	}
	json_object_foreach(o, key, v)
		if ((rc = sweep_metric_kv(key, v, m, why)) < 0)
			return rc;
	return 0;
}

int
sweep_metric_parse(const char *line, size_t len, struct sweep_metrics *m,
    const char **why)
{
	json_error_t err;
	json_t *o;
	int rc;

	memset(m, 0, sizeof(*m));
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > SWEEP_METRIC_LINE_MAX) {
		*why = "metric line longer than 4096 bytes";
		return GQ_ETOOBIG;
	}
	o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL) {
		*why = "not a JSON object";
		return GQ_EINVAL;
	}
	rc = sweep_metric_object(o, m, why);
	json_decref(o);
	if (rc < 0)
		memset(m, 0, sizeof(*m));
	return rc;
}

int
sweep_metric_parse_stdout(const char *line, size_t len, struct sweep_metrics *m,
    const char **why)
{
	size_t plen = strlen(SWEEP_METRIC_PREFIX);
	int rc;

	if (len < plen || memcmp(line, SWEEP_METRIC_PREFIX, plen) != 0)
		return 0;
	rc = sweep_metric_parse(line + plen, len - plen, m, why);
	return rc < 0 ? rc : 1;
}

const double *
sweep_metrics_find(const struct sweep_metrics *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->kv[i].key, key) == 0)
			return &m->kv[i].value;
	return NULL;
}
