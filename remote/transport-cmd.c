/*
 * A command's standard input and output, for `ssh -T host gpuqd bridge`:
 * the system ssh with the user's own config, agent and known hosts.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/transport.h"

#define TRANSPORT_CMD_RBUF (64 * 1024)
#define TRANSPORT_CMD_ERR  512 /* bytes of stderr kept for messages */

struct transport_cmd {
	struct transport t; /* first: the ops get this back */
	uv_process_t proc;
	uv_pipe_t in, out, err; /* the child's stdin, stdout, stderr */
	char **argv;
	int opened;  /* open ran: the handles exist */
	int started; /* the command runs */
	int handles; /* open handles */
	int reqs;    /* writes in flight */
	int exited, err_eof;
	int64_t status;
	int term_signal;
	char errtail[TRANSPORT_CMD_ERR];
	size_t nerr;
	char rbuf[TRANSPORT_CMD_RBUF];
};

struct transport_cmd_wr {
	uv_write_t req;
	struct transport_cmd *c;
	char data[];
};

static void
transport_cmd_free_maybe(struct transport_cmd *c)
{
	size_t i;

	if (!c->t.closing || c->handles > 0 || c->reqs > 0)
		return;
	for (i = 0; c->argv[i] != NULL; i++)
		free(c->argv[i]);
	free(c->argv);
	free(c->t.desc);
	free(c);
}

/* The last non-empty line of the command's stderr, in out. */
static void
transport_cmd_errline(struct transport_cmd *c, char *out, size_t n)
{
	size_t end = c->nerr, start;

	while (end > 0 &&
	    (c->errtail[end - 1] == '\n' || c->errtail[end - 1] == '\r'))
		end--;
	start = end;
	while (start > 0 && c->errtail[start - 1] != '\n')
		start--;
	snprintf(out, n, "%.*s", (int)(end - start), c->errtail + start);
}

static void
transport_cmd_report(struct transport_cmd *c)
{
	char line[TRANSPORT_CMD_ERR], why[1024];

	if (!c->exited || !c->err_eof)
		return;
	transport_cmd_errline(c, line, sizeof(line));
	/* What the command said comes first: it is what explains it. */
	if (c->term_signal != 0)
		snprintf(why, sizeof(why), "%s%s%s: killed by signal %d%s",
		    line, line[0] ? " (" : "", c->t.desc, c->term_signal,
		    line[0] ? ")" : "");
	else
		snprintf(why, sizeof(why), "%s%s%s: exited with status %lld%s",
		    line, line[0] ? " (" : "", c->t.desc, (long long)c->status,
		    line[0] ? ")" : "");
	transport_down(&c->t, GQ_ECONN, why);
}

static void
transport_cmd_alloc(uv_handle_t *h, size_t want, uv_buf_t *b)
{
	struct transport_cmd *c = h->data;

	b->base = c->rbuf;
	b->len = sizeof(c->rbuf);
}

static void
transport_cmd_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct transport_cmd *c = s->data;

	if (n > 0 && !c->t.closing)
		c->t.cbs->read(c->t.arg, b->base, (size_t)n);
	else if (n < 0)
		uv_read_stop(s);
}

/* Keeps the tail of stderr. */
static void
transport_cmd_errread(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct transport_cmd *c = s->data;
	size_t k;

	if (n < 0) {
		uv_read_stop(s);
		c->err_eof = 1;
		transport_cmd_report(c);
		return;
	}
	k = (size_t)n > sizeof(c->errtail) ? sizeof(c->errtail) : (size_t)n;
	if (c->nerr + k > sizeof(c->errtail)) {
		memmove(c->errtail,
		    c->errtail + (c->nerr + k - sizeof(c->errtail)),
		    sizeof(c->errtail) - k);
		c->nerr = sizeof(c->errtail) - k;
	}
	memcpy(c->errtail + c->nerr, b->base + (size_t)n - k, k);
	c->nerr += k;
}

static void
transport_cmd_exited(uv_process_t *p, int64_t status, int sig)
{
	struct transport_cmd *c = p->data;

	c->exited = 1;
	c->status = status;
	c->term_signal = sig;
	transport_cmd_report(c);
}

