/*
 * manyclients: a thousand clients at once, and clients that misbehave.
 *
 *   manyclients -S SOCK [-n CLIENTS]
 *
 * Opens CLIENTS connections (default 1000) from this one process; each
 * sends its hello and one request (job.list or server.stats) before any
 * reply is read.  Meanwhile another client submits a job.  Every
 * connection must get the daemon's hello and its reply, and server.stats
 * must count them all.  Then clients that send half a line and close, or
 * a submit and close before reading the reply: afterwards the daemon
 * still answers, the half-sent submit left exactly one job (its key gives
 * that job back), and the connection count falls back.
 * Exit 0 when all holds, 1 when not, 3 on setup failure.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "tests/integration/itest.h"

#define MANY_HELLO "{\"hello\":{\"proto\":1,\"software\":\"manyclients\"}}\n"
#define MANY_SUBMIT                                                            \
	"{\"id\":1,\"verb\":\"job.submit\",\"params\":{\"argv\":[\"true\"],"   \
	"\"workdir\":\"/\",\"name\":\"half-closed\",\"cpus\":0.01,"            \
	"\"mem_mb\":1,\"key\":\"half-closed-key\"}}\n"

/* One raw connection and what it has received. */
struct many_conn {
	int fd;
	char *buf;
	size_t len, cap;
	int lines; /* complete lines received */
	int ok;    /* 1: hello then a result for id 1; -1: wrong */
};

static int many_failures;

static void
many_fail(const char *what, long n)
{
	many_failures++;
	printf("manyclients: FAIL: %s (%ld)\n", what, n);
}

