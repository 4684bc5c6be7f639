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
#include "core/daemon/daemon.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "usage: gpuqd [-dt] [-f config] [-S socket] [--state-dir DIR]\n"
	    "             [--fake-gpus COUNT:MODEL,...] [--executor local]\n"
	    "             [-o option=value]...\n"
	    "       gpuqd bridge [-S socket]\n"
	    "\n"
	    "  -f FILE           read options from FILE (see gpuqd.conf(5))\n"
	    "  -t                check the configuration, print it, exit\n"
	    "  -S PATH           listen on this Unix socket\n"
	    "  --state-dir DIR   store, logs and job state\n"
	    "  --fake-gpus SPEC  simulated GPUs, e.g. 8:H100-80GB\n"
	    "  --executor NAME   where jobs run (local)\n"
	    "  -o NAME=VALUE     set any option of gpuqd.conf(5)\n"
	    "  -d                log debug messages\n"
	    "  -V                print the version\n");
}

static int
set_opt(struct config *cfg, const char *key, const char *value)
{
	char cause[256];

	if (config_set(cfg, key, value, cause, sizeof(cause)) != 0) {
		fprintf(stderr, "gpuqd: %s\n", cause);
		return -1;
	}
	return 0;
}

static int
set_kv(struct config *cfg, const char *kv)
{
	char key[64];
	const char *eq = strchr(kv, '=');

	if (eq == NULL || (size_t)(eq - kv) >= sizeof(key)) {
		fprintf(stderr, "gpuqd: -o wants NAME=VALUE\n");
		return -1;
	}
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	return set_opt(cfg, key, eq + 1);
}

/* Parses the command line over the config file.  Returns -1, or 0/1 for
 * run/test. */
static int
parse_args(struct daemon *d, int argc, char **argv)
{
	static const struct option longs[] = { { "state-dir", required_argument,
		                                   NULL, 's' },
		{ "fake-gpus", required_argument, NULL, 'g' },
		{ "executor", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	struct config *cfg = &d->cfg;
	char cause[512];
	int ch, test = 0, rc = 0;

	while (rc == 0 &&
	    (ch = getopt_long(argc, argv, "df:ho:tS:V", longs, NULL)) != -1) {
		switch (ch) {
		case 'd':
			cfg->log_level = LOG_LVL_DEBUG;
			break;
		case 'f':
			d->config_path = optarg;
			if (config_load(cfg, optarg, cause, sizeof(cause))) {
				fprintf(stderr, "gpuqd: %s\n", cause);
				rc = -1;
			}
			break;
		case 'o':
			rc = set_kv(cfg, optarg);
			break;
		case 't':
			test = 1;
			break;
		case 'S':
			rc = set_opt(cfg, "socket", optarg);
			break;
		case 's':
			rc = set_opt(cfg, "state-dir", optarg);
			break;
		case 'g':
			rc = set_opt(cfg, "fake-gpus", optarg);
			break;
		case 'e':
			rc = set_opt(cfg, "executor", optarg);
			break;
		case 'V':
			printf("gpuqd %s\n", GPUQ_VERSION);
			exit(0);
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (rc == 0 && optind < argc) {
		fprintf(stderr, "gpuqd: unexpected argument \"%s\"\n",
		    argv[optind]);
		rc = -1;
	}
	return rc < 0 ? -1 : test;
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
	config_defaults(&d.cfg);
	if ((mode = parse_args(&d, argc, argv)) < 0)
		return 2;
	if (mode == 1)
		return check_config(&d);
	log_init("gpuqd", (enum log_level)d.cfg.log_level);
	return daemon_run(&d) == 0 ? 0 : 1;
}
