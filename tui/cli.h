/*
 * gpuq's scripting subcommands: one file per command (cli-<name>.c), all
 * listed in one table in cli.c, as tmux lists its commands in cmd.c.
 */
#ifndef GPUQ_CLI_H
#define GPUQ_CLI_H

#include <stdio.h>

#include <jansson.h>

#include "core/base/buf.h"

/* Exit statuses of every subcommand. */
#define CLI_EXIT_OK    0 /* done */
#define CLI_EXIT_FAIL  1 /* refused by the daemon, or unreachable */
#define CLI_EXIT_USAGE 2 /* bad command line */

#define CLI_OUT_MAX (256 * 1024 * 1024) /* one command's output */

struct client;

/* The state of one gpuq invocation. */
struct cli {
	const char *prog;      /* "gpuq" */
	char *sock;            /* owned: the socket path (-S or the default) */
	const char *host;      /* -H or $GPUQ_HOST: reach gpuqd over ssh */
	struct client *client; /* owned: connected on first use, or NULL */
	int unreachable;       /* the last connection attempt failed */
	/* Over SSH (docs/ssh.md). */
	char *target;            /* owned: host, or its gpuq.conf cluster's */
	char *remote_command;    /* owned: --remote-command or the cluster's */
	const char *ssh_command; /* --ssh-command: the system ssh, or NULL */
	const char *ssh_config;  /* --ssh-config FILE (like ssh -F) */
	const char *conf;        /* --config FILE (gpuq.conf) */
	int accept_new;          /* --accept-new-host-key */
	int verbose;             /* --verbose: the SSH steps on stderr */
};

struct cli_cmd {
	const char *name;
	const char *summary; /* one line for `gpuq help` */
	const char *usage;   /* synopsis and options, without "usage: gpuq" */
	/* Runs the command: argv[0] is its name.  Returns a CLI_EXIT_*. */
	int (*fn)(struct cli *cli, int argc, char **argv);
};

extern const struct cli_cmd cli_cmd_submit;
extern const struct cli_cmd cli_cmd_ls;
extern const struct cli_cmd cli_cmd_show;
extern const struct cli_cmd cli_cmd_cancel;
extern const struct cli_cmd cli_cmd_logs;
extern const struct cli_cmd cli_cmd_status;
extern const struct cli_cmd cli_cmd_watch;
extern const struct cli_cmd cli_cmd_projects;
extern const struct cli_cmd cli_cmd_suspend;
extern const struct cli_cmd cli_cmd_resume;
extern const struct cli_cmd cli_cmd_swap;
extern const struct cli_cmd cli_cmd_hold;
extern const struct cli_cmd cli_cmd_release;
extern const struct cli_cmd cli_cmd_requeue;
extern const struct cli_cmd cli_cmd_update;
extern const struct cli_cmd cli_cmd_attach;
extern const struct cli_cmd cli_cmd_usage;
extern const struct cli_cmd cli_cmd_sweep;

/* Runs gpuq with its whole command line; returns the exit status. */
int cli_main(int argc, char **argv);

/* Prints a command's usage on stderr and returns CLI_EXIT_USAGE. */
int cli_usage(const struct cli_cmd *cmd);
/* Prints a command's usage on stdout and returns CLI_EXIT_OK (for -h). */
int cli_help_cmd(const struct cli_cmd *cmd);
/* Prints "gpuq: <cmd>: <message>" on stderr and returns CLI_EXIT_USAGE. */
int cli_bad_usage(const struct cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * After getopt_long returned '?' or ':' (the optstring starts with "+:"),
 * prints what was wrong with the option and the usage; returns
 * CLI_EXIT_USAGE.
 */
int cli_bad_opt(const struct cli_cmd *cmd, char **argv, int ch);
/* The long name ("gpus") of the option whose getopt value is ch. */
struct option;
const char *cli_opt_long(const struct option *opts, int ch);
/* The name of the option getopt_long stopped at ("--gpus", "-g"). */
void cli_opt_name(char **argv, char *out, size_t n);

/*
 * Connects to the daemon unless already connected.  Returns 0, or a
 * negative GQ_E* code with a human reason in *cause (new).
 */
int cli_connect(struct cli *cli, char **cause);
/* Drops the connection; the next call connects again. */
void cli_disconnect(struct cli *cli);

/*
 * Calls a verb (steals params).  Returns 0 and *result (new), or a
 * negative GQ_E* code with *cause (new): the daemon's refusal, or why the
 * daemon could not be reached.
 */
int cli_rpc(struct cli *cli, const char *verb, json_t *params, json_t **result,
    char **cause);
/*
 * Like cli_rpc for a mutating verb: adds a fresh idempotency key and, if
 * the connection breaks, reconnects and sends the same request (same key)
 * once more.
 */
int cli_rpc_keyed(struct cli *cli, const char *verb, json_t *params,
    json_t **result, char **cause);
/*
 * Prints a failed call as "gpuq: <what>: <error text>: <cause>" on stderr,
 * or only "gpuq: <cause>" when the daemon could not be reached; frees
 * cause and returns CLI_EXIT_FAIL.
 */
int cli_fail(struct cli *cli, const char *what, int code, char *cause);

/*
 * The body of suspend, resume, hold, release and requeue (cli-suspend.c):
 * checks every id, then calls verb once per id (keyed) and print with
 * each answer.  Returns a CLI_EXIT_*.
 */
int cli_life_each(struct cli *cli, const struct cli_cmd *cmd, const char *verb,
    int argc, char **argv, void (*print)(const json_t *res, long long id));

/* Parses a job id ("12"); returns 0 or GQ_EINVAL. */
int cli_parse_id(const char *s, long long *id);

/* Writes a JSON document (compact, sorted keys) and a newline to stdout. */
int cli_print_json(const json_t *doc);
/* Writes a buffer to stdout; returns CLI_EXIT_OK or CLI_EXIT_FAIL. */
int cli_print_buf(const struct buf *b);

/*
 * Renders the job table of `gpuq ls` for params (a job.list filter;
 * stolen) into out, paging through the daemon's answer.  now is the time
 * used for ages.  On success returns 0 and, when jobs is not NULL, *jobs
 * (new: every job object).  On failure returns a GQ_E* code and *cause.
 */
int cli_ls_render(struct cli *cli, json_t *params, long long now,
    struct buf *out, json_t **jobs, char **cause);
/*
 * For a job gpuq runs that its executor's system has not started yet
 * (the job object's "slurm": PENDING): "in Slurm: PENDING (Resources)"
 * into out (n bytes), and returns 1; else 0 (docs/slurm.md).
 */
int cli_ls_slurm_wait(const json_t *job, char *out, size_t n);
/*
 * Renders the cluster view of `gpuq status` into out: per node and GPU,
 * totals, the daemon's counters.  compact leaves out the daemon line.
 */
int cli_status_render(struct cli *cli, int compact, struct buf *out,
    char **cause);

/*
 * Prints what job.submit's dry run answered (cli-dryrun.c): when the job
 * would start, why it would wait, whom it would swap out.  now is the
 * time for "in 2h".  Returns a CLI_EXIT_*.
 */
int cli_dryrun_print(const json_t *result, long long now);

#endif
