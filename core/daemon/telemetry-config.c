/*
 * The GPU options: one table, in the shape of config.c's, that config.c
 * consults for names its own table does not have.  docs/man/gpuqd.conf.5
 * describes each one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/daemon/config.h"
#include "core/daemon/telemetry-config.h"

#define TEL_MAX_KEEP_S (INT64_C(3660) * 24 * 3600) /* ten years */

struct tel_option {
	const char *name;
	int restart;
	int (*set)(struct tel_config *t, const char *v, char *cause, size_t n);
	void (*print)(const struct tel_config *t, FILE *fp, const char *name);
};

static int
tel_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strcmp(v, "default") == 0 ? NULL : xstrdup(v);
	return 0;
}

static void
tel_print_str(FILE *fp, const char *name, const char *v)
{
	if (v != NULL)
		fprintf(fp, "%s %s\n", name, v);
	else
		fprintf(fp, "# %s (not set: the default applies)\n", name);
}

static int
tel_set_probe(struct tel_config *t, const char *v, char *cause, size_t n)
{
	if (strcmp(v, "auto") != 0 && strcmp(v, "nvml") != 0 &&
	    strcmp(v, "nvidia-smi") != 0 && strcmp(v, "none") != 0) {
		snprintf(cause, n,
		    "gpu-probe wants auto, nvml, nvidia-smi or "
		    "none");
		return GQ_EINVAL;
	}
	return tel_str(&t->probe, v);
}

static void
tel_print_probe(const struct tel_config *t, FILE *fp, const char *name)
{
	fprintf(fp, "%s %s\n", name, t->probe != NULL ? t->probe : "auto");
}

#define TEL_STR(field)                                                         \
	static int tel_set_##field(struct tel_config *t, const char *v,        \
	    char *cause, size_t n)                                             \
	{                                                                      \
		return tel_str(&t->field, v);                                  \
	}                                                                      \
	static void tel_print_##field(const struct tel_config *t, FILE *fp,    \
	    const char *name)                                                  \
	{                                                                      \
		tel_print_str(fp, name, t->field);                             \
	}

TEL_STR(nvml_lib)
TEL_STR(smi_path)
TEL_STR(mps_dir)

/* A duration from min to max seconds into *out. */
static int
tel_duration(const char *name, const char *v, int64_t min, int64_t max,
    int64_t *out, char *cause, size_t n)
{
	int64_t s;

	if (units_parse_duration(v, 1, &s) != 0 || s < min || s > max) {
		snprintf(cause, n, "%s wants a duration from %llds to %llds",
		    name, (long long)min, (long long)max);
		return GQ_EINVAL;
	}
	*out = s;
	return 0;
}

/* Exactly, in the largest unit that divides it, so it reads back. */
static void
tel_print_duration(FILE *fp, const char *name, int64_t s)
{
	static const struct {
		int64_t secs;
		char unit;
	} units[] = { { 86400, 'd' }, { 3600, 'h' }, { 60, 'm' } };
	size_t i;

	for (i = 0; i < 3; i++)
		if (s > 0 && s % units[i].secs == 0) {
			fprintf(fp, "%s %lld%c\n", name,
			    (long long)(s / units[i].secs), units[i].unit);
			return;
		}
	fprintf(fp, "%s %llds\n", name, (long long)s);
}

static int
tel_set_interval(struct tel_config *t, const char *v, char *cause, size_t n)
{
	int64_t s;
	int rc;

	if ((rc = tel_duration("gpu-sample-interval", v, 1, 3600, &s, cause,
	         n)) == 0)
		t->interval_s = (int32_t)s;
	return rc;
}

static void
tel_print_interval(const struct tel_config *t, FILE *fp, const char *name)
{
	tel_print_duration(fp, name, t->interval_s);
}

#define TEL_DURATION(field, label, min, max)                                   \
	static int tel_set_##field(struct tel_config *t, const char *v,        \
	    char *cause, size_t n)                                             \
	{                                                                      \
		return tel_duration(label, v, min, max, &t->field, cause, n);  \
	}                                                                      \
	static void tel_print_##field(const struct tel_config *t, FILE *fp,    \
	    const char *name)                                                  \
	{                                                                      \
		tel_print_duration(fp, name, t->field);                        \
	}

TEL_DURATION(ring_s, "gpu-history-memory", 60, 7 * 24 * 3600)
TEL_DURATION(keep_s, "gpu-history-keep", 3600, TEL_MAX_KEEP_S)
TEL_DURATION(usage_keep_s, "usage-keep", 24 * 3600, TEL_MAX_KEEP_S)
TEL_DURATION(idle_after_s, "idle-after", 1, 30 * 24 * 3600)

static int
tel_set_idle_pct(struct tel_config *t, const char *v, char *cause, size_t n)
{
	char *end;
	long x = strtol(v, &end, 10);

	if (*end == '%')
		end++;
	if (end == v || *end != '\0' || x < 0 || x > 100) {
		snprintf(cause, n,
		    "idle-threshold wants a percentage, 0..100 "
		    "(0: never idle)");
		return GQ_EINVAL;
	}
	t->idle_pct = (int32_t)x;
	return 0;
}

static void
tel_print_idle_pct(const struct tel_config *t, FILE *fp, const char *name)
{
	fprintf(fp, "%s %d%%\n", name, (int)t->idle_pct);
}

