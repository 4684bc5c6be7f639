#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/units.h"
#include "core/base/xmalloc.h"
#include "core/daemon/config.h"

struct option_def {
	const char *name;
	int restart; /* takes effect only at start */
	int (*set)(struct config *cfg, const char *v, char *cause, size_t n);
	void (*print)(const struct config *cfg, FILE *fp, const char *name);
	const char *help;
};

static int
config_setstr(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
	return 0;
}

/* An unset option prints as a comment, so -t's output reads back. */
static void
config_print_str(FILE *fp, const char *name, const char *v)
{
	if (v != NULL)
		fprintf(fp, "%s %s\n", name, v);
	else
		fprintf(fp, "# %s (not set: the default applies)\n", name);
}

#define STR_OPTION(field)                                                      \
	static int config_set_##field(struct config *cfg, const char *v,       \
	    char *cause, size_t n)                                             \
	{                                                                      \
		return config_setstr(&cfg->field, v);                          \
	}                                                                      \
	static void config_print_##field(const struct config *cfg, FILE *fp,   \
	    const char *name)                                                  \
	{                                                                      \
		config_print_str(fp, name, cfg->field);                        \
	}

STR_OPTION(socket)
STR_OPTION(state_dir)
STR_OPTION(executor)
STR_OPTION(policy)
STR_OPTION(node_name)
STR_OPTION(cuda_checkpoint)
STR_OPTION(slurm_partition)
STR_OPTION(slurm_dir)

static int
config_set_fake_gpus(struct config *cfg, const char *v, char *cause, size_t n)
{
	return config_setstr(&cfg->fake_gpus, v);
}

static void
config_print_fake_gpus(const struct config *cfg, FILE *fp, const char *name)
{
	config_print_str(fp, name, cfg->fake_gpus);
}

static int
config_set_admin_group(struct config *cfg, const char *v, char *cause, size_t n)
{
	free(cfg->admin_group);
	cfg->admin_group = strcmp(v, "none") == 0 ? NULL : xstrdup(v);
	return 0;
}

static void
config_print_admin_group(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %s\n", name,
	    cfg->admin_group ? cfg->admin_group : "none");
}

static int
config_set_max_line(struct config *cfg, const char *v, char *cause, size_t n)
{
	int64_t mb;

	if (units_parse_mem_mb(v, &mb) != 0 || mb < 1 || mb > 64) {
		snprintf(cause, n, "max-line wants a size from 1M to 64M");
		return GQ_EINVAL;
	}
	cfg->max_line = (size_t)mb * 1024 * 1024;
	return 0;
}

static void
config_print_max_line(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %zuM\n", name, cfg->max_line / (1024 * 1024));
}

static int
config_set_kill_grace(struct config *cfg, const char *v, char *cause, size_t n)
{
	int64_t s;

	if (units_parse_duration(v, 1, &s) != 0 || s > 3600) {
		snprintf(cause, n, "kill-grace wants a duration up to 1h");
		return GQ_EINVAL;
	}
	cfg->kill_grace_s = (int32_t)s;
	return 0;
}

static void
config_print_kill_grace(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %ds\n", name, cfg->kill_grace_s);
}

static int
config_set_sync(struct config *cfg, const char *v, char *cause, size_t n)
{
	if (strcmp(v, "full") == 0)
		cfg->sync_full = 1;
	else if (strcmp(v, "normal") == 0)
		cfg->sync_full = 0;
	else {
		snprintf(cause, n, "sync wants full or normal");
		return GQ_EINVAL;
	}
	return 0;
}

static void
config_print_sync(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %s\n", name, cfg->sync_full ? "full" : "normal");
}

static int
config_set_log_level(struct config *cfg, const char *v, char *cause, size_t n)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(v, names[i]) == 0) {
			cfg->log_level = i;
			return 0;
		}
	snprintf(cause, n, "log-level wants error, warn, info or debug");
	return GQ_EINVAL;
}

static void
config_print_log_level(const struct config *cfg, FILE *fp, const char *name)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	fprintf(fp, "%s %s\n", name, names[cfg->log_level]);
}

