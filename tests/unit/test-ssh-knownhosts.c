/*
 * known_hosts (remote/ssh-knownhosts.c), base64 (ssh-b64.c) and what a
 * key file is (ssh-keyfile.c).  The keys and hashed lines below were made
 * by ssh-keygen (OpenSSH 9.2), so the parser is checked against OpenSSH,
 * not against itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/base/error.h"
#include "remote/ssh-b64.h"
#include "remote/ssh-keyfile.h"
#include "remote/ssh-knownhosts.h"

#define ED25519_A                                                              \
	"AAAAC3NzaC1lZDI1NTE5AAAAIOupASaTxYXQEcsOtkikx95hoZ0U+v+yYji8as10ytmS"
#define ED25519_B                                                              \
	"AAAAC3NzaC1lZDI1NTE5AAAAIALkI9BAg98Bh/RLtOpzVDrjibvflC4hEUSAqZlzZiyW"
#define ECDSA_A                                                                \
	"AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBAV3x2y082KixIAQ" \
	"vOdTzktKVVW8wtRn6WS0dQL8+46Dxv5Djyw6q95xOB1mKn5lqVz5KApldfJhczHLmfnp" \
	"alY="
/* `ssh-keygen -lf`: */
#define ED25519_A_FP "SHA256:EE6tPvdqDfj3S1e1ASSi4hNnZ4whdMSdP8tp9/qQaqs"
#define ECDSA_A_FP   "SHA256:FvAL3phK5oed9gMbMlViZAZv6niYyrang5r/s2R+Rps"
/* `ssh-keygen -H` of "gpu01 ..." and "[gpu02]:2222 ...": */
#define HASHED_GPU01                                                           \
	"|1|sJf8vRJt7UaH8gsHJzXXjQdzzBQ=|j5fOdaiVRCSJcYxHI4umQeNIwxU="
#define HASHED_GPU02                                                           \
	"|1|vPsDkTeSHmKxCVErG7CDnsKZDQI=|DRV51lriRc56EayxLeZhZRDDGTc="

struct key {
	unsigned char b[512];
	size_t n;
};

static struct key
key_of(const char *b64)
{
	struct key k;
	long n = ssh_b64_decode(b64, strlen(b64), k.b, sizeof(k.b));

	assert_true(n > 0);
	k.n = (size_t)n;
	return k;
}

static enum knownhosts_result
check(const char *text, const char *name, const char *b64,
    struct knownhosts_check *ck)
{
	struct key k = key_of(b64);

	memset(ck, 0, sizeof(*ck));
	ck->file = "kh";
	knownhosts_check(text, strlen(text), name, k.b, k.n, ck);
	return knownhosts_result(ck);
}

static void
test_b64(void **state)
{
	unsigned char out[16];
	struct buf b;

	buf_init(&b, 1024);
	ssh_b64_encode(&b, "foobar", 6, 1);
	ssh_b64_encode(&b, "fo", 2, 1);
	ssh_b64_encode(&b, "f", 1, 0);
	assert_string_equal(b.data, "Zm9vYmFyZm8=Zg");
	buf_done(&b);
	assert_int_equal(ssh_b64_decode("Zm9vYg==", 8, out, sizeof(out)), 4);
	assert_memory_equal(out, "foob", 4);
	assert_int_equal(ssh_b64_decode("Zm9vYg", 6, out, sizeof(out)), 4);
	assert_int_equal(ssh_b64_decode("Zm9v!g==", 8, out, sizeof(out)),
	    GQ_EINVAL);
	assert_int_equal(ssh_b64_decode("Z", 1, out, sizeof(out)), GQ_EINVAL);
	assert_int_equal(ssh_b64_decode("Zm9vYmFy", 8, out, 5), GQ_ETOOBIG);
}

static void
test_parse_lines(void **state)
{
	struct knownhosts_entry e;
	const char *l;

	l = "gpu01,10.0.0.1 ssh-ed25519 " ED25519_A " comment";
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), 1);
	assert_int_equal(e.marker, KNOWNHOSTS_MARK_NONE);
	assert_string_equal(e.type, "ssh-ed25519");
	assert_int_equal(e.hostslen, 14);
	l = "  @revoked * ssh-ed25519 " ED25519_A;
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), 1);
	assert_int_equal(e.marker, KNOWNHOSTS_MARK_REVOKED);
	l = "@cert-authority *.lab ecdsa-sha2-nistp256 " ECDSA_A;
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), 1);
	assert_int_equal(e.marker, KNOWNHOSTS_MARK_CA);
	assert_int_equal(knownhosts_parse_line("", 0, &e), 0);
	assert_int_equal(knownhosts_parse_line("   # x", 6, &e), 0);
	/* The type written must be the blob's own. */
	l = "gpu01 ssh-rsa " ED25519_A;
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), GQ_EINVAL);
	l = "gpu01 ssh-ed25519";
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), GQ_EINVAL);
	l = "gpu01 ssh-ed25519 AAAA!!!";
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), GQ_EINVAL);
	l = "@bogus gpu01 ssh-ed25519 " ED25519_A;
	assert_int_equal(knownhosts_parse_line(l, strlen(l), &e), GQ_EINVAL);
}

