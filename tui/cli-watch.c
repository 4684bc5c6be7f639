#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tui/cli.h"
#include "tui/fmt.h"

#define WATCH_CLEAR "\033[H\033[2J"

static int cli_watch_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_watch = {
	.name = "watch",
	.summary = "Redraw status and the job list every few seconds",
	.usage = "watch [-n SECONDS]\n"
	         "  -n, --interval SECONDS   between redraws (default 2; "
	         "0.1 .. 3600)\n"
	         "  Stops on Ctrl-C (SIGINT) or SIGTERM.\n",
	.fn = cli_watch_fn,
};

static const struct option cli_watch_opts[] = {
	{ "interval", required_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static volatile sig_atomic_t cli_watch_stop;

static void
cli_watch_signal(int sig)
{
	cli_watch_stop = 1;
}

/* Stops the loop on SIGINT and SIGTERM; sleeps are not restarted. */
static void
cli_watch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cli_watch_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* One screen: a title, the compact status and the job list. */
static void
cli_watch_frame(struct cli *cli, double every, struct buf *b)
{
	long long now = (long long)time(NULL);
	char when[32], *cause = NULL;
	struct tm tm;
	time_t t = (time_t)now;
	int rc;

	localtime_r(&t, &tm);
	strftime(when, sizeof(when), "%H:%M:%S", &tm);
	buf_printf(b, "gpuq watch, every %gs (Ctrl-C to stop)  %s\n\n", every,
	    when);
	rc = cli_status_render(cli, 1, b, &cause);
	if (rc == 0) {
		buf_addstr(b, "\n");
		rc = cli_ls_render(cli, json_object(), now, b, NULL, &cause);
	}
	if (rc != 0) {
		buf_printf(b, "\ngpuq: %s\n", cause != NULL ? cause : "error");
		free(cause);
		cli_disconnect(cli); /* connect afresh next time */
	}
}

static void
cli_watch_sleep(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	while (!cli_watch_stop && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
cli_watch_loop(struct cli *cli, double every)
{
	struct buf b;

	cli_watch_signals();
	buf_init(&b, CLI_OUT_MAX);
	while (!cli_watch_stop) {
		buf_reset(&b);
		buf_addstr(&b, WATCH_CLEAR);
		cli_watch_frame(cli, every, &b);
		if (cli_watch_stop || cli_print_buf(&b) != CLI_EXIT_OK)
			break;
		cli_watch_sleep(every);
	}
	buf_done(&b);
	return CLI_EXIT_OK;
}

static int
cli_watch_fn(struct cli *cli, int argc, char **argv)
{
	double every = 2;
	char *end;
	int ch;

	while ((ch = getopt_long(argc, argv, "+:n:h", cli_watch_opts, NULL)) !=
	    -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_watch);
		if (ch != 'n')
			return cli_bad_opt(&cli_cmd_watch, argv, ch);
		every = strtod(optarg, &end);
		if (end == optarg || *end != '\0' || !(every >= 0.1) ||
		    every > 3600)
			return cli_bad_usage(&cli_cmd_watch,
			    "bad interval '%s'", optarg);
	}
	if (optind != argc)
		return cli_bad_usage(&cli_cmd_watch, "unexpected argument %s",
		    argv[optind]);
	return cli_watch_loop(cli, every);
}
