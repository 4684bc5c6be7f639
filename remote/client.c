#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/client.h"
#include "remote/frame.h"
#include "remote/proto.h"

struct client {
	int rfd, wfd;               /* the same socket, or a child's pipes */
	pid_t child;                /* client_open_cmd's process, or -1 */
	const struct client_io *io; /* instead of the descriptors, or NULL */
	void *io_arg;
	struct frame_reader fr;
	struct buf pend; /* bytes read that the frame reader did not take */
	json_t *hello;   /* the daemon's hello body */
	json_t *events;  /* events received while waiting */
	int64_t next_id;
};

static struct client *
client_new(int rfd, int wfd, pid_t child)
{
	struct client *c = xcalloc(1, sizeof(*c));

	c->rfd = rfd;
	c->wfd = wfd;
	c->child = child;
	frame_reader_init(&c->fr, 64 * 1024 * 1024);
	buf_init(&c->pend, 64 * 1024 * 1024);
	c->events = json_array();
	c->next_id = 1;
	return c;
}

void
client_free(struct client *c)
{
	int status;

	if (c == NULL)
		return;
	if (c->io != NULL)
		c->io->close(c->io_arg);
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd != c->rfd && c->wfd >= 0)
		close(c->wfd);
	if (c->child > 0)
		waitpid(c->child, &status, 0);
	frame_reader_done(&c->fr);
	buf_done(&c->pend);
	json_decref(c->hello);
	json_decref(c->events);
	free(c);
}

const json_t *
client_hello(const struct client *c)
{
	return c->hello;
}

static int
client_send(struct client *c, json_t *msg)
{
	size_t len, off = 0;
	ssize_t n;
	char *line;

	line = proto_encode(msg, &len);
	json_decref(msg);
	if (line == NULL)
		return GQ_EINVAL;
	if (c->io != NULL) {
		n = c->io->send(c->io_arg, line, len) == 0 ? (ssize_t)len : -1;
		free(line);
		return n < 0 ? GQ_ECONN : 0;
	}
	while (off < len) {
		n = write(c->wfd, line + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(line);
			return GQ_ECONN;
		}
		off += (size_t)n;
	}
	free(line);
	return 0;
}

/*
 * Waits up to timeout_ms for bytes and reads them into buf.  Returns the
 * count, 0 on timeout, -EINTR to try again, or another negative number
 * when the connection ended.
 */
static ssize_t
client_read_some(struct client *c, struct pollfd *pfd, char *buf, size_t n,
    int timeout_ms)
{
	ssize_t k;
	int rc;

	if (c->io != NULL) {
		k = c->io->recv(c->io_arg, buf, n, timeout_ms);
		return k < 0 ? -1 : k;
	}
	rc = poll(pfd, 1, timeout_ms);
	if (rc < 0 && errno == EINTR)
		return -EINTR;
	if (rc == 0)
		return 0;
	k = read(c->rfd, buf, n);
	if (k < 0 && errno == EINTR)
		return -EINTR;
	return k <= 0 ? -1 : k;
}

/*
 * Reads until one message is decoded or timeout_ms passes.  Returns 1 with
 * *m filled, 0 on timeout, GQ_ECONN or GQ_EPROTO.
 */
static int
client_read_msg(struct client *c, int timeout_ms, struct msg *m)
{
	struct pollfd pfd = { .fd = c->rfd, .events = POLLIN };
	char buf[65536], *cause = NULL;
	const char *line;
	int64_t bad;
	size_t len, off, k;
	ssize_t n;
	int rc;

	for (;;) {
		rc = frame_reader_next(&c->fr, &line, &len);
		if (rc == GQ_ETOOBIG)
			return GQ_EPROTO;
		if (rc == 1 && len == 0)
			continue;
		if (rc == 1) {
			rc = proto_decode(line, len, m, &bad, &cause);
			free(cause);
			return rc == 0 ? 1 : rc;
		}
		/* The reader takes a chunk of lines at a time: the rest of
		 * what was read waits here (looping on it would spin). */
		if (c->pend.len > 0) {
			k = frame_reader_feed(&c->fr, c->pend.data,
			    c->pend.len);
			buf_consume(&c->pend, k);
			if (k > 0)
				continue;
		}
		if ((n = client_read_some(c, &pfd, buf, sizeof(buf),
		         timeout_ms)) == 0)
			return 0;
		if (n == -EINTR)
			continue;
		if (n <= 0)
			return GQ_ECONN;
		off = frame_reader_feed(&c->fr, buf, (size_t)n);
		if (off < (size_t)n &&
		    buf_add(&c->pend, buf + off, (size_t)n - off) != 0)
			return GQ_EPROTO;
	}
}

