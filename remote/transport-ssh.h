/*
 * The libssh2 transport: gpuq's own SSH client on the libuv loop, so
 * `gpuq -H cluster` needs no ssh binary and the TUI never blocks on the
 * network.  One non-blocking state machine per hop, one function per
 * state (curl's lib/vssh/libssh2.c is the model):
 *
 *   resolve (ssh-resolve.c) -> DNS -> connect -> handshake -> host key
 *   -> userauth list -> agent -> key files -> keyboard-interactive
 *   -> (ProxyJump: direct-tcpip to the next hop, pumped through a
 *      socketpair that the next hop's session runs over)
 *   -> exec `gpuqd bridge` (or, with libssh2 1.11, the Unix-socket
 *      forward) -> bytes both ways
 *
 * docs/ssh.md describes the behaviour; SSH.md (the design page) the
 * pitfalls each step avoids.
 */
#ifndef GPUQ_TRANSPORT_SSH_H
#define GPUQ_TRANSPORT_SSH_H

#include "remote/ssh-resolve.h"
#include "remote/transport.h"

#define SSH_DEFAULT_COMMAND "gpuqd bridge"
#define SSH_MAX_HOPS        8     /* ProxyJump hops plus the target */
#define SSH_STEP_MS         20000 /* one step of the handshake or auth */

struct transport_ssh_opts {
	const char *target;       /* [user@]host[:port] or a config alias */
	const char *command;      /* run on the far side; NULL: the default */
	const char *socket;       /* -S: the daemon's socket there, or NULL */
	const char *config;       /* like ssh -F, or NULL */
	enum ssh_resolve_how how; /* ssh -G or the builtin parser */
	int accept_new;     /* append an unknown host key without asking */
	int batch;          /* never ask */
	int no_hostkey_ask; /* refuse unknown host keys without asking
	                           (the CLI: only --accept-new-host-key) */
	int ask_now;        /* cbs->ask answers before it returns (a
	                           tty): keyboard-interactive prompts are
	                           then answered in the same round */
	int verbose;        /* describe each step through cbs->note */
	/* A terminal on the far side for the command (gpuq attach): its
	 * TERM, or NULL for none; its size in characters (0: unknown). */
	const char *pty_term;
	int pty_cols, pty_rows;
};

/*
 * A transport to gpuqd through SSH.  Strings in o are copied.  Questions
 * for the user (unknown host key, passphrase, one-time code) go to
 * cbs->ask when it is set and o->batch is 0; the answer comes back with
 * transport_answer.  Returns new.
 */
struct transport *transport_ssh_new(uv_loop_t *loop,
    const struct transport_ssh_opts *o, const struct transport_cbs *cbs,
    void *arg);

/*
 * The command line run on the far side for command (NULL: "gpuqd
 * bridge") and socket (NULL, or appended as -S, quoted for the remote
 * shell).  Returns new.
 */
char *transport_ssh_command(const char *command, const char *socket);

/*
 * The remote command's exit status once the transport t (from
 * transport_ssh_new) is down because the command ended, else -1.
 */
int transport_ssh_exit_status(const struct transport *t);
/* A new size for the far side's terminal (pty_term), sent when it can. */
void transport_ssh_resize(struct transport *t, int cols, int rows);

/*
 * The system OpenSSH instead of libssh2 (--ssh-command): the argv that
 * runs line (from transport_ssh_command) on target.  ssh_command is the
 * program and its options, split at blanks ("ssh", "ssh -F cfg").
 * Returns new (free with transport_ssh_argv_free), or NULL when target
 * is not [user@]host[:port].
 */
char **transport_ssh_argv(const char *ssh_command, const char *target,
    const char *line);
void transport_ssh_argv_free(char **argv);

#endif
