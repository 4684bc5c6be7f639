/* gpuq swap OUT IN: IN starts on the GPUs OUT leaves (job.swap). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/base/error.h"
#include "tui/cli.h"

static int cli_swap_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_swap = {
	.name = "swap",
	.summary =
	    "Swap a running job out and start a waiting one in its place",
	.usage = "swap OUT IN\n"
	         "  OUT is swapped out as gpuq suspend would (docs/swap.md) "
	         "and IN, waiting,\n"
	         "  starts on the GPUs OUT leaves as soon as OUT is out.  OUT "
	         "comes back on\n"
	         "  its GPUs when they are free again (with a checkpoint "
	         "signal: it waits in\n"
	         "  the queue).  IN must fit where OUT was.\n",
	.fn = cli_swap_fn,
};

static const struct option cli_swap_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void
cli_swap_print(const json_t *res, long long out, long long in)
{
	const char *mech = json_string_value(json_object_get(res, "mechanism"));

	printf("Swapping job %lld out (%s) for job %lld: job %lld starts on "
	       "its GPUs as soon as job %lld is out\n",
	    out, mech != NULL ? mech : "?", in, in, out);
}

static int
cli_swap_fn(struct cli *cli, int argc, char **argv)
{
	long long out, in;
	json_t *res;
	char *cause, what[64];
	int ch, rc;

	while (
	    (ch = getopt_long(argc, argv, "+:h", cli_swap_opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_swap);
		return cli_bad_opt(&cli_cmd_swap, argv, ch);
	}
	if (argc - optind != 2)
		return cli_bad_usage(&cli_cmd_swap, "give two job ids: OUT IN");
	if (cli_parse_id(argv[optind], &out) != 0 ||
	    cli_parse_id(argv[optind + 1], &in) != 0)
		return cli_bad_usage(&cli_cmd_swap, "bad job id '%s'",
		    cli_parse_id(argv[optind], &out) != 0 ? argv[optind] :
		                                            argv[optind + 1]);
	rc = cli_rpc_keyed(cli, "job.swap",
	    json_pack("{s:I,s:I}", "out", (json_int_t)out, "in",
	        (json_int_t)in),
	    &res, &cause);
	if (rc != 0) {
		snprintf(what, sizeof(what), "swap %lld %lld", out, in);
		return cli_fail(cli, what, rc, cause);
	}
	cli_swap_print(res, out, in);
	json_decref(res);
	return CLI_EXIT_OK;
}
