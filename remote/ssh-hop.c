/*
 * One hop of an SSH connection: the driver that runs its states, and
 * the states that are not authentication or host keys: DNS, the TCP
 * connect, the handshake, the channel to the next hop or the daemon.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-int.h"
#include "remote/ssh-knownhosts.h"
#include "remote/sockpath.h"

static const char *const ssh_hop_state_names[SSH_HOP_NSTATES] = {
	[SSH_HOP_IDLE] = "idle",
	[SSH_HOP_DNS] = "resolving",
	[SSH_HOP_CONNECT] = "connecting",
	[SSH_HOP_HANDSHAKE] = "SSH handshake",
	[SSH_HOP_HOSTKEY] = "host key check",
	[SSH_HOP_AUTH_LIST] = "authentication",
	[SSH_HOP_AGENT_START] = "agent",
	[SSH_HOP_AGENT] = "agent authentication",
	[SSH_HOP_KEYS] = "key authentication",
	[SSH_HOP_KBD] = "keyboard-interactive authentication",
	[SSH_HOP_KBD_ASK] = "keyboard-interactive authentication",
	[SSH_HOP_OPEN] = "opening a channel",
	[SSH_HOP_PTY] = "asking for a terminal",
	[SSH_HOP_EXEC] = "starting the remote command",
	[SSH_HOP_LIVE] = "connected",
	[SSH_HOP_DEAD] = "closed",
};

uint64_t
ssh_now_ms(const struct ssh_hop *h)
{
	return uv_now(h->conn->t.loop);
}

const char *
ssh_hop_error(struct ssh_hop *h)
{
	char *msg = NULL;

	if (h->s == NULL ||
	    libssh2_session_last_error(h->s, &msg, NULL, 0) == 0 ||
	    msg == NULL || msg[0] == '\0')
		return "unknown error";
	return msg;
}

int
ssh_hop_fail(struct ssh_hop *h, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	ssh_conn_fail(h->conn, code, msg);
	free(msg);
	return SSH_FAILED;
}

/* libssh2's answer rc to a call: SSH_AGAIN, SSH_NEXT (0), or a failure. */
int
ssh_hop_again(struct ssh_hop *h, int rc, const char *what)
{
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc == 0)
		return SSH_NEXT;
	return ssh_hop_fail(h, GQ_ECONN, "%s: %s: %s", h->label, what,
	    ssh_hop_error(h));
}

void
ssh_hop_set(struct ssh_hop *h, enum ssh_hop_state st)
{
	struct ssh_conn *c = h->conn;

	h->state = st;
	if (st > SSH_HOP_CONNECT && st < SSH_HOP_LIVE && !c->asking)
		ssh_conn_deadline(c, SSH_STEP_MS);
	if (c->o.verbose && st != SSH_HOP_LIVE)
		ssh_conn_note(c, "ssh: %s: %s", h->label,
		    ssh_hop_state_names[st]);
}

static void
ssh_hop_poll_cb(uv_poll_t *p, int status, int events)
{
	struct ssh_hop *h = p->data;

	if (events & UV_READABLE)
		h->last_rx = ssh_now_ms(h);
	ssh_hop_run(h);
}

void
ssh_hop_arm(struct ssh_hop *h, int events)
{
	struct ssh_conn *c = h->conn;

	if (c->t.closing || h->fd < 0)
		return;
	if (!h->poll_init) {
		if (uv_poll_init_socket(c->t.loop, &h->poll, h->fd) != 0) {
			ssh_hop_fail(h, GQ_ECONN, "%s: cannot watch the socket",
			    h->label);
			return;
		}
		h->poll.data = h;
		h->poll_init = 1;
		c->handles++;
	}
	if (events == 0)
		uv_poll_stop(&h->poll);
	else
		uv_poll_start(&h->poll, events, ssh_hop_poll_cb);
}

static void
ssh_hop_retry_cb(uv_timer_t *t)
{
	ssh_hop_run(t->data);
}

/* After EAGAIN: wait in the directions libssh2 says. */
static void
ssh_hop_arm_dirs(struct ssh_hop *h)
{
	int d = libssh2_session_block_directions(h->s), ev = 0;

	if (d & LIBSSH2_SESSION_BLOCK_INBOUND)
		ev |= UV_READABLE;
	if (d & LIBSSH2_SESSION_BLOCK_OUTBOUND)
		ev |= UV_WRITABLE;
	/* Nothing to wait for, or the agent's own socket: try again soon. */
	if (ev == 0 || h->state == SSH_HOP_AGENT_START ||
	    h->state == SSH_HOP_AGENT)
		uv_timer_start(&h->retry, ssh_hop_retry_cb, SSH_RETRY_MS, 0);
	ssh_hop_arm(h, ev);
}

