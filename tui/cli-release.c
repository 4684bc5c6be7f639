/* gpuq release ID...: held jobs may start again (job.release). */
#include <stdio.h>

#include "tui/cli.h"

static int cli_release_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_release = {
	.name = "release",
	.summary = "Let held jobs start",
	.usage = "release ID...\n",
	.fn = cli_release_fn,
};

static void
cli_release_print(const json_t *res, long long id)
{
	(void)res;
	printf("Released job %lld\n", id);
}

static int
cli_release_fn(struct cli *cli, int argc, char **argv)
{
	return cli_life_each(cli, &cli_cmd_release, "job.release", argc, argv,
	    cli_release_print);
}
