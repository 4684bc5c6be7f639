#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/client.h"
#include "remote/proto.h"
#include "tui/session.h"

enum {
	SESSION_TAG_SUB_SINCE,
	SESSION_TAG_SUB_FRESH,
	SESSION_TAG_LIST,
	SESSION_TAG_FIN_COUNT,
	SESSION_TAG_FIN_LIST,
	SESSION_TAG_STATUS,
	SESSION_TAG_PING
};

struct session_keyed {
	struct session_keyed *next;
	struct session *s;
	char verb[PROTO_MAX_VERB + 1];
	json_t *params; /* with its key */
	struct rpc_reply_cb user;
	int tries;
};

static void session_connect(struct session *s);
static void session_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message);

static int64_t
session_time(void)
{
	return (int64_t)time(NULL);
}

static void session_note(struct session *s, enum revent_level level,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
session_note(struct session *s, enum revent_level level, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	replica_note(s->rep, s->now(), level, 0, "%s", text);
	if (s->cbs->note != NULL)
		s->cbs->note(s->arg, level, text);
	free(text);
}

static void
session_changed(struct session *s)
{
	if (s->cbs->changed != NULL)
		s->cbs->changed(s->arg);
}

/* Writes what rpc queued. */
static void
session_flush(struct session *s)
{
	if (s->t == NULL || s->rpc.out.len == 0)
		return;
	if (transport_write(s->t, s->rpc.out.data, s->rpc.out.len) != 0)
		session_note(s, REVENT_WARN, "could not send to the daemon");
	buf_reset(&s->rpc.out);
}

static void
session_call_internal(struct session *s, const char *verb, json_t *params,
    int64_t tag)
{
	struct rpc_reply_cb cb = { session_reply, s, tag };

	rpc_call(&s->rpc, verb, params, &cb);
	session_flush(s);
}

/* Keyed calls: re-sent with the same key after a lost connection. */
static void
session_keyed_free(struct session_keyed *k)
{
	json_decref(k->params);
	free(k);
}

static void
session_keyed_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct session_keyed *k = arg;
	struct session *s = k->s;

	if (code == GQ_ECONN && k->tries < 2 && !s->stopping) {
		k->next = s->resend;
		s->resend = k;
		return;
	}
	k->user.fn(k->user.arg, k->user.tag, code, result, message);
	session_keyed_free(k);
}

static void
session_keyed_send(struct session *s, struct session_keyed *k)
{
	struct rpc_reply_cb cb = { session_keyed_reply, k, 0 };

	k->tries++;
	rpc_call(&s->rpc, k->verb, json_incref(k->params), &cb);
	session_flush(s);
}

static void
session_resend(struct session *s)
{
	struct session_keyed *k, *list = s->resend;

	s->resend = NULL;
	while (list != NULL) {
		k = list;
		list = k->next;
		session_keyed_send(s, k);
	}
}

static void
session_fail_resend(struct session *s)
{
	struct session_keyed *k;

	while ((k = s->resend) != NULL) {
		s->resend = k->next;
		k->user.fn(k->user.arg, k->user.tag, GQ_ECONN, NULL,
		    "gpuq stopped before the daemon answered");
		session_keyed_free(k);
	}
}

/*
 * The snapshot: job.list pages of the active jobs, then the finished jobs
 * among the last SESSION_RECENT ids (job.list pages by id from the
 * oldest, so the count of finished jobs tells where recent ones start).
 */
static void
session_list(struct session *s, int64_t after, int finished)
{
	json_t *p = json_pack("{s:I}", "limit", (json_int_t)SESSION_PAGE);

	if (after > 0)
		json_object_set_new(p, "after", json_integer(after));
	if (finished)
		json_object_set_new(p, "state",
		    json_pack("[s,s,s,s]", "COMPLETED", "FAILED", "CANCELLED",
		        "TIMEOUT"));
	session_call_internal(s, "job.list", p,
	    finished ? SESSION_TAG_FIN_LIST : SESSION_TAG_LIST);
}

static void
session_count_finished(struct session *s)
{
	json_t *p = json_pack("{s:i,s:[s,s,s,s]}", "limit", 1, "state",
	    "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT");

	session_call_internal(s, "job.list", p, SESSION_TAG_FIN_COUNT);
}

