/*
 * gpuq attach ID: a shell inside a running job's environment (its
 * CUDA_VISIBLE_DEVICES, GPUQ_* variables and its own) in its working
 * directory.  job.attach says what the job sees; the shell is started
 * here, as the caller: on the terminal itself when there is one, else on
 * a pseudo-terminal whose input and output this process relays.  Over SSH
 * (-H) the shell must run on the cluster: `gpuq attach --here ID` runs
 * there on a terminal, through gpuq's own SSH client (cli-attach-ssh.c:
 * a PTY channel) or, with --ssh-command, the system ssh (-t).  When gpuq's
 * client cannot get there, the ssh command is printed as a way out.
 */
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/transport-ssh.h"
#include "tui/cli-attach.h"
#include "tui/cli.h"

static int cli_attach_fn(struct cli *, int, char **);

const struct cli_cmd cli_cmd_attach = {
	.name = "attach",
	.summary = "Open a shell in a running job's environment",
	.usage = "attach [--here] ID\n"
	         "  A shell ($SHELL) with the job's environment "
	         "(CUDA_VISIBLE_DEVICES,\n"
	         "  GPUQ_*) in its working directory; exit it to leave.  The "
	         "job keeps\n"
	         "  running; the shell is not part of it.\n"
	         "      --here   run the shell on this host even with -H "
	         "(what ssh runs\n"
	         "               on the cluster)\n",
	.fn = cli_attach_fn,
};

