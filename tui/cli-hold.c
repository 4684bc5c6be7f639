/* gpuq hold ID...: waiting jobs do not start until released (job.hold). */
#include <stdio.h>

#include "tui/cli.h"

static int cli_hold_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_hold = {
	.name = "hold",
	.summary = "Keep waiting jobs from starting",
	.usage = "hold ID...\n"
	         "  The jobs stay in the queue and start only after gpuq "
	         "release.\n",
	.fn = cli_hold_fn,
};

static void
cli_hold_print(const json_t *res, long long id)
{
	(void)res;
	printf("Held job %lld\n", id);
}

static int
cli_hold_fn(struct cli *cli, int argc, char **argv)
{
	return cli_life_each(cli, &cli_cmd_hold, "job.hold", argc, argv,
	    cli_hold_print);
}