static void
session_on_count(struct session *s, json_t *result)
{
	json_t *total = json_object_get(result, "total");
	int64_t n = json_is_integer(total) ? json_integer_value(total) : 0;
	int64_t top = n +
	    (int64_t)(s->rep->counts[RSTATE_PENDING] +
	        s->rep->counts[RSTATE_RUNNING] +
	        s->rep->counts[RSTATE_SUSPENDED]);

	session_list(s, top > SESSION_RECENT ? top - SESSION_RECENT : 0, 1);
}

static void
session_live(struct session *s)
{
	s->state = SESSION_LIVE;
	s->backoff_ms = SESSION_BACKOFF_MIN;
	if (s->down_since != 0)
		session_note(s, REVENT_INFO, "connected to %s again",
		    session_target(s));
	s->down_since = 0;
	s->attempts = 0;
	session_resend(s);
	if (s->cbs->live != NULL)
		s->cbs->live(s->arg);
	session_changed(s);
}

static void
session_subscribe_fresh(struct session *s)
{
	replica_sync_begin(s->rep);
	session_call_internal(s, "events.subscribe", json_object(),
	    SESSION_TAG_SUB_FRESH);
	session_list(s, 0, 0);
}

static void
session_on_list(struct session *s, json_t *result, int finished)
{
	json_t *next = json_object_get(result, "next");

	replica_sync_page(s->rep, result);
	if (json_is_integer(next) && json_integer_value(next) > 0) {
		session_list(s, (int64_t)json_integer_value(next), finished);
		return;
	}
	if (!finished) {
		session_count_finished(s);
		return;
	}
	replica_sync_end(s->rep);
#ifdef __GLIBC__
	/* The snapshot's JSON is gone: give its pages back to the system. */
	malloc_trim(0);
#endif
	session_live(s);
}

static void
session_reply(void *arg, int64_t tag, int code, json_t *result,
    const char *message)
{
	struct session *s = arg;

	if (tag == SESSION_TAG_PING)
		s->ping_inflight = 0;
	if (code == GQ_ECONN || s->stopping || tag == SESSION_TAG_PING)
		return;
	if (tag == SESSION_TAG_STATUS) {
		s->status_inflight = 0;
		if (code == 0)
			replica_status(s->rep, result);
		session_changed(s);
		return;
	}
	if (tag == SESSION_TAG_SUB_SINCE && code == GQ_ESTALE) {
		session_note(s, REVENT_INFO,
		    "missed events are gone: "
		    "taking a fresh snapshot");
		session_subscribe_fresh(s);
		return;
	}
	if (code != 0) {
		session_note(s, REVENT_ERROR, "%s: %s",
		    tag == SESSION_TAG_SUB_FRESH ? "events.subscribe" :
		                                   "job.list",
		    message != NULL && message[0] ? message :
		                                    gq_err_text(code));
		return;
	}
	if (tag == SESSION_TAG_SUB_SINCE)
		session_live(s);
	else if (tag == SESSION_TAG_LIST || tag == SESSION_TAG_FIN_LIST)
		session_on_list(s, result, tag == SESSION_TAG_FIN_LIST);
	else if (tag == SESSION_TAG_FIN_COUNT)
		session_on_count(s, result);
}

static void
session_poll_status(struct session *s)
{
	if (s->state < SESSION_SYNCING || s->status_inflight)
		return;
	s->status_inflight = 1;
	session_call_internal(s, "cluster.status", json_object(),
	    SESSION_TAG_STATUS);
}

static void
session_retry_cb(uv_timer_t *t)
{
	session_connect(t->data);
}

static void
session_poll_cb(uv_timer_t *t)
{
	session_poll_status(t->data);
}

/* A random delay in [ms/2, ms]: clients that lost the same daemon do
 * not all come back at the same instant. */
static uint64_t
session_jitter(struct session *s, int ms)
{
	uint64_t x = s->jitter;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->jitter = x;
	return (uint64_t)ms / 2 + x % ((uint64_t)ms / 2 + 1);
}