static int
config_set_event_history(struct config *cfg, const char *v, char *cause,
    size_t n)
{
	char *end;
	long long x;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || x < 16 || x > 10000000) {
		snprintf(cause, n, "event-history wants a count, 16..10000000");
		return GQ_EINVAL;
	}
	cfg->event_history = (size_t)x;
	return 0;
}

static void
config_print_event_history(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %zu\n", name, cfg->event_history);
}

/* "COUNT" or "COUNT,AGE": finished jobs kept in memory (jobs-archive.c). */
static int
config_set_keep_finished(struct config *cfg, const char *v, char *cause,
    size_t n)
{
	const char *comma = strchr(v, ',');
	int64_t age = 0;
	long long x;
	char *end;

	errno = 0;
	x = strtoll(v, &end, 10);
	if (errno != 0 || end == v || end != (comma ? comma : v + strlen(v)) ||
	    x < 0 || x > 100000000 ||
	    (comma != NULL &&
	        (units_parse_duration(comma + 1, 1, &age) != 0 || age < 1))) {
		snprintf(cause, n,
		    "keep-finished wants a count, and maybe an age: "
		    "10000 or 10000,1d");
		return GQ_EINVAL;
	}
	cfg->keep_finished = x;
	cfg->keep_finished_age_s = age;
	return 0;
}

static void
config_print_keep_finished(const struct config *cfg, FILE *fp, const char *name)
{
	if (cfg->keep_finished_age_s > 0)
		fprintf(fp, "%s %lld,%llds\n", name,
		    (long long)cfg->keep_finished,
		    (long long)cfg->keep_finished_age_s);
	else
		fprintf(fp, "%s %lld\n", name, (long long)cfg->keep_finished);
}

static int
config_set_cpus(struct config *cfg, const char *v, char *cause, size_t n)
{
	if (units_parse_cpus(v, &cfg->cpus_milli) != 0) {
		snprintf(cause, n, "cpus wants a number of CPUs");
		return GQ_EINVAL;
	}
	return 0;
}

static void
config_print_cpus(const struct config *cfg, FILE *fp, const char *name)
{
	if (cfg->cpus_milli == 0)
		fprintf(fp, "# %s (not set: all of this host's)\n", name);
	else
		fprintf(fp, "%s %g\n", name, cfg->cpus_milli / 1000.0);
}

static int
config_set_mem(struct config *cfg, const char *v, char *cause, size_t n)
{
	if (units_parse_mem_mb(v, &cfg->mem_mb) != 0) {
		snprintf(cause, n, "mem wants a size such as 64G");
		return GQ_EINVAL;
	}
	return 0;
}

static void
config_print_mem(const struct config *cfg, FILE *fp, const char *name)
{
	if (cfg->mem_mb == 0)
		fprintf(fp, "# %s (not set: all of this host's)\n", name);
	else
		fprintf(fp, "%s %lldM\n", name, (long long)cfg->mem_mb);
}

/*
 * Scheduling lines: department, project, user and policy-param lines add
 * up (core/project-parse.c reads them); project prints them all back.
 */
static int
config_set_projects(struct config *cfg, const char *kw, const char *v,
    char *cause, size_t n)
{
	return project_parse_line(&cfg->projects, kw, v, cfg->line, cause, n) ==
	        0 ?
	    0 :
	    GQ_EINVAL;
}

#define PROJECT_OPTION(field, kw)                                              \
	static int config_set_##field(struct config *cfg, const char *v,       \
	    char *cause, size_t n)                                             \
	{                                                                      \
		return config_set_projects(cfg, kw, v, cause, n);              \
	}

PROJECT_OPTION(department, "department")
PROJECT_OPTION(project, "project")
PROJECT_OPTION(user, "user")
PROJECT_OPTION(policy_param, "policy-param")
PROJECT_OPTION(placement, "placement")

static void
config_print_project(const struct config *cfg, FILE *fp, const char *name)
{
	struct buf b;

	buf_init(&b, 64 * 1024 * 1024);
	project_format(&cfg->projects, &b);
	if (b.data != NULL)
		fputs(b.data, fp);
	buf_done(&b);
}

