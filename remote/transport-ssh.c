/*
 * The libssh2 transport's connection: resolving the chain of hops
 * (ProxyJump), the transport ops, questions for the user, the deadline.
 * The hops' states are in ssh-hop.c, ssh-hostkey.c, ssh-auth.c and
 * ssh-pipe.c (ssh-int.h describes how they fit).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-int.h"
#include "remote/ssh-knownhosts.h"

char *
transport_ssh_command(const char *command, const char *socket)
{
	struct buf b;
	const char *p;

	buf_init(&b, 64 * 1024);
	buf_addstr(&b, command != NULL ? command : SSH_DEFAULT_COMMAND);
	if (socket != NULL) {
		/* The remote shell splits the line: quote the path. */
		buf_addstr(&b, " -S '");
		for (p = socket; *p != '\0'; p++)
			if (*p == '\'')
				buf_addstr(&b, "'\\''");
			else
				buf_add(&b, p, 1);
		buf_addstr(&b, "'");
	}
	return buf_take(&b);
}

void
ssh_conn_note(struct ssh_conn *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (c->t.cbs->note == NULL || c->t.closing)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	c->t.cbs->note(c->t.arg, msg);
	free(msg);
}

void
ssh_conn_fail(struct ssh_conn *c, int code, const char *why)
{
	int i;

	if (c->failed)
		return;
	c->failed = 1;
	for (i = 0; i < c->nhops; i++)
		ssh_hop_stop(c->hops[i]);
	if (c->deadline_init)
		uv_timer_stop(&c->deadline);
	transport_down(&c->t, code, why);
}

void
ssh_conn_live(struct ssh_conn *c)
{
	if (c->deadline_init)
		uv_timer_stop(&c->deadline);
	c->up_pending = 1;
}

void
ssh_conn_stderr(struct ssh_conn *c, const char *p, size_t n)
{
	size_t k = n > SSH_ERRTAIL ? SSH_ERRTAIL : n;

	if (c->nerr + k > SSH_ERRTAIL) {
		memmove(c->errtail, c->errtail + (c->nerr + k - SSH_ERRTAIL),
		    SSH_ERRTAIL - k);
		c->nerr = SSH_ERRTAIL - k;
	}
	memcpy(c->errtail + c->nerr, p + n - k, k);
	c->nerr += k;
}

/* The hop that is not connected yet, for messages. */
static struct ssh_hop *
ssh_conn_current(struct ssh_conn *c)
{
	int i;

	for (i = 0; i < c->nhops; i++)
		if (c->hops[i]->state != SSH_HOP_LIVE)
			return c->hops[i];
	return c->hops[c->nhops - 1];
}

static void
ssh_conn_deadline_cb(uv_timer_t *t)
{
	struct ssh_conn *c = t->data;
	struct ssh_hop *h = ssh_conn_current(c);

	if (h->state <= SSH_HOP_CONNECT)
		ssh_hop_fail(h, GQ_ECONN,
		    "cannot connect to %s port %d: timed out after %d s "
		    "(ConnectTimeout)",
		    h->cfg.hostname, h->cfg.port, h->cfg.connect_timeout);
	else
		ssh_hop_fail(h, GQ_ECONN, "%s: no progress for %d s (%s)",
		    h->label, SSH_STEP_MS / 1000,
		    h->state < SSH_HOP_OPEN ? "SSH handshake or login" :
		                              "opening the channel");
}

void
ssh_conn_deadline(struct ssh_conn *c, uint64_t ms)
{
	if (c->deadline_init && !c->failed && !c->t.closing)
		uv_timer_start(&c->deadline, ssh_conn_deadline_cb, ms, 0);
}

int
ssh_conn_ask(struct ssh_hop *h, enum transport_ask_kind kind, const char *title,
    const char *text)
{
	struct ssh_conn *c = h->conn;
	struct transport_ask q = { kind, title, text };

	free(c->answer);
	c->answer = NULL;
	c->answered = 0;
	if (c->o.batch || c->t.cbs->ask == NULL)
		return 1; /* refused */
	c->asking = h->idx + 1;
	if (c->deadline_init)
		uv_timer_stop(&c->deadline);
	c->in_ask = 1;
	c->t.cbs->ask(c->t.arg, &q);
	c->in_ask = 0;
	if (!c->answered)
		return 0;
	c->asking = 0;
	ssh_conn_deadline(c, SSH_STEP_MS);
	return 1;
}

char *
ssh_conn_take_answer(struct ssh_conn *c)
{
	char *a = c->answer;

	c->answer = NULL;
	c->answered = 0;
	return a;
}

static void
ssh_conn_answer(struct transport *t, const char *answer)
{
	struct ssh_conn *c = (struct ssh_conn *)t;
	struct ssh_hop *h;

	if (c->asking == 0 || c->answered || c->failed)
		return;
	c->answer = answer != NULL ? xstrdup(answer) : NULL;
	c->answered = 1;
	if (c->in_ask)
		return; /* ssh_conn_ask takes it when ask returns */
	h = c->hops[c->asking - 1];
	c->asking = 0;
	ssh_conn_deadline(c, SSH_STEP_MS);
	ssh_hop_run(h);
}