static void
session_schedule(struct session *s)
{
	int cap = s->sock != NULL ? SESSION_BACKOFF_MAX : SESSION_BACKOFF_SSH;
	uint64_t delay = session_jitter(s, s->backoff_ms);

	s->retry_at = uv_now(s->loop) + delay;
	uv_timer_start(&s->retry, session_retry_cb, delay, 0);
	s->backoff_ms = s->backoff_ms * 2 > cap ? cap : s->backoff_ms * 2;
}

/*
 * The connection is gone (or never came): fail calls, retry later.  A
 * refusal (GQ_EPERM: host key, authentication) waits for the user.
 */
static void
session_drop_code(struct session *s, int code, const char *why)
{
	int quiet = s->state == SESSION_DOWN || s->down_since != 0;

	snprintf(s->why, sizeof(s->why), "%s", why);
	if (s->t != NULL) {
		transport_close(s->t);
		s->t = NULL;
	}
	s->status_inflight = 0;
	s->ping_inflight = 0;
	s->rep->syncing = 0;
	if (s->down_since == 0)
		s->down_since = s->now();
	s->state = SESSION_DOWN;
	rpc_reset(&s->rpc, GQ_ECONN, why);
	/* The status line shows the state and why (draw.c): Events only. */
	if (!quiet)
		replica_note(s->rep, s->now(), REVENT_ERROR, 0,
		    "disconnected: %s", why);
	s->retry_at = 0;
	s->hold = code == GQ_EPERM;
	if (!s->stopping && !s->hold)
		session_schedule(s);
	session_changed(s);
}

static void
session_drop(struct session *s, const char *why)
{
	session_drop_code(s, GQ_ECONN, why);
}

static void
session_on_hello(void *arg, json_t *body)
{
	struct session *s = arg;
	json_t *proto = json_object_get(body, "proto");

	if (!json_is_integer(proto) || json_integer_value(proto) != 1) {
		session_drop(s,
		    "the daemon speaks another protocol version "
		    "(gpuq speaks 1)");
		return;
	}
	uv_timer_stop(&s->retry);
	s->state = SESSION_SYNCING;
	if (s->rep->synced && s->rep->seq > 0)
		session_call_internal(s, "events.subscribe",
		    json_pack("{s:I}", "since", (json_int_t)s->rep->seq),
		    SESSION_TAG_SUB_SINCE);
	else
		session_subscribe_fresh(s);
	session_poll_status(s);
	session_changed(s);
}

static void
session_on_event(void *arg, const char *name, int64_t seq, json_t *data)
{
	struct session *s = arg;

	if (replica_event(s->rep, name, seq, data, s->now())) {
		session_changed(s);
		/* Allocations moved: ask for the GPUs soon, not in 2 s. */
		if (uv_timer_get_due_in(&s->poll) > 250)
			uv_timer_start(&s->poll, session_poll_cb, 250,
			    (uint64_t)s->poll_ms);
	}
	if (s->cbs->event != NULL)
		s->cbs->event(s->arg, name, seq, data);
}

static void
session_on_trouble(void *arg, const char *what)
{
	session_note(arg, REVENT_WARN, "%s", what);
}

static const struct rpc_cbs session_rpc_cbs = {
	.hello = session_on_hello,
	.event = session_on_event,
	.trouble = session_on_trouble,
};

static void
session_hello_timeout(uv_timer_t *t)
{
	struct session *s = t->data;

	if (s->state == SESSION_CONNECTING)
		session_drop(s, "no hello from the daemon in 10 s");
}

static void
session_t_up(void *arg)
{
	struct session *s = arg;

	s->last_rx = uv_now(s->loop);
	rpc_start(&s->rpc, "gpuq");
	session_flush(s);
	uv_timer_start(&s->retry, session_hello_timeout, SESSION_HELLO_MS, 0);
}

static void
session_t_read(void *arg, const char *p, size_t n)
{
	struct session *s = arg;

	s->last_rx = uv_now(s->loop);
	if (rpc_feed(&s->rpc, p, n) != 0 && s->t != NULL)
		session_drop(s,
		    s->rpc.hello == NULL ?
		        "the other end is not gpuqd (no hello)" :
		        "the daemon sent bad lines; reconnecting");
}

