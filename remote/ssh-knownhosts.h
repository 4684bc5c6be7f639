/*
 * known_hosts(5), read line by line with gpuq's own parser (not
 * libssh2_knownhost_readfile, which stops at the first line it cannot
 * parse and knows no markers).  Host fields may be plain patterns
 * (`host`, `[host]:port`, `*.lab`, `!bad`) or hashed (`|1|salt|hash`);
 * `@revoked` lines reject a key, `@cert-authority` lines are skipped
 * (gpuq does not verify host certificates).  A key is compared as the
 * whole public key blob, so its type is always part of the comparison
 * (libssh2/libssh2#42).
 *
 * Pure: text in, verdicts and lines out.  ssh-hostkey.c reads and
 * appends the files.
 */
#ifndef GPUQ_SSH_KNOWNHOSTS_H
#define GPUQ_SSH_KNOWNHOSTS_H

#include <stddef.h>

#include "core/base/buf.h"

#define KNOWNHOSTS_MAX_TEXT (16 * 1024 * 1024) /* one file */
#define KNOWNHOSTS_MAX_LINE (64 * 1024)
#define KNOWNHOSTS_MAX_BLOB 8192 /* an RSA-16384 key is about 2 KiB */
#define KNOWNHOSTS_MAX_TYPE 64
#define KNOWNHOSTS_MAX_NAME 1100 /* "[" host "]:" port */

enum knownhosts_marker {
	KNOWNHOSTS_MARK_NONE,
	KNOWNHOSTS_MARK_REVOKED,
	KNOWNHOSTS_MARK_CA
};

/* One parsed line; hosts points into the line given. */
struct knownhosts_entry {
	enum knownhosts_marker marker;
	const char *hosts;
	size_t hostslen;
	char type[KNOWNHOSTS_MAX_TYPE];
	unsigned char blob[KNOWNHOSTS_MAX_BLOB];
	size_t bloblen;
};

enum knownhosts_result {
	KNOWNHOSTS_NOTFOUND,
	KNOWNHOSTS_MATCH,
	KNOWNHOSTS_MISMATCH,
	KNOWNHOSTS_REVOKED
};

/*
 * What the lines said about one host and key, accumulated over every
 * file checked (zero it first; knownhosts_result gives the verdict).
 */
struct knownhosts_check {
	const char *file; /* the file being checked, for *_file below */
	int match_line, mismatch_line, revoked_line;
	const char *match_file, *mismatch_file, *revoked_file;
	/* The key on file for a mismatch. */
	unsigned char known[KNOWNHOSTS_MAX_BLOB];
	size_t knownlen;
	/* Key types on file for the host, space-separated, for pinning. */
	char types[256];
	int bad_lines; /* lines that could not be parsed (skipped) */
	int ca_lines;  /* @cert-authority lines that matched (skipped) */
};

/* "host" for port 22, else "[host]:port": the name known_hosts uses. */
void knownhosts_name(char *out, size_t n, const char *host, int port);

/*
 * Parses a line (len bytes, no newline).  Returns 1 with *e filled, 0
 * for a blank or comment line, GQ_EINVAL for a malformed one.
 */
int knownhosts_parse_line(const char *line, size_t len,
    struct knownhosts_entry *e);

/*
 * Whether the entry's host field names name (from knownhosts_name).
 * Returns 1, 0, or -1 when a negated pattern matches.
 */
int knownhosts_host_match(const struct knownhosts_entry *e, const char *name);

/* Checks key (the server's public key blob) against each line of text. */
void knownhosts_check(const char *text, size_t len, const char *name,
    const unsigned char *key, size_t keylen, struct knownhosts_check *ck);

enum knownhosts_result knownhosts_result(const struct knownhosts_check *ck);

/* The key type a blob starts with, into type (n bytes).  0 or GQ_EINVAL. */
int knownhosts_blob_type(const unsigned char *blob, size_t len, char *type,
    size_t n);

/* Appends "SHA256:<base64>" for a key blob. */
int knownhosts_fingerprint(struct buf *out, const unsigned char *blob,
    size_t len);

/*
 * Appends the known_hosts line for name and key, newline included:
 * plain, or hashed with salt (20 bytes) when salt is not NULL.
 */
int knownhosts_line(struct buf *out, const char *name, const unsigned char *key,
    size_t keylen, const unsigned char *salt);

#endif
