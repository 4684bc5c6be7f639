#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "core/base/error.h"
#include "core/base/xmalloc.h"
#include "remote/ssh-b64.h"
#include "remote/ssh-knownhosts.h"
#include "remote/ssh-pattern.h"

#define KNOWNHOSTS_SHA1_LEN 20

void
knownhosts_name(char *out, size_t n, const char *host, int port)
{
	if (port == 22 || port <= 0)
		snprintf(out, n, "%s", host);
	else
		snprintf(out, n, "[%s]:%d", host, port);
}

/* The next blank-separated word of s (len bytes) from *i. */
static int
knownhosts_word(const char *s, size_t len, size_t *i, const char **w,
    size_t *wlen)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
	*w = s + *i;
	while (*i < len && s[*i] != ' ' && s[*i] != '\t')
		(*i)++;
	*wlen = (size_t)(s + *i - *w);
	return *wlen > 0;
}

int
knownhosts_blob_type(const unsigned char *blob, size_t len, char *type,
    size_t n)
{
	size_t k;

	if (len < 4)
		return GQ_EINVAL;
	k = (size_t)blob[0] << 24 | (size_t)blob[1] << 16 |
	    (size_t)blob[2] << 8 | blob[3];
	if (k == 0 || k > len - 4 || k >= n || memchr(blob + 4, '\0', k))
		return GQ_EINVAL;
	memcpy(type, blob + 4, k);
	type[k] = '\0';
	return 0;
}

static int
knownhosts_marker(const char *w, size_t wlen, enum knownhosts_marker *m)
{
	if (wlen == 8 && memcmp(w, "@revoked", 8) == 0)
		*m = KNOWNHOSTS_MARK_REVOKED;
	else if (wlen == 15 && memcmp(w, "@cert-authority", 15) == 0)
		*m = KNOWNHOSTS_MARK_CA;
	else
		return GQ_EINVAL;
	return 0;
}

int
knownhosts_parse_line(const char *line, size_t len, struct knownhosts_entry *e)
{
	char btype[KNOWNHOSTS_MAX_TYPE];
	const char *w;
	size_t i = 0, wlen;
	long n;

	e->marker = KNOWNHOSTS_MARK_NONE;
	if (!knownhosts_word(line, len, &i, &w, &wlen) || w[0] == '#')
		return 0;
	if (w[0] == '@') {
		if (knownhosts_marker(w, wlen, &e->marker) != 0 ||
		    !knownhosts_word(line, len, &i, &w, &wlen))
			return GQ_EINVAL;
	}
	e->hosts = w;
	e->hostslen = wlen;
	if (!knownhosts_word(line, len, &i, &w, &wlen) ||
	    wlen >= sizeof(e->type))
		return GQ_EINVAL;
	memcpy(e->type, w, wlen);
	e->type[wlen] = '\0';
	if (!knownhosts_word(line, len, &i, &w, &wlen))
		return GQ_EINVAL;
	n = ssh_b64_decode(w, wlen, e->blob, sizeof(e->blob));
	if (n < 0)
		return GQ_EINVAL;
	e->bloblen = (size_t)n;
	/* The blob names its own type: it must be the one written. */
	if (knownhosts_blob_type(e->blob, e->bloblen, btype, sizeof(btype)) !=
	        0 ||
	    strcmp(btype, e->type) != 0)
		return GQ_EINVAL;
	return 1;
}

/* |1|base64(salt)|base64(HMAC-SHA1(salt, name)) */
static int
knownhosts_hashed_match(const char *h, size_t len, const char *name)
{
	unsigned char salt[64], want[64], got[EVP_MAX_MD_SIZE];
	const char *bar;
	unsigned int glen = 0;
	long ns, nw;

	bar = memchr(h + 3, '|', len - 3);
	if (bar == NULL)
		return 0;
	ns = ssh_b64_decode(h + 3, (size_t)(bar - h - 3), salt, sizeof(salt));
	nw = ssh_b64_decode(bar + 1, (size_t)(h + len - bar - 1), want,
	    sizeof(want));
	if (ns <= 0 || nw != KNOWNHOSTS_SHA1_LEN)
		return 0;
	if (HMAC(EVP_sha1(), salt, (int)ns, (const unsigned char *)name,
	        strlen(name), got, &glen) == NULL ||
	    glen != KNOWNHOSTS_SHA1_LEN)
		return 0;
	return CRYPTO_memcmp(got, want, KNOWNHOSTS_SHA1_LEN) == 0;
}

int
knownhosts_host_match(const struct knownhosts_entry *e, const char *name)
{
	if (e->hostslen > 3 && memcmp(e->hosts, "|1|", 3) == 0)
		return knownhosts_hashed_match(e->hosts, e->hostslen, name);
	return ssh_pattern_list(name, e->hosts, e->hostslen, ',');
}

