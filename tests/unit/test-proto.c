#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "remote/proto.h"

static int
decode(const char *s, struct msg *m, int64_t *bad_id)
{
	char *cause = NULL;
	int rc = proto_decode(s, strlen(s), m, bad_id, &cause);

	free(cause);
	return rc;
}

static void
test_request(void **state)
{
	struct msg m;
	int64_t bad;

	assert_int_equal(decode("{\"id\":7,\"verb\":\"job.show\","
	                        "\"params\":{\"id\":3}}",
	                     &m, &bad),
	    0);
	assert_int_equal(m.kind, MSG_REQUEST);
	assert_int_equal(m.id, 7);
	assert_string_equal(m.verb, "job.show");
	assert_true(json_is_object(m.params));
	msg_done(&m);
	/* params may be left out. */
	assert_int_equal(decode("{\"id\":1,\"verb\":\"hello\"}", &m, &bad), 0);
	assert_true(json_is_object(m.params));
	msg_done(&m);
}

static void
test_bad(void **state)
{
	struct msg m;
	int64_t bad;

	assert_int_equal(decode("{", &m, &bad), GQ_EPROTO);
	assert_int_equal(decode("[1]", &m, &bad), GQ_EPROTO);
	assert_int_equal(decode("{\"id\":\"x\",\"verb\":\"a.b\"}", &m, &bad),
	    GQ_EPROTO);
	assert_int_equal(decode("{\"id\":-1,\"verb\":\"a.b\"}", &m, &bad),
	    GQ_EPROTO);
	assert_int_equal(decode("{\"id\":3,\"verb\":5}", &m, &bad), GQ_EPROTO);
	assert_int_equal(bad, 3);
	assert_int_equal(decode("{\"id\":4,\"verb\":\"Job.Submit\"}", &m, &bad),
	    GQ_EPROTO);
	assert_int_equal(decode("{\"id\":5,\"verb\":\"a.b\",\"params\":[]}", &m,
	                     &bad),
	    GQ_EPROTO);
	assert_int_equal(bad, 5);
	assert_int_equal(decode("{\"id\":6,\"verb\":\"a.b\",\"x\":1}", &m,
	                     &bad),
	    GQ_EPROTO);
	assert_int_equal(decode("{\"id\":1,\"id\":2,\"verb\":\"a.b\"}", &m,
	                     &bad),
	    GQ_EPROTO);
	assert_int_equal(decode("{\"nothing\":1}", &m, &bad), GQ_EPROTO);
	assert_int_equal(decode("\"\xff\"", &m, &bad), GQ_EPROTO);
}

static void
test_roundtrip(void **state)
{
	json_t *msg;
	struct msg m;
	int64_t bad;
	size_t len;
	char *line;

	msg = proto_error_new(9, GQ_ENOFIT, "too big");
	line = proto_encode(msg, &len);
	json_decref(msg);
	assert_int_equal(line[len - 1], '\n');
	assert_int_equal(decode(line, &m, &bad), 0);
	assert_int_equal(m.kind, MSG_REPLY);
	assert_int_equal(m.id, 9);
	assert_int_equal(m.err_code, GQ_ENOFIT);
	assert_string_equal(m.err_message, "too big");
	msg_done(&m);
	free(line);

	msg = proto_event_new("job.state", 42, json_pack("{s:i}", "id", 1));
	line = proto_encode(msg, &len);
	json_decref(msg);
	assert_int_equal(decode(line, &m, &bad), 0);
	assert_int_equal(m.kind, MSG_EVENT);
	assert_int_equal(m.seq, 42);
	assert_string_equal(m.event, "job.state");
	msg_done(&m);
	free(line);

	msg = proto_hello_new("gpuqd", NULL);
	line = proto_encode(msg, &len);
	json_decref(msg);
	assert_int_equal(decode(line, &m, &bad), 0);
	assert_int_equal(m.kind, MSG_HELLO);
	msg_done(&m);
	free(line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_roundtrip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
