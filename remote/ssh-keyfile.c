#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-b64.h"
#include "remote/ssh-keyfile.h"
#include "remote/ssh-knownhosts.h"

#define SSH_KEYFILE_MAGIC "openssh-key-v1"

/* Reads an SSH string (uint32 length, bytes) at *off. */
static int
ssh_keyfile_string(const unsigned char *p, size_t len, size_t *off,
    const unsigned char **s, size_t *slen)
{
	uint32_t k;

	if (len - *off < 4)
		return GQ_EINVAL;
	k = (uint32_t)p[*off] << 24 | (uint32_t)p[*off + 1] << 16 |
	    (uint32_t)p[*off + 2] << 8 | p[*off + 3];
	*off += 4;
	if (k > len - *off)
		return GQ_EINVAL;
	*s = p + *off;
	*slen = k;
	*off += k;
	return 0;
}

/* The base64 body between the BEGIN and END lines, blanks removed. */
static char *
ssh_keyfile_body(const char *text, size_t len, size_t *blen)
{
	const char *p = memchr(text, '\n', len), *end = text + len;
	char *out = xmalloc(len + 1);
	size_t n = 0;

	for (p = p != NULL ? p + 1 : end; p < end && *p != '-'; p++)
		if (*p != '\n' && *p != '\r' && *p != ' ' && *p != '\t')
			out[n++] = *p;
	*blen = n;
	return out;
}

static int
ssh_keyfile_openssh(const char *text, size_t len, struct ssh_keyfile_info *ki)
{
	const unsigned char *s;
	unsigned char *raw;
	size_t blen, off = sizeof(SSH_KEYFILE_MAGIC), slen;
	char *body = ssh_keyfile_body(text, len, &blen);
	long n;
	int rc = GQ_EINVAL;

	raw = xmalloc(blen + 1);
	n = ssh_b64_decode(body, blen, raw, blen + 1);
	if (n < (long)off || memcmp(raw, SSH_KEYFILE_MAGIC, off) != 0)
		goto out;
	/* ciphername, kdfname, kdfoptions, number of keys, public key */
	if (ssh_keyfile_string(raw, (size_t)n, &off, &s, &slen) != 0)
		goto out;
	ki->encrypted = !(slen == 4 && memcmp(s, "none", 4) == 0);
	if (ssh_keyfile_string(raw, (size_t)n, &off, &s, &slen) != 0 ||
	    ssh_keyfile_string(raw, (size_t)n, &off, &s, &slen) != 0 ||
	    (size_t)n - off < 4)
		goto out;
	off += 4;
	if (ssh_keyfile_string(raw, (size_t)n, &off, &s, &slen) != 0)
		goto out;
	rc = knownhosts_blob_type(s, slen, ki->type, sizeof(ki->type));
out:
	free(body);
	free(raw);
	return rc;
}

static int
ssh_keyfile_has(const char *text, size_t len, const char *what)
{
	return memmem(text, len, what, strlen(what)) != NULL;
}

int
ssh_keyfile_info(const char *text, size_t len, struct ssh_keyfile_info *ki)
{
	static const struct {
		const char *begin, *type;
	} pem[] = {
		{ "-----BEGIN RSA PRIVATE KEY-----", "ssh-rsa" },
		{ "-----BEGIN DSA PRIVATE KEY-----", "ssh-dss" },
		{ "-----BEGIN EC PRIVATE KEY-----", "ecdsa" },
	};
	size_t i;

	memset(ki, 0, sizeof(*ki));
	if (len > SSH_KEYFILE_MAX_TEXT)
		return GQ_EINVAL;
	if (len > 35 &&
	    memcmp(text, "-----BEGIN OPENSSH PRIVATE KEY-----", 35) == 0) {
		ki->format = SSH_KEYFILE_OPENSSH;
		return ssh_keyfile_openssh(text, len, ki);
	}
	for (i = 0; i < sizeof(pem) / sizeof(pem[0]); i++) {
		if (len < strlen(pem[i].begin) ||
		    memcmp(text, pem[i].begin, strlen(pem[i].begin)) != 0)
			continue;
		ki->format = SSH_KEYFILE_PEM;
		strcpy(ki->type, pem[i].type);
		ki->encrypted = ssh_keyfile_has(text, len, "ENCRYPTED");
		return 0;
	}
	ki->format = SSH_KEYFILE_PKCS8;
	if (len > 37 &&
	    memcmp(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) == 0)
		ki->encrypted = 1;
	else if (len < 27 ||
	    memcmp(text, "-----BEGIN PRIVATE KEY-----", 27) != 0)
		return GQ_EINVAL;
	return 0;
}

int
ssh_keyfile_pub_type(const char *text, size_t len, char *type, size_t n)
{
	size_t k = 0;

	while (k < len && text[k] != ' ' && text[k] != '\t' && text[k] != '\n')
		k++;
	if (k == 0 || k >= n || k == len || memchr(text, '\0', k) != NULL)
		return GQ_EINVAL;
	memcpy(type, text, k);
	type[k] = '\0';
	return 0;
}

int
ssh_keyfile_is_rsa(const char *type)
{
	return strcmp(type, "ssh-rsa") == 0 ||
	    strcmp(type, "ssh-rsa-cert-v01@openssh.com") == 0;
}