static void
session_t_down(void *arg, int code, const char *why)
{
	session_drop_code(arg, code, why);
}

static void
session_t_ask(void *arg, const struct transport_ask *q)
{
	struct session *s = arg;

	if (s->cbs->ask != NULL)
		s->cbs->ask(s->arg, q);
	else if (s->t != NULL)
		transport_answer(s->t, NULL);
}

/* The transport's progress lines go to Events, not the status line. */
static void
session_t_note(void *arg, const char *text)
{
	struct session *s = arg;

	replica_note(s->rep, s->now(), REVENT_INFO, 0, "%s", text);
	session_changed(s);
}

static const struct transport_cbs session_t_cbs = {
	.up = session_t_up,
	.read = session_t_read,
	.down = session_t_down,
	.ask = session_t_ask,
	.note = session_t_note,
};

/*
 * The heartbeat: a link can die without a word (a laptop's Wi-Fi gone,
 * a NAT that forgot the flow).  Quiet for SESSION_PING_MS: ping; quiet
 * for SESSION_DEAD_MS: drop it and reconnect.
 */
static void
session_beat_cb(uv_timer_t *t)
{
	struct session *s = t->data;
	uint64_t quiet = uv_now(s->loop) - s->last_rx;
	struct rpc_reply_cb cb = { session_reply, s, SESSION_TAG_PING };
	char why[128];

	if (s->state < SESSION_SYNCING || s->t == NULL)
		return;
	if (quiet >= SESSION_DEAD_MS) {
		snprintf(why, sizeof(why), "no answer from the daemon for %d s",
		    (int)(quiet / 1000));
		session_drop(s, why);
		return;
	}
	if (quiet < SESSION_PING_MS || s->ping_inflight)
		return;
	s->ping_inflight = 1;
	rpc_call(&s->rpc,
	    rpc_has_verb(&s->rpc, "server.ping") ? "server.ping" : "hello",
	    NULL, &cb);
	session_flush(s);
}

static void
session_connect(struct session *s)
{
	if (s->stopping || s->t != NULL)
		return;
	uv_timer_stop(&s->retry);
	s->attempts++;
	s->state = SESSION_CONNECTING;
	s->retry_at = 0;
	if (s->sock != NULL)
		s->t = transport_unix_new(s->loop, s->sock, &session_t_cbs, s);
	else if (s->use_ssh)
		s->t = transport_ssh_new(s->loop, &s->ssh, &session_t_cbs, s);
	else
		s->t = transport_cmd_new(s->loop, s->argv, &session_t_cbs, s);
	if (transport_open(s->t) != 0)
		session_drop(s, "cannot open a connection");
	session_changed(s);
}

void
session_init(struct session *s, uv_loop_t *loop, struct replica *rep,
    const struct session_cbs *cbs, void *arg, int poll_ms)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->rep = rep;
	s->cbs = cbs;
	s->arg = arg;
	s->poll_ms = poll_ms > 0 ? poll_ms : 2000;
	s->backoff_ms = SESSION_BACKOFF_MIN;
	s->now = session_time;
	rpc_init(&s->rpc, &session_rpc_cbs, s);
	uv_timer_init(loop, &s->retry);
	uv_timer_init(loop, &s->poll);
	uv_timer_init(loop, &s->beat);
	s->retry.data = s->poll.data = s->beat.data = s;
	s->timers = 3;
	s->jitter = uv_hrtime() | 1;
}

static void
session_begin(struct session *s)
{
	uv_timer_start(&s->poll, session_poll_cb, (uint64_t)s->poll_ms,
	    (uint64_t)s->poll_ms);
	uv_timer_start(&s->beat, session_beat_cb, 1000, 1000);
	session_connect(s);
}

void
session_start_unix(struct session *s, const char *path)
{
	s->sock = xstrdup(path);
	snprintf(s->target, sizeof(s->target), "%s", path);
	session_begin(s);
}