static void
config_print_none(const struct config *cfg, FILE *fp, const char *name)
{
	/* Printed with the projects. */
}

#define config_print_department   config_print_none
#define config_print_user         config_print_none
#define config_print_policy_param config_print_none
#define config_print_placement    config_print_none

static int
config_set_node_pool(struct config *cfg, const char *v, char *cause, size_t n)
{
	if (strlen(v) >= MODEL_MAX_POOL || model_labels_check(v) != 0 ||
	    strchr(v, ',') != NULL) {
		snprintf(cause, n,
		    "node-pool wants a name of A-Z a-z 0-9 _ . -"
		    ", at most 31 bytes");
		return GQ_EINVAL;
	}
	return config_setstr(&cfg->node_pool, v);
}

static int
config_set_node_labels(struct config *cfg, const char *v, char *cause, size_t n)
{
	if (strlen(v) >= MODEL_MAX_LABELS || model_labels_check(v) != 0) {
		snprintf(cause, n,
		    "node-labels wants names separated by "
		    "commas: gpu,nvlink");
		return GQ_EINVAL;
	}
	return config_setstr(&cfg->node_labels, v);
}

static void
config_print_node_pool(const struct config *cfg, FILE *fp, const char *name)
{
	config_print_str(fp, name, cfg->node_pool);
}

static void
config_print_node_labels(const struct config *cfg, FILE *fp, const char *name)
{
	config_print_str(fp, name, cfg->node_labels);
}

static int
config_set_slurm_poll(struct config *cfg, const char *v, char *cause, size_t n)
{
	size_t len = strlen(v);
	int64_t ms = -1;
	char *end;

	/* "500ms", or a duration: "1s", "2" (seconds). */
	if (len > 2 && strcmp(v + len - 2, "ms") == 0) {
		ms = strtoll(v, &end, 10);
		if (end != v + len - 2)
			ms = -1;
	} else if (units_parse_duration(v, 1, &ms) == 0)
		ms *= 1000;
	if (ms < 100 || ms > 3600 * 1000) {
		snprintf(cause, n,
		    "slurm-poll-interval wants a duration from 100ms to 1h");
		return GQ_EINVAL;
	}
	cfg->slurm_poll_ms = ms;
	return 0;
}

static void
config_print_slurm_poll(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %lldms\n", name, (long long)cfg->slurm_poll_ms);
}

static int
config_set_slurm_gpu_mem(struct config *cfg, const char *v, char *cause,
    size_t n)
{
	if (units_parse_mem_mb(v, &cfg->slurm_gpu_mem_mb) != 0 ||
	    cfg->slurm_gpu_mem_mb < 1) {
		snprintf(cause, n, "slurm-gpu-mem wants a size such as 80G");
		return GQ_EINVAL;
	}
	return 0;
}

static void
config_print_slurm_gpu_mem(const struct config *cfg, FILE *fp, const char *name)
{
	fprintf(fp, "%s %lldM\n", name, (long long)cfg->slurm_gpu_mem_mb);
}

static int
config_set_slurm_parallel(struct config *cfg, const char *v, char *cause,
    size_t n)
{
	char *end;
	long x = strtol(v, &end, 10);

	if (*end != '\0' || x < 1 || x > 8) {
		snprintf(cause, n, "slurm-submit-parallel wants 1 to 8");
		return GQ_EINVAL;
	}
	cfg->slurm_parallel = (int32_t)x;
	return 0;
}

static void
config_print_slurm_parallel(const struct config *cfg, FILE *fp,
    const char *name)
{
	fprintf(fp, "%s %d\n", name, (int)cfg->slurm_parallel);
}

#define OPT(name, restart, field, help)                                        \
	{                                                                      \
		name, restart, config_set_##field, config_print_##field, help  \
	}

