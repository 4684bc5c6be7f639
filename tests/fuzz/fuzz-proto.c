/*
 * libFuzzer target for the message codec (remote/proto.c): decodes the
 * input as one line; a message that decodes is encoded again, and the
 * encoding must be one line that decodes to the same message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "remote/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PROTO_ASSERT(x)                                                   \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static int
fuzz_proto_same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Two decodings of the same message agree on what it is. */
static void
fuzz_proto_compare(const struct msg *a, const struct msg *b)
{
	FUZZ_PROTO_ASSERT(a->kind == b->kind);
	FUZZ_PROTO_ASSERT(a->id == b->id && a->seq == b->seq);
	FUZZ_PROTO_ASSERT(a->err_code == b->err_code);
	FUZZ_PROTO_ASSERT(fuzz_proto_same_str(a->verb, b->verb));
	FUZZ_PROTO_ASSERT(fuzz_proto_same_str(a->event, b->event));
	FUZZ_PROTO_ASSERT(fuzz_proto_same_str(a->err_name, b->err_name));
	FUZZ_PROTO_ASSERT(fuzz_proto_same_str(a->err_message, b->err_message));
	if (a->kind == MSG_REQUEST)
		FUZZ_PROTO_ASSERT(
		    json_object_size(a->params) == json_object_size(b->params));
}

static void
fuzz_proto_roundtrip(const struct msg *m)
{
	struct msg again;
	int64_t bad_id;
	char *line, *cause = NULL;
	size_t len;

	line = proto_encode(m->root, &len);
	FUZZ_PROTO_ASSERT(line != NULL && len > 0);
	/* One line: a newline at the end and nowhere else. */
	FUZZ_PROTO_ASSERT(line[len - 1] == '\n');
	FUZZ_PROTO_ASSERT(memchr(line, '\n', len - 1) == NULL);
	FUZZ_PROTO_ASSERT(
	    proto_decode(line, len - 1, &again, &bad_id, &cause) == 0);
	fuzz_proto_compare(m, &again);
	msg_done(&again);
	free(cause);
	free(line);
}

/* What the daemon does with a request that failed: an error reply. */
static void
fuzz_proto_error_reply(int64_t bad_id, const char *cause)
{
	json_t *reply = proto_error_new(bad_id, GQ_EPROTO, cause);
	char *line;
	size_t len;

	FUZZ_PROTO_ASSERT(bad_id >= -1 && bad_id <= PROTO_MAX_ID);
	line = proto_encode(reply, &len);
	FUZZ_PROTO_ASSERT(line != NULL && line[len - 1] == '\n');
	FUZZ_PROTO_ASSERT(memchr(line, '\n', len - 1) == NULL);
	free(line);
	json_decref(reply);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cause = NULL, *text;
	int64_t bad_id;
	struct msg m;
	int rc;

	rc = proto_decode((const char *)data, size, &m, &bad_id, &cause);
	FUZZ_PROTO_ASSERT(rc == 0 || rc == GQ_EPROTO);
	if (rc == 0) {
		fuzz_proto_roundtrip(&m);
		msg_done(&m);
	} else {
		FUZZ_PROTO_ASSERT(cause != NULL);
		fuzz_proto_error_reply(bad_id, cause);
	}
	free(cause);
	/* The verb check takes any NUL-terminated text. */
	text = strndup((const char *)data, size);
	(void)proto_verb_valid(text);
	(void)gq_err_from_name(text);
	free(text);
	return 0;
}