static void
transport_cmd_pipes(struct transport_cmd *c, uv_stdio_container_t *io)
{
	uv_pipe_t *p[3] = { &c->in, &c->out, &c->err };
	int i;

	for (i = 0; i < 3; i++) {
		uv_pipe_init(c->t.loop, p[i], 0);
		p[i]->data = c;
		c->handles++;
		io[i].data.stream = (uv_stream_t *)p[i];
	}
	io[0].flags = UV_CREATE_PIPE | UV_READABLE_PIPE;
	io[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	io[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
}

static int
transport_cmd_open(struct transport *t)
{
	struct transport_cmd *c = (struct transport_cmd *)t;
	uv_process_options_t o;
	uv_stdio_container_t io[3];
	char why[512];
	int rc;

	memset(&o, 0, sizeof(o));
	transport_cmd_pipes(c, io);
	c->opened = 1;
	c->handles++; /* the process handle, even when spawning fails */
	o.file = c->argv[0];
	o.args = c->argv;
	o.stdio = io;
	o.stdio_count = 3;
	o.exit_cb = transport_cmd_exited;
	c->proc.data = c;
	if ((rc = uv_spawn(t->loop, &c->proc, &o)) < 0) {
		snprintf(why, sizeof(why), "cannot run %s: %s", c->argv[0],
		    uv_strerror(rc));
		transport_down(t, GQ_ECONN, why);
		return 0;
	}
	c->started = 1;
	uv_read_start((uv_stream_t *)&c->out, transport_cmd_alloc,
	    transport_cmd_read);
	uv_read_start((uv_stream_t *)&c->err, transport_cmd_alloc,
	    transport_cmd_errread);
	t->cbs->up(t->arg);
	return 0;
}

static void
transport_cmd_written(uv_write_t *req, int status)
{
	struct transport_cmd_wr *w = req->data;
	struct transport_cmd *c = w->c;

	free(w);
	c->reqs--;
	if (c->t.closing) {
		transport_cmd_free_maybe(c);
		return;
	}
	/* The command stopped reading: it is ending, or should be.  Its
	 * exit and the last line of its stderr explain it best. */
	if (status < 0 && !c->exited)
		uv_process_kill(&c->proc, SIGTERM);
}

static int
transport_cmd_write(struct transport *t, const char *p, size_t n)
{
	struct transport_cmd *c = (struct transport_cmd *)t;
	struct transport_cmd_wr *w;
	uv_buf_t b;

	if (!c->started || t->closing || t->is_down)
		return GQ_ECONN;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->in) + n >
	    TRANSPORT_MAX_QUEUED)
		return GQ_ETOOBIG;
	w = xmalloc(sizeof(*w) + n);
	memcpy(w->data, p, n);
	w->c = c;
	w->req.data = w;
	b = uv_buf_init(w->data, (unsigned)n);
	if (uv_write(&w->req, (uv_stream_t *)&c->in, &b, 1,
	        transport_cmd_written) < 0) {
		free(w);
		return GQ_ECONN;
	}
	c->reqs++;
	return 0;
}

static void
transport_cmd_closed(uv_handle_t *h)
{
	struct transport_cmd *c = h->data;

	c->handles--;
	transport_cmd_free_maybe(c);
}

static void
transport_cmd_close(struct transport *t)
{
	struct transport_cmd *c = (struct transport_cmd *)t;

	if (c->started && !c->exited)
		uv_process_kill(&c->proc, SIGTERM);
	if (c->opened) {
		uv_close((uv_handle_t *)&c->proc, transport_cmd_closed);
		uv_close((uv_handle_t *)&c->in, transport_cmd_closed);
		uv_close((uv_handle_t *)&c->out, transport_cmd_closed);
		uv_close((uv_handle_t *)&c->err, transport_cmd_closed);
	}
	transport_cmd_free_maybe(c);
}

static const struct transport_ops transport_cmd_ops = {
	.name = "cmd",
	.open = transport_cmd_open,
	.write = transport_cmd_write,
	.close = transport_cmd_close,
};

struct transport *
transport_cmd_new(uv_loop_t *loop, char *const argv[],
    const struct transport_cbs *cbs, void *arg)
{
	struct transport_cmd *c = xcalloc(1, sizeof(*c));
	struct buf d;
	size_t i, n;

	for (n = 0; argv[n] != NULL; n++)
		;
	c->argv = xcalloc(n + 1, sizeof(*c->argv));
	buf_init(&d, 4096);
	for (i = 0; i < n; i++) {
		c->argv[i] = xstrdup(argv[i]);
		buf_printf(&d, "%s%s", i ? " " : "", argv[i]);
	}
	c->t.ops = &transport_cmd_ops;
	c->t.loop = loop;
	c->t.cbs = cbs;
	c->t.arg = arg;
	c->t.desc = buf_take(&d);
	buf_done(&d);
	return &c->t;
}
