/*
 * Transports: how gpuq's bytes reach gpuqd on an event loop.  One
 * interface (struct transport_ops), one file per way of getting there:
 *
 *   transport-unix.c   the daemon's Unix socket (uv_pipe)
 *   transport-cmd.c    a command's stdin/stdout, e.g. the system ssh
 *                      running `gpuqd bridge` on the cluster (uv_spawn)
 *   transport-ssh.c    libssh2 sessions on the loop (transport-ssh.h)
 *
 * A transport only moves bytes: the protocol is remote/rpc.c.
 *
 * Lifetime: transport_*_new makes it; transport_open starts connecting;
 * the callbacks report up (bytes may flow), read (bytes arrived) and down
 * (it failed or closed: no more callbacks); transport_close closes it and
 * frees it once libuv has closed its handles.  After transport_close the
 * owner forgets the pointer.
 */
#ifndef GPUQ_TRANSPORT_H
#define GPUQ_TRANSPORT_H

#include <stddef.h>

#include <uv.h>

#define TRANSPORT_MAX_QUEUED (64 * 1024 * 1024) /* unwritten bytes */

struct transport;

/* A question for the user while connecting (the ssh transport). */
enum transport_ask_kind {
	TRANSPORT_ASK_HOSTKEY, /* an unknown host key: "yes" accepts it */
	TRANSPORT_ASK_SECRET,  /* a passphrase or one-time code: no echo */
	TRANSPORT_ASK_TEXT     /* a prompt whose answer may be shown */
};

struct transport_ask {
	enum transport_ask_kind kind;
	const char *title; /* "Unknown host key", "Passphrase" */
	const char *text;  /* the question, possibly several lines */
};

struct transport_cbs {
	void (*up)(void *arg);
	void (*read)(void *arg, const char *p, size_t n);
	/* code is GQ_ECONN (refused, lost) or another GQ_E*; why is human.
	 * GQ_EPERM: refused for a reason that retrying does not fix (host
	 * key, authentication). */
	void (*down)(void *arg, int code, const char *why);
	/* Optional: a question (borrowed for the call); answer with
	 * transport_answer, now or later.  NULL: questions are refused. */
	void (*ask)(void *arg, const struct transport_ask *q);
	/* Optional: a progress or warning line ("ssh: agent has 2 keys"). */
	void (*note)(void *arg, const char *text);
};

struct transport_ops {
	const char *name; /* "unix", "cmd", "ssh" */
	int (*open)(struct transport *t);
	/* Queues bytes (copied).  Returns 0 or a GQ_E* code. */
	int (*write)(struct transport *t, const char *p, size_t n);
	/* Closes the handles; frees t when the last one has closed. */
	void (*close)(struct transport *t);
	/* Optional: the answer to the question last asked (NULL: refused). */
	void (*answer)(struct transport *t, const char *answer);
};

struct transport {
	const struct transport_ops *ops;
	uv_loop_t *loop;
	const struct transport_cbs *cbs;
	void *arg;
	char *desc; /* "/run/gpuq/gpuqd.sock", "ssh gpu01": for messages */
	int closing;
	int is_down; /* down was reported */
};

/* A transport to the Unix socket at path.  Returns new. */
struct transport *transport_unix_new(uv_loop_t *loop, const char *path,
    const struct transport_cbs *cbs, void *arg);
/*
 * A transport over the standard input and output of argv (argv[0] looked
 * up in PATH).  Its standard error is kept: its last line explains a
 * failure.  Returns new.
 */
struct transport *transport_cmd_new(uv_loop_t *loop, char *const argv[],
    const struct transport_cbs *cbs, void *arg);

int transport_open(struct transport *t);
/* Answers the transport's question (answer NULL refuses it). */
void transport_answer(struct transport *t, const char *answer);
int transport_write(struct transport *t, const char *p, size_t n);
void transport_close(struct transport *t);

/* For implementations: reports down once. */
void transport_down(struct transport *t, int code, const char *why);

#endif
