/*
 * libFuzzer target for the known_hosts reader (remote/ssh-knownhosts.c),
 * the key file reader (ssh-keyfile.c) and base64 (ssh-b64.c): any bytes
 * as a known_hosts file, checked for a few names against a fixed key and
 * against every key the file holds.  Every entry that parses must write
 * back (plain and hashed) as a line that parses to the same key and
 * matches its name; nothing may read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/buf.h"
#include "remote/ssh-b64.h"
#include "remote/ssh-keyfile.h"
#include "remote/ssh-knownhosts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(x)                                                         \
	do {                                                                   \
		if (!(x))                                                      \
			abort();                                               \
	} while (0)

static const char fuzz_kh_key[] =
    "AAAAC3NzaC1lZDI1NTE5AAAAIOupASaTxYXQEcsOtkikx95hoZ0U+v+yYji8as10ytmS";

static void
fuzz_kh_check(const char *text, size_t len, const char *name,
    const unsigned char *key, size_t keylen)
{
	static struct knownhosts_check ck;
	enum knownhosts_result r;

	memset(&ck, 0, sizeof(ck));
	ck.file = "fuzz";
	knownhosts_check(text, len, name, key, keylen, &ck);
	r = knownhosts_result(&ck);
	FUZZ_ASSERT(r >= KNOWNHOSTS_NOTFOUND && r <= KNOWNHOSTS_REVOKED);
	FUZZ_ASSERT(r != KNOWNHOSTS_MISMATCH || ck.knownlen > 0);
	FUZZ_ASSERT(memchr(ck.types, 0, sizeof(ck.types)) != NULL);
}

/* A parsed entry written back must read back the same. */
static void
fuzz_kh_roundtrip(const struct knownhosts_entry *e)
{
	static const unsigned char salt[20] = "fuzzfuzzfuzzfuzzfuzz";
	static struct knownhosts_entry back;
	struct buf b;
	int i;

	for (i = 0; i < 2; i++) {
		buf_init(&b, 64 * 1024);
		FUZZ_ASSERT(knownhosts_line(&b, "[h]:2", e->blob, e->bloblen,
		                i ? salt : NULL) == 0);
		FUZZ_ASSERT(
		    knownhosts_parse_line(b.data, b.len - 1, &back) == 1);
		FUZZ_ASSERT(back.bloblen == e->bloblen &&
		    memcmp(back.blob, e->blob, e->bloblen) == 0);
		FUZZ_ASSERT(knownhosts_host_match(&back, "[h]:2") == 1);
		FUZZ_ASSERT(knownhosts_host_match(&back, "h") != 1);
		buf_done(&b);
	}
}

static void
fuzz_kh_lines(const char *text, size_t len)
{
	static struct knownhosts_entry e;
	size_t i = 0, j;
	struct buf fp;

	while (i < len) {
		for (j = i; j < len && text[j] != '\n'; j++)
			;
		if (j - i <= KNOWNHOSTS_MAX_LINE &&
		    knownhosts_parse_line(text + i, j - i, &e) == 1) {
			FUZZ_ASSERT(e.bloblen >= 4);
			knownhosts_host_match(&e, "gpu01");
			fuzz_kh_roundtrip(&e);
			fuzz_kh_check(text, len, "gpu01", e.blob, e.bloblen);
			buf_init(&fp, 1024);
			knownhosts_fingerprint(&fp, e.blob, e.bloblen);
			buf_done(&fp);
		}
		i = j + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ssh_keyfile_info ki;
	unsigned char key[128];
	char type[64];
	long n;

	n = ssh_b64_decode(fuzz_kh_key, strlen(fuzz_kh_key), key, sizeof(key));
	FUZZ_ASSERT(n > 0);
	fuzz_kh_check(text, size, "gpu01", key, (size_t)n);
	fuzz_kh_check(text, size, "[gpu01]:2222", key, (size_t)n);
	fuzz_kh_lines(text, size);
	if (ssh_keyfile_info(text, size, &ki) == 0)
		FUZZ_ASSERT(memchr(ki.type, 0, sizeof(ki.type)) != NULL);
	if (ssh_keyfile_pub_type(text, size, type, sizeof(type)) == 0)
		FUZZ_ASSERT(strlen(type) > 0);
	return 0;
}
