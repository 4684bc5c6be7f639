/*
 * A blocking protocol client for scripts and the CLI: connect, say hello,
 * call verbs, read events.  The TUI uses the same codec on its own loop.
 */
#ifndef GPUQ_CLIENT_H
#define GPUQ_CLIENT_H

#include <jansson.h>

#define CLIENT_KEY_LEN 32

struct client;

/*
 * Connects to the daemon's Unix socket at path and exchanges hellos.
 * Returns 0, or GQ_ECONN / GQ_EPROTO with a reason in *cause (new).
 */
int client_open_unix(const char *path, struct client **out, char **cause);
/*
 * Runs argv (for example {"ssh", "host", "gpuqd", "bridge", NULL}) and
 * speaks the protocol over its standard input and output.
 */
int client_open_cmd(char *const argv[], struct client **out, char **cause);
/*
 * A byte stream that blocks, for transports that are not a file
 * descriptor (the libssh2 transport run by remote/transport-sync.c).
 */
struct client_io {
	/* Sends n bytes (it may keep them queued).  0 or GQ_ECONN. */
	int (*send)(void *arg, const char *p, size_t n);
	/* Waits up to timeout_ms (-1: forever) for bytes: returns how many
	 * it put in buf, 0 on timeout, GQ_ECONN when the stream ended. */
	long (*recv)(void *arg, char *buf, size_t n, int timeout_ms);
	/* Why the stream ended (borrowed), or NULL. */
	const char *(*error)(void *arg);
	/* Ends the stream and frees arg. */
	void (*close)(void *arg);
};

/*
 * Speaks the protocol over io (arg is its state; the client owns it from
 * now on, even when this fails).
 */
int client_open_io(const struct client_io *io, void *arg, struct client **out,
    char **cause);
void client_free(struct client *c);

/* The daemon's hello body ({"proto":1,"version":...}); borrowed. */
const json_t *client_hello(const struct client *c);

/*
 * Sends a request (steals params) and waits for its reply.  On success
 * returns 0 and *result (new).  A refusal returns its GQ_E* code with the
 * daemon's message in *cause (new); a broken connection GQ_ECONN.  Events
 * that arrive meanwhile are kept for client_next_event.
 */
int client_call(struct client *c, const char *verb, json_t *params,
    json_t **result, char **cause);
/*
 * Waits up to timeout_ms (-1: forever) for an event.  Returns 1 and *ev
 * (new: the whole event object), 0 on timeout, GQ_ECONN when the
 * connection closed.
 */
int client_next_event(struct client *c, int timeout_ms, json_t **ev);

/* Writes a fresh random idempotency key (CLIENT_KEY_LEN hex + NUL). */
void client_new_key(char out[CLIENT_KEY_LEN + 1]);

#endif
