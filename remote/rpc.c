#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/proto.h"
#include "remote/rpc.h"

void
rpc_init(struct rpc *r, const struct rpc_cbs *cbs, void *arg)
{
	memset(r, 0, sizeof(*r));
	frame_reader_init(&r->fr, RPC_MAX_LINE);
	buf_init(&r->out, RPC_MAX_OUT);
	r->next_id = 1;
	r->cbs = cbs;
	r->arg = arg;
}

void
rpc_done(struct rpc *r)
{
	frame_reader_done(&r->fr);
	buf_done(&r->out);
	free(r->pend);
	json_decref(r->hello);
	memset(r, 0, sizeof(*r));
}

static void
rpc_queue(struct rpc *r, json_t *msg)
{
	size_t len;
	char *line = proto_encode(msg, &len);

	json_decref(msg);
	if (line == NULL)
		return;
	if (buf_add(&r->out, line, len) == 0)
		r->bytes_out += len;
	free(line);
}

void
rpc_start(struct rpc *r, const char *software)
{
	frame_reader_done(&r->fr);
	frame_reader_init(&r->fr, RPC_MAX_LINE);
	buf_reset(&r->out);
	json_decref(r->hello);
	r->hello = NULL;
	r->nbad = 0;
	rpc_queue(r, proto_hello_new(software, json_array()));
}

int64_t
rpc_call(struct rpc *r, const char *verb, json_t *params,
    const struct rpc_reply_cb *cb)
{
	struct rpc_pending *p;
	int64_t id = r->next_id++;

	if (params == NULL)
		params = json_object();
	if (r->npend == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->pend = xreallocarray(r->pend, r->cap, sizeof(*r->pend));
	}
	p = &r->pend[r->npend++];
	p->id = id;
	snprintf(p->verb, sizeof(p->verb), "%s", verb);
	p->cb = *cb;
	rpc_queue(r, proto_request_new(id, verb, params));
	return id;
}

/* Takes the pending call id out; returns 0, or -1 when it is unknown. */
static int
rpc_take(struct rpc *r, int64_t id, struct rpc_pending *out)
{
	size_t i;

	for (i = 0; i < r->npend; i++)
		if (r->pend[i].id == id) {
			*out = r->pend[i];
			memmove(&r->pend[i], &r->pend[i + 1],
			    (r->npend - i - 1) * sizeof(*r->pend));
			r->npend--;
			return 0;
		}
	return -1;
}

static void
rpc_trouble(struct rpc *r, const char *what, const char *detail)
{
	char line[512];

	r->nbad++;
	snprintf(line, sizeof(line), "%s%s", what,
	    detail != NULL ? detail : "");
	if (r->cbs != NULL && r->cbs->trouble != NULL)
		r->cbs->trouble(r->arg, line);
}

static void
rpc_reply(struct rpc *r, struct msg *m)
{
	struct rpc_pending p;

	if (m->id < 0 || rpc_take(r, m->id, &p) != 0) {
		/* A reply to no call: an error about a bad line, say. */
		rpc_trouble(r, "the daemon said: ",
		    m->err_message != NULL ? m->err_message : "a stray reply");
		return;
	}
	if (m->err_name != NULL)
		p.cb.fn(p.cb.arg, p.cb.tag,
		    m->err_code != 0 ? m->err_code : GQ_EINTERNAL, NULL,
		    m->err_message);
	else
		p.cb.fn(p.cb.arg, p.cb.tag, 0, m->result, NULL);
}

/* One decoded message.  Returns 0 or GQ_EPROTO (not a gpuq peer). */
static int
rpc_msg(struct rpc *r, struct msg *m)
{
	if (r->hello == NULL && m->kind != MSG_HELLO)
		return GQ_EPROTO;
	switch (m->kind) {
	case MSG_HELLO:
		json_decref(r->hello);
		r->hello = json_is_object(m->data) ? json_incref(m->data) :
		                                     json_object();
		if (r->cbs != NULL && r->cbs->hello != NULL)
			r->cbs->hello(r->arg, r->hello);
		return 0;
	case MSG_REPLY:
		rpc_reply(r, m);
		return 0;
	case MSG_EVENT:
		if (r->cbs != NULL && r->cbs->event != NULL)
			r->cbs->event(r->arg, m->event, m->seq, m->data);
		return 0;
	default:
		rpc_trouble(r, "the daemon sent a request", NULL);
		return 0;
	}
}

static int
rpc_line(struct rpc *r, const char *line, size_t len)
{
	char *cause = NULL;
	int64_t bad;
	struct msg m;
	int rc;

	if (proto_decode(line, len, &m, &bad, &cause) != 0) {
		if (r->hello == NULL) {
			free(cause);
			return GQ_EPROTO;
		}
		rpc_trouble(r, "a bad line from the daemon: ", cause);
		free(cause);
		return r->nbad > RPC_MAX_BAD ? GQ_EPROTO : 0;
	}
	rc = rpc_msg(r, &m);
	msg_done(&m);
	return rc;
}

static int
rpc_drain(struct rpc *r)
{
	const char *line;
	size_t len;
	int rc;

	while ((rc = frame_reader_next(&r->fr, &line, &len)) != 0) {
		if (rc == GQ_ETOOBIG)
			return GQ_EPROTO;
		if (len == 0)
			continue;
		if ((rc = rpc_line(r, line, len)) != 0)
			return rc;
	}
	return 0;
}

int
rpc_feed(struct rpc *r, const char *p, size_t n)
{
	size_t off = 0, k;
	int rc;

	r->bytes_in += n;
	while (off < n) {
		k = frame_reader_feed(&r->fr, p + off, n - off);
		off += k;
		if ((rc = rpc_drain(r)) != 0)
			return rc;
	}
	return rpc_drain(r);
}

void
rpc_reset(struct rpc *r, int code, const char *why)
{
	struct rpc_pending *pend = r->pend;
	size_t i, n = r->npend;

	/* Callbacks may queue new calls: they go to a fresh list. */
	r->pend = NULL;
	r->npend = r->cap = 0;
	buf_reset(&r->out);
	json_decref(r->hello);
	r->hello = NULL;
	for (i = 0; i < n; i++)
		pend[i].cb.fn(pend[i].cb.arg, pend[i].cb.tag, code, NULL, why);
	free(pend);
}

int
rpc_has_verb(const struct rpc *r, const char *verb)
{
	json_t *verbs = json_object_get(r->hello, "verbs"), *v;
	size_t i;

	json_array_foreach(verbs, i, v) {
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), verb) == 0)
			return 1;
	}
	return 0;
}

size_t
rpc_pending_count(const struct rpc *r)
{
	return r->npend;
}
