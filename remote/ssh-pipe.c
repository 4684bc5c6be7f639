/*
 * Bytes through a live channel.  The last hop's channel carries the
 * protocol: queued writes go in, what comes out goes to the transport's
 * read callback, stderr is read too (unread, it would fill the window
 * and stall the channel: libssh2 PR #108).  A jump hop's channel is
 * pumped to and from the socketpair the next hop's session runs over.
 *
 * Rules from libssh2's issues: read until EAGAIN on every wakeup
 * (libssh2/libssh2#2533); after a write returned EAGAIN, call the write
 * again before any other call on the channel (libssh2 PR #169); never
 * drop part of a buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/base/error.h"
#include "remote/ssh-int.h"

#define SSH_PIPE_ROUNDS 64   /* pump rounds per wakeup before yielding */
#define SSH_EOF_WAIT_MS 2000 /* for the exit status after end of file */

void
ssh_pipe_init(struct ssh_pipe *p)
{
	memset(p, 0, sizeof(*p));
	p->fd = -1;
}

static void
ssh_pipe_fd_cb(uv_poll_t *poll, int status, int events)
{
	ssh_pipe_pump(poll->data);
}

int
ssh_pipe_start_jump(struct ssh_hop *h, int fd)
{
	struct ssh_pipe *p = &h->pipe;

	p->fd = fd;
	if (uv_poll_init_socket(h->conn->t.loop, &p->poll, fd) != 0)
		return ssh_hop_fail(h, GQ_EIO, "cannot watch a socketpair");
	p->poll.data = h;
	p->poll_init = 1;
	h->conn->handles++;
	return 0;
}

static int
ssh_pipe_lost(struct ssh_hop *h, ssize_t rc)
{
	return ssh_hop_fail(h, GQ_ECONN, "%s: connection lost: %s", h->label,
	    ssh_hop_error(h));
}

/* conn->wq into the channel.  Returns 1 on progress, 0, or SSH_FAILED. */
static int
ssh_pipe_write_conn(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	struct ssh_pipe *p = &h->pipe;
	ssize_t n;
	int moved = 0;

	while (c->wq.len > 0) {
		n = libssh2_channel_write(p->ch, c->wq.data,
		    c->wq.len < SSH_PIPE_BUF ? c->wq.len : SSH_PIPE_BUF);
		if (n == LIBSSH2_ERROR_EAGAIN) {
			p->blocked = 1;
			return moved;
		}
		if (n < 0)
			return -ssh_pipe_lost(h, n);
		p->blocked = 0;
		buf_consume(&c->wq, (size_t)n);
		c->bytes_out += (uint64_t)n;
		moved = 1;
	}
	p->blocked = 0;
	return moved;
}

/* The remote command's end: its status and the last of its stderr. */
static int
ssh_pipe_ended(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	int status = libssh2_channel_get_exit_status(h->pipe.ch);
	size_t end = c->nerr, start;

	c->exit_status = status;
	while (end > 0 &&
	    (c->errtail[end - 1] == '\n' || c->errtail[end - 1] == '\r'))
		end--;
	for (start = end; start > 0 && c->errtail[start - 1] != '\n'; start--)
		;
	return ssh_hop_fail(h, GQ_ECONN, "%s: `%s` ended (status %d)%s%.*s",
	    h->label, c->command, status, end > start ? ": " : "",
	    (int)(end - start), c->errtail + start);
}

static void
ssh_pipe_retry_cb(uv_timer_t *t)
{
	ssh_pipe_pump(t->data);
}

/*
 * The remote command closed its output.  Its exit status comes after
 * the end of file: wait (a little) for the channel to close, so that the
 * message has it.
 */
static int
ssh_pipe_eof(struct ssh_hop *h)
{
	struct ssh_pipe *p = &h->pipe;
	uint64_t now = ssh_now_ms(h);
	int rc;

	if (p->eof_at == 0) {
		p->eof_at = now;
		uv_timer_start(&h->retry, ssh_pipe_retry_cb, SSH_EOF_WAIT_MS,
		    0);
	}
	rc = libssh2_channel_wait_closed(p->ch);
	if (rc == LIBSSH2_ERROR_EAGAIN && now - p->eof_at < SSH_EOF_WAIT_MS)
		return 0;
	return -ssh_pipe_ended(h);
}