void
session_start_cmd(struct session *s, const char *target, char *const argv[])
{
	size_t i, n;

	for (n = 0; argv[n] != NULL; n++)
		;
	s->argv = xcalloc(n + 1, sizeof(*s->argv));
	for (i = 0; i < n; i++)
		s->argv[i] = xstrdup(argv[i]);
	snprintf(s->target, sizeof(s->target), "%s", target);
	session_begin(s);
}

void
session_start_ssh(struct session *s, const struct transport_ssh_opts *o)
{
	s->ssh = *o;
	s->ssh.target = s->ssh_own[0] = xstrdup(o->target);
	s->ssh.command = s->ssh_own[1] =
	    o->command ? xstrdup(o->command) : NULL;
	s->ssh.socket = s->ssh_own[2] = o->socket ? xstrdup(o->socket) : NULL;
	s->ssh.config = s->ssh_own[3] = o->config ? xstrdup(o->config) : NULL;
	s->use_ssh = 1;
	snprintf(s->target, sizeof(s->target), "%s", o->target);
	session_begin(s);
}

void
session_answer(struct session *s, const char *answer)
{
	if (s->t != NULL)
		transport_answer(s->t, answer);
}

int
session_retry_in(const struct session *s)
{
	uint64_t now = uv_now(s->loop);

	if (s->state != SESSION_DOWN || s->retry_at == 0)
		return -1;
	return s->retry_at > now ? (int)((s->retry_at - now + 999) / 1000) : 0;
}

static void
session_timer_closed(uv_handle_t *h)
{
	struct session *s = h->data;

	s->timers--;
}

void
session_stop(struct session *s)
{
	size_t i;

	if (s->stopping)
		return;
	s->stopping = 1;
	if (s->t != NULL) {
		transport_close(s->t);
		s->t = NULL;
	}
	rpc_reset(&s->rpc, GQ_ECONN, "gpuq is stopping");
	session_fail_resend(s);
	rpc_done(&s->rpc);
	uv_close((uv_handle_t *)&s->retry, session_timer_closed);
	uv_close((uv_handle_t *)&s->poll, session_timer_closed);
	uv_close((uv_handle_t *)&s->beat, session_timer_closed);
	for (i = 0; i < 4; i++)
		free(s->ssh_own[i]);
	free(s->sock);
	for (i = 0; s->argv != NULL && s->argv[i] != NULL; i++)
		free(s->argv[i]);
	free(s->argv);
	s->sock = NULL;
	s->argv = NULL;
}

int
session_call(struct session *s, const char *verb, json_t *params,
    const struct rpc_reply_cb *cb)
{
	if (s->state < SESSION_SYNCING || s->t == NULL) {
		json_decref(params);
		return GQ_ECONN;
	}
	rpc_call(&s->rpc, verb, params, cb);
	session_flush(s);
	return 0;
}

int
session_call_keyed(struct session *s, const char *verb, json_t *params,
    const struct rpc_reply_cb *cb)
{
	char key[CLIENT_KEY_LEN + 1];
	struct session_keyed *k;

	if (s->state < SESSION_SYNCING || s->t == NULL) {
		json_decref(params);
		return GQ_ECONN;
	}
	client_new_key(key);
	if (params == NULL)
		params = json_object();
	json_object_set_new(params, "key", json_string(key));
	k = xcalloc(1, sizeof(*k));
	k->s = s;
	snprintf(k->verb, sizeof(k->verb), "%s", verb);
	k->params = params;
	k->user = *cb;
	session_keyed_send(s, k);
	return 0;
}

void
session_refresh(struct session *s)
{
	if (s->state == SESSION_DOWN) {
		s->backoff_ms = SESSION_BACKOFF_MIN;
		s->hold = 0;
		session_connect(s);
	} else
		session_poll_status(s);
}

int
session_has_verb(const struct session *s, const char *verb)
{
	return rpc_has_verb(&s->rpc, verb);
}

const char *
session_hello_str(const struct session *s, const char *key)
{
	json_t *v = json_object_get(s->rpc.hello, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
session_state_name(const struct session *s)
{
	static const char *const names[] = { "disconnected", "connecting",
		"syncing", "connected" };

	return names[s->state];
}

const char *
session_target(const struct session *s)
{
	return s->target;
}
