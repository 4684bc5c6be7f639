/*
 * The host key check, before any secret leaves: the server's key against
 * the user's known_hosts files (ssh-knownhosts.c does the reading).  A
 * match goes on; a changed key stops loudly with both fingerprints; a
 * revoked key stops; an unknown key is asked about once (or accepted
 * with --accept-new-host-key / StrictHostKeyChecking accept-new) and then
 * appended as one line.  The files are otherwise never written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-int.h"
#include "remote/ssh-knownhosts.h"
#include "remote/ssh-resolve.h"

/* The file of known_text[i]. */
static const char *
ssh_hostkey_file(const struct ssh_hop *h, size_t i)
{
	return i < h->cfg.nknown ? h->cfg.known[i] :
	                           h->cfg.global_known[i - h->cfg.nknown];
}

static size_t
ssh_hostkey_nfiles(const struct ssh_hop *h)
{
	return h->cfg.nknown + h->cfg.nglobal_known;
}

/* Whether the host key algorithm alg presents a key of one of types. */
static int
ssh_hostkey_alg_known(const char *alg, const char *types)
{
	char t[256], *save = NULL, *w;

	snprintf(t, sizeof(t), "%s", types);
	for (w = strtok_r(t, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save)) {
		if (strcmp(alg, w) == 0)
			return 1;
		if (strcmp(w, "ssh-rsa") == 0 &&
		    strncmp(alg, "rsa-sha2-", 9) == 0)
			return 1;
	}
	return 0;
}

/*
 * Asks the server for a key type we know, when we know one: the known
 * algorithms first, then every other (the list is exclusive, libgit2 PR
 * #6938).  Only types from entries that match this host count, hashed
 * ones included (curl/curl PR #22874).
 */
static void
ssh_hostkey_pin(struct ssh_hop *h, const char *types)
{
	const char **algs = NULL;
	struct buf b;
	int n, i, pass;

	n = libssh2_session_supported_algs(h->s, LIBSSH2_METHOD_HOSTKEY, &algs);
	if (n <= 0)
		return;
	buf_init(&b, 4096);
	for (pass = 1; pass >= 0; pass--)
		for (i = 0; i < n; i++)
			if (ssh_hostkey_alg_known(algs[i], types) == pass)
				buf_printf(&b, "%s%s", b.len ? "," : "",
				    algs[i]);
	if (b.len > 0)
		libssh2_session_method_pref(h->s, LIBSSH2_METHOD_HOSTKEY,
		    b.data);
	buf_done(&b);
	libssh2_free(h->s, algs);
}

void
ssh_hostkey_prepare(struct ssh_hop *h)
{
	struct knownhosts_check ck;
	size_t i;

	memset(&ck, 0, sizeof(ck));
	for (i = 0; i < ssh_hostkey_nfiles(h); i++) {
		if (ssh_resolve_read_file(ssh_hostkey_file(h, i),
		        KNOWNHOSTS_MAX_TEXT, &h->known_text[i],
		        &h->known_len[i]) != 0)
			continue;
		knownhosts_check(h->known_text[i], h->known_len[i], h->name,
		    NULL, 0, &ck);
	}
	if (ck.types[0] != '\0')
		ssh_hostkey_pin(h, ck.types);
}

static int
ssh_hostkey_mkdir(const char *file)
{
	char *dir = xstrdup(file), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			rc = GQ_EIO;
	}
	free(dir);
	return rc;
}

/* Whether the file's last byte is not a newline (a line must start). */
static int
ssh_hostkey_needs_nl(int fd)
{
	struct stat st;
	char c = '\n';

	if (fstat(fd, &st) < 0 || st.st_size == 0)
		return 0;
	if (pread(fd, &c, 1, st.st_size - 1) != 1)
		return 0;
	return c != '\n';
}

/* Appends the key's line to the first UserKnownHostsFile. */
static int
ssh_hostkey_append(struct ssh_hop *h, const unsigned char *key, size_t len)
{
	const char *file = h->cfg.known[0];
	unsigned char salt[20];
	struct buf line;
	ssize_t n;
	int fd, rc;

	buf_init(&line, 64 * 1024);
	if (h->cfg.hash_known_hosts &&
	    getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt))
		return ssh_hop_fail(h, GQ_EIO, "no random bytes for a salt");
	if (ssh_hostkey_mkdir(file) != 0 ||
	    (fd = open(file, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) <
	        0)
		return ssh_hop_fail(h, GQ_EIO,
		    "cannot add the host key to %s: %s", file, strerror(errno));
	if (ssh_hostkey_needs_nl(fd))
		buf_addstr(&line, "\n");
	rc = knownhosts_line(&line, h->name, key, len,
	    h->cfg.hash_known_hosts ? salt : NULL);
	n = rc == 0 ? write(fd, line.data, line.len) : -1;
	if (close(fd) < 0 || n != (ssize_t)line.len)
		rc = GQ_EIO;
	buf_done(&line);
	if (rc != 0)
		return ssh_hop_fail(h, GQ_EIO, "cannot add the host key to %s",
		    file);
	ssh_conn_note(h->conn, "ssh: added the host key of %s to %s", h->name,
	    file);
	ssh_hop_set(h, SSH_HOP_AUTH_LIST);
	return SSH_NEXT;
}

static char *
ssh_hostkey_fp(const unsigned char *key, size_t len)
{
	char type[KNOWNHOSTS_MAX_TYPE] = "?";
	struct buf b;

	buf_init(&b, 1024);
	knownhosts_blob_type(key, len, type, sizeof(type));
	buf_printf(&b, "%s ", type);
	knownhosts_fingerprint(&b, key, len);
	return buf_take(&b);
}