static void
ssh_hop_gai_cb(uv_getaddrinfo_t *r, int status, struct addrinfo *res)
{
	struct ssh_hop *h = r->data;
	struct ssh_conn *c = h->conn;

	h->gai_busy = 0;
	c->handles--;
	if (c->t.closing) {
		if (res != NULL)
			uv_freeaddrinfo(res);
		ssh_conn_free_maybe(c);
		return;
	}
	if (status < 0) {
		ssh_hop_fail(h, GQ_ECONN, "cannot resolve %s: %s",
		    h->cfg.hostname, uv_strerror(status));
		return;
	}
	h->ai = h->ai_next = res;
	ssh_hop_set(h, SSH_HOP_CONNECT);
	ssh_hop_run(h);
}

static int
ssh_hop_state_dns(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	struct addrinfo hints;
	char port[16];
	int rc;

	if (h->gai_busy)
		return SSH_WAIT;
	memset(&hints, 0, sizeof(hints));
	/* libssh2 ignores AddressFamily: it is ours to honour. */
	hints.ai_family = h->cfg.address_family == SSH_AF_INET ? AF_INET :
	    h->cfg.address_family == SSH_AF_INET6              ? AF_INET6 :
	                                                         AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", h->cfg.port);
	h->gai.data = h;
	rc = uv_getaddrinfo(c->t.loop, &h->gai, ssh_hop_gai_cb, h->cfg.hostname,
	    port, &hints);
	if (rc < 0)
		return ssh_hop_fail(h, GQ_ECONN, "cannot resolve %s: %s",
		    h->cfg.hostname, uv_strerror(rc));
	h->gai_busy = 1;
	c->handles++;
	return SSH_WAIT;
}

/* Keepalive on the TCP socket; no Nagle delay for small requests. */
static void
ssh_hop_tcp_opts(int fd)
{
	int one = 1, idle = 30, intvl = 10, cnt = 3;

	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* Starts a non-blocking connect to the next address. */
static int
ssh_hop_try(struct ssh_hop *h)
{
	struct addrinfo *ai;
	int fd;

	while ((ai = h->ai_next) != NULL) {
		h->ai_next = ai->ai_next;
		fd = socket(ai->ai_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0) {
			h->connect_errno = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ||
		    errno == EINPROGRESS) {
			h->fd = fd;
			h->want = UV_WRITABLE;
			return SSH_POLL;
		}
		h->connect_errno = errno;
		close(fd);
	}
	return ssh_hop_fail(h, GQ_ECONN, "cannot connect to %s port %d: %s",
	    h->cfg.hostname, h->cfg.port, strerror(h->connect_errno));
}

/* A failed attempt: its poll handle must close before its socket. */
static void
ssh_hop_attempt_closed(uv_handle_t *p)
{
	struct ssh_hop *h = p->data;
	struct ssh_conn *c = h->conn;

	c->handles--;
	h->poll_init = 0;
	close(h->fd);
	h->fd = -1;
	if (c->t.closing)
		ssh_conn_free_maybe(c);
	else
		ssh_hop_run(h);
}

/* Whether a non-blocking connect has finished (SO_ERROR 0 may not say). */
static int
ssh_hop_connected(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return getpeername(fd, (struct sockaddr *)&ss, &len) == 0 ||
	    errno != ENOTCONN;
}

static int
ssh_hop_state_connect(struct ssh_hop *h)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (h->fd < 0)
		return ssh_hop_try(h);
	if (h->poll_init && uv_is_closing((uv_handle_t *)&h->poll))
		return SSH_WAIT;
	if (getsockopt(h->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err == 0 && !ssh_hop_connected(h->fd))
		return SSH_POLL;
	if (err == 0) {
		ssh_hop_tcp_opts(h->fd);
		ssh_hop_set(h, SSH_HOP_HANDSHAKE);
		return SSH_NEXT;
	}
	h->connect_errno = err;
	if (!h->poll_init) {
		close(h->fd);
		h->fd = -1;
		return SSH_NEXT;
	}
	uv_close((uv_handle_t *)&h->poll, ssh_hop_attempt_closed);
	return SSH_WAIT;
}

static int
ssh_hop_state_handshake(struct ssh_hop *h)
{
	int rc;

	if (h->s == NULL) {
		h->s = libssh2_session_init_ex(NULL, NULL, NULL, h);
		if (h->s == NULL)
			return ssh_hop_fail(h, GQ_EINTERNAL,
			    "libssh2 could not make a session");
		libssh2_session_set_blocking(h->s, 0);
		if (h->cfg.alive_interval > 0)
			libssh2_keepalive_config(h->s, 1,
			    (unsigned)h->cfg.alive_interval);
		ssh_hostkey_prepare(h);
	}
	rc = libssh2_session_handshake(h->s, h->fd);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc == LIBSSH2_ERROR_KEX_FAILURE)
		return ssh_hop_fail(h, GQ_ECONN,
		    "%s: no common key exchange or host key algorithm "
		    "(%s); --ssh-command uses the system ssh",
		    h->label, ssh_hop_error(h));
	if (rc != 0)
		return ssh_hop_fail(h, GQ_ECONN, "%s: SSH handshake failed: %s",
		    h->label, ssh_hop_error(h));
	ssh_hop_set(h, SSH_HOP_HOSTKEY);
	return SSH_NEXT;
}

