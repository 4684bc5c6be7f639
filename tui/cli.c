#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/client.h"
#include "remote/sockpath.h"
#include "tui/cli.h"
#include "tui/fmt.h"
#include "tui/tui.h"

static int cli_help_fn(struct cli *, int, char **);

/* The workbench's options, given before any command. */
static struct tui_opts cli_tui;
static int cli_keys;

static const struct cli_cmd cli_cmd_help = {
	.name = "help",
	.summary = "Show this help, or a command's options",
	.usage = "help [COMMAND]\n",
	.fn = cli_help_fn,
};

/* Every subcommand; `gpuq help` lists them in this order. */
static const struct cli_cmd *const cli_cmds[] = {
	&cli_cmd_submit,
	&cli_cmd_ls,
	&cli_cmd_show,
	&cli_cmd_cancel,
	&cli_cmd_logs,
	&cli_cmd_status,
	&cli_cmd_projects,
	&cli_cmd_watch,
	&cli_cmd_help,
};

#define CLI_NCMDS (sizeof(cli_cmds) / sizeof(cli_cmds[0]))

static const struct cli_cmd *
cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < CLI_NCMDS; i++)
		if (strcmp(cli_cmds[i]->name, name) == 0)
			return cli_cmds[i];
	return NULL;
}

static void
cli_print_help(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: gpuq [-S socket] [-H host] [workbench options] "
	    "[command [options]]\n"
	    "\n"
	    "gpuq with no command opens the workbench (the full-screen "
	    "TUI) when its\n"
	    "input and output are a terminal, else runs `gpuq watch`.\n"
	    "\ncommands:\n");
	for (i = 0; i < CLI_NCMDS; i++)
		fprintf(f, "  %-8s %s\n", cli_cmds[i]->name,
		    cli_cmds[i]->summary);
	fprintf(f,
	    "\n"
	    "options:\n"
	    "  -S socket   the daemon's socket (default: $GPUQ_SOCKET, "
	    "else the\n"
	    "              personal socket, else %s)\n"
	    "  -H host     reach gpuqd on host over ssh (runs "
	    "`gpuqd bridge` there)\n"
	    "  -h, --help  show this help\n"
	    "  -V, --version\n"
	    "\n"
	    "workbench options:\n"
	    "  --readonly      keys that change the cluster are off\n"
	    "  --theme NAME    default, light, monochrome, okabe-ito, or "
	    "your own\n"
	    "  --no-color      no colour at all (also: NO_COLOR=1)\n"
	    "  --mouse         mouse: wheel scrolls, click selects\n"
	    "  --config FILE   instead of ~/.config/gpuq/gpuq.conf\n"
	    "  --keys          print the key map and exit\n"
	    "\n"
	    "Run `gpuq help COMMAND` for a command's options.\n",
	    SOCKPATH_SYSTEM);
}

int
cli_usage(const struct cli_cmd *cmd)
{
	fprintf(stderr, "usage: gpuq %s", cmd->usage);
	return CLI_EXIT_USAGE;
}

int
cli_help_cmd(const struct cli_cmd *cmd)
{
	printf("usage: gpuq %s", cmd->usage);
	return CLI_EXIT_OK;
}

int
cli_bad_usage(const struct cli_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gpuq: %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_usage(cmd);
}

static int
cli_help_fn(struct cli *cli, int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc < 2) {
		cli_print_help(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 2)
		return cli_usage(&cli_cmd_help);
	if ((cmd = cli_find(argv[1])) == NULL)
		return cli_bad_usage(&cli_cmd_help, "no command %s", argv[1]);
	return cli_help_cmd(cmd);
}