static int
many_dial(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		itest_die("manyclients: socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0)
		itest_die("manyclients: connect: %s", strerror(errno));
	return fd;
}

static void
many_write(int fd, const char *s)
{
	size_t len = strlen(s);

	if (write(fd, s, len) != (ssize_t)len)
		itest_die("manyclients: write: %s", strerror(errno));
}

/* Judges one complete line: the first must be the hello. */
static void
many_line(struct many_conn *m, const char *line, size_t len)
{
	json_t *v = json_loadb(line, len, 0, NULL), *id;

	if (m->lines++ == 0) {
		if (json_object_get(v, "hello") == NULL)
			m->ok = -1;
	} else if (m->ok == 0) {
		id = json_object_get(v, "id");
		m->ok = json_integer_value(id) == 1 &&
		        json_is_object(json_object_get(v, "result")) ?
		    1 :
		    -1;
	}
	json_decref(v);
}

/* Reads what is there; returns 0, or -1 at EOF or error. */
static int
many_read(struct many_conn *m)
{
	char *nl, *start;
	ssize_t n;

	if (m->cap - m->len < 4096) {
		m->cap = m->cap ? m->cap * 2 : 8192;
		m->buf = xrealloc(m->buf, m->cap);
	}
	n = read(m->fd, m->buf + m->len, m->cap - m->len);
	if (n <= 0)
		return -1;
	m->len += (size_t)n;
	start = m->buf;
	while ((nl = memchr(start, '\n', m->len - (size_t)(start - m->buf)))) {
		many_line(m, start, (size_t)(nl - start));
		start = nl + 1;
	}
	m->len -= (size_t)(start - m->buf);
	memmove(m->buf, start, m->len);
	return 0;
}

/* Polls every connection until each has its reply or timeout_ms passes. */
static int
many_collect(struct many_conn *m, int n, int timeout_ms)
{
	struct pollfd *p = xcalloc((size_t)n, sizeof(*p));
	int64_t until = itest_now_ms() + timeout_ms;
	int i, k, waiting = n;

	while (waiting > 0 && itest_now_ms() < until) {
		for (i = k = 0; i < n; i++)
			if (m[i].ok == 0 && m[i].fd >= 0)
				p[k++] = (struct pollfd){ .fd = m[i].fd,
					.events = POLLIN };
		if (poll(p, (nfds_t)k, 1000) < 0 && errno != EINTR)
			break;
		for (i = 0, k = 0; i < n; i++) {
			if (m[i].ok != 0 || m[i].fd < 0)
				continue;
			if ((p[k++].revents & (POLLIN | POLLHUP)) &&
			    many_read(&m[i]) < 0)
				m[i].ok = -1;
		}
		for (i = 0, waiting = 0; i < n; i++)
			waiting += m[i].ok == 0;
	}
	free(p);
	return waiting;
}

static json_t *
many_call(struct client *c, const char *verb, json_t *params)
{
	json_t *res;
	char *cause;
	int rc;

	if ((rc = client_call(c, verb, params, &res, &cause)) != 0)
		itest_die("manyclients: %s: %s", verb,
		    cause ? cause : gq_err_name(rc));
	return res;
}

static int64_t
many_stat(struct client *c, const char *field)
{
	json_t *res = many_call(c, "server.stats", json_object());
	int64_t v = json_integer_value(json_object_get(res, field));

	json_decref(res);
	return v;
}

/* A submit from another client while the crowd waits for replies. */
static void
many_side_submit(const char *sock)
{
	struct itest_jobspec spec = { 0 };
	struct client *c = itest_connect(sock, 5000);
	int64_t t0 = itest_now_ms();
	json_t *res;

	if (c == NULL)
		itest_die("manyclients: side client cannot connect");
	res = many_call(c, "job.submit",
	    itest_submit_params(&spec, "manyclients-side"));
	printf("manyclients: side submit: job %lld in %lld ms\n",
	    (long long)json_integer_value(
	        json_object_get(json_object_get(res, "job"), "id")),
	    (long long)(itest_now_ms() - t0));
	json_decref(res);
	client_free(c);
}

static struct many_conn *
many_open(const char *sock, int n)
{
	struct many_conn *m = xcalloc((size_t)n, sizeof(*m));
	int i;

	for (i = 0; i < n; i++) {
		m[i].fd = many_dial(sock);
		many_write(m[i].fd, MANY_HELLO);
		many_write(m[i].fd,
		    i % 2 ? "{\"id\":1,\"verb\":"
		            "\"server.stats\"}\n" :
		            "{\"id\":1,\"verb\":\"job.list\","
		            "\"params\":{\"limit\":1}}\n");
	}
	return m;
}

static void
many_crowd(const char *sock, int n)
{
	struct many_conn *m = many_open(sock, n);
	struct client *c;
	int64_t t0 = itest_now_ms(), conns;
	int i, waiting, bad = 0;

	many_side_submit(sock);
	waiting = many_collect(m, n, 60000);
	printf("manyclients: %d clients answered in %lld ms\n", n - waiting,
	    (long long)(itest_now_ms() - t0));
	for (i = 0; i < n; i++)
		bad += m[i].ok < 0;
	if (waiting > 0 || bad > 0)
		many_fail("clients without a good reply", waiting + bad);
	if ((c = itest_connect(sock, 5000)) == NULL)
		itest_die("manyclients: cannot connect for stats");
	conns = many_stat(c, "connections");
	printf("manyclients: server.stats connections %lld\n",
	    (long long)conns);
	if (conns < n + 1)
		many_fail("server.stats counts too few connections", conns);
	client_free(c);
	for (i = 0; i < n; i++) {
		close(m[i].fd);
		free(m[i].buf);
	}
	free(m);
}

/* Clients that leave in the middle of things. */
static void
many_rude(const char *sock, int rounds)
{
	int i, fd;

	for (i = 0; i < rounds; i++) {
		fd = many_dial(sock); /* half a line, then gone */
		many_write(fd, MANY_HELLO);
		many_write(fd,
		    "{\"id\":1,\"verb\":\"job.submit\",\"params\":"
		    "{\"argv\":[\"tr");
		close(fd);
		fd = many_dial(sock); /* a submit, gone before the reply */
		many_write(fd, MANY_HELLO);
		many_write(fd, MANY_SUBMIT);
		close(fd);
		fd = many_dial(sock); /* gone before the daemon's hello */
		close(fd);
		fd = many_dial(sock); /* a submit without hello, then gone */
		many_write(fd, MANY_SUBMIT);
		shutdown(fd, SHUT_WR);
		close(fd);
	}
}

static int
many_count_named(json_t *jobs, const char *name, int64_t *id)
{
	json_t *j;
	size_t i;
	int n = 0;

	json_array_foreach(jobs, i, j) {
		if (strcmp(json_string_value(json_object_get(j, "name")),
		        name) != 0)
			continue;
		n++;
		*id = json_integer_value(json_object_get(j, "id"));
	}
	return n;
}

/* After the rude clients: one job for the half-closed key, it returns. */
static void
many_after_rude(const char *sock)
{
	struct itest_jobspec spec = { 0 };
	struct client *c = itest_connect(sock, 5000);
	int64_t id = -1, again, conns = -1, until;
	json_t *jobs, *res;
	int n;

	if (c == NULL)
		itest_die("manyclients: the daemon no longer answers");
	if (itest_list_all(c, &jobs) != 0)
		itest_die("manyclients: job.list failed");
	n = many_count_named(jobs, "half-closed", &id);
	json_decref(jobs);
	if (n != 1)
		many_fail("jobs left by the submit-and-close clients", n);
	res = many_call(c, "job.submit",
	    itest_submit_params(&spec, "half-closed-key"));
	again = json_integer_value(
	    json_object_get(json_object_get(res, "job"), "id"));
	json_decref(res);
	if (again != id)
		many_fail("the half-closed key now gives another job", again);
	until = itest_now_ms() + 10000;
	while (
	    itest_now_ms() < until && (conns = many_stat(c, "connections")) > 1)
		usleep(100 * 1000);
	if (conns != 1)
		many_fail("connections left open after the clients left",
		    conns);
	printf("manyclients: after the rude clients: job %lld once, "
	       "%lld connection(s)\n",
	    (long long)id, (long long)conns);
	client_free(c);
}

int
main(int argc, char **argv)
{
	const char *sock = NULL;
	int ch, n = 1000;

	signal(SIGPIPE, SIG_IGN);
	while ((ch = getopt(argc, argv, "S:n:")) != -1) {
		if (ch == 'S')
			sock = optarg;
		else if (ch == 'n')
			n = atoi(optarg);
		else
			itest_die("usage: manyclients -S SOCK [-n CLIENTS]");
	}
	if (sock == NULL || n < 1)
		itest_die("usage: manyclients -S SOCK [-n CLIENTS]");
	itest_raise_nofile((size_t)n + 64);
	many_crowd(sock, n);
	many_rude(sock, 20);
	many_after_rude(sock);
	printf("manyclients: %s\n", many_failures ? "FAIL" : "ok");
	return many_failures ? 1 : 0;
}
