/*
 * Resolving what the user typed (`cluster`, `alice@login1:2222`) into
 * the options to connect with, as ssh(1) would: `ssh -G` when OpenSSH is
 * installed (it evaluates Host, Match, Include and every default exactly
 * as ssh does, without connecting), else gpuq's own parser
 * (ssh-config.c) over ~/.ssh/config and /etc/ssh/ssh_config.
 *
 * Blocking and bounded: `ssh -G` never touches the network and is given
 * SSH_RESOLVE_TIMEOUT_MS.  No libuv, no libssh2.
 */
#ifndef GPUQ_SSH_RESOLVE_H
#define GPUQ_SSH_RESOLVE_H

#include "core/base/buf.h"
#include "remote/ssh-config.h"

#define SSH_RESOLVE_TIMEOUT_MS 5000

enum ssh_resolve_how {
	SSH_RESOLVE_AUTO,    /* ssh -G when found, else the parser */
	SSH_RESOLVE_OPENSSH, /* ssh -G only */
	SSH_RESOLVE_BUILTIN  /* the parser only */
};

struct ssh_resolve_opts {
	const char *config_file; /* like ssh -F; NULL for the usual files */
	enum ssh_resolve_how how;
};

/*
 * Resolves target ("[user@]host[:port]"; user and port given here win
 * over the config) into c (initialized here; ssh_config_done frees it).
 * Warnings go to warn (may be NULL).  Returns 0, or a GQ_E* code with
 * *cause (new).
 */
int ssh_resolve(const char *target, const struct ssh_resolve_opts *o,
    struct ssh_config *c, struct buf *warn, char **cause);

/* "auto", "openssh", "builtin" from $GPUQ_SSH_RESOLVE. */
enum ssh_resolve_how ssh_resolve_how_env(void);

/*
 * Reads a whole file of at most max bytes into *text (new,
 * NUL-terminated).  Returns 0, GQ_ENOENT, GQ_ETOOBIG or GQ_EIO.
 */
int ssh_resolve_read_file(const char *path, size_t max, char **text,
    size_t *len);

/* The user's home directory: $HOME, else the password entry's. */
const char *ssh_resolve_home(void);

#endif