static void
test_names(void **state)
{
	char n[KNOWNHOSTS_MAX_NAME];

	knownhosts_name(n, sizeof(n), "gpu01", 22);
	assert_string_equal(n, "gpu01");
	knownhosts_name(n, sizeof(n), "gpu01", 2222);
	assert_string_equal(n, "[gpu01]:2222");
}

static void
test_check(void **state)
{
	struct knownhosts_check ck;
	const char *kh = "# a comment, then a line OpenSSH would refuse\n"
	                 "this is not a known_hosts line\n"
	                 "gpu01,gpu02 ssh-ed25519 " ED25519_A "\n"
	                 "[gpu01]:2222 ssh-ed25519 " ED25519_B "\r\n"
	                 "*.lab,!bad.lab ecdsa-sha2-nistp256 " ECDSA_A "\n"
	                 "@cert-authority *.lab ssh-ed25519 " ED25519_B "\n";

	assert_int_equal(check(kh, "gpu01", ED25519_A, &ck), KNOWNHOSTS_MATCH);
	assert_int_equal(ck.match_line, 3);
	assert_int_equal(ck.bad_lines, 1);
	/* Port 2222 is another host with another key. */
	assert_int_equal(check(kh, "[gpu01]:2222", ED25519_B, &ck),
	    KNOWNHOSTS_MATCH);
	assert_int_equal(check(kh, "[gpu01]:2222", ED25519_A, &ck),
	    KNOWNHOSTS_MISMATCH);
	assert_int_equal(ck.mismatch_line, 4);
	assert_string_equal(ck.mismatch_file, "kh");
	assert_memory_equal(ck.known, key_of(ED25519_B).b, ck.knownlen);
	/* A key of another type is not a mismatch (libssh2/libssh2#42). */
	assert_int_equal(check(kh, "gpu01", ECDSA_A, &ck), KNOWNHOSTS_NOTFOUND);
	assert_string_equal(ck.types, "ssh-ed25519");
	assert_int_equal(check(kh, "n1.lab", ECDSA_A, &ck), KNOWNHOSTS_MATCH);
	assert_int_equal(ck.ca_lines, 1);
	assert_int_equal(check(kh, "bad.lab", ECDSA_A, &ck),
	    KNOWNHOSTS_NOTFOUND);
	assert_int_equal(check(kh, "gpu03", ED25519_A, &ck),
	    KNOWNHOSTS_NOTFOUND);
	assert_string_equal(ck.types, "");
}

static void
test_revoked(void **state)
{
	struct knownhosts_check ck;
	const char *kh = "gpu01 ssh-ed25519 " ED25519_A "\n"
	                 "@revoked * ssh-ed25519 " ED25519_A "\n";

	/* Revoked beats a match, anywhere in the files. */
	assert_int_equal(check(kh, "gpu01", ED25519_A, &ck),
	    KNOWNHOSTS_REVOKED);
	assert_int_equal(ck.revoked_line, 2);
	assert_int_equal(check(kh, "gpu01", ED25519_B, &ck),
	    KNOWNHOSTS_MISMATCH);
}

static void
test_hashed(void **state)
{
	struct knownhosts_check ck;
	const char *kh =
	    HASHED_GPU01 " ssh-ed25519 " ED25519_A "\n" HASHED_GPU02
	                 " ssh-ed25519 " ED25519_A "\n";

	assert_int_equal(check(kh, "gpu01", ED25519_A, &ck), KNOWNHOSTS_MATCH);
	assert_int_equal(ck.match_line, 1);
	assert_int_equal(check(kh, "[gpu02]:2222", ED25519_A, &ck),
	    KNOWNHOSTS_MATCH);
	assert_int_equal(ck.match_line, 2);
	assert_int_equal(check(kh, "gpu02", ED25519_A, &ck),
	    KNOWNHOSTS_NOTFOUND);
	assert_int_equal(check(kh, "gpu01", ED25519_B, &ck),
	    KNOWNHOSTS_MISMATCH);
	/* A broken hash is no match, and no crash. */
	assert_int_equal(check("|1|abc|def ssh-ed25519 " ED25519_A "\n",
	                     "gpu01", ED25519_A, &ck),
	    KNOWNHOSTS_NOTFOUND);
	assert_int_equal(check("|1|| ssh-ed25519 " ED25519_A "\n", "gpu01",
	                     ED25519_A, &ck),
	    KNOWNHOSTS_NOTFOUND);
}