static int
ssh_hostkey_changed(struct ssh_hop *h, const struct knownhosts_check *ck,
    const unsigned char *key, size_t len)
{
	char *known = ssh_hostkey_fp(ck->known, ck->knownlen);
	char *offered = ssh_hostkey_fp(key, len);

	ssh_hop_fail(h, GQ_EPERM,
	    "WARNING: THE HOST KEY OF %s HAS CHANGED.\n"
	    "  known:   %s (%s line %d)\n"
	    "  offered: %s\n"
	    "Someone may be intercepting the connection, or the host was "
	    "reinstalled.\n"
	    "gpuq did not connect. If the change is expected, remove the old "
	    "key\n(ssh-keygen -R '%s' -f %s) and connect again.",
	    h->name, known, ck->mismatch_file, ck->mismatch_line, offered,
	    h->name, ck->mismatch_file);
	free(known);
	free(offered);
	return SSH_FAILED;
}

static int
ssh_hostkey_refuse_unknown(struct ssh_hop *h, const char *fp, const char *why)
{
	return ssh_hop_fail(h, GQ_EPERM,
	    "the host key of %s is not known (%s): %s. Check the fingerprint "
	    "with the cluster's admins, then run again with "
	    "--accept-new-host-key (or connect once with `ssh %s`)",
	    h->name, fp, why, h->alias);
}

/* The answer to "accept this key?" has come. */
static int
ssh_hostkey_answered(struct ssh_hop *h, const unsigned char *key, size_t len)
{
	char *a = ssh_conn_take_answer(h->conn), *fp;
	int yes = a != NULL && strcmp(a, "yes") == 0;

	free(a);
	h->asked = 0;
	if (yes)
		return ssh_hostkey_append(h, key, len);
	fp = ssh_hostkey_fp(key, len);
	ssh_hostkey_refuse_unknown(h, fp, "not accepted");
	free(fp);
	return SSH_FAILED;
}

static int
ssh_hostkey_unknown(struct ssh_hop *h, const unsigned char *key, size_t len,
    const struct knownhosts_check *ck)
{
	struct ssh_conn *c = h->conn;
	char *fp = ssh_hostkey_fp(key, len), *q;
	int rc;

	if (c->o.accept_new || h->cfg.strict == SSH_STRICT_ACCEPT_NEW ||
	    h->cfg.strict == SSH_STRICT_NO) {
		free(fp);
		return ssh_hostkey_append(h, key, len);
	}
	if (h->cfg.strict == SSH_STRICT_YES || c->o.batch ||
	    c->o.no_hostkey_ask || c->t.cbs->ask == NULL) {
		ssh_hostkey_refuse_unknown(h, fp,
		    h->cfg.strict == SSH_STRICT_YES ?
		        "StrictHostKeyChecking is yes" :
		        "gpuq does not add host keys without being told");
		free(fp);
		return SSH_FAILED;
	}
	q = xasprintf("The authenticity of host %s can't be established.\n"
	              "Its key fingerprint is %s.%s\n"
	              "Accept it and add it to %s?",
	    h->name, fp,
	    ck->types[0] ? "\nKeys of other types are known for this host." :
	                   "",
	    h->cfg.known[0]);
	free(fp);
	h->asked = 1;
	rc = ssh_conn_ask(h, TRANSPORT_ASK_HOSTKEY, "Unknown host key", q);
	free(q);
	return rc ? ssh_hostkey_answered(h, key, len) : SSH_WAIT;
}

static int
ssh_hostkey_revoked(struct ssh_hop *h, const struct knownhosts_check *ck,
    const unsigned char *key, size_t len)
{
	char *fp = ssh_hostkey_fp(key, len);

	ssh_hop_fail(h, GQ_EPERM,
	    "the host key of %s (%s) is REVOKED (%s line %d): gpuq did not "
	    "connect",
	    h->name, fp, ck->revoked_file, ck->revoked_line);
	free(fp);
	return SSH_FAILED;
}

int
ssh_hostkey_state(struct ssh_hop *h)
{
	struct knownhosts_check *ck;
	const unsigned char *key;
	size_t len = 0, i;
	int type, rc;

	key = (const unsigned char *)libssh2_session_hostkey(h->s, &len, &type);
	if (key == NULL || len == 0)
		return ssh_hop_fail(h, GQ_ECONN, "%s sent no host key",
		    h->label);
	if (h->asked)
		return ssh_hostkey_answered(h, key, len);
	ck = xcalloc(1, sizeof(*ck)); /* 8 KiB: not on the stack */
	for (i = 0; i < ssh_hostkey_nfiles(h); i++) {
		if (h->known_text[i] == NULL)
			continue;
		ck->file = ssh_hostkey_file(h, i);
		knownhosts_check(h->known_text[i], h->known_len[i], h->name,
		    key, len, ck);
	}
	switch (knownhosts_result(ck)) {
	case KNOWNHOSTS_MATCH:
		ssh_hop_set(h, SSH_HOP_AUTH_LIST);
		rc = SSH_NEXT;
		break;
	case KNOWNHOSTS_REVOKED:
		rc = ssh_hostkey_revoked(h, ck, key, len);
		break;
	case KNOWNHOSTS_MISMATCH:
		rc = ssh_hostkey_changed(h, ck, key, len);
		break;
	default:
		rc = ssh_hostkey_unknown(h, key, len, ck);
		break;
	}
	free(ck);
	return rc;
}
