#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "remote/proto.h"

struct conn_write {
	uv_write_t req;
	char *line;
};

static void
conn_free_cb(uv_handle_t *h)
{
	struct conn *c = h->data;

	frame_reader_done(&c->fr);
	json_decref(c->replies);
	json_decref(c->sub_filter);
	free(c);
}

void
conn_close(struct conn *c, const char *why)
{
	struct daemon *d = c->d;

	if (c->closing)
		return;
	c->closing = 1;
	if (why != NULL)
		log_debug("connection %llu (%s): closed: %s",
		    (unsigned long long)c->serial, c->user, why);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		d->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	d->nconns--;
	uv_close((uv_handle_t *)&c->pipe, conn_free_cb);
}

static void
conn_write_cb(uv_write_t *req, int status)
{
	struct conn_write *w = (struct conn_write *)req;

	free(w->line);
	free(w);
}

/* Queues a line (copied) for the peer. */
void
conn_send_line(struct conn *c, const char *line, size_t len)
{
	struct conn_write *w;
	uv_buf_t b;

	if (c->closing)
		return;
	if (uv_stream_get_write_queue_size((uv_stream_t *)&c->pipe) >
	    DAEMON_MAX_WRITE_QUEUE) {
		log_warn("connection %llu (%s) is not reading; dropping it",
		    (unsigned long long)c->serial, c->user);
		conn_close(c, "write queue full");
		return;
	}
	w = xmalloc(sizeof(*w));
	w->line = xstrndup(line, len);
	b = uv_buf_init(w->line, (unsigned int)len);
	if (uv_write(&w->req, (uv_stream_t *)&c->pipe, &b, 1, conn_write_cb) !=
	    0) {
		free(w->line);
		free(w);
		conn_close(c, "write failed");
	}
}

/* Sends a message now (steals msg). */
void
conn_send_json(struct conn *c, json_t *msg)
{
	size_t len;
	char *line = proto_encode(msg, &len);

	json_decref(msg);
	if (line != NULL)
		conn_send_line(c, line, len);
	free(line);
}

void
conn_flush_replies(struct conn *c)
{
	size_t i;
	json_t *r;

	json_array_foreach(c->replies, i, r) {
		conn_send_json(c, json_incref(r));
	}
	json_array_clear(c->replies);
	if (c->replay_since >= 0)
		events_replay(c);
}

static void
conn_protocol_error(struct conn *c, int64_t id, int code, const char *why)
{
	json_array_append_new(c->replies, proto_error_new(id, code, why));
	if (++c->proto_errors >= DAEMON_MAX_PROTO_ERRORS) {
		conn_flush_replies(c);
		conn_close(c, "too many protocol errors");
	}
}

static void
conn_hello(struct conn *c, struct msg *m)
{
	json_t *proto = json_object_get(m->data, "proto");

	if (json_integer_value(proto) != PROTO_VERSION) {
		conn_send_json(c,
		    proto_error_new(-1, GQ_EPROTO,
		        "this gpuqd speaks protocol 1 only"));
		conn_close(c, "protocol version mismatch");
		return;
	}
	c->hello_done = 1;
}

static void
conn_line(struct conn *c, const char *line, size_t len)
{
	char *cause = NULL;
	int64_t bad_id;
	struct msg m;

	if (len == 0)
		return;
	if (proto_decode(line, len, &m, &bad_id, &cause) != 0) {
		conn_protocol_error(c, bad_id, GQ_EPROTO, cause);
		free(cause);
		return;
	}
	if (m.kind == MSG_HELLO)
		conn_hello(c, &m);
	else if (m.kind != MSG_REQUEST)
		conn_protocol_error(c, -1, GQ_EPROTO,
		    "the daemon takes hello and requests only");
	else if (!c->hello_done)
		conn_protocol_error(c, m.id, GQ_EPROTO,
		    "send {\"hello\":{\"proto\":1}} first");
	else
		verbs_dispatch(c, m.id, m.verb, m.params);
	msg_done(&m);
}

static void
conn_alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	static char slab[65536];

	(void)suggested;
	*b = uv_buf_init(slab, sizeof(slab));
}

static void
conn_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
	struct conn *c = s->data;
	const char *line;
	size_t off, k, len;
	int rc;

	if (n < 0) {
		conn_close(c, n == UV_EOF ? "peer closed" : uv_strerror(n));
		return;
	}
	for (off = 0; off < (size_t)n && !c->closing; off += k) {
		k = frame_reader_feed(&c->fr, b->base + off, (size_t)n - off);
		while (!c->closing &&
		    (rc = frame_reader_next(&c->fr, &line, &len)) != 0) {
			if (rc == GQ_ETOOBIG)
				conn_protocol_error(c, -1, GQ_ETOOBIG,
				    "line longer than the limit");
			else
				conn_line(c, line, len);
		}
	}
}

static int
conn_in_group(const char *user, gid_t gid, const char *group)
{
	struct group *gr = getgrnam(group);
	gid_t groups[256];
	int n = 256, i;

	if (gr == NULL)
		return 0;
	if (getgrouplist(user, gid, groups, &n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == gr->gr_gid)
			return 1;
	return 0;
}

static void
conn_identify(struct conn *c, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct passwd *pw;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		cred.uid = (uid_t)-1;
		cred.gid = (gid_t)-1;
		cred.pid = 0;
	}
	c->uid = cred.uid;
	c->gid = cred.gid;
	c->pid = cred.pid;
	if ((pw = getpwuid(cred.uid)) != NULL)
		snprintf(c->user, sizeof(c->user), "%s", pw->pw_name);
	else
		snprintf(c->user, sizeof(c->user), "uid%u", (unsigned)cred.uid);
	c->admin = cred.uid == 0 ||
	    (c->d->cfg.admin_group != NULL &&
	        conn_in_group(c->user, c->gid, c->d->cfg.admin_group));
}

static void
conn_greet(struct conn *c)
{
	json_t *hello = proto_hello_new("gpuqd", verbs_names());
	json_t *body = json_object_get(hello, "hello");

	json_object_set_new(body, "user", json_string(c->user));
	json_object_set_new(body, "host", json_string(c->d->host));
	conn_send_json(c, hello);
}

void
conn_accept(struct daemon *d)
{
	struct conn *c = xcalloc(1, sizeof(*c));
	uv_os_fd_t fd;

	c->d = d;
	uv_pipe_init(d->loop, &c->pipe, 0);
	c->pipe.data = c;
	frame_reader_init(&c->fr, d->cfg.max_line);
	c->replies = json_array();
	c->replay_since = -1;
	if (uv_accept((uv_stream_t *)&d->listener, (uv_stream_t *)&c->pipe)) {
		c->closing = 1;
		uv_close((uv_handle_t *)&c->pipe, conn_free_cb);
		return;
	}
	c->serial = ++d->conn_serial;
	c->next = d->conns;
	if (d->conns != NULL)
		d->conns->prev = c;
	d->conns = c;
	d->nconns++;
	uv_fileno((uv_handle_t *)&c->pipe, &fd);
	conn_identify(c, fd);
	conn_greet(c);
	uv_read_start((uv_stream_t *)&c->pipe, conn_alloc_cb, conn_read_cb);
}
