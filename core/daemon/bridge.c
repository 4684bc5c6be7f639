/*
 * gpuqd bridge: relays stdin and stdout to the daemon's socket.  SSH runs
 * it on the cluster, so the daemon sees the SSH login user as the peer.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/base/xmalloc.h"
#include "core/daemon/daemon.h"
#include "remote/sockpath.h"

static int
bridge_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Copies what is readable on from to to.  0 at end of file, -1 on error. */
static int
bridge_copy(int from, int to)
{
	char buf[65536];
	ssize_t n, w, off;

	n = read(from, buf, sizeof(buf));
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return 1;
	if (n <= 0)
		return n == 0 ? 0 : -1;
	for (off = 0; off < n; off += w) {
		w = write(to, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0)
			return -1;
	}
	return 1;
}

static int
bridge_relay(int sock)
{
	struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 },
		{ sock, POLLIN, 0 } };
	int in_open = 1, rc;

	for (;;) {
		p[0].fd = in_open ? STDIN_FILENO : -1;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (p[1].revents != 0 && bridge_copy(sock, STDOUT_FILENO) <= 0)
			return 0; /* the daemon closed: we are done */
		if (in_open && p[0].revents != 0) {
			rc = bridge_copy(STDIN_FILENO, sock);
			if (rc < 0)
				return 1;
			if (rc == 0) {
				/* The client is done sending; keep reading. */
				shutdown(sock, SHUT_WR);
				in_open = 0;
			}
		}
	}
}

int
bridge_main(int argc, char **argv)
{
	char *path = NULL;
	int ch, fd, rc;

	optind = 1;
	while ((ch = getopt(argc, argv, "S:")) != -1) {
		if (ch != 'S') {
			fprintf(stderr, "usage: gpuqd bridge [-S socket]\n");
			return 2;
		}
		free(path);
		path = xstrdup(optarg);
	}
	if (path == NULL)
		path = sockpath_default();
	signal(SIGPIPE, SIG_IGN);
	if ((fd = bridge_connect(path)) < 0) {
		fprintf(stderr, "gpuqd bridge: cannot connect to %s: %s\n",
		    path, strerror(errno));
		free(path);
		return 1;
	}
	free(path);
	rc = bridge_relay(fd);
	close(fd);
	return rc;
}
