/*
 * The daemon's Unix socket on a libuv pipe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/transport.h"

#define TRANSPORT_UNIX_RBUF (64 * 1024)

struct transport_unix {
	struct transport t; /* first: the ops get this back */
	uv_pipe_t pipe;
	uv_connect_t conn;
	char *path;
	int inited;      /* pipe handle initialized */
	int reqs;        /* connect and write requests in flight */
	int handle_open; /* the pipe is not closed yet */
	char rbuf[TRANSPORT_UNIX_RBUF];
};

struct transport_unix_wr {
	uv_write_t req;
	struct transport_unix *u;
	char data[];
};

static void
transport_unix_free_maybe(struct transport_unix *u)
{
	if (!u->t.closing || u->reqs > 0 || u->handle_open)
		return;
	free(u->path);
	free(u->t.desc);
	free(u);
}

static void
transport_unix_alloc(uv_handle_t *h, size_t want, uv_buf_t *b)
{
	struct transport_unix *u = h->data;

	b->base = u->rbuf;
	b->len = sizeof(u->rbuf);
}

static void
transport_unix_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct transport_unix *u = s->data;
	char why[256];

	if (n > 0 && !u->t.closing)
		u->t.cbs->read(u->t.arg, b->base, (size_t)n);
	else if (n < 0) {
		uv_read_stop(s);
		snprintf(why, sizeof(why), "%s: %s", u->path,
		    n == UV_EOF ? "the daemon closed the connection" :
		                  uv_strerror((int)n));
		transport_down(&u->t, GQ_ECONN, why);
	}
}

static void
transport_unix_connected(uv_connect_t *req, int status)
{
	struct transport_unix *u = req->data;
	char why[512];
	int rc;

	u->reqs--;
	if (u->t.closing) {
		transport_unix_free_maybe(u);
		return;
	}
	if (status < 0) {
		snprintf(why, sizeof(why), "cannot connect to %s: %s", u->path,
		    uv_strerror(status));
		transport_down(&u->t, GQ_ECONN, why);
		return;
	}
	rc = uv_read_start((uv_stream_t *)&u->pipe, transport_unix_alloc,
	    transport_unix_read);
	if (rc < 0) {
		snprintf(why, sizeof(why), "%s: %s", u->path, uv_strerror(rc));
		transport_down(&u->t, GQ_ECONN, why);
		return;
	}
	u->t.cbs->up(u->t.arg);
}

static int
transport_unix_open(struct transport *t)
{
	struct transport_unix *u = (struct transport_unix *)t;
	int rc;

	if ((rc = uv_pipe_init(t->loop, &u->pipe, 0)) < 0)
		return GQ_EIO;
	u->inited = u->handle_open = 1;
	u->pipe.data = u;
	u->conn.data = u;
	u->reqs++;
	uv_pipe_connect(&u->conn, &u->pipe, u->path, transport_unix_connected);
	return 0;
}

static void
transport_unix_written(uv_write_t *req, int status)
{
	struct transport_unix_wr *w = req->data;
	struct transport_unix *u = w->u;
	char why[256];

	free(w);
	u->reqs--;
	if (u->t.closing) {
		transport_unix_free_maybe(u);
		return;
	}
	/* A peer that went away is reported by the read side, after what
	 * it sent last (a reason, or a banner that is not gpuqd's). */
	if (status < 0 && status != UV_EPIPE && status != UV_ECONNRESET &&
	    status != UV_ECANCELED) {
		snprintf(why, sizeof(why), "%s: %s", u->path,
		    uv_strerror(status));
		transport_down(&u->t, GQ_ECONN, why);
	}
}

static int
transport_unix_write(struct transport *t, const char *p, size_t n)
{
	struct transport_unix *u = (struct transport_unix *)t;
	struct transport_unix_wr *w;
	uv_buf_t b;

	if (!u->inited || t->closing || t->is_down)
		return GQ_ECONN;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&u->pipe) + n >
	    TRANSPORT_MAX_QUEUED)
		return GQ_ETOOBIG;
	w = xmalloc(sizeof(*w) + n);
	memcpy(w->data, p, n);
	w->u = u;
	w->req.data = w;
	b = uv_buf_init(w->data, (unsigned)n);
	if (uv_write(&w->req, (uv_stream_t *)&u->pipe, &b, 1,
	        transport_unix_written) < 0) {
		free(w);
		return GQ_ECONN;
	}
	u->reqs++;
	return 0;
}

static void
transport_unix_closed(uv_handle_t *h)
{
	struct transport_unix *u = h->data;

	u->handle_open = 0;
	transport_unix_free_maybe(u);
}

static void
transport_unix_close(struct transport *t)
{
	struct transport_unix *u = (struct transport_unix *)t;

	if (u->inited)
		uv_close((uv_handle_t *)&u->pipe, transport_unix_closed);
	else
		transport_unix_free_maybe(u);
}

static const struct transport_ops transport_unix_ops = {
	.name = "unix",
	.open = transport_unix_open,
	.write = transport_unix_write,
	.close = transport_unix_close,
};

struct transport *
transport_unix_new(uv_loop_t *loop, const char *path,
    const struct transport_cbs *cbs, void *arg)
{
	struct transport_unix *u = xcalloc(1, sizeof(*u));

	u->t.ops = &transport_unix_ops;
	u->t.loop = loop;
	u->t.cbs = cbs;
	u->t.arg = arg;
	u->t.desc = xstrdup(path);
	u->path = xstrdup(path);
	return &u->t;
}
