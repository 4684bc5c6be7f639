/* gpuq resume ID...: brings suspended jobs back (job.resume). */
#include <stdio.h>

#include "tui/cli.h"

static int cli_resume_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_resume = {
	.name = "resume",
	.summary = "Bring suspended jobs back",
	.usage = "resume ID...\n"
	         "  A suspended job continues on the GPUs it left, at once if "
	         "they are free,\n"
	         "  else as soon as they are; one swapped out by its "
	         "checkpoint signal is\n"
	         "  released to start again from its checkpoint.\n",
	.fn = cli_resume_fn,
};

static void
cli_resume_print(const json_t *res, long long id)
{
	const char *waiting =
	    json_string_value(json_object_get(res, "waiting"));

	if (json_is_true(json_object_get(res, "resumed")))
		printf("Resumed job %lld\n", id);
	else if (waiting != NULL)
		printf("Job %lld will resume: %s\n", id, waiting);
	else
		printf("Job %lld will resume\n", id);
}

static int
cli_resume_fn(struct cli *cli, int argc, char **argv)
{
	return cli_life_each(cli, &cli_cmd_resume, "job.resume", argc, argv,
	    cli_resume_print);
}