int
ssh_hop_start_fd(struct ssh_hop *h, int fd)
{
	h->fd = fd;
	ssh_hop_set(h, SSH_HOP_HANDSHAKE);
	uv_timer_start(&h->retry, ssh_hop_retry_cb, 0, 0);
	return 0;
}

/* Not the last hop: a direct-tcpip channel to the next, and a pump. */
static int
ssh_hop_open_forward(struct ssh_hop *h)
{
	struct ssh_hop *next = h->conn->hops[h->idx + 1];
	int sv[2];

	h->pipe.ch = libssh2_channel_direct_tcpip_ex(h->s, next->cfg.hostname,
	    next->cfg.port, "127.0.0.1", 22);
	if (h->pipe.ch == NULL) {
		if (libssh2_session_last_errno(h->s) == LIBSSH2_ERROR_EAGAIN)
			return SSH_AGAIN;
		return ssh_hop_fail(h, GQ_ECONN,
		    "jump host %s did not open a connection to %s port %d "
		    "(does it allow TCP forwarding?): %s",
		    h->label, next->cfg.hostname, next->cfg.port,
		    ssh_hop_error(h));
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
	        sv) < 0)
		return ssh_hop_fail(h, GQ_EIO, "socketpair: %s",
		    strerror(errno));
	ssh_pipe_start_jump(h, sv[0]);
	ssh_hop_set(h, SSH_HOP_LIVE);
	ssh_pipe_alive_start(h);
	ssh_hop_start_fd(next, sv[1]);
	return SSH_NEXT;
}

#if SSH_HAVE_STREAMLOCAL
/* libssh2 1.11: the daemon's socket forwarded by the user's sshd. */
static int
ssh_hop_open_streamlocal(struct ssh_hop *h)
{
	const char *sock =
	    h->conn->o.socket != NULL ? h->conn->o.socket : SOCKPATH_SYSTEM;

	h->pipe.ch =
	    libssh2_channel_direct_streamlocal_ex(h->s, sock, "127.0.0.1", 0);
	if (h->pipe.ch != NULL) {
		ssh_hop_set(h, SSH_HOP_LIVE);
		ssh_conn_live(h->conn);
		return SSH_NEXT;
	}
	if (libssh2_session_last_errno(h->s) == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	/* Forwarding off, or no socket there: run the bridge instead. */
	h->streamlocal_failed = 1;
	return SSH_NEXT;
}
#endif

static int
ssh_hop_state_open(struct ssh_hop *h)
{
	if (h->idx < h->conn->nhops - 1)
		return ssh_hop_open_forward(h);
#if SSH_HAVE_STREAMLOCAL
	if (h->conn->o.command == NULL && !h->streamlocal_failed)
		return ssh_hop_open_streamlocal(h);
#endif
	h->pipe.ch = libssh2_channel_open_session(h->s);
	if (h->pipe.ch == NULL) {
		if (libssh2_session_last_errno(h->s) == LIBSSH2_ERROR_EAGAIN)
			return SSH_AGAIN;
		return ssh_hop_fail(h, GQ_ECONN,
		    "%s: cannot open a session: %s", h->label,
		    ssh_hop_error(h));
	}
	ssh_hop_set(h,
	    h->conn->o.pty_term != NULL ? SSH_HOP_PTY : SSH_HOP_EXEC);
	return SSH_NEXT;
}

/* A terminal for the command (transport_ssh_opts.pty_term). */
static int
ssh_hop_state_pty(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	int rc;

	rc = libssh2_channel_request_pty_ex(h->pipe.ch, c->o.pty_term,
	    (unsigned)strlen(c->o.pty_term), NULL, 0, c->cols, c->rows, 0, 0);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc != 0)
		return ssh_hop_fail(h, GQ_ECONN, "%s refused a terminal: %s",
		    h->label, ssh_hop_error(h));
	ssh_hop_set(h, SSH_HOP_EXEC);
	return SSH_NEXT;
}

