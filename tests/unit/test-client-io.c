/*
 * The blocking client over a client_io stream (remote/client.c), as the
 * CLI uses it over SSH: a stream that hands out big chunks must not make
 * the client spin (the frame reader takes 64 KiB of lines at a time), and
 * every event must come out once, in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/buf.h"
#include "core/base/error.h"
#include "remote/client.h"

#define TEST_EVENTS 5000

struct fake {
	struct buf out; /* what the "daemon" sends */
	size_t off;
	size_t sent; /* bytes the client sent */
	int closed;
};

static int
fake_send(void *arg, const char *p, size_t n)
{
	struct fake *f = arg;

	f->sent += n;
	return 0;
}

/* Always as much as asked: the case that made the client spin. */
static long
fake_recv(void *arg, char *buf, size_t n, int timeout_ms)
{
	struct fake *f = arg;

	if (f->off == f->out.len)
		return timeout_ms < 0 ? GQ_ECONN : 0;
	if (n > f->out.len - f->off)
		n = f->out.len - f->off;
	memcpy(buf, f->out.data + f->off, n);
	f->off += n;
	return (long)n;
}

static const char *
fake_error(void *arg)
{
	struct fake *f = arg;

	return f->off == f->out.len ? "the fake daemon is done" : NULL;
}

static void
fake_close(void *arg)
{
	struct fake *f = arg;

	f->closed = 1;
}

static const struct client_io fake_io = { fake_send, fake_recv, fake_error,
	fake_close };

static void
test_big_chunks(void **state)
{
	struct fake f;
	struct client *c;
	json_t *ev;
	char *cause = NULL, pad[300];
	int i;

	memset(&f, 0, sizeof(f));
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	buf_init(&f.out, 64 * 1024 * 1024);
	buf_addstr(&f.out, "{\"hello\":{\"proto\":1,\"software\":\"fake\"}}\n");
	for (i = 1; i <= TEST_EVENTS; i++)
		buf_printf(&f.out,
		    "{\"event\":\"job.state\",\"seq\":%d,\"data\":{\"p\":\"%"
		    "s\"}}"
		    "\n",
		    i, pad);
	assert_int_equal(client_open_io(&fake_io, &f, &c, &cause), 0);
	assert_true(f.sent > 0);
	for (i = 1; i <= TEST_EVENTS; i++) {
		assert_int_equal(client_next_event(c, 0, &ev), 1);
		assert_int_equal(json_integer_value(json_object_get(ev, "seq")),
		    i);
		json_decref(ev);
	}
	assert_int_equal(client_next_event(c, 0, &ev), 0);
	client_free(c);
	assert_true(f.closed);
	buf_done(&f.out);
}

static void
test_no_hello(void **state)
{
	struct fake f;
	struct client *c;
	char *cause = NULL;

	memset(&f, 0, sizeof(f));
	buf_init(&f.out, 1024);
	buf_addstr(&f.out, "");
	/* The stream's own reason is the client's. */
	assert_int_equal(client_open_io(&fake_io, &f, &c, &cause), GQ_ECONN);
	assert_string_equal(cause, "the fake daemon is done");
	assert_true(f.closed);
	free(cause);
	buf_done(&f.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_big_chunks),
		cmocka_unit_test(test_no_hello),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