/* One stream of the channel until EAGAIN.  1 on progress, 0, or <0. */
static int
ssh_pipe_read_stream(struct ssh_hop *h, int stream)
{
	struct ssh_conn *c = h->conn;
	char buf[SSH_PIPE_BUF];
	ssize_t n;
	int moved = 0;

	for (;;) {
		n = libssh2_channel_read_ex(h->pipe.ch, stream, buf,
		    sizeof(buf));
		if (n == LIBSSH2_ERROR_EAGAIN || n == 0)
			return moved;
		if (n < 0)
			return -ssh_pipe_lost(h, n);
		moved = 1;
		if (stream != 0) {
			ssh_conn_stderr(c, buf, (size_t)n);
			continue;
		}
		c->bytes_in += (uint64_t)n;
		c->t.cbs->read(c->t.arg, buf, (size_t)n);
		if (c->t.closing || c->failed)
			return -SSH_FAILED;
	}
}

/*
 * Sends a new terminal size (transport_ssh_resize).  Like a write, a
 * request that said EAGAIN is made again before anything else.
 */
static int
ssh_pipe_resize(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	int rc;

	if (!c->resize || h->pipe.blocked)
		return 0;
	rc = libssh2_channel_request_pty_size_ex(h->pipe.ch, c->cols, c->rows,
	    0, 0);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return 1;
	c->resize = 0; /* refused or sent: the shell keeps its size */
	return 0;
}

static int
ssh_pipe_round_conn(struct ssh_hop *h)
{
	int w, r, e;

	if (ssh_pipe_resize(h) != 0)
		return 0;
	if ((w = ssh_pipe_write_conn(h)) < 0)
		return w;
	if (h->pipe.blocked)
		return w;
	if ((r = ssh_pipe_read_stream(h, 0)) < 0)
		return r;
	if ((e = ssh_pipe_read_stream(h, SSH_EXTENDED_DATA_STDERR)) < 0)
		return e;
	if (libssh2_channel_eof(h->pipe.ch))
		return ssh_pipe_eof(h);
	return w || r || e;
}

/* From the socketpair into the channel.  1 on progress, 0, or <0. */
static int
ssh_pipe_jump_up(struct ssh_hop *h)
{
	struct ssh_pipe *p = &h->pipe;
	ssize_t n;
	int moved = 0;

	for (;;) {
		if (p->offup == p->nup) {
			p->offup = p->nup = 0;
			if (p->fd_eof)
				return moved;
			n = read(p->fd, p->up, sizeof(p->up));
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return moved;
			if (n <= 0) {
				p->fd_eof = 1;
				return moved;
			}
			p->nup = (size_t)n;
		}
		n = libssh2_channel_write(p->ch, p->up + p->offup,
		    p->nup - p->offup);
		if (n == LIBSSH2_ERROR_EAGAIN) {
			p->blocked = 1;
			return moved;
		}
		if (n < 0)
			return -ssh_pipe_lost(h, n);
		p->blocked = 0;
		p->offup += (size_t)n;
		moved = 1;
	}
}

/* From the channel into the socketpair.  1 on progress, 0, or <0. */
static int
ssh_pipe_jump_down(struct ssh_hop *h)
{
	struct ssh_pipe *p = &h->pipe;
	ssize_t n;
	int moved = 0;

	for (;;) {
		if (p->offdown < p->ndown) {
			n = write(p->fd, p->down + p->offdown,
			    p->ndown - p->offdown);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return moved;
			if (n < 0)
				return -ssh_hop_fail(h, GQ_ECONN,
				    "%s: the next hop went away", h->label);
			p->offdown += (size_t)n;
			moved = 1;
			continue;
		}
		p->offdown = p->ndown = 0;
		n = libssh2_channel_read(p->ch, p->down, sizeof(p->down));
		if (n == LIBSSH2_ERROR_EAGAIN || n == 0)
			return moved;
		if (n < 0)
			return -ssh_pipe_lost(h, n);
		p->ndown = (size_t)n;
		moved = 1;
	}
}

static int
ssh_pipe_round_jump(struct ssh_hop *h)
{
	struct ssh_pipe *p = &h->pipe;
	int u, d;

	if ((u = ssh_pipe_jump_up(h)) < 0)
		return u;
	if (p->blocked)
		return u;
	if ((d = ssh_pipe_jump_down(h)) < 0)
		return d;
	if (p->ndown == 0 && libssh2_channel_eof(p->ch))
		return -ssh_hop_fail(h, GQ_ECONN,
		    "%s: the forwarded connection to the next hop closed",
		    h->label);
	return u || d;
}

