/*
 * Inside the libssh2 transport (transport-ssh.c and the ssh-*.c files
 * that hold its states).  Not for other users.
 *
 * A connection (struct ssh_conn) is a chain of hops: the ProxyJump hosts
 * in order, then the target.  Each hop is one libssh2 session over one
 * file descriptor: a TCP socket for the first, one end of a socketpair
 * for the others, whose other end the previous hop pumps into its
 * direct-tcpip channel.  The last hop's channel carries the protocol.
 *
 * Each state is one function (SSH_HOP_* -> ssh_*_state_*), returning
 * what the driver (ssh-hop.c) does next.  libssh2 runs non-blocking; a
 * call that returns LIBSSH2_ERROR_EAGAIN is called again, with the same
 * arguments, when the socket is ready in the direction libssh2 says.
 */
#ifndef GPUQ_SSH_INT_H
#define GPUQ_SSH_INT_H

#include <stdint.h>

#include <libssh2.h>
#include <uv.h>

#include "core/base/buf.h"
#include "remote/ssh-config.h"
#include "remote/transport-ssh.h"

#if LIBSSH2_VERSION_NUM >= 0x010b00
#define SSH_HAVE_RSA_SHA2    1 /* libssh2/libssh2#536, #626 */
#define SSH_HAVE_STREAMLOCAL 1 /* libssh2/libssh2#945 */
#else
#define SSH_HAVE_RSA_SHA2    0
#define SSH_HAVE_STREAMLOCAL 0
#endif

#define SSH_PIPE_BUF   (32 * 1024)
#define SSH_ERRTAIL    1024 /* bytes of the remote command's stderr kept */
#define SSH_RETRY_MS   10   /* EAGAIN with nothing to wait for */
#define SSH_MAX_KBD    8    /* prompts in one keyboard-interactive round */
#define SSH_KBD_ROUNDS 3
#define SSH_PASS_TRIES 3

/* What a state function tells the driver. */
enum ssh_step {
	SSH_NEXT,  /* the state changed: run the next one now */
	SSH_AGAIN, /* libssh2 said EAGAIN: wait for its directions */
	SSH_POLL,  /* wait for h->want on the socket */
	SSH_WAIT,  /* wait for something else (DNS, an answer, a timer) */
	SSH_FAILED /* reported: stop */
};

enum ssh_hop_state {
	SSH_HOP_IDLE,
	SSH_HOP_DNS,
	SSH_HOP_CONNECT,
	SSH_HOP_HANDSHAKE,
	SSH_HOP_HOSTKEY,
	SSH_HOP_AUTH_LIST,
	SSH_HOP_AGENT_START,
	SSH_HOP_AGENT,
	SSH_HOP_KEYS,
	SSH_HOP_KBD,
	SSH_HOP_KBD_ASK,
	SSH_HOP_OPEN,
	SSH_HOP_PTY,
	SSH_HOP_EXEC,
	SSH_HOP_LIVE,
	SSH_HOP_DEAD,
	SSH_HOP_NSTATES
};

struct ssh_conn;

/*
 * A channel and where its bytes go.  The last hop's: from conn->wq to
 * the channel, from the channel to the transport's read callback (and
 * stderr to conn->errtail).  A jump hop's: between the channel and fd,
 * one end of the socketpair the next hop runs over.
 */
struct ssh_pipe {
	LIBSSH2_CHANNEL *ch;
	int blocked; /* channel_write said EAGAIN: finish it first */
	int fd;      /* jump hops: the socketpair end, else -1 */
	uv_poll_t poll;
	int poll_init;
	int fd_eof;      /* the next hop closed its end */
	int ka_pending;  /* a keepalive is half sent */
	uint64_t eof_at; /* ms: the remote command's end of file, or 0 */
	char up[SSH_PIPE_BUF], down[SSH_PIPE_BUF];
	size_t nup, offup, ndown, offdown;
};

struct ssh_kbd {
	int rounds;
	int nprompts;
	char *prompt[SSH_MAX_KBD]; /* of the last round, to ask later */
	int echo[SSH_MAX_KBD];
	char *answer[SSH_MAX_KBD]; /* given for the next round */
	int nanswers;
	int asking;    /* index being asked (SSH_HOP_KBD_ASK) */
	int missing;   /* the callback had no answer for a prompt */
	int cancelled; /* the user refused to answer */
};