static int
client_handshake(struct client *c, char **cause)
{
	struct msg m;
	int rc;

	rc = client_send(c, proto_hello_new("gpuq", json_array()));
	if (rc == 0)
		rc = client_read_msg(c, 30000, &m);
	if (rc != 1 && c->io != NULL && c->io->error(c->io_arg) != NULL) {
		*cause = xstrdup(c->io->error(c->io_arg));
		return GQ_ECONN;
	}
	if (rc != 1) {
		*cause =
		    xstrdup(rc == 0 ? "no hello from the daemon in 30 s" :
		                      "the connection closed before hello");
		return rc == GQ_EPROTO ? GQ_EPROTO : GQ_ECONN;
	}
	if (m.kind != MSG_HELLO) {
		msg_done(&m);
		*cause = xstrdup("the peer did not start with a gpuq hello: "
		                 "is gpuqd running there?");
		return GQ_EPROTO;
	}
	c->hello = json_incref(m.data);
	msg_done(&m);
	return 0;
}

int
client_open_unix(const char *path, struct client **out, char **cause)
{
	struct sockaddr_un sun;
	struct client *c;
	int fd, rc;

	*cause = NULL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		*cause = xasprintf("socket path too long: %s", path);
		return GQ_EINVAL;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		*cause = xasprintf("cannot connect to %s: %s", path,
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return GQ_ECONN;
	}
	c = client_new(fd, fd, -1);
	if ((rc = client_handshake(c, cause)) != 0) {
		client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static pid_t
client_spawn(char *const argv[], int *rfd, int *wfd)
{
	int in[2], outp[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (pipe2(outp, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if ((pid = fork()) == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(outp[1], STDOUT_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	*wfd = in[1];
	*rfd = outp[0];
	return pid;
}

int
client_open_cmd(char *const argv[], struct client **out, char **cause)
{
	struct client *c;
	int rfd, wfd, rc;
	pid_t pid;

	*cause = NULL;
	signal(SIGPIPE, SIG_IGN);
	if ((pid = client_spawn(argv, &rfd, &wfd)) < 0) {
		*cause =
		    xasprintf("cannot run %s: %s", argv[0], strerror(errno));
		return GQ_ECONN;
	}
	c = client_new(rfd, wfd, pid);
	if ((rc = client_handshake(c, cause)) != 0) {
		client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

int
client_open_io(const struct client_io *io, void *arg, struct client **out,
    char **cause)
{
	struct client *c;
	int rc;

	*cause = NULL;
	c = client_new(-1, -1, -1);
	c->io = io;
	c->io_arg = arg;
	if ((rc = client_handshake(c, cause)) != 0) {
		client_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int
client_take_reply(struct msg *m, json_t **result, char **cause)
{
	int rc = 0;

	if (m->err_name != NULL) {
		rc = m->err_code != 0 ? m->err_code : GQ_EINTERNAL;
		*cause = xstrdup(m->err_message);
	} else {
		*result = json_incref(m->result);
	}
	msg_done(m);
	return rc;
}

/* Why the connection is gone (new). */
static char *
client_lost(struct client *c)
{
	const char *why = c->io != NULL ? c->io->error(c->io_arg) : NULL;

	return xasprintf("connection to the daemon lost%s%s",
	    why != NULL ? ": " : "", why != NULL ? why : "");
}

int
client_call(struct client *c, const char *verb, json_t *params, json_t **result,
    char **cause)
{
	int64_t id = c->next_id++;
	struct msg m;
	int rc;

	*result = NULL;
	*cause = NULL;
	if ((rc = client_send(c, proto_request_new(id, verb, params))) != 0) {
		*cause = client_lost(c);
		return rc;
	}
	for (;;) {
		rc = client_read_msg(c, -1, &m);
		if (rc != 1) {
			*cause = client_lost(c);
			return GQ_ECONN;
		}
		if (m.kind == MSG_EVENT) {
			json_array_append(c->events, m.root);
			msg_done(&m);
			continue;
		}
		if (m.kind == MSG_REPLY && (m.id == id || m.id == -1))
			return client_take_reply(&m, result, cause);
		msg_done(&m);
	}
}

int
client_next_event(struct client *c, int timeout_ms, json_t **ev)
{
	struct msg m;
	int rc;

	if (json_array_size(c->events) > 0) {
		*ev = json_incref(json_array_get(c->events, 0));
		json_array_remove(c->events, 0);
		return 1;
	}
	for (;;) {
		rc = client_read_msg(c, timeout_ms, &m);
		if (rc <= 0)
			return rc == 0 ? 0 : GQ_ECONN;
		if (m.kind == MSG_EVENT) {
			*ev = json_incref(m.root);
			msg_done(&m);
			return 1;
		}
		msg_done(&m);
	}
}

void
client_new_key(char out[CLIENT_KEY_LEN + 1])
{
	unsigned char raw[CLIENT_KEY_LEN / 2];
	struct timespec ts;
	size_t i;
	int fd;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, raw, sizeof(raw)) != (ssize_t)sizeof(raw)) {
		clock_gettime(CLOCK_REALTIME, &ts);
		for (i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)((ts.tv_nsec >> (i % 8)) ^
			    (getpid() >> (i % 4)) ^ (i * 37));
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < sizeof(raw); i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
}
