/*
 * The sweep file's validator: the top-level keys, metric, resources and
 * the checks across keys.  Parameters are sweep-param.c's, the command and
 * early termination sweep-parse-more.c's.  sweep_parse() is the entry.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/sweep/sweep-int.h"

static const char *const sweep_top_keys[] = { "program", "command", "method",
	"metric", "parameters", "early_terminate", "name", "description",
	"project", "run_cap", "trials", "parallel", "resources", "seed",
	"interpreter", NULL };
static const char *const sweep_top_ignored[] = { "entity", "controller", "job",
	"image_uri", NULL };

static int
sweep_parse_method(struct sload *ld, const struct snode *n,
    struct sweep_spec *s)
{
	static const char *const names[] = { "grid", "random", "bayes", NULL };
	const char *hint;
	int m;

	if (n->kind != SNODE_STR)
		return sload_error(ld, n->line, "method",
		    "must be grid, random or bayes");
	for (m = 0; m < SWEEP_NMETHODS; m++)
		if (strcmp(n->s, names[m]) == 0) {
			s->method = (enum sweep_method)m;
			return 0;
		}
	hint = sweep_did_you_mean(n->s, names);
	return sload_error(ld, n->line, "method",
	    "unknown method \"%s\"%s%s%s (grid, random or bayes)", n->s,
	    hint != NULL ? ", did you mean " : "", hint != NULL ? hint : "",
	    hint != NULL ? "?" : "");
}

static int
sweep_parse_goal(struct sload *ld, const struct snode *n, struct sweep_spec *s)
{
	if (n->kind == SNODE_STR && strcmp(n->s, "minimize") == 0)
		s->goal = SWEEP_MINIMIZE;
	else if (n->kind == SNODE_STR && strcmp(n->s, "maximize") == 0)
		s->goal = SWEEP_MAXIMIZE;
	else
		return sload_error(ld, n->line, "metric.goal",
		    "must be minimize or maximize");
	return 0;
}

static int
sweep_parse_metric(struct sload *ld, const struct snode *n,
    struct sweep_spec *s)
{
	static const char *const keys[] = { "name", "goal", "target", NULL };
	static const char *const ignored[] = { "impute", "imputewhileRunning",
		NULL };
	const struct snode *k;
	int rc = 0;

	if (n->kind != SNODE_MAP)
		return sload_error(ld, n->line, "metric",
		    "must be a mapping {name, goal}");
	rc |= sweep_read_keys(ld, n, "metric", keys, ignored, s);
	if ((k = snode_get(n, "name")) == NULL)
		rc |= sload_error(ld, n->line, "metric.name", "missing");
	else
		rc |= sweep_read_str(ld, k, "metric.name", &s->metric);
	if (s->metric != NULL && strlen(s->metric) >= SWEEP_METRIC_KEY_MAX)
		rc |= sload_error(ld, k->line, "metric.name",
		    "longer than %d bytes", SWEEP_METRIC_KEY_MAX - 1);
	if ((k = snode_get(n, "goal")) != NULL)
		rc |= sweep_parse_goal(ld, k, s);
	if ((k = snode_get(n, "target")) != NULL) {
		rc |= sweep_read_num(ld, k, "metric.target", &s->target);
		s->has_target = 1;
	}
	return rc;
}

/* A number or a string as text for the units parsers. */
static const char *
sweep_parse_unit_text(const struct snode *n, char *buf, size_t len)
{
	if (n->kind == SNODE_STR)
		return n->s;
	if (n->kind == SNODE_INT)
		snprintf(buf, len, "%lld", (long long)n->i);
	else if (n->kind == SNODE_FLOAT)
		snprintf(buf, len, "%.15g", n->f);
	else
		return NULL;
	return buf;
}

static int
sweep_parse_unit(struct sload *ld, const struct snode *n, const char *key,
    struct sweep_resources *r)
{
	char tmp[64], path[64];
	const char *t = sweep_parse_unit_text(n, tmp, sizeof(tmp));
	int rc = GQ_EINVAL;

	snprintf(path, sizeof(path), "resources.%s", key);
	if (t == NULL)
		return sload_error(ld, n->line, path,
		    "must be a number or "
		    "a string like 16G or 2h");
	if (strcmp(key, "gpus") == 0)
		rc = units_parse_gpus(t, &r->gpus_milli);
	else if (strcmp(key, "cpus") == 0)
		rc = units_parse_cpus(t, &r->cpus_milli);
	else if (strcmp(key, "mem") == 0)
		rc = units_parse_mem_mb(t, &r->mem_mb);
	else if (strcmp(key, "gpu_mem") == 0)
		rc = units_parse_mem_mb(t, &r->gpu_mem_mb);
	else if (strcmp(key, "time") == 0)
		rc = units_parse_duration(t, 60, &r->time_s);
	if (rc != 0)
		return sload_error(ld, n->line, path, "bad value \"%s\"", t);
	return 0;
}