static int
ssh_hop_state_exec(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	int rc;

	rc = libssh2_channel_process_startup(h->pipe.ch, "exec", 4, c->command,
	    (unsigned)strlen(c->command));
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return SSH_AGAIN;
	if (rc != 0)
		return ssh_hop_fail(h, GQ_ECONN, "%s refused to run `%s`: %s",
		    h->label, c->command, ssh_hop_error(h));
	ssh_hop_set(h, SSH_HOP_LIVE);
	ssh_pipe_alive_start(h);
	ssh_conn_live(c);
	return SSH_NEXT;
}

typedef int ssh_hop_state_fn(struct ssh_hop *h);

static ssh_hop_state_fn *const ssh_hop_states[SSH_HOP_NSTATES] = {
	[SSH_HOP_DNS] = ssh_hop_state_dns,
	[SSH_HOP_CONNECT] = ssh_hop_state_connect,
	[SSH_HOP_HANDSHAKE] = ssh_hop_state_handshake,
	[SSH_HOP_HOSTKEY] = ssh_hostkey_state,
	[SSH_HOP_AUTH_LIST] = ssh_auth_state_list,
	[SSH_HOP_AGENT_START] = ssh_auth_state_agent_start,
	[SSH_HOP_AGENT] = ssh_auth_state_agent,
	[SSH_HOP_KEYS] = ssh_auth_state_keys,
	[SSH_HOP_KBD] = ssh_auth_state_kbd,
	[SSH_HOP_KBD_ASK] = ssh_auth_state_kbd_ask,
	[SSH_HOP_OPEN] = ssh_hop_state_open,
	[SSH_HOP_PTY] = ssh_hop_state_pty,
	[SSH_HOP_EXEC] = ssh_hop_state_exec,
};

static int
ssh_hop_over(const struct ssh_hop *h)
{
	return h->conn->failed || h->conn->t.closing;
}

/* Runs states until one has to wait; then arms what it waits for. */
static void
ssh_hop_steps(struct ssh_hop *h)
{
	ssh_hop_state_fn *fn;
	int rc;

	while (!ssh_hop_over(h) && (fn = ssh_hop_states[h->state]) != NULL) {
		rc = fn(h);
		if (ssh_hop_over(h) || rc == SSH_FAILED || rc == SSH_WAIT)
			return;
		if (rc == SSH_AGAIN) {
			ssh_hop_arm_dirs(h);
			return;
		}
		if (rc == SSH_POLL) {
			ssh_hop_arm(h, h->want);
			return;
		}
	}
}

void
ssh_hop_run(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;

	if (h->running || ssh_hop_over(h))
		return;
	if (h->state == SSH_HOP_LIVE) {
		ssh_pipe_pump(h);
		return;
	}
	h->running = 1;
	ssh_hop_steps(h);
	h->running = 0;
	if (h->state == SSH_HOP_LIVE && !ssh_hop_over(h))
		ssh_pipe_pump(h);
	if (c->up_pending && !ssh_hop_over(h)) {
		c->up_pending = 0;
		c->was_up = 1;
		c->t.cbs->up(c->t.arg);
	}
}

/* After a failure: no more callbacks from this hop's handles. */
void
ssh_hop_stop(struct ssh_hop *h)
{
	if (h->poll_init && !uv_is_closing((uv_handle_t *)&h->poll))
		uv_poll_stop(&h->poll);
	if (h->pipe.poll_init)
		uv_poll_stop(&h->pipe.poll);
	uv_timer_stop(&h->retry);
	uv_timer_stop(&h->alive);
	h->state = SSH_HOP_DEAD;
}

/*
 * Frees the session and closes the sockets, once every handle is closed.
 * The socket is shut down first, so that nothing libssh2 does while
 * freeing can wait on a peer that is gone (libssh2/libssh2#232).
 */
void
ssh_hop_free(struct ssh_hop *h)
{
	size_t i;

	/* A polite goodbye when it can go out at once; no waiting. */
	if (h->s != NULL && h->state == SSH_HOP_LIVE && !h->pipe.blocked)
		libssh2_session_disconnect(h->s, "gpuq closed the connection");
	if (h->fd >= 0)
		shutdown(h->fd, SHUT_RDWR);
	if (h->pipe.fd >= 0)
		shutdown(h->pipe.fd, SHUT_RDWR);
	ssh_auth_done(h);
	if (h->s != NULL) {
		libssh2_session_set_blocking(h->s, 1);
		libssh2_session_free(h->s);
	}
	if (h->fd >= 0)
		close(h->fd);
	if (h->pipe.fd >= 0)
		close(h->pipe.fd);
	if (h->ai != NULL)
		uv_freeaddrinfo(h->ai);
	for (i = 0; i < 2 * SSH_CONFIG_MAX_FILES; i++)
		free(h->known_text[i]);
	free(h->methods);
	buf_done(&h->tried);
	ssh_config_done(&h->cfg);
	free(h);
}
