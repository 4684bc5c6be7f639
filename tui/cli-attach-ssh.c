/*
 * gpuq -H host attach ID over gpuq's own SSH client: `gpuq attach --here
 * ID` runs on the cluster, on a terminal the SSH server gives it (a PTY
 * channel, as ssh -t asks for) when this side is a terminal, and this
 * process relays its standard input and output to it, its terminal in
 * raw mode meanwhile, window size changes included.  Without a terminal
 * here there is none there either, as with ssh -t: the far side's gpuq
 * then runs the shell on a pseudo-terminal of its own.  See
 * docs/cli/gpuq-attach.md.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <uv.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/transport-ssh.h"
#include "remote/transport-sync.h"
#include "tui/cli-attach.h"

#define CLI_ATTACH_SSH_EOF "\004" /* ^D: the shell's end of input */

struct cli_attach_ssh {
	uv_loop_t loop;
	struct transport *t;
	uv_poll_t in;
	uv_signal_t winch, term, hup;
	int in_init;
	int up, down, status, tty, raw, verbose;
	struct termios saved;
	char *why;
};

/* Writes all of p to fd, waiting when it is non-blocking. */
static void
cli_attach_ssh_out(int fd, const char *p, size_t n)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EAGAIN)
			(void)poll(&pfd, 1, 1000);
		else if (w < 0 && errno != EINTR)
			return; /* nobody reads: drop it, as ssh does */
		else if (w > 0) {
			p += w;
			n -= (size_t)w;
		}
	}
}

static void
cli_attach_ssh_raw(struct cli_attach_ssh *s)
{
	struct termios tio;

	if (!s->tty || tcgetattr(STDIN_FILENO, &s->saved) != 0)
		return;
	tio = s->saved;
	cfmakeraw(&tio);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &tio) == 0)
		s->raw = 1;
}

static void
cli_attach_ssh_cooked(struct cli_attach_ssh *s)
{
	if (s->raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &s->saved);
	s->raw = 0;
}

/* This terminal's size: 0 when unknown. */
static void
cli_attach_ssh_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = *rows = 0;
	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 ||
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* Stops watching everything: the loop then ends. */
static void
cli_attach_ssh_stop(struct cli_attach_ssh *s)
{
	if (s->in_init && !uv_is_closing((uv_handle_t *)&s->in))
		uv_close((uv_handle_t *)&s->in, NULL);
	if (!uv_is_closing((uv_handle_t *)&s->winch)) {
		uv_close((uv_handle_t *)&s->winch, NULL);
		uv_close((uv_handle_t *)&s->term, NULL);
		uv_close((uv_handle_t *)&s->hup, NULL);
	}
	if (s->t != NULL)
		transport_close(s->t);
	s->t = NULL;
}