static int
sweep_parse_resources(struct sload *ld, const struct snode *n,
    struct sweep_spec *s)
{
	static const char *const keys[] = { "gpus", "gpu_mem", "cpus", "mem",
		"time", "pool", "gpu_model", NULL };
	size_t i;
	int rc = 0;

	if (n->kind != SNODE_MAP)
		return sload_error(ld, n->line, "resources",
		    "must be a mapping {gpus, cpus, mem, time, ...}");
	rc |= sweep_read_keys(ld, n, "resources", keys, NULL, s);
	for (i = 0; i < n->n; i++) {
		if (strcmp(n->keys[i], "pool") == 0)
			rc |= sweep_read_str(ld, n->kids[i], "resources.pool",
			    &s->res.pool);
		else if (strcmp(n->keys[i], "gpu_model") == 0)
			rc |= sweep_read_str(ld, n->kids[i],
			    "resources.gpu_model", &s->res.gpu_model);
		else if (strcmp(n->keys[i], "gpus") == 0 ||
		    strcmp(n->keys[i], "gpu_mem") == 0 ||
		    strcmp(n->keys[i], "cpus") == 0 ||
		    strcmp(n->keys[i], "mem") == 0 ||
		    strcmp(n->keys[i], "time") == 0)
			rc |= sweep_parse_unit(ld, n->kids[i], n->keys[i],
			    &s->res);
	}
	if (rc == 0 && s->res.gpu_mem_mb > 0 && s->res.gpus_milli >= 1000)
		rc = sload_error(ld, n->line, "resources.gpu_mem",
		    "sizes a share of one GPU: not with whole GPUs");
	return rc;
}

static int
sweep_parse_count(struct sload *ld, const struct snode *n, const char *key,
    struct sweep_spec *s)
{
	int64_t v;

	if (strcmp(key, "parallel") == 0) {
		if (sweep_read_int(ld, n, key, 1, SWEEP_MAX_PARALLEL, &v) == 0)
			s->parallel = (int32_t)v;
		return 0;
	}
	if (strcmp(key, "seed") == 0) {
		if (sweep_read_int(ld, n, key, 0, INT64_MAX, &v) == 0) {
			s->seed = (uint64_t)v;
			s->has_seed = 1;
		}
		return 0;
	}
	/* trials, or W&B's run_cap. */
	if (s->trials != 0)
		return sload_error(ld, n->line, key,
		    "give trials or run_cap, not both");
	if (sweep_read_int(ld, n, key, 1, SWEEP_MAX_TRIALS, &v) == 0)
		s->trials = v;
	return 0;
}

static int
sweep_parse_text(struct sload *ld, const struct snode *n, const char *key,
    struct sweep_spec *s)
{
	char **dst;

	if (strcmp(key, "name") == 0)
		dst = &s->name;
	else if (strcmp(key, "description") == 0)
		dst = &s->description;
	else if (strcmp(key, "project") == 0)
		dst = &s->project;
	else if (strcmp(key, "program") == 0)
		dst = &s->program;
	else
		dst = &s->interpreter;
	return sweep_read_str(ld, n, key, dst);
}

/* Dispatches one top-level key; unknown ones were reported already. */
static void
sweep_parse_key(struct sload *ld, const char *key, const struct snode *n,
    struct sweep_spec *s)
{
	if (strcmp(key, "method") == 0)
		sweep_parse_method(ld, n, s);
	else if (strcmp(key, "metric") == 0)
		sweep_parse_metric(ld, n, s);
	else if (strcmp(key, "resources") == 0)
		sweep_parse_resources(ld, n, s);
	else if (strcmp(key, "early_terminate") == 0)
		sweep_parse_early(ld, n, s);
	else if (strcmp(key, "parameters") == 0)
		sweep_parse_params(ld, n, s);
	else if (strcmp(key, "trials") == 0 || strcmp(key, "run_cap") == 0 ||
	    strcmp(key, "parallel") == 0 || strcmp(key, "seed") == 0)
		sweep_parse_count(ld, n, key, s);
	else if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0 ||
	    strcmp(key, "project") == 0 || strcmp(key, "program") == 0 ||
	    strcmp(key, "interpreter") == 0)
		sweep_parse_text(ld, n, key, s);
}

