/*
 * gpuq suspend ID...: swaps jobs out (job.suspend).  Also the loop that
 * suspend, resume, hold, release and requeue share: every id checked
 * first, then one keyed request per id.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"

static int cli_suspend_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_suspend = {
	.name = "suspend",
	.summary = "Swap running jobs out until gpuq resume",
	.usage = "suspend ID...\n"
	         "  By the strongest mechanism the node has (docs/swap.md): "
	         "cuda-checkpoint\n"
	         "  (GPU memory to host memory, GPUs freed), else the job's "
	         "checkpoint signal\n"
	         "  (it saves, exits and waits, held), else a plain stop "
	         "(SIGSTOP: its GPU\n"
	         "  memory stays on the GPU).\n",
	.fn = cli_suspend_fn,
};

static const struct option cli_life_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Sends verb for one id; returns CLI_EXIT_OK or CLI_EXIT_FAIL. */
static int
cli_life_one(struct cli *cli, const struct cli_cmd *cmd, const char *verb,
    long long id, void (*print)(const json_t *, long long))
{
	json_t *res;
	char *cause, what[48];
	int rc;

	rc = cli_rpc_keyed(cli, verb, json_pack("{s:I}", "id", (json_int_t)id),
	    &res, &cause);
	if (rc != 0) {
		snprintf(what, sizeof(what), "%s %lld", cmd->name, id);
		return cli_fail(cli, what, rc, cause);
	}
	print(res, id);
	json_decref(res);
	return CLI_EXIT_OK;
}

int
cli_life_each(struct cli *cli, const struct cli_cmd *cmd, const char *verb,
    int argc, char **argv, void (*print)(const json_t *, long long))
{
	long long *ids, id;
	int ch, i, n, rc = CLI_EXIT_OK;

	while (
	    (ch = getopt_long(argc, argv, "+:h", cli_life_opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(cmd);
		return cli_bad_opt(cmd, argv, ch);
	}
	if ((n = argc - optind) == 0)
		return cli_bad_usage(cmd, "give a job id");
	ids = xreallocarray(NULL, (size_t)n, sizeof(*ids));
	for (i = 0; i < n; i++) {
		if (cli_parse_id(argv[optind + i], &id) != 0) {
			free(ids);
			return cli_bad_usage(cmd, "bad job id '%s'",
			    argv[optind + i]);
		}
		ids[i] = id;
	}
	for (i = 0; i < n; i++) {
		if (cli_life_one(cli, cmd, verb, ids[i], print) == CLI_EXIT_OK)
			continue;
		rc = CLI_EXIT_FAIL;
		if (cli->unreachable)
			break;
	}
	free(ids);
	return rc;
}

static void
cli_suspend_print(const json_t *res, long long id)
{
	const char *mech = json_string_value(json_object_get(res, "mechanism"));

	if (mech == NULL)
		mech = "";
	if (strcmp(mech, "cuda-checkpoint") == 0)
		printf("Suspending job %lld (cuda-checkpoint: its GPU memory "
		       "goes to host memory and its GPUs are freed)\n",
		    id);
	else if (strcmp(mech, "signal") == 0)
		printf("Suspending job %lld (checkpoint signal: it saves, "
		       "exits "
		       "and waits, held, until gpuq resume)\n",
		    id);
	else
		printf("Suspending job %lld (plain stop: its GPU memory stays "
		       "on the GPU; only compute is freed)\n",
		    id);
}

static int
cli_suspend_fn(struct cli *cli, int argc, char **argv)
{
	return cli_life_each(cli, &cli_cmd_suspend, "job.suspend", argc, argv,
	    cli_suspend_print);
}
