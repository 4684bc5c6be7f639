/*
 * gpuqd's options: one table (config.c) read from the config file
 * ("keyword value" lines) and from the command line.
 */
#ifndef GPUQ_CONFIG_H
#define GPUQ_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
	int32_t cpus_milli; /* 0: this host's */
	int64_t mem_mb;     /* 0: this host's */
	int system_mode;    /* running as root: system paths */
};

/* Defaults for this process (personal or system mode by uid). */
void config_defaults(struct config *cfg);
void config_done(struct config *cfg);
/* Sets one option by name.  0, or GQ_EINVAL with a reason in cause. */
int config_set(struct config *cfg, const char *key, const char *value,
    char *cause, size_t n);
/* Reads a config file.  Errors name "file:line". */
int config_load(struct config *cfg, const char *path, char *cause, size_t n);
/* Writes the effective configuration, one option a line. */
void config_print(const struct config *cfg, FILE *fp);
/* True for options that take effect only at start (not on SIGHUP). */
int config_needs_restart(const char *key);

#endif