static const struct option cli_attach_opts[] = {
	{ "here", no_argument, NULL, 'H' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

extern char **environ;

/* The job's environment, with this terminal's TERM and GPUQ_ATTACHED. */
static char **
cli_attach_envp(json_t *env, long long id)
{
	const char *k, *term = getenv("TERM");
	char **v;
	json_t *val;
	size_t n = 0;

	v = xcalloc(json_object_size(env) + 3, sizeof(char *));
	json_object_foreach(env, k, val) {
		if (!json_is_string(val) || strcmp(k, "TERM") == 0 ||
		    strcmp(k, "GPUQ_ATTACHED") == 0)
			continue;
		v[n++] = xasprintf("%s=%s", k, json_string_value(val));
	}
	if (term != NULL)
		v[n++] = xasprintf("TERM=%s", term);
	v[n++] = xasprintf("GPUQ_ATTACHED=%lld", id);
	return v;
}

static const char *
cli_attach_shell(const json_t *env)
{
	const char *s = getenv("SHELL");

	if (s == NULL || s[0] != '/')
		s = json_string_value(json_object_get(env, "SHELL"));
	if (s == NULL || s[0] != '/' || access(s, X_OK) != 0)
		s = "/bin/sh";
	return s;
}

/* Copies what is readable on from to fd to; 0 at end of input. */
static ssize_t
cli_attach_copy(int from, int to)
{
	char buf[4096];
	ssize_t r, w, off = 0;

	do
		r = read(from, buf, sizeof(buf));
	while (r < 0 && errno == EINTR);
	while (off < r) {
		w = write(to, buf + off, (size_t)(r - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += w;
	}
	return r;
}

/* Relays stdin and stdout to the shell's terminal until it exits. */
static int
cli_attach_relay(int master, pid_t pid)
{
	struct pollfd p[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = master, .events = POLLIN } };
	int status = 0;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents & (POLLIN | POLLHUP) &&
		    cli_attach_copy(STDIN_FILENO, master) <= 0) {
			/* End of input: the shell gets an end of file. */
			(void)write(master, "\004", 1);
			p[0].fd = -1;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR) &&
		    cli_attach_copy(master, STDOUT_FILENO) <= 0)
			break;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? CLI_EXIT_OK :
	                                                       CLI_EXIT_FAIL;
}

/*
 * The pseudo-terminal's modes when input is not a person typing: lines
 * and ^C as usual, but no echo of the input and no CR added to output,
 * so what comes out is what the shell wrote.
 */
static void
cli_attach_modes(struct termios *tio)
{
	memset(tio, 0, sizeof(*tio));
	tio->c_iflag = ICRNL | IXON;
	tio->c_oflag = OPOST;
	tio->c_cflag = CS8 | CREAD;
	tio->c_lflag = ISIG | ICANON | IEXTEN;
	tio->c_cc[VINTR] = 3;
	tio->c_cc[VQUIT] = 28;
	tio->c_cc[VERASE] = 127;
	tio->c_cc[VKILL] = 21;
	tio->c_cc[VEOF] = 4;
	tio->c_cc[VSUSP] = 26;
	tio->c_cc[VMIN] = 1;
	cfsetispeed(tio, B38400);
	cfsetospeed(tio, B38400);
}

static int
cli_attach_pty(const char *shell, char **envp)
{
	struct termios tio;
	char *argv[2];
	pid_t pid;
	int master;

	argv[0] = (char *)(uintptr_t)shell;
	argv[1] = NULL;
	cli_attach_modes(&tio);
	fflush(stdout);
	if ((pid = forkpty(&master, NULL, &tio, NULL)) < 0) {
		fprintf(stderr, "gpuq: attach: no pseudo-terminal: %s\n",
		    strerror(errno));
		return CLI_EXIT_FAIL;
	}
	if (pid == 0) {
		execve(shell, argv, envp);
		_exit(127);
	}
	return cli_attach_relay(master, pid);
}

static int
cli_attach_local(const json_t *res, long long id)
{
	json_t *env = json_object_get(res, "env");
	const char *wd = json_string_value(json_object_get(res, "workdir"));
	const char *shell = cli_attach_shell(env);
	char **envp = cli_attach_envp(env, id), *argv[2];

	if (wd == NULL || chdir(wd) != 0)
		fprintf(stderr, "gpuq: attach: cannot enter %s: %s\n",
		    wd ? wd : "(none)", strerror(errno));
	fprintf(stderr,
	    "gpuq: attached to job %lld on %s (CUDA_VISIBLE_DEVICES=%s); "
	    "exit the shell to leave\n",
	    id, json_string_value(json_object_get(res, "node")),
	    json_string_value(json_object_get(env, "CUDA_VISIBLE_DEVICES")) ?
	        json_string_value(
	            json_object_get(env, "CUDA_VISIBLE_DEVICES")) :
	        "");
	if (!isatty(STDIN_FILENO))
		return cli_attach_pty(shell, envp);
	argv[0] = (char *)(uintptr_t)shell;
	argv[1] = NULL;
	fflush(NULL);
	execve(shell, argv, envp);
	fprintf(stderr, "gpuq: attach: cannot run %s: %s\n", shell,
	    strerror(errno));
	return CLI_EXIT_FAIL;
}

/* s quoted for a POSIX shell, appended to b. */
static void
cli_attach_quote(struct buf *b, const char *s)
{
	buf_addstr(b, "'");
	for (; *s != '\0'; s++)
		buf_addstr(b, *s == '\'' ? "'\\''" : (char[]){ *s, '\0' });
	buf_addstr(b, "'");
}

/* What runs on the cluster: gpuq [-S SOCK] attach --here ID (new). */
static char *
cli_attach_line(const struct cli *cli, long long id)
{
	struct buf b;

	buf_init(&b, 64 * 1024);
	buf_addstr(&b, "gpuq ");
	if (cli->sock != NULL) {
		buf_addstr(&b, "-S ");
		cli_attach_quote(&b, cli->sock);
		buf_addstr(&b, " ");
	}
	buf_printf(&b, "attach --here %lld", id);
	return buf_take(&b);
}

/* The ssh argv with a terminal (-t) instead of none (-T); new. */
static char **
cli_attach_ssh_argv(const char *ssh, const char *target, const char *line,
    int batch)
{
	char **argv = transport_ssh_argv(ssh, target, line);
	size_t i, k;

	for (i = 0, k = 0; argv != NULL && argv[i] != NULL; i++) {
		if (strcmp(argv[i], "-T") == 0) {
			argv[i][1] = 't';
		} else if (!batch && strcmp(argv[i], "-o") == 0 &&
		    argv[i + 1] != NULL &&
		    strcmp(argv[i + 1], "BatchMode=yes") == 0) {
			free(argv[i]);
			free(argv[++i]);
			continue;
		}
		argv[k++] = argv[i];
	}
	if (argv != NULL)
		argv[k] = NULL;
	return argv;
}

/* argv as one command line, its last word (the remote one) quoted. */
static void
cli_attach_join(struct buf *b, char **argv)
{
	size_t i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		if (i > 0)
			buf_addstr(b, " ");
		if (argv[i + 1] == NULL)
			cli_attach_quote(b, argv[i]);
		else
			buf_addstr(b, argv[i]);
	}
}

