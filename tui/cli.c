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
#include "remote/ssh-resolve.h"
#include "remote/transport-sync.h"
#include "tui/cli.h"
#include "tui/conf.h"
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
	&cli_cmd_suspend,
	&cli_cmd_resume,
	&cli_cmd_swap,
	&cli_cmd_hold,
	&cli_cmd_release,
	&cli_cmd_requeue,
	&cli_cmd_update,
	&cli_cmd_attach,
	&cli_cmd_logs,
	&cli_cmd_status,
	&cli_cmd_projects,
	&cli_cmd_usage,
	&cli_cmd_watch,
	&cli_cmd_sweep,
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
	    "  -H host     reach gpuqd on host over ssh ([user@]host[:port], "
	    "an ssh\n"
	    "              config alias, or a cluster of gpuq.conf; also "
	    "$GPUQ_HOST)\n"
	    "  -h, --help  show this help\n"
	    "  -V, --version\n"
	    "\n"
	    "ssh options (docs/ssh.md):\n"
	    "  --remote-command CMD   run CMD there (default: gpuqd bridge)\n"
	    "  --accept-new-host-key  add an unknown host key to known_hosts\n"
	    "  --ssh-config FILE      instead of ~/.ssh/config (like ssh -F)\n"
	    "  --ssh-command[=SSH]    go through the system ssh, not libssh2\n"
	    "  --verbose              describe each step of the connection\n"
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

/* --ssh-command: the system ssh runs the remote command. */
static int
cli_connect_openssh(struct cli *cli, const char *line, char **why)
{
	char **argv;
	int rc;

	argv = transport_ssh_argv(cli->ssh_command, cli->target, line);
	if (argv == NULL) {
		*why = xasprintf("%s is not [user@]host[:port]", cli->target);
		return GQ_EINVAL;
	}
	rc = client_open_cmd(argv, &cli->client, why);
	transport_ssh_argv_free(argv);
	return rc;
}

/* libssh2 (remote/transport-ssh.c), driven until each reply. */
static int
cli_connect_libssh2(struct cli *cli, char **why)
{
	struct transport_ssh_opts o;

	memset(&o, 0, sizeof(o));
	o.target = cli->target;
	o.command = cli->remote_command;
	o.socket = cli->sock;
	o.config = cli->ssh_config;
	o.how = ssh_resolve_how_env();
	o.accept_new = cli->accept_new;
	o.no_hostkey_ask = 1;
	o.verbose = cli->verbose;
	return transport_sync_ssh(&o, ssh_prompt_tty, &cli->client, why);
}

static int
cli_connect_ssh(struct cli *cli, char **cause)
{
	char *why = NULL, *line;
	int rc;

	/* -S names the socket on the far side (quoted for its shell). */
	line = transport_ssh_command(cli->remote_command, cli->sock);
	if (cli->ssh_command != NULL)
		rc = cli_connect_openssh(cli, line, &why);
	else
		rc = cli_connect_libssh2(cli, &why);
	if (rc != 0) {
		*cause = xasprintf("cannot reach gpuqd on %s over ssh: %s%s",
		    cli->host, why != NULL ? why : gq_err_text(rc),
		    why != NULL && strstr(why, "(status 127)") != NULL ?
		        " (is gpuqd on the PATH there? --remote-command "
		        "names it)" :
		        "");
		free(why);
	}
	free(line);
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

enum {
	CLI_OPT_REMOTE_COMMAND = 256,
	CLI_OPT_SSH_COMMAND,
	CLI_OPT_SSH_CONFIG,
	CLI_OPT_ACCEPT_NEW,
	CLI_OPT_VERBOSE
};

static const struct option cli_global_longs[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "remote-command", required_argument, NULL, CLI_OPT_REMOTE_COMMAND },
	{ "ssh-command", optional_argument, NULL, CLI_OPT_SSH_COMMAND },
	{ "ssh-config", required_argument, NULL, CLI_OPT_SSH_CONFIG },
	{ "accept-new-host-key", no_argument, NULL, CLI_OPT_ACCEPT_NEW },
	{ "verbose", no_argument, NULL, CLI_OPT_VERBOSE },
	{ "version", no_argument, NULL, 'V' },
	{ "readonly", no_argument, NULL, 'r' },
	{ "theme", required_argument, NULL, 't' },
	{ "no-color", no_argument, NULL, 'n' },
	{ "mouse", no_argument, NULL, 'm' },
	{ "config", required_argument, NULL, 'c' },
	{ "keys", no_argument, NULL, 'k' },
	{ NULL, 0, NULL, 0 },
};

