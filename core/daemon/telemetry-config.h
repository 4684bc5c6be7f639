/*
 * The GPU options of gpuqd.conf (telemetry-config.c): how GPUs are found
 * and sampled, how long history is kept, idle GPUs and memory overruns.
 * config.c hands them every option name its own table does not know.
 */
#ifndef GPUQ_TELEMETRY_CONFIG_H
#define GPUQ_TELEMETRY_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct config;

struct tel_config {
	char *probe;          /* gpu-probe: auto, nvml, nvidia-smi, none */
	char *nvml_lib;       /* nvml-lib: a path, or NULL (the default) */
	char *smi_path;       /* nvidia-smi: a path, or NULL (on PATH) */
	char *mps_dir;        /* mps-pipe-dir, or NULL (the default) */
	int32_t interval_s;   /* gpu-sample-interval */
	int64_t ring_s;       /* gpu-history-memory: kept in memory */
	int64_t keep_s;       /* gpu-history-keep: minutes in the store */
	int64_t usage_keep_s; /* usage-keep: accounting in the store */
	int32_t idle_pct;     /* idle-threshold */
	int64_t idle_after_s; /* idle-after */
	int idle_swap;        /* idle-action: 0 notify, 1 swap */
	int overrun_stop;     /* gpu-mem-overrun: 0 warn, 1 stop */
};

void telemetry_config_defaults(struct config *cfg);
void telemetry_config_done(struct config *cfg);
/* Sets a GPU option: 0, or GQ_EINVAL ("unknown option" if not one). */
int telemetry_config_set(struct config *cfg, const char *key, const char *value,
    char *cause, size_t n);
void telemetry_config_print(const struct config *cfg, FILE *fp);
/* True unless key is a GPU option that SIGHUP applies. */
int telemetry_config_needs_restart(const char *key);
/* Calls cb for each GPU option that differs and needs a restart. */
void telemetry_config_changed(const struct config *old,
    const struct config *fresh, void (*cb)(const char *name));
/* Moves the options SIGHUP applies from fresh into cfg. */
void telemetry_config_reload(struct config *cfg, struct config *fresh);

#endif