static void
knownhosts_add_type(struct knownhosts_check *ck, const char *type)
{
	size_t n = strlen(ck->types), k = strlen(type);
	const char *p = ck->types;

	/* Already listed? */
	while ((p = strstr(p, type)) != NULL) {
		if ((p == ck->types || p[-1] == ' ') &&
		    (p[k] == ' ' || p[k] == '\0'))
			return;
		p += k;
	}
	if (n + k + 2 > sizeof(ck->types))
		return;
	snprintf(ck->types + n, sizeof(ck->types) - n, "%s%s", n ? " " : "",
	    type);
}

static void
knownhosts_check_entry(const struct knownhosts_entry *e, int line,
    const unsigned char *key, size_t keylen, const char *ktype,
    struct knownhosts_check *ck)
{
	int same = e->bloblen == keylen && memcmp(e->blob, key, keylen) == 0;

	if (e->marker == KNOWNHOSTS_MARK_CA) {
		ck->ca_lines++;
		return;
	}
	if (e->marker == KNOWNHOSTS_MARK_REVOKED) {
		if (same && ck->revoked_line == 0) {
			ck->revoked_line = line;
			ck->revoked_file = ck->file;
		}
		return;
	}
	knownhosts_add_type(ck, e->type);
	if (same && ck->match_line == 0) {
		ck->match_line = line;
		ck->match_file = ck->file;
	} else if (!same && strcmp(e->type, ktype) == 0 &&
	    ck->mismatch_line == 0) {
		ck->mismatch_line = line;
		ck->mismatch_file = ck->file;
		memcpy(ck->known, e->blob, e->bloblen);
		ck->knownlen = e->bloblen;
	}
}

void
knownhosts_check(const char *text, size_t len, const char *name,
    const unsigned char *key, size_t keylen, struct knownhosts_check *ck)
{
	struct knownhosts_entry *e = xmalloc(sizeof(*e));
	char ktype[KNOWNHOSTS_MAX_TYPE] = "";
	size_t i = 0, j;
	int line = 0, rc;

	knownhosts_blob_type(key, keylen, ktype, sizeof(ktype));
	if (len > KNOWNHOSTS_MAX_TEXT)
		len = KNOWNHOSTS_MAX_TEXT;
	while (i < len) {
		for (j = i; j < len && text[j] != '\n'; j++)
			;
		line++;
		if (j - i > KNOWNHOSTS_MAX_LINE)
			rc = GQ_EINVAL;
		else
			rc = knownhosts_parse_line(text + i,
			    j - i - (j > i && text[j - 1] == '\r'), e);
		if (rc < 0)
			ck->bad_lines++;
		else if (rc == 1 && knownhosts_host_match(e, name) == 1)
			knownhosts_check_entry(e, line, key, keylen, ktype, ck);
		i = j + 1;
	}
	free(e);
}

enum knownhosts_result
knownhosts_result(const struct knownhosts_check *ck)
{
	if (ck->revoked_line > 0)
		return KNOWNHOSTS_REVOKED;
	if (ck->match_line > 0)
		return KNOWNHOSTS_MATCH;
	if (ck->mismatch_line > 0)
		return KNOWNHOSTS_MISMATCH;
	return KNOWNHOSTS_NOTFOUND;
}

int
knownhosts_fingerprint(struct buf *out, const unsigned char *blob, size_t len)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	int rc;

	SHA256(blob, len, md);
	if ((rc = buf_addstr(out, "SHA256:")) != 0)
		return rc;
	return ssh_b64_encode(out, md, sizeof(md), 0);
}

int
knownhosts_line(struct buf *out, const char *name, const unsigned char *key,
    size_t keylen, const unsigned char *salt)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	char type[KNOWNHOSTS_MAX_TYPE];
	unsigned int mdlen = 0;
	int rc;

	if (knownhosts_blob_type(key, keylen, type, sizeof(type)) != 0)
		return GQ_EINVAL;
	if (salt == NULL) {
		rc = buf_addstr(out, name);
	} else {
		if (HMAC(EVP_sha1(), salt, KNOWNHOSTS_SHA1_LEN,
		        (const unsigned char *)name, strlen(name), md,
		        &mdlen) == NULL)
			return GQ_EINTERNAL;
		rc = buf_addstr(out, "|1|");
		rc =
		    rc ? rc : ssh_b64_encode(out, salt, KNOWNHOSTS_SHA1_LEN, 1);
		rc = rc ? rc : buf_addstr(out, "|");
		rc = rc ? rc : ssh_b64_encode(out, md, mdlen, 1);
	}
	rc = rc ? rc : buf_printf(out, " %s ", type);
	rc = rc ? rc : ssh_b64_encode(out, key, keylen, 1);
	return rc ? rc : buf_addstr(out, "\n");
}