static int
cli_connect_ssh(struct cli *cli, char **cause)
{
	char a0[] = "ssh", a1[] = "-T", a2[] = "-o", a3[] = "BatchMode=yes";
	char a5[] = "gpuqd", a6[] = "bridge", a7[] = "-S";
	char *host = xstrdup(cli->host), *sock = NULL;
	struct buf q;
	char *argv[] = { a0, a1, a2, a3, host, a5, a6, NULL, NULL, NULL };
	char *why = NULL;
	int rc;

	/* -S names the socket on the far side; ssh passes words to a shell
	 * there, so the path is quoted. */
	if (cli->sock != NULL) {
		buf_init(&q, 8192);
		fmt_shell_quote(&q, cli->sock);
		sock = buf_take(&q);
		argv[7] = a7;
		argv[8] = sock;
	}
	rc = client_open_cmd(argv, &cli->client, &why);
	if (rc != 0) {
		*cause = xasprintf("cannot reach gpuqd on %s over ssh: %s "
		                   "(can you `ssh %s gpuqd --version`?)",
		    cli->host, why != NULL ? why : gq_err_text(rc), cli->host);
		free(why);
	}
	free(host);
	free(sock);
	return rc;
}

int
cli_connect(struct cli *cli, char **cause)
{
	char *why = NULL;
	int rc;

	*cause = NULL;
	if (cli->client != NULL)
		return 0;
	if (cli->host != NULL) {
		rc = cli_connect_ssh(cli, cause);
		cli->unreachable = rc != 0;
		return rc;
	}
	if (cli->sock == NULL)
		cli->sock = sockpath_default();
	rc = client_open_unix(cli->sock, &cli->client, &why);
	cli->unreachable = rc != 0;
	if (rc == GQ_ECONN)
		*cause = xasprintf("%s (is gpuqd running? start it with: "
		                   "gpuqd)",
		    why != NULL ? why : gq_err_text(rc));
	else if (rc != 0)
		*cause = xstrdup(why != NULL ? why : gq_err_text(rc));
	free(why);
	return rc;
}

void
cli_disconnect(struct cli *cli)
{
	client_free(cli->client);
	cli->client = NULL;
}

int
cli_rpc(struct cli *cli, const char *verb, json_t *params, json_t **result,
    char **cause)
{
	int rc;

	*result = NULL;
	if ((rc = cli_connect(cli, cause)) != 0) {
		json_decref(params);
		return rc;
	}
	json_incref(params);
	rc = client_call(cli->client, verb, params, result, cause);
	if (rc != GQ_ECONN) {
		json_decref(params);
		return rc;
	}
	/* The connection broke: connect again and repeat the request once. */
	free(*cause);
	cli_disconnect(cli);
	if ((rc = cli_connect(cli, cause)) != 0) {
		json_decref(params);
		return rc;
	}
	return client_call(cli->client, verb, params, result, cause);
}

int
cli_rpc_keyed(struct cli *cli, const char *verb, json_t *params,
    json_t **result, char **cause)
{
	char key[CLIENT_KEY_LEN + 1];

	client_new_key(key);
	json_object_set_new(params, "key", json_string(key));
	return cli_rpc(cli, verb, params, result, cause);
}

int
cli_fail(struct cli *cli, const char *what, int code, char *cause)
{
	const char *msg = cause != NULL ? cause : "";

	if (cli->unreachable)
		fprintf(stderr, "gpuq: %s\n", msg);
	else if (msg[0] != '\0')
		fprintf(stderr, "gpuq: %s: %s: %s\n", what, fmt_err_text(code),
		    msg);
	else
		fprintf(stderr, "gpuq: %s: %s\n", what, fmt_err_text(code));
	free(cause);
	return CLI_EXIT_FAIL;
}

int
cli_parse_id(const char *s, long long *id)
{
	char *end;
	long long v;

	if (s[0] < '0' || s[0] > '9')
		return GQ_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > (INT64_C(1) << 53) - 1)
		return GQ_EINVAL;
	*id = v;
	return 0;
}

int
cli_print_json(const json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	int rc;

	if (s == NULL)
		return CLI_EXIT_FAIL;
	rc = printf("%s\n", s) < 0 ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	free(s);
	return rc;
}

int
cli_print_buf(const struct buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len)
		return CLI_EXIT_FAIL;
	return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

void
cli_opt_name(char **argv, char *out, size_t n)
{
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;

	if (arg != NULL && strncmp(arg, "--", 2) == 0)
		snprintf(out, n, "%.*s", (int)strcspn(arg, "="), arg);
	else if (optopt != 0)
		snprintf(out, n, "-%c", optopt);
	else
		snprintf(out, n, "%s", arg != NULL ? arg : "?");
}