static const struct option_def config_options[] = {
	OPT("socket", 1, socket, "Unix socket path"),
	OPT("state-dir", 1, state_dir, "store, job logs and job state"),
	OPT("fake-gpus", 1, fake_gpus, "simulated GPUs: COUNT:MODEL,..."),
	OPT("executor", 1, executor, "where jobs run: local or slurm"),
	OPT("admin-group", 0, admin_group,
	    "Unix group that may change "
	    "any job"),
	OPT("policy", 0, policy, "scheduling policy: fairshare or fifo"),
	OPT("node-name", 1, node_name, "name of this node"),
	OPT("max-line", 1, max_line, "longest protocol line"),
	OPT("kill-grace", 0, kill_grace, "default SIGTERM to SIGKILL delay"),
	OPT("sync", 1, sync,
	    "full: fsync every commit; normal: at "
	    "checkpoints"),
	OPT("log-level", 0, log_level, "error, warn, info or debug"),
	OPT("event-history", 1, event_history, "events kept for resuming"),
	OPT("keep-finished", 0, keep_finished,
	    "finished jobs kept in memory: COUNT or COUNT,AGE"),
	OPT("cpus", 1, cpus, "CPUs jobs may use (default: all)"),
	OPT("mem", 1, mem, "memory jobs may use (default: all)"),
	OPT("node-pool", 0, node_pool, "this node's pool"),
	OPT("node-labels", 0, node_labels, "this node's labels: a,b"),
	OPT("cuda-checkpoint", 1, cuda_checkpoint,
	    "cuda-checkpoint's path, or none (default: found on PATH)"),
	OPT("slurm-partition", 1, slurm_partition,
	    "slurm: the partition for jobs without a pool"),
	OPT("slurm-dir", 1, slurm_dir,
	    "slurm: job scripts and logs, on a shared filesystem"),
	OPT("slurm-poll-interval", 1, slurm_poll, "slurm: squeue so often"),
	OPT("slurm-gpu-mem", 1, slurm_gpu_mem, "slurm: a GPU's memory"),
	OPT("slurm-submit-parallel", 1, slurm_parallel,
	    "slurm: sbatch processes at once"),
	OPT("department", 0, department,
	    "NAME deserved=GPUS limit=GPUS parent=DEPT"),
	OPT("project", 0, project,
	    "NAME deserved=GPUS limit=GPUS weight=W department=D "
	    "default-time=T"),
	OPT("user", 0, user, "NAME project=P weight=W"),
	OPT("policy-param", 0, policy_param,
	    "half-life=T min-runtime=T reservations=N ..."),
	OPT("placement", 0, placement,
	    "STRATEGY [whole=STRATEGY]: fgd+ (default), fgd, fgd-k8s, "
	    "bestfit, spread, random"),
};

#define NOPTIONS (sizeof(config_options) / sizeof(config_options[0]))

static const struct option_def *
config_find(const char *name)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		if (strcmp(config_options[i].name, name) == 0)
			return &config_options[i];
	return NULL;
}

int
config_set(struct config *cfg, const char *key, const char *value, char *cause,
    size_t n)
{
	const struct option_def *o = config_find(key);

	if (o == NULL)
		return telemetry_config_set(cfg, key, value, cause, n);
	if (*value == '\0') {
		snprintf(cause, n, "option \"%s\" needs a value", key);
		return GQ_EINVAL;
	}
	return o->set(cfg, value, cause, n);
}

int
config_needs_restart(const char *key)
{
	const struct option_def *o = config_find(key);

	if (o == NULL)
		return telemetry_config_needs_restart(key);
	return o->restart;
}

void
config_print(const struct config *cfg, FILE *fp)
{
	size_t i;

	for (i = 0; i < NOPTIONS; i++)
		config_options[i].print(cfg, fp, config_options[i].name);
	telemetry_config_print(cfg, fp);
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->system_mode = geteuid() == 0;
	cfg->executor = xstrdup("local");
	cfg->policy = xstrdup("fairshare");
	project_init(&cfg->projects);
	cfg->max_line = 1024 * 1024;
	cfg->kill_grace_s = 10;
	cfg->sync_full = 1;
	cfg->log_level = 2;
	cfg->event_history = 16384;
	cfg->keep_finished = 10000;
	cfg->slurm_poll_ms = 1000;
	cfg->slurm_gpu_mem_mb = 80 * 1024;
	cfg->slurm_parallel = 4;
	telemetry_config_defaults(cfg);
}