static struct ssh_hop *
ssh_conn_hop_new(struct ssh_conn *c, struct ssh_config *cfg, const char *spec)
{
	struct ssh_hop *h = xcalloc(1, sizeof(*h));

	snprintf(h->alias, sizeof(h->alias), "%s", spec);
	h->conn = c;
	h->idx = c->nhops;
	h->cfg = *cfg;
	h->fd = -1;
	ssh_pipe_init(&h->pipe);
	buf_init(&h->tried, 16 * 1024);
	knownhosts_name(h->name, sizeof(h->name), cfg->hostname, cfg->port);
	if (cfg->port == 22)
		snprintf(h->label, sizeof(h->label), "%.200s@%.300s", cfg->user,
		    cfg->hostname);
	else
		snprintf(h->label, sizeof(h->label), "%.200s@%.300s:%d",
		    cfg->user, cfg->hostname, cfg->port);
	uv_timer_init(c->t.loop, &h->retry);
	uv_timer_init(c->t.loop, &h->alive);
	h->retry.data = h->alive.data = h;
	c->handles += 2;
	return h;
}

static void
ssh_conn_warnings(struct ssh_conn *c, struct buf *warn)
{
	char *p, *nl;

	if (!c->o.verbose || warn->len == 0)
		return;
	for (p = warn->data; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		ssh_conn_note(c, "ssh config: %s", p);
	}
}

/*
 * Resolves spec and appends its hops: its ProxyJump hosts first (the
 * first of them with its own ProxyJump, as `ssh -J a,b` does), then
 * itself.  Returns 0 or a GQ_E* code with *cause.
 */
static int
ssh_conn_add(struct ssh_conn *c, const char *spec, int follow, char **cause)
{
	struct ssh_resolve_opts ro = { c->o.config, c->o.how };
	struct ssh_config cfg;
	struct buf warn;
	char *list, *save = NULL, *w;
	int rc, first = 1;

	buf_init(&warn, 64 * 1024);
	rc = ssh_resolve(spec, &ro, &cfg, &warn, cause);
	ssh_conn_warnings(c, &warn);
	buf_done(&warn);
	if (rc != 0)
		return rc;
	if (follow && cfg.proxy_jump != NULL) {
		list = xstrdup(cfg.proxy_jump);
		for (w = strtok_r(list, ",", &save); w != NULL && rc == 0;
		     w = strtok_r(NULL, ",", &save), first = 0)
			rc = ssh_conn_add(c, w, first, cause);
		free(list);
	}
	if (rc == 0 && c->nhops == SSH_MAX_HOPS) {
		*cause = xasprintf("more than %d hops to %s: is there a "
		                   "ProxyJump loop in the ssh config?",
		    SSH_MAX_HOPS - 1, spec);
		rc = GQ_EINVAL;
	}
	if (rc != 0) {
		ssh_config_done(&cfg);
		return rc;
	}
	c->hops[c->nhops] = ssh_conn_hop_new(c, &cfg, spec);
	c->nhops++;
	return 0;
}

static int
ssh_conn_open(struct transport *t)
{
	struct ssh_conn *c = (struct ssh_conn *)t;
	char *cause = NULL;
	struct ssh_hop *h;

	uv_timer_init(t->loop, &c->deadline);
	c->deadline.data = c;
	c->deadline_init = 1;
	c->handles++;
	if (ssh_conn_add(c, c->o.target, 1, &cause) != 0) {
		transport_down(t, GQ_ECONN, cause);
		free(cause);
		return 0;
	}
	h = c->hops[0];
	ssh_conn_deadline(c, (uint64_t)h->cfg.connect_timeout * 1000);
	ssh_hop_set(h, SSH_HOP_DNS);
	ssh_hop_run(h);
	return 0;
}

static int
ssh_conn_write(struct transport *t, const char *p, size_t n)
{
	struct ssh_conn *c = (struct ssh_conn *)t;
	struct ssh_hop *last;

	if (t->closing || t->is_down || c->failed || c->nhops == 0)
		return GQ_ECONN;
	if (buf_add(&c->wq, p, n) != 0)
		return GQ_ETOOBIG;
	last = c->hops[c->nhops - 1];
	if (last->state == SSH_HOP_LIVE)
		ssh_pipe_pump(last);
	return 0;
}

void
ssh_conn_free_maybe(struct ssh_conn *c)
{
	int i;

	if (!c->t.closing || c->handles > 0)
		return;
	/* Inner hops first: they run over the outer hops' channels. */
	for (i = c->nhops - 1; i >= 0; i--)
		ssh_hop_free(c->hops[i]);
	free(c->answer);
	free(c->command);
	for (i = 0; i < 5; i++)
		free(c->own[i]);
	buf_done(&c->wq);
	free(c->t.desc);
	free(c);
}