static void
sweep_parse_nogrid(struct sload *ld, const struct sweep_param *p)
{
	char path[SWEEP_MAX_NAME + 32];

	snprintf(path, sizeof(path), "parameters.%s", p->name);
	sload_error(ld, p->line, path,
	    "grid search needs a list of values (%s is continuous)",
	    sweep_dist_name(p->dist));
}

/* Checks across keys, once each key has been read. */
static void
sweep_parse_cross(struct sload *ld, const struct snode *root,
    struct sweep_spec *s)
{
	const struct snode *m = snode_get(root, "method");
	size_t i;
	int line = m != NULL ? m->line : root->line;

	if (m == NULL)
		sload_error(ld, root->line, "method",
		    "missing (grid, random or bayes)");
	if (snode_get(root, "parameters") == NULL)
		sload_error(ld, root->line, "parameters", "missing");
	if (s->program == NULL && snode_get(root, "command") == NULL)
		sload_error(ld, root->line, "program",
		    "missing (give program or command)");
	if (s->method == SWEEP_BAYES && s->metric == NULL)
		sload_error(ld, line, "metric",
		    "bayes search needs a metric {name, goal}");
	if (s->early.type != SWEEP_ET_NONE && s->metric == NULL)
		sload_error(ld, snode_get(root, "early_terminate")->line,
		    "metric", "early termination needs a metric {name, goal}");
	for (i = 0; s->method == SWEEP_GRID && i < s->nparams; i++)
		if (!sweep_grid_param_ok(&s->params[i]))
			sweep_parse_nogrid(ld, &s->params[i]);
	if (s->method == SWEEP_GRID && ld->nerrs == 0 &&
	    sweep_grid_size(s) > SWEEP_MAX_TRIALS)
		sload_error(ld, line, "method",
		    "the grid has more than %d points", SWEEP_MAX_TRIALS);
}

int
sweep_parse_tree(struct sload *ld, const struct snode *root,
    struct sweep_spec *s)
{
	const struct snode *cmd;
	size_t i;

	if (root->kind != SNODE_MAP)
		return sload_error(ld, root->line, NULL,
		    "a sweep file is a mapping of keys, not %s",
		    snode_kind_name(root->kind));
	sweep_read_keys(ld, root, NULL, sweep_top_keys, sweep_top_ignored, s);
	for (i = 0; i < root->n; i++)
		sweep_parse_key(ld, root->keys[i], root->kids[i], s);
	if ((cmd = snode_get(root, "command")) != NULL)
		sweep_parse_command(ld, cmd, s);
	if (ld->nerrs == 0)
		sweep_parse_cross(ld, root, s);
	return ld->nerrs == 0 ? 0 : GQ_EINVAL;
}

static enum sweep_format
sweep_parse_sniff(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)text[i]))
			return text[i] == '{' ? SWEEP_JSON : SWEEP_YAML;
	return SWEEP_YAML;
}

static struct sweep_spec *
sweep_spec_new(void)
{
	struct sweep_spec *s = xcalloc(1, sizeof(*s));

	s->method = SWEEP_RANDOM;
	s->goal = SWEEP_MINIMIZE;
	s->parallel = 1;
	s->early.eta = 3;
	s->early.warmup_trials = 5;
	return s;
}

int
sweep_parse(const char *name, const char *text, size_t len,
    enum sweep_format fmt, struct sweep_spec **out, char **cause)
{
	struct buf errs;
	struct sload ld = { .name = name != NULL ? name : "sweep" };
	struct snode *root;
	struct sweep_spec *s;
	int rc;

	*out = NULL;
	if (len > SWEEP_MAX_FILE) {
		if (cause != NULL)
			*cause = xasprintf("%s: larger than %d bytes", ld.name,
			    SWEEP_MAX_FILE);
		return GQ_ETOOBIG;
	}
	buf_init(&errs, 64 * 1024);
	ld.errs = &errs;
	if (fmt == SWEEP_AUTO)
		fmt = sweep_parse_sniff(text, len);
	root = fmt == SWEEP_JSON ? sweep_json_load(&ld, text, len) :
	                           sweep_yaml_load(&ld, text, len);
	s = sweep_spec_new();
	rc = root != NULL ? sweep_parse_tree(&ld, root, s) : GQ_EINVAL;
	snode_free(root);
	if (rc == 0 && s->interpreter == NULL)
		s->interpreter = xstrdup(SWEEP_DEFAULT_INTERPRETER);
	if (rc == 0)
		*out = s;
	else
		sweep_spec_free(s);
	if (rc != 0 && cause != NULL)
		*cause = buf_take(&errs);
	buf_done(&errs);
	return rc;
}
