/*
 * What to connect to: the ssh_config(5) options the libssh2 transport
 * uses, with OpenSSH's semantics (the first value obtained wins, except
 * IdentityFile, which accumulates).
 *
 * The parser is pure: it reads text, never a file.  It takes two kinds
 * of text: a config file (Host and Match blocks, Include, handled through
 * env->include so that the caller does the file reading), and the output
 * of `ssh -G host`, where OpenSSH has already evaluated all of that.
 * Problems (a bad value, a keyword gpuq cannot honour) are described in
 * env->warn as "FILE:LINE: what\n"; nothing stops the parse.
 *
 * ssh-resolve.c reads the files and runs `ssh -G`.
 */
#ifndef GPUQ_SSH_CONFIG_H
#define GPUQ_SSH_CONFIG_H

#include <stddef.h>

#include "core/base/buf.h"

#define SSH_CONFIG_MAX_TEXT  (1024 * 1024) /* one file */
#define SSH_CONFIG_MAX_IDS   32            /* IdentityFile entries */
#define SSH_CONFIG_MAX_FILES 8             /* known hosts files */
#define SSH_CONFIG_MAX_DEPTH 16            /* Include nesting, as OpenSSH */
#define SSH_CONFIG_MAX_VALUE 4096          /* one value */

enum ssh_config_af { SSH_AF_ANY, SSH_AF_INET, SSH_AF_INET6 };

enum ssh_config_strict {
	SSH_STRICT_NO,
	SSH_STRICT_YES,
	SSH_STRICT_ASK,
	SSH_STRICT_ACCEPT_NEW
};

/* Strings are owned (NULL: not set); integers are -1 when not set. */
struct ssh_config {
	char *hostname;
	char *user;
	int port;
	char *ids[SSH_CONFIG_MAX_IDS]; /* IdentityFile, in order */
	size_t nids;
	int identities_only;
	char *identity_agent;
	char *known[SSH_CONFIG_MAX_FILES]; /* UserKnownHostsFile */
	size_t nknown;
	char *global_known[SSH_CONFIG_MAX_FILES];
	size_t nglobal_known;
	char *proxy_jump;    /* "none" counts as set */
	char *proxy_command; /* the rest of the line, unsplit */
	int connect_timeout; /* seconds; 0 for "none" */
	int alive_interval;  /* ServerAliveInterval */
	int alive_count_max; /* ServerAliveCountMax */
	int address_family;  /* enum ssh_config_af */
	int hash_known_hosts;
	int strict;     /* enum ssh_config_strict */
	int batch_mode; /* BatchMode */
	int kbd_interactive;
	char *host_key_algorithms;
};

/* The context of one resolution. */
struct ssh_config_env {
	const char *host;       /* the name the user gave (Host, %n) */
	const char *local_user; /* Match localuser, %u */
	const char *home;       /* ~ in Include */
	int g_output;           /* the text is `ssh -G` output */
	/*
	 * Include: the caller finds the files pattern names (~ expanded,
	 * relative to ~/.ssh), in lexical order, and feeds each with
	 * ssh_config_feed(c, env, name, text, len, depth, never).  NULL:
	 * Include lines are warned about and skipped.
	 */
	void (*include)(void *arg, struct ssh_config *c,
	    const struct ssh_config_env *env, const char *pattern, int depth,
	    int never);
	void *arg;
	struct buf *warn; /* may be NULL */
};

/* Values that %-tokens and ~ stand for (ssh_config(5) TOKENS). */
struct ssh_config_tokens {
	const char *home;       /* ~ and %d */
	const char *local_user; /* %u */
	const char *local_host; /* %l */
	const char *alias;      /* %n */
	long uid;               /* %i */
};

void ssh_config_init(struct ssh_config *c);
void ssh_config_done(struct ssh_config *c);

/*
 * Applies the lines of text (len bytes, named name in warnings) to c.
 * depth counts Include levels (0 for a top file); never makes every
 * block inactive (an Include inside a block that did not match).
 */
void ssh_config_feed(struct ssh_config *c, const struct ssh_config_env *env,
    const char *name, const char *text, size_t len, int depth, int never);

/*
 * Fills what is still unset with OpenSSH's defaults (port 22, the local
 * user, the default identity and known hosts files, ConnectTimeout 10 s)
 * and expands tokens and ~ in paths.
 */
void ssh_config_finish(struct ssh_config *c, const struct ssh_config_tokens *t);

/*
 * Expands %-tokens and a leading ~ of s into out, for c (after its
 * hostname, user and port are known).  Returns 0, or GQ_EINVAL for an
 * unknown token.
 */
int ssh_config_expand(struct buf *out, const char *s,
    const struct ssh_config *c, const struct ssh_config_tokens *t);

/*
 * Splits a ProxyJump list entry "[user@]host[:port]" (or an
 * ssh://[user@]host[:port] URI) into its parts (each NULL or new, *port
 * 0 when absent).  Also parses gpuq's -H argument.  Returns 0 or
 * GQ_EINVAL.
 */
int ssh_config_target(const char *s, char **user, char **host, int *port);

#endif
