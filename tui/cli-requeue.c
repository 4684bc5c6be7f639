/* gpuq requeue ID...: jobs back to the queue, same id (job.requeue). */
#include <stdio.h>

#include "tui/cli.h"

static int cli_requeue_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_requeue = {
	.name = "requeue",
	.summary = "Put jobs back in the queue under the same id",
	.usage = "requeue ID...\n"
	         "  A running or suspended job gets its checkpoint signal "
	         "(else SIGTERM),\n"
	         "  then SIGKILL after its grace, and waits again once it has "
	         "exited; a job\n"
	         "  that has ended waits again at once.  The next run has "
	         "GPUQ_RESTART_COUNT\n"
	         "  one higher.\n",
	.fn = cli_requeue_fn,
};

static void
cli_requeue_print(const json_t *res, long long id)
{
	if (json_is_true(json_object_get(res, "requeueing")))
		printf("Requeueing job %lld (it is stopped; it waits again "
		       "once "
		       "it has exited)\n",
		    id);
	else
		printf("Requeued job %lld\n", id);
}

static int
cli_requeue_fn(struct cli *cli, int argc, char **argv)
{
	return cli_life_each(cli, &cli_cmd_requeue, "job.requeue", argc, argv,
	    cli_requeue_print);
}
