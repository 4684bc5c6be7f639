#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/utf8.h"
#include "core/base/xmalloc.h"
#include "remote/proto.h"

static int
proto_fail(char **cause, const char *why)
{
	if (cause != NULL)
		*cause = xstrdup(why);
	return GQ_EPROTO;
}

int
proto_verb_valid(const char *verb)
{
	size_t i, n = strlen(verb);

	if (n == 0 || n > PROTO_MAX_VERB)
		return 0;
	for (i = 0; i < n; i++) {
		char c = verb[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		        c == '_' || c == '.'))
			return 0;
	}
	return verb[0] != '.' && verb[n - 1] != '.';
}

static int
proto_get_id(json_t *v, int64_t *id)
{
	json_int_t i;

	if (!json_is_integer(v))
		return -1;
	i = json_integer_value(v);
	if (i < 0 || i > PROTO_MAX_ID)
		return -1;
	*id = (int64_t)i;
	return 0;
}

static int
proto_decode_request(struct msg *m, int64_t *bad_id, char **cause)
{
	json_t *id = json_object_get(m->root, "id");
	json_t *verb = json_object_get(m->root, "verb");
	json_t *params = json_object_get(m->root, "params");

	if (proto_get_id(id, &m->id) != 0)
		return proto_fail(cause, "\"id\" must be an integer 0..2^53-1");
	*bad_id = m->id;
	if (!json_is_string(verb) || !proto_verb_valid(json_string_value(verb)))
		return proto_fail(cause,
		    "\"verb\" must be a string like "
		    "\"job.submit\"");
	if (params != NULL && !json_is_object(params))
		return proto_fail(cause, "\"params\" must be an object");
	if (json_object_size(m->root) != 2 + (params != NULL))
		return proto_fail(cause,
		    "a request has only id, verb and "
		    "params");
	if (params == NULL) {
		params = json_object();
		json_object_set_new(m->root, "params", params);
	}
	m->kind = MSG_REQUEST;
	m->verb = json_string_value(verb);
	m->params = params;
	*bad_id = -1;
	return 0;
}

static int
proto_decode_error(struct msg *m, json_t *err, char **cause)
{
	json_t *code = json_object_get(err, "code");
	json_t *message = json_object_get(err, "message");

	if (!json_is_object(err) || !json_is_string(code))
		return proto_fail(cause, "\"error\" needs a string \"code\"");
	m->err_name = json_string_value(code);
	m->err_code = gq_err_from_name(m->err_name);
	m->err_message =
	    json_is_string(message) ? json_string_value(message) : "";
	return 0;
}

static int
proto_decode_reply(struct msg *m, char **cause)
{
	json_t *id = json_object_get(m->root, "id");
	json_t *result = json_object_get(m->root, "result");
	json_t *err = json_object_get(m->root, "error");

	m->kind = MSG_REPLY;
	m->id = -1;
	if (id != NULL && !json_is_null(id) && proto_get_id(id, &m->id) != 0)
		return proto_fail(cause, "reply \"id\" is not a valid id");
	if ((result != NULL) == (err != NULL))
		return proto_fail(cause, "a reply has one of result, error");
	if (err != NULL)
		return proto_decode_error(m, err, cause);
	m->result = result;
	return 0;
}

static int
proto_decode_event(struct msg *m, char **cause)
{
	json_t *ev = json_object_get(m->root, "event");
	json_t *seq = json_object_get(m->root, "seq");

	m->kind = MSG_EVENT;
	if (!json_is_string(ev) || !proto_verb_valid(json_string_value(ev)))
		return proto_fail(cause, "\"event\" must be a name");
	if (proto_get_id(seq, &m->seq) != 0)
		return proto_fail(cause, "\"seq\" must be an integer");
	m->event = json_string_value(ev);
	m->data = json_object_get(m->root, "data");
	if (m->data == NULL || !json_is_object(m->data))
		return proto_fail(cause, "\"data\" must be an object");
	return 0;
}