/* The workbench's and ssh's long options; returns 0 when ch was one. */
static int
cli_tui_opt(struct cli *cli, int ch)
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
	case CLI_OPT_ACCEPT_NEW:
		cli->accept_new = 1;
		return 0;
	case CLI_OPT_VERBOSE:
		cli->verbose = 1;
		return 0;
	case CLI_OPT_SSH_CONFIG:
		cli->ssh_config = optarg;
		return 0;
	case CLI_OPT_SSH_COMMAND:
		cli->ssh_command = optarg != NULL ? optarg : "ssh";
		return 0;
	case CLI_OPT_REMOTE_COMMAND:
		free(cli->remote_command);
		cli->remote_command = xstrdup(optarg);
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
			if (cli_tui_opt(cli, ch) == 0)
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

/* A cluster of gpuq.conf named name, copied into cli; 0 when found. */
static int
cli_cluster(struct cli *cli, const char *name)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const struct conf_cluster *k;
	struct conf *c;
	struct buf errs;
	char *path, *text;
	size_t len;
	int rc = -1;

	if (cli_tui.conf != NULL)
		path = xstrdup(cli_tui.conf);
	else if (xdg != NULL && xdg[0] == '/')
		path = xasprintf("%s/gpuq/gpuq.conf", xdg);
	else
		path =
		    xasprintf("%s/.config/gpuq/gpuq.conf", ssh_resolve_home());
	if (ssh_resolve_read_file(path, CONF_MAX_TEXT, &text, &len) != 0) {
		free(path);
		return -1;
	}
	c = xmalloc(sizeof(*c));
	conf_init(c);
	buf_init(&errs, 64 * 1024);
	conf_parse(c, path, text, len, &errs);
	if ((k = conf_cluster_find(c, name)) != NULL) {
		cli->target = xstrdup(k->target);
		if (cli->remote_command == NULL && k->command[0] != '\0')
			cli->remote_command = xstrdup(k->command);
		rc = 0;
	}
	buf_done(&errs);
	free(c);
	free(text);
	free(path);
	return rc;
}

/* -H, else $GPUQ_HOST: a cluster of gpuq.conf, or an ssh target. */
static void
cli_host(struct cli *cli)
{
	const char *env = getenv("GPUQ_HOST");

	if (cli->host == NULL && env != NULL && env[0] != '\0')
		cli->host = env;
	if (cli->host == NULL)
		return;
	if (cli_cluster(cli, cli->host) != 0)
		cli->target = xstrdup(cli->host);
}

/* gpuq alone: the workbench on a terminal, else `gpuq watch`. */
static int
cli_workbench(struct cli *cli)
{
	char name[] = "watch", *watch[] = { name, NULL };

	cli_tui.sock = cli->sock;
	cli_tui.host = cli->host;
	cli_tui.target = cli->target;
	cli_tui.remote_command = cli->remote_command;
	cli_tui.ssh_command = cli->ssh_command;
	cli_tui.ssh_config = cli->ssh_config;
	cli_tui.verbose = cli->verbose;
	if (cli_keys)
		return tui_print_keys(&cli_tui) == 0 ? CLI_EXIT_OK :
		                                       CLI_EXIT_FAIL;
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
	if (rc < 0) {
		cli_host(&cli);
		rc = cli_dispatch(&cli, argc - optind, argv + optind);
	}
	cli_disconnect(&cli);
	free(cli.sock);
	free(cli.target);
	free(cli.remote_command);
	if (fflush(stdout) != 0 && rc == CLI_EXIT_OK)
		rc = CLI_EXIT_FAIL;
	return rc;
}