/* A word of two: 0 or 1 into *out. */
static int
tel_choice(const char *name, const char *v, const char *w0, const char *w1,
    int *out, char *cause, size_t n)
{
	if (strcmp(v, w0) == 0 || strcmp(v, w1) == 0) {
		*out = strcmp(v, w1) == 0;
		return 0;
	}
	snprintf(cause, n, "%s wants %s or %s", name, w0, w1);
	return GQ_EINVAL;
}

static int
tel_set_idle_swap(struct tel_config *t, const char *v, char *cause, size_t n)
{
	return tel_choice("idle-action", v, "notify", "swap", &t->idle_swap,
	    cause, n);
}

static void
tel_print_idle_swap(const struct tel_config *t, FILE *fp, const char *name)
{
	fprintf(fp, "%s %s\n", name, t->idle_swap ? "swap" : "notify");
}

static int
tel_set_overrun_stop(struct tel_config *t, const char *v, char *cause, size_t n)
{
	return tel_choice("gpu-mem-overrun", v, "warn", "stop",
	    &t->overrun_stop, cause, n);
}

static void
tel_print_overrun_stop(const struct tel_config *t, FILE *fp, const char *name)
{
	fprintf(fp, "%s %s\n", name, t->overrun_stop ? "stop" : "warn");
}

#define TEL_OPT(name, restart, field)                                          \
	{                                                                      \
		name, restart, tel_set_##field, tel_print_##field              \
	}

static const struct tel_option tel_options[] = {
	TEL_OPT("gpu-probe", 1, probe),
	TEL_OPT("nvml-lib", 1, nvml_lib),
	TEL_OPT("nvidia-smi", 1, smi_path),
	TEL_OPT("gpu-sample-interval", 1, interval),
	TEL_OPT("gpu-history-memory", 1, ring_s),
	TEL_OPT("gpu-history-keep", 0, keep_s),
	TEL_OPT("usage-keep", 0, usage_keep_s),
	TEL_OPT("idle-threshold", 0, idle_pct),
	TEL_OPT("idle-after", 0, idle_after_s),
	TEL_OPT("idle-action", 0, idle_swap),
	TEL_OPT("gpu-mem-overrun", 0, overrun_stop),
	TEL_OPT("mps-pipe-dir", 0, mps_dir),
};

#define TEL_NOPTIONS (sizeof(tel_options) / sizeof(tel_options[0]))

static const struct tel_option *
tel_find(const char *name)
{
	size_t i;

	for (i = 0; i < TEL_NOPTIONS; i++)
		if (strcmp(tel_options[i].name, name) == 0)
			return &tel_options[i];
	return NULL;
}

void
telemetry_config_defaults(struct config *cfg)
{
	struct tel_config *t = &cfg->gpu;

	memset(t, 0, sizeof(*t));
	t->interval_s = 2;
	t->ring_s = 3600;
	t->keep_s = 7 * 24 * 3600;
	t->usage_keep_s = 400 * 24 * 3600;
	t->idle_pct = 5;
	t->idle_after_s = 30 * 60;
}

void
telemetry_config_done(struct config *cfg)
{
	struct tel_config *t = &cfg->gpu;

	free(t->probe);
	free(t->nvml_lib);
	free(t->smi_path);
	free(t->mps_dir);
	memset(t, 0, sizeof(*t));
}

int
telemetry_config_set(struct config *cfg, const char *key, const char *value,
    char *cause, size_t n)
{
	const struct tel_option *o = tel_find(key);

	if (o == NULL) {
		snprintf(cause, n, "unknown option \"%s\"", key);
		return GQ_EINVAL;
	}
	if (*value == '\0') {
		snprintf(cause, n, "option \"%s\" needs a value", key);
		return GQ_EINVAL;
	}
	return o->set(&cfg->gpu, value, cause, n);
}

void
telemetry_config_print(const struct config *cfg, FILE *fp)
{
	size_t i;

	for (i = 0; i < TEL_NOPTIONS; i++)
		tel_options[i].print(&cfg->gpu, fp, tel_options[i].name);
}

int
telemetry_config_needs_restart(const char *key)
{
	const struct tel_option *o = tel_find(key);

	return o == NULL || o->restart;
}

static char *
tel_line(const struct tel_config *t, const struct tel_option *o)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	o->print(t, fp, o->name);
	fclose(fp);
	return s;
}

void
telemetry_config_changed(const struct config *old, const struct config *fresh,
    void (*cb)(const char *name))
{
	char *a, *b;
	size_t i;

	for (i = 0; i < TEL_NOPTIONS; i++) {
		if (!tel_options[i].restart)
			continue;
		a = tel_line(&old->gpu, &tel_options[i]);
		b = tel_line(&fresh->gpu, &tel_options[i]);
		if (strcmp(a, b) != 0)
			cb(tel_options[i].name);
		free(a);
		free(b);
	}
}

void
telemetry_config_reload(struct config *cfg, struct config *fresh)
{
	struct tel_config *t = &cfg->gpu, *f = &fresh->gpu;
	char *dir = t->mps_dir;

	t->keep_s = f->keep_s;
	t->usage_keep_s = f->usage_keep_s;
	t->idle_pct = f->idle_pct;
	t->idle_after_s = f->idle_after_s;
	t->idle_swap = f->idle_swap;
	t->overrun_stop = f->overrun_stop;
	t->mps_dir = f->mps_dir;
	f->mps_dir = dir;
}
