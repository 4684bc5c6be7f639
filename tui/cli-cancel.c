#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"

#define CANCEL_GRACE_DEFAULT 10 /* the daemon's kill_grace_s default */

static int cli_cancel_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_cancel = {
	.name = "cancel",
	.summary = "Cancel jobs",
	.usage = "cancel ID...\n"
	         "  A pending job is cancelled at once; a running one gets "
	         "SIGTERM, then\n"
	         "  SIGKILL after its grace period (submit --grace).\n",
	.fn = cli_cancel_fn,
};

static const struct option cli_cancel_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
cli_cancel_print(const json_t *res, long long id)
{
	const json_t *job = json_object_get(res, "job");
	const json_t *grace = json_object_get(job, "kill_grace_s");

	if (!json_is_true(json_object_get(res, "cancelling")))
		printf("Cancelled job %lld\n", id);
	else if (json_is_integer(grace))
		printf("Cancelling job %lld (SIGTERM sent; SIGKILL after "
		       "%llds)\n",
		    id, (long long)json_integer_value(grace));
	else
		printf("Cancelling job %lld (SIGTERM sent; SIGKILL after its "
		       "grace period)\n",
		    id);
}

/* Cancels one job; returns CLI_EXIT_OK or CLI_EXIT_FAIL. */
static int
cli_cancel_one(struct cli *cli, long long id)
{
	json_t *res;
	char *cause, what[48];
	int rc;

	rc = cli_rpc_keyed(cli, "job.cancel",
	    json_pack("{s:I}", "id", (json_int_t)id), &res, &cause);
	if (rc != 0) {
		snprintf(what, sizeof(what), "cancel %lld", id);
		return cli_fail(cli, what, rc, cause);
	}
	cli_cancel_print(res, id);
	json_decref(res);
	return CLI_EXIT_OK;
}

static int
cli_cancel_fn(struct cli *cli, int argc, char **argv)
{
	long long *ids, id;
	int ch, i, n, rc = CLI_EXIT_OK;

	while ((ch = getopt_long(argc, argv, "+:h", cli_cancel_opts, NULL)) !=
	    -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_cancel);
		return cli_bad_opt(&cli_cmd_cancel, argv, ch);
	}
	if ((n = argc - optind) == 0)
		return cli_bad_usage(&cli_cmd_cancel, "give a job id");
	/* Check every id first, so a typo cancels nothing. */
	ids = xreallocarray(NULL, (size_t)n, sizeof(*ids));
	for (i = 0; i < n; i++) {
		if (cli_parse_id(argv[optind + i], &id) != 0) {
			free(ids);
			return cli_bad_usage(&cli_cmd_cancel, "bad job id '%s'",
			    argv[optind + i]);
		}
		ids[i] = id;
	}
	for (i = 0; i < n; i++) {
		if (cli_cancel_one(cli, ids[i]) == CLI_EXIT_OK)
			continue;
		rc = CLI_EXIT_FAIL;
		if (cli->unreachable)
			break; /* unreachable: said once is enough */
	}
	free(ids);
	return rc;
}