static void
test_write_lines(void **state)
{
	static const unsigned char salt[20] = "0123456789abcdefghij";
	struct knownhosts_check ck;
	struct key k = key_of(ED25519_A);
	struct buf b;

	buf_init(&b, 4096);
	assert_int_equal(knownhosts_line(&b, "[gpu01]:2222", k.b, k.n, NULL),
	    0);
	assert_string_equal(b.data, "[gpu01]:2222 ssh-ed25519 " ED25519_A "\n");
	buf_reset(&b);
	assert_int_equal(knownhosts_line(&b, "gpu01", k.b, k.n, salt), 0);
	assert_memory_equal(b.data, "|1|", 3);
	assert_null(strstr(b.data, "gpu01"));
	assert_int_equal(check(b.data, "gpu01", ED25519_A, &ck),
	    KNOWNHOSTS_MATCH);
	assert_int_equal(check(b.data, "gpu02", ED25519_A, &ck),
	    KNOWNHOSTS_NOTFOUND);
	buf_reset(&b);
	assert_int_equal(knownhosts_line(&b, "x", (const unsigned char *)"ab",
	                     2, NULL),
	    GQ_EINVAL);
	buf_done(&b);
}

static void
test_fingerprints(void **state)
{
	struct key a = key_of(ED25519_A), e = key_of(ECDSA_A);
	char type[KNOWNHOSTS_MAX_TYPE];
	struct buf b;

	buf_init(&b, 1024);
	knownhosts_fingerprint(&b, a.b, a.n);
	assert_string_equal(b.data, ED25519_A_FP);
	buf_reset(&b);
	knownhosts_fingerprint(&b, e.b, e.n);
	assert_string_equal(b.data, ECDSA_A_FP);
	buf_done(&b);
	assert_int_equal(knownhosts_blob_type(e.b, e.n, type, sizeof(type)), 0);
	assert_string_equal(type, "ecdsa-sha2-nistp256");
	assert_int_equal(knownhosts_blob_type(e.b, 3, type, sizeof(type)),
	    GQ_EINVAL);
	assert_int_equal(knownhosts_blob_type(e.b, e.n, type, 5), GQ_EINVAL);
}

/* An openssh-key-v1 file (only its clear part matters to the reader). */
static char *
keyfile(const char *cipher, const char *pub_b64)
{
	struct key k = key_of(pub_b64);
	unsigned char raw[1024];
	size_t n = 0;
	struct buf b;
	const char *strs[3] = { cipher, cipher[0] == 'n' ? "none" : "bcrypt",
		"" };
	int i;

	memcpy(raw, "openssh-key-v1", 15);
	n = 15;
	for (i = 0; i < 3; i++) {
		raw[n++] = 0, raw[n++] = 0, raw[n++] = 0;
		raw[n++] = (unsigned char)strlen(strs[i]);
		memcpy(raw + n, strs[i], strlen(strs[i]));
		n += strlen(strs[i]);
	}
	memcpy(raw + n, "\0\0\0\1\0\0\0", 7);
	n += 7;
	raw[n++] = (unsigned char)k.n;
	memcpy(raw + n, k.b, k.n);
	n += k.n;
	buf_init(&b, 8192);
	buf_addstr(&b, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	ssh_b64_encode(&b, raw, n, 1);
	buf_addstr(&b, "\n-----END OPENSSH PRIVATE KEY-----\n");
	return buf_take(&b);
}

static void
test_keyfiles(void **state)
{
	struct ssh_keyfile_info ki;
	char type[64], *f;
	const char *t;

	f = keyfile("none", ED25519_A);
	assert_int_equal(ssh_keyfile_info(f, strlen(f), &ki), 0);
	assert_string_equal(ki.type, "ssh-ed25519");
	assert_int_equal(ki.encrypted, 0);
	free(f);
	f = keyfile("aes256-ctr", ECDSA_A);
	assert_int_equal(ssh_keyfile_info(f, strlen(f), &ki), 0);
	assert_string_equal(ki.type, "ecdsa-sha2-nistp256");
	assert_int_equal(ki.encrypted, 1);
	f[60] = '\0'; /* cut short */
	assert_int_equal(ssh_keyfile_info(f, strlen(f), &ki), GQ_EINVAL);
	free(f);
	t = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n";
	assert_int_equal(ssh_keyfile_info(t, strlen(t), &ki), 0);
	assert_true(ssh_keyfile_is_rsa(ki.type));
	assert_int_equal(ki.encrypted, 1);
	t = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n";
	assert_int_equal(ssh_keyfile_info(t, strlen(t), &ki), 0);
	assert_int_equal(ki.format, SSH_KEYFILE_PKCS8);
	assert_int_equal(ki.encrypted, 1);
	t = "ssh-ed25519 AAAA comment\n";
	assert_int_equal(ssh_keyfile_info(t, strlen(t), &ki), GQ_EINVAL);
	assert_int_equal(ssh_keyfile_pub_type(t, strlen(t), type, sizeof(type)),
	    0);
	assert_string_equal(type, "ssh-ed25519");
	assert_false(ssh_keyfile_is_rsa(type));
	assert_int_equal(ssh_keyfile_pub_type("x", 1, type, sizeof(type)),
	    GQ_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64),
		cmocka_unit_test(test_parse_lines),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_revoked),
		cmocka_unit_test(test_hashed),
		cmocka_unit_test(test_write_lines),
		cmocka_unit_test(test_fingerprints),
		cmocka_unit_test(test_keyfiles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