/* Reads what is there on standard input; 0 at its end. */
static ssize_t
cli_attach_ssh_read_in(struct cli_attach_ssh *s)
{
	char buf[4096];
	ssize_t n;

	do
		n = read(STDIN_FILENO, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 1;
	if (n > 0 && transport_write(s->t, buf, (size_t)n) != 0)
		return 0;
	return n < 0 ? 0 : n;
}

/*
 * At the end of input the shell gets ^D, which ends it at the start of a
 * line (on the far terminal, or on the far gpuq's pseudo-terminal).
 */
static void
cli_attach_ssh_in_end(struct cli_attach_ssh *s)
{
	transport_write(s->t, CLI_ATTACH_SSH_EOF, 1);
	if (s->in_init && !uv_is_closing((uv_handle_t *)&s->in))
		uv_close((uv_handle_t *)&s->in, NULL);
}

static void
cli_attach_ssh_in_cb(uv_poll_t *p, int status, int events)
{
	struct cli_attach_ssh *s = p->data;

	if (s->t == NULL || s->down)
		return;
	if (status < 0 || cli_attach_ssh_read_in(s) == 0)
		cli_attach_ssh_in_end(s);
}

/* Standard input to the channel: watched, or read whole (a file). */
static void
cli_attach_ssh_in_start(struct cli_attach_ssh *s)
{
	if (uv_poll_init(&s->loop, &s->in, STDIN_FILENO) == 0) {
		s->in_init = 1;
		s->in.data = s;
		uv_poll_start(&s->in, UV_READABLE, cli_attach_ssh_in_cb);
		return;
	}
	while (s->t != NULL && cli_attach_ssh_read_in(s) > 0)
		;
	if (s->t != NULL)
		cli_attach_ssh_in_end(s);
}

static void
cli_attach_ssh_up(void *arg)
{
	struct cli_attach_ssh *s = arg;

	s->up = 1;
	cli_attach_ssh_raw(s);
	cli_attach_ssh_in_start(s);
}

static void
cli_attach_ssh_read(void *arg, const char *p, size_t n)
{
	cli_attach_ssh_out(STDOUT_FILENO, p, n);
}

static void
cli_attach_ssh_down(void *arg, int code, const char *why)
{
	struct cli_attach_ssh *s = arg;

	s->down = 1;
	s->status = transport_ssh_exit_status(s->t);
	s->why = xstrdup(why != NULL ? why : gq_err_text(code));
	cli_attach_ssh_stop(s);
}

/* Questions (host key refused by the CLI; passphrases) on the tty. */
static void
cli_attach_ssh_ask(void *arg, const struct transport_ask *q)
{
	struct cli_attach_ssh *s = arg;
	char *a = ssh_prompt_tty(q);

	transport_answer(s->t, a);
	if (a != NULL) {
		explicit_bzero(a, strlen(a));
		free(a);
	}
}

static void
cli_attach_ssh_note(void *arg, const char *text)
{
	struct cli_attach_ssh *s = arg;

	if (s->verbose)
		fprintf(stderr, "gpuq: %s\r\n", text);
}

static const struct transport_cbs cli_attach_ssh_cbs = {
	.up = cli_attach_ssh_up,
	.read = cli_attach_ssh_read,
	.down = cli_attach_ssh_down,
	.ask = cli_attach_ssh_ask,
	.note = cli_attach_ssh_note,
};

static void
cli_attach_ssh_signal(uv_signal_t *h, int signum)
{
	struct cli_attach_ssh *s = h->data;
	int cols, rows;

	if (s->t == NULL)
		return;
	if (signum == SIGWINCH) {
		cli_attach_ssh_size(&cols, &rows);
		transport_ssh_resize(s->t, cols, rows);
		return;
	}
	s->down = 1;
	s->why = xasprintf("stopped by signal %d", signum);
	cli_attach_ssh_stop(s);
}

static void
cli_attach_ssh_signals(struct cli_attach_ssh *s)
{
	uv_signal_t *h[3] = { &s->winch, &s->term, &s->hup };
	int sig[3] = { SIGWINCH, SIGTERM, SIGHUP }, i;

	for (i = 0; i < 3; i++) {
		uv_signal_init(&s->loop, h[i]);
		h[i]->data = s;
		uv_signal_start(h[i], cli_attach_ssh_signal, sig[i]);
		uv_unref((uv_handle_t *)h[i]);
	}
}

/* The transport's options: cli's, the command, a terminal if one here. */
static void
cli_attach_ssh_opts(struct cli *cli, const char *line, int tty,
    struct transport_ssh_opts *o)
{
	const char *term = getenv("TERM");

	memset(o, 0, sizeof(*o));
	o->target = cli->target;
	o->command = line;
	o->config = cli->ssh_config;
	o->how = ssh_resolve_how_env();
	o->accept_new = cli->accept_new;
	o->no_hostkey_ask = 1;
	o->ask_now = 1;
	o->verbose = cli->verbose;
	if (tty) {
		o->pty_term = term != NULL && term[0] != '\0' ? term : "xterm";
		cli_attach_ssh_size(&o->pty_cols, &o->pty_rows);
	}
}

int
cli_attach_ssh(struct cli *cli, const char *line, int *status, char **why)
{
	struct cli_attach_ssh *s = xcalloc(1, sizeof(*s));
	struct transport_ssh_opts o;
	int rc;

	s->tty = isatty(STDIN_FILENO);
	s->verbose = cli->verbose;
	s->status = -1;
	cli_attach_ssh_opts(cli, line, s->tty, &o);
	uv_loop_init(&s->loop);
	cli_attach_ssh_signals(s);
	fflush(NULL);
	s->t = transport_ssh_new(&s->loop, &o, &cli_attach_ssh_cbs, s);
	transport_open(s->t);
	uv_run(&s->loop, UV_RUN_DEFAULT);
	cli_attach_ssh_stop(s);
	uv_run(&s->loop, UV_RUN_DEFAULT);
	cli_attach_ssh_cooked(s);
	uv_loop_close(&s->loop);
	*status = s->status;
	rc = s->up ? 0 : GQ_ECONN;
	*why = s->why;
	free(s);
	return rc;
}