/* Waits for what the pipe needs next. */
static void
ssh_pipe_arm(struct ssh_hop *h, int more)
{
	struct ssh_pipe *p = &h->pipe;
	int d = libssh2_session_block_directions(h->s), ev = UV_READABLE;
	int owed =
	    p->blocked || p->ka_pending || (h->conn->resize && p->fd < 0);

	if (owed && (d & LIBSSH2_SESSION_BLOCK_OUTBOUND))
		ev |= UV_WRITABLE;
	if (more || (owed && !(d & LIBSSH2_SESSION_BLOCK_OUTBOUND)))
		uv_timer_start(&h->retry, ssh_pipe_retry_cb,
		    more ? 0 : SSH_RETRY_MS, 0);
	ssh_hop_arm(h, ev);
	if (p->poll_init) {
		ev = 0;
		if (p->offup == p->nup && !p->fd_eof)
			ev |= UV_READABLE;
		if (p->offdown < p->ndown)
			ev |= UV_WRITABLE;
		if (ev != 0)
			uv_poll_start(&p->poll, ev, ssh_pipe_fd_cb);
		else
			uv_poll_stop(&p->poll);
	}
}

/* Finishes a half-sent keepalive before anything else is sent. */
static int
ssh_pipe_keepalive(struct ssh_hop *h)
{
	int next = 0, rc;

	if (!h->pipe.ka_pending)
		return 0;
	rc = libssh2_keepalive_send(h->s, &next);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return 1;
	h->pipe.ka_pending = 0;
	return rc < 0 ? -ssh_pipe_lost(h, rc) : 0;
}

void
ssh_pipe_pump(struct ssh_hop *h)
{
	struct ssh_conn *c = h->conn;
	int rounds = 0, rc = 0;

	if (h->pumping) {
		h->pump_again = 1;
		return;
	}
	if (c->failed || c->t.closing || h->state != SSH_HOP_LIVE)
		return;
	h->pumping = 1;
	do {
		h->pump_again = 0;
		if ((rc = ssh_pipe_keepalive(h)) != 0)
			break;
		rc = h->pipe.fd >= 0 ? ssh_pipe_round_jump(h) :
		                       ssh_pipe_round_conn(h);
	} while (rc >= 0 && (rc > 0 || h->pump_again) &&
	    ++rounds < SSH_PIPE_ROUNDS && !c->failed && !c->t.closing);
	h->pumping = 0;
	if (rc >= 0 && !c->failed && !c->t.closing)
		ssh_pipe_arm(h, rounds >= SSH_PIPE_ROUNDS);
}

/*
 * ServerAliveInterval: libssh2 only sends keepalives (src/keepalive.c
 * counts no missing replies), so ServerAliveCountMax is counted here:
 * the server answers each keepalive, and a socket silent for interval
 * times count is a dead link.
 */
static void
ssh_pipe_alive_cb(uv_timer_t *t)
{
	struct ssh_hop *h = t->data;
	uint64_t quiet = ssh_now_ms(h) - h->last_rx;
	int next = 0, rc;

	if (h->conn->failed || h->conn->t.closing)
		return;
	if (quiet > (uint64_t)h->cfg.alive_interval *
	        (uint64_t)(h->cfg.alive_count_max + 1) * 1000) {
		ssh_hop_fail(h, GQ_ECONN,
		    "%s: no answer for %d s (ServerAliveInterval %d, "
		    "ServerAliveCountMax %d)",
		    h->label, (int)(quiet / 1000), h->cfg.alive_interval,
		    h->cfg.alive_count_max);
		return;
	}
	if (h->pipe.blocked || h->pipe.ka_pending || h->pumping)
		return;
	rc = libssh2_keepalive_send(h->s, &next);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		h->pipe.ka_pending = 1;
	ssh_pipe_pump(h);
}

void
ssh_pipe_alive_start(struct ssh_hop *h)
{
	uint64_t ms = (uint64_t)h->cfg.alive_interval * 1000;

	h->last_rx = ssh_now_ms(h);
	if (ms > 0)
		uv_timer_start(&h->alive, ssh_pipe_alive_cb, ms, ms);
}
