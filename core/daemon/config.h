/*
 * gpuqd's options: one table (config.c) read from the config file
 * ("keyword value" lines) and from the command line.
 */
#ifndef GPUQ_CONFIG_H
#define GPUQ_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/daemon/telemetry-config.h"
#include "core/project.h"

#define CONFIG_MAX_LINE 4096

struct config {
	char *socket; /* owned strings */
	char *state_dir;
	char *fake_gpus;
	char *executor;
	char *admin_group;
	char *policy;
	char *node_name;
	size_t max_line;
	int32_t kill_grace_s;
	int sync_full;
	int log_level;
	size_t event_history;
	int64_t keep_finished;       /* finished jobs kept in memory */
	int64_t keep_finished_age_s; /* ... for at most this long; 0: any */
	int32_t cpus_milli;          /* 0: this host's */
	int64_t mem_mb;              /* 0: this host's */
	int system_mode;             /* running as root: system paths */
	/* Scheduling (docs/scheduling.md): reloadable. */
	struct projects projects; /* departments, projects, users, params */
	char *node_pool;          /* this node's pool, or NULL */
	char *node_labels;        /* its labels "a,b", or NULL */
	char *cuda_checkpoint;    /* its path, "none", or NULL: PATH */
	/* The slurm executor (docs/slurm.md). */
	char *slurm_partition;    /* jobs without a pool go there, or NULL */
	char *slurm_dir;          /* scripts and logs, or NULL: STATE/slurm */
	int64_t slurm_poll_ms;    /* squeue every so often */
	int64_t slurm_gpu_mem_mb; /* a Slurm GPU's memory */
	int32_t slurm_parallel;   /* sbatch processes at once, 1..8 */
	int32_t line;             /* the file line being read, for errors */
	struct tel_config gpu;    /* GPU options (telemetry-config.c) */
};

/* Defaults for this process (personal or system mode by uid). */
void config_defaults(struct config *cfg);
void config_done(struct config *cfg);
/* Sets one option by name.  0, or GQ_EINVAL with a reason in cause. */
int config_set(struct config *cfg, const char *key, const char *value,
    char *cause, size_t n);
/* Reads a config file.  Errors name "file:line". */
int config_load(struct config *cfg, const char *path, char *cause, size_t n);
/* Sets one "name=value". */
int config_set_kv(struct config *cfg, const char *kv, char *cause, size_t n);
/*
 * Builds a configuration: defaults, then the file at path (NULL: none),
 * then opts ("name=value", the command line's) over it.
 */
int config_build(struct config *cfg, const char *path, const char *const *opts,
    size_t nopts, char *cause, size_t n);
/* Calls cb for each option that differs and takes effect only at start. */
void config_changed_needing_restart(const struct config *old,
    const struct config *fresh, void (*cb)(const char *name));
/*
 * Checks the projects as a whole (names known, no cycle of departments)
 * once every line is in.  Errors name "file:line" (path NULL: "-o").
 */
int config_resolve(struct config *cfg, const char *path, char *cause, size_t n);
/* Writes the effective configuration, one option a line. */
void config_print(const struct config *cfg, FILE *fp);
/* True for options that take effect only at start (not on SIGHUP). */
int config_needs_restart(const char *key);

#endif
