/*
 * gpuq attach over the libssh2 transport (cli-attach-ssh.c), for
 * cli-attach.c.
 */
#ifndef GPUQ_CLI_ATTACH_H
#define GPUQ_CLI_ATTACH_H

#include "tui/cli.h"

/*
 * Runs line (`gpuq [-S SOCK] attach --here ID`) on cli->target through
 * gpuq's own SSH client, on a terminal there when standard input is one
 * here (put in raw mode meanwhile), and relays standard input and output
 * to it until it ends.  Returns 0 with *status (its exit status, or -1
 * when the connection was lost after it started), or GQ_ECONN when it
 * could not start.  *why (new, or NULL) says how it ended: the command's
 * status and the last line of its standard error.
 */
int cli_attach_ssh(struct cli *cli, const char *line, int *status, char **why);

#endif