static int
proto_decode_hello(struct msg *m, char **cause)
{
	json_t *proto;

	m->kind = MSG_HELLO;
	m->data = json_object_get(m->root, "hello");
	if (!json_is_object(m->data) || json_object_size(m->root) != 1)
		return proto_fail(cause, "\"hello\" must be an object alone");
	proto = json_object_get(m->data, "proto");
	if (!json_is_integer(proto))
		return proto_fail(cause, "hello needs an integer \"proto\"");
	return 0;
}

int
proto_decode(const char *line, size_t len, struct msg *m, int64_t *bad_id,
    char **cause)
{
	json_error_t jerr;
	int rc;

	memset(m, 0, sizeof(*m));
	*bad_id = -1;
	if (cause != NULL)
		*cause = NULL;
	m->root = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	if (m->root == NULL) {
		if (cause != NULL)
			*cause = xasprintf("malformed JSON: %s", jerr.text);
		return GQ_EPROTO;
	}
	if (!json_is_object(m->root))
		rc = proto_fail(cause, "a message must be a JSON object");
	else if (json_object_get(m->root, "hello") != NULL)
		rc = proto_decode_hello(m, cause);
	else if (json_object_get(m->root, "verb") != NULL)
		rc = proto_decode_request(m, bad_id, cause);
	else if (json_object_get(m->root, "event") != NULL)
		rc = proto_decode_event(m, cause);
	else if (json_object_get(m->root, "result") != NULL ||
	    json_object_get(m->root, "error") != NULL)
		rc = proto_decode_reply(m, cause);
	else
		rc = proto_fail(cause, "not a hello, request, reply or event");
	if (rc != 0)
		msg_done(m);
	return rc;
}

void
msg_done(struct msg *m)
{
	json_decref(m->root);
	memset(m, 0, sizeof(*m));
}

json_t *
proto_hello_new(const char *software, json_t *verbs)
{
	json_t *h = json_object();

	json_object_set_new(h, "proto", json_integer(PROTO_VERSION));
	json_object_set_new(h, "version", json_string(GPUQ_VERSION));
	json_object_set_new(h, "software", json_string(software));
	json_object_set_new(h, "verbs", verbs != NULL ? verbs : json_array());
	return json_pack("{s:o}", "hello", h);
}

json_t *
proto_request_new(int64_t id, const char *verb, json_t *params)
{
	return json_pack("{s:I,s:s,s:o}", "id", (json_int_t)id, "verb", verb,
	    "params", params != NULL ? params : json_object());
}

json_t *
proto_reply_new(int64_t id, json_t *result)
{
	return json_pack("{s:I,s:o}", "id", (json_int_t)id, "result",
	    result != NULL ? result : json_object());
}

/* A JSON string of s, with bytes that are not UTF-8 made U+FFFD. */
static json_t *
proto_text_new(const char *s)
{
	json_t *v = json_string(s);
	struct buf b;

	if (v != NULL)
		return v;
	buf_init(&b, strlen(s) * 3 + 16);
	utf8_sanitize(s, strlen(s), 1, &b);
	v = json_string(b.data);
	buf_done(&b);
	return v;
}

json_t *
proto_error_new(int64_t id, int code, const char *message)
{
	json_t *err = json_object();

	json_object_set_new(err, "code", json_string(gq_err_name(code)));
	json_object_set_new(err, "message",
	    proto_text_new(message != NULL ? message : gq_err_text(code)));

	if (id < 0)
		return json_pack("{s:n,s:o}", "id", "error", err);
	return json_pack("{s:I,s:o}", "id", (json_int_t)id, "error", err);
}

json_t *
proto_event_new(const char *event, int64_t seq, json_t *data)
{
	return json_pack("{s:s,s:I,s:o}", "event", event, "seq",
	    (json_int_t)seq, "data", data != NULL ? data : json_object());
}

char *
proto_encode(const json_t *msg, size_t *len)
{
	char *s, *line;
	size_t n;

	s = json_dumps(msg,
	    JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12));
	if (s == NULL)
		return NULL;
	n = strlen(s);
	line = xmalloc(n + 2);
	memcpy(line, s, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	free(s);
	if (len != NULL)
		*len = n + 1;
	return line;
}
