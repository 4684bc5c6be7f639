/*
 * gpuq sweep's parts (cli-sweep.c, cli-sweep-show.c).
 */
#ifndef GPUQ_CLI_SWEEP_H
#define GPUQ_CLI_SWEEP_H

#include <jansson.h>

struct cli;

/* `gpuq sweep ls` and `gpuq sweep show ID`: argv[0] is "ls" or "show". */
int cli_sweep_ls(struct cli *cli, int argc, char **argv);
int cli_sweep_show(struct cli *cli, int argc, char **argv);
/* Prints sweep.create's dry-run answer; returns a CLI_EXIT_*. */
int cli_sweep_dry_print(const json_t *res);

#endif