static void
ssh_conn_closed(uv_handle_t *hd)
{
	struct ssh_conn *c = hd->data;

	c->handles--;
	ssh_conn_free_maybe(c);
}

/* Handle callbacks get the connection, not the hop, from now on. */
static void
ssh_conn_close_handle(struct ssh_conn *c, uv_handle_t *hd)
{
	if (uv_is_closing(hd)) {
		/* A failed connect attempt: its own callback counts it. */
		return;
	}
	hd->data = c;
	uv_close(hd, ssh_conn_closed);
}

static void
ssh_conn_close_handles(struct ssh_conn *c)
{
	struct ssh_hop *h;
	int i;

	for (i = 0; i < c->nhops; i++) {
		h = c->hops[i];
		if (h->poll_init)
			ssh_conn_close_handle(c, (uv_handle_t *)&h->poll);
		if (h->pipe.poll_init)
			ssh_conn_close_handle(c, (uv_handle_t *)&h->pipe.poll);
		ssh_conn_close_handle(c, (uv_handle_t *)&h->retry);
		ssh_conn_close_handle(c, (uv_handle_t *)&h->alive);
		if (h->gai_busy)
			uv_cancel((uv_req_t *)&h->gai);
	}
	if (c->deadline_init)
		ssh_conn_close_handle(c, (uv_handle_t *)&c->deadline);
}

static void
ssh_conn_close(struct transport *t)
{
	struct ssh_conn *c = (struct ssh_conn *)t;

	ssh_conn_close_handles(c);
	ssh_conn_free_maybe(c);
}

int
transport_ssh_exit_status(const struct transport *t)
{
	return ((const struct ssh_conn *)t)->exit_status;
}

void
transport_ssh_resize(struct transport *t, int cols, int rows)
{
	struct ssh_conn *c = (struct ssh_conn *)t;

	if (c->o.pty_term == NULL || cols <= 0 || rows <= 0 ||
	    (cols == c->cols && rows == c->rows))
		return;
	c->cols = cols;
	c->rows = rows;
	c->resize = 1;
	if (c->nhops > 0 && c->hops[c->nhops - 1]->state == SSH_HOP_LIVE)
		ssh_pipe_pump(c->hops[c->nhops - 1]);
}

static const struct transport_ops ssh_conn_ops = {
	.name = "ssh",
	.open = ssh_conn_open,
	.write = ssh_conn_write,
	.close = ssh_conn_close,
	.answer = ssh_conn_answer,
};

struct transport *
transport_ssh_new(uv_loop_t *loop, const struct transport_ssh_opts *o,
    const struct transport_cbs *cbs, void *arg)
{
	static int inited;
	struct ssh_conn *c = xcalloc(1, sizeof(*c));

	/* Once, on the loop's thread: it is not thread-safe (#113). */
	if (!inited && libssh2_init(0) == 0)
		inited = 1;
	c->t.ops = &ssh_conn_ops;
	c->t.loop = loop;
	c->t.cbs = cbs;
	c->t.arg = arg;
	c->o = *o;
	c->o.target = c->own[0] = xstrdup(o->target);
	c->o.command = c->own[1] = o->command ? xstrdup(o->command) : NULL;
	c->o.socket = c->own[2] = o->socket ? xstrdup(o->socket) : NULL;
	c->o.config = c->own[3] = o->config ? xstrdup(o->config) : NULL;
	c->o.pty_term = c->own[4] = o->pty_term ? xstrdup(o->pty_term) : NULL;
	c->cols = o->pty_cols > 0 ? o->pty_cols : 80;
	c->rows = o->pty_rows > 0 ? o->pty_rows : 24;
	c->exit_status = -1;
	c->command = transport_ssh_command(o->command, o->socket);
	c->t.desc = xasprintf("ssh %s", o->target);
	buf_init(&c->wq, TRANSPORT_MAX_QUEUED);
	return &c->t;
}

char **
transport_ssh_argv(const char *ssh_command, const char *target,
    const char *line)
{
	char *user, *host, *words = xstrdup(ssh_command), *w, *save = NULL;
	char **argv = xcalloc(strlen(ssh_command) / 2 + 12, sizeof(*argv));
	int port, n = 0;

	if (ssh_config_target(target, &user, &host, &port) != 0) {
		free(words);
		free(argv);
		return NULL;
	}
	for (w = strtok_r(words, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = xstrdup(w);
	if (n == 0)
		argv[n++] = xstrdup("ssh");
	argv[n++] = xstrdup("-T");
	argv[n++] = xstrdup("-o");
	argv[n++] = xstrdup("BatchMode=yes");
	if (port > 0)
		argv[n++] = xasprintf("-p%d", port);
	if (user != NULL)
		argv[n++] = xasprintf("-l%s", user);
	/* ssh_config_target refused a host that starts with '-'. */
	argv[n++] = host;
	argv[n++] = xstrdup(line);
	free(user);
	free(words);
	return argv;
}

void
transport_ssh_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}