void
config_done(struct config *cfg)
{
	free(cfg->socket);
	free(cfg->state_dir);
	free(cfg->fake_gpus);
	free(cfg->executor);
	free(cfg->admin_group);
	free(cfg->policy);
	free(cfg->node_name);
	free(cfg->node_pool);
	free(cfg->node_labels);
	free(cfg->cuda_checkpoint);
	free(cfg->slurm_partition);
	free(cfg->slurm_dir);
	project_done(&cfg->projects);
	telemetry_config_done(cfg);
	memset(cfg, 0, sizeof(*cfg));
}

/* Splits "keyword value # comment" in place.  0 for a blank line. */
static int
config_split(char *line, char **key, char **value)
{
	char *p, *end;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	for (p = line; isspace((unsigned char)*p); p++)
		;
	end = p + strlen(p);
	while (end > p && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*p == '\0')
		return 0;
	*key = p;
	while (*p != '\0' && !isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		*p++ = '\0';
	while (isspace((unsigned char)*p))
		p++;
	*value = p;
	return 1;
}

int
config_load(struct config *cfg, const char *path, char *cause, size_t n)
{
	char line[CONFIG_MAX_LINE], why[256], *key, *value;
	int lineno = 0, rc = 0;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(cause, n, "%s: %s", path, strerror(errno));
		return GQ_EIO;
	}
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		cfg->line = ++lineno;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(cause, n, "%s:%d: line too long", path,
			    lineno);
			rc = GQ_EINVAL;
		} else if (config_split(line, &key, &value) &&
		    config_set(cfg, key, value, why, sizeof(why)) != 0) {
			snprintf(cause, n, "%s:%d: %s", path, lineno, why);
			rc = GQ_EINVAL;
		}
	}
	fclose(fp);
	cfg->line = 0;
	if (rc == 0)
		rc = config_resolve(cfg, path, cause, n);
	return rc;
}

int
config_resolve(struct config *cfg, const char *path, char *cause, size_t n)
{
	char why[256];
	int32_t line;

	if (project_resolve(&cfg->projects, why, sizeof(why), &line) == 0)
		return 0;
	if (line > 0 && path != NULL)
		snprintf(cause, n, "%s:%d: %s", path, (int)line, why);
	else
		snprintf(cause, n, "-o: %s", why);
	return GQ_EINVAL;
}

int
config_set_kv(struct config *cfg, const char *kv, char *cause, size_t n)
{
	const char *eq = strchr(kv, '=');
	char key[64];

	if (eq == NULL || (size_t)(eq - kv) >= sizeof(key)) {
		snprintf(cause, n, "options are NAME=VALUE, not \"%.64s\"", kv);
		return GQ_EINVAL;
	}
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	return config_set(cfg, key, eq + 1, cause, n);
}

int
config_build(struct config *cfg, const char *path, const char *const *opts,
    size_t nopts, char *cause, size_t n)
{
	size_t i;
	int rc;

	config_defaults(cfg);
	if (path != NULL && (rc = config_load(cfg, path, cause, n)) != 0)
		return rc;
	for (i = 0; i < nopts; i++)
		if ((rc = config_set_kv(cfg, opts[i], cause, n)) != 0)
			return rc;
	return config_resolve(cfg, path, cause, n);
}

static char *
config_line(const struct config *cfg, const struct option_def *o)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	o->print(cfg, fp, o->name);
	fclose(fp);
	return s;
}

void
config_changed_needing_restart(const struct config *old,
    const struct config *fresh, void (*cb)(const char *name))
{
	char *a, *b;
	size_t i;

	for (i = 0; i < NOPTIONS; i++) {
		if (!config_options[i].restart)
			continue;
		a = config_line(old, &config_options[i]);
		b = config_line(fresh, &config_options[i]);
		if (strcmp(a, b) != 0)
			cb(config_options[i].name);
		free(a);
		free(b);
	}
	telemetry_config_changed(old, fresh, cb);
}
