/*
 * gpuqd: the daemon, and its helpers "bridge" and "supervise".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "core/sim/sim.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: gpuqd [-dt] [-f config] [-S socket] [--state-dir DIR]\n"
	    "             [--fake-gpus COUNT:MODEL,...] [--executor "
	    "local|slurm]\n"
	    "             [-o option=value]...\n"
	    "       gpuqd bridge [-S socket]\n"
	    "\n"
	    "  -f FILE           read options from FILE (see gpuqd.conf(5))\n"
	    "  -t                check the configuration, print it, exit\n"
	    "  -S PATH           listen on this Unix socket\n"
	    "  --state-dir DIR   store, logs and job state\n"
	    "  --fake-gpus SPEC  simulated GPUs, e.g. 8:H100-80GB\n"
	    "  --nvml-lib PATH   load NVML from PATH (libnvidia-ml.so.1)\n"
	    "  --executor NAME   where jobs run (local or slurm)\n"
	    "  -o NAME=VALUE     set any option of gpuqd.conf(5)\n"
	    "  -d                log debug messages\n"
	    "  -V                print the version\n");
}

static void
add_opt(struct daemon *d, const char *key, const char *value)
{
	d->cmdline_opts = xreallocarray(d->cmdline_opts, d->ncmdline_opts + 1,
	    sizeof(*d->cmdline_opts));
	d->cmdline_opts[d->ncmdline_opts++] = xasprintf("%s=%s", key, value);
}

/* The config file, then the command line's options over it. */
static int
load_config(struct daemon *d)
{
	char cause[512];

	config_done(&d->cfg);
	if (config_build(&d->cfg, d->config_path, d->cmdline_opts,
	        d->ncmdline_opts, cause, sizeof(cause)) != 0) {
		fprintf(stderr, "gpuqd: %s\n", cause);
		return -1;
	}
	return 0;
}

static int
parse_opt(struct daemon *d, int ch, int *test)
{
	switch (ch) {
	case 'd':
		add_opt(d, "log-level", "debug");
		break;
	case 'f':
		d->config_path = optarg;
		break;
	case 'o':
		if (strchr(optarg, '=') == NULL) {
			fprintf(stderr, "gpuqd: -o wants NAME=VALUE\n");
			return -1;
		}
		d->cmdline_opts = xreallocarray(d->cmdline_opts,
		    d->ncmdline_opts + 1, sizeof(*d->cmdline_opts));
		d->cmdline_opts[d->ncmdline_opts++] = optarg;
		break;
	case 't':
		*test = 1;
		break;
	case 'S':
		add_opt(d, "socket", optarg);
		break;
	case 's':
		add_opt(d, "state-dir", optarg);
		break;
	case 'g':
		add_opt(d, "fake-gpus", optarg);
		break;
	case 'N':
		add_opt(d, "nvml-lib", optarg);
		break;
	case 'e':
		add_opt(d, "executor", optarg);
		break;
	default:
		return -1;
	}
	return 0;
}

/*
 * Parses the command line.  Options given there override the config file
 * wherever they stand.  Returns -1, or 0/1 for run/test.
 */
static int
parse_args(struct daemon *d, int argc, char **argv)
{
	static const struct option longs[] = { { "state-dir", required_argument,
		                                   NULL, 's' },
		{ "fake-gpus", required_argument, NULL, 'g' },
		{ "nvml-lib", required_argument, NULL, 'N' },
		{ "executor", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	int ch, test = 0;

	while (
	    (ch = getopt_long(argc, argv, "df:ho:tS:V", longs, NULL)) != -1) {
		if (ch == 'V') {
			printf("gpuqd %s\n", GPUQ_VERSION);
			exit(0);
		}
		if (ch == 'h') {
			usage(stdout);
			exit(0);
		}
		if (ch == '?' || ch == ':') {
			usage(stderr);
			exit(2);
		}
		if (parse_opt(d, ch, &test) != 0)
			return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "gpuqd: unexpected argument \"%s\"\n",
		    argv[optind]);
		return -1;
	}
	return load_config(d) != 0 ? -1 : test;
}

/* -t: checks what only the running daemon would otherwise find out. */
static int
check_config(struct daemon *d)
{
	struct gpu_inventory inv;
	char cause[256];

	if (exec_find(d->cfg.executor) == NULL) {
		fprintf(stderr, "gpuqd: unknown executor \"%s\"\n",
		    d->cfg.executor);
		return 1;
	}
	if (sched_policy_find(d->cfg.policy) == NULL) {
		fprintf(stderr, "gpuqd: unknown policy \"%s\"\n",
		    d->cfg.policy);
		return 1;
	}
	if (d->cfg.fake_gpus != NULL &&
	    gpu_fake_parse(d->cfg.fake_gpus, "check", &inv, cause,
	        sizeof(cause)) != 0) {
		fprintf(stderr, "gpuqd: %s\n", cause);
		return 1;
	}
	config_print(&d->cfg, stdout);
	printf("# configuration OK\n");
	return 0;
}

int
main(int argc, char **argv)
{
	static struct daemon d;
	int mode;

	if (argc > 1 && strcmp(argv[1], "bridge") == 0)
		return bridge_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "supervise") == 0)
		return exec_supervise_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "simulate") == 0)
		return sim_main(argc - 1, argv + 1);
	config_defaults(&d.cfg);
	if ((mode = parse_args(&d, argc, argv)) < 0)
		return 2;
	if (mode == 1)
		return check_config(&d);
	log_init("gpuqd", (enum log_level)d.cfg.log_level);
	return daemon_run(&d) == 0 ? 0 : 1;
}