const char *
cli_opt_long(const struct option *opts, int ch)
{
	for (; opts->name != NULL; opts++)
		if (opts->val == ch)
			return opts->name;
	return "?";
}

int
cli_bad_opt(const struct cli_cmd *cmd, char **argv, int ch)
{
	char name[64];

	cli_opt_name(argv, name, sizeof(name));
	if (ch == ':')
		return cli_bad_usage(cmd, "option %s needs a value", name);
	return cli_bad_usage(cmd, "unknown option %s", name);
}

static const struct option cli_global_longs[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "readonly", no_argument, NULL, 'r' },
	{ "theme", required_argument, NULL, 't' },
	{ "no-color", no_argument, NULL, 'n' },
	{ "mouse", no_argument, NULL, 'm' },
	{ "config", required_argument, NULL, 'c' },
	{ "keys", no_argument, NULL, 'k' },
	{ NULL, 0, NULL, 0 },
};

/* The workbench's long options; returns 0 when ch was one. */
static int
cli_tui_opt(int ch)
{
	switch (ch) {
	case 'r':
		cli_tui.readonly = 1;
		return 0;
	case 't':
		cli_tui.theme = optarg;
		return 0;
	case 'n':
		cli_tui.no_color = 1;
		return 0;
	case 'm':
		cli_tui.mouse = 1;
		return 0;
	case 'c':
		cli_tui.conf = optarg;
		return 0;
	case 'k':
		cli_keys = 1;
		return 0;
	default:
		return -1;
	}
}

/* Parses the options before the command; returns -1 to go on. */
static int
cli_global_opts(struct cli *cli, int argc, char **argv)
{
	char name[64];
	int ch;

	while ((ch = getopt_long(argc, argv, "+:S:H:hV", cli_global_longs,
		    NULL)) != -1) {
		switch (ch) {
		case 'S':
			free(cli->sock);
			cli->sock = xstrdup(optarg);
			break;
		case 'H':
			cli->host = optarg;
			break;
		case 'h':
			cli_print_help(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("gpuq %s\n", GPUQ_VERSION);
			return CLI_EXIT_OK;
		default:
			if (cli_tui_opt(ch) == 0)
				break;
			cli_opt_name(argv, name, sizeof(name));
			fprintf(stderr, "gpuq: %s option %s\n",
			    ch == ':' ? "a value is missing after" : "unknown",
			    name);
			cli_print_help(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	return -1;
}

/* gpuq alone: the workbench on a terminal, else `gpuq watch`. */
static int
cli_workbench(struct cli *cli)
{
	char name[] = "watch", *watch[] = { name, NULL };

	cli_tui.sock = cli->sock;
	cli_tui.host = cli->host;
	if (cli_keys)
		return tui_print_keys(&cli_tui) == 0 ? CLI_EXIT_OK
						     : CLI_EXIT_FAIL;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_cmd_watch.fn(cli, 1, watch);
	return tui_main(&cli_tui) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int
cli_dispatch(struct cli *cli, int argc, char **argv)
{
	const struct cli_cmd *cmd;

	if (argc == 0 || cli_keys)
		return cli_workbench(cli);
	if ((cmd = cli_find(argv[0])) == NULL) {
		fprintf(stderr, "gpuq: no command %s (try `gpuq help`)\n",
		    argv[0]);
		return CLI_EXIT_USAGE;
	}
	optind = 0;
	return cmd->fn(cli, argc, argv);
}

int
cli_main(int argc, char **argv)
{
	struct cli cli;
	int rc;

	memset(&cli, 0, sizeof(cli));
	cli.prog = "gpuq";
	signal(SIGPIPE, SIG_IGN);
	opterr = 0;
	rc = cli_global_opts(&cli, argc, argv);
	if (rc < 0)
		rc = cli_dispatch(&cli, argc - optind, argv + optind);
	cli_disconnect(&cli);
	free(cli.sock);
	if (fflush(stdout) != 0 && rc == CLI_EXIT_OK)
		rc = CLI_EXIT_FAIL;
	return rc;
}