/* The way out when gpuq's own client fails: the ssh command. */
static int
cli_attach_hint(struct cli *cli, long long id, const char *line,
    const char *why)
{
	char **argv = cli_attach_ssh_argv("ssh", cli->target, line, 0);
	struct buf b;

	buf_init(&b, 64 * 1024);
	cli_attach_join(&b, argv);
	fprintf(stderr,
	    "gpuq: attach: cannot run the shell for job %lld on %s: %s\n"
	    "Run instead:\n  %s\n",
	    id, cli->host, why, b.data ? b.data : "");
	buf_done(&b);
	transport_ssh_argv_free(argv);
	return CLI_EXIT_FAIL;
}

/* libssh2: the far side's exit status is gpuq's, as with ssh. */
static int
cli_attach_libssh2(struct cli *cli, long long id, const char *line)
{
	char *why = NULL;
	int status, rc;

	if (cli_attach_ssh(cli, line, &status, &why) != 0) {
		rc =
		    cli_attach_hint(cli, id, line, why ? why : "no connection");
		free(why);
		return rc;
	}
	/* A terminal there showed its errors; else they are in why. */
	if (status < 0 || (status != 0 && !isatty(STDIN_FILENO)))
		fprintf(stderr, "gpuq: attach: %s%s\n",
		    why ? why : "the connection was lost",
		    status == 127 ? " (is gpuq on the PATH there?)" : "");
	free(why);
	return status < 0 || status > 255 ? CLI_EXIT_FAIL : status;
}

static int
cli_attach_remote(struct cli *cli, long long id)
{
	char *line = cli_attach_line(cli, id), **argv;
	int rc;

	if (cli->ssh_command != NULL) {
		argv =
		    cli_attach_ssh_argv(cli->ssh_command, cli->target, line, 1);
		free(line);
		if (argv == NULL) {
			fprintf(stderr,
			    "gpuq: attach: %s is not "
			    "[user@]host[:port]\n",
			    cli->target);
			return CLI_EXIT_FAIL;
		}
		fflush(NULL);
		execvp(argv[0], argv);
		fprintf(stderr, "gpuq: attach: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		transport_ssh_argv_free(argv);
		return CLI_EXIT_FAIL;
	}
	rc = cli_attach_libssh2(cli, id, line);
	free(line);
	return rc;
}

static int
cli_attach_fn(struct cli *cli, int argc, char **argv)
{
	long long id;
	json_t *res;
	char *cause, what[48];
	int ch, here = 0, rc;

	while (
	    (ch = getopt_long(argc, argv, ":h", cli_attach_opts, NULL)) != -1) {
		if (ch == 'h')
			return cli_help_cmd(&cli_cmd_attach);
		if (ch != 'H')
			return cli_bad_opt(&cli_cmd_attach, argv, ch);
		here = 1;
	}
	if (optind + 1 != argc || cli_parse_id(argv[optind], &id) != 0)
		return cli_bad_usage(&cli_cmd_attach, "give one job id");
	/* Over ssh the far side's gpuq asks its daemon. */
	if (cli->host != NULL && !here)
		return cli_attach_remote(cli, id);
	cli->host = NULL; /* --here: the local daemon is the one */
	snprintf(what, sizeof(what), "attach %lld", id);
	rc = cli_rpc(cli, "job.attach",
	    json_pack("{s:I}", "id", (json_int_t)id), &res, &cause);
	if (rc != 0)
		return cli_fail(cli, what, rc, cause);
	rc = cli_attach_local(res, id);
	json_decref(res);
	return rc;
}
