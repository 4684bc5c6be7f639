#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/transport-sync.h"

struct transport_sync {
	uv_loop_t loop;
	uv_timer_t timer;
	struct transport *t;
	struct buf in; /* bytes received, not yet taken */
	int up, down, timed_out, verbose;
	char *why;
	transport_sync_ask_fn *ask;
};

static void
transport_sync_up(void *arg)
{
	struct transport_sync *s = arg;

	s->up = 1;
}

static void
transport_sync_read(void *arg, const char *p, size_t n)
{
	struct transport_sync *s = arg;

	if (buf_add(&s->in, p, n) != 0 && !s->down) {
		s->down = 1;
		s->why = xstrdup("the client fell too far behind");
	}
}

static void
transport_sync_down(void *arg, int code, const char *why)
{
	struct transport_sync *s = arg;

	s->down = 1;
	free(s->why);
	s->why = xstrdup(why != NULL ? why : gq_err_text(code));
}

static void
transport_sync_ask(void *arg, const struct transport_ask *q)
{
	struct transport_sync *s = arg;
	char *a = s->ask != NULL ? s->ask(q) : NULL;

	transport_answer(s->t, a);
	if (a != NULL) {
		explicit_bzero(a, strlen(a));
		free(a);
	}
}

static void
transport_sync_note(void *arg, const char *text)
{
	struct transport_sync *s = arg;

	if (s->verbose)
		fprintf(stderr, "gpuq: %s\n", text);
}

static const struct transport_cbs transport_sync_cbs = {
	.up = transport_sync_up,
	.read = transport_sync_read,
	.down = transport_sync_down,
	.ask = transport_sync_ask,
	.note = transport_sync_note,
};

static void
transport_sync_timeout(uv_timer_t *t)
{
	struct transport_sync *s = t->data;

	s->timed_out = 1;
}

/* Runs the loop until it is up (or, with data, bytes came), or down. */
static void
transport_sync_run(struct transport_sync *s, int data, int timeout_ms)
{
	s->timed_out = 0;
	if (timeout_ms >= 0)
		uv_timer_start(&s->timer, transport_sync_timeout,
		    (uint64_t)timeout_ms, 0);
	while (!(data ? s->in.len > 0 : s->up) && !s->down && !s->timed_out)
		uv_run(&s->loop, UV_RUN_ONCE);
	uv_timer_stop(&s->timer);
}

static int
transport_sync_send(void *arg, const char *p, size_t n)
{
	struct transport_sync *s = arg;

	if (s->down)
		return GQ_ECONN;
	if (transport_write(s->t, p, n) != 0)
		return GQ_ECONN;
	/* Let it go out now: the loop runs again only when we wait. */
	uv_run(&s->loop, UV_RUN_NOWAIT);
	return 0;
}

static long
transport_sync_recv(void *arg, char *buf, size_t n, int timeout_ms)
{
	struct transport_sync *s = arg;

	if (s->in.len == 0)
		transport_sync_run(s, 1, timeout_ms);
	if (s->in.len == 0)
		return s->down ? GQ_ECONN : 0;
	if (n > s->in.len)
		n = s->in.len;
	memcpy(buf, s->in.data, n);
	buf_consume(&s->in, n);
	return (long)n;
}

static const char *
transport_sync_error(void *arg)
{
	struct transport_sync *s = arg;

	return s->down ? s->why : NULL;
}

static void
transport_sync_close(void *arg)
{
	struct transport_sync *s = arg;

	if (s->t != NULL)
		transport_close(s->t);
	uv_close((uv_handle_t *)&s->timer, NULL);
	uv_run(&s->loop, UV_RUN_DEFAULT);
	uv_loop_close(&s->loop);
	buf_done(&s->in);
	free(s->why);
	free(s);
}

static const struct client_io transport_sync_io = {
	.send = transport_sync_send,
	.recv = transport_sync_recv,
	.error = transport_sync_error,
	.close = transport_sync_close,
};

int
transport_sync_ssh(const struct transport_ssh_opts *o,
    transport_sync_ask_fn *ask, struct client **out, char **cause)
{
	struct transport_sync *s = xcalloc(1, sizeof(*s));
	struct transport_ssh_opts so = *o;

	*cause = NULL;
	uv_loop_init(&s->loop);
	uv_timer_init(&s->loop, &s->timer);
	s->timer.data = s;
	buf_init(&s->in, TRANSPORT_MAX_QUEUED);
	s->ask = ask;
	s->verbose = o->verbose;
	/* Questions are answered inside the callback. */
	so.ask_now = 1;
	s->t = transport_ssh_new(&s->loop, &so, &transport_sync_cbs, s);
	transport_open(s->t);
	transport_sync_run(s, 0, -1);
	if (s->down) {
		*cause = xstrdup(s->why);
		transport_sync_close(s);
		return GQ_ECONN;
	}
	return client_open_io(&transport_sync_io, s, out, cause);
}