struct ssh_hop {
	struct ssh_conn *conn;
	int idx;
	struct ssh_config cfg;
	char name[1100]; /* "host" or "[host]:port", as known_hosts has it */
	char label[600]; /* "user@host:port" for messages */
	char alias[300]; /* what the user or ProxyJump named */
	enum ssh_hop_state state;
	int running, pumping, pump_again;
	int fd;
	uv_poll_t poll;
	int poll_init;
	int want; /* SSH_POLL: UV_READABLE / UV_WRITABLE */
	uv_timer_t retry, alive;
	struct addrinfo *ai, *ai_next;
	uv_getaddrinfo_t gai;
	int gai_busy;
	int connect_errno;
	int streamlocal_failed;
	LIBSSH2_SESSION *s;
	char *known_text[2 * SSH_CONFIG_MAX_FILES]; /* the known_hosts files */
	size_t known_len[2 * SSH_CONFIG_MAX_FILES];
	char *methods; /* the server's userauth methods */
	LIBSSH2_AGENT *agent;
	struct libssh2_agent_publickey *agent_id;
	int agent_keys, agent_connected, agent_trying;
	size_t key_idx;
	int key_tries, key_ready, key_encrypted;
	char *pass;
	struct ssh_kbd kbd;
	struct buf tried; /* what auth tried, for the failure message */
	int rsa_skipped, asked;
	struct ssh_pipe pipe;
	uint64_t last_rx; /* ms: when the socket last had bytes */
};

struct ssh_conn {
	struct transport t;          /* first: the ops get this back */
	struct transport_ssh_opts o; /* its strings point to own[] */
	char *own[5];
	char *command;   /* the remote command line */
	int exit_status; /* the command's, once it ended; else -1 */
	int resize;      /* a new terminal size waits to be sent */
	int cols, rows;  /* the terminal's size (pty_term) */
	struct ssh_hop *hops[SSH_MAX_HOPS];
	int nhops;
	uv_timer_t deadline;
	int deadline_init;
	int handles; /* open libuv handles and requests */
	int failed, up_pending, was_up;
	int asking;   /* a question is out */
	int answered; /* ... and this is its answer */
	char *answer;
	int in_ask;
	struct buf wq; /* bytes for the daemon not yet in the channel */
	char errtail[SSH_ERRTAIL];
	size_t nerr;
	uint64_t bytes_in, bytes_out; /* channel payload */
};

/* ssh-hop.c: the driver, connecting, the channel opens. */
void ssh_hop_run(struct ssh_hop *h);
void ssh_hop_set(struct ssh_hop *h, enum ssh_hop_state st);
void ssh_hop_arm(struct ssh_hop *h, int events);
int ssh_hop_again(struct ssh_hop *h, int rc, const char *what);
int ssh_hop_fail(struct ssh_hop *h, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ssh_hop_start_fd(struct ssh_hop *h, int fd);
void ssh_hop_stop(struct ssh_hop *h);
void ssh_hop_free(struct ssh_hop *h);
const char *ssh_hop_error(struct ssh_hop *h);
uint64_t ssh_now_ms(const struct ssh_hop *h);

/* ssh-hostkey.c */
void ssh_hostkey_prepare(struct ssh_hop *h);
int ssh_hostkey_state(struct ssh_hop *h);

/* ssh-auth.c */
int ssh_auth_state_list(struct ssh_hop *h);
int ssh_auth_state_agent_start(struct ssh_hop *h);
int ssh_auth_state_agent(struct ssh_hop *h);
int ssh_auth_state_keys(struct ssh_hop *h);
int ssh_auth_state_kbd(struct ssh_hop *h);
int ssh_auth_state_kbd_ask(struct ssh_hop *h);
void ssh_auth_done(struct ssh_hop *h);

/* ssh-pipe.c */
void ssh_pipe_init(struct ssh_pipe *p);
int ssh_pipe_start_jump(struct ssh_hop *h, int fd);
void ssh_pipe_pump(struct ssh_hop *h);
void ssh_pipe_alive_start(struct ssh_hop *h);

/* transport-ssh.c: what the hops report to the connection. */
void ssh_conn_fail(struct ssh_conn *c, int code, const char *why);
void ssh_conn_live(struct ssh_conn *c);
void ssh_conn_note(struct ssh_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Asks the user (kind, title, text).  Returns 1 when answered at once
 * (c->answer holds it, NULL for a refusal), 0 when the answer will come
 * later: the hop runs again then.
 */
int ssh_conn_ask(struct ssh_hop *h, enum transport_ask_kind kind,
    const char *title, const char *text);
/* Takes the answer (new, or NULL) and clears the question. */
char *ssh_conn_take_answer(struct ssh_conn *c);
void ssh_conn_deadline(struct ssh_conn *c, uint64_t ms);
void ssh_conn_free_maybe(struct ssh_conn *c);
void ssh_conn_stderr(struct ssh_conn *c, const char *p, size_t n);

#endif
