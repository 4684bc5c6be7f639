/*
 * The asynchronous client's pure half (remote/rpc.c): the hello, request
 * ids and replies in order, events, bad lines, a peer that is not gpuqd,
 * and a lost connection failing every waiting call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "remote/rpc.h"

struct seen {
	int hellos, events, troubles, replies;
	int64_t last_tag, last_seq;
	int last_code;
	char last_msg[256], last_event[64];
	json_t *last_result;
};

static void
on_hello(void *arg, json_t *body)
{
	((struct seen *)arg)->hellos++;
}

static void
on_event(void *arg, const char *name, int64_t seq, json_t *data)
{
	struct seen *s = arg;

	s->events++;
	s->last_seq = seq;
	strncpy(s->last_event, name, sizeof(s->last_event) - 1);
}

static void
on_trouble(void *arg, const char *what)
{
	((struct seen *)arg)->troubles++;
}

static void
on_reply(void *arg, int64_t tag, int code, json_t *result, const char *msg)
{
	struct seen *s = arg;

	s->replies++;
	s->last_tag = tag;
	s->last_code = code;
	strncpy(s->last_msg, msg != NULL ? msg : "", sizeof(s->last_msg) - 1);
	json_decref(s->last_result);
	s->last_result = json_incref(result);
}

static const struct rpc_cbs cbs = { on_hello, on_event, on_trouble };

static int
feed(struct rpc *r, const char *s)
{
	return rpc_feed(r, s, strlen(s));
}

static void
test_hello_and_calls(void **state)
{
	struct seen s = { 0 };
	struct rpc_reply_cb cb = { on_reply, &s, 41 };
	struct rpc r;

	rpc_init(&r, &cbs, &s);
	rpc_start(&r, "gpuq");
	assert_non_null(strstr(r.out.data, "\"hello\""));
	assert_int_equal(rpc_call(&r, "job.list", NULL, &cb), 1);
	cb.tag = 42;
	assert_int_equal(rpc_call(&r, "job.show", json_pack("{s:i}", "id", 3),
	                     &cb),
	    2);
	assert_non_null(strstr(r.out.data,
	    "{\"id\":2,\"verb\":\"job.show\",\"params\":{\"id\":3}}\n"));
	assert_int_equal(rpc_pending_count(&r), 2);
	assert_int_equal(feed(&r,
	                     "{\"hello\":{\"proto\":1,\"verbs\":"
	                     "[\"job.list\"]}}\n{\"id\":1,\"res"),
	    0);
	assert_int_equal(s.hellos, 1);
	assert_true(rpc_has_verb(&r, "job.list"));
	assert_false(rpc_has_verb(&r, "project.list"));
	assert_int_equal(feed(&r, "ult\":{\"jobs\":[]}}\n"), 0);
	assert_int_equal(s.replies, 1);
	assert_int_equal(s.last_tag, 41);
	assert_non_null(json_object_get(s.last_result, "jobs"));
	assert_int_equal(feed(&r,
	                     "{\"event\":\"job.state\",\"seq\":9,"
	                     "\"data\":{}}\n"),
	    0);
	assert_int_equal(s.events, 1);
	assert_int_equal(s.last_seq, 9);
	assert_int_equal(feed(&r,
	                     "{\"id\":2,\"error\":{\"code\":\"ENOENT\","
	                     "\"message\":\"no job 3\"}}\n"),
	    0);
	assert_int_equal(s.last_tag, 42);
	assert_int_equal(s.last_code, GQ_ENOENT);
	assert_string_equal(s.last_msg, "no job 3");
	assert_int_equal(rpc_pending_count(&r), 0);
	json_decref(s.last_result);
	rpc_done(&r);
}

static void
test_not_gpuqd(void **state)
{
	struct seen s = { 0 };
	struct rpc r;

	rpc_init(&r, &cbs, &s);
	rpc_start(&r, "gpuq");
	assert_int_equal(feed(&r, "Welcome to gpu01! Last login: ...\n"),
	    GQ_EPROTO);
	rpc_start(&r, "gpuq");
	assert_int_equal(feed(&r, "{\"id\":1,\"result\":{}}\n"), GQ_EPROTO);
	assert_int_equal(s.hellos, 0);
	rpc_done(&r);
}

static void
test_bad_lines(void **state)
{
	struct seen s = { 0 };
	struct rpc r;
	int i, rc = 0;

	rpc_init(&r, &cbs, &s);
	rpc_start(&r, "gpuq");
	feed(&r, "{\"hello\":{\"proto\":1}}\n\n");
	/* A few bad lines are reported and survived. */
	assert_int_equal(feed(&r, "{\"id\":99,\"result\":{}}\n"), 0);
	assert_int_equal(feed(&r, "not json\n"), 0);
	assert_int_equal(feed(&r, "{\"event\":7,\"seq\":1}\n"), 0);
	assert_int_equal(s.troubles, 3);
	/* A stream of garbage makes the caller drop the connection. */
	for (i = 0; i < RPC_MAX_BAD + 1 && rc == 0; i++)
		rc = feed(&r, "[]\n");
	assert_int_equal(rc, GQ_EPROTO);
	rpc_done(&r);
}

static void
test_reset_fails_pending(void **state)
{
	struct seen s = { 0 };
	struct rpc_reply_cb cb = { on_reply, &s, 1 };
	struct rpc r;

	rpc_init(&r, &cbs, &s);
	rpc_start(&r, "gpuq");
	rpc_call(&r, "job.list", NULL, &cb);
	rpc_call(&r, "job.list", NULL, &cb);
	rpc_reset(&r, GQ_ECONN, "lost");
	assert_int_equal(s.replies, 2);
	assert_int_equal(s.last_code, GQ_ECONN);
	assert_string_equal(s.last_msg, "lost");
	assert_int_equal(rpc_pending_count(&r), 0);
	assert_int_equal(r.out.len, 0);
	assert_null(r.hello);
	/* A new connection starts clean; ids keep growing. */
	rpc_start(&r, "gpuq");
	assert_int_equal(rpc_call(&r, "job.list", NULL, &cb), 3);
	rpc_done(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_and_calls),
		cmocka_unit_test(test_not_gpuqd),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_reset_fails_pending),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
