/*
 * Request ids and replies for an asynchronous client: the pure half of a
 * connection to gpuqd.  Whoever owns the connection moves the bytes (a
 * transport on an event loop): it feeds what arrives to rpc_feed and
 * writes out what rpc queues in rpc.out.  rpc turns calls into lines and
 * lines into callbacks.  No I/O, no clock.
 *
 *   rpc_start      a new connection: queues the client's hello
 *   rpc_call       queues a request; its callback runs with the reply
 *   rpc_feed       bytes in: hello, replies and events become callbacks
 *   rpc_reset      the connection is gone: every waiting call fails
 */
#ifndef GPUQ_RPC_H
#define GPUQ_RPC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/base/buf.h"
#include "remote/frame.h"

#define RPC_MAX_LINE (64 * 1024 * 1024) /* a snapshot page can be big */
#define RPC_MAX_OUT  (64 * 1024 * 1024) /* queued, not yet written */
#define RPC_MAX_BAD  16                 /* bad lines before giving up */

/*
 * A reply: code 0 with result (borrowed for the call), or a GQ_E* code
 * with the daemon's message (or why the connection failed).
 */
struct rpc_reply_cb {
	void (*fn)(void *arg, int64_t tag, int code, json_t *result,
	    const char *message);
	void *arg;
	int64_t tag;
};

struct rpc_cbs {
	/* The daemon's hello body (borrowed). */
	void (*hello)(void *arg, json_t *body);
	/* An event (data borrowed). */
	void (*event)(void *arg, const char *name, int64_t seq, json_t *data);
	/* A line that could not be used, described for the event list. */
	void (*trouble)(void *arg, const char *what);
};

struct rpc_pending {
	int64_t id;
	char verb[64];
	struct rpc_reply_cb cb;
};

struct rpc {
	struct frame_reader fr;
	struct buf out; /* lines to write */
	int64_t next_id;
	struct rpc_pending *pend; /* in id order: replies come in order */
	size_t npend, cap;
	json_t *hello; /* the daemon's hello body, or NULL */
	int nbad;
	const struct rpc_cbs *cbs;
	void *arg;
	uint64_t bytes_in, bytes_out;
};

void rpc_init(struct rpc *r, const struct rpc_cbs *cbs, void *arg);
/* Frees everything; pending calls are dropped without their callbacks. */
void rpc_done(struct rpc *r);

/* A new connection: clears the reader and queues the client's hello. */
void rpc_start(struct rpc *r, const char *software);

/*
 * Queues a request (steals params, may be NULL) and returns its id.  The
 * callback runs once: with the reply, or from rpc_reset.
 */
int64_t rpc_call(struct rpc *r, const char *verb, json_t *params,
    const struct rpc_reply_cb *cb);

/*
 * Takes bytes from the daemon.  Returns 0, or GQ_EPROTO when the peer is
 * not speaking the protocol (its first line is no hello, a line is over
 * RPC_MAX_LINE, or too many lines are garbage): drop the connection.
 */
int rpc_feed(struct rpc *r, const char *p, size_t n);

/* The connection is gone: fails every waiting call with code and why. */
void rpc_reset(struct rpc *r, int code, const char *why);

/* Whether the daemon's hello lists verb. */
int rpc_has_verb(const struct rpc *r, const char *verb);

/* Calls waiting for a reply. */
size_t rpc_pending_count(const struct rpc *r);

#endif
