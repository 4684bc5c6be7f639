/*
 * Internals of `gpuqd simulate` (sim-main*.c): the experiments' commands
 * and the helpers they share.  Not pure: files, stdout, the clock.
 */
#ifndef GPUQ_SIM_MAIN_H
#define GPUQ_SIM_MAIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/sim/sim.h"

#define SIM_MAIN_MAX_SEEDS 1000
#define SIM_MAIN_MAX_PATH  4096

/* Seconds on a monotonic clock (for the speed figures only). */
double sim_main_now(void);
/* True when path names a readable file. */
int sim_main_exists(const char *path);
/* "dir/name" into out; 0 or GQ_ETOOBIG. */
int sim_main_path(char *out, size_t n, const char *dir, const char *name);
/* Parses "42-51" or "42,43,50" into seeds; returns how many, or -1. */
int sim_main_seeds(const char *s, uint64_t *seeds, int max);
/* Prints a JSON value on one line; steals it. */
void sim_main_json(json_t *v);
/* Reports a failure on stderr; frees cause.  Returns 1. */
int sim_main_fail(const char *what, int rc, char *cause);
/*
 * The names (suffix cut off) of the files of dir that start with prefix
 * and end with suffix, sorted; new, free with sim_main_free_names.
 */
int sim_main_glob(const char *dir, const char *prefix, const char *suffix,
    char ***names, size_t *n);
int sim_main_strcmp(const void *a, const void *b);
void sim_main_free_names(char **names, size_t n);

/* The experiments: argv[0] is the experiment's name. */
int sim_main_fgd(int argc, char **argv);
int sim_main_replay(int argc, char **argv);

#endif
