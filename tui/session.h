/*
 * The TUI's connection to gpuqd on the libuv loop: a transport (Unix
 * socket, or ssh running `gpuqd bridge`), the protocol (remote/rpc.c),
 * and what keeps the replica true:
 *
 *   connect -> hello -> events.subscribe {since} -> LIVE
 *                                 `-- ESTALE or first time: subscribe,
 *                                     then a job.list snapshot -> LIVE
 *   cluster.status every refresh interval while connected
 *   lost -> every waiting call fails with ECONN (keyed calls are sent
 *           again, same key, once the session is back) -> reconnect
 *           with backoff and jitter (0.2 s doubling to 5 s on the local
 *           socket, to 30 s over SSH)
 *   heartbeat: after SESSION_PING_MS without a byte from the daemon,
 *           server.ping; SESSION_DEAD_MS without one is a dead link
 *   refused (host key, authentication: GQ_EPERM) -> no automatic
 *           retry; session_refresh (the r key) tries again
 *
 * The network never blocks the screen: everything here is callbacks.
 */
#ifndef GPUQ_SESSION_H
#define GPUQ_SESSION_H

#include <stdint.h>

#include <jansson.h>
#include <uv.h>

#include "remote/rpc.h"
#include "remote/transport-ssh.h"
#include "remote/transport.h"
#include "tui/replica.h"

#define SESSION_PAGE        10000 /* jobs a snapshot page asks for */
#define SESSION_RECENT      2000  /* ids back that finished jobs are shown */
#define SESSION_BACKOFF_MIN 200
#define SESSION_BACKOFF_MAX 5000
#define SESSION_HELLO_MS    10000 /* a peer silent this long is dropped */
#define SESSION_BACKOFF_SSH 30000 /* the cap over SSH */
#define SESSION_PING_MS     5000  /* quiet this long: ping */
#define SESSION_DEAD_MS     12000 /* quiet this long: the link is dead */

enum session_state {
	SESSION_DOWN,       /* waiting to retry */
	SESSION_CONNECTING, /* transport opening, or waiting for hello */
	SESSION_SYNCING,    /* subscribed, snapshot on its way */
	SESSION_LIVE
};

struct session_cbs {
	/* Something a screen shows changed: state, replica, GPUs. */
	void (*changed)(void *arg);
	/* An event the session did not consume (job.log, ...). */
	void (*event)(void *arg, const char *name, int64_t seq, json_t *data);
	/* A line for the status line and the Events view. */
	void (*note)(void *arg, enum revent_level level, const char *text);
	/* Connected and in sync again (views re-ask what they follow). */
	void (*live)(void *arg);
	/* A question from the SSH transport (borrowed for the call): answer
	 * with session_answer.  NULL: questions are refused. */
	void (*ask)(void *arg, const struct transport_ask *q);
};

struct session_keyed;

struct session {
	uv_loop_t *loop;
	uv_timer_t retry, poll, beat;
	int timers; /* open timer handles */
	struct transport *t;
	struct rpc rpc;
	struct replica *rep;
	const struct session_cbs *cbs;
	void *arg;
	enum session_state state;
	int backoff_ms;
	int poll_ms;
	int status_inflight;
	char *sock;         /* Unix socket, or NULL */
	char **argv;        /* command (ssh), or NULL */
	char why[512];      /* why the last connection failed */
	char target[256];   /* the socket path, or the ssh host */
	int64_t down_since; /* 0 while connected */
	unsigned attempts;  /* connection attempts since the last success */
	int stopping;
	struct session_keyed *resend;  /* keyed calls waiting to be re-sent */
	int64_t (*now)(void);          /* seconds since the epoch */
	struct transport_ssh_opts ssh; /* the libssh2 transport's, or */
	int use_ssh;                   /* ... unused when 0 */
	char *ssh_own[4];              /* ssh's strings */
	uint64_t last_rx; /* uv_now when the daemon last sent a byte */
	int ping_inflight;
	uint64_t retry_at; /* uv_now of the next attempt, 0 when none */
	int hold;          /* refused: wait for session_refresh */
	uint64_t jitter;   /* xorshift state for backoff jitter */
};

void session_init(struct session *s, uv_loop_t *loop, struct replica *rep,
    const struct session_cbs *cbs, void *arg, int poll_ms);
/*
 * Starts connecting to a Unix socket, or to argv's standard I/O (target
 * names it in messages: the ssh host).
 */
void session_start_unix(struct session *s, const char *path);
void session_start_cmd(struct session *s, const char *target,
    char *const argv[]);
/* Starts connecting through the libssh2 transport (o is copied). */
void session_start_ssh(struct session *s, const struct transport_ssh_opts *o);
/* Answers the transport's question (NULL refuses). */
void session_answer(struct session *s, const char *answer);
/* Seconds until the next attempt while down (-1: none planned). */
int session_retry_in(const struct session *s);
/* Closes everything; the loop can then end.  Waiting calls fail. */
void session_stop(struct session *s);

/*
 * Calls a verb (steals params).  Returns 0 (the callback will run), or
 * GQ_ECONN when not connected (the callback will not run).
 */
int session_call(struct session *s, const char *verb, json_t *params,
    const struct rpc_reply_cb *cb);
/*
 * Like session_call for a mutating verb: adds an idempotency key; if the
 * connection breaks first, the same request (same key) is sent again
 * once the session is back, so it never happens twice.
 */
int session_call_keyed(struct session *s, const char *verb, json_t *params,
    const struct rpc_reply_cb *cb);

/* Refresh now: poll cluster.status, or reconnect at once when down. */
void session_refresh(struct session *s);

int session_has_verb(const struct session *s, const char *verb);
/* The daemon's hello field (borrowed string), or NULL. */
const char *session_hello_str(const struct session *s, const char *key);
/* "connected", "connecting", "syncing", "disconnected" */
const char *session_state_name(const struct session *s);
/* Where it connects: the socket path or the command. */
const char *session_target(const struct session *s);

#endif
