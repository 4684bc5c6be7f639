/*
 * Client connections of the protocol runner.  A connection as another
 * user is made by a child that drops to that user, connects (so the
 * daemon's SO_PEERCRED sees that user) and passes the descriptor back over
 * a socketpair.
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/base/error.h"
#include "tests/protocol/runner.h"

#define RUNNER_CONN_RETRY_MS 5000

/* Connects, retrying while the daemon is not listening yet. */
static int
runner_conn_dial(const char *sock)
{
	int64_t deadline = runner_now_ms() + RUNNER_CONN_RETRY_MS;
	struct sockaddr_un sun;
	int fd, err;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, sock);
	for (;;) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
			return -errno;
		if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
			return fd;
		err = errno;
		close(fd);
		if ((err != ECONNREFUSED && err != ENOENT) ||
		    runner_now_ms() > deadline)
			return -err;
		usleep(20 * 1000);
	}
}

/* Sends err (an errno, 0 on success) and, when fd >= 0, the descriptor. */
static void
runner_conn_pass(int chan, int fd, int err)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof(mh));
	memset(cbuf, 0, sizeof(cbuf));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	(void)sendmsg(chan, &mh, 0);
}

/* Receives what runner_conn_pass sent: the descriptor or -errno. */
static int
runner_conn_receive(int chan)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	int err = EPROTO, fd = -1;
	struct iovec iov = { &err, sizeof(err) };
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	if (recvmsg(chan, &mh, MSG_CMSG_CLOEXEC) != (ssize_t)sizeof(err))
		return -EPROTO;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm != NULL && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (err != 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		return -(err ? err : EPROTO);
	}
	return fd;
}

static void
runner_conn_child(int chan, const char *sock, const struct runner_id *id)
{
	int fd;

	if (setgroups(0, NULL) != 0 || setgid(id->gid) != 0 ||
	    setuid(id->uid) != 0) {
		runner_conn_pass(chan, -1, errno);
		_exit(1);
	}
	fd = runner_conn_dial(sock);
	runner_conn_pass(chan, fd, fd < 0 ? -fd : 0);
	_exit(0);
}

static int
runner_conn_as(const char *sock, const struct runner_id *id)
{
	int sv[2], fd, status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -errno;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		fd = -errno;
		close(sv[0]);
		close(sv[1]);
		return fd;
	}
	if (pid == 0) {
		close(sv[0]);
		runner_conn_child(sv[1], sock, id);
	}
	close(sv[1]);
	fd = runner_conn_receive(sv[0]);
	close(sv[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return fd;
}

int
runner_conn_connect(const char *sock, const struct runner_id *id, char *err,
    size_t n)
{
	int fd = id->other ? runner_conn_as(sock, id) : runner_conn_dial(sock);

	if (fd < 0)
		snprintf(err, n, "cannot connect to %s%s%s: %s", sock,
		    id->other ? " as " : "", id->other ? id->name : "",
		    strerror(-fd));
	return fd;
}

void
runner_conn_init(struct runner_conn *c, int fd)
{
	c->fd = fd;
	c->eof = 0;
	frame_reader_init(&c->fr, RUNNER_MAX_LINE);
	c->inbox = json_array();
}

void
runner_conn_done(struct runner_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	frame_reader_done(&c->fr);
	json_decref(c->inbox);
	c->inbox = NULL;
}

int
runner_conn_send(struct runner_conn *c, const void *p, size_t n)
{
	const char *s = p;
	ssize_t w;

	while (n > 0) {
		w = write(c->fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A received line: the message, or a string saying what was wrong. */
static void
runner_conn_line(struct runner_conn *c, int rc, const char *line, size_t n)
{
	json_error_t e;
	json_t *msg;

	if (rc == GQ_ETOOBIG) {
		json_array_append_new(c->inbox,
		    json_string("(a line over the runner's 16 MiB limit)"));
		return;
	}
	if (n == 0)
		return;
	msg = json_loadb(line, n, 0, &e);
	if (msg == NULL)
		msg = json_sprintf("(not JSON: %s: %.200s)", e.text, line);
	json_array_append_new(c->inbox, msg);
}

static void
runner_conn_take(struct runner_conn *c, const char *p, size_t n)
{
	const char *line;
	size_t off, k, len;
	int rc;

	for (off = 0; off < n; off += k) {
		k = frame_reader_feed(&c->fr, p + off, n - off);
		while ((rc = frame_reader_next(&c->fr, &line, &len)) != 0)
			runner_conn_line(c, rc, line, len);
	}
}

int
runner_conn_fill(struct runner_conn *c, int64_t deadline)
{
	static char buf[65536];
	int64_t left = deadline - runner_now_ms();
	struct pollfd p;
	ssize_t n;
	int rc;

	if (c->eof)
		return -1;
	p.fd = c->fd;
	p.events = POLLIN;
	rc = poll(&p, 1, left > 0 ? (int)left : 0);
	if (rc < 0)
		return errno == EINTR ? 1 : -1;
	if (rc == 0)
		return 0;
	n = read(c->fd, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0) {
		c->eof = 1;
		return -1;
	}
	runner_conn_take(c, buf, (size_t)n);
	return 1;
}
