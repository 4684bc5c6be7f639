/*
 * The gpuq protocol, version 1: one JSON object per line (docs/PROTOCOL.md).
 *
 *   hello    {"hello":{"proto":1,"version":"0.1.0","software":"gpuqd",...}}
 *   request  {"id":7,"verb":"job.submit","params":{...}}
 *   reply    {"id":7,"result":{...}}
 *            {"id":7,"error":{"code":"ENOFIT","message":"..."}}
 *   event    {"event":"job.state","seq":1234,"data":{...}}
 *
 * Decoding is strict and pure: it never trusts the peer.
 */
#ifndef GPUQ_PROTO_H
#define GPUQ_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define PROTO_VERSION  1
#define PROTO_MAX_VERB 64
#define PROTO_MAX_ID   ((INT64_C(1) << 53) - 1)

enum msg_kind { MSG_HELLO, MSG_REQUEST, MSG_REPLY, MSG_EVENT };

/* A decoded message.  root is owned; every other pointer borrows it. */
struct msg {
	enum msg_kind kind;
	json_t *root;
	int64_t id;           /* request, reply; -1 when a reply has none */
	const char *verb;     /* request */
	json_t *params;       /* request: always an object */
	json_t *result;       /* reply on success */
	int err_code;         /* reply on failure: GQ_E*, else 0 */
	const char *err_name; /* reply on failure: the code as sent */
	const char *err_message;
	const char *event; /* event */
	int64_t seq;       /* event */
	json_t *data;      /* event data, hello body */
};

/*
 * Decodes one line.  Returns 0, or GQ_EPROTO with a reason in *cause (new
 * string, may be NULL).  On success the caller calls msg_done.  When a
 * request is malformed but carries a usable id, *bad_id is set to it (else
 * -1) so the peer can be told which request failed.
 */
int proto_decode(const char *line, size_t len, struct msg *m, int64_t *bad_id,
    char **cause);
void msg_done(struct msg *m);

/* Message builders: each returns a new object and steals its json_t args. */
json_t *proto_hello_new(const char *software, json_t *verbs);
json_t *proto_request_new(int64_t id, const char *verb, json_t *params);
json_t *proto_reply_new(int64_t id, json_t *result);
json_t *proto_error_new(int64_t id, int code, const char *message);
json_t *proto_event_new(const char *event, int64_t seq, json_t *data);

/*
 * Serializes a message as one compact line ending in "\n".  Returns a new
 * string and its length; NULL when it cannot be encoded.
 */
char *proto_encode(const json_t *msg, size_t *len);

/* True for a verb name of the form noun.verb in [a-z0-9_.] (or "hello"). */
int proto_verb_valid(const char *verb);

#endif
