/*
 * gpuq: the client.  For now its scripting subcommands; `gpuq` alone runs
 * `gpuq watch` until the full-screen workbench lands.
 */
#include "tui/cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
