/*
 * What a private key file is, read before libssh2 is asked to use it:
 * its key type (an RSA key cannot sign for OpenSSH 8.8+ through libssh2
 * older than 1.11) and whether it needs a passphrase, so that gpuq asks
 * for one only when it is needed.  Pure.
 */
#ifndef GPUQ_SSH_KEYFILE_H
#define GPUQ_SSH_KEYFILE_H

#include <stddef.h>

#define SSH_KEYFILE_MAX_TEXT (1024 * 1024)

enum ssh_keyfile_format {
	SSH_KEYFILE_OPENSSH, /* -----BEGIN OPENSSH PRIVATE KEY----- */
	SSH_KEYFILE_PEM,     /* -----BEGIN RSA/EC/DSA PRIVATE KEY----- */
	SSH_KEYFILE_PKCS8    /* -----BEGIN [ENCRYPTED] PRIVATE KEY----- */
};

struct ssh_keyfile_info {
	enum ssh_keyfile_format format;
	char type[64]; /* "ssh-ed25519", "ssh-rsa", ...; "" when unknown */
	int encrypted;
};

/* Reads a private key file's text.  Returns 0, or GQ_EINVAL. */
int ssh_keyfile_info(const char *text, size_t len, struct ssh_keyfile_info *ki);

/*
 * The key type of a public key line ("ssh-ed25519 AAAA... comment"),
 * into type (n bytes).  Returns 0 or GQ_EINVAL.
 */
int ssh_keyfile_pub_type(const char *text, size_t len, char *type, size_t n);

/* Whether a key type is RSA ("ssh-rsa", and its certificate). */
int ssh_keyfile_is_rsa(const char *type);

#endif
